# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""An invoice line delivered on several Delivery Notes: returned units come back against the notes
that still have them out, one delivery return per note, each at the valuation its goods left with."""

import frappe
from frappe.utils import add_days, flt, nowdate, nowtime

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	cancel_as_manager,
	edit_lines,
	open_request,
	postings,
	receive_all,
	receive_payment,
)
from aftersales_module.controllers.sales_history import get_returned_qty
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	make_item,
	make_sales_invoice,
	make_sales_order,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

ITEM = "_Test Aftersales Split Delivery Phone"
FIRST_COST, SECOND_COST = 200, 300


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


def deliver_order_in_two(order, first_qty, second_qty):
	"""Two deliveries of one order line, the second after dearer stock came in."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	first = submitted(make_delivery_note(order.name), first_qty)
	make_stock(ITEM, qty=second_qty, rate=SECOND_COST)
	second = submitted(make_delivery_note(order.name), second_qty)
	return first, second


def sell_apart(first_qty=2, second_qty=3):
	"""Sales Order → two Delivery Notes, and Sales Order → one Sales Invoice for all of it."""
	from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

	order = make_sales_order([(ITEM, first_qty + second_qty, PRICE)])
	first, second = deliver_order_in_two(order, first_qty, second_qty)
	invoice = submitted(make_sales_invoice(order.name))
	return invoice, first, second


def return_lines(delivery_return) -> list[tuple]:
	"""(original delivery note, warehouse, qty, valuation rate) of a delivery return's stock moves."""
	return [
		(
			frappe.db.get_value("Delivery Note", delivery_return, "return_against"),
			move.warehouse,
			flt(move.actual_qty),
			flt(move.stock_value_difference / move.actual_qty, 2),
		)
		for move in frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": delivery_return, "is_cancelled": 0},
			fields=["warehouse", "actual_qty", "stock_value_difference"],
		)
	]


def new_request(invoice, request_type="Return and Refund", reason="Quality Problem"):
	request = frappe.get_doc(
		{
			"doctype": "Return Request",
			"company": invoice.company,
			"customer": invoice.customer,
			"request_type": request_type,
			"reason_category": reason,
			"sales_invoice": invoice.name,
			"original_packaging": 1,
			"resellable": 1,
		}
	)
	request.get_items()
	return request


def manual_delivery_return(delivery_note: str, qty: float):
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	delivery_return = make_return_doc("Delivery Note", delivery_note)
	for item in delivery_return.items:
		item.qty = -qty
	return submitted(delivery_return)


class TestPartialDeliveries(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		make_item(ITEM, item_group="Mobile Phones", valuation_method="FIFO")
		make_stock(ITEM, qty=2, rate=FIRST_COST, posting_date=add_days(nowdate(), -30))

	def return_and_refund(self, invoice, qty):
		receive_payment(invoice.name)
		request = open_request(invoice)
		edit_lines(request, CUSTOMER_SERVICE, qty=qty)
		request = receive_all(approve_quality_return(request))
		return request

	def test_order_delivered_in_two_and_invoiced_apart_comes_back_against_both_notes(self):
		invoice, first, second = sell_apart()
		manual_delivery_return(first.name, 1)  # one unit of the first delivery is already back

		request = self.return_and_refund(invoice, 3)
		delivery_returns = postings(request, "Goods In", "Delivery Note")
		self.assertEqual(len(delivery_returns), 2)
		moves = sorted(line for each in delivery_returns for line in return_lines(each))
		self.assertEqual(
			moves,
			sorted(
				[
					(first.name, self.settings.return_warehouse, 1.0, FIRST_COST),
					(second.name, self.settings.return_warehouse, 2.0, SECOND_COST),
				]
			),
		)
		self.assertEqual(request.items[0].return_delivery_note, delivery_returns[0])
		# Four of five are back: one by hand, three by the case.
		self.assertEqual(get_returned_qty([invoice.items[0].name])[invoice.items[0].name], 4)

		request = act(request, "Refund")
		[credit_note] = postings(request, "Credit Note")
		self.assertEqual(-flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), 3 * PRICE)
		self.assert_books_reconcile()

		last = open_request(invoice)
		self.assertEqual(last.items[0].qty, 1)
		last = receive_all(approve_quality_return(last))
		[delivery_return] = postings(last, "Goods In", "Delivery Note")
		self.assertEqual(
			return_lines(delivery_return), [(second.name, self.settings.return_warehouse, 1.0, SECOND_COST)]
		)
		with self.assertRaises(frappe.ValidationError):
			open_request(invoice)

		# Cancelled, the case takes back both its delivery returns: three units are out again.
		cancel_as_manager(request)
		self.assertEqual(
			{frappe.db.get_value("Delivery Note", each, "docstatus") for each in delivery_returns}, {2}
		)
		cancel_as_manager(last)
		self.assertEqual(get_returned_qty([invoice.items[0].name])[invoice.items[0].name], 1)

	def test_invoice_delivered_in_two_from_the_invoice(self):
		invoice = self.sell_and_deliver_from_invoice()
		request = self.return_and_refund(invoice, 4)
		delivery_returns = postings(request, "Goods In", "Delivery Note")
		self.assertEqual(
			sorted(line[2:] for each in delivery_returns for line in return_lines(each)),
			[(2.0, FIRST_COST), (2.0, SECOND_COST)],
		)
		act(request, "Refund")
		self.assert_books_reconcile()

	def sell_and_deliver_from_invoice(self):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_delivery_note

		invoice = make_sales_invoice([(ITEM, 5, PRICE)], update_stock=0)
		submitted(make_delivery_note(invoice.name), 2)
		make_stock(ITEM, qty=3, rate=SECOND_COST)
		submitted(make_delivery_note(invoice.name), 3)
		return invoice

	def test_only_the_units_still_out_can_be_asked_back(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note, make_sales_invoice

		order = make_sales_order([(ITEM, 5, PRICE)])
		submitted(make_delivery_note(order.name), 2)
		invoice = submitted(make_sales_invoice(order.name))
		# Five were invoiced but two delivered: Get Items offers five, which cannot all come back.
		with self.assertRaisesRegex(frappe.ValidationError, "only 2"):
			open_request(invoice)
		with acting_as(CUSTOMER_SERVICE):
			request = new_request(invoice)
			request.items[0].qty = 2
			request.insert()
		with self.assertRaisesRegex(frappe.ValidationError, "only 2"):
			edit_lines(request, CUSTOMER_SERVICE, qty=3)

	def test_a_line_never_delivered_says_so(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice

		order = make_sales_order([(ITEM, 2, PRICE)])
		invoice = submitted(make_sales_invoice(order.name))
		with self.assertRaisesRegex(frappe.ValidationError, "never delivered"):
			open_request(invoice)

	def test_a_hand_made_delivery_return_of_held_units_is_refused_on_any_of_the_notes(self):
		invoice, _first, second = sell_apart(2, 2)
		request = act(open_request(invoice), "Submit")
		self.assertEqual(request.items[0].held_qty, 4)
		with self.assertRaisesRegex(frappe.ValidationError, "held by return request"):
			manual_delivery_return(second.name, 1)

	def test_an_order_invoiced_on_two_invoices_and_delivered_once_keeps_each_invoice_s_returns_apart(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note, make_sales_invoice

		make_stock(ITEM, qty=3, rate=FIRST_COST)
		order = make_sales_order([(ITEM, 5, PRICE)])
		first_invoice = submitted(make_sales_invoice(order.name), 2)
		second_invoice = submitted(make_sales_invoice(order.name))
		delivery_note = submitted(make_delivery_note(order.name))
		self.assertEqual(second_invoice.items[0].qty, 3)

		first = act(self.return_and_refund(first_invoice, 2), "Refund")
		self.assertEqual(len(postings(first, "Goods In", "Delivery Note")), 1)
		# The first invoice's returns are its own: the second invoice's three are all still returnable.
		second = self.return_and_refund(second_invoice, 3)
		[delivery_return] = postings(second, "Goods In", "Delivery Note")
		self.assertEqual(
			return_lines(delivery_return),
			[(delivery_note.name, self.settings.return_warehouse, 3.0, FIRST_COST)],
		)
		lines = [first_invoice.items[0].name, second_invoice.items[0].name]
		self.assertEqual(get_returned_qty(lines), {lines[0]: 2, lines[1]: 3})

	def test_the_units_of_an_order_never_shipped_are_refunded_as_unshipped_and_the_rest_come_back(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note, make_sales_invoice

		order = make_sales_order([(ITEM, 5, PRICE)])
		delivery_note = submitted(make_delivery_note(order.name), 2)
		invoice = submitted(make_sales_invoice(order.name))
		receive_payment(invoice.name)
		with acting_as(CUSTOMER_SERVICE):
			unshipped = new_request(invoice, "Refund Only", "Unshipped Order Cancelled")
			unshipped.items[0].qty = 4
			with self.assertRaisesRegex(frappe.ValidationError, "only 3"):
				unshipped.insert()
			unshipped.items[0].qty = 3
			unshipped.insert()
		unshipped = act(act(act(act(unshipped, "Submit"), "Send to Sales Approval"), "Approve"), "Refund")
		[credit_note] = postings(unshipped, "Credit Note")
		self.assertEqual(-flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), 3 * PRICE)
		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "status"), "Closed")
		with self.assertRaisesRegex(frappe.ValidationError, "already shipped"):
			open_request(invoice, reason="Unshipped Order Cancelled", request_type="Refund Only")

		shipped = act(receive_all(approve_quality_return(open_request(invoice))), "Refund")
		[delivery_return] = postings(shipped, "Goods In", "Delivery Note")
		self.assertEqual(
			return_lines(delivery_return),
			[(delivery_note.name, self.settings.return_warehouse, 2.0, FIRST_COST)],
		)
		self.assertEqual(get_returned_qty([invoice.items[0].name])[invoice.items[0].name], 5)
