# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The postage a customer paid to send the goods back is recorded with their carrier and tracking number,
and reimbursed once through a Payment Entry where the policy has the company pay the freight
(seed 003, 从支付宝退邮费客户); where the customer pays, nothing is reimbursed."""

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	back_linked,
	cancel_as_manager,
	gl_balance,
	open_request,
	postings,
	save_as,
	sell,
)
from aftersales_module.controllers.postage import PostageError
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import company_value
from aftersales_module.tests.role_users import ACCOUNTS_USER, acting_as

PERSONAL = "Personal Reason (7-day No Reason)"


def reimburse(request, amount=None):
	with acting_as(ACCOUNTS_USER):
		request.reload()
		return request.reimburse_postage(amount)


def party_balance(vouchers, party: str) -> float:
	return frappe.db.sql(
		"""select coalesce(sum(debit - credit), 0) from `tabGL Entry`
		where voucher_no in %s and is_cancelled = 0 and party_type = 'Customer' and party = %s""",
		(tuple(vouchers), party),
	)[0][0]


class TestPostage(ReturnFlowTestCase):
	def test_postage_reimbursed(self):
		request = open_request(
			sell(qty=1),
			reason="Damaged in Transit",
			customer_carrier="SF Express",
			customer_tracking_no="SF-RETURN-0001",
			customer_postage=12,
		)
		self.assertEqual(
			(request.shipping_payer, request.customer_postage_currency),
			("Company", company_value("default_currency")),
		)
		for action in ("Submit", "Send to Sales Approval", "Approve"):
			request = act(request, action)
		# The warehouse reads the tracking number off the parcel when it comes in.
		save_as(request, WAREHOUSE, customer_tracking_no="SF-RETURN-0002")

		with self.assertRaises(PostageError) as refused:
			reimburse(request, 12.01)
		self.assertIn("more than", str(refused.exception))
		with acting_as(WAREHOUSE), self.assertRaises(frappe.PermissionError):
			request.reload()
			request.reimburse_postage()

		payment = reimburse(request)
		request.reload()
		[owed] = postings(request, "Postage Owed")
		self.assertEqual(postings(request, "Postage Reimbursed"), [payment])
		self.assertEqual((request.postage_payment, request.postage_reimbursed), (payment, 12))
		paid = frappe.get_doc("Payment Entry", payment)
		self.assertEqual(
			(paid.payment_type, paid.party_type, paid.party, paid.paid_amount, paid.reference_no),
			("Pay", "Customer", request.customer, 12, "SF-RETURN-0002"),
		)
		self.assertEqual(
			(paid.aftersales_return_request, paid.aftersales_posting), (request.name, "Postage Reimbursed:")
		)
		self.assertEqual(paid.references, [])  # what the Journal Entry owes the customer, paid
		self.assertEqual(
			gl_balance([owed, payment]), {self.settings.return_shipping_account: 12, paid.paid_from: -12}
		)
		self.assertEqual(party_balance([owed, payment], request.customer), 0)
		self.assertEqual(
			frappe.db.sql(
				"select count(*) from `tabStock Ledger Entry` where voucher_no in %s", [(owed, payment)]
			)[0][0],
			0,
		)

		self.assertRaises(PostageError, reimburse, request)  # once only
		with self.assertRaises(PostageError):
			save_as(frappe.get_doc("Return Request", request.name), CUSTOMER_SERVICE, customer_postage=20)

		posted = back_linked(request.name)
		cancel_as_manager(request)
		self.assert_all_cancelled(posted)
		self.assertEqual(gl_balance([owed, payment]), {})
		self.assert_books_reconcile()

	def test_no_postage_is_reimbursed_where_the_customer_pays(self):
		request = open_request(sell(qty=1), reason=PERSONAL, customer_postage=10)
		self.assertEqual(request.shipping_payer, "Customer")
		request = act(request, "Submit")
		with self.assertRaises(PostageError) as refused:
			reimburse(request)
		self.assertIn("customer pays", str(refused.exception))
		self.assertEqual(postings(request, "Postage Reimbursed"), [])

	def test_negative_postage_is_refused(self):
		with self.assertRaises(frappe.ValidationError) as refused:
			open_request(sell(qty=1), reason="Damaged in Transit", customer_postage=-5)
		self.assertIn("Postage Paid by Customer", str(refused.exception))
