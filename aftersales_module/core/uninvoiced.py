"""Returns of what was sold but not yet invoiced: a delivery not (fully) billed, an order paid in advance
and never shipped (未發退). Receivables are booked only once invoiced (開出發票才立帳) [003], so these
come back without a credit note: a delivery by a delivery return, an unshipped order by taking the
lines off the order and paying the advance back.

Framework-free: quantities and money are `Decimal`; impossible input raises `ValueError`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from aftersales_module.core.messages import Message
from aftersales_module.core.returns import ZERO, to_cents

SALES_INVOICE = "Sales Invoice"
DELIVERY_NOTE = "Delivery Note"
SALES_ORDER = "Sales Order"


def line_source(sales_invoice_item: str | None, dn_detail: str | None, sales_order_item: str | None) -> str:
	"""Which sale a case line comes from. An invoice line names its delivery too, so the invoice comes
	first; a line naming no sale at all is left to the invoice checks, which refuse it."""
	if sales_invoice_item:
		return SALES_INVOICE
	if dn_detail:
		return DELIVERY_NOTE
	if sales_order_item:
		return SALES_ORDER
	return SALES_INVOICE


def _number(value, what: str) -> Decimal:
	number = value if isinstance(value, Decimal) else Decimal(str(value or 0))
	if not number.is_finite():
		raise ValueError(f"{what} must be a finite number, got {value!r}.")
	return number


def uninvoiced_qty(delivered, billed, returned) -> Decimal:
	"""What a delivery line still has with the customer unbilled, as ERPNext counts what is left to bill:
	delivered, less what invoices billed (net of their credit notes), less what delivery returns took
	back. Never negative: a return of billed goods may come back before its credit note."""
	delivered, billed, returned = (
		_number(value, what)
		for value, what in ((delivered, "Delivered qty"), (billed, "Billed qty"), (returned, "Returned qty"))
	)
	return max(ZERO, delivered - max(billed, ZERO) - returned)


def unshipped_qty(ordered, delivered, billed) -> Decimal:
	"""What an order line has neither shipped nor billed: an invoiced unit is cancelled on its invoice."""
	ordered, delivered, billed = (
		_number(value, what)
		for value, what in ((ordered, "Ordered qty"), (delivered, "Delivered qty"), (billed, "Billed qty"))
	)
	return max(ZERO, ordered - max(delivered, billed, ZERO))


@dataclass(frozen=True)
class OrderLine:
	"""A Sales Order line as ERPNext has it: what was ordered, and what left or was billed."""

	line_id: str
	item_code: str
	ordered: Decimal
	delivered: Decimal = ZERO
	billed: Decimal = ZERO

	@property
	def pending(self) -> Decimal:
		return unshipped_qty(self.ordered, self.delivered, self.billed)


@dataclass(frozen=True)
class OrderRelease:
	"""How an order gives up cancelled lines, the ways ERPNext itself does: closed, when nothing would be
	left to ship; else each cancelled line's quantity lowered (Update Items) to `new_qty`."""

	close: bool
	new_qty: dict[str, Decimal] = field(default_factory=dict)


def plan_order_release(lines: Sequence[OrderLine], released: Mapping[str, Decimal]) -> OrderRelease:
	"""`lines`: every line of one order; `released`: line → quantity cancelled now."""
	by_id = {line.line_id: line for line in lines}
	released = {line_id: _number(qty, "Cancelled qty") for line_id, qty in released.items()}
	for line_id, qty in released.items():
		line = by_id.get(line_id)
		if line is None:
			raise ValueError(f"Order line {line_id} is not a line of the order.")
		if qty <= 0:
			raise ValueError(f"The quantity cancelled on order line {line_id} must be more than zero.")
		if qty > line.pending:
			raise ValueError(
				Message(
					"{0}: {1} to cancel, but only {2} of the order line are neither shipped nor invoiced.",
					line.item_code,
					format(qty.normalize(), "f"),
					format(line.pending.normalize(), "f"),
				)
			)
	if all(line.pending - released.get(line.line_id, ZERO) <= 0 for line in lines):
		return OrderRelease(close=True)
	new_qty = {line_id: by_id[line_id].ordered - qty for line_id, qty in released.items()}
	emptied = [by_id[line_id].item_code for line_id, qty in new_qty.items() if qty <= 0]
	if emptied:
		raise ValueError(
			Message(
				"{0}: ERPNext keeps an order line at one unit at least, and the order still has other goods to ship. Cancel the whole order's unshipped goods in one request, or deliver the rest first.",
				", ".join(emptied),
			)
		)
	return OrderRelease(close=False, new_qty=new_qty)


def advance_refund(lines_amount, advance_paid, already_refunded) -> Decimal:
	"""What is paid back for cancelled order lines: what they cost with their taxes, up to what is left
	of the advance after earlier refunds."""
	lines_amount, advance_paid, already_refunded = (
		_number(value, what)
		for value, what in (
			(lines_amount, "Lines amount"),
			(advance_paid, "Advance paid"),
			(already_refunded, "Already refunded"),
		)
	)
	if lines_amount < 0:
		raise ValueError("The amount of the cancelled lines cannot be negative.")
	return to_cents(max(ZERO, min(lines_amount, advance_paid - already_refunded)))
