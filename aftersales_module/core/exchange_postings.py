"""Posting plans for exchanges and repairs: goods that move without touching revenue (SPEC §2).

- Exchange for the same item, return first: the customer's unit enters the consignment-repair
  warehouse at quantity only (zero valuation); the unit sent back leaves it the same way.
- Repair of a market return: the same, through the repair virtual warehouse.
- Exchange for a different item: the returned goods enter the return warehouse at the cost they
  left with; the replacement leaves a sellable warehouse at its cost, without price; only a price
  difference between the two is invoiced or credited.

Framework-free; quantities and money are `Decimal`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from aftersales_module.core.enums import RequestType
from aftersales_module.core.returns import ZERO, _non_negative, to_cents

CONSIGNMENT_REPAIR_IN = "Consignment Repair In"
REPAIR_DONE_SHIPPED = "Repair Done, Shipped"
EXCHANGE_GOODS_IN = "Exchange Goods In"
EXCHANGE_GOODS_OUT = "Exchange Goods Out"

# Stock Entry Types this app adds, with the ERPNext purpose each one posts as.
STOCK_ENTRY_TYPES = {
	CONSIGNMENT_REPAIR_IN: "Material Receipt",
	REPAIR_DONE_SHIPPED: "Material Issue",
	EXCHANGE_GOODS_IN: "Material Receipt",
	EXCHANGE_GOODS_OUT: "Material Issue",
}

EXCHANGE_TYPES = (RequestType.EXCHANGE_SAME_ITEM, RequestType.EXCHANGE_DIFFERENT_ITEM, RequestType.REPAIR)


@dataclass(frozen=True)
class ExchangeWarehouses:
	returns: str
	consignment_repair: str
	repair_virtual: str


@dataclass(frozen=True)
class ExchangeLine:
	"""A received line of an exchange or repair case.

	`unit_cost` is the valuation per unit the goods left with when sold; `sold_rate` is their selling
	price. The replacement fields say what is shipped back.
	"""

	line_key: str
	item_code: str
	qty: Decimal
	sold_rate: Decimal
	unit_cost: Decimal
	serial_no: str | None = None
	replacement_item: str | None = None
	replacement_rate: Decimal | None = None
	replacement_warehouse: str | None = None
	replacement_serial_no: str | None = None


@dataclass(frozen=True)
class StockLeg:
	"""One line of a Stock Entry. `valuation_rate` 0 means quantity only (zero valuation, no GL);
	None means at the warehouse's current valuation."""

	line_key: str
	item_code: str
	qty: Decimal
	warehouse: str
	valuation_rate: Decimal | None
	serial_no: str | None

	@property
	def quantity_only(self) -> bool:
		return self.valuation_rate is not None and self.valuation_rate == 0


@dataclass(frozen=True)
class ExchangePlan:
	goods_in_type: str
	goods_in: tuple[StockLeg, ...]
	goods_out_type: str
	goods_out: tuple[StockLeg, ...]
	price_difference: Decimal

	@property
	def valued(self) -> bool:
		return not all(leg.quantity_only for leg in self.goods_in)


def plan_exchange(
	request_type: RequestType, lines: Sequence[ExchangeLine], warehouses: ExchangeWarehouses
) -> ExchangePlan:
	request_type = RequestType(request_type)
	if request_type not in EXCHANGE_TYPES:
		raise ValueError(f"A {request_type} request is not an exchange or a repair.")
	if not lines:
		raise ValueError("Nothing was received to exchange or repair.")
	for line in lines:
		if Decimal(str(line.qty)) <= 0:
			raise ValueError(f"Item {line.item_code}: nothing was received to exchange or repair.")
		for name in ("qty", "sold_rate", "unit_cost"):
			_non_negative(getattr(line, name), f"Item {line.item_code} {name}")

	if request_type is RequestType.EXCHANGE_DIFFERENT_ITEM:
		return _plan_different_item(lines, warehouses.returns)
	pool = (
		warehouses.consignment_repair
		if request_type is RequestType.EXCHANGE_SAME_ITEM
		else warehouses.repair_virtual
	)
	return _plan_same_unit_pool(lines, pool)


def _plan_same_unit_pool(lines: Sequence[ExchangeLine], pool: str) -> ExchangePlan:
	goods_in, goods_out = [], []
	for line in lines:
		if line.replacement_item and line.replacement_item != line.item_code:
			raise ValueError(
				f"Item {line.item_code}: a same-item exchange or repair sends back {line.item_code}, "
				f"not {line.replacement_item}; use an exchange for a different item."
			)
		qty = Decimal(line.qty)
		goods_in.append(StockLeg(line.line_key, line.item_code, qty, pool, ZERO, line.serial_no))
		goods_out.append(
			StockLeg(
				line.line_key, line.item_code, qty, pool, ZERO, line.replacement_serial_no or line.serial_no
			)
		)
	return ExchangePlan(CONSIGNMENT_REPAIR_IN, tuple(goods_in), REPAIR_DONE_SHIPPED, tuple(goods_out), ZERO)


def _plan_different_item(lines: Sequence[ExchangeLine], returns: str) -> ExchangePlan:
	goods_in, goods_out = [], []
	difference = ZERO
	for line in lines:
		if not line.replacement_item:
			raise ValueError(f"Item {line.item_code}: choose the item to ship in exchange.")
		if not line.replacement_warehouse:
			raise ValueError(f"Item {line.item_code}: choose the warehouse the replacement ships from.")
		if Decimal(str(line.unit_cost)) <= 0:
			raise ValueError(
				f"Item {line.item_code}: its cost when sold is not known, so it cannot come back at cost."
			)
		if line.replacement_rate is None or Decimal(str(line.replacement_rate)) < 0:
			raise ValueError(f"Item {line.item_code}: enter the selling price of {line.replacement_item}.")
		qty = Decimal(line.qty)
		goods_in.append(
			StockLeg(line.line_key, line.item_code, qty, returns, Decimal(line.unit_cost), line.serial_no)
		)
		goods_out.append(
			StockLeg(
				line.line_key,
				line.replacement_item,
				qty,
				line.replacement_warehouse,
				None,
				line.replacement_serial_no,
			)
		)
		difference += to_cents(qty * Decimal(line.replacement_rate)) - to_cents(qty * Decimal(line.sold_rate))
	return ExchangePlan(EXCHANGE_GOODS_IN, tuple(goods_in), EXCHANGE_GOODS_OUT, tuple(goods_out), difference)
