"""Posting plans for return requests: which documents move which goods and money.

Framework-free. Controllers turn these plans into Sales Invoice returns, Delivery
Note returns, Stock Entries and Payment Entries; amounts are `Decimal` in cents.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

from aftersales_module.core.credit_notes import CreditTotals, TaxedLine, TaxRow, credit_totals
from aftersales_module.core.enums import Disposition
from aftersales_module.core.messages import Message
from aftersales_module.core.returns import CENT, ZERO, RefundBreakdown, to_cents

SALES_INVOICE_RETURN = "Sales Invoice"
DELIVERY_NOTE_RETURN = "Delivery Note"

MATERIAL_TRANSFER = "Material Transfer"
MATERIAL_ISSUE = "Material Issue"


def goods_in_voucher(invoice_updates_stock: bool, delivered_by_note: bool) -> str | None:
	"""The document that takes returned goods back into stock, or None when nothing left the warehouse.

	The return must reverse the document that moved the stock out, so that it comes back at the
	valuation it left with: an invoice that updated stock is returned with a stock-updating credit
	note; goods delivered by a Delivery Note come back with a Delivery Note return.
	"""
	if invoice_updates_stock:
		return SALES_INVOICE_RETURN
	if delivered_by_note:
		return DELIVERY_NOTE_RETURN
	return None


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
	"""Split `total` cents over `weights` proportionally; the parts sum exactly to `total`.

	Largest remainder: each part is its proportional share rounded down to a cent, and the cents left
	over go to the largest fractions (earlier lines first on ties). Weights are amounts in cents; then
	a part never exceeds its weight when `total` does not exceed the sum of the weights.
	"""
	total = to_cents(Decimal(total))
	weights = [Decimal(weight) for weight in weights]
	if total < 0 or any(weight < 0 for weight in weights):
		raise ValueError("Amounts to allocate and their weights cannot be negative.")
	if not total:
		return [ZERO.quantize(CENT) for _ in weights]
	weight_sum = sum(weights, ZERO)
	if not weight_sum:
		raise ValueError(f"Cannot allocate {total} over lines that weigh nothing.")

	exact = [total * weight / weight_sum for weight in weights]
	parts = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
	left_over = int((total - sum(parts, ZERO)) / CENT)
	by_fraction = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
	for i in by_fraction[:left_over]:
		parts[i] += CENT
	return parts


@dataclass(frozen=True)
class CreditLine:
	line_key: str
	sales_invoice: str
	invoice_line: str
	qty: Decimal
	rate: Decimal
	# The rate of each of the invoice's tax rows on this line; none: the rows' own rates.
	tax_rates: tuple[Decimal, ...] = ()
	# The line's price on the invoice when it is not `rate`, the net rate: its taxes are included in it,
	# or the invoice took a discount of its own (`discounted`), which `rate` is after.
	price: Decimal | None = None
	discounted: bool = False
	# The invoice line's net amount and units, and its units credited before this one, when known: what
	# a discounted invoice charged is the line's net amount, not its rounded net rate times the units.
	line_net: Decimal | None = None
	line_qty: Decimal | None = None
	credited_before: Decimal = ZERO

	@property
	def amount(self) -> Decimal:
		return to_cents(Decimal(self.qty) * Decimal(self.rate))

	@property
	def charged(self) -> Decimal:
		"""What the invoice charged for these units after its own discount: the line's net amount shared
		over its units with the rounding carried from the units credited before, so that every unit
		credited, over however many notes, adds up to the line's net amount."""
		if self.line_net is None or not self.line_qty:
			return self.amount

		def units_share(units: Decimal) -> Decimal:
			return to_cents(
				Decimal(self.line_net) * min(units, Decimal(self.line_qty)) / Decimal(self.line_qty)
			)

		before = Decimal(self.credited_before)
		return units_share(before + Decimal(self.qty)) - units_share(before)

	def taxed(self, rows: Sequence[TaxRow]) -> TaxedLine:
		rates = self.tax_rates or tuple(Decimal(row.rate) for row in rows)
		priced = self.amount if self.price is None else to_cents(Decimal(self.qty) * Decimal(self.price))
		return TaxedLine(
			priced, tuple(Decimal(rate) for rate in rates), self.charged if self.discounted else None
		)


def invoice_goods(lines: Sequence[CreditLine], rows: Sequence[TaxRow], rounding: str) -> Decimal:
	"""The goods of one invoice's lines, net of tax, as ERPNext works them out on its credit note."""
	return credit_totals([line.taxed(rows) for line in lines], rows, ZERO, rounding).goods


def credit_goods(
	lines: Sequence[CreditLine],
	taxes: Mapping[str, Sequence[TaxRow]] | None = None,
	rounding: str = ROUND_HALF_EVEN,
) -> Decimal:
	"""The goods a case credits, net of tax: what its deductions are worked out on."""
	by_invoice: dict[str, list[CreditLine]] = {}
	for line in lines:
		by_invoice.setdefault(line.sales_invoice, []).append(line)
	return sum(
		(
			invoice_goods(group, (taxes or {}).get(invoice, ()), rounding)
			for invoice, group in by_invoice.items()
		),
		ZERO.quantize(CENT),
	)


@dataclass(frozen=True)
class CreditNotePlan:
	"""One credit note against one original invoice.

	`depreciation`, `handling_fee` and `customer_shipping` are deductions taken off the goods as the
	invoice prices them, as a discount, so `totals` carries the tax on what is credited; `credit_amount`
	is what the customer is credited on this note, taxes included.
	"""

	sales_invoice: str
	lines: tuple[CreditLine, ...]
	depreciation: Decimal
	handling_fee: Decimal
	customer_shipping: Decimal
	tax_rows: tuple[TaxRow, ...] = ()
	rounding: str = ROUND_HALF_EVEN

	@property
	def goods_amount(self) -> Decimal:
		return invoice_goods(self.lines, self.tax_rows, self.rounding)

	@property
	def deductions(self) -> Decimal:
		return self.depreciation + self.handling_fee + self.customer_shipping

	@property
	def totals(self) -> CreditTotals:
		return credit_totals(
			[line.taxed(self.tax_rows) for line in self.lines], self.tax_rows, self.deductions, self.rounding
		)

	@property
	def credit_amount(self) -> Decimal:
		return self.totals.grand_total


def plan_credit_notes(
	lines: Sequence[CreditLine],
	breakdown: RefundBreakdown,
	taxes: Mapping[str, Sequence[TaxRow]] | None = None,
	rounding: str = ROUND_HALF_EVEN,
) -> list[CreditNotePlan]:
	"""One credit note per original invoice, with the case's deductions shared by goods amount.

	Deductions are shared in the order the refund takes them (depreciation, handling fee, shipping),
	each over what the earlier ones left on every invoice, so no note is ever credited below zero and
	each kind sums exactly to the case's figure. `taxes` are each invoice's tax rows; `rounding` is how
	the site rounds (ERPNext's rounding method).
	"""
	by_invoice: dict[str, list[CreditLine]] = {}
	for line in lines:
		by_invoice.setdefault(line.sales_invoice, []).append(line)
	invoices = list(by_invoice)
	taxes = taxes or {}
	room = [invoice_goods(by_invoice[invoice], taxes.get(invoice, ()), rounding) for invoice in invoices]
	if breakdown.total_deductions > sum(room, ZERO):
		raise ValueError(
			Message(
				"Deductions of {0} exceed the {1} being credited.",
				breakdown.total_deductions,
				sum(room, ZERO),
			)
		)

	shares = {}
	for kind in ("depreciation", "handling_fee", "customer_shipping"):
		shares[kind] = (
			allocate(getattr(breakdown, kind), room) if any(room) else [ZERO.quantize(CENT)] * len(room)
		)
		room = [left - share for left, share in zip(room, shares[kind], strict=True)]

	return [
		CreditNotePlan(
			sales_invoice=invoice,
			lines=tuple(by_invoice[invoice]),
			depreciation=shares["depreciation"][i],
			handling_fee=shares["handling_fee"][i],
			customer_shipping=shares["customer_shipping"][i],
			tax_rows=tuple(taxes.get(invoice, ())),
			rounding=rounding,
		)
		for i, invoice in enumerate(invoices)
	]


@dataclass(frozen=True)
class CaseCredit:
	"""What a case's credit notes post together: the figures the case and its Return Slip show."""

	goods: Decimal
	deductions: Decimal
	net: Decimal
	tax: Decimal
	credit: Decimal
	taxes_included: bool


def case_credit(plans: Sequence[CreditNotePlan]) -> CaseCredit:
	totals = [plan.totals for plan in plans]

	def total(name: str) -> Decimal:
		return sum((getattr(each, name) for each in totals), ZERO.quantize(CENT))

	return CaseCredit(
		goods=total("goods"),
		deductions=total("deductions"),
		net=total("net"),
		tax=total("tax"),
		credit=total("grand_total"),
		taxes_included=any(each.taxes_included for each in totals),
	)


def refund_to_pay(credit_amount: Decimal, paid_on_invoice: Decimal, already_refunded: Decimal) -> Decimal:
	"""Cash to pay back for a credit note: never more than the customer paid on the invoice and not
	yet got back; what is credited beyond that only lowers what the customer still owes."""
	credit_amount, paid, refunded = (
		to_cents(Decimal(v)) for v in (credit_amount, paid_on_invoice, already_refunded)
	)
	if min(credit_amount, paid, refunded) < 0:
		raise ValueError("Credit, paid and refunded amounts cannot be negative.")
	return max(ZERO.quantize(CENT), min(credit_amount, paid - refunded))


@dataclass(frozen=True)
class DispositionLine:
	line_key: str
	item_code: str
	qty: Decimal
	disposition: Disposition
	target_warehouse: str | None = None


@dataclass(frozen=True)
class StockMove:
	line_key: str
	item_code: str
	qty: Decimal
	source_warehouse: str
	target_warehouse: str | None


@dataclass(frozen=True)
class DispositionPlan:
	"""Restocked lines move by one Material Transfer; scrapped lines leave by one Material Issue
	charged to the scrap account; rework and return-to-supplier lines stay in the return warehouse."""

	transfers: tuple[StockMove, ...] = ()
	issues: tuple[StockMove, ...] = ()
	staying: tuple[DispositionLine, ...] = ()
	needs_manager_approval: bool = field(default=False)


def plan_dispositions(lines: Sequence[DispositionLine], return_warehouse: str) -> DispositionPlan:
	transfers, issues, staying = [], [], []
	for line in lines:
		disposition = Disposition(line.disposition)
		qty = Decimal(line.qty)
		if qty <= 0:
			raise ValueError(f"Item {line.item_code}: nothing was received to dispose of.")
		if disposition is Disposition.RESTOCK:
			if not line.target_warehouse:
				raise ValueError(f"Item {line.item_code}: choose the warehouse to restock into.")
			if line.target_warehouse == return_warehouse:
				raise ValueError(
					f"Item {line.item_code}: restocking must move the goods out of the return warehouse."
				)
			transfers.append(
				StockMove(line.line_key, line.item_code, qty, return_warehouse, line.target_warehouse)
			)
		elif disposition is Disposition.SCRAP:
			issues.append(StockMove(line.line_key, line.item_code, qty, return_warehouse, None))
		else:
			staying.append(line)
	return DispositionPlan(
		tuple(transfers), tuple(issues), tuple(staying), needs_manager_approval=bool(issues)
	)
