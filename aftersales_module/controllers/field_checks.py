"""Every value of a case is checked against its field before anything reads it: numbers are finite
numbers within what the column holds (and, where a user types them, not below zero), dates are
real dates, choices are among the options, links are names of enabled records, texts are text that
fits the column. A bad value gets a message naming the field and what to enter, instead of a
TypeError, a ValueError or a database error further on.

Frappe reads a document's links (`_validate_links`) before any controller method runs, and a
number, list or dict there ends in a database error; so the app's doctypes check their values
first, by mixing FieldChecks in ahead of Document. Frappe's own checks (links, mandatory fields,
selects, lengths) still run afterwards."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import ClassVar

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.model.base_document import BaseDocument
from frappe.utils import escape_html, get_datetime, get_time, getdate

from aftersales_module.controllers.saves import LeanSave

NUMBER_TYPES = ("Int", "Long Int", "Float", "Currency", "Percent", "Check", "Duration", "Rating")
DATE_TYPES = ("Date", "Datetime")
LINK_TYPES = ("Link", "Dynamic Link")
# The largest magnitude each numeric column holds: decimal(21,9), int(11), bigint.
DECIMAL_LIMIT = Decimal("1e12")
INT_LIMIT = 2**31 - 1
BIGINT_LIMIT = 2**63 - 1
# A `text` column holds 65,535 bytes; four bytes a character at most.
TEXT_CHARACTERS = 16_000
LONG_TEXT_CHARACTERS = 1_000_000
# Dates a case can mean: far enough back for any sale, far enough ahead for any deadline.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


class FieldValueError(frappe.ValidationError):
	pass


class FieldChecks(LeanSave):
	"""Mixed into a doctype's class ahead of Document: its values and its rows' are checked before
	Frappe reads them. `field_ranges` gives a number field its own (lowest, highest); `field_error`
	is the doctype's own error class, raised instead of FieldValueError when it has one."""

	field_ranges: ClassVar[dict[str, tuple[float, float]]] = {}
	field_error: ClassVar[type[frappe.ValidationError]] = FieldValueError

	def _validate_links(self):
		if self._action == "cancel":
			return super()._validate_links()
		stored = stored_links(self) if not self.flags.ignore_links else {}
		try:
			check_fields(self, self.field_ranges, stored)
		except FieldValueError as error:
			if self.field_error is FieldValueError:
				raise
			raise self.field_error(*error.args) from error
		if self._action == "update_after_submit" and not self.flags.ignore_links:
			validate_changed_links(self, stored)
		elif self._action == "submit" and stored and not self.flags.ignore_links:
			validate_changed_links(self, stored, submitting=True)
		else:
			super()._validate_links()

	def extend(self, key, value):
		"""A table is set from rows, each a dict of field values (Frappe fails on anything else while
		it builds the document, before any check of the app runs)."""
		if key in self._table_fieldnames:
			value = rows_of(value)
			if value is None:
				df = self.meta.get_field(key)
				frappe.throw(
					_("{0} must be a list of rows, each with its field values.").format(
						frappe.bold(_(df.label if df else key))
					),
					self.field_error,
					title=_("Invalid Rows"),
				)
		super().extend(key, value)


def rows_of(value) -> list | None:
	"""The rows given for a table, or None when they are not rows."""
	if isinstance(value, str | bytes | dict) or not hasattr(value, "__iter__"):
		return None
	rows = list(value)
	return rows if all(isinstance(row, dict | BaseDocument) for row in rows) else None


def check_fields(
	doc, ranges: dict[str, tuple[float, float]] | None = None, stored: dict | None = None
) -> None:
	"""Refuse, with a message naming the field, the first value of the document or its rows that its
	field cannot hold. `stored`: the links as saved (`stored_links`), when the caller has read them."""
	ranges = ranges or {}
	for each in (doc, *doc.get_all_children()):
		for df in each.meta.fields:
			if df.fieldtype in no_value_fields or df.fieldtype in table_fields:
				continue
			check_value(each, df, ranges.get(df.fieldname))
		check_amendment(each)
	check_name(doc)
	if not doc.flags.ignore_links:
		check_links(doc, stored)


def label(doc, df) -> str:
	"""The field's label, with its row when it is a row's."""
	name = frappe.bold(_(df.label or df.fieldname))
	if doc.get("parentfield"):
		parent = frappe.get_meta(doc.parenttype).get_field(doc.parentfield)
		return _("{0} row #{1}: {2}").format(_(parent.label if parent else doc.parentfield), doc.idx, name)
	return name


def refuse(message: str, title: str) -> None:
	frappe.throw(message, FieldValueError, title=title)


def check_value(doc, df, own_range: tuple[float, float] | None) -> None:
	value = doc.get(df.fieldname)
	if value is None or value == "":
		check_given(doc, df)
		return
	if df.fieldtype in NUMBER_TYPES:
		check_number(doc, df, value, own_range)
	elif df.fieldtype in DATE_TYPES:
		check_date(doc, df, value)
	elif df.fieldtype == "Time":
		check_time(doc, df, value)
	elif df.fieldtype == "Select":
		check_choice(doc, df, value)
	elif df.fieldtype in LINK_TYPES:
		check_link_name(doc, df, value)
	else:
		check_text(doc, df, value)


def check_given(doc, df) -> None:
	"""A field the user must fill in is not left empty."""
	if not df.reqd or df.read_only or doc.flags.ignore_mandatory or df.fieldtype == "Check":
		return
	if df.fieldtype == "Select" and df.options:
		refuse(_("Choose {0}: one of {1}.").format(label(doc, df), options_text(df)), _("Missing Value"))
	refuse(_("Enter {0}.").format(label(doc, df)), _("Missing Value"))


def as_number(value) -> Decimal | None:
	"""The value as a number, or None when it is not one (text, a list, a flag of True/False)."""
	if isinstance(value, bool):
		return Decimal(int(value))
	if isinstance(value, int | float | Decimal):
		number = value
	elif isinstance(value, str):
		number = value.strip().replace(",", "")
	else:
		return None
	try:
		return Decimal(str(number)) if not isinstance(number, Decimal) else number
	except (InvalidOperation, ValueError):
		return None


def number_range(df, own_range) -> tuple[Decimal, Decimal]:
	"""What the field may hold: its own range, else what the column holds, from zero up where a user
	types the number (the app takes no negative quantities, rates, amounts, hours or days)."""
	if own_range:
		return Decimal(str(own_range[0])), Decimal(str(own_range[1]))
	if df.fieldtype == "Check":
		return Decimal(0), Decimal(1)
	if df.fieldtype == "Percent" and not df.read_only:
		return Decimal(0), Decimal(100)
	if df.fieldtype in ("Int", "Long Int"):
		limit = Decimal(BIGINT_LIMIT if df.fieldtype == "Long Int" or int(df.length or 0) > 11 else INT_LIMIT)
	else:
		limit = DECIMAL_LIMIT
	lowest = Decimal(0) if (not df.read_only or df.non_negative) else -limit
	return lowest, limit


def check_number(doc, df, value, own_range) -> None:
	# True and False are flags, not amounts: a number field other than a tick box refuses them.
	number = None if isinstance(value, bool) and df.fieldtype != "Check" else as_number(value)
	lowest, highest = number_range(df, own_range)
	if df.fieldtype == "Check" and number is not None and number.is_finite():
		return  # Frappe stores any number as ticked or not
	if number is None or not number.is_finite() or not (lowest <= number <= highest):
		refuse(
			_("{0} must be a number from {1} to {2}, not {3}.").format(
				label(doc, df), f"{lowest:,}", f"{highest:,}", shown(value)
			),
			_("Invalid Number"),
		)


def check_date(doc, df, value) -> None:
	parsed = None
	if isinstance(value, datetime.date):
		parsed = value
	elif isinstance(value, str):
		try:
			parsed = get_datetime(value) if df.fieldtype == "Datetime" else getdate(value)
		except Exception:
			parsed = None  # dateutil's and Frappe's parse errors alike: the message below says what to enter
	day = parsed.date() if isinstance(parsed, datetime.datetime) else parsed
	if day is None or not (EARLIEST_DATE <= day <= LATEST_DATE):
		example = "2024-03-01 09:30:00" if df.fieldtype == "Datetime" else "2024-03-01"
		refuse(
			_("{0} must be a date between {1} and {2}, written like {3}; {4} is not.").format(
				label(doc, df), EARLIEST_DATE.year, LATEST_DATE.year, example, shown(value)
			),
			_("Invalid Date"),
		)


def check_time(doc, df, value) -> None:
	if isinstance(value, datetime.time | datetime.timedelta):
		return
	try:
		valid = isinstance(value, str) and get_time(value) is not None
	except Exception:
		valid = False  # the parser's errors alike: the message says what to enter
	if not valid:
		refuse(
			_("{0} must be a time of day, written like 09:30:00; {1} is not.").format(
				label(doc, df), shown(value)
			),
			_("Invalid Time"),
		)


def options_text(df) -> str:
	return ", ".join(frappe.bold(_(option)) for option in (df.options or "").split("\n") if option)


def check_choice(doc, df, value) -> None:
	if not df.options:
		return
	if isinstance(value, str) and value != value.strip():
		value = value.strip()  # as Frappe stores it
		doc.set(df.fieldname, value)
	if not isinstance(value, str) or value not in df.options.split("\n"):
		refuse(
			_("{0} cannot be {1}: choose one of {2}.").format(label(doc, df), shown(value), options_text(df)),
			_("Invalid Choice"),
		)


def check_link_name(doc, df, value) -> None:
	"""A link is the name of a record: text, as long as a name can be."""
	if not isinstance(value, str) or len(value) > frappe.db.VARCHAR_LEN:
		refuse(
			_("{0} must name a record; {1} is not a name.").format(label(doc, df), shown(value)),
			_("Invalid Link"),
		)


def check_text(doc, df, value) -> None:
	if not isinstance(value, str):
		refuse(_("{0} must be text, not {1}.").format(label(doc, df), shown(value)), _("Invalid Text"))
	column, length = frappe.db.type_map.get(df.fieldtype, ("varchar", ""))
	if column == "varchar":
		limit = int(df.length or 0) or int(length or frappe.db.VARCHAR_LEN)
	else:
		limit = TEXT_CHARACTERS if column == "text" else LONG_TEXT_CHARACTERS
	if len(value) > limit:
		refuse(
			_("{0} is {1} characters long; shorten it to {2} characters at most.").format(
				label(doc, df), f"{len(value):,}", f"{limit:,}"
			),
			_("Text Too Long"),
		)


def check_amendment(doc) -> None:
	"""Only a cancelled document is amended (Frappe finds out only after saving the amendment)."""
	amended_from = doc.get("amended_from") if doc.meta.has_field("amended_from") else None
	if not amended_from or not doc.is_new():
		return
	if frappe.db.get_value(doc.doctype, amended_from, "docstatus") != 2:
		refuse(
			_("{0}: {1} is not a cancelled {2}; only a cancelled document is amended.").format(
				label(doc, doc.meta.get_field("amended_from")), shown(amended_from), _(doc.doctype)
			),
			_("Invalid Amendment"),
		)


# ---- linked records ------------------------------------------------------------------------------


def link_target(doc, df) -> str | None:
	if df.fieldtype == "Link":
		return df.options
	doctype = doc.get(df.options)
	return doctype if isinstance(doctype, str) and frappe.db.exists("DocType", doctype, cache=True) else None


# Goods that come back from a sale may have been discontinued since (their Item disabled), as ERPNext
# still credits them: a case names them all the same. What the company sends out anew is enabled.
SOLD_GOODS_FIELDS = {
	("Return Request Item", "item_code"),
	("Compensation Claim Item", "item_code"),
	("Compensation Claim Old Part", "item_code"),
	("Repair Order", "item_code"),
	("Warranty Policy", "item"),
	("Warranty Policy Accessory", "item"),
}


def is_disabled(doctype: str, name: str) -> bool:
	meta = frappe.get_meta(doctype)
	if meta.has_field("disabled"):
		return bool(frappe.db.get_value(doctype, name, "disabled"))
	if doctype == "User":
		return frappe.db.get_value("User", name, "enabled") == 0
	return False


def check_links(doc, stored: dict | None = None) -> None:
	"""A link newly set (on a new document or row, or changed) names a record that exists and is
	enabled; one set before its record was disabled stays. (Frappe's own link check lets a missing
	record through when the link fetches other fields, as an item code fetches the item name.)"""
	stored = stored_links(doc) if stored is None else stored
	for each in (doc, *doc.get_all_children()):
		before = stored.get((each.doctype, each.name), {})
		for df in link_fields(each.meta):
			value = each.get(df.fieldname)
			doctype = link_target(each, df)
			if not value or not doctype or before.get(df.fieldname) == value:
				continue
			# Read as Frappe's own link check reads it, which then finds it in the request's cache; a miss
			# is read again, as the record may have been made since in the same request.
			if not (frappe.db.exists(doctype, value, cache=True) or frappe.db.exists(doctype, value)):
				refuse(
					_("{0}: {1} {2} does not exist. Choose an existing one.").format(
						label(each, df), _(doctype), shown(value)
					),
					_("Not Found"),
				)
			if (each.doctype, df.fieldname) not in SOLD_GOODS_FIELDS and is_disabled(doctype, value):
				refuse(
					_("{0}: {1} {2} is disabled. Choose an enabled one.").format(
						label(each, df), _(doctype), shown(value)
					),
					_("Disabled"),
				)


def link_fields(meta) -> list:
	return meta.get_link_fields() + meta.get_dynamic_link_fields()


def stored_links(doc) -> dict[tuple[str, str], object]:
	"""The document and its rows as saved, by (doctype, name): as the save read them (Frappe reads the
	saved document before it checks links), else one query a table."""
	if doc.is_new() or not doc.name:
		return {}
	before = doc.get_doc_before_save()
	if before is not None:
		return {(each.doctype, each.name): each for each in (before, *before.get_all_children())}
	stored = {}
	for doctype, names in [(doc.doctype, [doc.name])] + [
		(df.options, [row.name for row in doc.get(df.fieldname) or [] if row.name])
		for df in doc.meta.get_table_fields()
	]:
		meta = frappe.get_meta(doctype)
		fields = [df.fieldname for df in link_fields(meta)]
		if fields and names and not meta.issingle:
			for row in frappe.get_all(doctype, filters={"name": ("in", names)}, fields=["name", *fields]):
				stored[(doctype, row.name)] = row
	return stored


def validate_changed_links(doc, stored: dict[tuple[str, str], object], submitting: bool = False) -> None:
	"""Frappe's link check on a save after submit, or on the submit of a saved draft, for the document
	and the rows whose links are new or changed. A link unchanged since it was checked stays good:
	Frappe refuses to delete a record any document links to, refuses to cancel one a submitted document
	links to, and refreshes no fetched value after submit. A draft's link may have been cancelled since
	it was saved, so on submit its links to submittable documents are read again."""
	invalid, cancelled, unchanged = [], [], []
	for each in (doc, *doc.get_all_children()):
		if not links_changed(each, stored.get((each.doctype, each.name))):
			unchanged.append(each)
			continue
		found = each.get_invalid_links(is_submittable=doc.meta.is_submittable)
		invalid += found[0]
		cancelled += found[1]
	if submitting:
		cancelled += cancelled_links(unchanged)
	if invalid:
		frappe.throw(
			_("Could not find {0}").format(", ".join(each[2] for each in invalid)), frappe.LinkValidationError
		)
	if cancelled:
		frappe.throw(
			_("Cannot link cancelled document: {0}").format(", ".join(each[2] for each in cancelled)),
			frappe.CancelledLinkError,
		)


def cancelled_links(rows: list) -> list[tuple[str, str, str]]:
	"""(field, name, message) of the rows' links to submittable documents now cancelled: one read of
	which of the linked doctypes are submittable, one of each such document's status."""
	links = [
		(row, df, row.get(df.fieldname), link_target(row, df))
		for row in rows
		for df in link_fields(row.meta)
		if df.fieldname != "amended_from" and row.get(df.fieldname)
	]
	targets = {doctype for _row, _df, _value, doctype in links if doctype}
	submittable = set(
		frappe.db.sql_list(
			"select name from `tabDocType` where name in %s and is_submittable = 1", [tuple(targets)]
		)
		if targets
		else ()
	)
	docstatus, found = {}, []
	for row, df, value, doctype in links:
		if doctype not in submittable:
			continue
		if (doctype, value) not in docstatus:
			docstatus[(doctype, value)] = frappe.db.get_value(doctype, value, "docstatus")
		if docstatus[(doctype, value)] == 2:
			found.append((df.fieldname, value, f"{label(row, df)}: {value}"))
	return found


def links_changed(doc, before) -> bool:
	"""A new row, a changed link, or a link that refreshes a field which may change after submit."""
	if before is None:
		return True
	for df in link_fields(doc.meta):
		if (doc.get(df.fieldname) or None) != (before.get(df.fieldname) or None):
			return True
		if any(fetched.allow_on_submit for fetched in doc.meta.get_fields_to_fetch(df.fieldname)):
			return True
	return False


def check_name(doc) -> None:
	"""A document named after one of its fields takes that name as Frappe allows names to be."""
	fieldname = (doc.meta.autoname or "").partition("field:")[2]
	value = doc.get(fieldname) if fieldname else None
	if isinstance(value, str) and ("<" in value or ">" in value):
		refuse(
			_("{0} names the document and cannot contain {1} or {2}.").format(
				label(doc, doc.meta.get_field(fieldname)), "&lt;", "&gt;"
			),
			_("Invalid Name"),
		)


def shown(value) -> str:
	"""The value as a message quotes it: long texts cut short."""
	text = repr(value) if not isinstance(value, str) else value
	return frappe.bold(escape_html(text if len(text) <= 40 else f"{text[:37]}..."))
