"""The measures the seed policies hold the after-sales team to (SPEC §10), as pure functions.

Each measure is a `Rate`: what counted (numerator) out of what could (denominator), scaled to per cent
or per mille, against its target. A period with nothing to count has no figure (None), not 0 % or
100 %: the report shows it as empty. Records are grouped by the month, stage or person they belong to
with `rates_by`.

Batch spikes 批次異常: a batch returns more than its item's other batches would lead one to expect,
judged by a one-sided exact binomial test with minimum counts, so a small batch with two returns does
not raise an alarm.

Framework-free: plain numbers, dates and datetimes.
"""

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from aftersales_module.core.enums import Choice
from aftersales_module.core.messages import Message

PER_CENT = 100
PER_MILLE = 1000


class Measure(Choice):
	"""The measures of the KPI report; a company sets a target for each (Aftersales Settings)."""

	RETURN_TOLD_ON_TIME = "Return: customer told on time"
	RETURN_REVIEWED_ON_TIME = "Return: reviewed on time"
	RETURN_ACCURACY = "Return-goods accuracy"
	RETURN_SATISFACTION = "Return: customer satisfied"
	RETURN_RESOLVED = "Return: problem resolved"
	INQUIRY_RESPONSE_ON_TIME = "Inquiry: first response on time"
	INQUIRY_RESULT_ON_TIME = "Inquiry: result fed back on time"
	ANOMALY_ON_TIME = "Inquiry: shipping anomaly followed up on time"
	REPAIR_CONTACT_ON_TIME = "Repair: customer contacted on time"
	REPAIR_PASSED = "Repair: passed"
	REPAIR_ON_TIME = "Repair: finished on time"
	DISPATCH_ON_TIME = "Dispatch: shipped on time"
	COMPLAINT_RATE = "Complaints per thousand orders"
	COST_AGAINST_BUDGET = "After-sales cost against budget"


# Measures where less is better: they meet their target from below.
LOWER_IS_BETTER = frozenset({Measure.COMPLAINT_RATE, Measure.COST_AGAINST_BUDGET})


@dataclass(frozen=True)
class Rate:
	numerator: int
	denominator: int
	scale: int = PER_CENT
	target: Decimal | None = None
	# A rate where less is better (complaints per thousand orders) meets its target from below.
	lower_is_better: bool = False

	def __post_init__(self):
		if self.numerator < 0 or self.denominator < 0:
			raise ValueError(
				Message("A measure cannot count below zero ({0} of {1}).", self.numerator, self.denominator)
			)

	@property
	def value(self) -> Decimal | None:
		if not self.denominator:
			return None
		value = Decimal(self.numerator) * self.scale / Decimal(self.denominator)
		return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

	@property
	def meets_target(self) -> bool | None:
		if self.value is None or self.target is None:
			return None
		return self.value <= self.target if self.lower_is_better else self.value >= self.target


def share(numerator: int, denominator: int, target=None) -> Rate:
	"""A share of a whole, in per cent: the numerator is part of the denominator."""
	if numerator > denominator:
		raise ValueError(
			Message("{0} of {1}: a share cannot count more than its whole.", numerator, denominator)
		)
	return Rate(numerator, denominator, PER_CENT, _target(target))


def on_time(
	done_at: datetime | date | None, due: datetime | date | None, now: datetime | date
) -> bool | None:
	"""Whether a step was done by its due time: None while it is still open and not yet due (it does
	not count yet); an open step past its due time counts as late."""
	if due is None:
		return None
	if done_at is None:
		return False if now > due else None
	return done_at <= due


def on_time_rate(steps: Iterable[tuple], now, target=None) -> Rate:
	"""(done at, due) pairs → the share done on time, of those that count yet."""
	judged = [result for done_at, due in steps if (result := on_time(done_at, due, now)) is not None]
	return share(sum(judged), len(judged), target)


# ---- the seeds' measures ---------------------------------------------------------------------------------

SATISFIED = ("Very Satisfied", "Satisfied")


def satisfaction(ratings: Iterable[str], target=None) -> Rate:
	"""Customer satisfaction = (very satisfied + satisfied) / surveyed x 100 % (seed 000)."""
	ratings = [rating for rating in ratings if rating]
	return share(sum(rating in SATISFIED for rating in ratings), len(ratings), target)


def resolution_rate(resolved: int, problems: int, target=None) -> Rate:
	"""Problem resolution rate = problems solved / all problems x 100 % (seed 004)."""
	return share(resolved, problems, target)


def complaint_rate(complaints: int, orders: int, target=None) -> Rate:
	"""Complaint rate = complaints / orders x 1000 ‰ (seed 004); complaints may exceed orders."""
	return Rate(complaints, orders, PER_MILLE, _target(target), lower_is_better=True)


def accuracy_rate(accurate_receipts: int, receipts: int, target=None) -> Rate:
	"""Return-goods accuracy 退貨商品準確率 = receipts matching the request / receipts x 100 % (seed 002)."""
	return share(accurate_receipts, receipts, target)


def repair_pass_rate(passed_first_time: int, repairs: int, target=None) -> Rate:
	"""Repairs passing their quality check the first time / repairs completed x 100 % (seed 003)."""
	return share(passed_first_time, repairs, target)


def cost_against_budget(actual: Decimal, budget: Decimal) -> Decimal | None:
	"""After-sales cost as a share of its budget, in per cent; no budget, no figure."""
	actual, budget = Decimal(str(actual)), Decimal(str(budget))
	if budget <= 0:
		return None
	return (actual * PER_CENT / budget).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cost_meets_target(actual: Decimal, budget: Decimal, target=None) -> bool | None:
	"""Spent at most `target` per cent of the budget (100 when no target is set)."""
	used = cost_against_budget(actual, budget)
	if used is None:
		return None
	return used <= (_target(target) if _target(target) is not None else Decimal(PER_CENT))


def budget_by_month(
	annual: Decimal, months: Iterable[int], distribution: dict[int, Decimal] | None = None
) -> dict[int, Decimal]:
	"""A year's budget spread over the calendar months asked for (1 = January): by the budget's
	monthly distribution in per cent where it has one, else evenly, as ERPNext's budget check does."""
	annual = Decimal(str(annual))
	spread = {}
	for month in months:
		if not 1 <= month <= 12:
			raise ValueError(Message("A fiscal year has months 1 to 12, not {0}.", month))
		share_of_year = (
			Decimal(str(distribution.get(month, 0))) / PER_CENT if distribution else Decimal(1) / 12
		)
		spread[month] = (annual * share_of_year).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
	return spread


def resolved(final_stage: str | None, rejected: bool) -> bool | None:
	"""Problem resolution (seed 004): a case settled for the customer counts as resolved, one
	rejected as not; a case still under way does not count yet."""
	if rejected:
		return False
	if final_stage in ("Refunded", "Closed"):
		return True
	return None


def repair_passed(final_status: str | None) -> bool | None:
	"""A finished repair passed when the unit was repaired and passed its quality check (Completed);
	one found unrepairable or scrapped did not; an open repair does not count yet."""
	if final_status == "Completed":
		return True
	if final_status in ("Unrepairable", "Scrapped"):
		return False
	return None


def rates_by(
	records: Iterable, key: Callable[[object], Hashable], counts: Callable[[object], bool | None], target=None
) -> dict[Hashable, Rate]:
	"""Group records (by month, stage, person) and take in each group the share for which `counts` is
	true; records for which it is None do not count yet."""
	groups: dict[Hashable, list[bool]] = {}
	for record in records:
		result = counts(record)
		groups.setdefault(key(record), [])
		if result is not None:
			groups[key(record)].append(bool(result))
	return {group: share(sum(results), len(results), target) for group, results in groups.items()}


def month_of(moment: date | datetime) -> str:
	return f"{moment.year:04d}-{moment.month:02d}"


def _target(target) -> Decimal | None:
	return None if target in (None, "") else Decimal(str(target))


# ---- batch spikes 批次異常 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpikeTest:
	"""How sure the check must be before it flags a batch: the false-alarm rate it accepts for a batch
	with nothing wrong (`alpha`), and the least a batch must have sold and had returned to be judged."""

	alpha: float = 0.001
	min_sold: int = 20
	min_returned: int = 3


@dataclass(frozen=True)
class SpikeFinding:
	batch_rate: Decimal
	baseline_rate: Decimal
	p_value: float
	flagged: bool
	reason: Message


def check_batch(
	returned: int, sold: int, item_returned: int, item_sold: int, test: SpikeTest = SpikeTest()
) -> SpikeFinding:
	"""Is the batch's return rate above its item's baseline (the item's other batches)?

	The baseline is smoothed (one return in two sales added) so an item with no returns yet does not
	make every return look impossible. The batch is flagged when the chance of seeing at least this
	many returns at the baseline rate is below `alpha`."""
	if not (0 <= returned <= sold and 0 <= item_returned <= item_sold):
		raise ValueError(
			Message(
				"Returns cannot exceed sales, nor be negative ({0} of {1}, item {2} of {3}).",
				returned,
				sold,
				item_returned,
				item_sold,
			)
		)
	baseline = (item_returned + 1) / (item_sold + 2)
	batch_rate = Decimal(returned) / Decimal(sold) if sold else Decimal(0)
	p_value = binomial_tail(returned, sold, baseline)
	rates = (_percent(batch_rate), _percent(Decimal(str(baseline))))
	if sold < test.min_sold or returned < test.min_returned:
		return SpikeFinding(
			*rates,
			p_value,
			False,
			Message(
				"{0} returned of {1} sold: too few to judge (at least {2} returned of {3} sold).",
				returned,
				sold,
				test.min_returned,
				test.min_sold,
			),
		)
	flagged = p_value < test.alpha
	template = (
		"{0} returned of {1} sold ({2} %) against {3} % for the item's other batches: "
		"a chance of {4} at the usual rate, below the {5} alarm level."
		if flagged
		else "{0} returned of {1} sold ({2} %) against {3} % for the item's other batches: "
		"a chance of {4} at the usual rate, not below the {5} alarm level."
	)
	reason = Message(template, returned, sold, rates[0], rates[1], f"{p_value:.2g}", test.alpha)
	return SpikeFinding(*rates, p_value, flagged, reason)


def binomial_tail(successes: int, trials: int, probability: float) -> float:
	"""P(X >= successes) for X ~ Binomial(trials, probability), summed exactly in log space."""
	if successes <= 0:
		return 1.0
	if successes > trials or probability <= 0:
		return 0.0
	if probability >= 1:
		return 1.0
	log_p, log_q = math.log(probability), math.log1p(-probability)
	total = 0.0
	for k in range(successes, trials + 1):
		term = math.exp(
			math.lgamma(trials + 1)
			- math.lgamma(k + 1)
			- math.lgamma(trials - k + 1)
			+ k * log_p
			+ (trials - k) * log_q
		)
		total += term
		# Past the mode the terms only shrink; stop once they no longer change the sum.
		if k > trials * probability and term < total * 1e-17:
			break
	return min(total, 1.0)


def _percent(rate: Decimal) -> Decimal:
	return (rate * PER_CENT).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
