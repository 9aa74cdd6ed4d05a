"""Spare-unit and reissue cases close from Approved, and a reissue receives no goods.

Adds these to the default workflow of sites installed before them; a transition an admin has
already changed or added for the same state and action is left as it is.
"""

import frappe

from aftersales_module.setup.workflow import (
	APPROVED,
	RECEIVES_GOODS,
	RETURN_REQUEST_WORKFLOW,
	transition_rows,
)

OLD_RECEIVES_GOODS = 'doc.request_type != "Refund Only"'


def execute():
	if not frappe.db.exists("Workflow", RETURN_REQUEST_WORKFLOW):
		return
	workflow = frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW)
	present = {(row.state, row.action) for row in workflow.transitions}
	for row in workflow.transitions:
		if row.state == APPROVED and row.condition == OLD_RECEIVES_GOODS:
			row.condition = RECEIVES_GOODS
	for row in transition_rows():
		if (row["state"], row["action"]) not in present:
			workflow.append("transitions", row)
	workflow.save(ignore_permissions=True)
