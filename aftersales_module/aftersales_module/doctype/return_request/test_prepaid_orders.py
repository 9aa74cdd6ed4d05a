# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""An order paid in advance and cancelled before it shipped (未發退, seed 003): no stock moves and no
credit note; the order gives up the lines the way ERPNext does (closed, or its quantity lowered) and
the advance is paid back to the customer, who then owes nothing and is owed nothing."""

import frappe
from frappe.utils import flt, fmt_money, nowdate

from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	EUR_CUSTOMER,
	EUR_RATE,
	VAT_RATE,
	bank_account,
	eur_receivable,
	make_eur_customer,
	make_eur_rate,
	party_balance,
	vat_account,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	cancel_as_manager,
	edit_lines,
	gl_balance,
	postings,
	receive_all,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import OverReturnError
from aftersales_module.aftersales_module.doctype.return_request.uninvoiced_test_utils import (
	UNSHIPPED,
	open_from,
	pay_in_advance,
)
from aftersales_module.controllers.uninvoiced_items import search_orders
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	company_value,
	default_warehouse,
	make_sales_order,
	stock_balance,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


def cancel_order_lines(order, qty=None):
	"""Customer service files the cancellation; sales approves it; accounts refunds it."""
	request = open_from(order, reason=UNSHIPPED, request_type="Refund Only", qty=qty)
	request = act(act(act(request, "Submit"), "Send to Sales Approval"), "Approve")
	request = act(request, "Refund")
	request.reload()
	return request


def taxed_order(items):
	order = make_sales_order(items, do_not_submit=True)
	order.append(
		"taxes",
		{
			"charge_type": "On Net Total",
			"account_head": vat_account(),
			"rate": VAT_RATE,
			"description": "VAT 13%",
			"cost_center": company_value("cost_center"),
		},
	)
	order.save(ignore_permissions=True)
	order.submit()
	return order


def euro_order(qty: int):
	"""An order from a customer billed in euros, whose receivable is kept in euros."""
	make_eur_rate()
	make_eur_customer(EUR_CUSTOMER, eur_receivable())
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": TEST_COMPANY,
			"customer": EUR_CUSTOMER,
			"transaction_date": nowdate(),
			"delivery_date": nowdate(),
			"currency": "EUR",
			"conversion_rate": EUR_RATE,
			"selling_price_list": "Standard Selling",
			"price_list_currency": "EUR",
			"plc_conversion_rate": EUR_RATE,
			"items": [
				{
					"item_code": PHONE,
					"qty": qty,
					"rate": PRICE,
					"warehouse": default_warehouse(),
					"uom": "Nos",
					"conversion_factor": 1,
				}
			],
		}
	)
	order.insert(ignore_permissions=True)
	order.submit()
	return order


def money(amount) -> str:
	return fmt_money(flt(amount, 2), precision=2)


class TestPrepaidOrders(ReturnFlowTestCase):
	def test_a_return_of_a_prepaid_unshipped_sales_order(self):
		order = make_sales_order([(PHONE, 2, PRICE)])
		advance = pay_in_advance(order)
		in_stores = stock_balance(PHONE, self.stores)

		request = open_from(order, reason=UNSHIPPED, request_type="Refund Only")
		[row] = request.items
		self.assertEqual(
			(row.sales_order, row.sales_order_item, row.qty), (order.name, order.items[0].name, 2)
		)
		self.assertEqual(flt(request.refund_amount), 2 * PRICE)
		request = act(act(act(request, "Submit"), "Send to Sales Approval"), "Approve")
		request = act(request, "Refund")
		request.reload()

		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "status"), "Closed")
		[payment] = postings(request, "Refund", "Payment Entry")
		refund = frappe.get_doc("Payment Entry", payment)
		self.assertEqual(
			(refund.payment_type, refund.party, flt(refund.paid_amount), refund.paid_from),
			("Pay", TEST_CUSTOMER, 2 * PRICE, advance.paid_to),
		)
		self.assertEqual(gl_balance([payment]), {self.receivable: 2 * PRICE, advance.paid_to: -2 * PRICE})
		self.assertEqual(party_balance(TEST_CUSTOMER, [advance.name, payment]), 0)
		self.assertEqual(flt(request.refunded_amount), 2 * PRICE)
		self.assertEqual(
			postings(request, doctype="Delivery Note") + postings(request, doctype="Sales Invoice"), []
		)
		self.assertEqual(stock_balance(PHONE, self.stores), in_stores)
		with self.assertRaises(frappe.ValidationError):
			open_from(order, reason=UNSHIPPED, request_type="Refund Only")  # the order is closed

		cancel_as_manager(request)
		self.assert_all_cancelled({("Payment Entry", payment)})
		self.assertNotEqual(frappe.db.get_value("Sales Order", order.name, "status"), "Closed")
		self.assertEqual(party_balance(TEST_CUSTOMER, [advance.name, payment]), -2 * PRICE)

	def test_part_of_a_prepaid_order_cancelled_and_a_second_over_what_is_left_refused(self):
		order = make_sales_order([(PHONE, 5, PRICE)])
		advance = pay_in_advance(order)

		first = cancel_order_lines(order, qty=2)
		self.assertEqual(flt(frappe.db.get_value("Sales Order Item", order.items[0].name, "qty")), 3)
		self.assertNotEqual(frappe.db.get_value("Sales Order", order.name, "status"), "Closed")
		self.assertEqual(first.items[0].released_qty, 2)
		[payment] = postings(first, "Refund", "Payment Entry")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), 2 * PRICE)
		self.assertEqual(party_balance(TEST_CUSTOMER, [advance.name, payment]), -3 * PRICE)

		second = open_from(order, reason=UNSHIPPED, request_type="Refund Only")
		self.assertEqual(second.items[0].qty, 3)
		with self.assertRaises(OverReturnError):
			edit_lines(second, CUSTOMER_SERVICE, qty=4)

		cancel_as_manager(first)
		self.assert_all_cancelled({("Payment Entry", payment)})
		self.assertEqual(flt(frappe.db.get_value("Sales Order Item", order.items[0].name, "qty")), 5)

	def test_the_refund_is_what_was_paid_for_the_lines_with_their_taxes(self):
		order = taxed_order([(PHONE, 2, PRICE)])
		advance = pay_in_advance(order)
		self.assertEqual(flt(order.grand_total), 2 * PRICE * (1 + VAT_RATE / 100))

		request = cancel_order_lines(order)
		[payment] = postings(request, "Refund", "Payment Entry")
		self.assertEqual(
			flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), flt(order.grand_total)
		)
		self.assertEqual(
			(flt(request.refund_amount), flt(request.credit_tax)),
			(flt(order.grand_total), flt(order.total_taxes_and_charges)),
		)
		self.assertIn(
			f"{order.name}: goods {money(2 * PRICE)}, tax {money(order.total_taxes_and_charges)}, "
			f"advance refunded {money(order.grand_total)}",
			frappe.db.get_value("Return Request", request.name, "credit_breakdown"),
		)
		self.assertEqual(party_balance(TEST_CUSTOMER, [advance.name, payment]), 0)

	def test_a_partly_paid_order_refunds_no_more_than_the_advance(self):
		order = make_sales_order([(PHONE, 2, PRICE)])
		advance = pay_in_advance(order, amount=300)
		request = cancel_order_lines(order)
		[payment] = postings(request, "Refund", "Payment Entry")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), 300)
		self.assertEqual(party_balance(TEST_CUSTOMER, [advance.name, payment]), 0)

	def test_an_order_nobody_paid_for_or_a_shipped_line_is_refused(self):
		unpaid = make_sales_order([(PHONE, 1, PRICE)])
		with self.assertRaises(frappe.ValidationError):
			open_from(unpaid, reason=UNSHIPPED, request_type="Refund Only")
		paid = make_sales_order([(PHONE, 1, PRICE)])
		pay_in_advance(paid)
		with self.assertRaises(frappe.ValidationError):
			open_from(paid)  # goods never shipped cannot come back: Refund Only, Unshipped Order Cancelled

	def test_a_customer_billed_in_euros_gets_their_euros_back(self):
		order = euro_order(2)
		advance = pay_in_advance(order, bank_account=bank_account())
		request = open_from(order, reason=UNSHIPPED, request_type="Refund Only", customer=EUR_CUSTOMER)
		self.assertEqual((request.currency, flt(request.refund_amount)), ("EUR", 2 * PRICE))
		self.assertEqual(flt(request.base_refund_amount), flt(2 * PRICE * EUR_RATE, 2))
		request = act(act(act(request, "Submit"), "Send to Sales Approval"), "Approve")
		request = act(request, "Refund")
		request.reload()

		[payment] = postings(request, "Refund", "Payment Entry")
		refund = frappe.get_doc("Payment Entry", payment)
		self.assertEqual(
			(refund.paid_to, refund.paid_to_account_currency, flt(refund.received_amount)),
			(eur_receivable(), "EUR", 2 * PRICE),
		)
		self.assertEqual(flt(refund.paid_amount), flt(2 * PRICE * EUR_RATE, 2))  # at the order's rate
		self.assertEqual(party_balance(EUR_CUSTOMER, [advance.name, payment]), 0)
		self.assertEqual(flt(request.refunded_amount), 2 * PRICE)

		cancel_as_manager(request)
		self.assert_all_cancelled({("Payment Entry", payment)})
		self.assertEqual(party_balance(EUR_CUSTOMER, [advance.name, payment]), -2 * PRICE)

	def test_customer_service_picks_among_the_customers_open_prepaid_orders(self):
		prepaid, unpaid = make_sales_order([(PHONE, 1, PRICE)]), make_sales_order([(PHONE, 1, PRICE)])
		pay_in_advance(prepaid)
		mine = {"customer": TEST_CUSTOMER, "company": TEST_COMPANY}
		with acting_as(CUSTOMER_SERVICE):
			found = [row[0] for row in search_orders("Sales Order", prepaid.name, "name", 0, 20, mine)]
			self.assertEqual(found, [prepaid.name])
			self.assertEqual(list(search_orders("Sales Order", unpaid.name, "name", 0, 20, mine)), [])

	def test_a_prepaid_order_delivered_and_sent_back_is_then_refunded_as_unshipped(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		order = make_sales_order([(PHONE, 2, PRICE)])
		advance = pay_in_advance(order)
		delivery_note = make_delivery_note(order.name)
		delivery_note.insert(ignore_permissions=True)
		delivery_note.submit()
		with self.assertRaises(frappe.ValidationError):
			open_from(order, reason=UNSHIPPED, request_type="Refund Only")  # it shipped

		goods_back = act(receive_all(approve_quality_return(open_from(delivery_note))), "Refund")
		self.assertEqual(len(postings(goods_back, "Delivery Return", "Delivery Note")), 1)
		# ERPNext counts the order line undelivered again: the advance comes back as for an unshipped order.
		request = cancel_order_lines(order)
		[payment] = postings(request, "Refund", "Payment Entry")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), 2 * PRICE)
		self.assertEqual(frappe.db.get_value("Sales Order", order.name, "status"), "Closed")
		self.assertEqual(party_balance(TEST_CUSTOMER, [advance.name, payment]), 0)
