# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Invoice lines whose held quantity is not what their open return requests hold."""

import frappe
from frappe import _

from aftersales_module.aftersales_module.report.registers import readable_links
from aftersales_module.controllers.sales_history import find_hold_drift


def execute(filters: dict | None = None):
	return readable_links(get_columns()), find_hold_drift()


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "sales_invoice",
			"label": _("Sales Invoice"),
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"width": 160,
		},
		{"fieldname": "invoice_line", "label": _("Invoice Line"), "fieldtype": "Data", "width": 120},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 160},
		{"fieldname": "held_on_line", "label": _("Held on the Line"), "fieldtype": "Float", "width": 120},
		{
			"fieldname": "held_by_requests",
			"label": _("Held by Open Requests"),
			"fieldtype": "Float",
			"width": 150,
		},
		{"fieldname": "requests", "label": _("Return Requests"), "fieldtype": "Data", "width": 220},
	]
