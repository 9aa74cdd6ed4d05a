"""The default approval workflow of Return Requests, created once so that admins can change it.

An admin's edits survive migrate: nothing is written when any workflow for the doctype exists.
Each state names its after-sales stage (a custom field of Workflow Document State); the controller
posts and checks by stage, so states can be renamed, translated, added or removed freely.
"""

import frappe

from aftersales_module.core.stages import DEFAULT_STATE_STAGES, Stage, StepInputs
from aftersales_module.setup.company import get_or_create
from aftersales_module.setup.custom_fields import STAGE_FIELD
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	QUALITY_INSPECTOR,
	SALES_APPROVER,
	WAREHOUSE,
)

RETURN_REQUEST_WORKFLOW = "Return Request Approval"
ACCOUNTS_USER = "Accounts User"

DRAFT = "Draft"
CUSTOMER_SERVICE_REVIEW = "Customer Service Review"
QUALITY_INSPECTION = "Quality Inspection"
SALES_APPROVAL = "Sales Approval"
APPROVED = "Approved"
REJECTED = "Rejected"
GOODS_RECEIVED = "Goods Received"
REFUNDED = "Refunded"
CLOSED = "Closed"
CANCELLED = "Cancelled"

# (state, docstatus, role that acts on the case in this state, indicator style); the roles that fill
# something in at the state's stage may edit it too (`state_editors`).
STATES = (
	(DRAFT, 0, CUSTOMER_SERVICE, ""),
	(CUSTOMER_SERVICE_REVIEW, 1, CUSTOMER_SERVICE, "Primary"),
	(QUALITY_INSPECTION, 1, QUALITY_INSPECTOR, "Warning"),
	(SALES_APPROVAL, 1, SALES_APPROVER, "Warning"),
	(APPROVED, 1, WAREHOUSE, "Success"),
	(REJECTED, 1, CUSTOMER_SERVICE, "Danger"),
	(GOODS_RECEIVED, 1, WAREHOUSE, "Info"),
	(REFUNDED, 1, ACCOUNTS_USER, "Success"),
	(CLOSED, 1, AFTERSALES_MANAGER, "Inverse"),
	(CANCELLED, 2, AFTERSALES_MANAGER, "Danger"),
)

REFUND_TYPES = '("Refund Only", "Return and Refund")'
RECEIVES_GOODS = 'doc.request_type not in ("Refund Only", "Reissue")'
# A spare unit that came back, or a reissue that shipped, ends the case without goods received.
CLOSES_FROM_APPROVED = 'doc.request_type in ("Spare Unit", "Reissue")'

# (state, action, next state, role, condition)
TRANSITIONS = (
	(DRAFT, "Submit", CUSTOMER_SERVICE_REVIEW, CUSTOMER_SERVICE, None),
	(
		CUSTOMER_SERVICE_REVIEW,
		"Send to Quality Inspection",
		QUALITY_INSPECTION,
		CUSTOMER_SERVICE,
		'doc.review_stage == "Quality Inspection"',
	),
	(
		CUSTOMER_SERVICE_REVIEW,
		"Send to Sales Approval",
		SALES_APPROVAL,
		CUSTOMER_SERVICE,
		'doc.review_stage == "Sales Approval"',
	),
	(CUSTOMER_SERVICE_REVIEW, "Reject", REJECTED, CUSTOMER_SERVICE, None),
	(QUALITY_INSPECTION, "Approve", APPROVED, QUALITY_INSPECTOR, None),
	(QUALITY_INSPECTION, "No Defect Found", CUSTOMER_SERVICE_REVIEW, QUALITY_INSPECTOR, None),
	(QUALITY_INSPECTION, "Reject", REJECTED, QUALITY_INSPECTOR, None),
	(SALES_APPROVAL, "Approve", APPROVED, SALES_APPROVER, None),
	(SALES_APPROVAL, "Reject", REJECTED, SALES_APPROVER, None),
	(APPROVED, "Receive Goods", GOODS_RECEIVED, WAREHOUSE, RECEIVES_GOODS),
	(APPROVED, "Refund", REFUNDED, ACCOUNTS_USER, 'doc.request_type == "Refund Only"'),
	(GOODS_RECEIVED, "Refund", REFUNDED, ACCOUNTS_USER, 'doc.request_type == "Return and Refund"'),
	(APPROVED, "Close", CLOSED, CUSTOMER_SERVICE, CLOSES_FROM_APPROVED),
	(GOODS_RECEIVED, "Close", CLOSED, CUSTOMER_SERVICE, f"doc.request_type not in {REFUND_TYPES}"),
	(REFUNDED, "Close", CLOSED, CUSTOMER_SERVICE, None),
	(REJECTED, "Close", CLOSED, CUSTOMER_SERVICE, None),
)


RECEIVING_FIELDS = frozenset(
	{"received_qty", "received_condition", "received_serial_no", "discrepancy_note", "discrepancy_photo"}
)
REPLACEMENT_FIELDS = frozenset({"replacement_item", "replacement_warehouse", "replacement_serial_no"})
DISPOSITION_FIELDS = frozenset({"disposition", "restock_warehouse"})
REFUND_FIELDS = frozenset({"refund_method", "receipt_signed"})
AFTER_RECEIPT = frozenset({Stage.GOODS_RECEIVED, Stage.REFUNDED, Stage.CLOSED})
# The customer's carrier, tracking number and postage: told at intake, or read off the parcel at receipt.
POSTAGE_FIELDS = frozenset(
	{"customer_carrier", "customer_tracking_no", "customer_postage", "customer_postage_currency"}
)

# Who fills in what at each stage of a submitted case; anything else a client sends is refused.
RETURN_REQUEST_STEP_INPUTS = (
	StepInputs(
		frozenset({Stage.REVIEW}),
		frozenset({CUSTOMER_SERVICE}),
		frozenset(
			{"fraud_flag", "rejection_reason", "shipping_cost", "shipping_payer", "carrier", *REFUND_FIELDS}
		),
	),
	StepInputs(
		frozenset({Stage.INSPECTION}),
		frozenset({QUALITY_INSPECTOR}),
		frozenset({"rejection_reason"}),
		frozenset({"inspection_result", "inspection_notes"}),
	),
	StepInputs(
		frozenset({Stage.SALES_APPROVAL}),
		frozenset({SALES_APPROVER}),
		frozenset({"depreciation_percent", "handling_fee", "shipping_payer", "rejection_reason"}),
	),
	StepInputs(
		frozenset({Stage.APPROVED}),
		frozenset({WAREHOUSE}),
		frozenset({"carrier"}),
		RECEIVING_FIELDS | REPLACEMENT_FIELDS,
	),
	StepInputs(frozenset({Stage.GOODS_RECEIVED}), frozenset({WAREHOUSE}), item_fields=REPLACEMENT_FIELDS),
	StepInputs(
		frozenset({Stage.REVIEW, Stage.INSPECTION, Stage.SALES_APPROVAL, Stage.APPROVED}),
		frozenset({CUSTOMER_SERVICE}),
		POSTAGE_FIELDS,
	),
	StepInputs(
		frozenset({Stage.INSPECTION, Stage.APPROVED, Stage.GOODS_RECEIVED}),
		frozenset({WAREHOUSE}),
		POSTAGE_FIELDS,
	),
	StepInputs(AFTER_RECEIPT, frozenset({WAREHOUSE}), item_fields=DISPOSITION_FIELDS),
	StepInputs(frozenset({Stage.APPROVED, Stage.GOODS_RECEIVED}), frozenset({ACCOUNTS_USER}), REFUND_FIELDS),
	StepInputs(
		frozenset({Stage.REVIEW, Stage.APPROVED, Stage.GOODS_RECEIVED}),
		frozenset({CUSTOMER_SERVICE}),
		frozenset({"rejection_reason"}),
	),
)


def state_editors(state: str, shipped_role: str) -> list[str]:
	"""Who the desk opens a case in this state to: its shipped role, then every role that fills something
	in at the state's stage (`RETURN_REQUEST_STEP_INPUTS`), so each can save its own step's fields."""
	stage = DEFAULT_STATE_STAGES[state]
	owners = {
		role
		for step in RETURN_REQUEST_STEP_INPUTS
		if stage in step.stages and (step.fields or step.item_fields)
		for role in step.roles
	}
	return [shipped_role, *sorted(owners - {shipped_role})]


def state_rows(shipped=STATES) -> list[dict]:
	"""The workflow's states: a state that several roles may edit has a row per role, as Frappe reads them."""
	return [
		{
			"state": state,
			"doc_status": str(docstatus),
			"allow_edit": role,
			STAGE_FIELD: DEFAULT_STATE_STAGES[state].value,
		}
		for state, docstatus, shipped_role, _style in shipped
		for role in state_editors(state, shipped_role)
	]


def transition_rows() -> list[dict]:
	return [
		{
			"state": state,
			"action": action,
			"next_state": next_state,
			"allowed": role,
			"condition": condition,
			"allow_self_approval": 1,
		}
		for state, action, next_state, role, condition in TRANSITIONS
	]


def install_return_request_workflow() -> None:
	if frappe.db.exists("Workflow", {"document_type": "Return Request"}):
		return
	for state, _docstatus, _role, style in STATES:
		get_or_create("Workflow State", {"workflow_state_name": state}, style=style)
	for action in {action for _state, action, *_rest in TRANSITIONS}:
		get_or_create("Workflow Action Master", {"workflow_action_name": action})

	workflow = frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": RETURN_REQUEST_WORKFLOW,
			"document_type": "Return Request",
			"workflow_state_field": "status",
			"is_active": 1,
			"send_email_alert": 0,
			"states": state_rows(),
			"transitions": transition_rows(),
		}
	)
	workflow.insert(ignore_permissions=True)


def set_missing_stages() -> None:
	"""States of the Return Request workflows that name no stage take the shipped state's stage."""
	rows = frappe.get_all(
		"Workflow Document State",
		filters={"parenttype": "Workflow", STAGE_FIELD: ("in", ("", None))},
		fields=["name", "parent", "state"],
	)
	workflows = set(frappe.get_all("Workflow", filters={"document_type": "Return Request"}, pluck="name"))
	for row in rows:
		stage = DEFAULT_STATE_STAGES.get(row.state)
		if row.parent in workflows and stage:
			frappe.db.set_value("Workflow Document State", row.name, STAGE_FIELD, stage.value)
	for workflow in workflows:
		frappe.clear_document_cache("Workflow", workflow)
	frappe.clear_cache(doctype="Return Request")
