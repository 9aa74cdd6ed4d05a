# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""What the money tests share: taxed and foreign-currency sales, a case walked to its refund by the role
users, and the checks that the case, its credit notes, its refunds, the Return Slip and the ledger
agree. Not a test module itself."""

import re

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	ReturnFlowTestCase,
	act,
	open_request,
	postings,
	receive_all,
	save_as,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import TEST_COMPANY, company_value, make_sales_invoice
from aftersales_module.tests.role_users import ACCOUNTS_USER, acting_as

VAT_RATE = 13
EUR_RATE = 1.1
EUR_CUSTOMER = "_Test Aftersales EUR Customer"
EUR_CUSTOMER_USD_BOOKS = "_Test Aftersales EUR Customer Company Books"
PERSONAL = "Personal Reason (7-day No Reason)"
CASH_AT_STORE = "Cash at Store"


def abbr() -> str:
	return company_value("abbr")


def make_account(account_name: str, parent: str, account_type: str, currency: str = "USD", **fields) -> str:
	name = f"{account_name} - {abbr()}"
	if not frappe.db.exists("Account", name):
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": account_name,
				"parent_account": f"{parent} - {abbr()}",
				"company": TEST_COMPANY,
				"account_type": account_type,
				"account_currency": currency,
				**fields,
			}
		).insert(ignore_permissions=True)
	return name


def vat_account() -> str:
	return make_account("Aftersales VAT 13", "Duties and Taxes", "Tax", tax_rate=VAT_RATE)


def bank_account() -> str:
	return make_account("Aftersales Test Bank", "Bank Accounts", "Bank")


def eur_receivable() -> str:
	return make_account("Aftersales Debtors EUR", "Accounts Receivable", "Receivable", "EUR")


def make_eur_rate(rate: float = EUR_RATE):
	for from_currency, to_currency, value in (("EUR", "USD", rate), ("USD", "EUR", 1 / rate)):
		if not frappe.db.exists(
			"Currency Exchange",
			{"from_currency": from_currency, "to_currency": to_currency, "date": nowdate()},
		):
			frappe.get_doc(
				{
					"doctype": "Currency Exchange",
					"date": nowdate(),
					"from_currency": from_currency,
					"to_currency": to_currency,
					"exchange_rate": value,
					"for_buying": 1,
					"for_selling": 1,
				}
			).insert(ignore_permissions=True)


def make_eur_customer(name: str, receivable: str) -> str:
	"""A customer billed in EUR whose receivable is `receivable` (in EUR or in company currency)."""
	eur_books = frappe.get_cached_value("Account", receivable, "account_currency") == "EUR"
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Individual",
				"default_currency": "EUR" if eur_books else None,
				"accounts": [{"company": TEST_COMPANY, "account": receivable}],
			}
		).insert(ignore_permissions=True)
	return name


def taxed_sale(
	items, included=False, update_stock=1, customer=None, currency=None, debit_to=None, discount=None
):
	"""A submitted invoice with 13 % VAT, added on top or included in the price (none: `included` is
	None), and an additional discount of its own on the Net Total when `discount` is given."""
	invoice = make_sales_invoice(items, update_stock=update_stock, do_not_save=True)
	if discount:
		invoice.apply_discount_on = "Net Total"
		invoice.discount_amount = discount
	if customer:
		invoice.customer = customer
	if currency:
		invoice.currency = currency
		invoice.conversion_rate = EUR_RATE
		invoice.selling_price_list = "Standard Selling"
		invoice.price_list_currency = currency
		invoice.plc_conversion_rate = EUR_RATE
	if debit_to:
		invoice.debit_to = debit_to
	if included is not None:
		invoice.append(
			"taxes",
			{
				"charge_type": "On Net Total",
				"account_head": vat_account(),
				"rate": VAT_RATE,
				"description": "VAT 13%",
				"included_in_print_rate": int(included),
				"cost_center": company_value("cost_center"),
			},
		)
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return invoice


def pay_into_bank(sales_invoice: str):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", sales_invoice, bank_account=bank_account())
	payment.reference_no = sales_invoice
	payment.reference_date = nowdate()
	payment.insert(ignore_permissions=True)
	payment.submit()
	return payment


def refund_with_deductions(invoices, qty=None, refund_method="Original Payment Method", **deductions):
	"""A personal-reason return of the invoices' lines (or `qty` of each), the deductions set by the
	sales approver, walked to Refunded by the role users."""
	first, *others = invoices
	request = open_request(first, reason=PERSONAL)
	with acting_as(CUSTOMER_SERVICE):
		request.reload()
		for invoice in others:
			request.get_items(invoice.name)
		if qty is not None:
			for row in request.items:
				row.qty = qty
		request.save()
	request = act(act(request, "Submit"), "Send to Sales Approval")
	if deductions:
		save_as(request, **deductions)
	request = receive_all(act(request, "Approve"))
	if refund_method == CASH_AT_STORE:
		save_as(request, ACCOUNTS_USER, refund_method=refund_method, receipt_signed=1)
	request = act(request, "Refund")
	request.reload()
	return request


def approved_refund_of_one(invoice):
	"""A Refund Only request for one unit of the invoice's first line, approved by the role users."""
	request = open_request(invoice, reason=PERSONAL, request_type="Refund Only")
	with acting_as(CUSTOMER_SERVICE):
		request.reload()
		request.items[0].qty = 1
		request.save()
	return act(act(act(request, "Submit"), "Send to Sales Approval"), "Approve")


def slip_figure(request, figure: str) -> float:
	"""A number as the Return Slip prints it."""
	with acting_as(CUSTOMER_SERVICE):
		html = frappe.get_print("Return Request", request.name, print_format="Return Slip")
	found = re.search(rf'data-figure="{figure}">([^<]*)<', html)
	assert found, f"the Return Slip shows no {figure}"
	return flt(re.sub(r"[^\d.\-]", "", found.group(1)))


def credit_notes(request) -> list:
	names = postings(request, "Goods In", "Sales Invoice") + postings(request, "Credit Note", "Sales Invoice")
	return [frappe.get_doc("Sales Invoice", name) for name in names]


def refunds(request) -> list:
	return [frappe.get_doc("Payment Entry", name) for name in postings(request, "Refund", "Payment Entry")]


def party_balance(customer: str, vouchers) -> float:
	"""What the customer owes on these vouchers, in the receivable account's currency."""
	return flt(
		frappe.db.sql(
			"""select sum(debit_in_account_currency - credit_in_account_currency) from `tabGL Entry`
			where party_type = 'Customer' and party = %s and voucher_no in %s and is_cancelled = 0""",
			(customer, tuple(vouchers)),
		)[0][0],
		2,
	)


class MoneyTestCase(ReturnFlowTestCase):
	def assert_money_agrees(self, request, paid_in_full=True):
		"""Refund paid = credit note value = the case's figure = the Return Slip's figure; the tax
		reversed is the tax on what was credited; every voucher balances; the books reconcile."""
		request.reload()
		notes, payments = credit_notes(request), refunds(request)
		self.assertTrue(notes, "the case made no credit note")
		credited = flt(sum(-note.grand_total for note in notes), 2)
		self.assertEqual(credited, flt(request.refund_amount))
		self.assertEqual(credited, flt(request.credited_amount))
		self.assertEqual(slip_figure(request, "refund"), flt(request.refund_amount))
		self.assertEqual(slip_figure(request, "tax"), flt(request.credit_tax))
		if paid_in_full:
			self.assertEqual(flt(request.refunded_amount), credited)
			self.assertEqual(
				flt(sum(payment.base_paid_amount for payment in payments), 2),
				flt(sum(-note.base_grand_total for note in notes), 2),
			)
		tax = 0
		for note in notes:
			for row in note.taxes:
				self.assertEqual(
					-flt(row.tax_amount_after_discount_amount),
					flt(-note.net_total * flt(row.rate) / 100, 2),
					f"{note.name}: tax on what was credited",
				)
				tax += -flt(row.tax_amount_after_discount_amount)
		self.assertEqual(flt(tax, 2), flt(request.credit_tax))
		for voucher in [note.name for note in notes] + [payment.name for payment in payments]:
			self.assert_voucher_balances(voucher)
		for payment in payments:
			# Paid back at the invoice's rate: no exchange gain or loss is invented.
			self.assertFalse(payment.deductions, f"{payment.name} books a difference")
			self.assertEqual(flt(payment.difference_amount), 0)
		self.assert_books_reconcile()
		return notes, payments

	def assert_voucher_balances(self, voucher: str):
		debit, credit = frappe.db.sql(
			"""select sum(debit), sum(credit) from `tabGL Entry` where voucher_no = %s and is_cancelled = 0""",
			voucher,
		)[0]
		self.assertEqual(flt(debit, 2), flt(credit, 2), f"{voucher} does not balance")


__all__ = ["PHONE", "MoneyTestCase"]
