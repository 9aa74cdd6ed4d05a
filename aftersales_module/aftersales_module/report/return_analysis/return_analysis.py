# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Returns and return rate (returned / sold in the period) by item, item group, batch, supplier,
reason or channel, with a chart of the highest rates (SPEC §10).

Returned is what submitted return requests of the period asked back; sold is what submitted invoices
of the period sold, counted the same way. A reason or a channel has no sales of its own, so it shows
returns only. A batch's supplier is the one on the batch, else the item's first supplier.

Read-only: it runs on the read replica where the site has one (`read_from_replica`)."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_ratios import period_of
from aftersales_module.aftersales_module.report.aftersales_kpis.report_filters import check_period
from aftersales_module.core.kpis import Rate

GROUPINGS = {
	# group by → (SQL expression of the return line, SQL expression of the invoice line or None)
	"Item": ("item.item_code", "line.item_code"),
	"Item Group": ("item_master.item_group", "item_master.item_group"),
	"Batch": ("item.batch_no", "line.batch_no"),
	"Supplier": (
		"coalesce(batch.supplier, (select supplier from `tabItem Supplier` s where s.parent = item.item_code order by s.idx limit 1))",
		"coalesce(batch.supplier, (select supplier from `tabItem Supplier` s where s.parent = line.item_code order by s.idx limit 1))",
	),
	"Reason": ("request.reason_category", None),
	"Channel": ("request.channel", None),
}
CHART_BARS = 10


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = check_filters(frappe._dict(filters or {}))
	returned = returned_by(filters)
	sold = sold_by(filters)
	rows = []
	for group in sorted(returned, key=str):
		back, out = returned[group], flt(sold.get(group))
		qty = flt(back.qty)
		rate = Rate(int(qty), int(out)).value if out and qty <= out else None
		rows.append(
			{
				"group": group or _("Not Set"),
				"requests": back.requests,
				"returned_qty": qty,
				"sold_qty": out if GROUPINGS[filters.group_by][1] else None,
				"return_rate": rate,
			}
		)
	return get_columns(filters), rows, None, chart(rows)


def check_filters(filters):
	return check_period(filters, tuple(GROUPINGS), "Item")


def returned_by(filters) -> dict:
	key = GROUPINGS[filters.group_by][0]
	return {
		row.grouping: row
		for row in frappe.db.sql(
			f"""select {key} as grouping, sum(item.qty) as qty, count(distinct request.name) as requests
			from `tabReturn Request Item` item
			join `tabReturn Request` request on request.name = item.parent
			{joins(filters, "item")}
			where request.docstatus = 1 and request.company = %(company)s
				and request.request_date between %(from_date)s and %(to_date)s
			group by grouping""",
			period_of(filters),
			as_dict=True,
		)
	}


def sold_by(filters) -> dict:
	key = GROUPINGS[filters.group_by][1]
	if not key:
		return {}
	return dict(
		frappe.db.sql(
			f"""select {key} as grouping, sum(line.qty)
			from `tabSales Invoice Item` line
			join `tabSales Invoice` invoice on invoice.name = line.parent
			{joins(filters, "line")}
			where invoice.docstatus = 1 and invoice.is_return = 0 and invoice.company = %(company)s
				and invoice.posting_date between %(from_date)s and %(to_date)s
			group by grouping""",
			period_of(filters),
		)
	)


def joins(filters, line: str) -> str:
	"""The item master or the batch, joined only where the grouping reads them."""
	if filters.group_by == "Item Group":
		return f"left join `tabItem` item_master on item_master.name = {line}.item_code"
	if filters.group_by == "Supplier":
		return f"left join `tabBatch` batch on batch.name = {line}.batch_no"
	return ""


def chart(rows) -> dict | None:
	rated = sorted(
		(row for row in rows if row["return_rate"] is not None), key=lambda row: -row["return_rate"]
	)
	shown = rated[:CHART_BARS] or sorted(rows, key=lambda row: -row["returned_qty"])[:CHART_BARS]
	if not shown:
		return None
	by_rate = bool(rated)
	return {
		"data": {
			"labels": [str(row["group"]) for row in shown],
			"datasets": [
				{
					"name": _("Return Rate") if by_rate else _("Returned"),
					"values": [flt(row["return_rate"] if by_rate else row["returned_qty"]) for row in shown],
				}
			],
		},
		"type": "bar",
	}


def get_columns(filters) -> list[dict]:
	return [
		{"fieldname": "group", "label": _(filters.group_by), "fieldtype": "Data", "width": 220},
		{"fieldname": "requests", "label": _("Return Requests"), "fieldtype": "Int", "width": 130},
		{"fieldname": "returned_qty", "label": _("Returned"), "fieldtype": "Float", "width": 110},
		{"fieldname": "sold_qty", "label": _("Sold"), "fieldtype": "Float", "width": 110},
		{"fieldname": "return_rate", "label": _("Return Rate"), "fieldtype": "Percent", "width": 110},
	]
