# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The customer's share of the return shipping is charged on every case type whose policy says so: a
refund deducts it on the credit note, a repair or an exchange (no credit note) charges it to the
customer's account on the freight entry, and the company's part stays a cost."""

import frappe

from aftersales_module.aftersales_module.doctype.compensation_claim.test_claim_currency import (
	EUR_SUPPLIER,
	make_eur_supplier,
)
from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	EUR_RATE,
	make_eur_rate,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	CARRIER,
	ReturnFlowTestCase,
	approve_quality_return,
	gl_balance,
	open_request,
	postings,
	receive_all,
	sell,
)
from aftersales_module.tests.factories import company_value, make_supplier


def party_balances(voucher: str) -> set[tuple]:
	return set(
		frappe.db.sql(
			"""select party_type, party, sum(debit - credit) from `tabGL Entry`
			where voucher_no = %s and is_cancelled = 0 and ifnull(party, '') != '' group by party_type, party""",
			voucher,
		)
	)


class TestShippingShare(ReturnFlowTestCase):
	def repair_with_shipping(self, payer: str):
		request = open_request(
			sell(qty=1, paid=False),
			request_type="Repair",
			shipping_cost=20,
			shipping_payer=payer,
			carrier=make_supplier(CARRIER).name,
		)
		return receive_all(approve_quality_return(request))

	def test_a_repair_charges_the_customer_their_half_of_the_return_shipping(self):
		request = self.repair_with_shipping("Split Half-Half")
		[freight] = postings(request, "Freight")
		self.assertEqual(
			gl_balance([freight]),
			{
				self.settings.return_shipping_account: 10,
				company_value("default_payable_account"): -20,
				self.receivable: 10,
			},
		)
		self.assertEqual(
			party_balances(freight), {("Supplier", CARRIER, -20.0), ("Customer", request.customer, 10.0)}
		)
		self.assert_books_reconcile()

	def test_the_company_pays_all_when_the_policy_says_so(self):
		request = self.repair_with_shipping("Company")
		[freight] = postings(request, "Freight")
		self.assertEqual(party_balances(freight), {("Supplier", CARRIER, -20.0)})

	def test_a_carrier_paid_in_euros_is_owed_the_freight_in_euros(self):
		make_eur_rate()
		payable = make_eur_supplier()
		request = open_request(
			sell(qty=1, paid=False),
			request_type="Repair",
			shipping_cost=22,
			shipping_payer="Company",
			carrier=EUR_SUPPLIER,
		)
		request = receive_all(approve_quality_return(request))
		[freight] = postings(request, "Freight")
		owed = frappe.db.get_value(
			"GL Entry",
			{"voucher_no": freight, "account": payable, "is_cancelled": 0},
			["credit", "credit_in_account_currency", "account_currency", "party"],
			as_dict=True,
		)
		self.assertEqual(
			(owed.credit, owed.credit_in_account_currency, owed.account_currency, owed.party),
			(22, round(22 / EUR_RATE, 2), "EUR", EUR_SUPPLIER),
		)
		self.assertEqual(sum(gl_balance([freight]).values()), 0)
