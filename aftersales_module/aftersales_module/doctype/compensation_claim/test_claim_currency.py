# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A claim's compensation and recovery posted to a receivable or payable kept in another currency: the
party is credited or debited in its own money, at the sale's rate or the day's, and the ledger holds the
claim's company-currency figure with no exchange difference."""

import frappe
from frappe.utils import flt

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	PHONE,
	ClaimTestCase,
	approve,
	gl_balance,
	new_claim,
)
from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	EUR_CUSTOMER,
	EUR_RATE,
	eur_receivable,
	make_account,
	make_eur_customer,
	make_eur_rate,
	taxed_sale,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY, make_supplier

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim", "Inquiry Ticket"]

EUR_SUPPLIER = "_Test Aftersales EUR Carrier"


def make_eur_supplier() -> str:
	payable = make_account("Aftersales Creditors EUR", "Accounts Payable", "Payable", "EUR")
	if not frappe.db.exists("Supplier", EUR_SUPPLIER):
		supplier = make_supplier(EUR_SUPPLIER)
		supplier.default_currency = "EUR"
		supplier.append("accounts", {"company": TEST_COMPANY, "account": payable})
		supplier.save(ignore_permissions=True)
	return payable


class TestClaimsInPartyCurrency(ClaimTestCase):
	def setUp(self):
		super().setUp()
		make_eur_rate()
		self.eur_receivable = eur_receivable()
		make_eur_customer(EUR_CUSTOMER, self.eur_receivable)
		self.eur_payable = make_eur_supplier()

	def party_entry(self, voucher: str, account: str):
		return frappe.db.get_value(
			"GL Entry",
			{"voucher_no": voucher, "account": account, "is_cancelled": 0},
			[
				"sum(debit) as debit",
				"sum(credit) as credit",
				"sum(debit_in_account_currency) as debit_in_account_currency",
				"sum(credit_in_account_currency) as credit_in_account_currency",
				"account_currency",
			],
			as_dict=True,
		)

	def assert_balanced_without_exchange_difference(self, voucher: str):
		balance = gl_balance([voucher])
		self.assertEqual(flt(sum(balance.values()), 2), 0)
		exchange_gain_loss = frappe.get_cached_value("Company", TEST_COMPANY, "exchange_gain_loss_account")
		self.assertNotIn(exchange_gain_loss, balance)

	def test_compensation_to_an_eur_customer_at_the_sales_rate_and_recovery_from_an_eur_carrier(self):
		invoice = taxed_sale(
			[(PHONE, 1, 200)],
			included=None,
			customer=EUR_CUSTOMER,
			currency="EUR",
			debit_to=self.eur_receivable,
		)
		claim = new_claim(
			customer=EUR_CUSTOMER,
			sales_invoice=invoice.name,
			liable_supplier=EUR_SUPPLIER,
			compensation_amount=110,
			recovery_amount=100,
		)
		claim = approve(claim)
		compensation, recovery = claim.compensation_voucher, claim.recovery_voucher

		# 110.00 USD to the customer is 100.00 EUR at the sale's rate of 1.1.
		credited = self.party_entry(compensation, self.eur_receivable)
		self.assertEqual(credited.account_currency, "EUR")
		self.assertEqual((flt(credited.credit_in_account_currency), flt(credited.credit)), (100, 110))
		self.assertEqual(
			flt(
				frappe.db.get_value(
					"Journal Entry Account",
					{"parent": compensation, "account": self.eur_receivable},
					"exchange_rate",
				)
			),
			EUR_RATE,
		)
		self.assertEqual(gl_balance([compensation])[self.accounts.compensation_expense_account], 110)
		self.assert_balanced_without_exchange_difference(compensation)

		# 100.00 USD from the carrier is 90.91 EUR at the day's rate; the ledger holds 100.00 USD.
		debited = self.party_entry(recovery, self.eur_payable)
		self.assertEqual((flt(debited.debit_in_account_currency), flt(debited.debit)), (90.91, 100))
		self.assertEqual(gl_balance([recovery])[self.accounts.compensation_recovery_account], -100)
		self.assert_balanced_without_exchange_difference(recovery)

		# The claim shows both currencies.
		self.assertIn("100.00 EUR × 1.1 = 110.00 USD", claim.party_currency_amounts)
		self.assertIn("90.91 EUR × 1.1 = 100.00 USD", claim.party_currency_amounts)
		self.assertEqual(claim.net_cost, 10)

	def test_credit_and_debit_notes_in_the_party_currency(self):
		frappe.db.set_single_value(
			"Aftersales Settings", {"compensation_posting": "Credit Note", "recovery_posting": "Debit Note"}
		)
		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		claim = new_claim(
			customer=EUR_CUSTOMER,
			liable_supplier=EUR_SUPPLIER,
			compensation_amount=55,
			recovery_amount=55,
		)
		claim = approve(claim)
		credit_note = frappe.get_doc("Sales Invoice", claim.compensation_voucher)
		debit_note = frappe.get_doc("Purchase Invoice", claim.recovery_voucher)
		for note, account in ((credit_note, self.eur_receivable), (debit_note, self.eur_payable)):
			self.assertEqual(note.currency, "EUR")
			self.assertEqual((flt(note.grand_total), flt(note.base_grand_total)), (-50, -55))
			self.assertEqual(note.get("debit_to") or note.get("credit_to"), account)
			self.assert_balanced_without_exchange_difference(note.name)
