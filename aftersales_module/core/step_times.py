"""Slow steps (SPEC §10): how long a case stays in each stage, read from its stage log, and the
median and 90th percentile per stage or per person against the stage's target.

A step is the time between a case's move into a stage and its next move out of it; the person of a
step is the one who moved the case on (who did the work of that stage). A stage the case still sits
in is an open step: timed up to now, it is not among the finished steps' median and percentile but is
listed on its own (the cases stuck now), with nobody yet who moved the case on. A case sitting in a
final stage (`FINAL_STAGES`: closed, cancelled, rejected, completed …) has no open step.

Framework-free: plain datetimes and numbers.
"""

import itertools
import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from aftersales_module.core.messages import Message


@dataclass(frozen=True)
class Move:
	case: Hashable
	to_stage: str
	moved_on: datetime
	moved_by: str | None


# The stages a case rests in for good, by case type: sitting there is not waiting on anyone.
FINAL_STAGES = {
	"Return Request": frozenset({"Closed", "Cancelled", "Rejected"}),
	"Repair Order": frozenset({"Completed", "Unrepairable", "Scrapped", "Cancelled"}),
	"Spare Part Transfer Request": frozenset({"Transferred", "Rejected", "Closed", "Cancelled"}),
	"Compensation Claim": frozenset({"Approved", "Cancelled"}),
	"Inquiry Ticket": frozenset({"Resolved", "Closed"}),
	"Aftersales Complaint": frozenset({"Resolved", "Closed"}),
}


@dataclass(frozen=True)
class Step:
	case: Hashable
	stage: str
	entered: datetime
	# an open step is measured up to `left`, the moment it was looked at
	left: datetime
	person: str | None
	still_open: bool = False

	@property
	def hours(self) -> Decimal:
		return Decimal(str((self.left - self.entered).total_seconds())) / 3600


def steps_of(moves: Iterable[Move]) -> list[Step]:
	"""The finished steps of the cases whose moves are given (in any order)."""
	by_case: dict[Hashable, list[Move]] = {}
	for move in moves:
		by_case.setdefault(move.case, []).append(move)
	steps = []
	for case, case_moves in by_case.items():
		case_moves.sort(key=lambda move: move.moved_on)
		for into, out_of in itertools.pairwise(case_moves):
			steps.append(Step(case, into.to_stage, into.moved_on, out_of.moved_on, out_of.moved_by))
	return steps


def open_steps(
	moves: Iterable[Move], now: datetime, final_stages: frozenset[str] = frozenset()
) -> list[Step]:
	"""The stage each case sits in now, timed from its last move up to `now`; none for a case whose
	last move is into a final stage, or is still ahead of `now`."""
	last: dict[Hashable, Move] = {}
	for move in moves:
		if move.case not in last or move.moved_on > last[move.case].moved_on:
			last[move.case] = move
	return [
		Step(case, move.to_stage, move.moved_on, now, None, still_open=True)
		for case, move in last.items()
		if move.to_stage not in final_stages and move.moved_on <= now
	]


def percentile(values: Iterable, fraction: float) -> Decimal | None:
	"""The value below which `fraction` of the values lie, interpolated between the two nearest
	(the median is `percentile(values, 0.5)`); no values, no figure."""
	if not 0 <= fraction <= 1:
		raise ValueError(Message("A percentile lies between 0 and 1, not {0}.", fraction))
	ordered = sorted(map(as_decimal, values))
	if not ordered:
		return None
	position = Decimal(str(fraction)) * (len(ordered) - 1)
	low = math.floor(position)
	high = min(low + 1, len(ordered) - 1)
	value = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
	return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StepTimes:
	steps: int
	median_hours: Decimal | None
	p90_hours: Decimal | None
	target_hours: Decimal | None
	over_target: int


def step_times(hours: Iterable, target_hours=None) -> StepTimes:
	"""The steps' count, median and 90th percentile, and how many took longer than the target, from
	the hours each step took."""
	hours = list(map(as_decimal, hours))
	target = None if target_hours in (None, "", 0) else as_decimal(target_hours)
	return StepTimes(
		steps=len(hours),
		median_hours=percentile(hours, 0.5),
		p90_hours=percentile(hours, 0.9),
		target_hours=target,
		over_target=sum(value > target for value in hours) if target is not None else 0,
	)


def as_decimal(value) -> Decimal:
	return value if isinstance(value, Decimal) else Decimal(str(value))


def over_target(hours, target_hours) -> bool:
	return target_hours not in (None, "", 0) and Decimal(str(hours)) > Decimal(str(target_hours))
