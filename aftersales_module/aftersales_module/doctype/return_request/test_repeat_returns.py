# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Several requests against the same invoice line, each returned and refunded in part, with a manual
ERPNext credit note and refund in between: each refund is what its credit note is worth."""

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	open_request,
	postings,
	receive_all,
	receive_payment,
	save_as,
	sell,
)
from aftersales_module.aftersales_module.doctype.return_request.test_return_request import (
	make_return_request,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, make_delivery_flow, make_sales_invoice
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


def return_one(invoice):
	"""A quality return of one unit of the invoice, walked to Refunded by the role users."""
	request = open_request(invoice)
	with acting_as(CUSTOMER_SERVICE):
		request.reload()
		request.items[0].qty = 1
		request.save()
	return act(receive_all(approve_quality_return(request)), "Refund")


def manual_refund(invoice, qty: int):
	"""What an accountant does in ERPNext alone: a credit note and a refund against it."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	credit_note = make_return_doc("Sales Invoice", invoice.name)
	credit_note.items[0].qty = -qty
	credit_note.update_outstanding_for_self = 1
	credit_note.insert(ignore_permissions=True)
	credit_note.submit()
	payment = get_payment_entry("Sales Invoice", credit_note.name)
	payment.reference_no = credit_note.name
	payment.reference_date = nowdate()
	payment.insert(ignore_permissions=True)
	payment.submit()
	return credit_note, payment


class TestRepeatReturns(ReturnFlowTestCase):
	def test_successive_partial_returns_are_each_refunded_what_their_credit_note_is_worth(self):
		invoice = sell(qty=4)
		refunds = []
		for _step in range(2):
			request = return_one(invoice)
			[credit_note] = postings(request, "Goods In")
			[payment] = postings(request, "Refund")
			credited = -flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total"))
			paid = flt(frappe.db.get_value("Payment Entry", payment, "paid_amount"))
			self.assertEqual((credited, paid), (PRICE, PRICE))
			self.assertEqual((request.credited_amount, request.refunded_amount), (PRICE, PRICE))
			refunds.append(paid)

		manual_refund(invoice, qty=1)
		request = return_one(invoice)
		[payment] = postings(request, "Refund")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), PRICE)
		self.assertEqual(sum(refunds) + 2 * PRICE, 4 * PRICE)

		# All four units are back: nothing more can be asked for.
		with self.assertRaises(frappe.ValidationError):
			open_request(invoice)
		self.assertEqual(
			frappe.db.get_value("Sales Invoice Item", invoice.items[0].name, "aftersales_requested_qty"), 0
		)
		self.assert_books_reconcile()

	def test_a_refund_never_pays_more_than_was_paid_and_not_yet_refunded(self):
		invoice = sell(qty=2, paid=False)
		receive_payment(invoice.name)
		manual_refund(invoice, qty=1)
		request = return_one(invoice)
		[credit_note] = postings(request, "Goods In")
		[payment] = postings(request, "Refund")
		self.assertEqual(-flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), PRICE)
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), PRICE)
		self.assertEqual(flt(frappe.db.get_value("Sales Invoice", credit_note, "outstanding_amount")), 0)
		self.assertEqual(
			PHONE, frappe.db.get_value("Sales Invoice Item", {"parent": credit_note}, "item_code")
		)


class TestBadAmounts(ReturnFlowTestCase):
	def test_impossible_deductions_get_a_message_not_a_crash(self):
		invoice = sell(qty=1)
		for fields in (
			{"depreciation_percent": 150},
			{"handling_fee": -10},
			{"shipping_cost": -5},
			{"request_type": "Refund Only", "shipping_cost": 10},
		):
			with self.assertRaises(frappe.ValidationError) as refused, acting_as(CUSTOMER_SERVICE):
				open_request(invoice, **fields)
			self.assertNotIsInstance(refused.exception, ValueError)

	def test_hostile_values_get_a_message_naming_the_field(self):
		invoice = sell(qty=1)
		for fields in (
			{"reason": "Bogus"},
			{"request_type": "Bogus"},
			{"handling_fee": float("inf")},
			{"depreciation_percent": float("nan")},
		):
			with self.assertRaises(frappe.ValidationError):
				open_request(invoice, **fields)
		with self.assertRaises(frappe.ValidationError) as refused:
			make_return_request(invoice, qty="abc")
		self.assertIn("number", str(refused.exception))


class TestDeductionsOverInvoices(ReturnFlowTestCase):
	def test_a_fee_larger_than_one_notes_share_is_spread_and_the_notes_add_up_to_the_case(self):
		small = make_sales_invoice([(PHONE, 1, 20)], posting_date=nowdate())
		receive_payment(small.name)
		_order, _delivery, large = make_delivery_flow([(PHONE, 1, PRICE)], posting_date=nowdate())
		receive_payment(large.name)

		request = open_request(small, reason="Personal Reason (7-day No Reason)")
		with acting_as(CUSTOMER_SERVICE):
			request.reload()
			request.get_items(large.name)
			request.save()
		request = act(act(request, "Submit"), "Send to Sales Approval")
		save_as(request, depreciation_percent=10, handling_fee=50)
		request.reload()
		self.assertEqual((request.goods_amount, request.total_deductions), (520, 102))
		case_refund = flt(request.refund_amount)
		self.assertEqual(case_refund, 418)

		request = receive_all(act(request, "Approve"))
		request = act(request, "Refund")
		notes = postings(request, "Goods In", "Sales Invoice") + postings(request, "Credit Note")
		self.assertEqual(len(notes), 2)
		credited = sum(-flt(frappe.db.get_value("Sales Invoice", note, "grand_total")) for note in notes)
		refunded = sum(
			flt(frappe.db.get_value("Payment Entry", payment, "paid_amount"))
			for payment in postings(request, "Refund")
		)
		request.reload()
		self.assertEqual((credited, refunded), (case_refund, case_refund))
		self.assertEqual(
			(flt(request.credited_amount), flt(request.refunded_amount)), (case_refund, case_refund)
		)
		self.assert_books_reconcile()
