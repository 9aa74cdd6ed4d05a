"""Repair point managers were given a User Permission on their point; access now follows the
point's Manager and Members, and the old permission would hide the other points they work at."""

import frappe

from aftersales_module.aftersales_module.doctype.repair_point.repair_point import remove_manager_permission


def execute():
	for point in frappe.get_all(
		"Repair Point", filters={"manager": ("is", "set")}, fields=["name", "manager"]
	):
		remove_manager_permission(point.name, point.manager)
