# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""What each role must not do to a return request, and a workflow an admin has changed.

Every step is taken by the user whose job it is; the forgeries are what such a user could send
from the desk or over the REST API (`frappe.client.save` is what a PUT runs)."""

import frappe
import frappe.client
from frappe.custom.doctype.property_setter.property_setter import make_property_setter
from frappe.model.workflow import apply_workflow
from frappe.utils import flt

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	as_role,
	cancel_as_manager,
	edit_lines,
	open_request,
	postings,
	receive_all,
	receive_for_testing,
	receive_payment,
	sell,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request import ReturnStepError
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.setup.custom_fields import STAGE_FIELD
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	QUALITY_INSPECTOR,
	SALES_APPROVER,
	WAREHOUSE,
)
from aftersales_module.setup.workflow import ACCOUNTS_USER, RETURN_REQUEST_WORKFLOW
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	make_customer,
	make_delivery_flow,
	make_sales_invoice,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

OTHER_CUSTOMER = "_Test Aftersales Unrelated Customer"


def save_over_api(request, role: str, update_case=None, update_line=None):
	"""What a PUT of the whole case does: the client's copy, changed, saved as that role's user."""
	with acting_as(role):
		data = frappe.get_doc("Return Request", request.name).as_dict()
		data.update(update_case or {})
		for line in data["items"]:
			line.update(update_line or {})
		return frappe.client.save(data)


class TestForgedServerState(ReturnFlowTestCase):
	def test_a_planted_posting_row_is_ignored_and_the_unrelated_payment_survives(self):
		make_customer(OTHER_CUSTOMER)
		other_sale = make_sales_invoice([("_Test Aftersales Flow Phone", 1, PRICE)], customer=OTHER_CUSTOMER)
		unrelated = receive_payment(other_sale.name)

		request = act(open_request(sell(qty=1, paid=False)), "Submit")
		planted = {
			"purpose": "Refund",
			"voucher_type": "Payment Entry",
			"voucher_no": unrelated.name,
			"against": other_sale.name,
			"amount": PRICE,
		}
		with acting_as(CUSTOMER_SERVICE):
			data = frappe.get_doc("Return Request", request.name).as_dict()
			data["postings"] = [planted]
			frappe.client.save(data)
			request.reload()
			request.append("postings", planted)
			request.save()
		request.reload()
		self.assertEqual(request.postings, [])

		# Nothing the case posted: customer service may cancel it, and the payment is not touched.
		as_role(CUSTOMER_SERVICE, request.cancel)
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Payment Entry", unrelated.name, "docstatus"), 1)

	def test_a_back_link_typed_on_a_document_is_refused(self):
		request = act(open_request(sell(qty=1, paid=False)), "Submit")
		make_customer(OTHER_CUSTOMER)
		other_sale = make_sales_invoice([("_Test Aftersales Flow Phone", 1, PRICE)], customer=OTHER_CUSTOMER)
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		payment = get_payment_entry("Sales Invoice", other_sale.name)
		payment.reference_no = other_sale.name
		payment.reference_date = other_sale.posting_date
		payment.aftersales_return_request = request.name
		self.assertRaises(frappe.PermissionError, payment.insert, ignore_permissions=True)

	def test_server_owned_quantities_and_approvals_are_reset(self):
		request = approve_quality_return(open_request(sell(qty=2)))
		line = request.items[0].name
		save_over_api(
			request,
			WAREHOUSE,
			update_line={"accepted_qty": 5, "held_qty": 0, "credit_note": "SINV-FORGED"},
		)
		save_over_api(
			request,
			CUSTOMER_SERVICE,
			update_case={
				"discrepancy_resolved": 1,
				"scrap_approved_by": "Administrator",
				"refunded_amount": 999,
				"credited_amount": 999,
			},
		)
		stored = frappe.db.get_value(
			"Return Request Item", line, ["accepted_qty", "held_qty", "credit_note"], as_dict=True
		)
		self.assertEqual((flt(stored.accepted_qty), flt(stored.held_qty), stored.credit_note), (0, 2, None))
		case = frappe.db.get_value(
			"Return Request",
			request.name,
			["discrepancy_resolved", "scrap_approved_by", "refunded_amount", "credited_amount"],
			as_dict=True,
		)
		self.assertEqual(
			(case.discrepancy_resolved, case.scrap_approved_by, case.refunded_amount, case.credited_amount),
			(0, None, 0, 0),
		)

		# The goods still come in as received, and the credit is the real one.
		request = receive_all(request)
		[credit_note] = postings(request, "Goods In")
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), -2 * PRICE)

	def test_customer_service_cannot_reroute_a_quality_return_past_the_inspector(self):
		request = act(open_request(sell(qty=1)), "Submit")
		save_over_api(request, CUSTOMER_SERVICE, update_case={"review_stage": "Sales Approval"})
		self.assertEqual(
			frappe.db.get_value("Return Request", request.name, "review_stage"), "Quality Inspection"
		)
		with acting_as(CUSTOMER_SERVICE):
			self.assertRaises(
				frappe.ValidationError, apply_workflow, request.as_dict(), "Send to Sales Approval"
			)

	def test_the_invoice_lines_hold_is_the_requests_alone(self):
		invoice = sell(qty=2)
		act(open_request(invoice), "Submit")
		line = invoice.items[0].name
		with acting_as(ACCOUNTS_USER):
			data = frappe.get_doc("Sales Invoice", invoice.name).as_dict()
			data["items"][0]["aftersales_requested_qty"] = 0
			frappe.client.save(data)
			frappe.client.set_value("Sales Invoice Item", line, "aftersales_requested_qty", 999)
		self.assertEqual(frappe.db.get_value("Sales Invoice Item", line, "aftersales_requested_qty"), 2)

	def test_a_new_invoice_holds_nothing_whatever_it_is_sent_with(self):
		invoice = make_sales_invoice([(PHONE, 2, PRICE)], do_not_save=True)
		invoice.items[0].aftersales_requested_qty = 3
		with acting_as(ACCOUNTS_USER):
			invoice.insert()
			invoice.items[0].aftersales_requested_qty = -3
			invoice.submit()
		self.assertEqual(
			frappe.db.get_value("Sales Invoice Item", invoice.items[0].name, "aftersales_requested_qty"), 0
		)

	def test_the_invoice_picker_lists_one_customers_sales_to_customer_service_only(self):
		from aftersales_module.actions.return_request import search_invoices

		invoice = sell(qty=1)
		make_customer(OTHER_CUSTOMER)
		theirs = make_sales_invoice([(PHONE, 1, PRICE)], customer=OTHER_CUSTOMER)
		args = ("Sales Invoice", "", "name", 0, 50)
		with acting_as(QUALITY_INSPECTOR):
			self.assertRaises(frappe.PermissionError, search_invoices, *args, {"customer": invoice.customer})
		with acting_as(CUSTOMER_SERVICE):
			self.assertEqual(search_invoices(*args, {}), [])
			listed = {row[0] for row in search_invoices(*args, {"customer": invoice.customer})}
		self.assertIn(invoice.name, listed)
		self.assertNotIn(theirs.name, listed)

	def test_links_to_a_claim_or_ticket_are_the_servers(self):
		request = open_request(sell(qty=1))
		save_over_api(
			request, CUSTOMER_SERVICE, update_case={"compensation_claim": "CLM-X", "inquiry_ticket": "INQ-X"}
		)
		self.assertEqual(
			frappe.db.get_value("Return Request", request.name, ["compensation_claim", "inquiry_ticket"]),
			(None, None),
		)


class TestEachRoleItsOwnStep(ReturnFlowTestCase):
	def test_a_role_cannot_fill_in_another_roles_step(self):
		request = act(open_request(sell(qty=1, paid=False)), "Submit")
		request = act(request, "Send to Quality Inspection")
		with self.assertRaises(StepPermissionError):
			save_over_api(request, QUALITY_INSPECTOR, update_case={"depreciation_percent": 50})
		with self.assertRaises(StepPermissionError):
			save_over_api(request, WAREHOUSE, update_line={"inspection_result": "Defect Found"})
		with self.assertRaises(StepPermissionError):
			save_over_api(request, CUSTOMER_SERVICE, update_line={"inspection_result": "Defect Found"})
		receive_for_testing(request)
		edit_lines(request, inspection_result="Defect Found")
		request = act(request, "Approve")

		with self.assertRaises(StepPermissionError):
			save_over_api(request, CUSTOMER_SERVICE, update_line={"received_qty": 0})
		with self.assertRaises(StepPermissionError):
			save_over_api(request, SALES_APPROVER, update_case={"handling_fee": 5})

	def test_actions_belong_to_their_roles(self):
		request = receive_all(approve_quality_return(open_request(sell(qty=1))))
		edit_lines(request, disposition="Restock", restock_warehouse=self.stores)
		for role in (CUSTOMER_SERVICE, QUALITY_INSPECTOR, ACCOUNTS_USER):
			self.assertRaises(frappe.PermissionError, as_role, role, request.apply_dispositions)
		self.assertRaises(frappe.PermissionError, as_role, WAREHOUSE, request.approve_scrap)
		self.assertEqual(postings(request, "Disposition"), [])
		as_role(WAREHOUSE, request.apply_dispositions)
		self.assertEqual(len(postings(request, "Disposition")), 1)

	def test_customer_service_cannot_cancel_a_refunded_case_but_a_manager_can(self):
		request = act(receive_all(approve_quality_return(open_request(sell(qty=1)))), "Refund")
		[credit_note] = postings(request, "Goods In")
		[payment] = postings(request, "Refund")
		# Made by the app for the people who did the steps, who stay the owners.
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "owner"), "as-accounts@example.com")
		self.assertEqual(
			frappe.db.get_value("Sales Invoice", credit_note, "owner"), "as-warehouse@example.com"
		)
		[inspection] = postings(request, "Quality Inspection")
		self.assertEqual(
			frappe.db.get_value("Quality Inspection", inspection, ["inspected_by", "owner"]),
			("as-inspector@example.com", "as-inspector@example.com"),
		)

		with self.assertRaises(frappe.PermissionError) as refused:
			as_role(CUSTOMER_SERVICE, request.cancel)
		self.assertIn(credit_note, str(refused.exception))
		self.assertIn(payment, str(refused.exception))
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note, "docstatus"), 1)
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 1)

		cancel_as_manager(request)
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note, "docstatus"), 2)


class TestChangedWorkflow(ReturnFlowTestCase):
	"""An admin renames Goods Received, adds a state in the Approved stage, and a shortcut."""

	RENAMED = "收貨驗收"
	ADDED = "Awaiting Pickup"

	def setUp(self):
		super().setUp()
		self.addCleanup(self.clear_workflow_cache)
		make_property_setter(
			"Return Request",
			"status",
			"options",
			"\n".join(
				[
					*frappe.get_meta("Return Request").get_field("status").options.split("\n"),
					self.RENAMED,
					self.ADDED,
				]
			),
			"Text",
			validate_fields_for_doctype=False,
		)
		workflow = frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW)
		for action in ("Schedule Pickup", "Skip to Refund"):
			if not frappe.db.exists("Workflow Action Master", action):
				frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert()
		for state in (self.RENAMED, self.ADDED):
			if not frappe.db.exists("Workflow State", state):
				frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": state}).insert()
		for row in workflow.states:
			if row.state == "Goods Received":
				row.state = self.RENAMED
		workflow.append(
			"states",
			{"state": self.ADDED, "doc_status": "1", "allow_edit": WAREHOUSE, STAGE_FIELD: "Approved"},
		)
		for row in workflow.transitions:
			if row.state == "Approved" and row.action == "Receive Goods":
				row.state = self.ADDED
			if row.next_state == "Goods Received":
				row.next_state = self.RENAMED
			if row.state == "Goods Received":
				row.state = self.RENAMED
		workflow.append(
			"transitions",
			{
				"state": "Approved",
				"action": "Schedule Pickup",
				"next_state": self.ADDED,
				"allowed": WAREHOUSE,
				"allow_self_approval": 1,
			},
		)
		workflow.append(
			"transitions",
			{
				"state": "Customer Service Review",
				"action": "Skip to Refund",
				"next_state": "Refunded",
				"allowed": CUSTOMER_SERVICE,
				"allow_self_approval": 1,
			},
		)
		workflow.save()
		self.clear_workflow_cache()

	def clear_workflow_cache(self):
		frappe.clear_cache(doctype="Return Request")
		frappe.clear_document_cache("Workflow", RETURN_REQUEST_WORKFLOW)

	def test_renamed_and_added_states_post_the_same_documents(self):
		request = approve_quality_return(open_request(sell(qty=1)))
		request = act(request, "Schedule Pickup")
		self.assertEqual((request.status, request.stage), (self.ADDED, "Approved"))
		request = receive_all(request)
		self.assertEqual((request.status, request.stage), (self.RENAMED, "Goods Received"))
		[credit_note] = postings(request, "Goods In")
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), -PRICE)

		request = act(request, "Refund")
		[payment] = postings(request, "Refund")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), PRICE)
		request.reload()
		self.assertEqual((request.credited_amount, request.refunded_amount), (PRICE, PRICE))
		self.assert_books_reconcile()

	def test_a_shortcut_that_skips_the_required_steps_is_refused(self):
		request = act(open_request(sell(qty=1)), "Submit")
		with self.assertRaises(ReturnStepError) as refused:
			act(request, "Skip to Refund")
		self.assertIn("skipped", str(refused.exception))
		self.assertEqual(
			frappe.db.get_value("Return Request", request.name, "status"), "Customer Service Review"
		)
		self.assertEqual(postings(request), [])

	def test_without_the_workflow_the_status_cannot_be_edited(self):
		request = act(open_request(sell(qty=1)), "Submit")
		frappe.db.set_value("Workflow", RETURN_REQUEST_WORKFLOW, "is_active", 0)
		self.clear_workflow_cache()
		with self.assertRaises(frappe.ValidationError):
			save_over_api(request, CUSTOMER_SERVICE, update_case={"status": "Refunded"})
		with self.assertRaises(frappe.ValidationError):
			save_over_api(request, AFTERSALES_MANAGER, update_case={"status": "Refunded"})
		self.assertEqual(
			frappe.db.get_value("Return Request", request.name, "status"), "Customer Service Review"
		)
		self.assertEqual(postings(request), [])

	def test_a_state_without_a_stage_is_named_in_the_refusal(self):
		workflow = frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW)
		for row in workflow.states:
			if row.state == self.ADDED:
				row.set(STAGE_FIELD, None)
		workflow.save()
		self.clear_workflow_cache()
		request = approve_quality_return(open_request(sell(qty=1)))
		with self.assertRaises(frappe.ValidationError) as refused:
			act(request, "Schedule Pickup")
		self.assertIn(self.ADDED, str(refused.exception))
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "status"), "Approved")


class TestWholeCancel(ReturnFlowTestCase):
	def test_a_cancel_that_fails_half_way_leaves_every_posting_as_it_was(self):
		request = act(receive_all(approve_quality_return(open_request(sell(qty=1)))), "Refund")
		[credit_note] = postings(request, "Goods In")
		[payment] = postings(request, "Refund")
		# The returned unit has left the return warehouse since: its credit note cannot be cancelled.
		make_stock_issue(PHONE, 1, self.settings.return_warehouse)

		with self.assertRaises(frappe.ValidationError):
			cancel_as_manager(request)
		# What a script that catches the error and commits would keep: nothing half cancelled.
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 1)
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note, "docstatus"), 1)
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "docstatus"), 1)


def make_stock_issue(item_code: str, qty: float, warehouse: str):
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Issue",
			"company": TEST_COMPANY,
			"items": [{"item_code": item_code, "qty": qty, "s_warehouse": warehouse, "conversion_factor": 1}],
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry


class TestManualDeliveryReturn(ReturnFlowTestCase):
	def test_a_hand_made_delivery_return_cannot_take_what_a_request_holds(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		_order, delivery_note, invoice = make_delivery_flow([(PHONE, 2, PRICE)])
		act(open_request(invoice), "Submit")
		with acting_as(WAREHOUSE):
			delivery_return = make_return_doc("Delivery Note", delivery_note.name)
			with self.assertRaises(frappe.ValidationError) as refused:
				delivery_return.insert()
		self.assertIn("held by return request", str(refused.exception))
