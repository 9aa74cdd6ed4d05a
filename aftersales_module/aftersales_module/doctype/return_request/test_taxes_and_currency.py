# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Refunds with VAT, deductions and foreign currency: what the customer is paid back, what the credit
notes say, what the case and its Return Slip show and what the ledger holds are the same number."""

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	EUR_CUSTOMER,
	EUR_CUSTOMER_USD_BOOKS,
	EUR_RATE,
	PHONE,
	MoneyTestCase,
	bank_account,
	credit_notes,
	eur_receivable,
	make_eur_customer,
	make_eur_rate,
	party_balance,
	pay_into_bank,
	refund_with_deductions,
	refunds,
	slip_figure,
	taxed_sale,
	vat_account,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	gl_balance,
	open_request,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY, company_value

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


class TestVatOnRefunds(MoneyTestCase):
	def setUp(self):
		super().setUp()
		vat_account()
		bank_account()

	def test_tax_added_on_top_is_reversed_on_what_is_credited(self):
		# 1 of 100 with 10 % depreciation and a fee of 5: 85 is credited, VAT 11.05, refund 96.05.
		invoice = taxed_sale([(PHONE, 1, 100)], included=False)
		pay_into_bank(invoice.name)
		request = refund_with_deductions([invoice], depreciation_percent=10, handling_fee=5)
		self.assertEqual(
			(request.goods_amount, request.total_deductions, request.credit_tax, request.refund_amount),
			(100, 15, 11.05, 96.05),
		)
		[note], [payment] = self.assert_money_agrees(request)
		self.assertEqual(
			(note.apply_discount_on, note.discount_amount, note.net_total), ("Net Total", -15, -85)
		)
		self.assertEqual(flt(payment.paid_amount), 96.05)
		self.assertEqual(payment.paid_from, bank_account())
		vouchers = [invoice.name, note.name, payment.name, *self.receipts(invoice)]
		self.assertEqual(party_balance(invoice.customer, vouchers), 0)

	def test_tax_included_in_the_price_is_reversed_on_what_is_credited(self):
		# The customer paid 113 with VAT inside: 100 of goods. 10 % depreciation and a fee of 5 come off
		# the goods, so 85 is credited with its 11.05 of VAT: 96.05 back, not 98.00 with 13.00 of VAT.
		invoice = taxed_sale([(PHONE, 1, 113)], included=True)
		pay_into_bank(invoice.name)
		request = refund_with_deductions([invoice], depreciation_percent=10, handling_fee=5)
		self.assertEqual(
			(request.goods_amount, request.total_deductions, request.credit_tax, request.refund_amount),
			(100, 15, 11.05, 96.05),
		)
		self.assertTrue(request.taxes_included)
		[note], [payment] = self.assert_money_agrees(request)
		self.assertEqual(
			(note.apply_discount_on, note.discount_amount, note.net_total), ("Net Total", -15, -85)
		)
		self.assertEqual(flt(payment.paid_amount), 96.05)
		vouchers = [invoice.name, note.name, payment.name, *self.receipts(invoice)]
		self.assertEqual(party_balance(invoice.customer, vouchers), 0)

	def test_an_inclusive_return_without_deductions_gives_back_the_price_paid(self):
		invoice = taxed_sale([(PHONE, 3, 9.99)], included=True)
		pay_into_bank(invoice.name)
		request = refund_with_deductions([invoice])
		self.assertEqual(request.refund_amount, 29.97)
		self.assert_money_agrees(request)

	def test_the_invoices_own_discount_is_given_back_as_it_was_taken(self):
		# 2 × 100 less 10 of the invoice's own discount: each unit was charged 95. One comes back with
		# a fee of 5: 90 is credited with its 11.70 of VAT.
		invoice = taxed_sale([(PHONE, 2, 100)], included=False, discount=10)
		pay_into_bank(invoice.name)
		request = refund_with_deductions([invoice], qty=1, handling_fee=5)
		self.assertEqual(
			(request.goods_amount, request.total_deductions, request.credit_tax, request.refund_amount),
			(95, 5, 11.7, 101.7),
		)
		[note], [payment] = self.assert_money_agrees(request)
		self.assertEqual((note.discount_amount, note.net_total), (-10, -90))
		self.assertEqual(flt(payment.paid_amount), 101.7)

	def test_deductions_over_two_taxed_invoices_add_up_to_the_case(self):
		# 10 % of 333.33 + 666.68 is 33.33 + 66.67: rounded per note, still the case's 100.00.
		small = taxed_sale([(PHONE, 1, 333.33)], included=False)
		large = taxed_sale([(PHONE, 1, 666.68)], included=False)
		for invoice in (small, large):
			pay_into_bank(invoice.name)
		request = refund_with_deductions([small, large], depreciation_percent=10, handling_fee=7)
		notes, payments = self.assert_money_agrees(request)
		self.assertEqual(len(notes), 2)
		self.assertEqual(flt(sum(-note.discount_amount for note in notes), 2), 107)
		self.assertEqual(len(payments), 2)

	def test_a_fee_larger_than_the_goods_is_refused_with_a_message(self):
		invoice = taxed_sale([(PHONE, 1, 20)], included=False)
		with self.assertRaises(frappe.ValidationError) as refused:
			open_request(invoice, handling_fee=25)
		self.assertIn("Handling Fee", str(refused.exception))

	def receipts(self, invoice) -> list[str]:
		return frappe.get_all(
			"Payment Entry Reference",
			filters={"reference_name": invoice.name, "docstatus": 1},
			pluck="parent",
		)


class TestForeignCurrencyRefunds(MoneyTestCase):
	def setUp(self):
		super().setUp()
		vat_account()
		bank_account()
		make_eur_rate()
		make_eur_customer(EUR_CUSTOMER, eur_receivable())
		make_eur_customer(EUR_CUSTOMER_USD_BOOKS, company_value("default_receivable_account"))

	def eur_sale(self, customer, receivable, price=300):
		if frappe.get_cached_value("Account", receivable, "account_currency") != "EUR":
			# ERPNext's setting for EUR invoices on a dollar receivable.
			frappe.db.set_single_value(
				"Accounts Settings", "allow_multi_currency_invoices_against_single_party_account", 1
			)
		invoice = taxed_sale(
			[(PHONE, 1, price)], included=False, customer=customer, currency="EUR", debit_to=receivable
		)
		self.assertEqual(flt(invoice.conversion_rate), EUR_RATE)
		pay_into_bank(invoice.name)
		return invoice

	def assert_refund_at_the_invoice_rate(self, request, invoice, receivable):
		[note], [payment] = self.assert_money_agrees(request)
		self.assertEqual(flt(note.conversion_rate), EUR_RATE)
		self.assertEqual(request.currency, "EUR")
		self.assertEqual(request.company_currency, "USD")
		self.assertEqual(flt(request.base_refund_amount), flt(-note.base_grand_total))
		self.assertEqual(flt(request.base_refunded_amount), flt(payment.base_paid_amount))
		self.assertEqual(slip_figure(request, "base-refund"), flt(request.base_refund_amount))
		self.assertEqual(payment.paid_to, receivable)
		if frappe.get_cached_value("Account", receivable, "account_currency") == "EUR":
			# EUR leaves the customer's EUR account; its dollar value leaves the dollar bank or till.
			self.assertEqual(flt(payment.received_amount), flt(-note.grand_total))
			self.assertEqual(flt(payment.target_exchange_rate), EUR_RATE)
			self.assertEqual(flt(payment.paid_amount), flt(-note.base_grand_total))
		else:
			self.assertEqual(flt(payment.received_amount), flt(payment.paid_amount))
			self.assertEqual(flt(payment.paid_amount), flt(-note.base_grand_total))
		vouchers = [invoice.name, note.name, payment.name, *self.receipts(invoice)]
		self.assertEqual(party_balance(invoice.customer, vouchers), 0)
		return payment

	def receipts(self, invoice) -> list[str]:
		return frappe.get_all(
			"Payment Entry Reference",
			filters={"reference_name": invoice.name, "docstatus": 1},
			pluck="parent",
		)

	def test_eur_customer_with_an_eur_receivable_is_refunded_by_bank(self):
		invoice = self.eur_sale(EUR_CUSTOMER, eur_receivable())
		request = refund_with_deductions([invoice], depreciation_percent=10)
		self.assertEqual(request.refund_amount, 305.1)  # (300 - 30) + 13 % VAT, in EUR
		payment = self.assert_refund_at_the_invoice_rate(request, invoice, eur_receivable())
		self.assertEqual(payment.paid_from, bank_account())
		self.assertEqual(flt(payment.paid_amount), 335.61)

	def test_eur_customer_with_an_eur_receivable_is_refunded_in_cash(self):
		invoice = self.eur_sale(EUR_CUSTOMER, eur_receivable())
		request = refund_with_deductions([invoice], refund_method="Cash at Store", handling_fee=10)
		payment = self.assert_refund_at_the_invoice_rate(request, invoice, eur_receivable())
		self.assertEqual(payment.paid_from, company_value("default_cash_account"))

	def test_eur_invoice_on_a_company_currency_receivable_is_refunded_by_bank(self):
		receivable = company_value("default_receivable_account")
		invoice = self.eur_sale(EUR_CUSTOMER_USD_BOOKS, receivable)
		request = refund_with_deductions([invoice], depreciation_percent=10)
		payment = self.assert_refund_at_the_invoice_rate(request, invoice, receivable)
		self.assertEqual(flt(payment.paid_amount), 335.61)

	def test_eur_invoice_on_a_company_currency_receivable_is_refunded_in_cash(self):
		receivable = company_value("default_receivable_account")
		invoice = self.eur_sale(EUR_CUSTOMER_USD_BOOKS, receivable)
		request = refund_with_deductions([invoice], refund_method="Cash at Store", handling_fee=10)
		payment = self.assert_refund_at_the_invoice_rate(request, invoice, receivable)
		self.assertEqual(payment.paid_from, company_value("default_cash_account"))

	def test_a_company_may_refund_at_todays_rate_booking_the_difference(self):
		invoice = self.eur_sale(EUR_CUSTOMER, eur_receivable())
		set_refund_rate("Today's Rate")
		self.addCleanup(set_refund_rate, "Invoice's Rate")
		frappe.db.set_value(
			"Currency Exchange",
			{"from_currency": "EUR", "to_currency": "USD", "date": nowdate()},
			"exchange_rate",
			1.2,
		)
		request = refund_with_deductions([invoice], depreciation_percent=10)
		[payment] = refunds(request)
		self.assertEqual((flt(payment.received_amount), flt(payment.target_exchange_rate)), (305.1, 1.2))
		self.assertEqual(flt(payment.paid_amount), 366.12)
		# ERPNext books the difference to the invoice's rate as exchange gain or loss.
		gain_loss_account = company_value("exchange_gain_loss_account")
		self.assertTrue(
			frappe.db.sql(
				"""select gle.name from `tabGL Entry` gle
				left join `tabJournal Entry Account` jea on jea.parent = gle.voucher_no
				where gle.account = %(account)s and gle.is_cancelled = 0
					and (gle.voucher_no = %(payment)s or jea.reference_name = %(payment)s)""",
				{"account": gain_loss_account, "payment": payment.name},
			)
		)
		self.assertEqual(flt(sum(gl_balance([payment.name]).values()), 2), 0)
		notes = [note.name for note in credit_notes(request)]
		eur_left = frappe.db.sql(
			"""select sum(debit_in_account_currency - credit_in_account_currency) from `tabGL Entry`
			where party = %s and account = %s and is_cancelled = 0 and voucher_no in %s""",
			(EUR_CUSTOMER, eur_receivable(), (invoice.name, payment.name, *notes, *self.receipts(invoice))),
		)[0][0]
		self.assertEqual(flt(eur_left, 2), 0)


def set_refund_rate(choice: str) -> None:
	settings = frappe.get_single("Aftersales Settings")
	for row in settings.company_settings:
		if row.company == TEST_COMPANY:
			row.refund_exchange_rate = choice
	settings.save(ignore_permissions=True)
