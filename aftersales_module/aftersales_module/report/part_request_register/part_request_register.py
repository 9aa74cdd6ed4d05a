# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

"""Part request register 調件申請單: every item line of the spare-part transfer requests repair points raised."""

import frappe
from frappe import _
from frappe.utils import getdate

from aftersales_module.aftersales_module.report.registers import (
	readable_links,
	validate_period,
	within_period,
)
from aftersales_module.controllers.repair_point_access import visible_repair_points

CANCELLED = "Cancelled"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	validate_period(filters)
	return readable_links(get_columns()), get_data(filters)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "request",
			"label": _("Transfer Request"),
			"fieldtype": "Link",
			"options": "Spare Part Transfer Request",
			"width": 160,
		},
		{"fieldname": "date", "label": _("Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "required_by", "label": _("Required By"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "repair_point",
			"label": _("Repair Point"),
			"fieldtype": "Link",
			"options": "Repair Point",
			"width": 140,
		},
		{"fieldname": "emergency", "label": _("Emergency"), "fieldtype": "Check", "width": 90},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 130},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "stock_uom", "label": _("UOM"), "fieldtype": "Link", "options": "UOM", "width": 70},
		{"fieldname": "requested_qty", "label": _("Requested Qty"), "fieldtype": "Float", "width": 110},
		{"fieldname": "approved_qty", "label": _("Approved Qty"), "fieldtype": "Float", "width": 110},
		{"fieldname": "transferred_qty", "label": _("Transferred Qty"), "fieldtype": "Float", "width": 120},
		{"fieldname": "pending_qty", "label": _("Pending Qty"), "fieldtype": "Float", "width": 100},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 130},
	]


def get_data(filters) -> list[dict]:
	request = frappe.qb.DocType("Spare Part Transfer Request")
	line = frappe.qb.DocType("Spare Part Transfer Request Item")
	query = (
		frappe.qb.from_(line)
		.join(request)
		.on(request.name == line.parent)
		.select(
			request.name.as_("request"),
			request.creation,
			request.required_by,
			request.repair_point,
			request.emergency,
			request.status,
			line.item_code,
			line.item_name,
			line.stock_uom,
			line.requested_qty,
			line.approved_qty,
			line.transferred_qty,
			line.pending_qty,
		)
		.where(line.parenttype == "Spare Part Transfer Request")
		.orderby(request.creation)
		.orderby(request.name)
		.orderby(line.idx)
	)
	if filters.get("status") == CANCELLED:
		query = query.where(request.docstatus == 2)
	else:
		query = query.where((request.docstatus == 1) & (request.status != CANCELLED))
		if filters.get("status"):
			query = query.where(request.status == filters.status)
	for field in ("company", "repair_point"):
		if filters.get(field):
			query = query.where(request[field] == filters.get(field))
	if filters.get("emergency_only"):
		query = query.where(request.emergency == 1)
	# The request date is its creation time: the whole of the last day counts.
	query = within_period(query, request.creation, filters)
	# The staff of a repair point see only the requests of the points they work at.
	points = visible_repair_points()
	if points is not None:
		query = query.where(request.repair_point.isin(points or [""]))

	return [
		{
			"request": row.request,
			"date": getdate(row.creation),
			"required_by": row.required_by,
			"repair_point": row.repair_point,
			"emergency": row.emergency,
			"item_code": row.item_code,
			"item_name": row.item_name,
			"stock_uom": row.stock_uom,
			"requested_qty": row.requested_qty,
			"approved_qty": row.approved_qty,
			"transferred_qty": row.transferred_qty,
			"pending_qty": row.pending_qty,
			"status": _(row.status) if row.status else "",
		}
		for row in query.run(as_dict=True)
	]
