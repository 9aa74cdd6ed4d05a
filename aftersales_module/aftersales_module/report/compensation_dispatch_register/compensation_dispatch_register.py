# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

"""Customer compensation dispatch register 用戶賠償發件登記表: what each approved claim gave the customer."""

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


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	validate_period(filters)
	return readable_links(get_columns()), get_data(filters)


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
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "claim_type", "label": _("Case Type"), "fieldtype": "Data", "width": 120},
		{"fieldname": "remedy", "label": _("Remedy"), "fieldtype": "Data", "width": 120},
		currency_column("compensation_amount", _("Paid to Customer")),
		{
			"fieldname": "compensation_voucher_type",
			"label": _("Compensation Document Type"),
			"fieldtype": "Link",
			"options": "DocType",
			"width": 150,
		},
		{
			"fieldname": "compensation_voucher",
			"label": _("Compensation Document"),
			"fieldtype": "Dynamic Link",
			"options": "compensation_voucher_type",
			"width": 160,
		},
		{
			"fieldname": "reissue_request",
			"label": _("Reissue"),
			"fieldtype": "Link",
			"options": "Return Request",
			"width": 150,
		},
		{"fieldname": "coupon_code", "label": _("Coupon Code"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "inquiry_ticket",
			"label": _("Inquiry Ticket"),
			"fieldtype": "Link",
			"options": "Inquiry Ticket",
			"width": 150,
		},
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
			claim.customer,
			claim.customer_name,
			claim.claim_type,
			claim.remedy,
			claim.compensation_amount,
			claim.compensation_voucher_type,
			claim.compensation_voucher,
			claim.reissue_request,
			claim.coupon_code,
			claim.inquiry_ticket,
			claim.currency,
		)
		# Approved claims are the submitted ones; cancelled ones are listed only when asked for.
		.where(claim.docstatus == (2 if filters.get("status") == CANCELLED else 1))
		.orderby(claim.posting_date)
		.orderby(claim.name)
	)
	for field in ("company", "customer", "remedy"):
		if filters.get(field):
			query = query.where(claim[field] == filters.get(field))
	query = within_period(query, claim.posting_date, filters)

	return [
		{
			"posting_date": row.posting_date,
			"claim": row.claim,
			"status": translated(row.status),
			"customer": row.customer,
			"customer_name": row.customer_name,
			"claim_type": translated(row.claim_type),
			"remedy": translated(row.remedy),
			"compensation_amount": row.compensation_amount,
			"compensation_voucher_type": row.compensation_voucher_type,
			"compensation_voucher": row.compensation_voucher,
			"reissue_request": row.reissue_request,
			"coupon_code": row.coupon_code,
			"inquiry_ticket": row.inquiry_ticket,
			"currency": row.currency,
		}
		for row in query.run(as_dict=True)
	]
