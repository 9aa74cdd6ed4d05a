"""The stage map and the moves a case may make, whatever its workflow allows."""

from hypothesis import given
from hypothesis import strategies as st

from aftersales_module.core.enums import RequestType
from aftersales_module.core.stages import (
	DEFAULT_STATE_STAGES,
	MOVES,
	CaseFacts,
	Stage,
	StepInputs,
	check_move,
	editable_fields,
	stage_of_state,
)

RETURN = RequestType.RETURN_AND_REFUND


def facts(request_type=RETURN, **known) -> CaseFacts:
	return CaseFacts(request_type=request_type, **known)


def test_every_shipped_state_has_a_stage_and_every_stage_a_state():
	assert set(DEFAULT_STATE_STAGES.values()) == set(Stage)
	assert stage_of_state("Goods Received") == Stage.GOODS_RECEIVED


def test_a_renamed_state_keeps_its_stage_through_the_workflow_map():
	mapped = {"收貨驗收": "Goods Received", "Awaiting Pickup": "Approved"}
	assert stage_of_state("收貨驗收", mapped) == Stage.GOODS_RECEIVED
	assert stage_of_state("Awaiting Pickup", mapped) == Stage.APPROVED
	assert stage_of_state("Unknown State", mapped) is None


def test_a_renamed_state_does_not_fall_back_to_another_meaning():
	# "Approved" renamed to mean Goods Received in the admin's workflow wins over the shipped name.
	assert stage_of_state("Approved", {"Approved": "Goods Received"}) == Stage.GOODS_RECEIVED


def test_refund_needs_goods_in_for_a_return():
	assert check_move(Stage.APPROVED, Stage.REFUNDED, facts()) is not None
	assert check_move(Stage.GOODS_RECEIVED, Stage.REFUNDED, facts(goods_in=False)) is not None
	assert check_move(Stage.GOODS_RECEIVED, Stage.REFUNDED, facts(goods_in=True)) is None


def test_refund_only_is_refunded_from_approved():
	assert check_move(Stage.APPROVED, Stage.REFUNDED, facts(RequestType.REFUND_ONLY)) is None


def test_an_open_discrepancy_or_missing_receipt_stops_the_refund():
	assert check_move(Stage.GOODS_RECEIVED, Stage.REFUNDED, facts(goods_in=True, open_discrepancy=True))
	assert check_move(Stage.GOODS_RECEIVED, Stage.REFUNDED, facts(goods_in=True, refund_receipt_missing=True))


def test_skipping_review_is_refused():
	message = check_move(Stage.REVIEW, Stage.APPROVED, facts())
	assert message and "skipped" in message
	assert check_move(Stage.DRAFT, Stage.GOODS_RECEIVED, facts())


def test_goods_with_return_shipping_need_the_carrier_it_is_owed_to():
	assert check_move(Stage.APPROVED, Stage.GOODS_RECEIVED, facts(freight_without_carrier=True))
	assert check_move(Stage.APPROVED, Stage.GOODS_RECEIVED, facts()) is None


def test_rejection_needs_a_reason():
	assert check_move(Stage.REVIEW, Stage.REJECTED, facts())
	assert check_move(Stage.REVIEW, Stage.REJECTED, facts(rejection_reason=True)) is None


def test_no_close_with_a_spare_unit_out():
	spare = RequestType.SPARE_UNIT
	assert check_move(Stage.APPROVED, Stage.CLOSED, facts(spare, spare_units_out=True))
	assert check_move(Stage.APPROVED, Stage.CLOSED, facts(spare)) is None


def test_goods_for_a_spare_unit_case_need_every_spare_out():
	spare = RequestType.SPARE_UNIT
	assert check_move(Stage.APPROVED, Stage.GOODS_RECEIVED, facts(spare))
	assert check_move(Stage.APPROVED, Stage.GOODS_RECEIVED, facts(spare, all_spares_out=True)) is None


def test_reissue_and_exchange_close_only_after_shipping():
	assert check_move(Stage.APPROVED, Stage.CLOSED, facts(RequestType.REISSUE))
	assert check_move(Stage.APPROVED, Stage.CLOSED, facts(RequestType.REISSUE, reissued=True)) is None
	exchange = RequestType.EXCHANGE_SAME_ITEM
	assert check_move(Stage.APPROVED, Stage.CLOSED, facts(exchange, replacements_shipped=True))
	assert check_move(Stage.GOODS_RECEIVED, Stage.CLOSED, facts(exchange))
	assert check_move(Stage.GOODS_RECEIVED, Stage.CLOSED, facts(exchange, replacements_shipped=True)) is None


def test_refunded_types_close_only_after_the_refund():
	assert check_move(Stage.GOODS_RECEIVED, Stage.CLOSED, facts(goods_in=True))
	assert check_move(Stage.REFUNDED, Stage.CLOSED, facts()) is None


@given(st.sampled_from(list(Stage)), st.sampled_from(list(Stage)), st.sampled_from(list(RequestType)))
def test_a_move_outside_the_stage_graph_is_always_refused(from_stage, to_stage, request_type):
	everything_done = facts(
		request_type,
		rejection_reason=True,
		goods_in=True,
		all_spares_out=True,
		reissued=True,
		replacements_shipped=True,
	)
	allowed = check_move(from_stage, to_stage, everything_done) is None
	if from_stage != to_stage and to_stage not in MOVES[from_stage]:
		assert not allowed
	if from_stage == to_stage:
		assert allowed


@given(st.sampled_from(list(Stage)))
def test_nothing_leaves_closed_or_cancelled(to_stage):
	for final in (Stage.CLOSED, Stage.CANCELLED):
		if to_stage != final:
			assert check_move(final, to_stage, facts(rejection_reason=True, goods_in=True))


def test_editable_fields_follow_the_roles_held():
	steps = [
		StepInputs(
			frozenset({Stage.INSPECTION}),
			frozenset({"Inspector"}),
			item_fields=frozenset({"inspection_result"}),
		),
		StepInputs(
			frozenset({Stage.SALES_APPROVAL, Stage.REVIEW}),
			frozenset({"Approver"}),
			fields=frozenset({"depreciation_percent"}),
		),
	]
	assert editable_fields(steps, ["Inspector"], Stage.INSPECTION) == (set(), {"inspection_result"})
	assert editable_fields(steps, ["Inspector"], Stage.REVIEW) == (set(), set())
	assert editable_fields(steps, ["Approver", "Inspector"], Stage.SALES_APPROVAL) == (
		{"depreciation_percent"},
		set(),
	)
	assert editable_fields(steps, ["Warehouse"], Stage.INSPECTION) == (set(), set())
