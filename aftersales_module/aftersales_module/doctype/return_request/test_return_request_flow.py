# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Return requests walked through the workflow on a real company: the stock ledger, the general
ledger, outstanding amounts and links are asserted at each posting step and after cancelling."""

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.utils import add_days, flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	CARRIER,
	COST,
	EXCHANGE_IMEI,
	IMEIS,
	OTHER_PHONE,
	PHONE,
	PRICE,
	SERIAL_PHONE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	as_role,
	back_linked,
	cancel_as_manager,
	edit_lines,
	gl_balance,
	make_item_price,
	open_request,
	postings,
	receive_all,
	receive_for_testing,
	receive_payment,
	restock_all,
	save_as,
	sell,
	stock_moves,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request import ReturnStepError
from aftersales_module.controllers import return_credit, return_postings
from aftersales_module.controllers.postings import PostingCancelError
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, QUALITY_INSPECTOR, WAREHOUSE
from aftersales_module.setup.workflow import ACCOUNTS_USER
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	company_value,
	make_delivery_flow,
	make_item,
	make_sales_invoice,
	make_sales_order,
	make_serial_item,
	make_stock,
	make_supplier,
	stock_balance,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


class TestReturnAndRefund(ReturnFlowTestCase):
	def test_stock_invoice_return_posts_credit_note_into_return_warehouse_and_refunds(self):
		invoice = sell(qty=2)
		stock_before = stock_balance(PHONE, self.stores)
		request = open_request(
			invoice, shipping_cost=20, shipping_payer="Split Half-Half", carrier=make_supplier(CARRIER).name
		)
		self.assertEqual(request.review_stage, "Quality Inspection")

		request = approve_quality_return(request)
		inspections = postings(request, "Quality Inspection")
		self.assertEqual(len(inspections), 1)
		self.assertEqual(
			frappe.db.get_value(
				"Quality Inspection", inspections[0], ["status", "reference_name", "docstatus"]
			),
			("Rejected", request.name, 1),
		)

		request = receive_all(request)
		self.assertEqual(request.status, "Goods Received")
		[credit_note] = postings(request, "Goods In", "Sales Invoice")
		note = frappe.get_doc("Sales Invoice", credit_note)
		self.assertEqual((note.is_return, note.return_against, note.update_stock), (1, invoice.name, 1))
		self.assertEqual(note.aftersales_return_request, request.name)
		self.assertEqual(request.items[0].credit_note, credit_note)

		# Goods come back into the return warehouse at the cost they left with.
		self.assertEqual(stock_moves(credit_note), ((self.settings.return_warehouse, 2.0, 2.0 * COST),))
		self.assertEqual(stock_balance(PHONE, self.stores), stock_before)
		self.assertEqual(
			gl_balance([credit_note]),
			{
				# The customer's shipping share is a discount on the credit: less of the sale is reversed.
				self.income: 2 * PRICE - 10,
				self.receivable: -(2 * PRICE - 10),
				frappe.db.get_value("Warehouse", self.settings.return_warehouse, "account")
				or self.stock_account: 2 * COST,
				self.cogs: -2 * COST,
			},
		)
		[freight] = postings(request, "Freight")
		self.assertEqual(
			gl_balance([freight]),
			{self.settings.return_shipping_account: 20, company_value("default_payable_account"): -20},
		)
		# Owed to the carrier itself, so paying the carrier's bill settles it.
		self.assertEqual(
			frappe.db.sql(
				"""select party_type, party, sum(credit - debit) from `tabGL Entry`
				where voucher_no = %s and party is not null group by party_type, party""",
				freight,
			),
			(("Supplier", CARRIER, 20.0),),
		)
		self.assertEqual(
			frappe.db.get_value("Sales Invoice Item", invoice.items[0].name, "aftersales_requested_qty"), 0
		)

		request = act(request, "Refund")
		[payment] = postings(request, "Refund")
		pay = frappe.get_doc("Payment Entry", payment)
		self.assertEqual((pay.payment_type, pay.party, pay.paid_amount), ("Pay", invoice.customer, 990))
		self.assertEqual(pay.references[0].reference_name, credit_note)
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", credit_note, "outstanding_amount")), 0)
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", invoice.name, "outstanding_amount")), 0)
		self.assertEqual((request.credited_amount, request.refunded_amount), (990, 990))

		request = act(request, "Close")
		self.assertEqual(request.status, "Closed")
		self.assert_books_reconcile()

		posted = back_linked(request.name)
		self.assertEqual(
			posted,
			{("Sales Invoice", credit_note), ("Journal Entry", freight), ("Payment Entry", payment)}
			| tested_unit(request),
		)
		cancel_as_manager(request)
		self.assert_all_cancelled(posted | {("Quality Inspection", inspections[0])})
		self.assertEqual(gl_balance([credit_note, freight, payment]), {})
		self.assertEqual(stock_balance(PHONE, self.settings.return_warehouse), 0)
		self.assertEqual(stock_balance(PHONE, self.stores), stock_before)
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", invoice.name, "outstanding_amount")), 0)
		self.assert_books_reconcile()

	def test_delivery_note_sale_returns_by_delivery_return_with_deductions_and_dispositions(self):
		_order, delivery_note, invoice = make_delivery_flow([(PHONE, 2, PRICE)], posting_date=nowdate())
		request = open_request(invoice, reason="Personal Reason (7-day No Reason)")
		self.assertEqual(request.review_stage, "Sales Approval")
		request = act(request, "Submit")
		request = act(request, "Send to Sales Approval")
		save_as(request, depreciation_percent=10, handling_fee=15)
		self.assertEqual((request.total_deductions, request.refund_amount), (115, 885))
		request = act(request, "Approve")
		request = receive_all(request)

		[delivery_return] = postings(request, "Goods In", "Delivery Note")
		self.assertEqual(
			frappe.db.get_value("Delivery Note", delivery_return, "return_against"), delivery_note.name
		)
		self.assertEqual(stock_moves(delivery_return), ((self.settings.return_warehouse, 2.0, 2.0 * COST),))
		self.assertEqual(postings(request, "Credit Note"), [])

		# The invoice was never paid: the credit lowers what the customer owes, no cash goes out.
		request = act(request, "Refund")
		[credit_note] = postings(request, "Credit Note")
		note = frappe.get_doc("Sales Invoice", credit_note)
		self.assertEqual((note.update_stock, note.update_outstanding_for_self), (0, 0))
		self.assertEqual(
			gl_balance([credit_note]),
			{self.income: 885, self.receivable: -885},
		)
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", invoice.name, "outstanding_amount")), 115)
		self.assertEqual(postings(request, "Refund"), [])

		edit_lines(request, disposition="Scrap")
		self.assertRaises(frappe.ValidationError, as_role, WAREHOUSE, request.apply_dispositions)
		as_role(AFTERSALES_MANAGER, request.approve_scrap)
		restock_all(request, self.stores)
		[transfer] = postings(request, "Disposition")
		self.assertEqual(
			set(stock_moves(transfer)),
			{(self.settings.return_warehouse, -2.0, -2.0 * COST), (self.stores, 2.0, 2.0 * COST)},
		)
		as_role(WAREHOUSE, request.apply_dispositions)
		self.assertEqual(postings(request, "Disposition"), [transfer])
		self.assert_books_reconcile()

		cancel_as_manager(request)
		self.assert_all_cancelled(
			{("Stock Entry", transfer), ("Sales Invoice", credit_note), ("Delivery Note", delivery_return)}
		)
		self.assertEqual(stock_balance(PHONE, self.settings.return_warehouse), 0)
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", invoice.name, "outstanding_amount")), 1000)
		self.assertEqual(gl_balance([credit_note, delivery_return, transfer]), {})
		self.assert_books_reconcile()

	def test_scrap_is_a_material_issue_to_the_scrap_account_after_manager_approval(self):
		request = approve_quality_return(open_request(sell(qty=1)))
		request = receive_all(request)
		edit_lines(request, disposition="Scrap")
		with self.assertRaises(frappe.ValidationError):
			as_role(WAREHOUSE, request.apply_dispositions)
		self.assertEqual(postings(request, "Disposition"), [])

		as_role(AFTERSALES_MANAGER, request.approve_scrap)
		as_role(WAREHOUSE, request.apply_dispositions)
		[issue] = postings(request, "Disposition")
		self.assertEqual(stock_moves(issue), ((self.settings.return_warehouse, -1.0, -1.0 * COST),))
		return_account = (
			frappe.db.get_value("Warehouse", self.settings.return_warehouse, "account") or self.stock_account
		)
		self.assertEqual(
			gl_balance([issue]), {self.settings.scrap_expense_account: COST, return_account: -COST}
		)
		self.assert_books_reconcile()

	def test_discrepancy_blocks_the_refund_until_customer_service_resolves_it(self):
		request = approve_quality_return(open_request(sell(qty=2)))
		with acting_as(WAREHOUSE):
			request.reload()
			request.items[0].received_qty = 1
			request.items[0].received_condition = "Good"
			request.save()
		request = act(request, "Receive Goods")
		self.assertTrue(request.has_discrepancy)
		self.assertIn("only 1 received", request.discrepancy_summary)
		self.assertEqual(postings(request, "Goods In"), [])
		self.assertRaises(ReturnStepError, act, request, "Refund")

		as_role(
			CUSTOMER_SERVICE, request.resolve_discrepancy, "Customer confirmed only one unit was sent back"
		)
		[credit_note] = postings(request, "Goods In")
		self.assertEqual(stock_moves(credit_note), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		request = act(request, "Refund")
		[payment] = postings(request, "Refund")
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "paid_amount"), PRICE)

	def test_a_repeated_posting_makes_nothing_new_and_postings_cancel_only_through_the_case(self):
		request = receive_all(
			approve_quality_return(
				open_request(sell(qty=1), shipping_cost=10, carrier=make_supplier(CARRIER).name)
			)
		)
		request = act(request, "Refund")
		before = back_linked(request.name)

		request.reload()
		return_postings.post_goods_in(request)
		return_credit.make_credit_notes(request)
		return_postings.make_freight_entry(request)
		return_credit.make_refund_payments(request)
		self.assertEqual(back_linked(request.name), before)

		[credit_note] = postings(request, "Goods In")
		[payment] = postings(request, "Refund")
		with self.assertRaises(PostingCancelError), acting_as(ACCOUNTS_USER):
			frappe.get_doc("Payment Entry", payment).cancel()
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "docstatus"), 1)
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note, "docstatus"), 1)

	def test_return_shipping_needs_the_carrier_it_is_owed_to(self):
		request = approve_quality_return(open_request(sell(qty=1), shipping_cost=10))
		with self.assertRaises(ReturnStepError) as refused:
			receive_all(request)
		self.assertIn("Return Carrier", str(refused.exception))
		save_as(request, WAREHOUSE, carrier=make_supplier(CARRIER).name)
		request = act(request, "Receive Goods")
		self.assertEqual(len(postings(request, "Freight")), 1)

	def test_cash_refund_at_the_store_needs_the_signed_receipt(self):
		request = receive_all(approve_quality_return(open_request(sell(qty=1))))
		save_as(request, ACCOUNTS_USER, refund_method="Cash at Store")
		self.assertRaises(ReturnStepError, act, request, "Refund")
		save_as(request, ACCOUNTS_USER, receipt_signed=1)
		request = act(request, "Refund")
		[payment] = postings(request, "Refund")
		self.assertEqual(
			frappe.db.get_value("Payment Entry", payment, "paid_from"), company_value("default_cash_account")
		)


class TestSerialisedReturn(ReturnFlowTestCase):
	def test_one_serial_of_two_comes_back_into_the_return_warehouse(self):
		make_serial_item(SERIAL_PHONE, item_group="Mobile Phones")
		make_stock(SERIAL_PHONE, qty=3, rate=COST, posting_date=add_days(nowdate(), -30), serial_nos=IMEIS)
		invoice = make_sales_invoice(
			[
				{
					"item_code": SERIAL_PHONE,
					"qty": 2,
					"rate": PRICE,
					"serial_no": "\n".join(IMEIS[:2]),
					"use_serial_batch_fields": 1,
				}
			]
		)

		with acting_as(CUSTOMER_SERVICE):
			request = frappe.get_doc(
				{
					"doctype": "Return Request",
					"company": TEST_COMPANY,
					"customer": invoice.customer,
					"request_type": "Return and Refund",
					"reason_category": "Quality Problem",
					"sales_invoice": invoice.name,
				}
			)
			request.get_items()
			self.assertEqual(sorted(request.items[0].serial_no.split("\n")), IMEIS[:2])
			request.items[0].qty = 1
			request.items[0].serial_no = IMEIS[2]
			self.assertRaises(frappe.ValidationError, request.insert)
			request.items[0].serial_no = IMEIS[1]
			request.insert()

		request = receive_all(approve_quality_return(request))
		[credit_note] = postings(request, "Goods In")
		self.assertEqual(stock_moves(credit_note), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		self.assertEqual(
			frappe.db.get_value("Serial No", IMEIS[1], "warehouse"), self.settings.return_warehouse
		)
		self.assertIsNone(frappe.db.get_value("Serial No", IMEIS[0], "warehouse"))
		self.assert_books_reconcile()


class TestExchangeAndRepair(ReturnFlowTestCase):
	def test_same_item_exchange_moves_the_unit_through_consignment_at_quantity_only(self):
		make_serial_item(SERIAL_PHONE, item_group="Mobile Phones")
		make_stock(
			SERIAL_PHONE, qty=1, rate=COST, posting_date=add_days(nowdate(), -30), serial_nos=[EXCHANGE_IMEI]
		)
		invoice = make_sales_invoice(
			[
				{
					"item_code": SERIAL_PHONE,
					"qty": 1,
					"rate": PRICE,
					"serial_no": EXCHANGE_IMEI,
					"use_serial_batch_fields": 1,
				}
			]
		)
		request = approve_quality_return(open_request(invoice, request_type="Exchange Same Item"))
		request = receive_all(request)
		[goods_in] = postings(request, "Goods In", "Stock Entry")
		consignment = self.settings.consignment_repair_warehouse
		self.assertEqual(
			frappe.db.get_value("Stock Entry", goods_in, "stock_entry_type"), "Consignment Repair In"
		)
		self.assertEqual(stock_moves(goods_in), ((consignment, 1.0, 0.0),))
		self.assertEqual(gl_balance([goods_in]), {})
		self.assertEqual(frappe.db.get_value("Serial No", EXCHANGE_IMEI, "warehouse"), consignment)
		self.assertRaises(ReturnStepError, act, request, "Close")

		as_role(WAREHOUSE, request.ship_replacements)
		[shipped] = postings(request, "Replacement")
		self.assertEqual(
			frappe.db.get_value("Stock Entry", shipped, "stock_entry_type"), "Repair Done, Shipped"
		)
		self.assertEqual(stock_moves(shipped), ((consignment, -1.0, 0.0),))
		self.assertEqual(gl_balance([shipped]), {})
		self.assertEqual(postings(request, "Price Difference"), [])
		self.assertRaises(frappe.ValidationError, as_role, WAREHOUSE, request.ship_replacements)
		self.assertEqual(postings(request, "Replacement"), [shipped])
		request = act(request, "Close")
		self.assert_books_reconcile()

		cancel_as_manager(request)
		self.assert_all_cancelled({("Stock Entry", goods_in), ("Stock Entry", shipped)})
		self.assertEqual(stock_balance(SERIAL_PHONE, consignment), 0)

	def test_repair_goes_through_the_repair_virtual_warehouse(self):
		request = approve_quality_return(open_request(sell(qty=1, paid=False), request_type="Repair"))
		request = receive_all(request)
		[goods_in] = postings(request, "Goods In", "Stock Entry")
		virtual = self.settings.repair_virtual_warehouse
		self.assertEqual(stock_moves(goods_in), ((virtual, 1.0, 0.0),))
		as_role(WAREHOUSE, request.ship_replacements)
		[shipped] = postings(request, "Replacement")
		self.assertEqual(stock_moves(shipped), ((virtual, -1.0, 0.0),))
		self.assertEqual(gl_balance([goods_in, shipped]), {})
		self.assertEqual(stock_balance(PHONE, virtual), 0)
		request = act(request, "Close")
		self.assertEqual(request.status, "Closed")
		self.assertEqual(
			back_linked(request.name),
			{("Stock Entry", goods_in), ("Stock Entry", shipped)} | tested_unit(request),
		)
		self.assert_books_reconcile()

		cancel_as_manager(request)
		self.assert_all_cancelled({("Stock Entry", goods_in), ("Stock Entry", shipped)})
		self.assertEqual(stock_balance(PHONE, virtual), 0)
		self.assert_books_reconcile()

	def test_different_item_exchange_is_at_cost_and_invoices_only_the_price_difference(self):
		make_item(OTHER_PHONE, item_group="Mobile Phones")
		make_stock(OTHER_PHONE, qty=5, rate=300, posting_date=add_days(nowdate(), -30))
		invoice = sell(qty=1)
		request = open_request(invoice, request_type="Exchange Different Item")
		request = approve_quality_return(request)
		make_item_price(OTHER_PHONE, 600)
		edit_lines(request, replacement_item=OTHER_PHONE, replacement_warehouse=self.stores)
		request = receive_all(request)

		[goods_in] = postings(request, "Goods In", "Stock Entry")
		return_account = (
			frappe.db.get_value("Warehouse", self.settings.return_warehouse, "account") or self.stock_account
		)
		self.assertEqual(stock_moves(goods_in), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		self.assertEqual(
			gl_balance([goods_in]), {return_account: COST, self.settings.warranty_expense_account: -COST}
		)

		as_role(WAREHOUSE, request.ship_replacements)
		[shipped] = postings(request, "Replacement")
		self.assertEqual(stock_moves(shipped), ((self.stores, -1.0, -300.0),))
		self.assertEqual(
			gl_balance([shipped]), {self.settings.warranty_expense_account: 300, self.stock_account: -300}
		)
		[difference] = postings(request, "Price Difference")
		self.assertEqual(gl_balance([difference]), {self.receivable: 100, self.income: -100})
		request.reload()
		self.assertEqual(request.price_difference, 100)
		# No income or receivable moved except the settled difference.
		self.assertEqual(set(gl_balance([goods_in, shipped])) & {self.income, self.receivable}, set())
		self.assert_books_reconcile()

		restock_all(request, self.stores)
		[restock] = postings(request, "Disposition")
		self.assertEqual(
			set(stock_moves(restock)),
			{(self.settings.return_warehouse, -1.0, -1.0 * COST), (self.stores, 1.0, 1.0 * COST)},
		)

		request = act(request, "Close")
		cancel_as_manager(request)
		self.assert_all_cancelled(
			{
				("Stock Entry", goods_in),
				("Stock Entry", shipped),
				("Sales Invoice", difference),
				("Stock Entry", restock),
			}
		)
		self.assertEqual(gl_balance([goods_in, shipped, difference, restock]), {})
		self.assertEqual(stock_balance(PHONE, self.settings.return_warehouse), 0)
		self.assert_books_reconcile()


class TestRefundOnly(ReturnFlowTestCase):
	def test_unshipped_order_is_closed_and_refunded_without_moving_stock(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice as invoice_order

		order = make_sales_order([(PHONE, 2, PRICE)])
		invoice = invoice_order(order.name)
		invoice.due_date = nowdate()
		invoice.insert(ignore_permissions=True)
		invoice.submit()
		receive_payment(invoice.name)
		stock_before = stock_balance(PHONE, self.stores)

		request = open_request(invoice, reason="Unshipped Order Cancelled", request_type="Refund Only")
		request = act(request, "Submit")
		request = act(request, "Send to Sales Approval")
		request = act(request, "Approve")
		request = act(request, "Refund")

		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "status"), "Closed")
		[credit_note] = postings(request, "Credit Note")
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note, "update_stock"), 0)
		self.assertEqual(stock_moves(credit_note), ())
		self.assertEqual(gl_balance([credit_note]), {self.income: 1000, self.receivable: -1000})
		[payment] = postings(request, "Refund")
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "paid_amount"), 1000)
		self.assertEqual(stock_balance(PHONE, self.stores), stock_before)
		self.assert_books_reconcile()

		cancel_as_manager(request)
		self.assert_all_cancelled({("Sales Invoice", credit_note), ("Payment Entry", payment)})
		self.assertNotEqual(frappe.db.get_value("Sales Order", order.name, "status"), "Closed")
		self.assertEqual(gl_balance([credit_note, payment]), {})

	def test_shipped_goods_cannot_be_refunded_as_unshipped(self):
		invoice = sell(qty=1)
		with self.assertRaises(frappe.ValidationError):
			open_request(invoice, reason="Unshipped Order Cancelled", request_type="Refund Only")


class TestReturnRouting(ReturnFlowTestCase):
	def test_transition_by_the_wrong_role_is_refused(self):
		request = act(open_request(sell(qty=1, paid=False)), "Submit")
		for role in (WAREHOUSE, ACCOUNTS_USER, QUALITY_INSPECTOR):
			with acting_as(role):
				self.assertRaises(
					WorkflowTransitionError, apply_workflow, request.as_dict(), "Send to Quality Inspection"
				)
		self.assertEqual(
			frappe.db.get_value("Return Request", request.name, "status"), "Customer Service Review"
		)
		request = act(request, "Send to Quality Inspection")
		self.assertEqual(request.status, "Quality Inspection")

	def test_rejection_needs_a_reason_and_frees_the_invoice_line(self):
		invoice = sell(qty=1, paid=False)
		request = act(open_request(invoice), "Submit")
		line = invoice.items[0].name
		self.assertEqual(frappe.db.get_value("Sales Invoice Item", line, "aftersales_requested_qty"), 1)
		self.assertRaises(ReturnStepError, act, request, "Reject")

		save_as(request, CUSTOMER_SERVICE, rejection_reason="Photos show a dropped phone")
		request = act(request, "Reject")
		self.assertEqual(request.status, "Rejected")
		self.assertEqual(frappe.db.get_value("Sales Invoice Item", line, "aftersales_requested_qty"), 0)
		cancel_as_manager(request)
		self.assertEqual(frappe.db.get_value("Sales Invoice Item", line, "aftersales_requested_qty"), 0)

	def test_no_defect_found_sends_the_case_back_to_sales_approval(self):
		request = act(open_request(sell(qty=1, paid=False)), "Submit")
		request = act(request, "Send to Quality Inspection")
		receive_for_testing(request)
		edit_lines(request, inspection_result="No Defect Found")
		self.assertRaises(ReturnStepError, act, request, "Approve")
		request = act(request, "No Defect Found")
		self.assertEqual(
			(request.status, request.review_stage), ("Customer Service Review", "Sales Approval")
		)
		request = act(request, "Send to Sales Approval")
		self.assertEqual(request.status, "Sales Approval")
		[inspection] = postings(request, "Quality Inspection")
		self.assertEqual(frappe.db.get_value("Quality Inspection", inspection, "status"), "Accepted")

	def test_manual_credit_note_cannot_take_what_a_request_holds(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		invoice = sell(qty=2, paid=False)
		act(open_request(invoice), "Submit")
		manual = make_return_doc("Sales Invoice", invoice.name)
		manual.items[0].qty = -1
		self.assertRaises(frappe.ValidationError, manual.insert)


def tested_unit(request) -> set[tuple[str, str]]:
	"""The customer's unit received for testing (seed 003), and taken over once the fault was confirmed."""
	return {
		("Stock Entry", name)
		for purpose in ("Test Unit In", "Test Unit Taken Over")
		for name in postings(request, purpose, "Stock Entry")
	}
