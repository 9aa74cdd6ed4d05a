# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The no-reason week counts from the day the customer received the goods (seed 001: 收到商品後七天內):
sent nine days ago and received six days ago, a personal-reason return is still inside the week —
whether the carrier's delivery date is on the Delivery Note or customer service corrects it on the
case, saying how it is known."""

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	open_request,
)
from aftersales_module.setup.roles import WAREHOUSE
from aftersales_module.tests.factories import make_delivery_flow, make_sales_invoice, make_stock
from aftersales_module.tests.role_users import acting_as

PERSONAL = "Personal Reason (7-day No Reason)"


class TestReceiptDates(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_stock(PHONE, qty=10, rate=COST, posting_date=add_days(nowdate(), -90))

	def test_the_carriers_delivery_date_on_the_delivery_note_starts_the_week(self):
		_order, delivery_note, invoice = make_delivery_flow(
			[(PHONE, 1, PRICE)], posting_date=add_days(nowdate(), -9)
		)
		self.assertEqual(open_request(invoice, reason=PERSONAL).eligible, 0)

		with acting_as(WAREHOUSE):
			delivery_note = frappe.get_doc("Delivery Note", delivery_note.name)
			delivery_note.aftersales_received_on = add_days(nowdate(), -6)
			delivery_note.save()

		request = open_request(invoice, reason=PERSONAL)
		self.assertEqual(request.eligible, 1, request.eligibility_rule)
		self.assertIn("day 6", request.eligibility_rule)

	def test_customer_service_corrects_the_day_of_receipt_saying_how_it_is_known(self):
		invoice = make_sales_invoice([(PHONE, 1, PRICE)], posting_date=add_days(nowdate(), -9))
		received = add_days(nowdate(), -6)
		with self.assertRaises(frappe.ValidationError) as refused:
			open_request(invoice, reason=PERSONAL, received_on=received)
		self.assertIn("Why the Day of Receipt Differs", str(refused.exception))

		request = open_request(
			invoice,
			reason=PERSONAL,
			received_on=received,
			received_on_reason="Carrier tracking shows delivery on that day",
		)
		self.assertEqual(request.eligible, 1, request.eligibility_rule)

	def test_a_day_of_receipt_before_the_goods_were_sent_is_refused(self):
		invoice = make_sales_invoice([(PHONE, 1, PRICE)], posting_date=add_days(nowdate(), -9))
		with self.assertRaises(frappe.ValidationError) as refused:
			open_request(
				invoice, reason=PERSONAL, received_on=add_days(nowdate(), -12), received_on_reason="Typo"
			)
		self.assertIn("before they were sent", str(refused.exception))
