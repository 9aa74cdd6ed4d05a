"""The stage of a case, read from its workflow: each state names the stage it stands for."""

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name

from aftersales_module.core.stages import Stage, stage_of_state
from aftersales_module.setup.custom_fields import STAGE_FIELD


class UnknownStageError(frappe.ValidationError):
	pass


def workflow_stages(doctype: str) -> dict[str, str]:
	"""State → stage, as the active workflow of the doctype maps them."""
	workflow_name = get_workflow_name(doctype)
	if not workflow_name:
		return {}
	workflow = frappe.get_cached_doc("Workflow", workflow_name)
	return {row.state: row.get(STAGE_FIELD) for row in workflow.states if row.get(STAGE_FIELD)}


def stage_of(doc, state: str | None = None) -> Stage:
	"""The stage of a case in a state (by default its own); a state with no stage is refused."""
	if doc.docstatus == 0:
		return Stage.DRAFT
	if doc.docstatus == 2:
		return Stage.CANCELLED
	state = state or doc.status
	stage = stage_of_state(state, workflow_stages(doc.doctype))
	if stage is None:
		frappe.throw(
			_(
				"The state {0} names no after-sales stage. Set its After-sales Stage in the workflow of {1}."
			).format(frappe.bold(state), _(doc.doctype)),
			UnknownStageError,
			title=_("Stage Missing"),
		)
	return stage
