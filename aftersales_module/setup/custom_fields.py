"""Fields this app adds to ERPNext doctypes, applied idempotently on install and migrate."""

from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

CUSTOM_FIELDS = {
	"Sales Invoice Item": [
		{
			"fieldname": "aftersales_requested_qty",
			"label": "Qty in Return Requests",
			"fieldtype": "Float",
			"insert_after": "delivered_qty",
			"read_only": 1,
			"no_copy": 1,
			"print_hide": 1,
			"allow_on_submit": 1,
			"description": "Requested by submitted return requests that are not yet credited",
		},
	],
}


def make_custom_fields() -> None:
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)


def delete_custom_fields() -> None:
	import frappe

	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			frappe.db.delete("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
		frappe.clear_cache(doctype=doctype)
