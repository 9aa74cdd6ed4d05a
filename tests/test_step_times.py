"""Slow steps: time per stage from the stage log, median and 90th percentile, without a site."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.step_times import Move, over_target, percentile, step_times, steps_of

PROPERTY = settings(max_examples=300, deadline=None)
START = datetime(2026, 1, 31, 20)


def test_each_step_lasts_until_the_next_move_and_belongs_to_who_moved_the_case_on():
	moves = [
		Move("RET-1", "Review", START, "clerk"),
		Move("RET-1", "Approved", START + timedelta(hours=30), "reviewer"),  # spans into February
		Move("RET-1", "Closed", START + timedelta(hours=31), "warehouse"),
		Move("RET-2", "Review", START, "clerk"),  # still in Review: not a finished step
	]
	steps = steps_of(reversed(moves))
	assert [(step.case, step.stage, step.hours, step.person) for step in steps] == [
		("RET-1", "Review", Decimal(30), "reviewer"),
		("RET-1", "Approved", Decimal(1), "warehouse"),
	]


def test_median_ninetieth_percentile_and_cases_over_target():
	hours = [1, 2, 3, 4, 10]
	steps = steps_of(
		Move(case, stage, START + timedelta(hours=offset), "x")
		for case, hour in enumerate(hours)
		for stage, offset in (("Review", 0), ("Approved", hour))
	)
	times = step_times([step.hours for step in steps], target_hours=3)
	assert (times.steps, times.median_hours, times.p90_hours, times.over_target) == (
		5,
		Decimal("3.00"),
		Decimal("7.60"),
		2,
	)
	assert [over_target(step.hours, 3) for step in steps] == [False, False, False, True, True]


def test_no_steps_no_figures_and_no_target_nothing_over_it():
	times = step_times([], target_hours=None)
	assert (times.steps, times.median_hours, times.p90_hours, times.over_target) == (0, None, None, 0)
	assert percentile([], 0.5) is None
	with pytest.raises(ValueError, match="between 0 and 1"):
		percentile([1], 1.5)


@PROPERTY
@given(
	st.lists(st.decimals(0, 10**5, places=2), min_size=1, max_size=80),
	st.floats(0, 1),
	st.floats(0, 1),
)
def test_property_percentiles_lie_within_the_values_and_grow_with_the_fraction(values, a, b):
	low, high = sorted((a, b))
	assert min(values) <= percentile(values, low) <= percentile(values, high) <= max(values)
	assert percentile(values, 0) == min(values).quantize(Decimal("0.01"))
	assert percentile(values, 1) == max(values).quantize(Decimal("0.01"))


@PROPERTY
@given(
	st.lists(st.tuples(st.sampled_from("ABC"), st.integers(0, 10**6)), max_size=50, unique_by=lambda m: m[1])
)
def test_property_a_case_with_n_moves_has_n_minus_1_finished_steps(moves):
	steps = steps_of(
		Move(case, f"stage-{minutes}", START + timedelta(minutes=minutes), None) for case, minutes in moves
	)
	for case in "ABC":
		count = sum(1 for each, _minutes in moves if each == case)
		assert sum(step.case == case for step in steps) == max(count - 1, 0)
	assert all(step.hours >= 0 for step in steps)
