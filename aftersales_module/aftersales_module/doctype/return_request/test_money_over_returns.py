# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Taxed invoices returned in parts, with a manual ERPNext credit note and refund in between, and cases
over several invoices whose deductions do not divide evenly: each refund is what its credit note is
worth, the notes add up to the case's figure and Return Slip, and the ledger balances."""

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	PERSONAL,
	PHONE,
	MoneyTestCase,
	approved_refund_of_one,
	bank_account,
	party_balance,
	pay_into_bank,
	refund_with_deductions,
	taxed_sale,
	vat_account,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	act,
	open_request,
	receive_all,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]
# What a row of a case takes from the invoice line it returns.
ROW_FIELDS = ("sales_invoice", "sales_invoice_item", "item_code", "item_name", "rate", "uom", "warehouse")


def manual_refund(invoice, qty: int):
	"""What an accountant does in ERPNext alone: a credit note for `qty` and a refund against it."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	credit_note = make_return_doc("Sales Invoice", invoice.name)
	credit_note.items[0].qty = -qty
	credit_note.update_outstanding_for_self = 1
	credit_note.insert(ignore_permissions=True)
	credit_note.submit()
	payment = get_payment_entry("Sales Invoice", credit_note.name, bank_account=bank_account())
	payment.reference_no = credit_note.name
	payment.reference_date = nowdate()
	payment.insert(ignore_permissions=True)
	payment.submit()
	return credit_note, payment


def vouchers_of(invoice) -> list[str]:
	"""The invoice, its credit notes and every payment against either."""
	notes = frappe.get_all(
		"Sales Invoice", filters={"return_against": invoice.name, "docstatus": 1}, pluck="name"
	)
	payments = frappe.get_all(
		"Payment Entry Reference",
		filters={"reference_name": ("in", [invoice.name, *notes]), "docstatus": 1},
		pluck="parent",
	)
	return [invoice.name, *notes, *payments]


class TestRepeatTaxedReturns(MoneyTestCase):
	def setUp(self):
		super().setUp()
		vat_account()
		bank_account()

	def test_three_partial_returns_with_a_manual_refund_between_each_get_what_their_note_is_worth(self):
		invoice = taxed_sale([(PHONE, 5, 100)], included=False)
		pay_into_bank(invoice.name)
		paid = flt(invoice.grand_total)

		first = refund_with_deductions([invoice], qty=1, depreciation_percent=10)
		[_note], [payment] = self.assert_money_agrees(first)
		self.assertEqual((first.refund_amount, flt(payment.paid_amount)), (101.7, 101.7))  # 90 + 11.70

		_manual_note, manual_payment = manual_refund(invoice, qty=1)
		self.assertEqual(flt(manual_payment.paid_amount), 113)

		second = refund_with_deductions([invoice], qty=2, handling_fee=5)
		self.assert_money_agrees(second)
		self.assertEqual(second.refund_amount, 220.35)  # 195 + 25.35

		third = refund_with_deductions([invoice], qty=1)
		self.assert_money_agrees(third)
		self.assertEqual(third.refund_amount, 113)

		refunded = 101.7 + 113 + 220.35 + 113
		self.assertLessEqual(refunded, paid)
		# Everything came back and was refunded: the customer owes nothing and is owed nothing.
		self.assertEqual(party_balance(invoice.customer, vouchers_of(invoice)), 0)
		self.assertEqual(
			frappe.db.get_value("Sales Invoice Item", invoice.items[0].name, "aftersales_requested_qty"), 0
		)

	def test_two_partial_returns_of_an_inclusive_invoice_around_a_manual_refund(self):
		invoice = taxed_sale([(PHONE, 3, 113)], included=True)
		pay_into_bank(invoice.name)
		first = refund_with_deductions([invoice], qty=1, handling_fee=5)
		self.assert_money_agrees(first)
		self.assertEqual(first.refund_amount, 107.35)  # 95 + 12.35
		manual_refund(invoice, qty=1)
		second = refund_with_deductions([invoice], qty=1)
		self.assert_money_agrees(second)
		self.assertEqual(second.refund_amount, 113)
		self.assertEqual(party_balance(invoice.customer, vouchers_of(invoice)), 0)

	def test_a_discounted_inclusive_invoice_returned_whole_credits_exactly_what_it_charged(self):
		# 3 x 500 with 13 % included and 75 off: ERPNext charged a net 1252.43 (1415.25 in all), though
		# its net rate 417.48 times 3 is 1252.44.
		invoice = taxed_sale([(PHONE, 3, 500)], included=True, discount=75)
		pay_into_bank(invoice.name)
		self.assertEqual((flt(invoice.net_total), flt(invoice.grand_total)), (1252.43, 1415.25))
		request = refund_with_deductions([invoice])
		[note], [payment] = self.assert_money_agrees(request)
		self.assertEqual((-flt(note.grand_total), flt(payment.paid_amount)), (1415.25, 1415.25))
		self.assertEqual(party_balance(invoice.customer, vouchers_of(invoice)), 0)

	def test_a_discounted_inclusive_invoice_returned_unit_by_unit_credits_what_it_charged(self):
		invoice = taxed_sale([(PHONE, 3, 500)], included=True, discount=75)
		pay_into_bank(invoice.name)
		notes = []
		for _unit in range(3):
			request = refund_with_deductions([invoice], qty=1)
			[note], _payments = self.assert_money_agrees(request)
			notes.append(note)
		# The units' nets share the line's 1252.43 with the rounding carried (417.48, 417.47, 417.48);
		# ERPNext rounds each note's tax on its own net (54.27 each), so these three notes give back a
		# cent less than the one invoice took.
		self.assertEqual([-flt(note.net_total) for note in notes], [417.48, 417.47, 417.48])
		self.assertEqual(flt(sum(-note.grand_total for note in notes), 2), 1415.24)
		self.assertEqual(party_balance(invoice.customer, vouchers_of(invoice)), 0)

	def test_one_case_with_a_row_per_unit_of_a_discounted_line_credits_what_it_charged(self):
		invoice = taxed_sale([(PHONE, 3, 500)], included=True, discount=75)
		pay_into_bank(invoice.name)
		request = open_request(invoice, reason=PERSONAL)
		with acting_as(CUSTOMER_SERVICE):
			request.reload()
			line = request.items[0].as_dict()
			request.items[0].qty = 1
			for _unit in range(2):
				request.append("items", {**{key: line[key] for key in ROW_FIELDS}, "qty": 1})
			request.save()
		request = act(act(act(request, "Submit"), "Send to Sales Approval"), "Approve")
		request = act(receive_all(request), "Refund")
		request.reload()
		[note], [payment] = self.assert_money_agrees(request)
		self.assertEqual((-flt(note.net_total), -flt(note.grand_total)), (1252.43, 1415.25))
		self.assertEqual(flt(payment.paid_amount), 1415.25)

	def test_a_case_told_its_refund_gets_it_though_another_case_credited_the_line_meanwhile(self):
		invoice = taxed_sale([(PHONE, 3, 500)], included=True, discount=75)
		pay_into_bank(invoice.name)
		first = approved_refund_of_one(invoice)
		self.assertEqual(flt(first.refund_amount), 471.75)
		other = refund_with_deductions([invoice], qty=1)
		self.assert_money_agrees(other)
		first = act(first, "Refund")
		first.reload()
		[note], [payment] = self.assert_money_agrees(first)
		self.assertEqual(
			(flt(first.refund_amount), -flt(note.grand_total), flt(payment.paid_amount)), (471.74,) * 3
		)

	def test_a_refunded_case_keeps_its_figure_when_a_later_case_credits_the_line(self):
		invoice = taxed_sale([(PHONE, 3, 500)], included=True, discount=75)
		pay_into_bank(invoice.name)
		first = refund_with_deductions([invoice], qty=1)
		[first_note], _payments = self.assert_money_agrees(first)
		second = refund_with_deductions([invoice], qty=1)
		self.assert_money_agrees(second)
		first = act(first, "Close")
		first.reload()
		self.assertEqual((flt(first.refund_amount), -flt(first_note.grand_total)), (471.75, 471.75))
		self.assert_money_agrees(first)


class TestDeductionsOverTaxedInvoices(MoneyTestCase):
	def setUp(self):
		super().setUp()
		vat_account()
		bank_account()

	def sales(self, *prices, included=False):
		invoices = [taxed_sale([(PHONE, 1, price)], included=included) for price in prices]
		for invoice in invoices:
			pay_into_bank(invoice.name)
		return invoices

	def test_a_fee_over_three_invoices_that_does_not_divide_evenly(self):
		invoices = self.sales(100, 100, 100)
		request = refund_with_deductions(invoices, depreciation_percent=7, handling_fee=10)
		notes, _payments = self.assert_money_agrees(request)
		self.assertEqual(len(notes), 3)
		# 21.00 of depreciation and 10.00 of fee: 10.34 / 10.33 / 10.33 taken off the notes.
		self.assertEqual(sorted(-flt(note.discount_amount) for note in notes), [10.33, 10.33, 10.34])
		self.assertEqual(request.total_deductions, 31)
		# 269.00 credited, VAT rounded per note: 89.66 / 89.67 / 89.67 each carry 11.66.
		self.assertEqual((request.credit_tax, request.refund_amount), (34.98, 303.98))
		for invoice in invoices:
			self.assertEqual(party_balance(invoice.customer, vouchers_of(invoice)), 0)

	def test_two_invoices_whose_first_note_is_smaller_than_its_fee_share(self):
		# Handling fee 50 and 10 % depreciation on goods of 20 + 500: the first note cannot take its
		# share of everything; what it cannot take is charged on the second, none of it lost.
		invoices = self.sales(20, 500)
		request = refund_with_deductions(invoices, depreciation_percent=10, handling_fee=50)
		self.assertEqual((request.goods_amount, request.total_deductions), (520, 102))
		notes, payments = self.assert_money_agrees(request)
		self.assertEqual(flt(sum(-note.discount_amount for note in notes), 2), 102)
		self.assertEqual(request.refund_amount, flt(418 * 1.13, 2))
		self.assertEqual(len(payments), 2)

	def test_a_fee_of_50_on_goods_of_20_and_500_refunds_470_before_tax(self):
		invoices = self.sales(20, 500, included=None)
		request = refund_with_deductions(invoices, handling_fee=50)
		self.assert_money_agrees(request)
		self.assertEqual(request.refund_amount, 470)
