"""The stage log: each move of an after-sales case into a stage, with who moved it, when and from which
stage, written by the server on every save of a case. Durations per step, person and department are
read from it, not guessed from `modified`."""

import frappe
from frappe.utils import now_datetime

from aftersales_module.controllers.steps import acting_user
from aftersales_module.setup.roles import AFTERSALES_ROLES

STAGE_LOG = "Aftersales Stage Log"
# The field that names where each case doctype stands.
CASE_STAGE_FIELDS = {
	"Return Request": "stage",
	"Repair Order": "status",
	"Spare Part Transfer Request": "status",
	"Compensation Claim": "status",
	"Inquiry Ticket": "status",
	"Aftersales Complaint": "status",
}
# What this save of the case logged: (its `modified`, the stage), so its next event need not ask again.
LOGGED_STAGE_FLAG = "aftersales_logged_stage"


def log_stage_move(doc, method=None) -> None:
	"""doc_events (on_update, on_submit, on_update_after_submit, on_cancel) of the case doctypes.

	Compared with the case's last logged stage, not with the document before the save: a submit runs
	several events, and a controller may set the stage with `db_set` after the save itself."""
	stage_field = CASE_STAGE_FIELDS.get(doc.doctype)
	stage = doc.get(stage_field) if stage_field else None
	if not stage:
		return
	last = last_logged_stage(doc)
	if last == stage:
		return
	user = acting_user()
	entry = frappe.get_doc(
		{
			"doctype": STAGE_LOG,
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"company": doc.get("company"),
			"from_stage": last,
			"to_stage": stage,
			"workflow_state": doc.get("workflow_state") or doc.get("status"),
			"moved_by": user,
			"moved_on": now_datetime(),
			"roles": "\n".join(role for role in frappe.get_roles(user) if role in AFTERSALES_ROLES),
		}
	)
	# Written by the server alone from the case just saved (its links checked by that save): one INSERT,
	# without a document's validation and events, which a log row has none of.
	entry.db_insert()
	doc.flags[LOGGED_STAGE_FLAG] = (str(doc.modified), stage)


def last_logged_stage(doc) -> str | None:
	"""The stage last logged for the case; a submit's second event of the same save asks once. A save
	of a case already there logged the stage it read the case in (every save logs its move), so that
	stage is the one to compare with; a new case, or one whose copy before the save is not at hand,
	asks the log."""
	logged = doc.flags.get(LOGGED_STAGE_FLAG)
	if logged and logged[0] == str(doc.modified):
		return logged[1]
	before = doc.get_doc_before_save()
	if before is not None:
		return before.get(CASE_STAGE_FIELDS[doc.doctype]) or None
	return frappe.db.get_value(
		STAGE_LOG,
		{"reference_doctype": doc.doctype, "reference_name": doc.name},
		"to_stage",
		order_by="moved_on desc, creation desc",
	)


def delete_stage_log(doc, method=None) -> None:
	"""doc_events on_trash: a deleted case takes its log with it."""
	if doc.doctype in CASE_STAGE_FIELDS:
		frappe.db.delete(STAGE_LOG, {"reference_doctype": doc.doctype, "reference_name": doc.name})
