# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

"""Appraisal register 賠償鑑定單: every compensation claim with its liable party, reviews, ruling and amounts."""

import frappe
from frappe import _

from aftersales_module.aftersales_module.report.registers import (
	currency_column,
	hidden_currency_column,
	readable_links,
	translated,
	validate_period,
	within_period,
)

CANCELLED = "Cancelled"
CUSTOMER = "Customer"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	validate_period(filters)
	return readable_links(get_columns()), get_data(filters)


def user_column(fieldname: str, label: str) -> dict:
	return {"fieldname": fieldname, "label": label, "fieldtype": "Link", "options": "User", "width": 140}


def get_columns() -> list[dict]:
	return [
		{"fieldname": "posting_date", "label": _("Date"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "claim",
			"label": _("Compensation Claim"),
			"fieldtype": "Link",
			"options": "Compensation Claim",
			"width": 150,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 120},
		{"fieldname": "claim_type", "label": _("Case Type"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		{
			"fieldname": "liable_party_type",
			"label": _("Liable Party Type"),
			"fieldtype": "Data",
			"width": 120,
		},
		{"fieldname": "liable_party", "label": _("Liable Party"), "fieldtype": "Data", "width": 160},
		currency_column("claimed_value", _("Value Claimed")),
		user_column("first_reviewer", _("First Reviewer")),
		{"fieldname": "first_verdict", "label": _("First Review"), "fieldtype": "Data", "width": 100},
		user_column("second_reviewer", _("Second Reviewer")),
		{"fieldname": "second_verdict", "label": _("Second Review"), "fieldtype": "Data", "width": 100},
		user_column("ruled_by", _("Ruled By")),
		currency_column("compensation_amount", _("Paid to Customer")),
		currency_column("recovery_amount", _("Recovered from Liable Party")),
		currency_column("deduction_amount", _("Internal Deduction")),
		currency_column("net_cost", _("Net Cost to Company")),
		hidden_currency_column(),
	]


def get_data(filters) -> list[dict]:
	claim = frappe.qb.DocType("Compensation Claim")
	query = (
		frappe.qb.from_(claim)
		.select(
			claim.posting_date,
			claim.name.as_("claim"),
			claim.status,
			claim.claim_type,
			claim.customer,
			claim.liable_party_type,
			claim.liable_supplier,
			claim.employee,
			claim.department,
			claim.claimed_value,
			claim.first_reviewer,
			claim.first_verdict,
			claim.second_reviewer,
			claim.second_verdict,
			claim.ruled_by,
			claim.compensation_amount,
			claim.recovery_amount,
			claim.deduction_amount,
			claim.net_cost,
			claim.currency,
		)
		.orderby(claim.posting_date)
		.orderby(claim.name)
	)
	# Drafts are appraisals in progress and stay listed; cancelled claims only when asked for.
	if filters.get("status") == CANCELLED:
		query = query.where(claim.docstatus == 2)
	else:
		query = query.where(claim.docstatus < 2)
		if filters.get("status"):
			query = query.where(claim.status == filters.status)
	for field in ("company", "customer", "liable_supplier", "liable_party_type"):
		if filters.get(field):
			query = query.where(claim[field] == filters.get(field))
	query = within_period(query, claim.posting_date, filters)

	return [
		{
			"posting_date": row.posting_date,
			"claim": row.claim,
			"status": translated(row.status),
			"claim_type": translated(row.claim_type),
			"customer": row.customer,
			"liable_party_type": translated(row.liable_party_type),
			"liable_party": liable_party(row),
			"claimed_value": row.claimed_value,
			"first_reviewer": row.first_reviewer,
			"first_verdict": translated(row.first_verdict),
			"second_reviewer": row.second_reviewer,
			"second_verdict": translated(row.second_verdict),
			"ruled_by": row.ruled_by,
			"compensation_amount": row.compensation_amount,
			"recovery_amount": row.recovery_amount,
			"deduction_amount": row.deduction_amount,
			"net_cost": row.net_cost,
			"currency": row.currency,
		}
		for row in query.run(as_dict=True)
	]


def liable_party(row) -> str:
	"""The carrier or supplier, else the employee, else the department; the customer when it is liable."""
	party = row.liable_supplier or row.employee or row.department
	if not party and row.liable_party_type == CUSTOMER:
		party = row.customer
	return party or ""
