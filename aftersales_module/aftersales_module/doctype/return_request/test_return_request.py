# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import (
	NotEligibleError,
	OverReturnError,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_customer,
	make_item,
	make_sales_invoice,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as, user_of
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

PHONE = "_Test Aftersales Return Phone"


def make_return_request(invoice, qty=None, do_not_save=False, **fields):
	"""Customer service opens a request from the invoice."""
	with acting_as(CUSTOMER_SERVICE):
		request = frappe.get_doc(
			{
				"doctype": "Return Request",
				"company": invoice.company,
				"customer": invoice.customer,
				"request_type": "Return and Refund",
				"reason_category": "Quality Problem",
				"sales_invoice": invoice.name,
				**fields,
			}
		)
		request.get_items()
		if qty is not None:
			for row in request.items:
				row.qty = qty
		if not do_not_save:
			request.insert()
	return request


def as_customer_service(method, *args):
	with acting_as(CUSTOMER_SERVICE):
		return method(*args)


def sell_phones(qty=2, rate=500, days_ago=1):
	return make_sales_invoice([(PHONE, qty, rate)], posting_date=add_days(nowdate(), -days_ago))


def setup_stock():
	make_customer()
	make_item(PHONE, item_group="Mobile Phones")
	make_stock(PHONE, qty=100, rate=200, posting_date=add_days(nowdate(), -60))


class TestReturnRequest(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		setup_stock()

	def test_get_items_pulls_sold_and_returnable_quantities(self):
		invoice = sell_phones(qty=3)
		request = make_return_request(invoice)

		row = request.items[0]
		self.assertEqual(
			(row.sales_invoice, row.item_code, row.sold_qty, row.qty), (invoice.name, PHONE, 3, 3)
		)
		self.assertEqual(row.sales_invoice_item, invoice.items[0].name)
		self.assertEqual(row.rate, 500)
		self.assertEqual(request.goods_amount, 1500)

	def test_one_request_over_the_sold_quantity_is_refused(self):
		invoice = sell_phones(qty=2)
		with self.assertRaises(OverReturnError) as raised:
			make_return_request(invoice, qty=3)
		self.assertIn("only 2 can still be returned", str(raised.exception))

	def test_two_requests_together_over_the_sold_quantity(self):
		invoice = sell_phones(qty=2)
		as_customer_service(make_return_request(invoice, qty=1).submit)
		second = make_return_request(invoice, qty=1)
		as_customer_service(second.submit)

		third = make_return_request(invoice, qty=1, do_not_save=True)
		self.assertFalse(third.items, "nothing is left to return, so Get Items adds no line")
		third.append("items", {**second.items[0].as_dict(), "name": None, "qty": 1})
		self.assertRaises(OverReturnError, as_customer_service, third.insert)

	def test_request_after_a_manual_erpnext_return(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		invoice = sell_phones(qty=2)
		credit_note = make_return_doc("Sales Invoice", invoice.name)
		credit_note.items[0].qty = -1
		credit_note.insert()
		credit_note.submit()

		self.assertRaises(OverReturnError, make_return_request, invoice, qty=2)
		request = make_return_request(invoice, qty=1)
		self.assertEqual((request.items[0].returned_qty, request.items[0].returnable_qty), (1, 1))

	def test_cancelled_request_frees_its_quantity(self):
		invoice = sell_phones(qty=1)
		first = make_return_request(invoice, qty=1)
		as_customer_service(first.submit)
		as_customer_service(first.cancel)
		as_customer_service(make_return_request(invoice, qty=1).submit)

	def test_not_eligible_request_cannot_go_forward(self):
		invoice = sell_phones(qty=1, days_ago=10)
		request = make_return_request(invoice, reason_category="Personal Reason (7-day No Reason)")

		self.assertFalse(request.eligible)
		self.assertIn("7-day no-reason return window", request.eligibility_rule)
		self.assertIn("Coupon", request.alternatives)
		self.assertRaises(NotEligibleError, as_customer_service, request.submit)

	def test_quality_problem_past_return_window_allows_exchange_not_refund(self):
		invoice = sell_phones(qty=1, days_ago=10)
		refund = make_return_request(invoice)
		exchange = make_return_request(invoice, request_type="Exchange Same Item")

		self.assertFalse(refund.eligible)
		self.assertTrue(exchange.eligible)
		self.assertEqual(exchange.allowed_remedies, "Exchange, Repair")

	def test_deductions_and_shipping_are_lines_of_the_request(self):
		invoice = sell_phones(qty=2, rate=500)
		request = make_return_request(
			invoice,
			reason_category="Personal Reason (7-day No Reason)",
			depreciation_percent=10,
			handling_fee=20,
			shipping_cost=30,
		)

		self.assertEqual(request.shipping_payer, "Customer")
		self.assertEqual(
			(request.goods_amount, request.total_deductions, request.refund_amount), (1000, 150, 850)
		)
		self.assertEqual((request.customer_shipping, request.company_shipping), (30, 0))

	def test_line_not_taken_from_an_invoice_is_refused(self):
		request = make_return_request(sell_phones(qty=1), do_not_save=True)
		request.append("items", {"item_code": PHONE, "qty": 1})
		with self.assertRaises(frappe.ValidationError) as raised:
			as_customer_service(request.insert)
		self.assertIn("Get Items", str(raised.exception))

	def test_invoice_of_another_customer_is_refused(self):
		invoice = sell_phones(qty=1)
		other = make_customer("_Test Aftersales Other Customer").name
		request = make_return_request(invoice, do_not_save=True)
		request.customer = other
		self.assertRaises(frappe.ValidationError, as_customer_service, request.insert)


class TestLineOwnership(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		setup_stock()

	def test_a_row_naming_another_sales_line_is_refused(self):
		mine = sell_phones(qty=1)
		other_customer = make_customer("_Test Aftersales Other Customer").name
		theirs = make_sales_invoice([(PHONE, 1, 500)], customer=other_customer)
		request = make_return_request(mine, do_not_save=True)
		request.items[0].sales_invoice_item = theirs.items[0].name
		with self.assertRaises(frappe.ValidationError) as refused:
			as_customer_service(request.insert)
		self.assertIn("not a line of", str(refused.exception))
		self.assertEqual(
			frappe.db.get_value("Sales Invoice Item", theirs.items[0].name, "aftersales_requested_qty"), 0
		)

	def test_a_row_whose_item_differs_from_its_line_is_refused(self):
		make_item("_Test Aftersales Other Item", item_group="Mobile Phones")
		request = make_return_request(sell_phones(qty=1), do_not_save=True)
		request.items[0].item_code = "_Test Aftersales Other Item"
		with self.assertRaises(frappe.ValidationError) as refused:
			as_customer_service(request.insert)
		self.assertIn("sold", str(refused.exception))

	def test_get_items_refuses_another_customers_cancelled_or_return_invoice(self):
		other_customer = make_customer("_Test Aftersales Other Customer").name
		theirs = make_sales_invoice([(PHONE, 1, 500)], customer=other_customer)
		cancelled = sell_phones(qty=1)
		cancelled.cancel()
		mine = sell_phones(qty=1)
		for invoice in (theirs.name, cancelled.name):
			with acting_as(CUSTOMER_SERVICE):
				request = frappe.get_doc(
					{
						"doctype": "Return Request",
						"company": mine.company,
						"customer": mine.customer,
						"request_type": "Return and Refund",
						"reason_category": "Quality Problem",
					}
				)
				self.assertRaises(frappe.ValidationError, request.get_items, invoice)
				self.assertEqual(request.items, [])

	def test_submit_refuses_a_draft_whose_invoice_was_cancelled_since_it_was_saved(self):
		invoice = sell_phones(qty=1)
		request = make_return_request(invoice)
		invoice.reload()
		invoice.cancel()
		with self.assertRaises(frappe.CancelledLinkError) as refused:
			as_customer_service(apply_workflow, frappe.get_doc("Return Request", request.name), "Submit")
		self.assertIn(invoice.name, str(refused.exception))
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "docstatus"), 0)


class TestSoldFacts(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		setup_stock()

	def test_the_price_and_unit_of_a_line_are_the_invoices(self):
		invoice = sell_phones(qty=1, rate=500)
		request = make_return_request(invoice, do_not_save=True)
		request.items[0].rate = 10000
		request.items[0].warehouse = None
		as_customer_service(request.insert)
		self.assertEqual((request.items[0].rate, request.goods_amount), (500, 500))
		self.assertEqual(request.items[0].warehouse, invoice.items[0].warehouse)
