"""The central warehouse hears of an emergency transfer request once, when the repair point's manager
submits it (the "Emergency Spare Part Transfer Request" notification), and not of an ordinary one."""

import frappe

from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import make_transfer_request
from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order_roles import (
	RepairRolesTestCase,
)
from aftersales_module.setup.notifications import (
	EMERGENCY_TRANSFER_NOTIFICATION,
	install_emergency_transfer_notification,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Repair Point", "Repair Order", "Spare Part Transfer Request"]


def alerts_of(request) -> list[str]:
	return frappe.get_all(
		"Notification Log",
		filters={"document_type": request.doctype, "document_name": request.name},
		pluck="for_user",
	)


class TestEmergencyTransferAlert(RepairRolesTestCase):
	def test_the_warehouse_hears_of_an_emergency_request_once(self):
		install_emergency_transfer_notification()
		self.assertTrue(frappe.db.get_value("Notification", EMERGENCY_TRANSFER_NOTIFICATION, "enabled"))
		with acting_as(self.point_manager):
			ordinary = make_transfer_request(self.point.name, self.stores, qty=2)
			urgent = make_transfer_request(self.point.name, self.stores, qty=2, emergency=1)
		self.assertEqual(alerts_of(ordinary), [])
		self.assertEqual(alerts_of(urgent).count(self.warehouse_user), 1)
		with acting_as(self.point_manager):
			frappe.get_doc(urgent.doctype, urgent.name).save()  # a later save is no new alert
		self.assertEqual(alerts_of(urgent).count(self.warehouse_user), 1)
