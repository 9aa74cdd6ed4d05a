"""Dispatch on-time rate 發貨及時率 (SPEC §10), without a site: the due rule per case type, bounds,
empty periods and shipments due across a month's end."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.dispatch import (
	DEFAULT_DISPATCH_HOURS,
	DISPATCH_RULES,
	Dispatch,
	DueAfter,
	dispatch_due,
	dispatch_rate,
	dispatch_window,
	dispatched_on_time,
)
from aftersales_module.core.kpis import month_of
from aftersales_module.core.stages import Stage

PROPERTY = settings(max_examples=300, deadline=None)
NOW = datetime(2026, 6, 30, 12)
DAY = timedelta(days=1)

moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31))
dispatches = st.builds(
	Dispatch,
	made_due_at=st.one_of(st.none(), moments),
	shipped_at=st.one_of(st.none(), moments),
	owed=st.booleans(),
)
windows = st.decimals(min_value=0, max_value=500, places=2).map(dispatch_window)


def test_each_shipment_is_due_after_the_step_that_makes_it_due():
	due_after = {entry_type: rule.due_after for rule in DISPATCH_RULES for entry_type in rule.entry_types}
	assert due_after == {
		"Exchange Goods Out": DueAfter.GOODS_RECEIVED,
		"Repair Done, Shipped": DueAfter.GOODS_RECEIVED,
		"Spare Unit Out": DueAfter.APPROVED,
		"Reissue Out": DueAfter.APPROVED,
		"Test Unit Shipped Back": DueAfter.TEST_REPORT_ACCEPTED,
	}
	stages = {rule.due_after: rule.stage for rule in DISPATCH_RULES}
	assert stages[DueAfter.GOODS_RECEIVED] == Stage.GOODS_RECEIVED
	assert stages[DueAfter.APPROVED] == Stage.APPROVED
	assert stages[DueAfter.TEST_REPORT_ACCEPTED] is None
	# a request type owes one kind of shipment only
	types = [each for rule in DISPATCH_RULES if rule.request_types for each in rule.request_types]
	assert len(types) == len(set(types))


def test_the_window_is_the_companys_hours_or_the_default():
	assert dispatch_window(24) == timedelta(hours=24)
	assert dispatch_window(Decimal("1.5")) == timedelta(minutes=90)
	assert (
		dispatch_window(None)
		== dispatch_window("")
		== dispatch_window(0)
		== timedelta(hours=DEFAULT_DISPATCH_HOURS)
	)
	with pytest.raises(ValueError):
		dispatch_window(-1)


def test_on_time_late_open_and_no_longer_owed():
	received, window = datetime(2026, 3, 10, 9), timedelta(hours=24)
	assert dispatch_due(received, window) == datetime(2026, 3, 11, 9)
	assert dispatched_on_time(datetime(2026, 3, 11, 9), received, window, NOW) is True  # at the due time
	assert dispatched_on_time(datetime(2026, 3, 11, 9, 1), received, window, NOW) is False
	assert dispatched_on_time(None, received, window, NOW) is False  # overdue, not shipped
	assert dispatched_on_time(None, received, window, datetime(2026, 3, 10, 20)) is None  # not yet due
	assert dispatched_on_time(None, received, window, NOW, owed=False) is None  # rejected before it shipped
	assert dispatched_on_time(datetime(2026, 3, 12), received, window, NOW, owed=False) is False
	assert dispatched_on_time(None, None, window, NOW) is None  # the step that makes it due not taken yet


def test_the_known_figure():
	window = timedelta(hours=48)
	start = datetime(2026, 3, 1, 9)
	rate = dispatch_rate(
		[
			Dispatch(start, start + timedelta(hours=47)),  # on time
			Dispatch(start, start + timedelta(hours=49)),  # late
			Dispatch(start, None),  # overdue
			Dispatch(NOW - DAY, None),  # not yet due
			Dispatch(start, None, owed=False),  # no longer owed
		],
		window,
		NOW,
		target=90,
	)
	assert (rate.numerator, rate.denominator, rate.value, rate.meets_target) == (
		1,
		3,
		Decimal("33.33"),
		False,
	)


def test_an_empty_period_has_no_figure():
	rate = dispatch_rate([], timedelta(hours=48), NOW)
	assert (rate.numerator, rate.denominator, rate.value) == (0, 0, None)


def test_a_shipment_made_due_at_a_months_end_counts_in_the_month_it_was_due():
	received = datetime(2026, 1, 31, 20)
	due = dispatch_due(received, dispatch_window(24))
	assert (month_of(received), month_of(due)) == ("2026-01", "2026-02")
	assert dispatched_on_time(datetime(2026, 2, 1, 10), received, dispatch_window(24), NOW) is True


@PROPERTY
@given(st.lists(dispatches, max_size=40), windows, moments)
def test_the_rate_stays_between_0_and_100_per_cent(items, window, now):
	rate = dispatch_rate(items, window, now)
	assert 0 <= rate.numerator <= rate.denominator <= len(items)
	assert rate.value is None if not rate.denominator else Decimal(0) <= rate.value <= Decimal(100)


@PROPERTY
@given(st.lists(dispatches, max_size=40), windows, moments)
def test_split_by_month_the_counts_add_up_to_the_whole(items, window, now):
	"""Shipments due across months are each counted once, in their due month."""
	whole = dispatch_rate(items, window, now)
	by_month: dict[str, list[Dispatch]] = {}
	for each in items:
		due = dispatch_due(each.made_due_at, window)
		by_month.setdefault(month_of(due) if due else "", []).append(each)
	parts = [dispatch_rate(group, window, now) for group in by_month.values()]
	assert sum(part.numerator for part in parts) == whole.numerator
	assert sum(part.denominator for part in parts) == whole.denominator


@PROPERTY
@given(moments, st.integers(0, 10_000), windows, moments)
def test_shipping_earlier_is_never_worse(made_due_at, minutes, window, now):
	late = made_due_at + timedelta(minutes=minutes)
	earlier = made_due_at + timedelta(minutes=minutes // 2)
	assert dispatched_on_time(earlier, made_due_at, window, now) >= dispatched_on_time(
		late, made_due_at, window, now
	)
