"""The arguments of the app's whitelisted methods, checked as its fields are (field_checks.py): a
method is given what a client sends, and a wrong type, an unknown choice, a row that is not the
case's, or a number that is not one gets a message naming the argument and what to send."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.model import child_table_fields, default_fields, optional_fields
from frappe.utils import getdate

from aftersales_module.controllers.field_checks import (
	DECIMAL_LIMIT,
	EARLIEST_DATE,
	LATEST_DATE,
	TEXT_CHARACTERS,
	FieldValueError,
	as_number,
	shown,
)

STANDARD_FIELDS = (*default_fields, *child_table_fields, *optional_fields)


def refuse(message: str, title: str | None = None) -> None:
	frappe.throw(message, FieldValueError, title=title or _("Invalid Value"))


def text_argument(value, label: str, required: bool = True, limit: int = TEXT_CHARACTERS) -> str | None:
	"""Text the user wrote: text, not blank when it is required, and short enough to be kept."""
	if value is not None and not isinstance(value, str):
		refuse(_("{0} must be text, not {1}.").format(label, shown(value)), _("Invalid Text"))
	if required and not (value or "").strip():
		refuse(_("Enter {0}.").format(label), _("Missing Value"))
	if value and len(value) > limit:
		refuse(
			_("{0} is {1} characters long; shorten it to {2} characters at most.").format(
				label, f"{len(value):,}", f"{limit:,}"
			),
			_("Text Too Long"),
		)
	return value


def choice_argument(value, label: str, options) -> str:
	options = [str(option) for option in options]
	if value is None or value == "":
		refuse(
			_("Choose {0}: one of {1}.").format(
				label, ", ".join(frappe.bold(_(option)) for option in options)
			),
			_("Missing Value"),
		)
	if not isinstance(value, str) or value not in options:
		refuse(
			_("{0} cannot be {1}: choose one of {2}.").format(
				label, shown(value), ", ".join(frappe.bold(_(option)) for option in options)
			),
			_("Invalid Choice"),
		)
	return value


def link_argument(value, doctype: str, label: str, required: bool = True) -> str | None:
	"""The name of an existing record of the doctype."""
	if value is None or value == "":
		if required:
			refuse(_("Select {0}.").format(label), _("Missing Value"))
		return None
	if (
		not isinstance(value, str)
		or len(value) > frappe.db.VARCHAR_LEN
		or not frappe.db.exists(doctype, value)
	):
		refuse(
			_("{0}: {1} is not a {2}; select an existing one.").format(label, shown(value), _(doctype)),
			_("Invalid Link"),
		)
	return value


def date_argument(value, label: str):
	"""A real date, or None when none is given."""
	if value is None or value == "":
		return None
	try:
		day = getdate(value) if isinstance(value, str) else None
	except Exception:
		day = None  # the parser's errors alike: the message says what to send
	if day is None or not (EARLIEST_DATE <= day <= LATEST_DATE):
		refuse(
			_("{0} must be a date between {1} and {2}, written like 2024-03-01; {3} is not.").format(
				label, EARLIEST_DATE.year, LATEST_DATE.year, shown(value)
			),
			_("Invalid Date"),
		)
	return day


FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False, "": False}


def flag_argument(value, label: str) -> bool:
	"""Ticked or not: a boolean, 0 or 1, or their text."""
	if isinstance(value, bool):
		return value
	if isinstance(value, int) and value in (0, 1):
		return bool(value)
	if isinstance(value, str) and value.strip().lower() in FLAGS:
		return FLAGS[value.strip().lower()]
	refuse(_("{0} must be 1 (yes) or 0 (no), not {1}.").format(label, shown(value)), _("Invalid Value"))


def mapping_argument(value, label: str) -> dict:
	"""A mapping as a form sends it: a dict, or its JSON; nothing given is an empty one."""
	if value is None or value == "":
		return {}
	if isinstance(value, str):
		try:
			value = frappe.parse_json(value)
		except Exception:
			value = None  # not JSON: the message says what to send
	if not isinstance(value, dict):
		refuse(
			_("{0} must map each row to its value, like {1}.").format(label, '{"row name": 1}'),
			_("Invalid Value"),
		)
	return value


def filters_argument(value, label: str, doctype: str):
	"""Filters as Frappe's lists take them: a dict of field → value, or a list of conditions
	[field, operator, value] (or [doctype, field, operator, value]), or their JSON; each on a field of
	the doctype."""
	if value is None or value == "":
		return None
	if isinstance(value, str):
		try:
			value = frappe.parse_json(value)
		except Exception:
			value = None  # not JSON: the message says what to send
	if isinstance(value, dict):
		fields = list(value)
	elif isinstance(value, list) and all(
		isinstance(each, list | tuple) and len(each) in (3, 4) for each in value
	):
		fields = [each[1] if len(each) == 4 else each[0] for each in value]
	else:
		fields = None
	meta = frappe.get_meta(doctype)
	if fields is None or not all(
		isinstance(field, str) and (meta.has_field(field) or field in STANDARD_FIELDS) for field in fields
	):
		refuse(
			_("{0} must be conditions on fields of {1}, like {2} or {3}.").format(
				label, _(doctype), '{"name": "X"}', '[["name", "=", "X"]]'
			),
			_("Invalid Value"),
		)
	return value


def names_argument(value, label: str) -> list[str]:
	"""A list of names as a form sends it: a list, or its JSON; nothing given is an empty one."""
	if value is None or value == "":
		return []
	if isinstance(value, str):
		try:
			value = frappe.parse_json(value)
		except Exception:
			value = None  # not JSON: the message says what to send
	if not isinstance(value, list) or not all(
		isinstance(name, str) and 0 < len(name) <= frappe.db.VARCHAR_LEN for name in value
	):
		refuse(_("{0} must be a list of names, like {1}.").format(label, '["name"]'), _("Invalid Value"))
	return value


def quantities_argument(value, label: str, rows) -> dict[str, Decimal]:
	"""Quantities by row of the case: each row one of the case's, each quantity a number from zero."""
	quantities = mapping_argument(value, label)
	names = {row.name: row for row in rows}
	checked = {}
	for name, qty in quantities.items():
		if name not in names:
			refuse(_("{0}: {1} is not a row of this document.").format(label, shown(name)), _("Unknown Row"))
		number = as_number(qty) if qty not in (None, "") else Decimal(0)
		if number is None or not number.is_finite() or not (0 <= number <= DECIMAL_LIMIT):
			refuse(
				_("{0}, row #{1}: enter a number from 0 to {2}, not {3}.").format(
					label, names[name].idx, f"{DECIMAL_LIMIT:,}", shown(qty)
				),
				_("Invalid Number"),
			)
		checked[name] = number
	return checked


def texts_argument(value, label: str, rows) -> dict[str, str]:
	"""Text by row of the case (serial numbers, say): each row one of the case's, each value text."""
	texts = mapping_argument(value, label)
	names = {row.name: row for row in rows}
	for name, text in texts.items():
		if name not in names:
			refuse(_("{0}: {1} is not a row of this document.").format(label, shown(name)), _("Unknown Row"))
		text_argument(text, _("{0}, row #{1}").format(label, names[name].idx), required=False)
	return texts
