"""What each role fills in on a case that moves on by its status (compensation claims, inquiry tickets,
spare-part transfer requests), checked when the case is saved and shown to the form.

A case's table of `StatusInputs` names, per status and role, the case fields and the table columns that
role sets then. A table named among the fields is its rows as a whole (rows added, removed, or changed
in a column no step names); a column named in `columns` is checked on the rows the case already had.
Everything a user can type into appears in the table, so nothing is left for any role at any stage;
what the server writes (permission level 1, the steps' own fields) is not in it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields

from aftersales_module.controllers.steps import StepPermissionError, differs, has_role


@dataclass(frozen=True)
class StatusInputs:
	"""What a role sets while a case has one of these statuses."""

	statuses: frozenset[str]
	roles: frozenset[str]
	fields: frozenset[str] = frozenset()
	# (table fieldname, column fieldname) of the rows already on the case
	columns: frozenset[tuple[str, str]] = frozenset()


def inputs(statuses: Iterable[str], roles: Iterable[str], fields=(), columns=()) -> StatusInputs:
	return StatusInputs(frozenset(statuses), frozenset(roles), frozenset(fields), frozenset(columns))


def every_input(steps: Iterable[StatusInputs]) -> tuple[set[str], set[tuple[str, str]]]:
	steps = list(steps)
	return (
		set().union(*(step.fields for step in steps)),
		set().union(*(step.columns for step in steps)),
	)


def editable_inputs(
	steps: Iterable[StatusInputs], status: str, roles: Iterable[str] | None = None
) -> tuple[set[str], set[tuple[str, str]]]:
	"""The fields and columns this user (or users holding these roles) may change at this status.
	An after-sales manager or system manager may change any of them at any stage, as on a return's
	and a repair order's steps (controllers/steps.py check_inputs_owned)."""
	if roles is None and has_role():
		return every_input(steps)
	steps = [step for step in steps if status in step.statuses]
	held = set(frappe.get_roles() if roles is None else roles)
	return every_input(step for step in steps if step.roles & held)


def check_status_inputs(doc, steps: tuple[StatusInputs, ...]) -> None:
	"""A client changes only what its roles set at the status the case had before this save; a server
	step (which checked its own role) writes what it decided."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before is None or doc.flags.server_step:
		return
	status = before.status
	every_field, every_column = every_input(steps)
	fields, columns = editable_inputs(steps, status)
	changed = [
		field for field in sorted(every_field - fields) if field_changed(doc, before, field, every_column)
	]
	refused = [refusal(doc, steps, field) for field in changed]
	old_rows = {table: {row.name: row for row in before.get(table) or []} for table, _column in every_column}
	for table, column in sorted(every_column - columns):
		for row in doc.get(table) or []:
			old = old_rows[table].get(row.name)
			if old is not None and differs(row.get(column), old.get(column)):
				refused.append(refusal(doc, steps, (table, column), row.idx))
	if refused:
		frappe.throw(
			_("At the {0} stage you cannot change {1}.").format(_(status), "; ".join(refused)),
			StepPermissionError,
			title=_("Not Your Step"),
		)


def field_changed(doc, before, fieldname: str, every_column: set[tuple[str, str]]) -> bool:
	if doc.meta.get_field(fieldname).fieldtype not in table_fields:
		return differs(doc.get(fieldname), before.get(fieldname))
	# a table's rows as a whole, but for the columns that steps of their own set
	own = {column for table, column in every_column if table == fieldname}
	return table_rows(doc, fieldname, own) != table_rows(before, fieldname, own)


def table_rows(doc, fieldname: str, skip: set[str]) -> list[tuple]:
	"""The rows of a table as the client fills them in, comparable between two versions of the case."""
	meta = frappe.get_meta(doc.meta.get_field(fieldname).options)
	columns = [
		field.fieldname
		for field in meta.fields
		if field.fieldtype not in no_value_fields
		and not field.read_only
		and not field.permlevel
		and field.fieldname not in skip
	]
	return [
		(row.name, tuple(comparable(row.get(column)) for column in columns)) for row in doc.get(fieldname)
	]


def comparable(value):
	"""An empty value, a number and a text each in one form, whoever sent it (the desk sends "" or 0)."""
	if not value:
		return None
	if isinstance(value, int | float):
		return float(value)
	return str(value)


def refusal(doc, steps, field: str | tuple[str, str], idx: int | None = None) -> str:
	"""The field (or a row's column), who sets it and at which stages."""
	if isinstance(field, tuple):
		table, column = field
		label = _("{0} in row {1}").format(
			_(frappe.get_meta(doc.meta.get_field(table).options).get_label(column)), idx
		)
		owners = [step for step in steps if field in step.columns]
	else:
		label = _(doc.meta.get_label(field))
		owners = [step for step in steps if field in step.fields]
	who = "; ".join(
		_("{0} at the {1} stage").format(
			" / ".join(_(role) for role in sorted(step.roles)),
			", ".join(_(status) for status in ordered(doc, step.statuses)),
		)
		for step in owners
	)
	return _("{0} (set by {1})").format(frappe.bold(label), who)


def ordered(doc, statuses: frozenset[str]) -> list[str]:
	"""Statuses in the order the case passes through them (the status field's options)."""
	options = (doc.meta.get_options("status") or "").split("\n")
	return sorted(statuses, key=lambda status: options.index(status) if status in options else len(options))


def form_inputs(doc, steps: tuple[StatusInputs, ...], shown_from: dict | None = None) -> dict:
	"""What the form lets this user edit at the case's status; the rest of every stage's inputs are
	read-only, and fields of stages the case has not reached are hidden."""
	every_field, every_column = every_input(steps)
	if frappe.has_permission(doc.doctype, "write", doc) and not doc.is_new():
		fields, columns = editable_inputs(steps, doc.status)
	else:
		fields, columns = set(), set()
	return {
		"fields": sorted(fields),
		"columns": grouped(columns),
		"every_field": sorted(every_field),
		"every_column": grouped(every_column),
		"hidden": [field for field, statuses in (shown_from or {}).items() if doc.status not in statuses],
	}


def grouped(columns: set[tuple[str, str]]) -> dict[str, list[str]]:
	tables: dict[str, list[str]] = {}
	for table, column in sorted(columns):
		tables.setdefault(table, []).append(column)
	return tables
