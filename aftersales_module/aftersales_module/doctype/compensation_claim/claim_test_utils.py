# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""What the compensation claim tests share: the claim as customer service files it, the reviews and
the approval by two quality inspectors, the REST and desk calls the roles make, and the ledgers read
back per voucher and per party. Administrator only sets things up."""

import frappe
from frappe.utils import add_days, flt, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	TEST_CUSTOMER,
	company_value,
	make_customer,
	make_delivery_flow,
	make_item,
	make_stock,
	make_supplier,
)
from aftersales_module.tests.role_users import ROLE_USERS, acting_as, make_role_user
from aftersales_module.tests.utils import AftersalesTestCase

PHONE = "_Test Aftersales Claim Phone"
PART = "_Test Aftersales Claim Part"
CARRIER = "_Test Aftersales Carrier"
PRICE = 500
COST = 200
POSTED_DOCTYPES = ("Journal Entry", "Sales Invoice", "Purchase Invoice", "Stock Entry")

# the people of the claim's steps (see aftersales_module/tests/role_users.py)
CLERK = "as-customer-service@example.com"
INSPECTOR = "as-inspector@example.com"
SECOND_INSPECTOR = "as-second-inspector@example.com"
WAREHOUSE_CLERK = "as-warehouse@example.com"
MANAGER = "as-manager@example.com"
SECOND_MANAGER = "as-second-manager@example.com"
ACCOUNTANT = "as-accounts@example.com"


def ensure_role_users() -> None:
	"""The role users of the claim's steps, saved only where missing or changed (a browser test may be
	saving the same users at the same time)."""
	for email, roles in ROLE_USERS.items():
		held = frappe.get_all("Has Role", filters={"parent": email, "parenttype": "User"}, pluck="role")
		if sorted(held) != sorted(roles) or not frappe.db.get_value("User", email, "enabled"):
			make_role_user(email, *roles)


def claim_doc(items=((PHONE, 2, PRICE),), **fields):
	"""A claim as it is filled in, not yet saved."""
	return frappe.get_doc(
		{
			"doctype": "Compensation Claim",
			"company": TEST_COMPANY,
			"customer": TEST_CUSTOMER,
			"claim_type": "Damaged",
			"liable_party_type": "Carrier",
			"liable_supplier": CARRIER,
			"appraisal_findings": "Box crushed in transit; carrier's scan shows a fall at the hub.",
			"items": [{"item_code": item, "qty": qty, "rate": rate} for item, qty, rate in items],
			**fields,
		}
	)


def new_claim(items=((PHONE, 2, PRICE),), **fields):
	"""Customer service files the claim."""
	with acting_as(CLERK):
		return claim_doc(items, **fields).insert()


def api_update(doctype: str, name: str, data: dict):
	"""PUT /api/resource/<doctype>/<name>, as frappe.api.v1.update_doc does it."""
	doc = frappe.get_doc(doctype, name, for_update=True)
	doc.update({key: value for key, value in data.items() if key != "flags"})
	doc.save()
	return doc


def api_run(doctype: str, name: str, method: str, **kwargs):
	"""POST /api/resource/<doctype>/<name>?run_method=<method>, as frappe.api.v1.execute_doc_method."""
	doc = frappe.get_doc(doctype, name)
	doc.is_whitelisted(method)
	if not doc.has_permission("write"):
		frappe.throw("Not permitted", frappe.PermissionError)
	return doc.run_method(method, **kwargs)


def desk_run(doc_values: dict, method: str, **kwargs):
	"""The form's button: run_doc_method with the document as the client holds it."""
	doc = frappe.get_doc(doc_values)
	doc.is_whitelisted(method)
	return doc.run_method(method, **kwargs)


def review(claim, user: str, verdict: str = "Confirmed"):
	"""The user's review of the appraisal, over the API; the claim as stored afterwards."""
	with acting_as(user):
		api_run("Compensation Claim", claim.name, "review", verdict=verdict, notes=f"{verdict} by {user}")
	return frappe.get_doc("Compensation Claim", claim.name)


def review_twice(claim):
	review(claim, INSPECTOR)
	return review(claim, SECOND_INSPECTOR)


def approve_as_inspector(claim, user: str = SECOND_INSPECTOR):
	"""The inspector approves (submits) the reviewed claim."""
	with acting_as(user):
		claim = frappe.get_doc("Compensation Claim", claim.name)
		claim.submit()
	return frappe.get_doc("Compensation Claim", claim.name)


def approve(claim):
	"""Both reviews by two inspectors, then approval by the second."""
	review_twice(claim)
	return approve_as_inspector(claim)


def old_parts_step(claim, user: str, method: str | None = None, **rows):
	"""Set old-part rows (index → values) and save, then run the step, as the user."""
	with acting_as(user):
		claim = frappe.get_doc("Compensation Claim", claim.name)
		if rows:
			for index, values in rows.items():
				claim.old_parts[int(index)].update(values)
			claim.save()
		if method:
			getattr(frappe.get_doc("Compensation Claim", claim.name), method)()
	return frappe.get_doc("Compensation Claim", claim.name)


def party_balance(party_type: str, party: str) -> float:
	"""Debit less credit of the party over live GL entries of compensation claims."""
	return flt(
		frappe.db.sql(
			"""select sum(gle.debit - gle.credit) from `tabGL Entry` gle
			where gle.party_type = %s and gle.party = %s and gle.is_cancelled = 0
			and gle.voucher_no in (
				select name from `tabJournal Entry` where aftersales_compensation_claim is not null
				union select name from `tabSales Invoice` where aftersales_compensation_claim is not null
				union select name from `tabPurchase Invoice` where aftersales_compensation_claim is not null)""",
			(party_type, party),
		)[0][0],
		2,
	)


def gl_balance(voucher_nos) -> dict[str, float]:
	rows = frappe.db.sql(
		"""select account, sum(debit - credit) from `tabGL Entry`
		where voucher_no in %s and is_cancelled = 0 group by account""",
		[tuple(voucher_nos)],
	)
	return {account: flt(balance, 2) for account, balance in rows if flt(balance, 2)}


def back_linked(claim_name: str) -> set[tuple[str, str]]:
	return {
		(doctype, name)
		for doctype in POSTED_DOCTYPES
		for name in frappe.get_all(
			doctype, filters={"aftersales_compensation_claim": claim_name, "docstatus": 1}, pluck="name"
		)
	}


def stock_moves(voucher_no) -> list[tuple]:
	return [
		(warehouse, flt(qty), flt(value, 2))
		for warehouse, qty, value in frappe.db.sql(
			"""select warehouse, actual_qty, stock_value_difference from `tabStock Ledger Entry`
			where voucher_no = %s and is_cancelled = 0 order by creation, actual_qty""",
			voucher_no,
		)
	]


def make_employee(first_name: str = "_Test Aftersales Packer") -> str:
	existing = frappe.db.get_value("Employee", {"first_name": first_name, "company": TEST_COMPANY})
	if existing:
		return existing
	employee = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": first_name,
			"company": TEST_COMPANY,
			"gender": "Female",
			"date_of_birth": "1990-05-01",
			"date_of_joining": "2020-01-01",
			"status": "Active",
		}
	)
	employee.insert(ignore_permissions=True)
	return employee.name


class ClaimTestCase(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()
		make_supplier(CARRIER)
		make_item(PHONE)
		make_item(PART, valuation_rate=30)
		make_stock(PHONE, qty=50, rate=COST, posting_date=add_days(nowdate(), -30))
		ensure_role_users()

	def setUp(self):
		super().setUp()
		self.accounts = get_company_settings(TEST_COMPANY)
		self.receivable = company_value("default_receivable_account")
		self.payable = company_value("default_payable_account")

	def assert_cancelled(self, documents):
		for doctype, name in documents:
			self.assertEqual(frappe.db.get_value(doctype, name, "docstatus"), 2, f"{doctype} {name}")

	def open_claim_from_ticket(self, ticket_fields: dict | None = None, **settlement):
		"""Customer service opens a lost-parcel ticket, escalates it to a claim and writes the appraisal
		and settlement in, over the REST API."""
		order, delivery_note, _invoice = make_delivery_flow([(PHONE, 2, PRICE)])
		with acting_as(CLERK):
			ticket = frappe.get_doc(
				{
					"doctype": "Inquiry Ticket",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"inquiry_reason": "Parcel Lost",
					"sales_order": order.name,
					"delivery_note": delivery_note.name,
					"carrier": CARRIER,
					"anomaly": "Lost",
					"anomaly_details": "No scan for a week.",
					**(ticket_fields or {}),
				}
			).insert()
			name = api_run("Inquiry Ticket", ticket.name, "make_compensation_claim")
			claim = api_update(
				"Compensation Claim",
				name,
				{"appraisal_findings": "Lost by the carrier; clause 7 pays the goods value.", **settlement},
			)
		self.assertEqual((claim.inquiry_ticket, claim.owner), (ticket.name, CLERK))
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", ticket.name, "compensation_claim"), name)
		ticket.reload()
		return ticket, claim
