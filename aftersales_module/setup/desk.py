"""Desk views created once as ordinary records, so that admins can change them."""

import frappe

REPAIR_KANBAN = "Repair Orders"
# (status, indicator) columns of the repair kanban, in the order work moves.
REPAIR_COLUMNS = (
	("Open", "Orange"),
	("In Repair", "Blue"),
	("Completed", "Green"),
	("Unrepairable", "Red"),
	("Scrapped", "Gray"),
)


def install_repair_kanban() -> None:
	if frappe.db.exists("Kanban Board", REPAIR_KANBAN):
		return
	frappe.get_doc(
		{
			"doctype": "Kanban Board",
			"kanban_board_name": REPAIR_KANBAN,
			"reference_doctype": "Repair Order",
			"field_name": "status",
			"private": 0,
			"show_labels": 1,
			"filters": '[["Repair Order","docstatus","=",1]]',
			"columns": [
				{"column_name": status, "status": "Active", "indicator": indicator}
				for status, indicator in REPAIR_COLUMNS
			],
		}
	).insert(ignore_permissions=True)
