"""Returned units are placed on the delivery lines that still have them out."""

from decimal import Decimal

import pytest

from aftersales_module.core.deliveries import (
	DeliveredLine,
	ReturnedUnits,
	TakeBack,
	plan_delivery_returns,
)

FIRST = DeliveredLine("dn1-1", "DN1", Decimal(2), frozenset({"A", "B"}), frozenset({"B1"}))
SECOND = DeliveredLine("dn2-1", "DN2", Decimal(3), frozenset({"C", "D", "E"}), frozenset({"B2"}))


def test_units_come_back_against_the_oldest_delivery_first_and_spill_to_the_next():
	plan = plan_delivery_returns([ReturnedUnits("row1", "si1", Decimal(4))], {"si1": [FIRST, SECOND]})
	assert plan.parts == (
		TakeBack("row1", "dn1-1", "DN1", Decimal(2)),
		TakeBack("row1", "dn2-1", "DN2", Decimal(2)),
	)
	assert plan.short == {}
	assert list(plan.by_delivery_note()) == ["DN1", "DN2"]


def test_what_one_case_line_takes_is_no_longer_out_for_the_next():
	plan = plan_delivery_returns(
		[ReturnedUnits("row1", "si1", Decimal(3)), ReturnedUnits("row2", "si1", Decimal(3))],
		{"si1": [FIRST, SECOND]},
	)
	assert [(part.line_key, part.delivery_line, part.qty) for part in plan.parts] == [
		("row1", "dn1-1", 2),
		("row1", "dn2-1", 1),
		("row2", "dn2-1", 2),
	]
	assert plan.short == {"row2": Decimal(1)}


def test_a_serial_comes_back_against_the_line_that_delivered_it():
	plan = plan_delivery_returns(
		[ReturnedUnits("row1", "si1", Decimal(2), ("D", "A"))], {"si1": [FIRST, SECOND]}
	)
	assert {(part.delivery_note, part.serial_nos) for part in plan.parts} == {
		("DN2", ("D",)),
		("DN1", ("A",)),
	}


def test_a_serial_no_delivery_line_took_out_is_short():
	plan = plan_delivery_returns([ReturnedUnits("row1", "si1", Decimal(1), ("Z",))], {"si1": [FIRST]})
	assert plan.parts == ()
	assert plan.short == {"row1": Decimal(1)}


def test_a_batch_comes_back_against_a_line_that_delivered_that_batch():
	plan = plan_delivery_returns(
		[ReturnedUnits("row1", "si1", Decimal(1), (), "B2")], {"si1": [FIRST, SECOND]}
	)
	assert plan.parts == (TakeBack("row1", "dn2-1", "DN2", Decimal(1), (), "B2"),)


def test_a_line_never_delivered_is_short_of_all_its_units():
	plan = plan_delivery_returns([ReturnedUnits("row1", "si9", Decimal(2))], {"si9": []})
	assert plan.short == {"row1": Decimal(2)}


def test_a_negative_quantity_is_refused():
	with pytest.raises(ValueError):
		plan_delivery_returns([ReturnedUnits("row1", "si1", Decimal(-1))], {"si1": [FIRST]})
