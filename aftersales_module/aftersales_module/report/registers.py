"""What the after-sales registers share: the period filter, money columns and translated values."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate


def validate_period(filters) -> None:
	if filters.get("from_date") and filters.get("to_date"):
		if getdate(filters.from_date) > getdate(filters.to_date):
			frappe.throw(_("From Date cannot be after To Date."), title=_("Invalid Period"))


def within_period(query, field, filters):
	"""Rows whose date or datetime `field` falls in the period, both ends included."""
	if filters.get("from_date"):
		query = query.where(field >= getdate(filters.from_date))
	if filters.get("to_date"):
		query = query.where(field < add_days(getdate(filters.to_date), 1))
	return query


def currency_column(fieldname: str, label: str) -> dict:
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": "Currency",
		"options": "currency",
		"width": 120,
	}


def hidden_currency_column() -> dict:
	"""The currency the money columns of a row are shown in."""
	return {
		"fieldname": "currency",
		"label": _("Currency"),
		"fieldtype": "Link",
		"options": "Currency",
		"hidden": 1,
	}


def translated(value: str | None) -> str:
	return _(value) if value else ""


def readable_links(columns: list[dict]) -> list[dict]:
	"""Link columns to doctypes the user may not read are shown as plain text.

	Frappe checks a report's rows against the user's rights on every Link column's doctype and
	refuses the whole report when one is unreadable (a Link to DocType, or Customer for a manager
	without sales roles); the register is theirs to read, the linked record need not be."""
	for column in columns:
		if column.get("fieldtype") == "Link" and not (
			frappe.has_permission(column["options"], "read")
			or frappe.has_permission(column["options"], "select")
		):
			column["fieldtype"] = "Data"
			column.pop("options", None)
	return columns
