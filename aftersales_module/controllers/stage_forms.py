"""What a case form shows its user: the fields they fill in at the case's stage, and who acts next.

The form is told by the server, from the same step inputs the server enforces on save
(`setup.workflow.RETURN_REQUEST_STEP_INPUTS`) and the same workflow transitions it applies, so a
field the form offers is one the save accepts, and a user without an action is told whose it is.
"""

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name, is_transition_condition_satisfied

from aftersales_module.controllers.case_stages import stage_of
from aftersales_module.controllers.postings import ALL_POSTED_DOCTYPES, check_cancel_rights, posted_documents
from aftersales_module.controllers.status_inputs import form_inputs
from aftersales_module.controllers.steps import has_role
from aftersales_module.core.schema import (
	COMPENSATION_CLAIM_LINK,
	REPAIR_ORDER_LINK,
	RETURN_REQUEST_LINK,
	TRANSFER_REQUEST_LINK,
)
from aftersales_module.core.stages import editable_fields
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	QUALITY_INSPECTOR,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
	WAREHOUSE,
)
from aftersales_module.setup.workflow import RETURN_REQUEST_STEP_INPUTS


def set_stage_onload(doc, method=None) -> None:
	"""doc_events onload of the case doctypes: the form's stage inputs and next step."""
	if doc.doctype == "Return Request" and doc.docstatus == 1:
		doc.set_onload("stage_inputs", return_request_inputs(doc))
	if doc.doctype == "Repair Order" and doc.docstatus == 1:
		doc.set_onload("stage_inputs", repair_order_inputs(doc))
	if getattr(doc, "step_inputs", None) and not doc.is_new():
		# a case moved on by its status: its own table of who sets what at which status
		doc.set_onload(
			"stage_inputs", form_inputs(doc, doc.step_inputs, getattr(doc, "stage_shown_from", None))
		)
	doc.set_onload("next_step", next_step(doc))
	doc.set_onload("cancel_refused", cancel_refusal(doc))


# The back-link each case's postings carry, and the doctypes it posts: cancelling the case cancels them.
POSTINGS = {
	"Return Request": (RETURN_REQUEST_LINK, ALL_POSTED_DOCTYPES),
	"Repair Order": (REPAIR_ORDER_LINK, ALL_POSTED_DOCTYPES),
	"Spare Part Transfer Request": (TRANSFER_REQUEST_LINK, ("Stock Entry",)),
	"Compensation Claim": (COMPENSATION_CLAIM_LINK, ALL_POSTED_DOCTYPES),
}


def return_request_inputs(doc) -> dict:
	"""The case and line fields this user fills in at the case's stage, and all that any stage takes."""
	steps = RETURN_REQUEST_STEP_INPUTS
	every_field = sorted(set().union(*(step.fields for step in steps)))
	every_item_field = sorted(set().union(*(step.item_fields for step in steps)))
	if not workflow_lets_edit(doc):
		fields, item_fields = set(), set()
	elif has_role():
		fields, item_fields = set(every_field), set(every_item_field)
	else:
		fields, item_fields = editable_fields(steps, frappe.get_roles(), stage_of(doc))
	return {
		"fields": sorted(fields),
		"item_fields": sorted(item_fields),
		"every_field": every_field,
		"every_item_field": every_item_field,
	}


REPAIRERS = (REPAIR_TECHNICIAN, REPAIR_POINT_MANAGER)
SEND_RESULT = ((CUSTOMER_SERVICE,), ("Send Result",))
TRANSFER = ((WAREHOUSE,), ("Transfer",))
# Cases without a workflow move on by their own buttons: at each status, whose they are, and which.
STATUS_STEPS = {
	"Repair Order": {
		"Draft": ((CUSTOMER_SERVICE, REPAIR_POINT_MANAGER), ("Submit",)),
		"Open": (REPAIRERS, ("Complete", "Unrepairable")),
		"In Repair": (REPAIRERS, ("Complete", "Unrepairable")),
		"Unrepairable": ((AFTERSALES_MANAGER,), ("Approve Scrap",)),
	},
	"Compensation Claim": {
		"Draft": ((QUALITY_INSPECTOR,), ("First Review",)),
		"In Review": ((QUALITY_INSPECTOR,), ("Second Review",)),
		"Disputed": ((AFTERSALES_MANAGER,), ("Rule",)),
		"Ready to Approve": ((AFTERSALES_MANAGER, QUALITY_INSPECTOR), ("Submit",)),
	},
	"Inquiry Ticket": {
		"Open": ((CUSTOMER_SERVICE,), ("Record First Response", "Send Result")),
		"Replied": SEND_RESULT,
		"Waiting on Customer": ((CUSTOMER_SERVICE,), ("Customer Replied",)),
		"Resolved": ((CUSTOMER_SERVICE,), ("Close",)),
	},
	"Spare Part Transfer Request": {
		"Draft": ((REPAIR_POINT_MANAGER,), ("Submit",)),
		"Pending Approval": ((AFTERSALES_MANAGER,), ("Approve", "Reject")),
		"Approved": TRANSFER,
		"Partly Transferred": TRANSFER,
	},
}


def workflow_lets_edit(doc) -> bool:
	"""Whether the desk opens the case for editing to this user: its workflow state names the roles that
	may edit it (Workflow Document State's Only Allow Edit For), and the form is read-only to others."""
	workflow_name = get_workflow_name(doc.doctype)
	if not workflow_name:
		return True
	workflow = frappe.get_cached_doc("Workflow", workflow_name)
	state = doc.get(workflow.workflow_state_field)
	editors = {row.allow_edit for row in workflow.states if row.state == state}
	return bool(editors & set(frappe.get_roles()))


def repair_order_inputs(doc) -> dict:
	"""What this user fills in on an open repair order (as repair_order_inputs checks it on save): nothing
	once it is finished, but the faulty parts brought back after a completed repair."""
	from aftersales_module.aftersales_module.doctype.repair_order.repair_order_inputs import (
		COMPLETED,
		FINISHED,
		INPUTS_AFTER_SUBMIT,
	)

	if doc.status not in FINISHED:
		fields = {field for field, roles in INPUTS_AFTER_SUBMIT.items() if has_role(*roles)}
	elif doc.status == COMPLETED and has_role(*INPUTS_AFTER_SUBMIT["parts"]):
		fields = {"parts"}
	else:
		fields = set()
	return {
		"fields": sorted(fields),
		"item_fields": [],
		"every_field": sorted(INPUTS_AFTER_SUBMIT),
		"every_item_field": [],
	}


def next_step(doc) -> dict | None:
	"""The actions open on the case now, the roles that take them, and whether this user can."""
	workflow_name = get_workflow_name(doc.doctype)
	if not workflow_name:
		return status_step(doc)
	workflow = frappe.get_cached_doc("Workflow", workflow_name)
	state = doc.get(workflow.workflow_state_field)
	transitions = [
		row
		for row in workflow.transitions
		if row.state == state and is_transition_condition_satisfied(row, doc)
	]
	roles = list(dict.fromkeys(row.allowed for row in transitions))
	held = set(frappe.get_roles())
	return {
		"state": state,
		"stage": _(doc.get("stage")) if doc.get("stage") else _(state),
		"roles": [_(role) for role in roles],
		"actions": list(dict.fromkeys(_(row.action) for row in transitions)),
		"can_act": bool(held & set(roles)),
	}


def set_case_title(doc, method=None) -> None:
	"""doc_events validate: the case's number and whom it is for, so that two cases of one customer
	are told apart in lists and link searches."""
	whom = doc.get("customer_name") or doc.get("customer") or doc.get("repair_point")
	doc.title = f"{doc.name} · {whom}" if whom else doc.name


def cancel_refusal(doc) -> str | None:
	"""Why this user's Cancel would be refused (the check before_cancel makes), so the form does not
	offer it; None when it would go through, or the user has no Cancel at all."""
	if (
		doc.docstatus != 1
		or doc.doctype not in POSTINGS
		or not frappe.has_permission(doc.doctype, "cancel", doc)
	):
		return None
	link_field, doctypes = POSTINGS[doc.doctype]
	try:
		check_cancel_rights(doc, posted_documents(link_field, doc.name, doctypes))
	except (frappe.PermissionError, frappe.ValidationError) as refused:
		frappe.clear_messages()
		return str(refused)
	return None


def status_step(doc) -> dict | None:
	"""next_step of a case without a workflow, from its status."""
	roles, actions = STATUS_STEPS.get(doc.doctype, {}).get(doc.get("status"), ((), ()))
	if not roles:
		return None
	return {
		"state": doc.status,
		"stage": _(doc.status),
		"roles": [_(role) for role in roles],
		"actions": [_(action) for action in actions],
		"can_act": has_role(*roles),
	}
