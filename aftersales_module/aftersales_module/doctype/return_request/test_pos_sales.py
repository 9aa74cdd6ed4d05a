# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Sales made at the point of sale reach a case as the consolidated Sales Invoice of a POS closing.
ERPNext credits them only by its own POS return: a case takes the goods back and refunds them by one,
at an open POS, counts what the till took back, and may exchange or repair the goods."""

import frappe
from frappe.utils import add_days, flt, get_datetime, nowdate

from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	refund_with_deductions,
	vat_account,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
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
)
from aftersales_module.aftersales_module.doctype.return_request.test_partial_receipt import (
	UNITS,
	receive_second_unit_only,
)
from aftersales_module.aftersales_module.doctype.return_request.test_sales_flow_ledgers import (
	gl_on,
	stock_lines,
	stock_value_gaps,
)
from aftersales_module.controllers.postings import PostingCancelError
from aftersales_module.controllers.sales_history import get_returned_qty
from aftersales_module.setup.roles import WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	company_value,
	make_item,
	make_serial_item,
	make_stock,
)

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

ITEM = "_Test Aftersales Till Phone"
SERIAL_ITEM = "_Test Aftersales Till Serial Phone"
PROFILE = "_Test Aftersales Till"


def make_pos_profile(warehouse: str) -> str:
	cash_account = company_value("default_cash_account")
	cash = frappe.get_doc("Mode of Payment", "Cash")
	if not any(row.company == TEST_COMPANY for row in cash.accounts):
		cash.append("accounts", {"company": TEST_COMPANY, "default_account": cash_account})
		cash.save(ignore_permissions=True)
	if not frappe.db.exists("POS Profile", PROFILE):
		frappe.get_doc(
			{
				"doctype": "POS Profile",
				"name": PROFILE,
				"__newname": PROFILE,
				"company": TEST_COMPANY,
				"currency": company_value("default_currency"),
				"warehouse": warehouse,
				"cost_center": company_value("cost_center"),
				"write_off_account": company_value("write_off_account") or company_value("round_off_account"),
				"write_off_cost_center": company_value("cost_center"),
				"selling_price_list": "Standard Selling",
				"customer": TEST_CUSTOMER,
				"payments": [{"mode_of_payment": "Cash", "default": 1}],
			}
		).insert(ignore_permissions=True)
	return PROFILE


def open_till():
	opening = frappe.get_doc(
		{
			"doctype": "POS Opening Entry",
			"pos_profile": PROFILE,
			"user": frappe.session.user,
			"company": TEST_COMPANY,
			"period_start_date": get_datetime(),
			"balance_details": [{"mode_of_payment": "Cash", "opening_amount": 0}],
		}
	)
	opening.insert(ignore_permissions=True)
	opening.submit()
	return opening


def consolidate(pos_invoices):
	"""What POS closing does with the till's invoices: a merge log consolidates them into a Sales
	Invoice. (The closing entry itself commits, which a test must not.)"""
	merge_log = frappe.new_doc("POS Invoice Merge Log")
	merge_log.posting_date = nowdate()
	merge_log.company = TEST_COMPANY
	merge_log.customer = TEST_CUSTOMER
	merge_log.set(
		"pos_invoices",
		[
			{"pos_invoice": each.name, "posting_date": each.posting_date, "customer": each.customer}
			for each in pos_invoices
		],
	)
	merge_log.save(ignore_permissions=True)
	merge_log.submit()
	return merge_log


def vat_row():
	return {
		"charge_type": "On Net Total",
		"account_head": vat_account(),
		"rate": 13,
		"description": "VAT 13%",
		"cost_center": company_value("cost_center"),
	}


def sell_at_till(qty: int, taxes=(), item_code=ITEM, serial_nos=None):
	invoice = frappe.get_doc(
		{
			"doctype": "POS Invoice",
			"company": TEST_COMPANY,
			"customer": TEST_CUSTOMER,
			"pos_profile": PROFILE,
			"is_pos": 1,
			"update_stock": 1,
			"posting_date": nowdate(),
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"rate": PRICE,
					"conversion_factor": 1,
					"uom": "Nos",
					"serial_no": "\n".join(serial_nos) if serial_nos else None,
					"use_serial_batch_fields": 1 if serial_nos else 0,
				}
			],
			"taxes": list(taxes),
			# Paid in full, the tax on top included.
			"payments": [
				{
					"mode_of_payment": "Cash",
					"amount": qty * PRICE * (1 + sum(tax["rate"] for tax in taxes) / 100),
					"default": 1,
				}
			],
		}
	)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return invoice


def return_one_at_the_till(pos_invoice):
	"""ERPNext's POS return of one unit, paid back in cash."""
	from erpnext.accounts.doctype.pos_invoice.pos_invoice import make_sales_return

	till_return = make_sales_return(pos_invoice.name)
	till_return.items[0].qty = -1
	for idx, payment in enumerate(till_return.payments):
		payment.amount = -PRICE if idx == 0 else 0
	till_return.paid_amount = till_return.base_paid_amount = -PRICE
	return till_return


def close_till(pos_invoices):
	"""POS closing: the closing entry lists the till's invoices, then they are consolidated."""
	opening = frappe.get_last_doc("POS Opening Entry", {"pos_profile": PROFILE, "status": "Open"})
	# The closing is the cashier's who made the invoices: here the case's user at the till.
	opening.db_set("user", pos_invoices[0].owner)
	frappe.get_doc(
		{
			"doctype": "POS Closing Entry",
			"pos_opening_entry": opening.name,
			"pos_profile": PROFILE,
			"company": TEST_COMPANY,
			"user": pos_invoices[0].owner,
			"period_start_date": opening.period_start_date,
			"period_end_date": get_datetime(),
			"posting_date": nowdate(),
			"pos_transactions": [
				{
					"pos_invoice": each.name,
					"posting_date": each.posting_date,
					"customer": each.customer,
					"grand_total": each.grand_total,
				}
				for each in pos_invoices
			],
		}
	).insert(ignore_permissions=True)
	return consolidate(pos_invoices)


def consolidated_sale(qty: int = 2):
	"""A POS sale, closed: the consolidated Sales Invoice the case is opened from."""
	open_till()
	pos_invoice = sell_at_till(qty)
	consolidate([pos_invoice])
	pos_invoice.reload()
	return pos_invoice, frappe.get_doc("Sales Invoice", pos_invoice.consolidated_invoice)


class TestPosSales(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		make_item(ITEM, item_group="Mobile Phones")
		make_stock(ITEM, qty=10, rate=200, posting_date=add_days(nowdate(), -30))
		make_pos_profile(self.stores)

	def refunded_case(self, request_type="Return and Refund"):
		"""A POS sale of 2, consolidated, taken back and refunded by a case walked by its users."""
		pos_invoice, invoice = consolidated_sale()
		request = approve_quality_return(open_request(invoice, request_type=request_type))
		if request_type == "Return and Refund":
			request = receive_all(request)
		return pos_invoice, invoice, act(request, "Refund")

	def assert_pos_return(self, request, pos_invoice, purpose: str, warehouse: str | None):
		[pos_return] = postings(request, purpose, "POS Invoice")
		till_return = frappe.get_doc("POS Invoice", pos_return)
		self.assertEqual((till_return.is_return, till_return.return_against), (1, pos_invoice.name))
		self.assertEqual(till_return.aftersales_return_request, request.name)
		self.assertEqual([flt(item.qty) for item in till_return.items], [-2])
		self.assertEqual(till_return.items[0].pos_invoice_item, pos_invoice.items[0].name)
		if warehouse:
			self.assertEqual(till_return.items[0].warehouse, warehouse)
		# Paid back in cash, as the customer paid, the whole credit.
		self.assertEqual(flt(till_return.grand_total), -2 * PRICE)
		self.assertEqual(
			[(payment.mode_of_payment, flt(payment.amount)) for payment in till_return.payments],
			[("Cash", -2 * PRICE)],
		)
		self.assertEqual([row.pos_return for row in request.items], [pos_return])
		self.assertEqual([flt(row.held_qty) for row in request.items], [0])
		self.assertEqual((request.status, flt(request.credited_amount)), ("Refunded", 2 * PRICE))
		self.assertEqual(flt(request.refunded_amount), 2 * PRICE)
		# The till posts nothing itself: no credit note or refund of the case's own.
		self.assertEqual(
			postings(request, None, "Sales Invoice") + postings(request, None, "Payment Entry"), []
		)
		return till_return

	def test_a_pos_sale_is_returned_and_refunded_by_a_pos_return(self):
		pos_invoice, invoice, request = self.refunded_case()
		returns = self.settings.return_warehouse
		till_return = self.assert_pos_return(request, pos_invoice, "Goods In", returns)

		# At the next POS closing the return becomes a credit note that brings the goods back.
		consolidate([till_return])
		credit_note = frappe.db.get_value("POS Invoice", till_return.name, "consolidated_invoice")
		left = stock_lines([invoice.name], ITEM)
		self.assertEqual([qty for _warehouse, qty, _rate in left], [-2])
		self.assertEqual(stock_lines([credit_note], ITEM), [(returns, 2, left[0][2])])
		self.assertEqual(gl_on([credit_note], self.cogs), -gl_on([invoice.name], self.cogs))
		self.assertEqual(stock_value_gaps([invoice.name, credit_note]), [])
		self.assertEqual(get_returned_qty([invoice.items[0].name])[invoice.items[0].name], 2)
		self.assertEqual(act(request, "Close").status, "Closed")

	def test_goods_back_by_a_pos_return_are_disposed_of_after_the_pos_closing(self):
		_pos_invoice, _invoice, request = self.refunded_case()
		[pos_return] = postings(request, "Goods In", "POS Invoice")
		edit_lines(request, disposition="Restock", restock_warehouse=self.stores)
		with self.assertRaisesRegex(frappe.ValidationError, "POS closing"):
			as_role(WAREHOUSE, request.apply_dispositions)

		consolidate([frappe.get_doc("POS Invoice", pos_return)])
		request.reload()
		as_role(WAREHOUSE, request.apply_dispositions)
		[entry] = postings(request, "Disposition")
		self.assertEqual(
			stock_lines([entry], ITEM),
			sorted([(self.settings.return_warehouse, -2, 200), (self.stores, 2, 200)]),
		)

	def test_a_pos_sale_refunded_without_goods_back(self):
		pos_invoice, invoice, request = self.refunded_case("Refund Only")
		till_return = self.assert_pos_return(request, pos_invoice, "Credit Note", None)
		self.assertEqual(till_return.update_stock, 0)

		consolidate([till_return])
		credit_note = frappe.db.get_value("POS Invoice", till_return.name, "consolidated_invoice")
		self.assertEqual(stock_lines([credit_note], ITEM), [])
		self.assertEqual(gl_on([credit_note], self.cogs), 0)
		self.assertEqual(gl_on([credit_note], self.income), 2 * PRICE)
		self.assertEqual(stock_value_gaps([invoice.name, credit_note]), [])

	def test_the_case_deductions_are_the_pos_return_discount(self):
		_pos_invoice, invoice = consolidated_sale()
		request = refund_with_deductions([invoice], handling_fee=50)
		[pos_return] = postings(request, "Goods In", "POS Invoice")
		till_return = frappe.get_doc("POS Invoice", pos_return)
		credit = 2 * PRICE - 50
		self.assertEqual(flt(till_return.grand_total), -credit)
		self.assertEqual([flt(payment.amount) for payment in till_return.payments], [-credit])
		self.assertEqual((flt(request.credited_amount), flt(request.refunded_amount)), (credit, credit))

		consolidate([till_return])
		credit_note = frappe.db.get_value("POS Invoice", till_return.name, "consolidated_invoice")
		self.assertEqual(gl_on([credit_note], self.income), credit)
		self.assertEqual(gl_on([credit_note], self.cogs), -gl_on([invoice.name], self.cogs))
		self.assertEqual(stock_value_gaps([invoice.name, credit_note]), [])

	def test_of_two_serials_sold_at_the_till_only_the_one_received_comes_back(self):
		make_serial_item(SERIAL_ITEM, item_group="Mobile Phones")
		make_stock(SERIAL_ITEM, qty=2, rate=200, posting_date=add_days(nowdate(), -30), serial_nos=UNITS)
		open_till()
		pos_invoice = sell_at_till(2, item_code=SERIAL_ITEM, serial_nos=UNITS)
		consolidate([pos_invoice])
		invoice = frappe.get_doc(
			"Sales Invoice", frappe.db.get_value("POS Invoice", pos_invoice.name, "consolidated_invoice")
		)
		request = receive_second_unit_only(approve_quality_return(open_request(invoice)))
		[pos_return] = postings(request, "Goods In", "POS Invoice")
		till_return = frappe.get_doc("POS Invoice", pos_return)
		self.assertEqual([flt(item.qty) for item in till_return.items], [-1])
		self.assertEqual(flt(till_return.paid_amount), -PRICE)

		consolidate([till_return])
		returns = self.settings.return_warehouse
		self.assertEqual(frappe.db.get_value("Serial No", UNITS[1], "warehouse"), returns)
		self.assertIsNone(frappe.db.get_value("Serial No", UNITS[0], "warehouse"))

	def test_without_an_open_pos_the_goods_wait_with_a_message(self):
		_pos_invoice, invoice = consolidated_sale()
		request = approve_quality_return(open_request(invoice))
		frappe.db.set_value(
			"POS Opening Entry",
			{"pos_profile": PROFILE, "status": "Open", "docstatus": 1},
			"status",
			"Closed",
		)
		with self.assertRaisesRegex(frappe.ValidationError, "POS Opening Entry"):
			receive_all(request)
		self.assertEqual(postings(request, None, "POS Invoice"), [])

	def test_cancelling_the_case_before_the_closing_cancels_its_pos_return(self):
		_pos_invoice, invoice, request = self.refunded_case()
		[pos_return] = postings(request, "Goods In", "POS Invoice")
		cancel_as_manager(request)
		self.assertEqual(frappe.db.get_value("POS Invoice", pos_return, "docstatus"), 2)
		self.assertEqual(get_returned_qty([invoice.items[0].name])[invoice.items[0].name], 0)

	def test_once_the_pos_closing_took_its_return_the_case_is_not_cancelled(self):
		_pos_invoice, _invoice, request = self.refunded_case()
		[pos_return] = postings(request, "Goods In", "POS Invoice")
		till_return = frappe.get_doc("POS Invoice", pos_return)
		close_till([till_return])
		with self.assertRaisesRegex(PostingCancelError, "POS Closing Entry"):
			cancel_as_manager(request)
		# Nothing of the cancel stays: the case and its POS return stand as they were.
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "docstatus"), 1)
		self.assertEqual(frappe.db.get_value("POS Invoice", pos_return, "docstatus"), 1)

	def test_a_pos_return_of_the_case_is_cancelled_only_through_the_case(self):
		_pos_invoice, _invoice, request = self.refunded_case()
		[pos_return] = postings(request, "Goods In", "POS Invoice")
		with self.assertRaisesRegex(frappe.ValidationError, "was posted by Return Request"):
			frappe.get_doc("POS Invoice", pos_return).cancel()

	def test_goods_of_two_pos_invoices_come_back_by_a_pos_return_each(self):
		open_till()
		first, second = sell_at_till(1), sell_at_till(1)
		consolidate([first, second])
		invoice = frappe.get_doc(
			"Sales Invoice", frappe.db.get_value("POS Invoice", first.name, "consolidated_invoice")
		)
		request = act(receive_all(approve_quality_return(open_request(invoice))), "Refund")
		till_returns = [frappe.get_doc("POS Invoice", name) for name in postings(request, "Goods In")]
		self.assertEqual(
			sorted((each.return_against, flt(each.grand_total)) for each in till_returns),
			sorted([(first.name, -PRICE), (second.name, -PRICE)]),
		)
		self.assertEqual((flt(request.credited_amount), flt(request.refunded_amount)), (2 * PRICE, 2 * PRICE))

	def test_a_taxed_pos_sale_is_refunded_with_its_tax(self):
		# 13 % VAT on top of 500 each: 1130 was paid for 2, and 1130 comes back.
		open_till()
		pos_invoice = sell_at_till(2, taxes=[vat_row()])
		consolidate([pos_invoice])
		invoice = frappe.get_doc(
			"Sales Invoice", frappe.db.get_value("POS Invoice", pos_invoice.name, "consolidated_invoice")
		)
		request = act(receive_all(approve_quality_return(open_request(invoice))), "Refund")
		self.assertEqual((flt(request.credit_tax), flt(request.refund_amount)), (130, 1130))
		[pos_return] = postings(request, "Goods In", "POS Invoice")
		till_return = frappe.get_doc("POS Invoice", pos_return)
		self.assertEqual(
			(flt(till_return.total_taxes_and_charges), flt(till_return.paid_amount)), (-130, -1130)
		)
		self.assertEqual(flt(request.refunded_amount), 1130)

		consolidate([till_return])
		credit_note = frappe.db.get_value("POS Invoice", pos_return, "consolidated_invoice")
		self.assertEqual(gl_on([credit_note], vat_account()), 130)
		self.assertEqual(gl_on([credit_note], self.income), 2 * PRICE)
		self.assertEqual(gl_on([credit_note], self.cogs), -gl_on([invoice.name], self.cogs))

	def test_a_pos_sale_can_be_exchanged(self):
		_pos_invoice, invoice = consolidated_sale()
		request = receive_all(
			approve_quality_return(open_request(invoice, request_type="Exchange Same Item"))
		)
		[goods_in] = postings(request, "Goods In", "Stock Entry")
		self.assertEqual(
			frappe.db.get_value(
				"Stock Ledger Entry", {"voucher_no": goods_in, "is_cancelled": 0}, "sum(actual_qty)"
			),
			2,
		)

	def test_a_till_return_not_yet_consolidated_counts_as_returned(self):
		pos_invoice, invoice = consolidated_sale()
		line = invoice.items[0].name
		till_return = return_one_at_the_till(pos_invoice)
		till_return.insert(ignore_permissions=True)
		till_return.submit()

		self.assertEqual(get_returned_qty([line])[line], 1)
		# Consolidated at the next closing it becomes a credit note against the line: still one.
		consolidate([till_return])
		self.assertTrue(frappe.db.get_value("POS Invoice", till_return.name, "consolidated_invoice"))
		self.assertEqual(get_returned_qty([line])[line], 1)
		request = open_request(invoice, request_type="Exchange Same Item")
		self.assertEqual(flt(request.items[0].qty), 1)
		self.assertEqual(flt(request.items[0].returned_qty), 1)

	def test_a_till_return_of_units_a_case_holds_is_refused(self):
		pos_invoice, invoice = consolidated_sale()
		request = act(open_request(invoice, request_type="Exchange Same Item"), "Submit")
		self.assertEqual(flt(request.items[0].held_qty), 2)
		till_return = return_one_at_the_till(pos_invoice)
		with self.assertRaisesRegex(frappe.ValidationError, "held by return request"):
			till_return.insert(ignore_permissions=True)
