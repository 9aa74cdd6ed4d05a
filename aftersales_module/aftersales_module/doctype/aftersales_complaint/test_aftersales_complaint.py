# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Complaints 投訴 on a real site: customer service records and handles them, the server owns the
status, and only an Aftersales Manager marks one as malicious, with the reason."""

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_customer,
)
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim", "Inquiry Ticket"]

COMPLAINT = "Aftersales Complaint"
OTHER_CUSTOMER = "_Test Aftersales Complaint Other Customer"


def file_complaint(**fields):
	"""Customer service records a complaint taken on the hotline."""
	with acting_as(CUSTOMER_SERVICE):
		return frappe.get_doc(
			{
				"doctype": COMPLAINT,
				"company": TEST_COMPANY,
				"customer": TEST_CUSTOMER,
				"channel": "Hotline",
				"category": "Service Attitude",
				"description": "The agent hung up on me.",
				**fields,
			}
		).insert()


def press(complaint, method: str, role: str, **arguments):
	with acting_as(role):
		getattr(frappe.get_doc(COMPLAINT, complaint.name), method)(**arguments)
	return frappe.get_doc(COMPLAINT, complaint.name)


class TestAftersalesComplaint(AftersalesTestCase):
	def test_customer_service_resolves_and_closes_a_complaint(self):
		complaint = file_complaint()
		self.assertEqual((complaint.status, complaint.posting_date), ("Open", nowdate()))
		with self.assertRaises(frappe.ValidationError):
			press(complaint, "resolve", CUSTOMER_SERVICE)  # no handling or result yet
		with acting_as(CUSTOMER_SERVICE):
			doc = frappe.get_doc(COMPLAINT, complaint.name)
			doc.handling, doc.result = "Called the customer back and apologised.", "Customer accepted"
			doc.save()
		with self.assertRaises(frappe.ValidationError):
			press(complaint, "close", CUSTOMER_SERVICE)  # not resolved yet
		resolved = press(complaint, "resolve", CUSTOMER_SERVICE)
		self.assertEqual(resolved.status, "Resolved")
		self.assertEqual(resolved.resolved_by, "as-customer-service@example.com")
		closed = press(complaint, "close", CUSTOMER_SERVICE)
		self.assertEqual(closed.status, "Closed")
		self.assertTrue(closed.closed_on)
		logged = frappe.get_all(
			STAGE_LOG,
			filters={"reference_doctype": COMPLAINT, "reference_name": complaint.name},
			pluck="to_stage",
			order_by="moved_on asc, creation asc",
		)
		self.assertEqual(logged, ["Open", "Resolved", "Closed"])

	def test_a_client_cannot_set_the_status_or_the_malicious_flag(self):
		complaint = file_complaint(status="Closed", is_malicious=1, malicious_reason="mine")
		self.assertEqual(
			(complaint.status, complaint.is_malicious, complaint.malicious_reason), ("Open", 0, None)
		)
		with acting_as(CUSTOMER_SERVICE):
			doc = frappe.get_doc(COMPLAINT, complaint.name)
			doc.status, doc.is_malicious = "Closed", 1
			doc.save()
		stored = frappe.get_doc(COMPLAINT, complaint.name)
		self.assertEqual((stored.status, stored.is_malicious), ("Open", 0))

	def test_only_a_manager_flags_a_complaint_malicious_with_a_reason(self):
		complaint = file_complaint()
		for role in (CUSTOMER_SERVICE, WAREHOUSE):
			with self.subTest(role), self.assertRaises(frappe.PermissionError) as refused:
				press(complaint, "flag_malicious", role, reason="Extortion attempt")
			self.assertIn("Aftersales Manager", str(refused.exception))
		with self.assertRaises(frappe.ValidationError):
			press(complaint, "flag_malicious", AFTERSALES_MANAGER, reason="  ")
		self.assertEqual(frappe.db.get_value(COMPLAINT, complaint.name, "is_malicious"), 0)
		flagged = press(
			complaint, "flag_malicious", AFTERSALES_MANAGER, reason="Demands money for a fake defect"
		)
		self.assertEqual(
			(flagged.is_malicious, flagged.malicious_reason, flagged.flagged_by),
			(1, "Demands money for a fake defect", "as-manager@example.com"),
		)
		with self.assertRaises(frappe.ValidationError):
			press(complaint, "flag_malicious", AFTERSALES_MANAGER, reason="again")

	def test_the_related_case_is_one_of_the_apps_cases_of_the_same_customer(self):
		with self.assertRaises(frappe.ValidationError) as refused:
			file_complaint(reference_doctype="Customer", reference_name=TEST_CUSTOMER)
		self.assertIn("Inquiry Ticket", str(refused.exception))
		make_customer(OTHER_CUSTOMER)
		with acting_as(CUSTOMER_SERVICE):
			ticket = frappe.get_doc(
				{
					"doctype": "Inquiry Ticket",
					"company": TEST_COMPANY,
					"customer": OTHER_CUSTOMER,
					"inquiry_reason": "Where Is My Order",
				}
			).insert()
		with self.assertRaises(frappe.ValidationError) as refused:
			file_complaint(reference_doctype="Inquiry Ticket", reference_name=ticket.name)
		self.assertIn(OTHER_CUSTOMER, str(refused.exception))

	def test_a_complaint_cannot_be_received_in_the_future(self):
		with self.assertRaises(frappe.ValidationError):
			file_complaint(posting_date=add_days(nowdate(), 2))

	def test_warehouse_reads_but_does_not_file_complaints(self):
		with acting_as(WAREHOUSE), self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": COMPLAINT,
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"category": "Other",
					"description": "x",
				}
			).insert()
