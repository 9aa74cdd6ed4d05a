"""Which delivery lines returned goods come back against.

An invoice line may have left the warehouse on several Delivery Notes (partial deliveries). Goods
coming back are returned against the delivery lines that still have units out, so each delivery
return reverses the note that moved them, at the valuation they left with. A serial number comes
back against the line that delivered it; a batch against a line that delivered that batch; other
units against the oldest delivery first.

Framework-free: quantities are `Decimal`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class DeliveredLine:
	"""A delivery line of an invoice line, with how many of its units are still with the customer."""

	key: str
	delivery_note: str
	still_out: Decimal
	serial_nos: frozenset[str] = frozenset()
	batches: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReturnedUnits:
	"""Units of one case line coming back, from one invoice line."""

	line_key: str
	invoice_line: str
	qty: Decimal
	serial_nos: tuple[str, ...] = ()
	batch_no: str | None = None


@dataclass(frozen=True)
class TakeBack:
	"""Units of a case line returned against one delivery line."""

	line_key: str
	delivery_line: str
	delivery_note: str
	qty: Decimal
	serial_nos: tuple[str, ...] = ()
	batch_no: str | None = None


@dataclass(frozen=True)
class DeliveryReturnPlan:
	parts: tuple[TakeBack, ...]
	# Case line → units no delivery line can take back (never delivered, or already back).
	short: Mapping[str, Decimal] = field(default_factory=dict)

	def by_delivery_note(self) -> dict[str, list[TakeBack]]:
		"""The parts per delivery note, in the order the notes first appear: one return per note."""
		notes: dict[str, list[TakeBack]] = {}
		for part in self.parts:
			notes.setdefault(part.delivery_note, []).append(part)
		return notes


def plan_delivery_returns(
	returned: Sequence[ReturnedUnits], delivered: Mapping[str, Sequence[DeliveredLine]]
) -> DeliveryReturnPlan:
	"""Place each case line's units on the delivery lines of its invoice line that still have units
	out. Lines are filled in the order given (oldest delivery first) and what one case line takes is
	no longer out for the next."""
	room = {line.key: line.still_out for lines in delivered.values() for line in lines}
	parts: list[TakeBack] = []
	short: dict[str, Decimal] = {}
	for units in returned:
		if units.qty < 0:
			raise ValueError(f"Cannot return a negative quantity ({units.qty}) on {units.line_key}.")
		lines = delivered.get(units.invoice_line, ())
		placed = (
			_place_serials(units, lines, room) if units.serial_nos else _place_quantity(units, lines, room)
		)
		parts += placed
		missing = units.qty - sum((part.qty for part in placed), ZERO)
		if missing > 0:
			short[units.line_key] = missing
	return DeliveryReturnPlan(tuple(parts), short)


def _place_serials(units: ReturnedUnits, lines, room: dict[str, Decimal]) -> list[TakeBack]:
	taken: dict[str, list[str]] = {}
	for serial_no in units.serial_nos:
		line = next((line for line in lines if serial_no in line.serial_nos and room[line.key] >= 1), None)
		if line is None:
			continue
		room[line.key] -= 1
		taken.setdefault(line.key, []).append(serial_no)
	by_key = {line.key: line for line in lines}
	return [
		TakeBack(
			units.line_key,
			key,
			by_key[key].delivery_note,
			Decimal(len(serial_nos)),
			tuple(serial_nos),
			units.batch_no,
		)
		for key, serial_nos in taken.items()
	]


def _place_quantity(units: ReturnedUnits, lines, room: dict[str, Decimal]) -> list[TakeBack]:
	parts, wanted = [], units.qty
	for line in lines:
		if wanted <= 0:
			break
		if units.batch_no and line.batches and units.batch_no not in line.batches:
			continue
		qty = min(room[line.key], wanted)
		if qty <= 0:
			continue
		room[line.key] -= qty
		wanted -= qty
		parts.append(TakeBack(units.line_key, line.key, line.delivery_note, qty, (), units.batch_no))
	return parts
