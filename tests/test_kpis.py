"""The seeds' measures (SPEC §10) and the batch spike check, without a site."""

import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.kpis import (
	LOWER_IS_BETTER,
	PER_MILLE,
	Measure,
	SpikeTest,
	accuracy_rate,
	binomial_tail,
	budget_by_month,
	check_batch,
	complaint_rate,
	cost_against_budget,
	cost_meets_target,
	month_of,
	on_time,
	on_time_rate,
	rates_by,
	repair_pass_rate,
	repair_passed,
	resolution_rate,
	resolved,
	satisfaction,
	share,
)

PROPERTY = settings(max_examples=300, deadline=None)
counts = st.integers(0, 10**6)


# ---- the formulas as the seeds write them ---------------------------------------------------------------


def test_satisfaction_is_very_satisfied_and_satisfied_over_surveyed():
	"""Seed 000: (非常滿意 + 滿意) / 總回訪客戶數量 x 100 %."""
	ratings = ["Very Satisfied", "Satisfied", "Neutral", "Unsatisfied", "Satisfied", None]
	rate = satisfaction(ratings, target=80)
	assert (rate.numerator, rate.denominator, rate.value) == (3, 5, Decimal("60.00"))
	assert rate.meets_target is False


def test_complaint_rate_is_per_thousand_orders_and_lower_is_better():
	"""Seed 004: 客戶投訴數量 / 總訂單數量 x 1000 ‰."""
	rate = complaint_rate(3, 1200, target=5)
	assert rate.scale == PER_MILLE
	assert rate.value == Decimal("2.50")
	assert rate.meets_target is True
	assert complaint_rate(7, 1000, target=5).meets_target is False


def test_each_share_measure():
	assert resolution_rate(45, 50).value == Decimal("90.00")
	assert accuracy_rate(199, 200).value == Decimal("99.50")
	assert repair_pass_rate(2, 3).value == Decimal("66.67")


def test_an_empty_period_has_no_figure():
	for rate in (
		satisfaction([]),
		resolution_rate(0, 0),
		complaint_rate(0, 0),
		on_time_rate([], datetime.now()),
	):
		assert rate.value is None
		assert rate.meets_target is None


def test_a_share_cannot_count_more_than_its_whole_or_below_zero():
	with pytest.raises(ValueError, match="more than its whole"):
		share(3, 2)
	with pytest.raises(ValueError, match="below zero"):
		complaint_rate(-1, 10)


def test_cost_against_budget():
	assert cost_against_budget(Decimal("1250"), Decimal("1000")) == Decimal("125.00")
	assert cost_against_budget(Decimal("10"), Decimal("0")) is None


def test_cost_meets_its_target_from_below_and_the_budget_when_no_target_is_set():
	assert cost_meets_target(Decimal("900"), Decimal("1000"), target=95) is True
	assert cost_meets_target(Decimal("960"), Decimal("1000"), target=95) is False
	assert cost_meets_target(Decimal("1000"), Decimal("1000")) is True
	assert cost_meets_target(Decimal("1001"), Decimal("1000")) is False
	assert cost_meets_target(Decimal("5"), Decimal("0"), target=95) is None


def test_complaints_and_cost_are_the_measures_where_less_is_better():
	assert LOWER_IS_BETTER == {Measure.COMPLAINT_RATE, Measure.COST_AGAINST_BUDGET}


def test_a_budget_is_spread_evenly_or_by_its_monthly_distribution():
	assert budget_by_month(Decimal("1200"), [1, 2]) == {1: Decimal("100.00"), 2: Decimal("100.00")}
	spread = budget_by_month(Decimal("1000"), [3, 4], {3: Decimal("30"), 4: Decimal("5")})
	assert spread == {3: Decimal("300.00"), 4: Decimal("50.00")}
	with pytest.raises(ValueError, match="months 1 to 12"):
		budget_by_month(Decimal("1000"), [13])


@PROPERTY
@given(st.decimals(0, 10**9, places=2), st.lists(st.integers(1, 100), min_size=12, max_size=12))
def test_property_a_year_of_months_adds_up_to_the_budget(annual, weights):
	even = budget_by_month(annual, range(1, 13))
	assert abs(sum(even.values()) - annual) <= Decimal("0.06")
	total = sum(weights)
	distribution = {month: Decimal(weight) * 100 / total for month, weight in enumerate(weights, 1)}
	spread = budget_by_month(annual, range(1, 13), distribution)
	assert all(value >= 0 for value in spread.values())
	assert abs(sum(spread.values()) - annual) <= Decimal("0.06")


@pytest.mark.parametrize(
	("stage", "rejected", "expected"),
	[
		("Refunded", False, True),
		("Closed", False, True),
		("Closed", True, False),
		("Rejected", True, False),
		("Review", False, None),
		("Goods Received", False, None),
	],
)
def test_a_case_is_resolved_once_settled_not_when_rejected_and_not_yet_while_under_way(
	stage, rejected, expected
):
	assert resolved(stage, rejected) is expected


@pytest.mark.parametrize(
	("status", "expected"),
	[("Completed", True), ("Unrepairable", False), ("Scrapped", False), ("In Repair", None), (None, None)],
)
def test_a_repair_passes_when_completed_fails_when_unrepairable(status, expected):
	assert repair_passed(status) is expected


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["Refunded", "Closed", "Rejected", "Review"]), st.booleans())))
def test_property_resolution_rate_stays_between_0_and_100(cases):
	by_all = rates_by(cases, key=lambda case: "all", counts=lambda case: resolved(*case))
	for rate in by_all.values():
		assert rate.value is None or Decimal(0) <= rate.value <= Decimal(100)


# ---- on time -------------------------------------------------------------------------------------------

DUE = datetime(2026, 3, 2, 12)


@pytest.mark.parametrize(
	("done_at", "now", "expected"),
	[
		(DUE - timedelta(hours=1), DUE, True),
		(DUE, DUE, True),
		(DUE + timedelta(seconds=1), DUE + timedelta(days=1), False),
		(None, DUE - timedelta(hours=1), None),
		(None, DUE + timedelta(minutes=1), False),
	],
	ids=["early", "at-the-due-time", "late", "open-not-yet-due", "open-and-overdue"],
)
def test_on_time(done_at, now, expected):
	assert on_time(done_at, DUE, now) is expected


def test_steps_still_open_and_not_yet_due_do_not_count():
	steps = [(DUE, DUE), (DUE + timedelta(hours=1), DUE), (None, DUE + timedelta(days=2))]
	rate = on_time_rate(steps, now=DUE + timedelta(hours=2))
	assert (rate.numerator, rate.denominator) == (1, 2)


def test_cases_spanning_months_count_in_the_month_they_were_due():
	cases = [
		{"due": datetime(2026, 1, 31, 23), "done": datetime(2026, 2, 1, 1)},  # late, January
		{"due": datetime(2026, 2, 1, 9), "done": datetime(2026, 1, 31, 22)},  # early, February
		{"due": datetime(2026, 2, 10), "done": None},  # open, due later: not yet counted
	]
	now = datetime(2026, 2, 5)
	by_month = rates_by(
		cases,
		key=lambda case: month_of(case["due"]),
		counts=lambda case: on_time(case["done"], case["due"], now),
	)
	assert {month: (rate.numerator, rate.denominator) for month, rate in by_month.items()} == {
		"2026-01": (0, 1),
		"2026-02": (1, 1),
	}


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(["Ann", "Bo", "Cy"]), st.none() | st.booleans()), max_size=60))
def test_property_grouped_rates_add_up_to_the_whole(records):
	by_person = rates_by(records, key=lambda record: record[0], counts=lambda record: record[1])
	whole = rates_by(records, key=lambda record: "all", counts=lambda record: record[1])
	if records:
		assert sum(rate.numerator for rate in by_person.values()) == whole["all"].numerator
		assert sum(rate.denominator for rate in by_person.values()) == whole["all"].denominator


@PROPERTY
@given(counts, counts)
def test_property_shares_stay_between_0_and_100(a, b):
	part, whole = min(a, b), max(a, b)
	rate = share(part, whole)
	assert rate.value is None if whole == 0 else Decimal(0) <= rate.value <= Decimal(100)


@PROPERTY
@given(counts, counts)
def test_property_complaint_rate_is_never_negative(complaints, orders):
	rate = complaint_rate(complaints, orders)
	assert rate.value is None if orders == 0 else rate.value >= 0


@PROPERTY
@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_property_month_of(day):
	assert month_of(day) == day.strftime("%Y-%m")


# ---- the binomial tail and the spike check ----------------------------------------------------------------


@PROPERTY
@given(st.integers(0, 60), st.floats(0.0, 1.0))
def test_property_binomial_tail_matches_the_sum_of_the_terms(trials, probability):
	for successes in range(0, trials + 2):
		exact = sum(
			math.comb(trials, k) * probability**k * (1 - probability) ** (trials - k)
			for k in range(successes, trials + 1)
		)
		assert binomial_tail(successes, trials, probability) == pytest.approx(exact, abs=1e-9)


def test_a_real_spike_is_flagged():
	finding = check_batch(returned=40, sold=500, item_returned=200, item_sold=10_000)
	assert finding.flagged
	assert finding.batch_rate == Decimal("8.00")
	assert "below the" in finding.reason


def test_small_batches_do_not_raise_an_alarm():
	finding = check_batch(returned=2, sold=3, item_returned=10, item_sold=10_000)
	assert not finding.flagged
	assert "too few to judge" in finding.reason


def test_an_item_without_returns_yet_does_not_make_every_return_a_spike():
	assert not check_batch(returned=3, sold=300, item_returned=0, item_sold=300).flagged


def test_impossible_counts_are_refused():
	with pytest.raises(ValueError, match="cannot exceed"):
		check_batch(returned=5, sold=3, item_returned=0, item_sold=10)


@pytest.mark.parametrize("alpha", [0.05, 0.01])
def test_false_alarm_rate_on_batches_with_nothing_wrong_is_at_most_the_stated_level(alpha):
	"""Simulated batches drawn at the item's own rate: the share flagged stays at or below `alpha`
	(the exact test is conservative), with room only for the simulation's own noise."""
	rng = random.Random(20261130)
	test = SpikeTest(alpha=alpha, min_sold=20, min_returned=1)
	true_rate, item_sold = 0.03, 20_000
	item_returned = round(true_rate * item_sold)
	batches = 4000
	flagged = 0
	for _ in range(batches):
		sold = rng.randint(50, 400)
		returned = sum(rng.random() < true_rate for _ in range(sold))
		flagged += check_batch(returned, sold, item_returned, item_sold, test).flagged
	noise = 3 * math.sqrt(alpha * (1 - alpha) / batches)
	assert flagged / batches <= alpha + noise, flagged
