# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Goods come back whichever way ERPNext delivered and billed them, at the value they left with."""

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	edit_lines,
	open_request,
	postings,
	receive_all,
	receive_payment,
	stock_moves,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	make_delivery_flow,
	make_sales_invoice,
	make_sales_order,
)

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


def submitted(doc):
	doc.posting_date = nowdate()
	doc.set_posting_time = 1
	if doc.doctype == "Sales Invoice":
		doc.due_date = nowdate()
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc


class TestSalesFlows(ReturnFlowTestCase):
	def assert_goods_come_back_by_delivery_return(self, invoice, delivery_note):
		receive_payment(invoice.name)
		request = act(receive_all(approve_quality_return(open_request(invoice))), "Refund")
		[delivery_return] = postings(request, "Goods In", "Delivery Note")
		self.assertEqual(
			frappe.db.get_value("Delivery Note", delivery_return, "return_against"), delivery_note.name
		)
		self.assertEqual(stock_moves(delivery_return), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		[credit_note] = postings(request, "Credit Note")
		[payment] = postings(request, "Refund")
		credited = -flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total"))
		paid = flt(frappe.db.get_value("Payment Entry", payment, "paid_amount"))
		self.assertEqual((credited, paid), (PRICE, PRICE))
		self.assert_books_reconcile()

	def test_order_delivered_and_invoiced_apart(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice as invoice_order

		order = make_sales_order([(PHONE, 1, PRICE)])
		delivery_note = submitted(make_delivery_note(order.name))
		invoice = submitted(invoice_order(order.name))
		self.assertFalse(invoice.items[0].dn_detail)
		self.assert_goods_come_back_by_delivery_return(invoice, delivery_note)

	def test_delivery_note_made_from_the_invoice(self):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_delivery_note

		invoice = make_sales_invoice([(PHONE, 1, PRICE)], update_stock=0)
		delivery_note = submitted(make_delivery_note(invoice.name))
		self.assert_goods_come_back_by_delivery_return(invoice, delivery_note)

	def test_an_order_delivered_apart_is_not_refunded_as_unshipped(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice as invoice_order

		order = make_sales_order([(PHONE, 1, PRICE)])
		submitted(make_delivery_note(order.name))
		invoice = submitted(invoice_order(order.name))
		with self.assertRaises(frappe.ValidationError):
			open_request(invoice, reason="Unshipped Order Cancelled", request_type="Refund Only")

	def test_a_unit_back_by_delivery_return_is_not_also_held_before_its_credit_note(self):
		_order, _delivery_note, invoice = make_delivery_flow([(PHONE, 2, PRICE)])
		first = open_request(invoice)
		edit_lines(first, CUSTOMER_SERVICE, qty=1)
		first = receive_all(approve_quality_return(first))
		self.assertEqual(len(postings(first, "Goods In", "Delivery Note")), 1)

		# One unit is back (delivery return) and still held until its credit note: one is left.
		second = open_request(invoice)
		self.assertEqual(second.items[0].qty, 1)
		second = act(second, "Submit")
		self.assertEqual(second.docstatus, 1)
		with self.assertRaises(frappe.ValidationError):
			open_request(invoice)

		act(first, "Refund")
		with self.assertRaises(frappe.ValidationError):
			open_request(invoice)
