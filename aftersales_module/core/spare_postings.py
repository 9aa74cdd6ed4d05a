"""Posting plans for spare units and reissues: goods that move at cost without touching revenue.

- Spare unit, ship first and take back later 先發貨後退回 (備用機, SPEC §2): the spare leaves a
  finished-goods warehouse at cost into the spare-unit warehouse, where it stays, per serial, while
  it is out with the customer. When the customer's faulty unit arrives it enters the return
  warehouse at the cost it was sold with, and the spare is issued from the spare-unit warehouse to
  the customer for good; both against the warranty cost account, neither with a price. If the
  customer sends the spare back instead, it moves from the spare-unit warehouse into the return
  warehouse at cost, ready for repair or scrap.
- Reissue 補發 (SPEC §7): a replacement ships at cost and without price from a warehouse that has
  it; when none has, the earliest open purchase order says when it is expected.

Framework-free; quantities and money are `Decimal`, dates are `datetime.date`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from aftersales_module.core.exchange_postings import StockLeg
from aftersales_module.core.messages import Message
from aftersales_module.core.returns import _non_negative

SPARE_UNIT_OUT = "Spare Unit Out"
SPARE_UNIT_FAULTY_IN = "Spare Unit Faulty In"
SPARE_UNIT_KEPT = "Spare Unit Kept"
SPARE_UNIT_BACK = "Spare Unit Back"
REISSUE_OUT = "Reissue Out"

# Stock Entry Types this module adds, with the ERPNext purpose each one posts as.
STOCK_ENTRY_TYPES = {
	SPARE_UNIT_OUT: "Material Transfer",
	SPARE_UNIT_FAULTY_IN: "Material Receipt",
	SPARE_UNIT_KEPT: "Material Issue",
	SPARE_UNIT_BACK: "Material Transfer",
	REISSUE_OUT: "Material Issue",
}

SPARE_OUT = "Out"
SPARE_KEPT = "Kept by Customer"
SPARE_RETURNED = "Returned"


class ReissueShortage(ValueError):
	"""Not enough stock to reissue; `args[0]` holds one message per short line."""

	@property
	def messages(self) -> tuple[Message, ...]:
		return self.args[0]


@dataclass(frozen=True)
class TransferLeg:
	"""One line of a Material Transfer, carried at the source warehouse's valuation."""

	line_key: str
	item_code: str
	qty: Decimal
	source: str
	target: str
	serial_no: str | None


@dataclass(frozen=True)
class SpareLine:
	"""A line of a spare-unit case: the customer's faulty unit and the spare sent ahead of it."""

	line_key: str
	item_code: str
	qty: Decimal
	unit_cost: Decimal
	serial_no: str | None
	spare_item: str | None
	spare_warehouse: str | None
	spare_serial_no: str | None
	spare_status: str | None = None


def split_serials(serial_nos: str | None) -> list[str]:
	return [
		serial_no.strip()
		for serial_no in (serial_nos or "").replace(",", "\n").split("\n")
		if serial_no.strip()
	]


def unexpected_serials(expected: str | None, received: str | None) -> list[str]:
	"""Serial numbers received that are not among those expected, in the order received."""
	wanted = set(split_serials(expected))
	return [serial_no for serial_no in split_serials(received) if serial_no not in wanted]


def missing_serials(expected: str | None, received: str | None) -> list[str]:
	got = set(split_serials(received))
	return [serial_no for serial_no in split_serials(expected) if serial_no not in got]


def plan_spare_shipment(lines: Sequence[SpareLine], spare_unit_warehouse: str) -> tuple[TransferLeg, ...]:
	"""The spares move, at cost, from the warehouse they ship from into the spare-unit warehouse."""
	if not lines:
		raise ValueError(Message("There is no spare unit left to ship on this case."))
	legs = []
	for line in lines:
		_check_quantity(line)
		if not line.spare_warehouse:
			raise ValueError(
				Message("Item {0}: choose the warehouse the spare unit ships from.", line.item_code)
			)
		if line.spare_warehouse == spare_unit_warehouse:
			raise ValueError(
				Message(
					"Item {0}: the spare ships from finished goods, not from the spare-unit warehouse.",
					line.item_code,
				)
			)
		legs.append(
			TransferLeg(
				line.line_key,
				line.spare_item or line.item_code,
				Decimal(str(line.qty)),
				line.spare_warehouse,
				spare_unit_warehouse,
				line.spare_serial_no,
			)
		)
	return tuple(legs)


@dataclass(frozen=True)
class SpareSettlement:
	faulty_in: tuple[StockLeg, ...]
	spare_kept: tuple[StockLeg, ...]


def plan_spare_settlement(
	lines: Sequence[SpareLine], returns_warehouse: str, spare_unit_warehouse: str
) -> SpareSettlement:
	"""The faulty unit arrives: it enters the return warehouse at its cost; the customer keeps the spare."""
	if not lines:
		raise ValueError(Message("Nothing was received against a spare unit."))
	faulty_in, spare_kept = [], []
	for line in lines:
		_check_quantity(line)
		if line.spare_status != SPARE_OUT:
			raise ValueError(
				Message(
					"Item {0}: no spare unit is out for this line; ship the spare unit first, or use an exchange for the same item.",
					line.item_code,
				)
			)
		if Decimal(str(line.unit_cost)) <= 0:
			raise ValueError(
				Message(
					"Item {0}: its cost when sold is not known, so it cannot come back at cost.",
					line.item_code,
				)
			)
		qty = Decimal(str(line.qty))
		faulty_in.append(
			StockLeg(
				line.line_key,
				line.item_code,
				qty,
				returns_warehouse,
				Decimal(str(line.unit_cost)),
				line.serial_no,
			)
		)
		spare_kept.append(
			StockLeg(
				line.line_key,
				line.spare_item or line.item_code,
				qty,
				spare_unit_warehouse,
				None,
				line.spare_serial_no,
			)
		)
	return SpareSettlement(tuple(faulty_in), tuple(spare_kept))


def plan_spare_back(
	lines: Sequence[SpareLine],
	returned_serials: dict[str, str],
	spare_unit_warehouse: str,
	returns_warehouse: str,
) -> tuple[TransferLeg, ...]:
	"""The customer sends the spare back: it moves at cost into the return warehouse.

	`returned_serials` maps a line to the serial numbers that arrived; each must be the spare sent.
	"""
	legs = []
	for line in lines:
		if line.spare_status != SPARE_OUT:
			continue
		returned = returned_serials.get(line.line_key)
		if line.spare_serial_no:
			strangers = unexpected_serials(line.spare_serial_no, returned)
			if strangers:
				raise ValueError(
					Message(
						"Item {0}: serial number(s) {1} came back, but the spare unit sent to this customer is {2}.",
						line.spare_item or line.item_code,
						", ".join(strangers),
						", ".join(split_serials(line.spare_serial_no)),
					)
				)
			if missing_serials(line.spare_serial_no, returned):
				raise ValueError(
					Message(
						"Item {0}: enter the serial number(s) of the spare unit that came back: {1}.",
						line.spare_item or line.item_code,
						", ".join(split_serials(line.spare_serial_no)),
					)
				)
		legs.append(
			TransferLeg(
				line.line_key,
				line.spare_item or line.item_code,
				Decimal(str(line.qty)),
				spare_unit_warehouse,
				returns_warehouse,
				line.spare_serial_no,
			)
		)
	if not legs:
		raise ValueError(Message("No spare unit of this case is out with the customer."))
	return tuple(legs)


def spare_due_date(shipped_on: date, return_days: int) -> date:
	if return_days < 0:
		raise ValueError(Message("The days allowed to return a spare unit cannot be negative."))
	return shipped_on + timedelta(days=return_days)


def days_out(shipped_on: date, today: date) -> int:
	return max((today - shipped_on).days, 0)


def is_overdue(due_date: date | None, today: date) -> bool:
	return due_date is not None and today > due_date


@dataclass(frozen=True)
class ReissueLine:
	line_key: str
	item_code: str
	qty: Decimal
	warehouse: str | None
	serial_no: str | None
	available_qty: Decimal
	expected_restock: date | None = None


def plan_reissue(lines: Sequence[ReissueLine]) -> tuple[StockLeg, ...]:
	"""The replacement ships from a warehouse that has it, at cost; a shortage says when to expect stock."""
	if not lines:
		raise ValueError(Message("There is nothing left to reissue on this case."))
	legs, short = [], []
	for line in lines:
		qty = Decimal(str(line.qty))
		if qty <= 0:
			raise ValueError(
				Message("Item {0}: the quantity to reissue must be more than zero.", line.item_code)
			)
		if not line.warehouse:
			raise ValueError(
				Message("Item {0}: choose the warehouse the reissue ships from.", line.item_code)
			)
		_non_negative(line.available_qty, f"Item {line.item_code} available quantity")
		if Decimal(str(line.available_qty)) < qty:
			available = f"{Decimal(str(line.available_qty)).normalize():f}"
			if line.expected_restock:
				short.append(
					Message(
						"Item {0}: {1} has {2}, {3} needed; more is expected on {4}.",
						line.item_code,
						line.warehouse,
						available,
						f"{qty.normalize():f}",
						line.expected_restock.isoformat(),
					)
				)
			else:
				short.append(
					Message(
						"Item {0}: {1} has {2}, {3} needed; no open purchase order brings more.",
						line.item_code,
						line.warehouse,
						available,
						f"{qty.normalize():f}",
					)
				)
			continue
		legs.append(StockLeg(line.line_key, line.item_code, qty, line.warehouse, None, line.serial_no))
	if short:
		raise ReissueShortage(tuple(short))
	return tuple(legs)


@dataclass(frozen=True)
class OpenOrderLine:
	"""A line of a submitted, open purchase order: what is still to come and when."""

	item_code: str
	pending_qty: Decimal
	schedule_date: date


def expected_restock_date(
	item_code: str, needed: Decimal, open_lines: Iterable[OpenOrderLine]
) -> date | None:
	"""The day enough is expected, counting open purchase order lines in schedule order."""
	if Decimal(str(needed)) <= 0:
		return None
	coming = Decimal(0)
	for line in sorted(
		(line for line in open_lines if line.item_code == item_code and line.pending_qty > 0),
		key=lambda line: line.schedule_date,
	):
		coming += Decimal(str(line.pending_qty))
		if coming >= Decimal(str(needed)):
			return line.schedule_date
	return None


def _check_quantity(line: SpareLine) -> None:
	if Decimal(str(line.qty)) <= 0:
		raise ValueError(Message("Item {0}: the quantity must be more than zero.", line.item_code))
	_non_negative(line.unit_cost, f"Item {line.item_code} cost")
