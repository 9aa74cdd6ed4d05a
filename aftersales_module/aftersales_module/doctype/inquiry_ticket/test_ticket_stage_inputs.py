# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Each role sets only its own stage's fields on an inquiry ticket: customer service what the ticket
was opened with (while it is open) and the facts, analysis and solution (until the result is given);
the departments asked their findings. A refusal names the field and who sets it at which stage, saves
nothing, and holds for the form's save and the REST clients alike."""

import frappe
from frappe.client import save as client_save
from frappe.client import set_value

from aftersales_module.aftersales_module.doctype.inquiry_ticket.test_inquiry_ticket import (
	api_update,
	open_ticket,
	step,
)
from aftersales_module.controllers.stage_forms import set_stage_onload
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, QUALITY_INSPECTOR, WAREHOUSE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, make_customer
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim"]

TICKET = "Inquiry Ticket"


class TestTicketStageInputs(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()

	def refused(self, role: str, ticket: str, values: dict) -> str:
		with acting_as(role), self.assertRaises(StepPermissionError) as refused:
			api_update(ticket, values)
		return str(refused.exception)

	def test_the_analysis_is_customer_services_and_the_findings_every_department_asked(self):
		ticket = open_ticket()
		message = self.refused(WAREHOUSE, ticket.name, {"analysis": "Not the warehouse's call."})
		for part in ("Open", "Analysis", "Aftersales Customer Service"):
			self.assertIn(part, message)
		self.assertIsNone(frappe.db.get_value(TICKET, ticket.name, "analysis"))

		with acting_as(WAREHOUSE):
			api_update(ticket.name, {"findings": [{"department": "Warehouse", "finding": "Left on time."}]})
		with acting_as(CUSTOMER_SERVICE):
			api_update(ticket.name, {"analysis": "Held at the hub."})
		stored = frappe.get_doc(TICKET, ticket.name)
		self.assertEqual(
			(stored.analysis, [row.finding for row in stored.findings]),
			("Held at the hub.", ["Left on time."]),
		)

	def test_what_the_ticket_was_opened_with_is_fixed_once_the_customer_is_answered(self):
		ticket = step(open_ticket(), "record_first_response")
		self.assertEqual(ticket.status, "Replied")
		message = self.refused(CUSTOMER_SERVICE, ticket.name, {"inquiry_reason": "Parcel Lost"})
		for part in ("Replied", "Inquiry Reason", "Aftersales Customer Service", "Open"):
			self.assertIn(part, message)
		self.assertEqual(frappe.db.get_value(TICKET, ticket.name, "inquiry_reason"), "Where Is My Order")
		# the facts still are customer service's until the result is given
		with acting_as(CUSTOMER_SERVICE):
			api_update(ticket.name, {"tracking_no": "SF-STAGE-1"})
		self.assertEqual(frappe.db.get_value(TICKET, ticket.name, "tracking_no"), "SF-STAGE-1")

	def test_a_resolved_ticket_is_what_the_customer_was_told(self):
		ticket = open_ticket(analysis="Held at the hub.")
		with acting_as(CUSTOMER_SERVICE):
			frappe.get_doc(TICKET, ticket.name).send_result(feedback_method="Phone", text="It comes Monday.")
		self.assertEqual(frappe.db.get_value(TICKET, ticket.name, "status"), "Resolved")
		message = self.refused(CUSTOMER_SERVICE, ticket.name, {"analysis": "Another story."})
		self.assertIn("Resolved", message)
		self.refused(
			QUALITY_INSPECTOR, ticket.name, {"findings": [{"department": "Quality", "finding": "Late."}]}
		)
		stored = frappe.get_doc(TICKET, ticket.name)
		self.assertEqual((stored.analysis, stored.findings), ("Held at the hub.", []))
		# the after-sales manager may still correct it, as on every case's steps
		with acting_as(AFTERSALES_MANAGER):
			api_update(ticket.name, {"analysis": "Held at the hub; the carrier confirmed."})
		self.assertEqual(
			frappe.db.get_value(TICKET, ticket.name, "analysis"), "Held at the hub; the carrier confirmed."
		)

	def test_an_e_mail_the_server_fills_in_is_not_held_against_the_role_saving(self):
		customer = make_customer("_Test Aftersales Stage Inputs Customer").name
		frappe.db.set_value("Customer", customer, "email_id", None)
		ticket = open_ticket(customer=customer)
		self.assertFalse(ticket.contact_email)
		frappe.db.set_value("Customer", customer, "email_id", "stage-inputs-customer@example.com")
		with acting_as(WAREHOUSE):
			api_update(ticket.name, {"findings": [{"department": "Warehouse", "finding": "Left on time."}]})
		self.assertEqual(
			frappe.db.get_value(TICKET, ticket.name, "contact_email"), "stage-inputs-customer@example.com"
		)

	def test_forged_api_saves_are_refused(self):
		ticket = open_ticket()
		with acting_as(QUALITY_INSPECTOR):
			self.assertRaises(
				StepPermissionError, set_value, TICKET, ticket.name, "proposed_solution", "Forged."
			)
			forged = frappe.get_doc(TICKET, ticket.name).as_dict() | {"carrier": None, "tracking_no": "X"}
			self.assertRaises(StepPermissionError, client_save, frappe.as_json(forged))
		self.assertEqual(
			frappe.db.get_value(TICKET, ticket.name, ["proposed_solution", "tracking_no"]), (None, None)
		)

	def test_the_form_offers_each_role_its_own_stage_fields(self):
		ticket = open_ticket()
		offered = {}
		for role in (CUSTOMER_SERVICE, WAREHOUSE):
			with acting_as(role):
				doc = frappe.get_doc(TICKET, ticket.name)
				set_stage_onload(doc)
				offered[role] = doc.get_onload().stage_inputs
		self.assertIn("analysis", offered[CUSTOMER_SERVICE]["fields"])
		self.assertIn("inquiry_reason", offered[CUSTOMER_SERVICE]["fields"])
		self.assertEqual(offered[WAREHOUSE]["fields"], ["findings"])
		self.assertEqual(offered[WAREHOUSE]["every_field"], offered[CUSTOMER_SERVICE]["every_field"])
