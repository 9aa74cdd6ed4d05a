# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Two cases refunding units of one discounted invoice line at the same moment, on separate database
connections: each counts what the other credited, so together they credit what the line charged and
each case's figure is its own note. The committed records are removed after."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from aftersales_module.aftersales_module.doctype.return_request.money_test_utils import (
	PHONE,
	approved_refund_of_one,
	bank_account,
	pay_into_bank,
	taxed_sale,
	vat_account,
)
from aftersales_module.aftersales_module.doctype.return_request.test_concurrent_holds import attempt, race
from aftersales_module.aftersales_module.doctype.return_request.test_return_request import setup_stock
from aftersales_module.setup.custom_fields import RETURN_REQUEST_LINK
from aftersales_module.setup.workflow import ACCOUNTS_USER
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import user_of

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

REFUNDED = "refunded"


class TestConcurrentCredits(FrappeTestCase):
	def setUp(self):
		setup_stock()
		vat_account()
		bank_account()
		self.committed: list[tuple[str, str]] = []
		self.cases: list[str] = []

	def tearDown(self):
		"""Cancelling a case cancels its notes and refunds; those are deleted before the case, so a case
		made later under a name Frappe gives out again finds no posting of this one."""
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for name in self.cases:
			case = frappe.get_doc("Return Request", name)
			if case.docstatus == 1:
				case.cancel()
		for doctype in ("Payment Entry", "Sales Invoice"):
			for posting in frappe.get_all(
				doctype, filters={RETURN_REQUEST_LINK: ("in", self.cases)}, pluck="name"
			):
				frappe.delete_doc(doctype, posting, force=True)
		for name in self.cases:
			frappe.delete_doc("Return Request", name, force=True)
		# the sale and its payment stay, cancelled, so no later document takes their names
		for doctype, name in reversed(self.committed):
			doc = frappe.get_doc(doctype, name)
			if doc.docstatus == 1:
				doc.cancel()
		frappe.db.commit()  # nosemgrep: clean up what the workers committed

	def approved_refund_of_one(self, invoice) -> str:
		request = approved_refund_of_one(invoice)
		self.cases.append(request.name)
		return request.name

	def test_two_cases_refunding_a_discounted_line_at_once_credit_what_it_charged(self):
		# 2 x 500 with 13 % included and 50 off: a net of 834.96 (417.48 a unit), 943.50 in all.
		invoice = taxed_sale([(PHONE, 2, 500)], included=True, discount=50)
		self.committed.append(("Sales Invoice", invoice.name))
		payment = pay_into_bank(invoice.name)
		self.committed.append(("Payment Entry", payment.name))
		cases = [self.approved_refund_of_one(invoice) for _case in range(2)]
		frappe.db.commit()  # nosemgrep: the other connections must see the invoice and the cases

		outcomes = race([lambda name=name: attempt(lambda: refund(name)) for name in cases])

		# Two saves of the newest cases can deadlock on Frappe's locking read of their empty postings
		# tables: MariaDB refuses one whole, nothing of it saved, and its user refunds it again.
		self.assertIn(REFUNDED, outcomes)
		frappe.db.rollback()  # a fresh snapshot: see what the other connections committed
		for name, outcome in zip(cases, outcomes, strict=True):
			if outcome == REFUNDED:
				continue
			self.assertEqual(outcome, "QueryDeadlockError")
			self.assertEqual(frappe.db.get_value("Return Request", name, "stage"), "Approved")
			self.assertEqual(attempt(lambda name=name: refund(name)), REFUNDED)
		frappe.db.rollback()
		notes = frappe.get_all(
			"Sales Invoice",
			filters={"return_against": invoice.name, "docstatus": 1},
			fields=["net_total", "grand_total"],
		)
		self.assertEqual(flt(-sum(note.net_total for note in notes), 2), flt(invoice.net_total, 2))
		self.assertLessEqual(flt(-sum(note.grand_total for note in notes), 2), flt(invoice.grand_total))
		# each case's figure is what its own note credited and its refund paid
		for name in cases:
			case = frappe.get_doc("Return Request", name)
			[note] = frappe.get_all(
				"Sales Invoice",
				filters={"aftersales_return_request": name, "docstatus": 1},
				pluck="grand_total",
			)
			self.assertEqual(
				(flt(case.refund_amount), flt(case.credited_amount), flt(case.refunded_amount)), (-note,) * 3
			)


def refund(name: str) -> str:
	frappe.set_user(user_of(ACCOUNTS_USER))
	apply_workflow(frappe.get_doc("Return Request", name), "Refund")
	return REFUNDED
