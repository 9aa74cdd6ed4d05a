"""What ERPNext posts on a credit note whose deductions are a discount, worked out before it is made.

Framework-free. The case prices goods at the invoice lines' net rates (before tax), and its deductions
(depreciation, handling fee, the customer's shipping share) are a discount on the credit note's Net
Total: each tax is charged on what is left, so the tax reversed is the tax on what is credited, whether
the invoice adds its taxes on top of the price or includes them in it.

This mirrors ERPNext's `taxes_and_totals` step by step (the items' net amounts taken out of
tax-inclusive prices, the discount spread over the items with its rounding carried, each tax row
rounded once, an inclusive invoice's grand total kept at its prices within a few cents) for tax rows
charged "On Net Total", so the case can show the figures before the credit note exists. Amounts are
magnitudes in cents; the credit note holds them negative.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from aftersales_module.core.messages import Message
from aftersales_module.core.returns import CENT, HUNDRED, ZERO

NET_TOTAL = "Net Total"
# ERPNext keeps an inclusive invoice's grand total at the sum of its prices when taxes round apart by
# up to this much.
INCLUSIVE_ROUNDING_ALLOWANCE = Decimal("0.05")


@dataclass(frozen=True)
class TaxRow:
	"""One "On Net Total" row of the invoice's taxes."""

	account: str
	rate: Decimal
	included: bool = False


@dataclass(frozen=True)
class TaxedLine:
	"""A credited line: its amount as the invoice prices it (tax included when the taxes are), the
	rate of each tax row on it (an item tax template may set its own) and, when the invoice took a
	discount of its own, the net it charged for the line after that discount."""

	amount: Decimal
	rates: tuple[Decimal, ...]
	net: Decimal | None = None


@dataclass(frozen=True)
class CreditTotals:
	goods: Decimal
	deductions: Decimal
	net: Decimal
	taxes: tuple[Decimal, ...]
	grand_total: Decimal
	taxes_included: bool
	# The note's discount: the invoice's own discount on these lines and the deductions.
	discount: Decimal = ZERO

	@property
	def tax(self) -> Decimal:
		return sum(self.taxes, ZERO.quantize(CENT))

	apply_discount_on = NET_TOTAL


def taxes_included(rows: Sequence[TaxRow]) -> bool:
	if len({row.included for row in rows}) > 1:
		raise ValueError(
			Message(
				"The invoice mixes taxes included in the price with taxes added on top; credit it by hand."
			)
		)
	return bool(rows) and rows[0].included


def credit_totals(
	lines: Sequence[TaxedLine],
	rows: Sequence[TaxRow],
	deductions: Decimal,
	rounding: str = ROUND_HALF_EVEN,
) -> CreditTotals:
	"""The goods (net of tax), taxable net, tax per row and grand total of a credit note taking
	`deductions` off its Net Total."""

	def cents(amount: Decimal) -> Decimal:
		return amount.quantize(CENT, rounding=rounding)

	included = taxes_included(rows)
	amounts = [Decimal(line.amount) for line in lines]
	deductions = Decimal(deductions)
	if deductions < 0 or any(amount < 0 for amount in amounts):
		raise ValueError("Goods and deductions on a credit note cannot be negative.")
	for line in lines:
		if len(line.rates) != len(rows):
			raise ValueError("Every credited line needs a rate for each tax row.")

	priced_nets = [
		cents(amount / (1 + sum(line.rates, ZERO) / HUNDRED)) if included else amount
		for line, amount in zip(lines, amounts, strict=True)
	]
	charged = [
		priced if line.net is None else Decimal(line.net)
		for line, priced in zip(lines, priced_nets, strict=True)
	]
	goods = sum(charged, ZERO.quantize(CENT))
	if deductions > goods:
		raise ValueError(Message("Deductions of {0} exceed the {1} being credited.", deductions, goods))
	# The invoice's own discount on these lines is given back as it was taken, with the deductions.
	discount = sum(priced_nets, ZERO) - goods + deductions
	nets = priced_nets
	if discount and sum(priced_nets, ZERO):
		nets = spread_discount(priced_nets, discount, sum(priced_nets, ZERO), cents)
	net = sum(nets, ZERO.quantize(CENT))
	taxes = tuple(
		cents(sum((line.rates[k] / HUNDRED * each for line, each in zip(lines, nets, strict=True)), ZERO))
		for k in range(len(rows))
	)
	grand_total = net + sum(taxes, ZERO)
	if included:
		# ERPNext moves an inclusive note's grand total onto its prices when they differ by a few cents.
		difference = cents(sum(amounts, ZERO) - grand_total - discount)
		if abs(difference) <= INCLUSIVE_ROUNDING_ALLOWANCE:
			grand_total += difference
	return CreditTotals(
		goods, deductions.quantize(CENT), net, taxes, grand_total, included, discount.quantize(CENT)
	)


def spread_discount(nets: list[Decimal], discount: Decimal, base: Decimal, cents) -> list[Decimal]:
	"""Each item's net less its share of the discount, the rounding carried to the next item."""
	expected = running = ZERO
	spread = []
	for net in nets:
		adjusted = net - discount * net / base
		expected += adjusted
		new_net = cents(adjusted)
		running += new_net
		carried = cents(expected - running)
		if carried:
			new_net += carried
			running += carried
		spread.append(new_net)
	return spread
