# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A transfer request is written by its repair point's manager while it is a draft, by nobody once it
is raised (approval and transfers are the steps' own); the approved and transferred quantities show
once it is approved. A refusal names the field and who sets it at which stage, and saves nothing."""

import frappe
from frappe.client import save as client_save
from frappe.client import set_value

from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order_roles import press
from aftersales_module.aftersales_module.doctype.spare_part_transfer_request.test_spare_part_transfer_request import (
	TransferRolesTestCase,
)
from aftersales_module.controllers.stage_forms import set_stage_onload
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Repair Point", "Repair Order", "Spare Part Transfer Request"]

REQUEST = "Spare Part Transfer Request"
HIDDEN_UNTIL_APPROVED = ["items.approved_qty", "items.transferred_qty", "items.pending_qty"]


def form_inputs(user: str, name: str) -> dict:
	with acting_as(user):
		doc = frappe.get_doc(REQUEST, name)
		set_stage_onload(doc)
		return doc.get_onload().stage_inputs


class TestTransferRequestStageInputs(TransferRolesTestCase):
	def test_the_draft_is_the_point_managers_and_the_raised_request_nobodys(self):
		draft = self.raise_request(submit=False)
		with acting_as(self.warehouse_user), self.assertRaises(StepPermissionError) as refused:
			set_value(REQUEST, draft.name, "purpose", "Screens for the warehouse.")
		for part in ("Draft", "Purpose", "Repair Point Manager"):
			self.assertIn(part, str(refused.exception))
		with acting_as(self.point_manager):
			set_value(REQUEST, draft.name, "purpose", "Screens and batteries.")
		self.assertEqual(frappe.db.get_value(REQUEST, draft.name, "purpose"), "Screens and batteries.")

		raised = self.raise_request()
		with acting_as(self.point_manager), self.assertRaises(StepPermissionError) as refused:
			forged = frappe.get_doc(REQUEST, raised.name).as_dict()
			forged["items"][0]["requested_qty"] = 50
			client_save(frappe.as_json(forged))
		self.assertIn("Pending Approval", str(refused.exception))
		self.assertEqual(frappe.get_doc(REQUEST, raised.name).items[0].requested_qty, 5)

	def test_the_form_offers_the_draft_to_its_writer_and_shows_quantities_once_approved(self):
		draft = self.raise_request(submit=False)
		self.assertIn("items", form_inputs(self.point_manager, draft.name)["fields"])
		warehouse_view = form_inputs(self.warehouse_user, draft.name)
		self.assertEqual(warehouse_view["fields"], [])
		self.assertEqual(warehouse_view["hidden"], HIDDEN_UNTIL_APPROVED)

		raised = self.raise_request()
		with acting_as(self.manager):
			press(raised, "approve")
		approved = form_inputs(self.warehouse_user, raised.name)
		self.assertEqual((approved["fields"], approved["hidden"]), ([], []))
