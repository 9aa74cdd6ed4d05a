# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A site upgraded from the version that kept postings only in the case's log.

The previous version's data is what it left behind: posted documents with the back-link but no
posting key, cases without a stage, workflow states without a stage. The patches carry them into
the new model, and the cases then go on to the end as the role users."""

import frappe
from frappe.utils import flt

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	CARRIER,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	cancel_as_manager,
	edit_lines,
	open_request,
	postings,
	receive_all,
	receive_for_testing,
	sell,
)
from aftersales_module.patches.carry_postings_to_back_links import carry_posting_keys, set_case_stages
from aftersales_module.setup.custom_fields import POSTING_KEY, RETURN_REQUEST_LINK, STAGE_FIELD
from aftersales_module.setup.workflow import RETURN_REQUEST_WORKFLOW, set_missing_stages
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, make_supplier

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


def as_left_by_the_previous_version(request) -> None:
	for doctype in ("Sales Invoice", "Delivery Note", "Journal Entry", "Quality Inspection"):
		frappe.db.sql(
			f"update `tab{doctype}` set `{POSTING_KEY}` = null where `{RETURN_REQUEST_LINK}` = %s",
			request.name,
		)
	frappe.db.set_value("Return Request", request.name, "stage", None, update_modified=False)
	frappe.db.sql(
		f"update `tabWorkflow Document State` set `{STAGE_FIELD}` = null where parent = %s",
		RETURN_REQUEST_WORKFLOW,
	)
	frappe.clear_document_cache("Workflow", RETURN_REQUEST_WORKFLOW)


class TestUpgradedCases(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		self.addCleanup(frappe.clear_document_cache, "Workflow", RETURN_REQUEST_WORKFLOW)

	def test_a_case_with_goods_in_goes_on_to_refund_and_cancel_after_the_upgrade(self):
		request = receive_all(
			approve_quality_return(
				open_request(sell(qty=1), shipping_cost=10, carrier=make_supplier(CARRIER).name)
			)
		)
		[credit_note] = postings(request, "Goods In")
		[freight] = postings(request, "Freight")
		as_left_by_the_previous_version(request)
		self.assertEqual(postings(request, "Goods In"), [])

		set_missing_stages()
		carry_posting_keys()
		set_case_stages()

		request.reload()
		self.assertEqual(request.stage, "Goods Received")
		self.assertEqual(postings(request, "Goods In"), [credit_note])
		self.assertEqual(postings(request, "Freight"), [freight])
		self.assertEqual(
			frappe.db.get_value(
				"Workflow Document State",
				{"parent": RETURN_REQUEST_WORKFLOW, "state": "Goods Received"},
				STAGE_FIELD,
			),
			"Goods Received",
		)

		# The refund credits nothing twice: the credit note made before the upgrade is found again.
		request = act(request, "Refund")
		self.assertEqual(postings(request, "Goods In"), [credit_note])
		self.assertEqual(postings(request, "Credit Note"), [])
		[payment] = postings(request, "Refund")
		credited = -flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total"))
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), credited)
		self.assertEqual(
			flt(frappe.db.get_value("Return Request", request.name, "refunded_amount")), credited
		)
		request = act(request, "Close")
		self.assertEqual((request.status, request.stage), ("Closed", "Closed"))

		cancel_as_manager(request)
		for doctype, name in (
			("Sales Invoice", credit_note),
			("Journal Entry", freight),
			("Payment Entry", payment),
		):
			self.assertEqual(frappe.db.get_value(doctype, name, "docstatus"), 2, name)
		self.assert_books_reconcile()

	def test_a_case_in_review_is_walked_to_the_end_after_the_upgrade(self):
		request = act(open_request(sell(qty=1)), "Submit")
		as_left_by_the_previous_version(request)
		set_missing_stages()
		set_case_stages()
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "stage"), "Review")

		request = act(receive_all(approve_quality_return_from_review(request)), "Refund")
		self.assertEqual(len(postings(request, "Goods In")), 1)
		self.assertEqual(len(postings(request, "Refund")), 1)


def approve_quality_return_from_review(request):
	request = act(request, "Send to Quality Inspection")
	receive_for_testing(request)
	edit_lines(request, inspection_result="Defect Found", inspection_notes="Battery swells")
	return act(request, "Approve")
