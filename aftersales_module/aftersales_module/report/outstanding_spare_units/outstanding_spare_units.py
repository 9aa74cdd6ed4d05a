# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

"""Spare units still out with customers: with whom, since when, and which are overdue."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from aftersales_module.aftersales_module.report.registers import readable_links
from aftersales_module.core.spare_postings import SPARE_OUT, days_out, is_overdue


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	return readable_links(get_columns()), get_data(filters)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "return_request",
			"label": _("Return Request"),
			"fieldtype": "Link",
			"options": "Return Request",
			"width": 150,
		},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		{"fieldname": "customer_name", "label": _("Customer Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "unit_category", "label": _("Unit Category"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "spare_item",
			"label": _("Spare Item"),
			"fieldtype": "Link",
			"options": "Item",
			"width": 130,
		},
		{"fieldname": "spare_serial_no", "label": _("Spare Serial No"), "fieldtype": "Data", "width": 140},
		{"fieldname": "qty", "label": _("Qty"), "fieldtype": "Float", "width": 60},
		{
			"fieldname": "faulty_serial_no",
			"label": _("Customer's Serial No"),
			"fieldtype": "Data",
			"width": 140,
		},
		{"fieldname": "shipped_on", "label": _("Shipped On"), "fieldtype": "Date", "width": 100},
		{"fieldname": "due_date", "label": _("Due Back"), "fieldtype": "Date", "width": 100},
		{"fieldname": "days_out", "label": _("Days Out"), "fieldtype": "Int", "width": 80},
		{"fieldname": "overdue", "label": _("Overdue"), "fieldtype": "Check", "width": 80},
		{
			"fieldname": "shipment_entry",
			"label": _("Shipment Entry"),
			"fieldtype": "Link",
			"options": "Stock Entry",
			"width": 150,
		},
	]


def get_data(filters) -> list[dict]:
	case = frappe.qb.DocType("Return Request")
	line = frappe.qb.DocType("Return Request Item")
	query = (
		frappe.qb.from_(line)
		.join(case)
		.on(case.name == line.parent)
		.select(
			case.name.as_("return_request"),
			case.customer,
			case.customer_name,
			case.unit_category,
			line.item_code,
			line.replacement_item,
			line.replacement_serial_no,
			line.qty,
			line.serial_no,
			line.spare_shipped_on,
			line.spare_due_date,
			line.replacement_entry,
		)
		.where(
			(case.docstatus == 1) & (line.spare_status == SPARE_OUT) & (line.parenttype == "Return Request")
		)
		.orderby(line.spare_due_date)
	)
	for field in ("company", "customer"):
		if filters.get(field):
			query = query.where(case[field] == filters.get(field))

	today = getdate(filters.get("as_on") or nowdate())
	data = []
	for row in query.run(as_dict=True):
		overdue = is_overdue(getdate(row.spare_due_date) if row.spare_due_date else None, today)
		if filters.get("overdue_only") and not overdue:
			continue
		data.append(
			{
				"return_request": row.return_request,
				"customer": row.customer,
				"customer_name": row.customer_name,
				"unit_category": _(row.unit_category) if row.unit_category else "",
				"spare_item": row.replacement_item or row.item_code,
				"spare_serial_no": row.replacement_serial_no,
				"qty": row.qty,
				"faulty_serial_no": row.serial_no,
				"shipped_on": row.spare_shipped_on,
				"due_date": row.spare_due_date,
				"days_out": days_out(getdate(row.spare_shipped_on), today) if row.spare_shipped_on else 0,
				"overdue": int(overdue),
				"shipment_entry": row.replacement_entry,
			}
		)
	return data
