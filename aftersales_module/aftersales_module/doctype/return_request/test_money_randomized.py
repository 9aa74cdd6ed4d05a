# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Randomized, reproducible walks through the money of return requests on a real site.

Each run draws AFTERSALES_MONEY_CASES cases (50 unless set) from AFTERSALES_MONEY_SEED (random unless
set; printed with any failure, so a failing run is replayed by setting it): an invoice (taxes added on
top, included or none; dollars, or euros on a euro or a dollar receivable; paid by bank, half paid or
unpaid; delivered by the invoice or by a delivery note), then one to three requests against it (return
or refund only, a part of what is left, deductions, return shipping and who pays it, refund by bank or
cash), with a manual ERPNext credit note and refund or the cancellation of a case now and then. After
every step: the credit notes = the case's figure = the Return Slip's, the tax reversed is the tax on what
was credited, each refund is what its note left open and never more than was paid and not yet
refunded, every voucher balances, the customer's balance is what ERPNext says is outstanding, and
ERPNext's stock and account value comparison is empty."""

import os
import random

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	EUR_CUSTOMER,
	EUR_CUSTOMER_USD_BOOKS,
	PERSONAL,
	PHONE,
	MoneyTestCase,
	bank_account,
	credit_notes,
	eur_receivable,
	make_eur_customer,
	make_eur_rate,
	party_balance,
	pay_into_bank,
	taxed_sale,
	vat_account,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	CARRIER,
	COST,
	act,
	cancel_as_manager,
	open_request,
	receive_all,
	save_as,
)
from aftersales_module.aftersales_module.doctype.return_request.test_money_over_returns import (
	manual_refund,
	vouchers_of,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	company_value,
	make_delivery_flow,
	make_stock,
	make_supplier,
)
from aftersales_module.tests.role_users import ACCOUNTS_USER, acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

CASES = int(os.environ.get("AFTERSALES_MONEY_CASES") or 50)


def draw_sale(rng: random.Random) -> dict:
	books = rng.choice(["USD", "USD", "EUR", "EUR on USD"])
	return {
		"books": books,
		"taxes": rng.choice([None, False, True]),
		"qty": rng.randint(1, 4),
		"price": rng.choice([9.99, 20, 100, 113, 333.33, 500]),
		"paid": rng.choice(["bank", "bank", "half", "unpaid"]) if books == "USD" else "bank",
		"delivery_note": books == "USD" and rng.random() < 0.25,
		"discount_share": rng.choice([0, 0, 0, 0.05]),
	}


def draw_request(rng: random.Random, left: int, goods: float) -> dict:
	request = {
		"qty": rng.randint(1, left),
		"type": rng.choice(["Return and Refund", "Return and Refund", "Refund Only"]),
		"cash": rng.random() < 0.3,
		"deductions": {},
		"shipping": {},
	}
	unit_goods = goods * request["qty"]
	if rng.random() < 0.6:
		request["deductions"]["depreciation_percent"] = rng.choice([0, 5, 10, 12.5, 30])
	if rng.random() < 0.5:
		request["deductions"]["handling_fee"] = flt(unit_goods * rng.choice([0.01, 0.05, 0.1]), 2)
	if request["type"] == "Return and Refund" and rng.random() < 0.4:
		request["shipping"] = {
			"shipping_cost": flt(unit_goods * rng.choice([0.02, 0.05]), 2) or 1,
			"shipping_payer": rng.choice(["Company", "Customer", "Split Half-Half"]),
			"carrier": CARRIER,
		}
	return request


class TestRandomizedMoney(MoneyTestCase):
	def setUp(self):
		super().setUp()
		vat_account()
		bank_account()
		make_eur_rate()
		make_eur_customer(EUR_CUSTOMER, eur_receivable())
		make_eur_customer(EUR_CUSTOMER_USD_BOOKS, company_value("default_receivable_account"))
		make_supplier(CARRIER)
		make_stock(PHONE, qty=4 * CASES, rate=COST)
		frappe.db.set_single_value(
			"Accounts Settings", "allow_multi_currency_invoices_against_single_party_account", 1
		)

	def test_random_cases_keep_case_slip_notes_refunds_and_ledger_equal(self):
		seed = int(os.environ.get("AFTERSALES_MONEY_SEED") or random.SystemRandom().randrange(1 << 31))
		rng = random.Random(seed)
		for case in range(CASES):
			sale = draw_sale(rng)
			try:
				self.run_case(rng, sale)
			except Exception as failure:
				raise AssertionError(
					f"AFTERSALES_MONEY_SEED={seed} case {case + 1} of {CASES} ({sale}): {failure}"
				) from failure

	def run_case(self, rng: random.Random, sale: dict):
		invoice = self.sell(sale)
		left = int(sale["qty"])
		for _step in range(rng.randint(1, 3)):
			if left <= 0:
				break
			if left > 1 and rng.random() < 0.2 and sale["taxes"] is not False and sale["paid"] == "bank":
				manual_refund(invoice, qty=1)
				left -= 1
				self.assert_invoice_settles(invoice)
				continue
			drawn = draw_request(rng, left, flt(invoice.items[0].net_rate))
			request = self.walk(invoice, drawn)
			self.assert_case(request, invoice)
			if rng.random() < 0.15:
				cancel_as_manager(request)
				self.assertTrue(all(note.docstatus == 2 for note in self.reloaded(credit_notes(request))))
				self.assert_invoice_settles(invoice)
			else:
				left -= drawn["qty"]

	def sell(self, sale: dict):
		if sale["delivery_note"] and sale["taxes"] is None:
			_order, _delivery, invoice = make_delivery_flow([(PHONE, sale["qty"], sale["price"])])
		else:
			customer, receivable, currency = None, None, None
			if sale["books"] == "EUR":
				customer, receivable, currency = EUR_CUSTOMER, eur_receivable(), "EUR"
			elif sale["books"] == "EUR on USD":
				customer, receivable, currency = (
					EUR_CUSTOMER_USD_BOOKS,
					company_value("default_receivable_account"),
					"EUR",
				)
			invoice = taxed_sale(
				[(PHONE, sale["qty"], sale["price"])],
				included=sale["taxes"],
				customer=customer,
				currency=currency,
				debit_to=receivable,
				discount=flt(sale["qty"] * sale["price"] * sale["discount_share"], 2),
			)
		if sale["paid"] == "bank":
			pay_into_bank(invoice.name)
		elif sale["paid"] == "half":
			self.pay_half(invoice)
		return frappe.get_doc("Sales Invoice", invoice.name)

	def pay_half(self, invoice):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		half = flt(invoice.outstanding_amount / 2, 2)
		payment = get_payment_entry(
			"Sales Invoice", invoice.name, party_amount=half, bank_account=bank_account()
		)
		payment.reference_no = invoice.name
		payment.reference_date = nowdate()
		payment.insert(ignore_permissions=True)
		payment.submit()

	def walk(self, invoice, drawn: dict):
		"""The case walked by the role users to its refund."""
		request = open_request(invoice, reason=PERSONAL, request_type=drawn["type"], **drawn["shipping"])
		with acting_as(CUSTOMER_SERVICE):
			request.reload()
			request.items[0].qty = drawn["qty"]
			request.save()
		request = act(act(request, "Submit"), "Send to Sales Approval")
		if drawn["deductions"]:
			save_as(request, **drawn["deductions"])
		request = act(request, "Approve")
		if drawn["type"] == "Return and Refund":
			request = receive_all(request)
		if drawn["cash"]:
			save_as(request, ACCOUNTS_USER, refund_method="Cash at Store", receipt_signed=1)
		request = act(request, "Refund")
		request.reload()
		return request

	def assert_case(self, request, invoice):
		paid_in_full = flt(frappe.db.get_value("Sales Invoice", invoice.name, "outstanding_amount")) <= 0
		notes, payments = self.assert_money_agrees(request, paid_in_full=False)
		for note in notes:
			paid_back = sum(
				-flt(reference.allocated_amount)
				for payment in payments
				for reference in payment.references
				if reference.reference_name == note.name
			)
			# A refund pays what its note left open, never more.
			self.assertLessEqual(
				flt(paid_back, 2),
				flt(
					-note.grand_total
					if note.currency == note.party_account_currency
					else -note.base_grand_total,
					2,
				),
			)
		self.assert_invoice_settles(invoice)
		if paid_in_full and not any(note.update_outstanding_for_self == 0 for note in notes):
			self.assertEqual(flt(request.refunded_amount), flt(request.credited_amount))

	def assert_invoice_settles(self, invoice):
		"""What the customer owes on the invoice's vouchers is what ERPNext has outstanding on them, and
		what was paid back never exceeds what was paid."""
		vouchers = vouchers_of(invoice)
		outstanding = frappe.db.sql(
			"""select coalesce(sum(outstanding_amount), 0) from `tabSales Invoice`
			where docstatus = 1 and (name = %(invoice)s
				or (return_against = %(invoice)s and update_outstanding_for_self = 1))""",
			{"invoice": invoice.name},
		)[0][0]
		self.assertEqual(party_balance(invoice.customer, vouchers), flt(outstanding, 2))
		received, paid_back = frappe.db.sql(
			"""select coalesce(sum(case when payment_type = 'Receive' then received_amount end), 0),
				coalesce(sum(case when payment_type = 'Pay' then received_amount end), 0)
			from `tabPayment Entry` where docstatus = 1 and name in %s""",
			[tuple(vouchers)],
		)[0]
		self.assertLessEqual(flt(paid_back, 2), flt(received, 2))
		for voucher in vouchers:
			self.assert_voucher_balances(voucher)
		self.assert_books_reconcile()

	def reloaded(self, docs):
		return [frappe.get_doc(doc.doctype, doc.name) for doc in docs]
