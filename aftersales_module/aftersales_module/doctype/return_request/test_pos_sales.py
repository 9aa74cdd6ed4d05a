# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Sales made at the point of sale reach a case as the consolidated Sales Invoice of a POS closing.
ERPNext credits them only by its own POS return; a case says so instead of failing at the refund,
counts what the till took back, and may still exchange or repair the goods."""

import frappe
from frappe.utils import add_days, flt, get_datetime, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	open_request,
	postings,
	receive_all,
)
from aftersales_module.controllers.sales_history import get_returned_qty
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	company_value,
	make_item,
	make_stock,
)

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

ITEM = "_Test Aftersales Till Phone"
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


def sell_at_till(qty: int):
	invoice = frappe.get_doc(
		{
			"doctype": "POS Invoice",
			"company": TEST_COMPANY,
			"customer": TEST_CUSTOMER,
			"pos_profile": PROFILE,
			"is_pos": 1,
			"update_stock": 1,
			"posting_date": nowdate(),
			"items": [{"item_code": ITEM, "qty": qty, "rate": PRICE, "conversion_factor": 1, "uom": "Nos"}],
			"payments": [{"mode_of_payment": "Cash", "amount": qty * PRICE, "default": 1}],
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

	def test_a_pos_sale_is_not_credited_by_a_return_request_but_by_the_pos_return(self):
		_pos_invoice, invoice = consolidated_sale()
		self.assertTrue(invoice.is_consolidated)
		for request_type in ("Return and Refund", "Refund Only"):
			with self.assertRaisesRegex(frappe.ValidationError, "POS return"):
				open_request(invoice, request_type=request_type)

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
