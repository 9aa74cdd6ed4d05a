# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The seller's own mistakes are put right whenever they are reported (seed 004): a lost parcel is
refunded on day 40, a wrong shipment reissued on day 20 with the wrong item left with the customer,
while a quality problem on the same days is held to the 三包 windows (seed 003)."""

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	as_role,
	open_request,
	postings,
	receive_payment,
	stock_moves,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import (
	NotEligibleError,
)
from aftersales_module.setup.roles import WAREHOUSE
from aftersales_module.tests.factories import make_sales_invoice, make_stock


def sold_days_ago(days: int, paid: bool = True):
	invoice = make_sales_invoice([(PHONE, 1, PRICE)], posting_date=add_days(nowdate(), -days))
	if paid:
		receive_payment(invoice.name)
	return invoice


class TestSellerFaults(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_stock(PHONE, qty=10, rate=COST, posting_date=add_days(nowdate(), -90))

	def test_a_lost_parcel_is_refunded_on_day_forty(self):
		invoice = sold_days_ago(40)
		request = open_request(invoice, reason="Missing Item", request_type="Refund Only")
		self.assertEqual(request.eligible, 1, request.eligibility_rule)
		self.assertIn("no time limit", request.eligibility_rule)
		self.assertEqual(request.shipping_payer, "Company")

		for action in ("Submit", "Send to Sales Approval", "Approve", "Refund"):
			request = act(request, action)
		[credit_note] = postings(request, "Credit Note")
		[payment] = postings(request, "Refund")
		self.assertEqual(frappe.db.get_value("Sales Invoice", credit_note, "grand_total"), -PRICE)
		self.assertEqual(frappe.db.get_value("Payment Entry", payment, "paid_amount"), PRICE)
		self.assert_books_reconcile()

	def test_a_quality_problem_on_day_forty_cannot_be_refunded(self):
		request = open_request(sold_days_ago(40), reason="Quality Problem", request_type="Refund Only")
		self.assertEqual(request.eligible, 0)
		self.assertRaises(NotEligibleError, act, request, "Submit")

	def test_a_wrong_shipment_is_reissued_on_day_twenty_and_the_customer_keeps_it(self):
		invoice = sold_days_ago(20, paid=False)
		request = open_request(invoice, reason="Wrong Item", request_type="Reissue")
		self.assertEqual(request.eligible, 1, request.eligibility_rule)
		for action in ("Submit", "Send to Sales Approval", "Approve"):
			request = act(request, action)
		request.reload()
		as_role(WAREHOUSE, request.ship_reissue)
		[reissued] = postings(request, "Reissue", "Stock Entry")
		self.assertEqual(stock_moves(reissued), ((self.stores, -1.0, -1.0 * COST),))
		# Nothing comes back: the wrongly shipped unit stays with the customer.
		self.assertEqual(postings(request, "Goods In"), [])
		request = act(request, "Close")
		self.assert_books_reconcile()

	def test_a_quality_problem_on_day_twenty_is_past_the_exchange_window(self):
		request = open_request(sold_days_ago(20), reason="Quality Problem", request_type="Exchange Same Item")
		self.assertEqual(request.eligible, 0)
		self.assertRaises(NotEligibleError, act, request, "Submit")
