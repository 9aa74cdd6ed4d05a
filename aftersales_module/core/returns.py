"""Arithmetic of customer return requests: returnable quantities, refunds, receiving checks, review routing.

Framework-free: money and quantities are `Decimal`; impossible input raises `ValueError`.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from aftersales_module.core.enums import ReasonCategory, ShippingPayer
from aftersales_module.core.messages import Amount, Message, listing

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")

QUALITY_INSPECTION = "Quality Inspection"
SALES_APPROVAL = "Sales Approval"

SHORT = "short"
OVER = "over"
DAMAGED = "damaged"


def to_cents(amount: Decimal) -> Decimal:
	return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value, what: str) -> Decimal:
	# Frappe hands Float/Currency fields over as floats; going through str keeps 0.1 from becoming 0.1000000000000000055...
	number = value if isinstance(value, Decimal) else Decimal(str(value))
	if not number.is_finite():
		raise ValueError(f"{what} must be a finite number, got {value!r}.")
	return number


def _non_negative(value, what: str) -> Decimal:
	number = _decimal(value, what)
	if number < 0:
		raise ValueError(f"{what} cannot be negative, got {number}.")
	return number


def _money(value, what: str) -> Decimal:
	return to_cents(_non_negative(value, what))


def _qty_text(qty: Decimal) -> str:
	return format(qty.normalize(), "f")


def _money_text(amount: Decimal) -> Amount:
	return Amount(to_cents(amount))


# ---- returnable quantity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SoldLine:
	"""One Sales Invoice Item row as seen by a new return request.

	`reserved_qty` is what OTHER open (submitted, not yet credited) return requests already claim.
	"""

	line_id: str
	item_code: str
	sold_qty: Decimal
	rate: Decimal
	returned_qty: Decimal
	reserved_qty: Decimal

	def __post_init__(self):
		for name in ("sold_qty", "rate", "returned_qty", "reserved_qty"):
			object.__setattr__(self, name, _non_negative(getattr(self, name), f"{self.line_id} {name}"))


def returnable_qty(line: SoldLine) -> Decimal:
	# A manual credit note can exceed what the request system knew of; never report a negative room.
	return max(ZERO, line.sold_qty - line.returned_qty - line.reserved_qty)


def returnable_amount(line: SoldLine) -> Decimal:
	return to_cents(returnable_qty(line) * line.rate)


@dataclass(frozen=True)
class OverReturn:
	line_id: str
	item_code: str
	requested_qty: Decimal
	returnable_qty: Decimal
	sold_qty: Decimal
	returned_qty: Decimal
	reserved_qty: Decimal

	@property
	def message(self) -> str:
		return (
			f"Item {self.item_code}: {_qty_text(self.requested_qty)} requested but only "
			f"{_qty_text(self.returnable_qty)} can still be returned (sold {_qty_text(self.sold_qty)}, "
			f"returned {_qty_text(self.returned_qty)}, requested elsewhere {_qty_text(self.reserved_qty)})."
		)


def sum_by_line(pairs: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
	"""Total requested qty per invoice line, in order of first appearance."""
	totals: dict[str, Decimal] = {}
	for line_id, qty in pairs:
		totals[line_id] = totals.get(line_id, ZERO) + _decimal(qty, f"Requested qty for {line_id}")
	return totals


def _index_lines(lines: Sequence[SoldLine]) -> dict[str, SoldLine]:
	by_id: dict[str, SoldLine] = {}
	for line in lines:
		if line.line_id in by_id:
			raise ValueError(f"Invoice line {line.line_id} is listed twice.")
		by_id[line.line_id] = line
	return by_id


def find_over_returns(lines: Sequence[SoldLine], requested: Mapping[str, Decimal]) -> list[OverReturn]:
	"""Lines where this request asks for more than can still be returned, in the order of `requested`."""
	by_id = _index_lines(lines)
	over_returns = []
	for line_id, raw_qty in requested.items():
		qty = _decimal(raw_qty, f"Requested qty for {line_id}")
		if line_id not in by_id:
			raise ValueError(f"Invoice line {line_id} is not on the original invoice(s).")
		line = by_id[line_id]
		if qty <= 0:
			raise ValueError(f"Item {line.item_code}: requested qty must be positive, got {_qty_text(qty)}.")
		room = returnable_qty(line)
		if qty > room:
			over_returns.append(
				OverReturn(
					line_id=line_id,
					item_code=line.item_code,
					requested_qty=qty,
					returnable_qty=room,
					sold_qty=line.sold_qty,
					returned_qty=line.returned_qty,
					reserved_qty=line.reserved_qty,
				)
			)
	return over_returns


# ---- approved amount -----------------------------------------------------------------------------------


def approved_amount(lines: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
	"""Sum of qty * rate over (qty, rate) pairs, each line rounded to cents as on the credit note."""
	return sum(
		(to_cents(_non_negative(qty, "Approved qty") * _non_negative(rate, "Rate")) for qty, rate in lines),
		ZERO.quantize(CENT),
	)


# ---- refund --------------------------------------------------------------------------------------------


def split_shipping(cost: Decimal, payer: ShippingPayer) -> tuple[Decimal, Decimal]:
	"""(customer part, company part) of the return shipping; the two sum exactly to `cost` in cents.

	On SPLIT the customer's half is rounded down, so an odd cent falls to the company.
	"""
	cost = _money(cost, "Shipping cost")
	payer = ShippingPayer(payer)
	if payer is ShippingPayer.COMPANY:
		customer_part = ZERO.quantize(CENT)
	elif payer is ShippingPayer.CUSTOMER:
		customer_part = cost
	else:
		customer_part = (cost / 2).quantize(CENT, rounding=ROUND_DOWN)
	return customer_part, cost - customer_part


@dataclass(frozen=True)
class RefundTerms:
	"""Inputs of a refund. Money fields are held rounded to cents."""

	goods_amount: Decimal
	depreciation_percent: Decimal
	handling_fee: Decimal
	shipping_cost: Decimal
	shipping_payer: ShippingPayer
	paid_amount: Decimal

	def __post_init__(self):
		for name in ("goods_amount", "handling_fee", "shipping_cost", "paid_amount"):
			object.__setattr__(self, name, _money(getattr(self, name), name.replace("_", " ").capitalize()))
		percent = _non_negative(self.depreciation_percent, "Depreciation percent")
		if percent > HUNDRED:
			raise ValueError(f"Depreciation percent cannot exceed 100, got {percent}.")
		object.__setattr__(self, "depreciation_percent", percent)
		object.__setattr__(self, "shipping_payer", ShippingPayer(self.shipping_payer))


@dataclass(frozen=True)
class RefundBreakdown:
	"""How a refund was reached. All amounts are in cents.

	Deductions are taken from the goods amount in the order depreciation, handling fee, customer's
	shipping share, each limited to what the earlier ones left, so they never exceed the goods amount.

	- `handling_fee` and `customer_shipping` are the parts actually deducted from the refund.
	- `company_shipping` is the company's share under the shipping payer rule (an expense, not deducted).
	- `uncollected_shipping` is the customer's share that could not be deducted because the goods ran out;
	  it is neither deducted nor moved into `company_shipping`.
	- Always: customer_shipping + uncollected_shipping + company_shipping == shipping cost.
	- Always: refund_amount <= goods_amount and refund_amount <= paid amount.
	- Unless `capped_to_paid`: depreciation + handling_fee + customer_shipping + refund_amount == goods_amount.
	  When capped, the refund is cut to what the customer actually paid, so that sum falls short of goods_amount.
	"""

	goods_amount: Decimal
	depreciation: Decimal
	handling_fee: Decimal
	customer_shipping: Decimal
	company_shipping: Decimal
	uncollected_shipping: Decimal
	refund_amount: Decimal
	capped_to_paid: bool
	rule: str

	@property
	def total_deductions(self) -> Decimal:
		return self.depreciation + self.handling_fee + self.customer_shipping


def compute_refund(terms: RefundTerms) -> RefundBreakdown:
	goods = terms.goods_amount
	depreciation = to_cents(goods * terms.depreciation_percent / HUNDRED)
	left = goods - depreciation
	handling_fee = min(terms.handling_fee, left)
	left -= handling_fee
	customer_share, company_shipping = split_shipping(terms.shipping_cost, terms.shipping_payer)
	customer_shipping = min(customer_share, left)
	left -= customer_shipping
	refund = min(left, terms.paid_amount)
	return RefundBreakdown(
		goods_amount=goods,
		depreciation=depreciation,
		handling_fee=handling_fee,
		customer_shipping=customer_shipping,
		company_shipping=company_shipping,
		uncollected_shipping=customer_share - customer_shipping,
		refund_amount=refund,
		capped_to_paid=refund < left,
		rule=_refund_rule(terms, depreciation, handling_fee, customer_shipping, customer_share, left),
	)


def _refund_rule(
	terms: RefundTerms,
	depreciation: Decimal,
	handling_fee: Decimal,
	customer_shipping: Decimal,
	customer_share: Decimal,
	computed_refund: Decimal,
) -> Message:
	"""The refund explained in one sentence, built of translatable parts."""
	deductions = [
		(
			depreciation,
			Message(
				"depreciation {0} ({1}%)", _money_text(depreciation), _qty_text(terms.depreciation_percent)
			),
		),
		(handling_fee, Message("handling fee {0}", _money_text(handling_fee))),
		(customer_shipping, Message("the customer's shipping share {0}", _money_text(customer_shipping))),
	]
	named = [text for amount, text in deductions if amount > 0]
	goods = _money_text(terms.goods_amount)
	if named:
		sentence = Message(
			"Goods amount {0} less {1} leaves a refund of {2}",
			goods,
			listing(named),
			_money_text(computed_refund),
		)
	else:
		sentence = Message("No deductions apply, so the refund is the full goods amount {0}", goods)

	uncharged = []
	if terms.handling_fee > handling_fee:
		uncharged.append(Message("{0} of the handling fee", _money_text(terms.handling_fee - handling_fee)))
	if customer_share > customer_shipping:
		uncharged.append(
			Message("{0} of the customer's shipping share", _money_text(customer_share - customer_shipping))
		)
	if uncharged:
		sentence = Message(
			"{0}; deductions are limited to the goods amount, so {1} is not charged",
			sentence,
			listing(uncharged),
		)

	if terms.paid_amount < computed_refund:
		sentence = Message(
			"{0}; the refund is capped at the {1} the customer actually paid",
			sentence,
			_money_text(terms.paid_amount),
		)
	return Message("{0}.", sentence)


# ---- receiving -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedLine:
	line_key: str
	item_code: str
	approved_qty: Decimal
	received_qty: Decimal
	condition_ok: bool

	def __post_init__(self):
		for name in ("approved_qty", "received_qty"):
			object.__setattr__(self, name, _non_negative(getattr(self, name), f"{self.line_key} {name}"))


@dataclass(frozen=True)
class Discrepancy:
	"""`kind` is SHORT, OVER or DAMAGED; a line can be both short and damaged."""

	line_key: str
	item_code: str
	kind: str
	approved_qty: Decimal
	received_qty: Decimal

	@property
	def message(self) -> str:
		approved, received = _qty_text(self.approved_qty), _qty_text(self.received_qty)
		if self.kind == SHORT:
			return Message(
				"Item {0}: {1} approved for return but only {2} received.", self.item_code, approved, received
			)
		if self.kind == OVER:
			return Message(
				"Item {0}: {1} received but only {2} approved for return.", self.item_code, received, approved
			)
		return Message(
			"Item {0}: the {1} received are not in acceptable condition.", self.item_code, received
		)


def find_discrepancies(lines: Iterable[ReceivedLine]) -> list[Discrepancy]:
	found = []
	for line in lines:
		kinds = []
		if line.received_qty < line.approved_qty:
			kinds.append(SHORT)
		elif line.received_qty > line.approved_qty:
			kinds.append(OVER)
		# Nothing received cannot be in bad condition; that line is only short.
		if not line.condition_ok and line.received_qty > 0:
			kinds.append(DAMAGED)
		found.extend(
			Discrepancy(line.line_key, line.item_code, kind, line.approved_qty, line.received_qty)
			for kind in kinds
		)
	return found


# ---- review routing ------------------------------------------------------------------------------------


def review_stage(reason: ReasonCategory) -> str:
	return QUALITY_INSPECTION if ReasonCategory(reason).needs_quality_inspection else SALES_APPROVAL
