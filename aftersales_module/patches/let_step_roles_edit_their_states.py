"""The roles that fill something in at a state's stage may edit the case in that state.

The shipped workflow let one role edit each state, so the accountant could not save the refund
method the form offered at Approved and Goods Received (nor customer service its postage, nor the
warehouse its dispositions after receipt). A workflow whose states are still exactly as shipped
gets the shipped rows of today; one an admin has changed is left as it is.
"""

import frappe

from aftersales_module.setup.workflow import RETURN_REQUEST_WORKFLOW, STATES, state_rows


def execute():
	if not frappe.db.exists("Workflow", RETURN_REQUEST_WORKFLOW):
		return
	workflow = frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW)
	if not still_as_shipped(workflow):
		return
	for row in state_rows():
		if (row["state"], row["allow_edit"]) not in {
			(state.state, state.allow_edit) for state in workflow.states
		}:
			workflow.append("states", row)
	workflow.save(ignore_permissions=True)


def still_as_shipped(workflow) -> bool:
	"""Whether the states are the one-role-per-state rows the app shipped before."""
	shipped = [(state, str(docstatus), role) for state, docstatus, role, _style in STATES]
	return [(row.state, str(row.doc_status), row.allow_edit) for row in workflow.states] == shipped
