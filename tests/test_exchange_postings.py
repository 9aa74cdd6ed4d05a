from dataclasses import FrozenInstanceError, replace
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.enums import RequestType
from aftersales_module.core.exchange_postings import (
	CONSIGNMENT_REPAIR_IN,
	EXCHANGE_GOODS_IN,
	EXCHANGE_GOODS_OUT,
	EXCHANGE_TYPES,
	REPAIR_DONE_SHIPPED,
	STOCK_ENTRY_TYPES,
	ExchangeLine,
	ExchangePlan,
	ExchangeWarehouses,
	StockLeg,
	plan_exchange,
)

FAST = settings(max_examples=200, deadline=None)

RETURNS_WH = "Returns - AC"
CONSIGNMENT_WH = "Consignment Repair - AC"
REPAIR_WH = "Repair Virtual - AC"
STORES_WH = "Stores - AC"
WAREHOUSES = ExchangeWarehouses(
	returns=RETURNS_WH, consignment_repair=CONSIGNMENT_WH, repair_virtual=REPAIR_WH
)

SAME_UNIT_POOLS = {RequestType.EXCHANGE_SAME_ITEM: CONSIGNMENT_WH, RequestType.REPAIR: REPAIR_WH}
REFUND_TYPES = [RequestType.REFUND_ONLY, RequestType.RETURN_AND_REFUND]
RECEIPT = "Material Receipt"
ISSUE = "Material Issue"

quantities = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value="0.001", max_value=1000)
rates = st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=0, max_value=10**5)
whole_qty = st.integers(min_value=1, max_value=1000).map(D)
cent_rates = st.integers(min_value=0, max_value=10**7).map(lambda c: D(c).scaleb(-2))
serials = st.one_of(st.none(), st.just(""), st.text(alphabet="ABCDEF0123456789", min_size=1, max_size=8))


def cents(amount: D) -> D:
	# Independent of the module under test: half-up to the cent, as a credit note or invoice rounds.
	return amount.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def is_cents(amount: D) -> bool:
	return amount.as_tuple().exponent == -2


def line(
	key="L1",
	item="ITEM-A",
	qty="1",
	sold_rate="100",
	unit_cost="60",
	serial_no=None,
	replacement_item=None,
	replacement_rate=None,
	replacement_warehouse=None,
	replacement_serial_no=None,
):
	return ExchangeLine(
		line_key=key,
		item_code=item,
		qty=D(qty),
		sold_rate=D(sold_rate),
		unit_cost=D(unit_cost),
		serial_no=serial_no,
		replacement_item=replacement_item,
		replacement_rate=None if replacement_rate is None else D(replacement_rate),
		replacement_warehouse=replacement_warehouse,
		replacement_serial_no=replacement_serial_no,
	)


def swap(key="L1", item="ITEM-A", qty="1", sold_rate="100", replacement_rate="120", **kwargs):
	"""A line of an exchange for a different item, with every replacement field filled in."""
	kwargs.setdefault("replacement_item", "ITEM-B")
	kwargs.setdefault("replacement_warehouse", STORES_WH)
	return line(key, item, qty, sold_rate, replacement_rate=replacement_rate, **kwargs)


def expected_difference(lines):
	return sum((cents(ln.qty * ln.replacement_rate) - cents(ln.qty * ln.sold_rate) for ln in lines), D("0"))


# ---- vocabulary ----------------------------------------------------------------------------------------


def test_exchange_types_are_the_non_refund_request_types_that_take_the_unit_first():
	assert set(EXCHANGE_TYPES) == {
		RequestType.EXCHANGE_SAME_ITEM,
		RequestType.EXCHANGE_DIFFERENT_ITEM,
		RequestType.REPAIR,
	}
	# Spare units ship before the unit comes back and reissues take nothing back: core/spare_postings.
	ships_first = {RequestType.SPARE_UNIT, RequestType.REISSUE}
	assert set(EXCHANGE_TYPES) | set(REFUND_TYPES) | ships_first == set(RequestType)
	assert not set(EXCHANGE_TYPES) & set(REFUND_TYPES)


def test_stock_entry_types_post_as_receipt_or_issue():
	assert STOCK_ENTRY_TYPES == {
		CONSIGNMENT_REPAIR_IN: RECEIPT,
		REPAIR_DONE_SHIPPED: ISSUE,
		EXCHANGE_GOODS_IN: RECEIPT,
		EXCHANGE_GOODS_OUT: ISSUE,
	}
	assert CONSIGNMENT_REPAIR_IN == "Consignment Repair In"
	assert REPAIR_DONE_SHIPPED == "Repair Done, Shipped"
	assert EXCHANGE_GOODS_IN == "Exchange Goods In"
	assert EXCHANGE_GOODS_OUT == "Exchange Goods Out"


@pytest.mark.parametrize("request_type", EXCHANGE_TYPES)
def test_every_planned_entry_type_is_registered_consistently(request_type):
	lines = [swap()] if request_type is RequestType.EXCHANGE_DIFFERENT_ITEM else [line()]
	plan = plan_exchange(request_type, lines, WAREHOUSES)
	# Goods coming in are received; goods going out are issued.
	assert STOCK_ENTRY_TYPES[plan.goods_in_type] == RECEIPT
	assert STOCK_ENTRY_TYPES[plan.goods_out_type] == ISSUE
	assert plan.goods_in_type != plan.goods_out_type


def test_warehouses_and_plans_are_frozen():
	with pytest.raises(FrozenInstanceError):
		WAREHOUSES.returns = STORES_WH
	plan = plan_exchange(RequestType.REPAIR, [line()], WAREHOUSES)
	with pytest.raises(FrozenInstanceError):
		plan.price_difference = D("1")
	with pytest.raises(FrozenInstanceError):
		plan.goods_in[0].qty = D("2")


# ---- StockLeg / ExchangePlan ---------------------------------------------------------------------------


@pytest.mark.parametrize(
	("valuation_rate", "quantity_only"),
	[(D("0"), True), (D("0.00"), True), (D("-0"), True), (None, False), (D("0.01"), False), (D("60"), False)],
)
def test_leg_is_quantity_only_only_at_zero_valuation(valuation_rate, quantity_only):
	leg = StockLeg("L1", "ITEM-A", D("1"), STORES_WH, valuation_rate, None)
	assert leg.quantity_only is quantity_only


def test_plan_is_valued_when_any_goods_in_leg_carries_a_valuation():
	free = StockLeg("L1", "ITEM-A", D("1"), CONSIGNMENT_WH, D("0"), None)
	costed = StockLeg("L2", "ITEM-A", D("1"), RETURNS_WH, D("5"), None)
	at_current = StockLeg("L3", "ITEM-B", D("1"), STORES_WH, None, None)
	assert ExchangePlan("in", (free,), "out", (at_current,), D("0")).valued is False
	assert ExchangePlan("in", (free, costed), "out", (), D("0")).valued is True
	assert ExchangePlan("in", (at_current,), "out", (), D("0")).valued is True
	# Valued or not is decided by what comes in, never by what goes out.
	assert ExchangePlan("in", (free,), "out", (costed,), D("0")).valued is False


# ---- same item / repair --------------------------------------------------------------------------------


@pytest.mark.parametrize(("request_type", "pool"), SAME_UNIT_POOLS.items())
def test_same_unit_goes_in_and_out_of_the_pool_at_zero_valuation(request_type, pool):
	plan = plan_exchange(request_type, [line(qty="2", unit_cost="60", serial_no="SN-OLD")], WAREHOUSES)
	assert plan.goods_in_type == CONSIGNMENT_REPAIR_IN
	assert plan.goods_out_type == REPAIR_DONE_SHIPPED
	assert plan.goods_in == (StockLeg("L1", "ITEM-A", D("2"), pool, D("0"), "SN-OLD"),)
	assert plan.goods_out == (StockLeg("L1", "ITEM-A", D("2"), pool, D("0"), "SN-OLD"),)
	assert all(leg.quantity_only for leg in plan.goods_in + plan.goods_out)
	assert plan.price_difference == 0
	assert plan.valued is False


def test_same_item_exchange_uses_the_consignment_repair_warehouse():
	plan = plan_exchange(RequestType.EXCHANGE_SAME_ITEM, [line()], WAREHOUSES)
	assert {leg.warehouse for leg in plan.goods_in + plan.goods_out} == {CONSIGNMENT_WH}


def test_repair_uses_the_repair_virtual_warehouse():
	plan = plan_exchange(RequestType.REPAIR, [line()], WAREHOUSES)
	assert {leg.warehouse for leg in plan.goods_in + plan.goods_out} == {REPAIR_WH}


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
def test_same_unit_ships_the_replacement_serial(request_type):
	plan = plan_exchange(request_type, [line(serial_no="SN-OLD", replacement_serial_no="SN-NEW")], WAREHOUSES)
	assert plan.goods_in[0].serial_no == "SN-OLD"
	assert plan.goods_out[0].serial_no == "SN-NEW"


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
@pytest.mark.parametrize("replacement_serial", [None, ""])
def test_same_unit_ships_the_customers_serial_without_a_replacement_serial(request_type, replacement_serial):
	plan = plan_exchange(
		request_type, [line(serial_no="SN-OLD", replacement_serial_no=replacement_serial)], WAREHOUSES
	)
	assert plan.goods_out[0].serial_no == "SN-OLD"


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
def test_same_unit_without_any_serial_ships_none(request_type):
	plan = plan_exchange(request_type, [line()], WAREHOUSES)
	assert plan.goods_in[0].serial_no is None
	assert plan.goods_out[0].serial_no is None


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
def test_same_unit_ignores_cost_price_and_replacement_warehouse(request_type):
	# Nothing is valued and nothing is invoiced, whatever the line says about money.
	plan = plan_exchange(
		request_type,
		[
			line(
				sold_rate="99.99",
				unit_cost="42.5",
				replacement_item="ITEM-A",
				replacement_rate="150",
				replacement_warehouse=STORES_WH,
			)
		],
		WAREHOUSES,
	)
	assert plan.goods_out[0].warehouse == SAME_UNIT_POOLS[request_type]
	assert plan.goods_out[0].item_code == "ITEM-A"
	assert plan.goods_in[0].valuation_rate == plan.goods_out[0].valuation_rate == 0
	assert plan.price_difference == 0


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
@pytest.mark.parametrize("replacement_item", [None, "", "ITEM-A"])
def test_same_unit_accepts_no_replacement_item_or_the_same_one(request_type, replacement_item):
	plan = plan_exchange(request_type, [line(replacement_item=replacement_item)], WAREHOUSES)
	assert [leg.item_code for leg in plan.goods_out] == ["ITEM-A"]


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
def test_same_unit_rejects_a_different_replacement_item(request_type):
	with pytest.raises(ValueError, match="ITEM-B") as raised:
		plan_exchange(request_type, [line(replacement_item="ITEM-B")], WAREHOUSES)
	assert "exchange for a different item" in str(raised.value)


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
def test_same_unit_rejects_a_different_replacement_item_on_any_line(request_type):
	lines = [line(key="ok"), line(key="bad", item="ITEM-C", replacement_item="ITEM-D")]
	with pytest.raises(ValueError, match="ITEM-D"):
		plan_exchange(request_type, lines, WAREHOUSES)


@pytest.mark.parametrize("request_type", SAME_UNIT_POOLS)
def test_same_unit_keeps_lines_in_order(request_type):
	lines = [
		line(key="b", item="ITEM-B", qty="1", serial_no="SN-1"),
		line(key="a", item="ITEM-A", qty="0.5"),
		line(key="c", item="ITEM-B", qty="3", serial_no="SN-3", replacement_serial_no="SN-9"),
	]
	plan = plan_exchange(request_type, lines, WAREHOUSES)
	assert [(leg.line_key, leg.item_code, leg.qty) for leg in plan.goods_in] == [
		("b", "ITEM-B", D("1")),
		("a", "ITEM-A", D("0.5")),
		("c", "ITEM-B", D("3")),
	]
	assert [leg.serial_no for leg in plan.goods_in] == ["SN-1", None, "SN-3"]
	assert [leg.serial_no for leg in plan.goods_out] == ["SN-1", None, "SN-9"]


# ---- different item ------------------------------------------------------------------------------------


def test_different_item_enters_returns_at_cost_and_ships_replacement_at_current_valuation():
	plan = plan_exchange(
		RequestType.EXCHANGE_DIFFERENT_ITEM,
		[
			swap(
				qty="2",
				sold_rate="100",
				unit_cost="60.5",
				replacement_rate="130",
				serial_no="SN-OLD",
				replacement_serial_no="SN-NEW",
			)
		],
		WAREHOUSES,
	)
	assert plan.goods_in_type == EXCHANGE_GOODS_IN
	assert plan.goods_out_type == EXCHANGE_GOODS_OUT
	assert plan.goods_in == (StockLeg("L1", "ITEM-A", D("2"), RETURNS_WH, D("60.5"), "SN-OLD"),)
	assert plan.goods_out == (StockLeg("L1", "ITEM-B", D("2"), STORES_WH, None, "SN-NEW"),)
	assert plan.goods_in[0].quantity_only is False
	assert plan.goods_out[0].quantity_only is False
	assert plan.valued is True
	assert plan.price_difference == D("60.00")
	assert is_cents(plan.price_difference)


def test_different_item_does_not_ship_the_customers_serial():
	plan = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, [swap(serial_no="SN-OLD")], WAREHOUSES)
	assert plan.goods_in[0].serial_no == "SN-OLD"
	assert plan.goods_out[0].serial_no is None


def test_different_item_never_touches_the_pools():
	plan = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, [swap()], WAREHOUSES)
	used = {leg.warehouse for leg in plan.goods_in + plan.goods_out}
	assert used == {RETURNS_WH, STORES_WH}


def test_different_item_ships_each_line_from_its_own_warehouse():
	lines = [
		swap(key="1", replacement_item="ITEM-B", replacement_warehouse=STORES_WH),
		swap(key="2", item="ITEM-C", replacement_item="ITEM-D", replacement_warehouse="Shop - AC"),
	]
	plan = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines, WAREHOUSES)
	assert [(leg.item_code, leg.warehouse) for leg in plan.goods_out] == [
		("ITEM-B", STORES_WH),
		("ITEM-D", "Shop - AC"),
	]
	assert [leg.warehouse for leg in plan.goods_in] == [RETURNS_WH, RETURNS_WH]
	assert [leg.item_code for leg in plan.goods_in] == ["ITEM-A", "ITEM-C"]


@pytest.mark.parametrize(
	("qty", "sold_rate", "replacement_rate", "expected"),
	[
		("1", "100", "120", "20.00"),
		("1", "120", "100", "-20.00"),
		("3", "50", "50", "0.00"),
		("1", "100", "0", "-100.00"),
		("2", "0", "9.99", "19.98"),
		# Each side is rounded to cents on its own, half up, before they are subtracted.
		("1", "0.004", "0.005", "0.01"),
		("1", "1.005", "1.004", "-0.01"),
		("0.333", "3", "1.5", "-0.50"),
		("3", "0.333", "0.335", "0.01"),
	],
)
def test_price_difference_examples(qty, sold_rate, replacement_rate, expected):
	plan = plan_exchange(
		RequestType.EXCHANGE_DIFFERENT_ITEM,
		[swap(qty=qty, sold_rate=sold_rate, replacement_rate=replacement_rate)],
		WAREHOUSES,
	)
	assert plan.price_difference == D(expected)
	assert is_cents(plan.price_difference)


def test_price_difference_sums_lines_rounded_one_by_one():
	# 0.005 per line rounds up to a cent on each line: 3 cents, not the 2 of rounding the total.
	lines = [swap(key=str(i), sold_rate="0", replacement_rate="0.005") for i in range(3)]
	plan = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines, WAREHOUSES)
	assert plan.price_difference == D("0.03")


def test_price_difference_nets_lines_against_each_other():
	lines = [
		swap(key="up", sold_rate="100", replacement_rate="150"),
		swap(key="down", item="ITEM-C", sold_rate="80", replacement_rate="30"),
	]
	plan = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines, WAREHOUSES)
	assert plan.price_difference == 0


def test_a_zero_replacement_rate_is_allowed():
	plan = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, [swap(replacement_rate="0")], WAREHOUSES)
	assert plan.price_difference == D("-100.00")


@pytest.mark.parametrize("replacement_item", [None, ""])
def test_different_item_without_replacement_item_is_an_error(replacement_item):
	with pytest.raises(ValueError, match="choose the item to ship"):
		plan_exchange(
			RequestType.EXCHANGE_DIFFERENT_ITEM, [swap(replacement_item=replacement_item)], WAREHOUSES
		)


@pytest.mark.parametrize("warehouse", [None, ""])
def test_different_item_without_replacement_warehouse_is_an_error(warehouse):
	with pytest.raises(ValueError, match="choose the warehouse"):
		plan_exchange(
			RequestType.EXCHANGE_DIFFERENT_ITEM, [swap(replacement_warehouse=warehouse)], WAREHOUSES
		)


def test_different_item_without_replacement_rate_is_an_error():
	with pytest.raises(ValueError, match="enter the selling price of ITEM-B"):
		plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, [swap(replacement_rate=None)], WAREHOUSES)


@pytest.mark.parametrize("rate", ["-0.01", "-1", "-100000"])
def test_different_item_with_negative_replacement_rate_is_an_error(rate):
	with pytest.raises(ValueError, match="enter the selling price"):
		plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, [swap(replacement_rate=rate)], WAREHOUSES)


def test_one_incomplete_line_fails_the_whole_exchange():
	lines = [swap(key="ok"), swap(key="bad", item="ITEM-C", replacement_warehouse=None)]
	with pytest.raises(ValueError, match="ITEM-C"):
		plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines, WAREHOUSES)


# ---- rejected requests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("request_type", REFUND_TYPES)
def test_refund_requests_are_not_exchanges(request_type):
	with pytest.raises(ValueError, match="not an exchange or a repair"):
		plan_exchange(request_type, [swap()], WAREHOUSES)


@pytest.mark.parametrize("request_type", [t.value for t in REFUND_TYPES])
def test_refund_requests_are_rejected_as_option_strings_too(request_type):
	with pytest.raises(ValueError, match=f"A {request_type} request"):
		plan_exchange(request_type, [line()], WAREHOUSES)


def test_unknown_request_type_is_an_error():
	with pytest.raises(ValueError):
		plan_exchange("Swap", [line()], WAREHOUSES)


@pytest.mark.parametrize("request_type", [t.value for t in EXCHANGE_TYPES])
def test_request_types_accept_select_option_strings(request_type):
	lines = [swap()] if request_type == RequestType.EXCHANGE_DIFFERENT_ITEM else [line()]
	assert plan_exchange(request_type, lines, WAREHOUSES) == plan_exchange(
		RequestType(request_type), lines, WAREHOUSES
	)


@pytest.mark.parametrize("request_type", EXCHANGE_TYPES)
@pytest.mark.parametrize("lines", [[], ()])
def test_no_lines_is_an_error(request_type, lines):
	with pytest.raises(ValueError, match="Nothing was received"):
		plan_exchange(request_type, lines, WAREHOUSES)


@pytest.mark.parametrize("request_type", EXCHANGE_TYPES)
@pytest.mark.parametrize("qty", ["0", "-0", "-1", "-0.001"])
def test_non_positive_qty_is_an_error(request_type, qty):
	with pytest.raises(ValueError, match="ITEM-A: nothing was received"):
		plan_exchange(request_type, [swap(qty=qty)], WAREHOUSES)


@pytest.mark.parametrize("request_type", EXCHANGE_TYPES)
def test_a_non_positive_qty_on_any_line_is_an_error(request_type):
	lines = [swap(key="ok", item="ITEM-C"), swap(key="bad", qty="0")]
	with pytest.raises(ValueError, match="ITEM-A: nothing was received"):
		plan_exchange(request_type, lines, WAREHOUSES)


def test_qty_is_checked_before_the_replacement():
	with pytest.raises(ValueError, match="nothing was received"):
		plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, [line(qty="0")], WAREHOUSES)


# ---- properties ----------------------------------------------------------------------------------------


@st.composite
def exchange_lines(draw, min_size=1, max_size=8):
	rows = draw(
		st.lists(
			st.tuples(
				st.sampled_from(["ITEM-A", "ITEM-B", "ITEM-C"]),
				quantities,
				rates,
				rates,
				rates,
				serials,
				serials,
				st.sampled_from([STORES_WH, "Shop - AC"]),
			),
			min_size=min_size,
			max_size=max_size,
		)
	)
	return [
		ExchangeLine(
			line_key=f"L{i}",
			item_code=item,
			qty=qty,
			sold_rate=sold,
			# Goods taken back at cost must have a known cost.
			unit_cost=cost or D("0.01"),
			serial_no=serial,
			replacement_item=f"{item}-NEW",
			replacement_rate=replacement_rate,
			replacement_warehouse=warehouse,
			replacement_serial_no=replacement_serial,
		)
		for i, (item, qty, sold, cost, replacement_rate, serial, replacement_serial, warehouse) in enumerate(
			rows
		)
	]


def valid_for(request_type, lines):
	if request_type is RequestType.EXCHANGE_DIFFERENT_ITEM:
		# Goods taken back at cost must have a known cost.
		return [replace(ln, unit_cost=ln.unit_cost or D("0.01")) for ln in lines]
	# A same-item exchange or a repair sends back the item that came in.
	return [replace(ln, replacement_item=ln.item_code) for ln in lines]


@FAST
@given(request_type=st.sampled_from(EXCHANGE_TYPES), lines=exchange_lines())
def test_every_line_goes_in_once_and_out_once(request_type, lines):
	lines = valid_for(request_type, lines)
	plan = plan_exchange(request_type, lines, WAREHOUSES)

	assert len(plan.goods_in) == len(plan.goods_out) == len(lines)
	for leg_in, leg_out, ln in zip(plan.goods_in, plan.goods_out, lines, strict=True):
		assert leg_in.line_key == leg_out.line_key == ln.line_key
		assert leg_in.qty == leg_out.qty == ln.qty
		assert leg_in.qty > 0
		assert leg_in.item_code == ln.item_code
		assert leg_in.serial_no == ln.serial_no
	assert STOCK_ENTRY_TYPES[plan.goods_in_type] == RECEIPT
	assert STOCK_ENTRY_TYPES[plan.goods_out_type] == ISSUE

	if request_type is RequestType.EXCHANGE_DIFFERENT_ITEM:
		assert (plan.goods_in_type, plan.goods_out_type) == (EXCHANGE_GOODS_IN, EXCHANGE_GOODS_OUT)
		for leg_in, leg_out, ln in zip(plan.goods_in, plan.goods_out, lines, strict=True):
			assert leg_in.warehouse == RETURNS_WH
			assert leg_in.valuation_rate == ln.unit_cost
			assert leg_out.item_code == ln.replacement_item
			assert leg_out.warehouse == ln.replacement_warehouse
			assert leg_out.valuation_rate is None
			assert leg_out.serial_no == ln.replacement_serial_no
		assert plan.price_difference == expected_difference(lines)
		assert plan.valued
	else:
		pool = SAME_UNIT_POOLS[request_type]
		assert (plan.goods_in_type, plan.goods_out_type) == (CONSIGNMENT_REPAIR_IN, REPAIR_DONE_SHIPPED)
		for leg_in, leg_out, ln in zip(plan.goods_in, plan.goods_out, lines, strict=True):
			assert leg_in.warehouse == leg_out.warehouse == pool
			assert leg_in.quantity_only and leg_out.quantity_only
			assert leg_out.item_code == ln.item_code
			assert leg_out.serial_no == (ln.replacement_serial_no or ln.serial_no)
		assert plan.price_difference == 0
		assert plan.valued is False


@FAST
@given(request_type=st.sampled_from(list(SAME_UNIT_POOLS)), lines=exchange_lines())
def test_same_unit_rejects_any_line_with_another_replacement_item(request_type, lines):
	# exchange_lines() always names a replacement other than the item that came in.
	with pytest.raises(ValueError, match="use an exchange for a different item"):
		plan_exchange(request_type, lines, WAREHOUSES)


@FAST
@given(lines=exchange_lines())
def test_price_difference_is_the_sum_of_rounded_line_differences(lines):
	difference = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines, WAREHOUSES).price_difference
	assert difference == expected_difference(lines)
	assert is_cents(difference)


@FAST
@given(lines=exchange_lines())
def test_equal_prices_make_no_difference(lines):
	lines = [replace(ln, replacement_rate=ln.sold_rate) for ln in lines]
	difference = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines, WAREHOUSES).price_difference
	assert difference == 0
	assert is_cents(difference)


@FAST
@given(lines=exchange_lines())
def test_dearer_replacements_are_never_credited(lines):
	# Rounding to cents is monotonic, so a replacement priced at or above the sold rate on every
	# line never leads to a credit, and one at or below never leads to an invoice.
	dearer = [replace(ln, replacement_rate=max(ln.sold_rate, ln.replacement_rate)) for ln in lines]
	cheaper = [replace(ln, replacement_rate=min(ln.sold_rate, ln.replacement_rate)) for ln in lines]
	assert plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, dearer, WAREHOUSES).price_difference >= 0
	assert plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, cheaper, WAREHOUSES).price_difference <= 0


@FAST
@given(qty=whole_qty, sold_rate=cent_rates, replacement_rate=cent_rates)
def test_price_difference_sign_and_value_on_whole_units(qty, sold_rate, replacement_rate):
	# With whole quantities and prices in cents nothing is rounded: the difference is exact.
	plan = plan_exchange(
		RequestType.EXCHANGE_DIFFERENT_ITEM,
		[swap(qty=qty, sold_rate=sold_rate, replacement_rate=replacement_rate)],
		WAREHOUSES,
	)
	difference = plan.price_difference
	assert difference == qty * (replacement_rate - sold_rate)
	if replacement_rate > sold_rate:
		assert difference > 0
	elif replacement_rate < sold_rate:
		assert difference < 0
	else:
		assert difference == 0


@FAST
@given(lines=exchange_lines(min_size=2))
def test_price_difference_does_not_depend_on_line_order(lines):
	forward = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines, WAREHOUSES)
	backward = plan_exchange(RequestType.EXCHANGE_DIFFERENT_ITEM, lines[::-1], WAREHOUSES)
	assert forward.price_difference == backward.price_difference
	assert backward.goods_in == forward.goods_in[::-1]
	assert backward.goods_out == forward.goods_out[::-1]


@FAST
@given(
	request_type=st.sampled_from(EXCHANGE_TYPES),
	lines=exchange_lines(),
	bad_index=st.integers(min_value=0, max_value=7),
	bad_qty=st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-1000, max_value=0),
)
def test_any_non_positive_qty_fails_the_plan(request_type, lines, bad_index, bad_qty):
	lines = valid_for(request_type, lines)
	bad_index %= len(lines)
	lines[bad_index] = replace(lines[bad_index], qty=bad_qty)
	with pytest.raises(ValueError, match="nothing was received"):
		plan_exchange(request_type, lines, WAREHOUSES)


@FAST
@given(request_type=st.sampled_from(REFUND_TYPES), lines=exchange_lines(min_size=0))
def test_refund_types_are_always_rejected(request_type, lines):
	with pytest.raises(ValueError, match="not an exchange or a repair"):
		plan_exchange(request_type, lines, WAREHOUSES)
