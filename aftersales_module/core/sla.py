"""Service-level deadlines of inquiry tickets 查件 (SPEC §5).

A deadline is an allowance of working minutes counted from when the ticket was opened: only the
working hours of each weekday count, holidays not at all, and time spent waiting on the customer
is given back. Each deadline is On Time, At Risk (most of the allowance used) or Breached (passed
without the answer, or answered late).

Framework-free: plain datetimes, naive and in one time zone.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from aftersales_module.core.enums import Choice
from aftersales_module.core.messages import Message

MINUTES_PER_DAY = 24 * 60
# Looking further than this for working time means the calendar has none.
SEARCH_DAYS = 3 * 366


class SlaState(Choice):
	ON_TIME = "On Time"
	AT_RISK = "At Risk"
	BREACHED = "Breached"


SEVERITY = {SlaState.ON_TIME: 0, SlaState.AT_RISK: 1, SlaState.BREACHED: 2}


@dataclass(frozen=True)
class WorkCalendar:
	"""Working windows per weekday (0 is Monday) as (start, end) minutes of the day, and holidays."""

	windows: Mapping[int, Sequence[tuple[int, int]]]
	holidays: frozenset[date] = field(default_factory=frozenset)

	@classmethod
	def around_the_clock(cls, holidays: Iterable[date] = ()) -> "WorkCalendar":
		return cls({weekday: ((0, MINUTES_PER_DAY),) for weekday in range(7)}, frozenset(holidays))

	@classmethod
	def from_hours(
		cls, hours: Iterable[tuple[int, time, time | None]], holidays: Iterable[date] = ()
	) -> "WorkCalendar":
		"""From (weekday, start, end) rows; an end of None or midnight means the end of the day.
		No rows at all means every hour of every day counts."""
		windows: dict[int, list[tuple[int, int]]] = {}
		for weekday, start, end in hours:
			start_minute = start.hour * 60 + start.minute
			end_minute = end.hour * 60 + end.minute if end and end != time(0) else MINUTES_PER_DAY
			if not 0 <= weekday <= 6:
				raise ValueError(
					Message("Weekday {0} does not exist; use 0 (Monday) to 6 (Sunday).", weekday)
				)
			if end_minute <= start_minute:
				raise ValueError(
					Message(
						"Working hours must end after they start: {0} to {1}.",
						_clock(start_minute),
						_clock(end_minute),
					)
				)
			windows.setdefault(weekday, []).append((start_minute, end_minute))
		if not windows:
			return cls.around_the_clock(holidays)
		for weekday, day_windows in windows.items():
			day_windows.sort()
			for (_start, end), (next_start, _end) in pairwise(day_windows):
				if next_start < end:
					raise ValueError(
						Message("Working hours overlap on weekday {0} at {1}.", weekday, _clock(next_start))
					)
		return cls(
			{weekday: tuple(day_windows) for weekday, day_windows in windows.items()}, frozenset(holidays)
		)

	def day_windows(self, day: date) -> list[tuple[datetime, datetime]]:
		if day in self.holidays:
			return []
		midnight = datetime.combine(day, time.min)
		return [
			(midnight + timedelta(minutes=start), midnight + timedelta(minutes=end))
			for start, end in self.windows.get(day.weekday(), ())
		]


def add_working_minutes(start: datetime, minutes: float, calendar: WorkCalendar) -> datetime:
	"""The moment at which `minutes` of working time have passed since `start`."""
	if minutes < 0:
		raise ValueError(Message("A service-level time cannot be negative."))
	remaining = timedelta(minutes=minutes)
	for offset in range(SEARCH_DAYS):
		for window_start, window_end in calendar.day_windows(start.date() + timedelta(days=offset)):
			begin = max(window_start, start)
			if begin >= window_end:
				continue
			if remaining <= window_end - begin:
				return begin + remaining
			remaining -= window_end - begin
	raise ValueError(Message("The working calendar has no working time in the next {0} days.", SEARCH_DAYS))


def working_minutes_between(start: datetime, end: datetime, calendar: WorkCalendar) -> float:
	"""Working minutes from `start` to `end`; zero when `end` is not after `start`."""
	if end <= start:
		return 0.0
	total = timedelta(0)
	day = start.date()
	while day <= end.date():
		for window_start, window_end in calendar.day_windows(day):
			overlap = min(window_end, end) - max(window_start, start)
			if overlap > timedelta(0):
				total += overlap
		day += timedelta(days=1)
	return total.total_seconds() / 60


@dataclass(frozen=True)
class Deadline:
	"""One promise of a ticket: an allowance in working minutes, counted from `opened_at`, plus the
	working minutes the ticket spent paused."""

	opened_at: datetime
	allowance_minutes: float
	paused_minutes: float = 0.0

	def due(self, calendar: WorkCalendar) -> datetime:
		return add_working_minutes(self.opened_at, self.allowance_minutes + self.paused_minutes, calendar)


def deadline_state(
	due: datetime,
	done_at: datetime | None,
	now: datetime,
	allowance_minutes: float,
	calendar: WorkCalendar,
	at_risk_share: float = 0.8,
) -> SlaState:
	"""Breached when answered after `due` or still open past it; At Risk once `at_risk_share` of
	the allowance is used; otherwise On Time."""
	if not 0 <= at_risk_share <= 1:
		raise ValueError(Message("The at-risk share must be between 0 and 1, not {0}.", at_risk_share))
	if done_at is not None:
		return SlaState.BREACHED if done_at > due else SlaState.ON_TIME
	if now > due:
		return SlaState.BREACHED
	if allowance_minutes <= 0:
		return SlaState.AT_RISK
	used = allowance_minutes - working_minutes_between(now, due, calendar)
	# Compared with a margin: minutes come from datetimes, and 0.8 of 100 is not exactly 80 in floats.
	if used / allowance_minutes >= at_risk_share - 1e-9:
		return SlaState.AT_RISK
	return SlaState.ON_TIME


def worst(states: Iterable[SlaState]) -> SlaState:
	return max(states, key=SEVERITY.__getitem__, default=SlaState.ON_TIME)


def paused_working_minutes(paused_since: datetime, resumed_at: datetime, calendar: WorkCalendar) -> float:
	"""Working minutes a pause took; they extend the result deadline."""
	if resumed_at < paused_since:
		raise ValueError(Message("A ticket cannot resume before it was paused."))
	return working_minutes_between(paused_since, resumed_at, calendar)


def _clock(minute: int) -> str:
	return f"{minute // 60:02d}:{minute % 60:02d}"
