# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Every way ERPNext sells and delivers, walked through a return, an exchange and a refund only by
the users whose job each step is, and read back from the ledgers: the goods come back into the
return warehouse at the valuation they left with, cost of goods sold is reversed exactly, and
ERPNext's Stock and Account Value Comparison finds nothing to report on the vouchers."""

import frappe
from frappe.utils import add_days, flt, nowdate, nowtime

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	as_role,
	edit_lines,
	make_item_price,
	open_request,
	postings,
	receive_all,
	receive_payment,
)
from aftersales_module.setup.roles import WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	make_item,
	make_sales_invoice,
	make_sales_order,
	make_stock,
)

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

ITEM = "_Test Aftersales Ledger Phone"
REPLACEMENT = "_Test Aftersales Ledger Replacement"
QTY = 2
FIRST_COST, SECOND_COST = 180, 260


def submitted(doc, qty=None):
	if qty is not None:
		for item in doc.items:
			item.qty = qty
	doc.posting_date, doc.posting_time = nowdate(), nowtime()
	doc.set_posting_time = 1
	if doc.doctype == "Sales Invoice":
		doc.due_date = nowdate()
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc


# ---- the sales flows: each returns the invoice and the vouchers that took the goods out ----------------


def invoice_with_stock():
	invoice = make_sales_invoice([(ITEM, QTY, PRICE)], update_stock=1)
	return invoice, [invoice.name]


def order_delivered_then_invoiced():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice as invoice_note

	delivery_note = submitted(make_delivery_note(make_sales_order([(ITEM, QTY, PRICE)]).name))
	return submitted(invoice_note(delivery_note.name)), [delivery_note.name]


def order_delivered_and_invoiced_apart():
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note, make_sales_invoice

	order = make_sales_order([(ITEM, QTY, PRICE)])
	delivery_note = submitted(make_delivery_note(order.name))
	return submitted(make_sales_invoice(order.name)), [delivery_note.name]


def invoice_then_delivered():
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_delivery_note

	invoice = make_sales_invoice([(ITEM, QTY, PRICE)], update_stock=0)
	return invoice, [submitted(make_delivery_note(invoice.name)).name]


def order_delivered_in_parts():
	"""One unit on each of two delivery notes, the second after dearer stock came in."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note, make_sales_invoice

	order = make_sales_order([(ITEM, QTY, PRICE)])
	first = submitted(make_delivery_note(order.name), 1)
	make_stock(ITEM, qty=5, rate=SECOND_COST)
	second = submitted(make_delivery_note(order.name), 1)
	return submitted(make_sales_invoice(order.name)), [first.name, second.name]


FLOWS = {
	"invoice with stock update": invoice_with_stock,
	"order → delivery note → invoice": order_delivered_then_invoiced,
	"order → delivery note and order → invoice apart": order_delivered_and_invoiced_apart,
	"invoice → delivery note": invoice_then_delivered,
	"one line on two delivery notes": order_delivered_in_parts,
}


# ---- the ledgers ---------------------------------------------------------------------------------------


def stock_lines(vouchers, item_code=ITEM) -> list[tuple]:
	"""(warehouse, qty, valuation rate) of each stock ledger line of the vouchers, sorted."""
	return sorted(
		(row.warehouse, flt(row.actual_qty), flt(row.stock_value_difference / row.actual_qty, 2))
		for row in frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": ("in", vouchers), "item_code": item_code, "is_cancelled": 0},
			fields=["warehouse", "actual_qty", "stock_value_difference"],
		)
	)


def gl_on(vouchers, account: str) -> float:
	return flt(
		frappe.db.sql(
			"""select sum(debit - credit) from `tabGL Entry`
			where voucher_no in %s and account = %s and is_cancelled = 0""",
			(tuple(vouchers), account),
		)[0][0],
		2,
	)


def stock_value_gaps(vouchers) -> list:
	"""ERPNext's Stock and Account Value Comparison, for these vouchers only."""
	from erpnext.stock.report.stock_and_account_value_comparison.stock_and_account_value_comparison import (
		execute,
	)

	_columns, rows = execute(frappe._dict(company=TEST_COMPANY, as_on_date=nowdate()))
	return [row for row in rows if row.voucher_no in set(vouchers)]


class TestSalesFlowLedgers(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		make_item(ITEM, item_group="Mobile Phones", valuation_method="FIFO")
		make_stock(ITEM, qty=QTY, rate=FIRST_COST, posting_date=add_days(nowdate(), -30))
		self.returns = self.settings.return_warehouse

	def sell(self, flow):
		invoice, out_vouchers = FLOWS[flow]()
		receive_payment(invoice.name)
		left = stock_lines(out_vouchers)
		self.assertEqual(sum(qty for _warehouse, qty, _rate in left), -QTY, flow)
		return invoice, out_vouchers, left

	def assert_came_back_as_they_left(self, flow, goods_in, left):
		self.assertEqual(
			stock_lines(goods_in), sorted((self.returns, -qty, rate) for _warehouse, qty, rate in left), flow
		)

	# ---- return and refund ---------------------------------------------------------------------------

	def assert_return(self, flow):
		invoice, out_vouchers, left = self.sell(flow)
		request = act(receive_all(approve_quality_return(open_request(invoice))), "Refund")

		goods_in = postings(request, "Goods In")
		self.assertTrue(goods_in, flow)
		self.assert_came_back_as_they_left(flow, goods_in, left)
		cost_left = -sum(qty * rate for _warehouse, qty, rate in left)
		self.assertEqual(gl_on(out_vouchers, self.cogs), cost_left, flow)
		self.assertEqual(gl_on(goods_in, self.cogs), -cost_left, flow)  # reversed exactly

		[payment] = postings(request, "Refund")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), QTY * PRICE)
		self.assertEqual(stock_value_gaps(out_vouchers + postings(request)), [], flow)

	def test_return_after_an_invoice_with_stock_update(self):
		self.assert_return("invoice with stock update")

	def test_return_after_order_delivery_note_invoice(self):
		self.assert_return("order → delivery note → invoice")

	def test_return_after_delivery_and_invoice_made_apart(self):
		self.assert_return("order → delivery note and order → invoice apart")

	def test_return_after_a_delivery_note_made_from_the_invoice(self):
		self.assert_return("invoice → delivery note")

	def test_return_after_one_line_delivered_on_two_notes(self):
		self.assert_return("one line on two delivery notes")

	# ---- exchange for a different item ---------------------------------------------------------------

	def assert_exchange(self, flow):
		invoice, out_vouchers, left = self.sell(flow)
		make_item(REPLACEMENT, item_group="Mobile Phones")
		make_stock(REPLACEMENT, qty=QTY, rate=FIRST_COST, posting_date=add_days(nowdate(), -30))
		make_item_price(REPLACEMENT, PRICE)
		request = approve_quality_return(open_request(invoice, request_type="Exchange Different Item"))
		edit_lines(request, replacement_item=REPLACEMENT, replacement_warehouse=self.stores)
		request = receive_all(request)
		as_role(WAREHOUSE, request.ship_replacements)

		[goods_in] = postings(request, "Goods In", "Stock Entry")
		# Back at what the units left with, as one line at their average cost.
		cost_left = -sum(qty * rate for _warehouse, qty, rate in left)
		[(warehouse, qty, rate)] = stock_lines([goods_in])
		self.assertEqual((warehouse, qty, flt(qty * rate, 2)), (self.returns, QTY, cost_left), flow)
		self.assertEqual(gl_on([goods_in], self.settings.warranty_expense_account), -cost_left, flow)
		[shipped] = postings(request, "Replacement")
		self.assertEqual(stock_lines([shipped], REPLACEMENT), [(self.stores, -QTY, FIRST_COST)], flow)
		self.assertEqual(postings(request, "Price Difference"), [], flow)
		self.assertEqual(stock_value_gaps(out_vouchers + postings(request)), [], flow)

	def test_exchange_after_an_invoice_with_stock_update(self):
		self.assert_exchange("invoice with stock update")

	def test_exchange_after_order_delivery_note_invoice(self):
		self.assert_exchange("order → delivery note → invoice")

	def test_exchange_after_delivery_and_invoice_made_apart(self):
		self.assert_exchange("order → delivery note and order → invoice apart")

	def test_exchange_after_a_delivery_note_made_from_the_invoice(self):
		self.assert_exchange("invoice → delivery note")

	def test_exchange_after_one_line_delivered_on_two_notes(self):
		self.assert_exchange("one line on two delivery notes")

	# ---- refund only ---------------------------------------------------------------------------------

	def assert_refund_only(self, flow):
		invoice, out_vouchers, _left = self.sell(flow)
		request = act(approve_quality_return(open_request(invoice, request_type="Refund Only")), "Refund")

		self.assertEqual(postings(request, "Goods In"), [], flow)
		[credit_note] = postings(request, "Credit Note")
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note, "update_stock"), 0, flow)
		self.assertEqual(stock_lines(postings(request)), [], flow)
		self.assertEqual(gl_on([credit_note], self.cogs), 0, flow)
		self.assertEqual(gl_on([credit_note], self.income), QTY * PRICE, flow)
		[payment] = postings(request, "Refund")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), QTY * PRICE)
		self.assertEqual(stock_value_gaps(out_vouchers + postings(request)), [], flow)

	def test_refund_only_after_an_invoice_with_stock_update(self):
		self.assert_refund_only("invoice with stock update")

	def test_refund_only_after_order_delivery_note_invoice(self):
		self.assert_refund_only("order → delivery note → invoice")

	def test_refund_only_after_delivery_and_invoice_made_apart(self):
		self.assert_refund_only("order → delivery note and order → invoice apart")

	def test_refund_only_after_a_delivery_note_made_from_the_invoice(self):
		self.assert_refund_only("invoice → delivery note")

	def test_refund_only_after_one_line_delivered_on_two_notes(self):
		self.assert_refund_only("one line on two delivery notes")

	# ---- never delivered -----------------------------------------------------------------------------

	def test_a_line_never_delivered_says_so_and_nothing_comes_back(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		invoice = submitted(make_sales_invoice(make_sales_order([(ITEM, QTY, PRICE)]).name))
		receive_payment(invoice.name)
		for request_type in ("Return and Refund", "Exchange Different Item"):
			with self.assertRaisesRegex(frappe.ValidationError, "never delivered"):
				open_request(invoice, request_type=request_type)
		self.assertFalse(
			frappe.get_all("Return Request Item", filters={"sales_invoice": invoice.name}, pluck="name")
		)
		self.assertFalse(
			frappe.get_all(
				"Delivery Note",
				filters={"is_return": 1, "customer": invoice.customer, "creation": (">=", invoice.creation)},
				pluck="name",
			)
		)
