# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A line whose held quantity drifted from its open requests is listed, logged, and repaired by a
manager."""

import frappe
from frappe.desk.query_report import run

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	open_request,
	sell,
)
from aftersales_module.controllers.sales_history import repair_held_quantities, report_hold_drift
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


class TestHeldQuantityCheck(ReturnFlowTestCase):
	def test_a_drifted_hold_is_listed_logged_and_repaired_by_a_manager(self):
		invoice = sell(qty=2)
		request = act(open_request(invoice), "Submit")
		line = invoice.items[0].name
		frappe.db.sql("update `tabSales Invoice Item` set aftersales_requested_qty = 5 where name = %s", line)

		with acting_as(AFTERSALES_MANAGER):
			rows = run("Held Quantity Check")["result"]
		[drift] = [row for row in rows if row.get("invoice_line") == line]
		self.assertEqual((drift["held_on_line"], drift["held_by_requests"]), (5, 2))
		self.assertIn(request.name, drift["requests"])

		logged = frappe.db.count("Error Log")
		report_hold_drift()
		self.assertEqual(frappe.db.count("Error Log"), logged + 1)

		with acting_as(CUSTOMER_SERVICE):
			self.assertRaises(frappe.PermissionError, repair_held_quantities)
		with acting_as(AFTERSALES_MANAGER):
			self.assertGreaterEqual(repair_held_quantities(), 1)
			rows = run("Held Quantity Check")["result"]
		self.assertEqual(frappe.db.get_value("Sales Invoice Item", line, "aftersales_requested_qty"), 2)
		self.assertFalse([row for row in rows if row.get("invoice_line") == line])
