"""What Frappe reads again on every save of a submitted case, read once.

A workflow action saves the case: Frappe then reads the Workflow from the database, though it keeps
it cached for the same question a moment earlier, and reads the case and each of its rows again to
compare them with what was sent, though it read the case (locked) at the start of the same save.
The app's doctypes ask the same questions of what is already there. The checks and their messages
are Frappe's own.
"""

import datetime

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.model.workflow import validate_workflow
from frappe.utils import cint

from aftersales_module.controllers.steps import differs


class LeanSave:
	"""Mixed into a doctype's class ahead of Document (through FieldChecks)."""

	def validate_workflow(self):
		if frappe.flags.in_install == "frappe":
			return
		workflow = self.meta.get_workflow()
		if workflow:
			validate_workflow(self)
			if self._action != "save":
				set_workflow_state_on_action(self, frappe.get_cached_doc("Workflow", workflow), self._action)

	def validate_update_after_submit(self):
		"""Only fields allowed on submit changed: compared with the document as this save read it in
		`check_if_latest`, not read once more with each of its rows."""
		before = self.get_doc_before_save()
		if self.flags.ignore_validate_update_after_submit or before is None:
			return super().validate_update_after_submit()
		refuse_changed_after_submit(self, before.as_dict())
		rows_before = {(row.doctype, row.name): row for row in before.get_all_children()}
		for row in self.get_all_children():
			if row.is_new() and self.meta.get_field(row.parentfield).allow_on_submit:
				continue  # a new row of a table that may change after submit, as Frappe allows
			old = rows_before.get((row.doctype, row.name))
			if old is None:
				row._validate_update_after_submit()  # Frappe's own check and message
			else:
				refuse_changed_after_submit(row, old.as_dict())


def set_workflow_state_on_action(doc, workflow, action: str) -> None:
	"""Frappe's `set_workflow_state_on_action`, given the (cached) Workflow."""
	for state in workflow.states:
		if state.state == doc.get(workflow.workflow_state_field) and doc.docstatus == cint(state.doc_status):
			return
	docstatus = {"update_after_submit": "1", "submit": "1", "cancel": "2"}[action]
	for state in workflow.states:
		if state.doc_status == docstatus:
			doc.set(workflow.workflow_state_field, state.state)
			return


def refuse_changed_after_submit(doc, db_values: dict) -> None:
	"""Frappe's `_validate_update_after_submit`, given the values as saved."""
	for key in doc.as_dict():
		df = doc.meta.get_field(key)
		db_value = db_values.get(key)
		if not df or df.allow_on_submit or not (doc.get(key) or db_value):
			continue
		if df.fieldtype in table_fields:
			# the rows are compared one by one; here only how many there are
			value, db_value = len(doc.get(key)), len(db_value or [])
		else:
			value = doc.get_value(key)
		if isinstance(value, datetime.timedelta) and isinstance(db_value, datetime.time):
			db_value = datetime.timedelta(
				hours=db_value.hour,
				minutes=db_value.minute,
				seconds=db_value.second,
				microseconds=db_value.microsecond,
			)
		if value != db_value:
			frappe.throw(
				_("{0} Not allowed to change {1} after submission from {2} to {3}").format(
					f"Row #{doc.idx}:" if doc.get("parent") else "",
					frappe.bold(_(df.label, context=df.parent)),
					frappe.bold(db_value),
					frappe.bold(value),
				),
				frappe.UpdateAfterSubmitError,
				title=_("Cannot Update After Submit"),
			)


def changes_besides(doc, ignored: frozenset[str]) -> bool:
	"""Whether this save changes a value of the document or of its rows other than the `ignored` fields,
	compared with the document as the save read it (without that copy, it may have)."""
	before = doc.get_doc_before_save()
	if before is None or values_differ(doc, before, ignored):
		return True
	for df in doc.meta.get_table_fields():
		rows, old_rows = doc.get(df.fieldname) or [], before.get(df.fieldname) or []
		if [row.name for row in rows] != [row.name for row in old_rows]:
			return True
		if any(values_differ(row, old, ignored) for row, old in zip(rows, old_rows, strict=True)):
			return True
	return False


def values_differ(doc, before, ignored: frozenset[str]) -> bool:
	return any(
		differs(doc.get(df.fieldname), before.get(df.fieldname))
		for df in doc.meta.fields
		if df.fieldname not in ignored
		and df.fieldtype not in no_value_fields
		and df.fieldtype not in table_fields
	)


def saved_values(doc) -> dict:
	"""The values of the document and of each of its rows (those already named), as they would be
	written, keyed by row."""
	return {
		(row.doctype, row.name): row.get_valid_dict(sanitize=False, convert_dates_to_str=True)
		for row in [doc, *doc.get_all_children()]
		if row.name
	}


def write_changes_since(doc, saved: dict) -> None:
	"""Write what changed in the document and its rows since `saved` (from `saved_values`), one UPDATE
	per changed row and one INSERT per row added, keeping the `modified` of the save it follows; a row
	removed since is written as a whole save writes it."""
	rows = [doc, *doc.get_all_children()]
	if not saved.keys() <= {(row.doctype, row.name) for row in rows if row.name}:
		doc.db_update_all()
		return
	for row in rows:
		old = saved.get((row.doctype, row.name)) if row.name else None
		if old is None:
			row.db_insert()
			continue
		values = row.get_valid_dict(sanitize=False, convert_dates_to_str=True)
		changed = {field: value for field, value in values.items() if old.get(field) != value}
		if changed:
			frappe.db.set_value(row.doctype, row.name, changed, update_modified=False)
