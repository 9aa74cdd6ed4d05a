"""The fixed stages a Return Request passes through, whatever its workflow states are called.

Admins rename, translate, add and remove workflow states; each state names the stage it stands
for, and the server keys every posting and every check on the stage. The moves between stages
are the steps the policies require: a workflow may route a case differently, but it cannot skip
one of these, nor move a case to a stage its facts do not allow.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from aftersales_module.core.enums import Choice, RequestType
from aftersales_module.core.messages import Message


class Stage(Choice):
	DRAFT = "Draft"
	REVIEW = "Review"
	INSPECTION = "Inspection"
	SALES_APPROVAL = "Sales Approval"
	APPROVED = "Approved"
	REJECTED = "Rejected"
	GOODS_RECEIVED = "Goods Received"
	REFUNDED = "Refunded"
	CLOSED = "Closed"
	CANCELLED = "Cancelled"


# The states of the shipped workflow; a state an admin adds names its stage in the workflow.
DEFAULT_STATE_STAGES = {
	"Draft": Stage.DRAFT,
	"Customer Service Review": Stage.REVIEW,
	"Quality Inspection": Stage.INSPECTION,
	"Sales Approval": Stage.SALES_APPROVAL,
	"Approved": Stage.APPROVED,
	"Rejected": Stage.REJECTED,
	"Goods Received": Stage.GOODS_RECEIVED,
	"Refunded": Stage.REFUNDED,
	"Closed": Stage.CLOSED,
	"Cancelled": Stage.CANCELLED,
}

# Where a case may go from each stage; staying within a stage (an added state) is always allowed.
MOVES = {
	Stage.DRAFT: {Stage.REVIEW},
	Stage.REVIEW: {Stage.INSPECTION, Stage.SALES_APPROVAL, Stage.REJECTED},
	Stage.INSPECTION: {Stage.APPROVED, Stage.REVIEW, Stage.SALES_APPROVAL, Stage.REJECTED},
	Stage.SALES_APPROVAL: {Stage.APPROVED, Stage.REJECTED},
	Stage.APPROVED: {Stage.GOODS_RECEIVED, Stage.REFUNDED, Stage.CLOSED, Stage.REJECTED},
	Stage.GOODS_RECEIVED: {Stage.REFUNDED, Stage.CLOSED},
	Stage.REFUNDED: {Stage.CLOSED},
	Stage.REJECTED: {Stage.CLOSED},
	Stage.CLOSED: set(),
	Stage.CANCELLED: set(),
}

# Stages in which the case still holds its invoice lines for the customer.
HOLDING_STAGES = frozenset(
	{Stage.REVIEW, Stage.INSPECTION, Stage.SALES_APPROVAL, Stage.APPROVED, Stage.GOODS_RECEIVED}
)

REFUNDED_TYPES = frozenset({RequestType.RETURN_AND_REFUND, RequestType.REFUND_ONLY})
NO_GOODS_BACK = frozenset({RequestType.REFUND_ONLY, RequestType.REISSUE})
CLOSE_FROM_APPROVED = frozenset({RequestType.SPARE_UNIT, RequestType.REISSUE})


@dataclass(frozen=True)
class CaseFacts:
	"""What the database says about a case when it is asked to move on."""

	request_type: RequestType
	rejection_reason: bool = False
	goods_in: bool = False
	open_discrepancy: bool = False
	spare_units_out: bool = False
	all_spares_out: bool = False
	reissued: bool = False
	replacements_shipped: bool = False
	refund_receipt_missing: bool = False
	freight_without_carrier: bool = False
	# Mail-in testing (seed 003): a quality fault's unit is received, then tested, then decided.
	test_unit_awaited: bool = False
	test_unit_held: bool = False


def stage_of_state(state: str, mapped: dict[str, str] | None = None) -> Stage | None:
	"""The stage of a workflow state: as the workflow maps it, else as the shipped workflow named it."""
	if mapped and mapped.get(state):
		return Stage(mapped[state])
	return DEFAULT_STATE_STAGES.get(state)


def check_move(from_stage: Stage, to_stage: Stage, facts: CaseFacts) -> Message | None:
	"""Why the case may not move from one stage to another; None when it may."""
	if from_stage == to_stage:
		return None
	if to_stage not in MOVES[from_stage]:
		return Message(
			"A case cannot go from the {0} stage to the {1} stage: a required step would be skipped.",
			from_stage,
			to_stage,
		)
	for rule in (_tested, _rejection, _goods_received, _refunded, _test_unit_back, _closed):
		reason = rule(from_stage, to_stage, facts)
		if reason:
			return reason
	return None


# The moves that decide on a fault; a mail-in unit must be in and tested before any of them.
DECIDED_FROM_INSPECTION = frozenset({Stage.APPROVED, Stage.REVIEW, Stage.SALES_APPROVAL})


def _tested(from_stage: Stage, to_stage: Stage, facts: CaseFacts) -> Message | None:
	if from_stage == Stage.INSPECTION and to_stage in DECIDED_FROM_INSPECTION and facts.test_unit_awaited:
		return Message(
			"The customer's unit has not been received for testing: receive it (Receive for Testing) and test it before deciding."
		)
	return None


def _test_unit_back(_from: Stage, to_stage: Stage, facts: CaseFacts) -> Message | None:
	if to_stage == Stage.CLOSED and facts.test_unit_held:
		return Message(
			"The customer's unit sent for testing is still here: ship it back (Ship Unit Back) before closing."
		)
	return None


def _rejection(_from: Stage, to_stage: Stage, facts: CaseFacts) -> Message | None:
	if to_stage == Stage.REJECTED and not facts.rejection_reason:
		return Message("Give the reason for rejecting the request in Rejection Reason.")
	return None


def _goods_received(_from: Stage, to_stage: Stage, facts: CaseFacts) -> Message | None:
	if to_stage != Stage.GOODS_RECEIVED:
		return None
	if facts.request_type in NO_GOODS_BACK:
		return Message("A {0} request takes no goods back.", facts.request_type)
	if facts.freight_without_carrier:
		return Message(
			"Name the carrier who brings the goods back (Return Carrier): the return shipping is owed to them."
		)
	if facts.request_type == RequestType.SPARE_UNIT and not facts.all_spares_out:
		return Message(
			"Not every line has its spare unit out yet. Ship Spare Units first; when the faulty unit comes back before any spare is sent, use Exchange Same Item."
		)
	return None


def _refunded(from_stage: Stage, to_stage: Stage, facts: CaseFacts) -> Message | None:
	if to_stage != Stage.REFUNDED:
		return None
	if facts.request_type not in REFUNDED_TYPES:
		return Message("A {0} request is not refunded.", facts.request_type)
	if facts.request_type == RequestType.RETURN_AND_REFUND:
		if from_stage != Stage.GOODS_RECEIVED or not facts.goods_in:
			return Message("The goods of this return are not in yet: receive them before the refund.")
		if facts.open_discrepancy:
			return Message(
				"The goods received do not match the request. Customer service must resolve this first."
			)
	if facts.refund_receipt_missing:
		return Message("A cash refund at the store needs the customer's signed receipt. Tick Receipt Signed.")
	return None


def _closed(from_stage: Stage, to_stage: Stage, facts: CaseFacts) -> Message | None:
	if to_stage != Stage.CLOSED or from_stage in (Stage.REJECTED, Stage.REFUNDED):
		return None
	if facts.request_type in REFUNDED_TYPES:
		return Message("Refund the request before closing it, or reject it.")
	if from_stage == Stage.APPROVED and facts.request_type not in CLOSE_FROM_APPROVED:
		return Message("Receive the goods before closing the request.")
	if facts.spare_units_out:
		return Message(
			"A spare unit is still with the customer. Receive it back, or the faulty unit, before closing."
		)
	if facts.request_type == RequestType.REISSUE and not facts.reissued:
		return Message("Ship the reissue (Ship Reissue) before closing, or reject the request.")
	if facts.request_type in (
		RequestType.EXCHANGE_SAME_ITEM,
		RequestType.EXCHANGE_DIFFERENT_ITEM,
		RequestType.REPAIR,
	):
		if not facts.replacements_shipped:
			return Message("Ship the customer's unit or its replacement (Ship to Customer) before closing.")
	return None


@dataclass(frozen=True)
class StepInputs:
	"""Fields a role fills in while a case is at a stage; everything else after submit is the server's."""

	stages: frozenset[Stage]
	roles: frozenset[str]
	fields: frozenset[str] = frozenset()
	item_fields: frozenset[str] = frozenset()


def editable_fields(
	inputs: Iterable[StepInputs], roles: Iterable[str], stage: Stage
) -> tuple[set[str], set[str]]:
	"""The case fields and line fields that users with these roles may change at this stage."""
	held = set(roles)
	fields, item_fields = set(), set()
	for step in inputs:
		if stage in step.stages and step.roles & held:
			fields |= step.fields
			item_fields |= step.item_fields
	return fields, item_fields
