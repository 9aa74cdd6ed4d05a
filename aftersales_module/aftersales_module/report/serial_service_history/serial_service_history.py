# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

"""Every after-sales case that touched a serial number, as the customer's unit or as the unit sent."""

import frappe
from frappe import _

from aftersales_module.aftersales_module.report.registers import readable_links
from aftersales_module.core.spare_postings import split_serials

# (line field holding serial numbers, what the serial was on that case)
SERIAL_ROLES = (
	("serial_no", "Customer's unit"),
	("received_serial_no", "Unit received"),
	("replacement_serial_no", "Unit sent to the customer"),
)


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if not filters.get("serial_no"):
		return readable_links(get_columns()), []
	data = get_data(filters.serial_no) + get_repair_orders(filters.serial_no)
	return readable_links(get_columns()), sorted(data, key=lambda row: str(row["request_date"] or ""))


def get_columns() -> list[dict]:
	return [
		{"fieldname": "request_date", "label": _("Date"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "return_request",
			"label": _("Return Request"),
			"fieldtype": "Link",
			"options": "Return Request",
			"width": 150,
		},
		{"fieldname": "request_type", "label": _("Request Type"), "fieldtype": "Data", "width": 150},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 140,
		},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 130},
		{"fieldname": "serial_role", "label": _("Serial Was"), "fieldtype": "Data", "width": 170},
		{
			"fieldname": "faulty_serial_no",
			"label": _("Customer's Serial No"),
			"fieldtype": "Data",
			"width": 150,
		},
		{
			"fieldname": "replacement_serial_no",
			"label": _("Serial No Sent"),
			"fieldtype": "Data",
			"width": 150,
		},
		{"fieldname": "reason", "label": _("Reason"), "fieldtype": "Data", "width": 160},
		{
			"fieldname": "goods_in_entry",
			"label": _("Goods In Entry"),
			"fieldtype": "Link",
			"options": "Stock Entry",
			"width": 150,
		},
		{
			"fieldname": "shipment_entry",
			"label": _("Shipment Entry"),
			"fieldtype": "Link",
			"options": "Stock Entry",
			"width": 150,
		},
	]


def get_data(serial_no: str) -> list[dict]:
	case = frappe.qb.DocType("Return Request")
	line = frappe.qb.DocType("Return Request Item")
	pattern = f"%{serial_no}%"
	rows = (
		frappe.qb.from_(line)
		.join(case)
		.on(case.name == line.parent)
		.select(
			case.name.as_("return_request"),
			case.request_date,
			case.request_type,
			case.status,
			case.customer,
			case.reason_category,
			line.item_code,
			line.replacement_item,
			line.serial_no,
			line.received_serial_no,
			line.replacement_serial_no,
			line.goods_in_entry,
			line.replacement_entry,
		)
		.where(
			(line.parenttype == "Return Request")
			& (
				line.serial_no.like(pattern)
				| line.received_serial_no.like(pattern)
				| line.replacement_serial_no.like(pattern)
			)
		)
		.where(lines_of_the_serials_item(line, serial_no))
		.orderby(case.request_date)
		.orderby(case.creation)
		.run(as_dict=True)
	)
	data = []
	for row in rows:
		roles = [label for field, label in SERIAL_ROLES if serial_no in split_serials(row.get(field))]
		if not roles:
			continue
		sent_item = (
			row.replacement_item if "Unit sent to the customer" in roles and row.replacement_item else None
		)
		data.append(
			{
				"request_date": row.request_date,
				"document_type": "Return Request",
				"return_request": row.return_request,
				"request_type": _(row.request_type),
				"status": _(row.status),
				"customer": row.customer,
				"item_code": sent_item or row.item_code,
				"serial_role": ", ".join(_(role) for role in roles),
				"faulty_serial_no": row.serial_no,
				"replacement_serial_no": row.replacement_serial_no,
				"reason": _(row.reason_category),
				"goods_in_entry": row.goods_in_entry,
				"shipment_entry": row.replacement_entry,
			}
		)
	return data


def lines_of_the_serials_item(line, serial_no: str):
	"""A serial number ERPNext knows is searched among the lines of its item, as the unit coming back
	(a line's serials are those it sold) or as the unit sent (the replacement item), through their
	indexes rather than through every line of every case; one it does not know, everywhere."""
	# a filter sent as anything but text names no serial (and must not become a filter of Serial No)
	item_code = (
		frappe.db.get_value("Serial No", serial_no, "item_code") if isinstance(serial_no, str) else None
	)
	if not item_code:
		return line.name.isnotnull()
	return (line.item_code == item_code) | (line.replacement_item == item_code)


def get_repair_orders(serial_no: str) -> list[dict]:
	orders = frappe.get_all(
		"Repair Order",
		filters={"serial_no": serial_no},
		fields=[
			"name",
			"opened_on",
			"source",
			"status",
			"customer",
			"item_code",
			"warranty_status",
			"fault_description",
			"completion_entry",
		],
		order_by="opened_on",
	)
	return [
		{
			"request_date": order.opened_on.date() if order.opened_on else None,
			"document_type": "Repair Order",
			"return_request": order.name,
			"request_type": _("Repair Order") + f" ({_(order.source)}, {_(order.warranty_status)})",
			"status": _(order.status),
			"customer": order.customer,
			"item_code": order.item_code,
			"serial_role": _("Unit repaired"),
			"faulty_serial_no": serial_no,
			"replacement_serial_no": None,
			"reason": order.fault_description,
			"goods_in_entry": None,
			"shipment_entry": order.completion_entry,
		}
		for order in orders
	]
