# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The workflow opens a case for editing to exactly the roles that fill something in at its stage.

The desk makes a case read-only to anyone its workflow state does not name (Only Allow Edit For);
the server takes from each role only its step's fields. Where the two disagreed, the accountant
was offered a refund method at Goods Received that the desk would not let him save."""

import frappe
from frappe.desk.form.save import savedocs

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	open_request,
	receive_all,
	sell,
)
from aftersales_module.controllers.stage_forms import return_request_inputs, workflow_lets_edit
from aftersales_module.core.stages import DEFAULT_STATE_STAGES
from aftersales_module.patches.let_step_roles_edit_their_states import execute as let_step_roles_edit
from aftersales_module.setup.custom_fields import STAGE_FIELD
from aftersales_module.setup.roles import CUSTOMER_SERVICE, QUALITY_INSPECTOR, WAREHOUSE
from aftersales_module.setup.workflow import (
	ACCOUNTS_USER,
	RETURN_REQUEST_STEP_INPUTS,
	RETURN_REQUEST_WORKFLOW,
	STATES,
	state_rows,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


def owners_by_state() -> dict[str, set[str]]:
	"""Each shipped state and the roles the step inputs let fill something in at its stage."""
	return {
		state: {
			role
			for step in RETURN_REQUEST_STEP_INPUTS
			if DEFAULT_STATE_STAGES[state] in step.stages and (step.fields or step.item_fields)
			for role in step.roles
		}
		for state, *_rest in STATES
	}


def editors(rows) -> dict[str, set[str]]:
	found = {}
	for row in rows:
		found.setdefault(row.get("state"), set()).add(row.get("allow_edit"))
	return found


def desk_save(request, **values) -> None:
	"""What the desk's Update sends: the whole case as the form holds it, through Frappe's savedocs."""
	data = frappe.get_doc("Return Request", request.name).as_dict()
	data.update(values)
	savedocs(frappe.as_json(data), "Update")


class TestWorkflowEditRights(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		self.addCleanup(frappe.clear_document_cache, "Workflow", RETURN_REQUEST_WORKFLOW)

	def test_each_state_may_be_edited_by_every_role_that_fills_something_in_there(self):
		shipped = editors(state_rows())
		installed = editors(frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW).states)
		owners = owners_by_state()
		self.assertEqual(len(owners), 10)
		for state, roles in owners.items():
			self.assertLessEqual(roles, shipped[state], state)
			self.assertLessEqual(roles, installed[state], state)
		self.assertIn(ACCOUNTS_USER, shipped["Goods Received"])
		self.assertIn(ACCOUNTS_USER, shipped["Approved"])
		self.assertIn(WAREHOUSE, shipped["Refunded"])

	def test_no_state_lets_a_role_edit_that_neither_acts_nor_fills_anything_in_there(self):
		for state, roles in editors(state_rows()).items():
			shipped_role = next(role for name, _docstatus, role, _style in STATES if name == state)
			self.assertLessEqual(roles - owners_by_state()[state], {shipped_role}, state)

	def test_the_accountant_sets_the_refund_method_at_goods_received_in_the_desk_and_refunds(self):
		request = receive_all(approve_quality_return(open_request(sell(qty=1))))
		self.assertEqual(request.status, "Goods Received")
		with acting_as(ACCOUNTS_USER):
			request.reload()
			self.assertTrue(workflow_lets_edit(request))
			offered = return_request_inputs(request)["fields"]
			self.assertEqual(sorted(offered), ["receipt_signed", "refund_method"])
			desk_save(request, refund_method="Cash at Store", receipt_signed=1)
		request.reload()
		self.assertEqual((request.refund_method, request.receipt_signed), ("Cash at Store", 1))
		request = act(request, "Refund")
		self.assertEqual(request.status, "Refunded")
		self.assertEqual(
			frappe.db.get_value("Return Request", request.name, "refund_method"), "Cash at Store"
		)

	def test_the_inspector_is_offered_nothing_at_goods_received(self):
		request = receive_all(approve_quality_return(open_request(sell(qty=1))))
		with acting_as(QUALITY_INSPECTOR):
			request.reload()
			self.assertFalse(workflow_lets_edit(request))
			self.assertEqual(return_request_inputs(request)["fields"], [])


class TestEditRightsPatch(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		self.addCleanup(frappe.clear_document_cache, "Workflow", RETURN_REQUEST_WORKFLOW)

	def set_states(self, rows) -> None:
		workflow = frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW)
		workflow.set("states", rows)
		workflow.save(ignore_permissions=True)

	def previous_states(self) -> list[dict]:
		return [
			{
				"state": state,
				"doc_status": str(docstatus),
				"allow_edit": role,
				STAGE_FIELD: DEFAULT_STATE_STAGES[state].value,
			}
			for state, docstatus, role, _style in STATES
		]

	def test_a_workflow_as_previously_shipped_gets_the_step_roles(self):
		self.set_states(self.previous_states())
		let_step_roles_edit()
		states = frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW).states
		self.assertEqual(editors(states), editors(state_rows()))
		self.assertEqual(len(states), len(state_rows()))
		self.assertEqual(states[0].state, "Draft")
		let_step_roles_edit()  # a second run changes nothing
		self.assertEqual(len(frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW).states), len(state_rows()))

	def test_a_workflow_an_admin_changed_is_left_as_it_is(self):
		changed = self.previous_states()
		for row in changed:
			if row["state"] == "Goods Received":
				row["allow_edit"] = CUSTOMER_SERVICE
		self.set_states(changed)
		let_step_roles_edit()
		states = frappe.get_doc("Workflow", RETURN_REQUEST_WORKFLOW).states
		self.assertEqual(len(states), len(STATES))
		self.assertEqual(editors(states)["Goods Received"], {CUSTOMER_SERVICE})
