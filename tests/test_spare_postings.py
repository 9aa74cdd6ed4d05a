"""Spare units and reissues: which stock moves, from where to where, at what valuation (SPEC §2, §7)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_module.core.spare_postings import (
	SPARE_KEPT,
	SPARE_OUT,
	SPARE_RETURNED,
	STOCK_ENTRY_TYPES,
	OpenOrderLine,
	ReissueLine,
	ReissueShortage,
	SpareLine,
	days_out,
	expected_restock_date,
	is_overdue,
	missing_serials,
	plan_reissue,
	plan_spare_back,
	plan_spare_settlement,
	plan_spare_shipment,
	spare_due_date,
	split_serials,
	unexpected_serials,
)

FINISHED = "Finished Goods - C"
SPARES = "After-sales Spare Units - C"
RETURNS = "After-sales Returns - C"


def spare_line(**overrides) -> SpareLine:
	values = dict(
		line_key="row-1",
		item_code="PHONE",
		qty=Decimal(1),
		unit_cost=Decimal("400"),
		serial_no="SN-FAULTY",
		spare_item=None,
		spare_warehouse=FINISHED,
		spare_serial_no="SN-SPARE",
		spare_status=SPARE_OUT,
	)
	values.update(overrides)
	return SpareLine(**values)


def test_every_stock_entry_type_posts_as_an_erpnext_purpose():
	assert set(STOCK_ENTRY_TYPES.values()) <= {"Material Transfer", "Material Receipt", "Material Issue"}
	assert STOCK_ENTRY_TYPES["Spare Unit Out"] == "Material Transfer"
	assert STOCK_ENTRY_TYPES["Spare Unit Back"] == "Material Transfer"
	assert STOCK_ENTRY_TYPES["Reissue Out"] == "Material Issue"


class TestSpareShipment:
	def test_spare_moves_at_cost_from_finished_goods_into_the_spare_unit_warehouse(self):
		(leg,) = plan_spare_shipment([spare_line(spare_status=None)], SPARES)
		assert (leg.source, leg.target) == (FINISHED, SPARES)
		assert (leg.item_code, leg.qty, leg.serial_no) == ("PHONE", Decimal(1), "SN-SPARE")

	def test_a_different_spare_item_can_be_sent(self):
		(leg,) = plan_spare_shipment([spare_line(spare_item="PHONE-LOANER")], SPARES)
		assert leg.item_code == "PHONE-LOANER"

	def test_needs_a_source_warehouse(self):
		with pytest.raises(ValueError, match="choose the warehouse the spare unit ships from"):
			plan_spare_shipment([spare_line(spare_warehouse=None)], SPARES)

	def test_cannot_ship_from_the_spare_unit_warehouse_itself(self):
		with pytest.raises(ValueError, match="ships from finished goods"):
			plan_spare_shipment([spare_line(spare_warehouse=SPARES)], SPARES)

	def test_nothing_to_ship(self):
		with pytest.raises(ValueError, match="no spare unit left to ship"):
			plan_spare_shipment([], SPARES)

	def test_zero_quantity_is_refused(self):
		with pytest.raises(ValueError, match="more than zero"):
			plan_spare_shipment([spare_line(qty=Decimal(0))], SPARES)


class TestSpareSettlement:
	def test_faulty_unit_enters_returns_at_its_sold_cost_and_the_spare_is_issued(self):
		plan = plan_spare_settlement([spare_line()], RETURNS, SPARES)
		(faulty,) = plan.faulty_in
		(kept,) = plan.spare_kept
		assert (faulty.warehouse, faulty.valuation_rate, faulty.serial_no) == (
			RETURNS,
			Decimal(400),
			"SN-FAULTY",
		)
		assert not faulty.quantity_only
		# The spare leaves at whatever it is carried at in the spare-unit warehouse.
		assert (kept.warehouse, kept.valuation_rate, kept.serial_no) == (SPARES, None, "SN-SPARE")

	def test_refused_when_no_spare_is_out(self):
		for status in (None, SPARE_KEPT, SPARE_RETURNED):
			with pytest.raises(ValueError, match="ship the spare unit first"):
				plan_spare_settlement([spare_line(spare_status=status)], RETURNS, SPARES)

	def test_refused_without_a_known_cost(self):
		with pytest.raises(ValueError, match="cost when sold is not known"):
			plan_spare_settlement([spare_line(unit_cost=Decimal(0))], RETURNS, SPARES)

	def test_negative_cost_is_refused(self):
		with pytest.raises(ValueError, match="cannot be negative"):
			plan_spare_settlement([spare_line(unit_cost=Decimal(-1))], RETURNS, SPARES)

	def test_nothing_received(self):
		with pytest.raises(ValueError, match="Nothing was received"):
			plan_spare_settlement([], RETURNS, SPARES)


class TestSpareBack:
	def test_the_spare_moves_at_cost_into_returns(self):
		(leg,) = plan_spare_back([spare_line()], {"row-1": "SN-SPARE"}, SPARES, RETURNS)
		assert (leg.source, leg.target, leg.serial_no) == (SPARES, RETURNS, "SN-SPARE")

	def test_a_different_serial_is_refused_naming_the_one_sent(self):
		with pytest.raises(ValueError) as error:
			plan_spare_back([spare_line()], {"row-1": "SN-OTHER"}, SPARES, RETURNS)
		assert "SN-OTHER came back" in str(error.value)
		assert "is SN-SPARE" in str(error.value)

	def test_the_serial_must_be_given(self):
		with pytest.raises(ValueError, match="enter the serial number"):
			plan_spare_back([spare_line()], {}, SPARES, RETURNS)

	def test_settled_spares_are_skipped_and_nothing_out_is_refused(self):
		with pytest.raises(ValueError, match="No spare unit of this case is out"):
			plan_spare_back([spare_line(spare_status=SPARE_KEPT)], {"row-1": "SN-SPARE"}, SPARES, RETURNS)

	def test_unserialised_spares_need_no_serial(self):
		(leg,) = plan_spare_back([spare_line(spare_serial_no=None)], {}, SPARES, RETURNS)
		assert leg.serial_no is None


class TestSerials:
	def test_split_accepts_newlines_and_commas(self):
		assert split_serials(" A\nB, C\n\n") == ["A", "B", "C"]
		assert split_serials(None) == []

	def test_unexpected_and_missing(self):
		assert unexpected_serials("A\nB", "B\nX") == ["X"]
		assert missing_serials("A\nB", "B\nX") == ["A"]
		assert unexpected_serials("A", "A") == [] == missing_serials("A", "A")

	@given(st.lists(st.text(alphabet="ABC123", min_size=1, max_size=4), max_size=6, unique=True))
	def test_a_set_matches_itself_in_any_order(self, serials):
		expected = "\n".join(serials)
		received = ",".join(reversed(serials))
		assert unexpected_serials(expected, received) == []
		assert missing_serials(expected, received) == []


class TestDueDates:
	def test_due_date_and_overdue(self):
		shipped = date(2026, 3, 1)
		due = spare_due_date(shipped, 30)
		assert due == date(2026, 3, 31)
		assert not is_overdue(due, due)
		assert is_overdue(due, due + timedelta(days=1))
		assert not is_overdue(None, due)
		assert days_out(shipped, date(2026, 3, 11)) == 10
		assert days_out(shipped, date(2026, 2, 1)) == 0

	def test_negative_days_are_refused(self):
		with pytest.raises(ValueError, match="cannot be negative"):
			spare_due_date(date(2026, 1, 1), -1)

	@given(st.dates(), st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=800))
	def test_overdue_exactly_when_out_longer_than_allowed(self, shipped, allowed, elapsed):
		today = shipped + timedelta(days=elapsed) if elapsed else shipped
		try:
			due = spare_due_date(shipped, allowed)
		except OverflowError:
			return
		assert is_overdue(due, today) == (days_out(shipped, today) > allowed)


def reissue_line(**overrides) -> ReissueLine:
	values = dict(
		line_key="row-1",
		item_code="SHOE",
		qty=Decimal(2),
		warehouse=FINISHED,
		serial_no=None,
		available_qty=Decimal(5),
	)
	values.update(overrides)
	return ReissueLine(**values)


class TestReissue:
	def test_ships_from_the_chosen_warehouse_at_its_valuation(self):
		(leg,) = plan_reissue([reissue_line()])
		assert (leg.warehouse, leg.qty, leg.valuation_rate) == (FINISHED, Decimal(2), None)

	def test_short_stock_names_the_restock_date(self):
		with pytest.raises(ReissueShortage) as error:
			plan_reissue([reissue_line(available_qty=Decimal(1), expected_restock=date(2026, 12, 5))])
		(message,) = error.value.messages
		assert "has 1, 2 needed" in message
		assert "2026-12-05" in message

	def test_short_stock_without_orders_says_so(self):
		with pytest.raises(ReissueShortage) as error:
			plan_reissue(
				[reissue_line(available_qty=Decimal(0)), reissue_line(line_key="row-2", item_code="BAG")]
			)
		(message,) = error.value.messages
		assert "no open purchase order" in message

	def test_needs_a_warehouse_and_a_quantity(self):
		with pytest.raises(ValueError, match="choose the warehouse"):
			plan_reissue([reissue_line(warehouse=None)])
		with pytest.raises(ValueError, match="more than zero"):
			plan_reissue([reissue_line(qty=Decimal(0))])
		with pytest.raises(ValueError, match="nothing left to reissue"):
			plan_reissue([])

	@given(
		st.integers(min_value=1, max_value=50),
		st.integers(min_value=0, max_value=50),
	)
	def test_ships_only_what_is_available(self, needed, available):
		line = reissue_line(qty=Decimal(needed), available_qty=Decimal(available))
		if available >= needed:
			assert plan_reissue([line])[0].qty == Decimal(needed)
		else:
			with pytest.raises(ReissueShortage):
				plan_reissue([line])


class TestRestockDate:
	def test_earliest_date_that_covers_the_need(self):
		lines = [
			OpenOrderLine("SHOE", Decimal(1), date(2026, 12, 1)),
			OpenOrderLine("SHOE", Decimal(3), date(2026, 12, 9)),
			OpenOrderLine("BAG", Decimal(9), date(2026, 11, 30)),
		]
		assert expected_restock_date("SHOE", Decimal(1), lines) == date(2026, 12, 1)
		assert expected_restock_date("SHOE", Decimal(2), lines) == date(2026, 12, 9)
		assert expected_restock_date("SHOE", Decimal(5), lines) is None
		assert expected_restock_date("SHOE", Decimal(0), lines) is None

	@given(
		st.lists(
			st.tuples(
				st.integers(min_value=0, max_value=10),
				st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 1, 1)),
			),
			max_size=8,
		),
		st.integers(min_value=1, max_value=40),
	)
	def test_enough_is_on_order_by_the_date_returned(self, orders, needed):
		lines = [OpenOrderLine("X", Decimal(qty), day) for qty, day in orders]
		found = expected_restock_date("X", Decimal(needed), lines)
		total = sum(qty for qty, _day in orders)
		if total < needed:
			assert found is None
		else:
			assert sum(qty for qty, day in orders if day <= found) >= needed
			earlier = [day for _qty, day in orders if day < found]
			assert sum(qty for qty, day in orders if day < found) < needed or not earlier
