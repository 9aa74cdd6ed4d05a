# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A delivery not yet invoiced comes back by a delivery return alone: receivables are booked only once
invoiced (開出發票才立帳, seed 003), so there is no credit note and nothing on the customer's account."""

import frappe
from frappe.utils import add_days, flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	IMEIS,
	PHONE,
	PRICE,
	SERIAL_PHONE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	cancel_as_manager,
	edit_lines,
	gl_balance,
	postings,
	receive_all,
	receive_payment,
	save_as,
	stock_moves,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import OverReturnError
from aftersales_module.aftersales_module.doctype.return_request.uninvoiced_test_utils import (
	deliver,
	invoice_delivery,
	open_from,
)
from aftersales_module.controllers.uninvoiced_items import search_deliveries
from aftersales_module.setup.custom_fields import RETURN_REQUEST_LINK
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_sales_order,
	make_serial_item,
	make_stock,
	stock_balance,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


def refund(request):
	return act(receive_all(approve_quality_return(request)), "Refund")


class TestUninvoicedDeliveries(ReturnFlowTestCase):
	def test_a_return_of_an_uninvoiced_delivery(self):
		delivery_note = deliver([(PHONE, 2, PRICE)])
		return_warehouse = self.settings.return_warehouse
		in_return_warehouse = stock_balance(PHONE, return_warehouse)

		request = open_from(delivery_note)
		[row] = request.items
		self.assertEqual(
			(row.delivery_note, row.dn_detail, row.sales_invoice_item, row.qty, row.rate),
			(delivery_note.name, delivery_note.items[0].name, None, 2, PRICE),
		)
		self.assertEqual(flt(request.refund_amount), 0)  # nothing was billed, nothing is refunded
		request = refund(request)

		[delivery_return] = postings(request, "Delivery Return", "Delivery Note")
		self.assertEqual(
			frappe.db.get_value(
				"Delivery Note", delivery_return, ["is_return", "return_against", RETURN_REQUEST_LINK]
			),
			(1, delivery_note.name, request.name),
		)
		self.assertEqual(request.items[0].return_delivery_note, delivery_return)
		self.assertEqual(request.items[0].held_qty, 0)
		self.assertIn(
			("Goods In", delivery_return), {(row.purpose, row.voucher_no) for row in request.postings}
		)
		self.assertEqual(stock_moves(delivery_return), ((return_warehouse, 2.0, 2.0 * COST),))
		self.assertEqual(stock_balance(PHONE, return_warehouse), in_return_warehouse + 2)
		self.assertNotIn(self.receivable, gl_balance([delivery_return]))
		self.assertEqual(postings(request, "Credit Note") + postings(request, "Refund"), [])
		self.assertEqual(request.stage, "Refunded")
		self.assert_books_reconcile()
		with self.assertRaises(frappe.ValidationError):
			open_from(delivery_note)  # all of it is back

		cancel_as_manager(request)
		self.assert_all_cancelled({("Delivery Note", delivery_return)})
		self.assertEqual(stock_balance(PHONE, return_warehouse), in_return_warehouse)
		self.assertEqual(open_from(delivery_note).items[0].qty, 2)  # out with the customer again
		self.assert_books_reconcile()

	def test_only_the_part_not_invoiced_comes_back_from_the_delivery(self):
		delivery_note = deliver([(PHONE, 3, PRICE)])
		invoice_delivery(delivery_note, 1)
		request = open_from(delivery_note)
		self.assertEqual(
			(request.items[0].qty, request.items[0].sold_qty, request.items[0].returned_qty), (2, 3, 1)
		)
		with self.assertRaises(OverReturnError):
			edit_lines(request, CUSTOMER_SERVICE, qty=3)

	def test_a_second_return_over_what_is_left_is_refused(self):
		delivery_note = deliver([(PHONE, 3, PRICE)])
		first = approve_quality_return(open_from(delivery_note, qty=2))

		second = open_from(delivery_note)
		self.assertEqual((second.items[0].qty, second.items[0].reserved_qty), (1, 2))
		with self.assertRaises(OverReturnError):
			edit_lines(second, CUSTOMER_SERVICE, qty=2)
		second = act(second, "Submit")
		with self.assertRaises(frappe.ValidationError):
			open_from(delivery_note)  # 2 held by the first, 1 by the second

		first = act(receive_all(first), "Refund")
		self.assertEqual(len(postings(first, "Delivery Return", "Delivery Note")), 1)
		with self.assertRaises(frappe.ValidationError):
			open_from(delivery_note)  # 2 back, 1 still held

	def test_a_delivery_return_by_hand_cannot_take_what_a_case_holds(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		delivery_note = deliver([(PHONE, 3, PRICE)])
		act(open_from(delivery_note, qty=2), "Submit")
		by_hand = make_sales_return(delivery_note.name)
		by_hand.items[0].qty = -2
		with self.assertRaises(frappe.ValidationError) as refused:
			by_hand.insert(ignore_permissions=True)
		self.assertIn("held by return request", str(refused.exception))
		by_hand.items[0].qty = -1
		by_hand.insert(ignore_permissions=True)
		by_hand.submit()
		self.assertEqual(by_hand.docstatus, 1)

	def test_an_invoiced_delivery_comes_back_on_its_invoice(self):
		delivery_note = deliver([(PHONE, 1, PRICE)])
		invoice_delivery(delivery_note, 1)
		with self.assertRaises(frappe.ValidationError):
			open_from(delivery_note)
		with self.assertRaises(frappe.ValidationError):
			open_from(delivery_note, reason="Unshipped Order Cancelled", request_type="Refund Only")

	def test_customer_service_picks_among_the_customers_deliveries_not_invoiced(self):
		open_delivery, billed = deliver([(PHONE, 1, PRICE)]), deliver([(PHONE, 1, PRICE)])
		invoice_delivery(billed, 1)
		mine = {"customer": TEST_CUSTOMER, "company": TEST_COMPANY}
		with acting_as(CUSTOMER_SERVICE):
			found = [
				row[0] for row in search_deliveries("Delivery Note", open_delivery.name, "name", 0, 20, mine)
			]
			self.assertEqual(found, [open_delivery.name])
			self.assertEqual(list(search_deliveries("Delivery Note", billed.name, "name", 0, 20, mine)), [])
			other = {"customer": "_Test Aftersales Nobody", "company": TEST_COMPANY}
			with self.assertRaises(frappe.ValidationError):
				search_deliveries("Delivery Note", open_delivery.name, "name", 0, 20, other)

	def test_a_delivery_partly_invoiced_comes_back_whole_in_one_case(self):
		delivery_note = deliver([(PHONE, 3, PRICE)])
		invoice = invoice_delivery(delivery_note, 1)
		receive_payment(invoice.name)
		request = open_from(delivery_note)
		with acting_as(CUSTOMER_SERVICE):
			request.reload()
			request.get_items(invoice.name)  # the invoiced unit, from its invoice
			request.save()
		self.assertEqual(
			sorted((bool(row.sales_invoice_item), row.qty) for row in request.items), [(False, 2), (True, 1)]
		)
		request = refund(request)

		[unbilled_back] = postings(request, "Delivery Return", "Delivery Note")
		[billed_back] = postings(request, "Goods In", "Delivery Note")
		self.assertEqual(stock_moves(unbilled_back), ((self.settings.return_warehouse, 2.0, 2.0 * COST),))
		self.assertEqual(stock_moves(billed_back), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		[credit_note] = postings(request, "Credit Note", "Sales Invoice")
		self.assertEqual(-flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), PRICE)
		self.assertEqual(flt(request.refunded_amount), PRICE)
		self.assert_books_reconcile()

	def test_a_rejected_return_frees_the_delivery(self):
		delivery_note = deliver([(PHONE, 2, PRICE)])
		request = act(open_from(delivery_note), "Submit")
		with self.assertRaises(frappe.ValidationError):
			open_from(delivery_note)
		save_as(request, CUSTOMER_SERVICE, rejection_reason="The customer changed their mind")
		request = act(request, "Reject")
		self.assertEqual(request.items[0].held_qty, 0)
		self.assertEqual(open_from(delivery_note).items[0].qty, 2)

	def test_serial_numbers_come_back_only_as_delivered(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		make_serial_item(SERIAL_PHONE, item_group="Mobile Phones")
		make_stock(SERIAL_PHONE, qty=3, rate=COST, posting_date=add_days(nowdate(), -30), serial_nos=IMEIS)
		delivery_note = make_delivery_note(make_sales_order([(SERIAL_PHONE, 2, PRICE)]).name)
		delivery_note.items[0].serial_no = "\n".join(IMEIS[:2])
		delivery_note.items[0].use_serial_batch_fields = 1
		delivery_note.insert(ignore_permissions=True)
		delivery_note.submit()

		request = open_from(delivery_note)
		self.assertEqual(sorted(request.items[0].serial_no.split("\n")), IMEIS[:2])
		with self.assertRaises(frappe.ValidationError) as refused:
			edit_lines(request, CUSTOMER_SERVICE, qty=1, serial_no=IMEIS[2])
		self.assertIn(IMEIS[2], str(refused.exception))
		edit_lines(request, CUSTOMER_SERVICE, qty=1, serial_no=IMEIS[0])
		request = refund(request)

		[delivery_return] = postings(request, "Delivery Return", "Delivery Note")
		self.assertEqual(stock_moves(delivery_return), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		self.assertEqual(
			frappe.db.get_value("Serial No", IMEIS[0], "warehouse"), self.settings.return_warehouse
		)
		self.assertEqual(open_from(delivery_note).items[0].qty, 1)  # the other unit is still out
