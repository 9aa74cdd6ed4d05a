"""Rules of repair orders and spare-part transfer requests (SPEC §3, §4).

- A transfer request is approved per line (never more than requested) and fulfilled in one or
  more Material Transfers; a line is never transferred beyond what was approved, and closing a
  request with quantity still pending needs a reason.
- A repair order's first contact is due a number of working hours after it is opened; parts are
  issued from the repair point's warehouse; an out-of-warranty repair charges its parts and labour.
- When the repair is done, the unit goes back where it belongs: into finished goods when it is
  the company's, or out to the customer at quantity only when it is the customer's.

Framework-free; quantities and money are `Decimal`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from aftersales_module.core.messages import Message
from aftersales_module.core.returns import ZERO, _non_negative, to_cents

REPAIR_PARTS_ISSUE = "Repair Parts Issue"
OLD_PART_RECEIVED = "Old Part Received"
REPAIR_UNIT_RESTOCKED = "Repair Unit Restocked"
REPAIR_UNIT_SCRAPPED = "Repair Unit Scrapped"

# Stock Entry Types of repair orders, with the ERPNext purpose each one posts as. A unit shipped
# back to its owner uses "Repair Done, Shipped" of core.exchange_postings.
STOCK_ENTRY_TYPES = {
	REPAIR_PARTS_ISSUE: "Material Issue",
	OLD_PART_RECEIVED: "Material Receipt",
	REPAIR_UNIT_RESTOCKED: "Material Transfer",
	REPAIR_UNIT_SCRAPPED: "Material Issue",
}

# Transfer request statuses that follow from the quantities.
APPROVED = "Approved"
PARTLY_TRANSFERRED = "Partly Transferred"
TRANSFERRED = "Transferred"


@dataclass(frozen=True)
class TransferLine:
	line_key: str
	item_code: str
	requested_qty: Decimal
	approved_qty: Decimal = ZERO
	transferred_qty: Decimal = ZERO

	@property
	def pending_qty(self) -> Decimal:
		return max(Decimal(str(self.approved_qty)) - Decimal(str(self.transferred_qty)), ZERO)


def check_approval(lines: Sequence[TransferLine]) -> None:
	"""Each approved quantity is between zero and what was requested, and something is approved."""
	for line in lines:
		approved = _non_negative(line.approved_qty, f"Item {line.item_code} approved quantity")
		if approved > Decimal(str(line.requested_qty)):
			raise ValueError(
				Message(
					"Item {0}: {1} approved but only {2} requested.",
					line.item_code,
					_qty(approved),
					_qty(line.requested_qty),
				)
			)
	if not any(Decimal(str(line.approved_qty)) > 0 for line in lines):
		raise ValueError(Message("Approve a quantity on at least one line, or reject the request."))


def plan_fulfilment(
	lines: Sequence[TransferLine], quantities: Mapping[str, Decimal] | None
) -> dict[str, Decimal]:
	"""What to transfer now per line: the quantities given, or everything pending when none are."""
	by_key = {line.line_key: line for line in lines}
	if not quantities:
		plan = {line.line_key: line.pending_qty for line in lines if line.pending_qty > 0}
	else:
		plan = {}
		for key, qty in quantities.items():
			qty = Decimal(str(qty or 0))
			if qty == 0:
				continue
			line = by_key.get(key)
			if line is None:
				raise ValueError(Message("Line {0} is not on this transfer request.", key))
			if qty < 0:
				raise ValueError(
					Message("Item {0}: the quantity to transfer cannot be negative.", line.item_code)
				)
			if qty > line.pending_qty:
				raise ValueError(
					Message(
						"Item {0}: {1} cannot be transferred; {2} approved, {3} already transferred, {4} pending.",
						line.item_code,
						_qty(qty),
						_qty(line.approved_qty),
						_qty(line.transferred_qty),
						_qty(line.pending_qty),
					)
				)
			plan[key] = qty
	if not plan:
		raise ValueError(Message("Nothing is pending transfer on this request."))
	return plan


def transfer_status(lines: Sequence[TransferLine]) -> str:
	transferred = sum((Decimal(str(line.transferred_qty)) for line in lines), ZERO)
	if all(line.pending_qty == 0 for line in lines) and transferred > 0:
		return TRANSFERRED
	return PARTLY_TRANSFERRED if transferred > 0 else APPROVED


def check_close(lines: Sequence[TransferLine], reason: str | None) -> None:
	pending = [line for line in lines if line.pending_qty > 0]
	if pending and not (reason or "").strip():
		raise ValueError(
			Message(
				"{0} is still pending on {1} line(s); give the reason for closing the request.",
				_qty(sum((line.pending_qty for line in pending), ZERO)),
				len(pending),
			)
		)


# ---- repair orders ---------------------------------------------------------------------------------------


def first_contact_deadline(opened_at: datetime, hours: float) -> datetime:
	if hours < 0:
		raise ValueError(Message("The first-contact time cannot be negative."))
	return opened_at + timedelta(hours=hours)


def first_contact_state(due: datetime | None, contacted_at: datetime | None, now: datetime) -> str:
	"""On Time, Overdue (not contacted and past due) or Late (contacted after the deadline)."""
	if due is None:
		return "On Time"
	if contacted_at is not None:
		return "Late" if contacted_at > due else "On Time"
	return "Overdue" if now > due else "On Time"


@dataclass(frozen=True)
class RepairPart:
	line_key: str
	item_code: str
	qty: Decimal
	rate: Decimal = ZERO


@dataclass(frozen=True)
class ChargeLine:
	item_code: str
	qty: Decimal
	rate: Decimal

	@property
	def amount(self) -> Decimal:
		return to_cents(Decimal(str(self.qty)) * Decimal(str(self.rate)))


@dataclass(frozen=True)
class RepairCharge:
	lines: tuple[ChargeLine, ...]

	@property
	def total(self) -> Decimal:
		return sum((line.amount for line in self.lines), ZERO)


def repair_charge(
	in_warranty: bool,
	parts: Sequence[RepairPart],
	labour_item: str,
	labour_hours: Decimal,
	labour_rate: Decimal,
) -> RepairCharge | None:
	"""What the customer pays: nothing in warranty; otherwise every part at its price, and labour."""
	if in_warranty:
		return None
	lines = []
	for part in parts:
		qty = _non_negative(part.qty, f"Item {part.item_code} quantity")
		rate = _non_negative(part.rate, f"Item {part.item_code} price")
		if qty == 0:
			continue
		if rate == 0:
			raise ValueError(
				Message(
					"Item {0}: an out-of-warranty repair charges its parts; enter the price.", part.item_code
				)
			)
		lines.append(ChargeLine(part.item_code, qty, rate))
	hours = _non_negative(labour_hours, "Labour hours")
	rate = _non_negative(labour_rate, "Labour rate")
	if hours > 0 and rate > 0:
		lines.append(ChargeLine(labour_item, hours, rate))
	if not lines:
		raise ValueError(Message("An out-of-warranty repair needs parts or labour to charge."))
	return RepairCharge(tuple(lines))


# Where the unit goes when the repair is done.
RETURN_TO_STOCK = "Return to Finished Goods"
SHIP_TO_CUSTOMER = "Ship to Customer"


@dataclass(frozen=True)
class UnitMove:
	"""`target` None issues the unit out of stock; `quantity_only` moves it at zero valuation."""

	source: str
	target: str | None
	quantity_only: bool


def completion_move(
	outcome: str, unit_warehouse: str | None, customer_warehouses: Sequence[str], finished_goods: str | None
) -> UnitMove | None:
	"""The stock move that ends a repair, or None when the unit was never in stock (repaired on site).

	Units in a customer's warehouse (consignment repair, repair virtual) are the customer's: they
	can only go back to the customer, at quantity only. The company's own units go back to finished goods.
	"""
	if not unit_warehouse:
		return None
	customers = unit_warehouse in customer_warehouses
	if outcome == SHIP_TO_CUSTOMER:
		if not customers:
			raise ValueError(
				Message(
					"The unit is company stock in {0}; return it to finished goods, or sell it.",
					unit_warehouse,
				)
			)
		return UnitMove(unit_warehouse, None, True)
	if outcome == RETURN_TO_STOCK:
		if customers:
			raise ValueError(
				Message("The unit in {0} is the customer's; ship it back to the customer.", unit_warehouse)
			)
		if not finished_goods:
			raise ValueError(Message("Choose the finished-goods warehouse the repaired unit goes to."))
		return UnitMove(unit_warehouse, finished_goods, False)
	raise ValueError(
		Message("Choose what happens to the repaired unit: {0} or {1}.", RETURN_TO_STOCK, SHIP_TO_CUSTOMER)
	)


def _qty(value) -> str:
	return f"{Decimal(str(value)).normalize():f}"
