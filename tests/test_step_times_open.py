"""Open steps: the stage a case sits in now, timed up to now (the cases stuck now), without a site."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.step_times import FINAL_STAGES, Move, open_steps, over_target, steps_of

NOW = datetime(2026, 6, 30, 12)
FINAL = FINAL_STAGES["Return Request"]


def test_the_last_move_is_the_open_step_timed_up_to_now():
	case = ("Return Request", "RR-1")
	moves = [
		Move(case, "Review", NOW - timedelta(hours=80), "cs@example.com"),
		Move(case, "Approved", NOW - timedelta(hours=30), "manager@example.com"),
	]
	[step] = open_steps(reversed(moves), NOW, FINAL)
	assert (step.stage, step.entered, step.left, step.person, step.still_open) == (
		"Approved",
		NOW - timedelta(hours=30),
		NOW,
		None,
		True,
	)
	assert step.hours == 30
	assert over_target(step.hours, 24) and not over_target(step.hours, 48)
	# the finished step is Review only: the open one is not among them
	assert [each.stage for each in steps_of(moves)] == ["Review"]


def test_a_case_resting_in_a_final_stage_has_no_open_step():
	case = ("Return Request", "RR-2")
	moves = [
		Move(case, "Review", NOW - timedelta(days=3), None),
		Move(case, "Closed", NOW - timedelta(days=1), None),
	]
	assert open_steps(moves, NOW, FINAL) == []
	assert FINAL_STAGES["Repair Order"] >= {"Completed", "Unrepairable"}


def test_a_move_ahead_of_now_is_not_open_yet():
	assert open_steps([Move("c", "Review", NOW + timedelta(hours=1), None)], NOW, FINAL) == []


moves = st.lists(
	st.builds(
		Move,
		case=st.sampled_from("abcde"),
		to_stage=st.sampled_from(["Review", "Approved", "Goods Received", "Closed", "Rejected"]),
		moved_on=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
		moved_by=st.none(),
	),
	max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(moves)
def test_at_most_one_open_step_a_case_never_negative_never_final(items):
	steps = open_steps(items, NOW, FINAL)
	assert len({step.case for step in steps}) == len(steps)
	for step in steps:
		assert step.hours >= 0 and step.stage not in FINAL
		assert step.entered == max(move.moved_on for move in items if move.case == step.case)
