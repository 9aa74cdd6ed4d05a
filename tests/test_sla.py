"""Service-level deadlines of inquiry tickets: working calendar, due times, On Time / At Risk / Breached (SPEC §5)."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.messages import Message
from aftersales_module.core.sla import (
	MINUTES_PER_DAY,
	SEARCH_DAYS,
	SEVERITY,
	Deadline,
	SlaState,
	WorkCalendar,
	add_working_minutes,
	deadline_state,
	paused_working_minutes,
	working_minutes_between,
	worst,
)

FAST = settings(max_examples=200, deadline=None)

FRIDAY = date(2026, 5, 8)
SATURDAY = date(2026, 5, 9)
SUNDAY = date(2026, 5, 10)
HOLIDAY_MONDAY = date(2026, 5, 11)
TUESDAY = date(2026, 5, 12)
WEDNESDAY = date(2026, 5, 13)


def at(day: date, hour: int, minute: int = 0) -> datetime:
	return datetime.combine(day, time(hour, minute))


def office(holidays=(HOLIDAY_MONDAY,)) -> WorkCalendar:
	"""Monday to Friday, 09:00 to 18:00."""
	return WorkCalendar.from_hours([(weekday, time(9), time(18)) for weekday in range(5)], holidays)


class TestCalendar:
	def test_office_hours_on_weekdays_only(self):
		calendar = office()
		assert calendar.windows == {weekday: ((540, 1080),) for weekday in range(5)}
		assert calendar.holidays == frozenset({HOLIDAY_MONDAY})
		assert calendar.day_windows(FRIDAY) == [(at(FRIDAY, 9), at(FRIDAY, 18))]
		assert calendar.day_windows(SATURDAY) == []
		assert calendar.day_windows(SUNDAY) == []

	def test_a_holiday_has_no_working_hours(self):
		assert office().day_windows(HOLIDAY_MONDAY) == []
		assert office(holidays=()).day_windows(HOLIDAY_MONDAY) == [
			(at(HOLIDAY_MONDAY, 9), at(HOLIDAY_MONDAY, 18))
		]

	def test_split_shift_is_sorted(self):
		calendar = WorkCalendar.from_hours([(0, time(13), time(18)), (0, time(9), time(12))])
		assert calendar.windows == {0: ((540, 720), (780, 1080))}

	def test_back_to_back_windows_are_allowed(self):
		calendar = WorkCalendar.from_hours([(0, time(9), time(12)), (0, time(12), time(18))])
		assert calendar.windows == {0: ((540, 720), (720, 1080))}

	def test_no_hours_means_around_the_clock(self):
		calendar = WorkCalendar.from_hours([], holidays=[HOLIDAY_MONDAY])
		assert calendar == WorkCalendar.around_the_clock([HOLIDAY_MONDAY])
		assert calendar.windows == {weekday: ((0, MINUTES_PER_DAY),) for weekday in range(7)}
		assert calendar.day_windows(SUNDAY) == [(at(SUNDAY, 0), at(HOLIDAY_MONDAY, 0))]
		assert calendar.day_windows(HOLIDAY_MONDAY) == []

	def test_around_the_clock_has_no_holidays_by_default(self):
		assert WorkCalendar.around_the_clock().holidays == frozenset()

	def test_an_end_of_none_or_midnight_is_the_end_of_the_day(self):
		for end in (None, time(0)):
			calendar = WorkCalendar.from_hours([(5, time(22), end)])
			assert calendar.windows == {5: ((1320, MINUTES_PER_DAY),)}
			assert calendar.day_windows(SATURDAY) == [(at(SATURDAY, 22), at(SUNDAY, 0))]

	def test_inverted_hours_are_refused(self):
		with pytest.raises(ValueError) as error:
			WorkCalendar.from_hours([(0, time(18), time(9))])
		assert str(error.value) == "Working hours must end after they start: 18:00 to 09:00."

	def test_empty_hours_are_refused(self):
		with pytest.raises(ValueError, match="must end after they start: 09:30 to 09:30"):
			WorkCalendar.from_hours([(0, time(9, 30), time(9, 30))])

	def test_overlapping_hours_are_refused(self):
		with pytest.raises(ValueError) as error:
			WorkCalendar.from_hours([(2, time(9), time(12)), (2, time(11, 30), time(18))])
		assert str(error.value) == "Working hours overlap on weekday 2 at 11:30."

	def test_a_window_inside_another_is_an_overlap(self):
		with pytest.raises(ValueError, match="overlap on weekday 4 at 10:00"):
			WorkCalendar.from_hours([(4, time(10), time(11)), (4, time(9), time(18))])

	def test_the_same_hours_on_different_days_do_not_overlap(self):
		calendar = WorkCalendar.from_hours([(0, time(9), time(18)), (1, time(9), time(18))])
		assert set(calendar.windows) == {0, 1}

	def test_an_unknown_weekday_is_refused(self):
		for weekday in (-1, 7):
			with pytest.raises(ValueError) as error:
				WorkCalendar.from_hours([(weekday, time(9), time(18))])
			assert str(error.value) == f"Weekday {weekday} does not exist; use 0 (Monday) to 6 (Sunday)."

	def test_refusals_are_translatable_messages(self):
		with pytest.raises(ValueError) as error:
			WorkCalendar.from_hours([(0, time(18), time(9))])
		message = error.value.args[0]
		assert isinstance(message, Message)
		assert message.template == "Working hours must end after they start: {0} to {1}."
		assert message.args == ("18:00", "09:00")


class TestAddWorkingMinutes:
	def test_within_one_window(self):
		assert add_working_minutes(at(TUESDAY, 10), 90, office()) == at(TUESDAY, 11, 30)

	def test_up_to_the_end_of_a_window_stays_on_that_day(self):
		assert add_working_minutes(at(TUESDAY, 9), 540, office()) == at(TUESDAY, 18)

	def test_over_the_weekend_and_a_holiday(self):
		# Friday 16:00-18:00 counts 120 minutes; Saturday, Sunday and the Monday holiday none.
		assert add_working_minutes(at(FRIDAY, 16), 600, office()) == at(TUESDAY, 17)

	def test_without_the_holiday_monday_counts(self):
		assert add_working_minutes(at(FRIDAY, 16), 600, office(holidays=())) == at(HOLIDAY_MONDAY, 17)

	def test_opened_outside_working_hours_starts_at_the_next_window(self):
		assert add_working_minutes(at(TUESDAY, 7), 60, office()) == at(TUESDAY, 10)
		assert add_working_minutes(at(TUESDAY, 20), 60, office()) == at(WEDNESDAY, 10)
		assert add_working_minutes(at(SATURDAY, 12), 60, office()) == at(TUESDAY, 10)

	def test_zero_minutes(self):
		assert add_working_minutes(at(TUESDAY, 10), 0, office()) == at(TUESDAY, 10)
		assert add_working_minutes(at(SATURDAY, 12), 0, office()) == at(TUESDAY, 9)

	def test_split_shift_skips_the_break(self):
		calendar = WorkCalendar.from_hours([(1, time(9), time(12)), (1, time(13), time(18))])
		assert add_working_minutes(at(TUESDAY, 11), 120, calendar) == at(TUESDAY, 14)

	def test_fractional_minutes(self):
		assert add_working_minutes(at(TUESDAY, 10), 1.5, office()) == at(TUESDAY, 10, 1) + timedelta(
			seconds=30
		)

	def test_around_the_clock_is_plain_time(self):
		start = at(SATURDAY, 23, 30)
		assert add_working_minutes(start, 60, WorkCalendar.from_hours([])) == at(SUNDAY, 0, 30)

	def test_around_the_clock_skips_holidays(self):
		calendar = WorkCalendar.around_the_clock([HOLIDAY_MONDAY])
		assert add_working_minutes(at(SUNDAY, 23), 120, calendar) == at(TUESDAY, 1)

	def test_negative_is_refused(self):
		with pytest.raises(ValueError) as error:
			add_working_minutes(at(TUESDAY, 10), -1, office())
		assert str(error.value) == "A service-level time cannot be negative."

	def test_a_calendar_without_working_time_is_refused(self):
		with pytest.raises(ValueError) as error:
			add_working_minutes(at(TUESDAY, 10), 1, WorkCalendar({}))
		assert str(error.value) == f"The working calendar has no working time in the next {SEARCH_DAYS} days."

	def test_more_time_than_the_search_horizon_is_refused(self):
		with pytest.raises(ValueError, match="no working time in the next"):
			add_working_minutes(
				at(TUESDAY, 10), SEARCH_DAYS * MINUTES_PER_DAY + 1, WorkCalendar.around_the_clock()
			)


class TestWorkingMinutesBetween:
	def test_within_one_window(self):
		assert working_minutes_between(at(TUESDAY, 10), at(TUESDAY, 11, 15), office()) == 75

	def test_outside_hours_counts_nothing(self):
		assert working_minutes_between(at(TUESDAY, 18), at(WEDNESDAY, 9), office()) == 0
		assert working_minutes_between(at(SATURDAY, 0), at(HOLIDAY_MONDAY, 23), office()) == 0

	def test_over_the_weekend_and_a_holiday(self):
		assert working_minutes_between(at(FRIDAY, 16), at(TUESDAY, 17), office()) == 600
		assert working_minutes_between(at(FRIDAY, 16), at(TUESDAY, 17), office(holidays=())) == 1140

	def test_end_not_after_start_is_zero(self):
		assert working_minutes_between(at(TUESDAY, 10), at(TUESDAY, 10), office()) == 0
		assert working_minutes_between(at(TUESDAY, 11), at(TUESDAY, 10), office()) == 0

	def test_a_window_ending_at_midnight(self):
		calendar = WorkCalendar.from_hours([(5, time(22), None), (6, time(0), time(2))])
		assert working_minutes_between(at(SATURDAY, 23), at(SUNDAY, 1), calendar) == 120

	def test_seconds_count_as_fractions(self):
		start = at(TUESDAY, 10)
		assert working_minutes_between(start, start + timedelta(seconds=90), office()) == 1.5

	def test_returns_a_float(self):
		assert isinstance(working_minutes_between(at(TUESDAY, 10), at(TUESDAY, 11), office()), float)


class TestDeadline:
	opened = at(FRIDAY, 16)

	def test_due_counts_working_minutes_from_opening(self):
		assert Deadline(self.opened, 600).due(office()) == at(TUESDAY, 17)

	def test_paused_minutes_extend_the_due_time(self):
		assert Deadline(self.opened, 600, paused_minutes=60).due(office()) == at(TUESDAY, 18)
		assert Deadline(self.opened, 600, paused_minutes=120).due(office()) == at(WEDNESDAY, 10)

	def test_paused_working_minutes(self):
		# Paused Friday 17:00, resumed Tuesday 10:00: one hour on Friday, one on Tuesday.
		assert paused_working_minutes(at(FRIDAY, 17), at(TUESDAY, 10), office()) == 120
		assert paused_working_minutes(at(FRIDAY, 17), at(FRIDAY, 17), office()) == 0

	def test_a_pause_over_a_weekend_only_costs_no_working_time(self):
		assert paused_working_minutes(at(FRIDAY, 18), at(TUESDAY, 9), office()) == 0

	def test_resuming_before_the_pause_is_refused(self):
		with pytest.raises(ValueError) as error:
			paused_working_minutes(at(TUESDAY, 10), at(TUESDAY, 9), office())
		assert str(error.value) == "A ticket cannot resume before it was paused."

	def test_a_pause_saves_the_deadline(self):
		calendar = office()
		now = at(TUESDAY, 17, 30)
		pause = paused_working_minutes(at(FRIDAY, 17), at(FRIDAY, 18), calendar)
		plain = Deadline(self.opened, 600)
		paused = Deadline(self.opened, 600, paused_minutes=pause)
		assert deadline_state(plain.due(calendar), None, now, 600, calendar) == SlaState.BREACHED
		assert deadline_state(paused.due(calendar), None, now, 600, calendar) == SlaState.AT_RISK


class TestDeadlineState:
	calendar = office()
	due = at(TUESDAY, 17)  # 600 working minutes after Friday 16:00

	def state(self, done_at=None, now=None, allowance=600, **kwargs):
		return deadline_state(self.due, done_at, now or at(WEDNESDAY, 12), allowance, self.calendar, **kwargs)

	def test_answered_on_time(self):
		assert self.state(done_at=at(TUESDAY, 16, 59)) == SlaState.ON_TIME
		assert self.state(done_at=self.due) == SlaState.ON_TIME

	def test_answered_late_is_breached(self):
		assert self.state(done_at=at(TUESDAY, 17, 1)) == SlaState.BREACHED
		assert self.state(done_at=self.due + timedelta(seconds=1)) == SlaState.BREACHED

	def test_an_answer_is_judged_by_its_own_time_not_by_now(self):
		assert self.state(done_at=at(FRIDAY, 17), now=at(WEDNESDAY, 12)) == SlaState.ON_TIME
		assert self.state(done_at=at(WEDNESDAY, 9), now=at(TUESDAY, 10)) == SlaState.BREACHED

	def test_open_past_due_is_breached(self):
		assert self.state(now=at(TUESDAY, 17, 1)) == SlaState.BREACHED
		assert self.state(now=at(WEDNESDAY, 9)) == SlaState.BREACHED

	def test_open_with_plenty_of_time_is_on_time(self):
		assert self.state(now=at(FRIDAY, 16)) == SlaState.ON_TIME
		assert self.state(now=at(TUESDAY, 9)) == SlaState.ON_TIME

	def test_the_weekend_and_the_holiday_do_not_use_up_the_allowance(self):
		assert self.state(now=at(SATURDAY, 12)) == SlaState.ON_TIME
		assert self.state(now=at(HOLIDAY_MONDAY, 17)) == SlaState.ON_TIME

	def test_little_time_left_is_at_risk(self):
		# 90 of 600 minutes left: under the 20 % left at the default share.
		assert self.state(now=at(TUESDAY, 15, 30)) == SlaState.AT_RISK
		assert self.state(now=self.due) == SlaState.AT_RISK

	def test_the_share_decides_when_it_is_at_risk(self):
		now = at(TUESDAY, 13)  # 240 of 600 minutes left
		assert self.state(now=now) == SlaState.ON_TIME
		assert self.state(now=now, at_risk_share=0.5) == SlaState.AT_RISK
		assert self.state(now=at(FRIDAY, 16), at_risk_share=0) == SlaState.AT_RISK
		assert self.state(now=at(TUESDAY, 16, 59), at_risk_share=1) == SlaState.ON_TIME
		assert self.state(now=self.due, at_risk_share=1) == SlaState.AT_RISK

	def test_exactly_the_share_used_is_at_risk(self):
		# 480 of 600 minutes used is exactly 80 %, whatever floating point makes of 0.8.
		assert self.state(now=at(TUESDAY, 15)) == SlaState.AT_RISK
		assert self.state(now=at(TUESDAY, 14, 59)) == SlaState.ON_TIME

	def test_a_share_outside_zero_to_one_is_refused(self):
		for share in (-0.1, 1.5):
			with pytest.raises(ValueError) as error:
				self.state(now=at(TUESDAY, 10), at_risk_share=share)
			assert str(error.value) == f"The at-risk share must be between 0 and 1, not {share}."


class TestWorst:
	def test_nothing_is_on_time(self):
		assert worst([]) == SlaState.ON_TIME

	def test_the_most_severe_wins(self):
		assert worst([SlaState.ON_TIME, SlaState.AT_RISK]) == SlaState.AT_RISK
		assert worst([SlaState.AT_RISK, SlaState.BREACHED, SlaState.ON_TIME]) == SlaState.BREACHED
		assert worst(iter([SlaState.ON_TIME, SlaState.ON_TIME])) == SlaState.ON_TIME

	def test_select_values_work_too(self):
		assert worst(["On Time", "Breached", "At Risk"]) == SlaState.BREACHED

	def test_every_state_has_a_severity(self):
		assert set(SEVERITY) == set(SlaState)
		assert [state.value for state in sorted(SlaState, key=SEVERITY.__getitem__)] == [
			"On Time",
			"At Risk",
			"Breached",
		]


# ---- properties ----------------------------------------------------------------------------------------


def clock(minute: int) -> time:
	return time(minute // 60, minute % 60)


@st.composite
def calendars(draw, holidays=True) -> WorkCalendar:
	"""Random non-overlapping windows per weekday (none at all means around the clock) and holidays."""
	rows = []
	for weekday in range(7):
		bounds = sorted(draw(st.lists(st.integers(0, MINUTES_PER_DAY), unique=True, max_size=6)))
		for start, end in zip(bounds[::2], bounds[1::2], strict=False):
			if end == MINUTES_PER_DAY:
				end_time = draw(st.sampled_from([None, time(0)]))
			else:
				end_time = clock(end)
			rows.append((weekday, clock(start), end_time))
	rows = draw(st.permutations(rows))
	days_off = (
		draw(st.frozensets(st.dates(date(2025, 12, 1), date(2027, 12, 31)), max_size=20)) if holidays else ()
	)
	return WorkCalendar.from_hours(rows, days_off)


def weekly_minutes(calendar: WorkCalendar) -> int:
	return sum(end - start for windows in calendar.windows.values() for start, end in windows)


starts = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31))
around_the_clock = st.sampled_from([WorkCalendar.around_the_clock(), WorkCalendar.from_hours([])])


@st.composite
def calendar_and_minutes(draw):
	calendar = draw(calendars())
	# At most eight weeks of work, so that even a sparse calendar with holidays stays inside the horizon.
	minutes = draw(st.integers(0, 8 * weekly_minutes(calendar)))
	return calendar, minutes


@FAST
@given(case=calendar_and_minutes(), start=starts)
def test_the_due_time_is_exactly_the_allowance_later(case, start):
	calendar, minutes = case
	due = add_working_minutes(start, minutes, calendar)
	assert abs(working_minutes_between(start, due, calendar) - minutes) <= 1e-6


@FAST
@given(case=calendar_and_minutes(), start=starts)
def test_the_due_time_is_the_first_moment_the_allowance_is_used(case, start):
	calendar, minutes = case
	due = add_working_minutes(start, minutes, calendar)
	if minutes > 0:
		assert working_minutes_between(start, due - timedelta(microseconds=1), calendar) < minutes


@FAST
@given(case=calendar_and_minutes(), start=starts)
def test_the_due_time_is_never_before_the_start(case, start):
	calendar, minutes = case
	assert add_working_minutes(start, minutes, calendar) >= start


@FAST
@given(case=calendar_and_minutes(), start=starts, data=st.data())
def test_more_minutes_are_never_due_earlier(case, start, data):
	calendar, minutes = case
	fewer = data.draw(st.integers(0, minutes))
	assert add_working_minutes(start, fewer, calendar) <= add_working_minutes(start, minutes, calendar)


@FAST
@given(calendar=around_the_clock, start=starts, minutes=st.integers(0, 400 * MINUTES_PER_DAY))
def test_around_the_clock_is_plain_elapsed_time(calendar, start, minutes):
	assert add_working_minutes(start, minutes, calendar) == start + timedelta(minutes=minutes)
	assert working_minutes_between(start, start + timedelta(minutes=minutes), calendar) == minutes


@FAST
@given(calendar=calendars(), moments=st.lists(starts, min_size=3, max_size=3))
def test_working_minutes_add_up_over_a_split_point(calendar, moments):
	start, split, end = sorted(moments)
	whole = working_minutes_between(start, end, calendar)
	parts = working_minutes_between(start, split, calendar) + working_minutes_between(split, end, calendar)
	assert abs(whole - parts) <= 1e-6
	assert 0 <= whole <= (end - start).total_seconds() / 60 + 1e-6
