"""Dispatch on-time rate 發貨及時率 (SPEC §10): the share of the shipments a company owes its customers
that left within the company's Dispatch Within hours of the step that made them due.

What ships, and the step that makes it due (`DISPATCH_RULES`), by the case it belongs to:

- an exchange or a consignment repair (Exchange Same Item, Exchange Different Item, Repair): the
  replacement or the repaired unit (Exchange Goods Out, Repair Done, Shipped) is due once the
  customer's goods are received — the case's first move into Goods Received;
- a spare unit 先發貨後退回 (Spare Unit Out) is due once the request is approved — its first move into
  Approved;
- a reissue 補發 (Reissue Out) is due once the request is approved — its first move into Approved;
- a unit sent in for testing that goes back (Test Unit Shipped Back) is due once the customer accepts
  the company's test report (Test Report Accepted On).

A shipment left when its Stock Entry was posted (its posting date and time): that is when the goods
left the warehouse's stock. A Repair Order's own Complete step posts the repaired unit's shipment in
the same step that finishes the repair, so it cannot be late and is not counted (it would only pad the
figure); the repair's time is measured by "Repair: finished on time".

Each owed shipment counts in the month it was due, as the other deadlines do: shipped by its due time
is on time; not shipped and past its due time is late; not shipped and not yet due does not count yet;
a shipment no longer owed (the case was rejected before it shipped, or the unit sent for testing was
taken over) does not count, unless it shipped anyway.

Framework-free: datetimes, durations and Decimal hours.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from aftersales_module.core.enums import Choice, RequestType
from aftersales_module.core.exchange_postings import EXCHANGE_GOODS_OUT, EXCHANGE_TYPES, REPAIR_DONE_SHIPPED
from aftersales_module.core.kpis import Rate, on_time, share
from aftersales_module.core.mail_in import TEST_UNIT_SHIPPED_BACK
from aftersales_module.core.messages import Message
from aftersales_module.core.spare_postings import REISSUE_OUT, SPARE_UNIT_OUT
from aftersales_module.core.stages import Stage

DEFAULT_DISPATCH_HOURS = 48


class DueAfter(Choice):
	"""The step that makes a shipment due."""

	GOODS_RECEIVED = "Goods Received"
	APPROVED = "Approved"
	TEST_REPORT_ACCEPTED = "Test Report Accepted"


@dataclass(frozen=True)
class DispatchRule:
	"""Which requests owe which shipment, due after which step."""

	request_types: tuple[str, ...] | None  # None: any request type (mail-in testing)
	entry_types: tuple[str, ...]
	due_after: DueAfter

	@property
	def stage(self) -> Stage | None:
		"""The stage whose first entry makes the shipment due; None when a recorded step does."""
		return {DueAfter.GOODS_RECEIVED: Stage.GOODS_RECEIVED, DueAfter.APPROVED: Stage.APPROVED}.get(
			self.due_after
		)


DISPATCH_RULES = (
	DispatchRule(
		tuple(each.value for each in EXCHANGE_TYPES),
		(EXCHANGE_GOODS_OUT, REPAIR_DONE_SHIPPED),
		DueAfter.GOODS_RECEIVED,
	),
	DispatchRule((RequestType.SPARE_UNIT.value,), (SPARE_UNIT_OUT,), DueAfter.APPROVED),
	DispatchRule((RequestType.REISSUE.value,), (REISSUE_OUT,), DueAfter.APPROVED),
	DispatchRule(None, (TEST_UNIT_SHIPPED_BACK,), DueAfter.TEST_REPORT_ACCEPTED),
)


def dispatch_window(hours) -> timedelta:
	"""A company's Dispatch Within, in hours (Decimal, so 1.5 is 90 minutes); unset, the default."""
	hours = Decimal(str(hours)) if hours not in (None, "") else Decimal(0)
	if hours < 0:
		raise ValueError(Message("Dispatch Within cannot be negative ({0} hours).", hours))
	if not hours:
		hours = Decimal(DEFAULT_DISPATCH_HOURS)
	return timedelta(seconds=int(hours * 3600))


def dispatch_due(made_due_at: datetime | None, window: timedelta) -> datetime | None:
	"""When a shipment must have left: the step that made it due, plus the company's window."""
	return made_due_at + window if made_due_at is not None else None


def dispatched_on_time(
	shipped_at: datetime | None,
	made_due_at: datetime | None,
	window: timedelta,
	now: datetime,
	owed: bool = True,
) -> bool | None:
	"""Whether a shipment left in time: None while it is not shipped and not yet due, or no longer
	owed; an owed shipment not sent by its due time is late."""
	if shipped_at is None and not owed:
		return None
	return on_time(shipped_at, dispatch_due(made_due_at, window), now)


@dataclass(frozen=True)
class Dispatch:
	made_due_at: datetime | None
	shipped_at: datetime | None = None
	owed: bool = True


def dispatch_rate(dispatches: Iterable[Dispatch], window: timedelta, now: datetime, target=None) -> Rate:
	"""Shipments that left on time / owed shipments that left or are overdue x 100 %."""
	judged = [
		result
		for each in dispatches
		if (result := dispatched_on_time(each.shipped_at, each.made_due_at, window, now, each.owed))
		is not None
	]
	return share(sum(judged), len(judged), target)
