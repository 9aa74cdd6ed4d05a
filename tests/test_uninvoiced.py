"""Returns of what was sold but not invoiced: what can still come back of a delivery, what can still be
cancelled of an order, how an order gives up its lines, and what is paid back of an advance."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.uninvoiced import (
	DELIVERY_NOTE,
	SALES_INVOICE,
	SALES_ORDER,
	OrderLine,
	advance_refund,
	line_source,
	plan_order_release,
	uninvoiced_qty,
	unshipped_qty,
)

FAST = settings(max_examples=200, deadline=None)
qty = st.integers(min_value=0, max_value=1000).map(D)


@pytest.mark.parametrize(
	"invoice_line, delivery_line, order_line, source",
	[
		("SII-1", "DNI-1", "SOI-1", SALES_INVOICE),  # an invoice line names its delivery and order too
		(None, "DNI-1", "SOI-1", DELIVERY_NOTE),
		(None, None, "SOI-1", SALES_ORDER),
		(None, None, None, SALES_INVOICE),  # naming nothing: the invoice checks refuse it
		("", "", "", SALES_INVOICE),
	],
)
def test_a_line_comes_from_the_first_sale_it_names(invoice_line, delivery_line, order_line, source):
	assert line_source(invoice_line, delivery_line, order_line) == source


@pytest.mark.parametrize(
	"delivered, billed, returned, left",
	[
		(3, 0, 0, 3),  # nothing invoiced
		(3, 1, 0, 2),  # one invoiced: two come back from the delivery
		(3, 3, 0, 0),
		(10, 4, 2, 4),  # 6 billed, 2 of them credited and taken back: ERPNext bills 4 more
		(3, 2, 2, 0),  # billed goods back before their credit note: never negative
		(3, -1, 0, 3),  # a credit note beyond the invoice (returns are negative) takes nothing from it
	],
)
def test_what_is_left_of_a_delivery_unbilled(delivered, billed, returned, left):
	assert uninvoiced_qty(D(delivered), D(billed), D(returned)) == D(left)


@given(qty, qty, qty)
@FAST
def test_a_delivery_never_gives_back_more_than_it_delivered(delivered, billed, returned):
	left = uninvoiced_qty(delivered, billed, returned)
	assert D(0) <= left <= delivered


@pytest.mark.parametrize(
	"ordered, delivered, billed, left",
	[(5, 0, 0, 5), (5, 2, 0, 3), (5, 0, 4, 1), (5, 3, 4, 1), (5, 5, 5, 0), (5, 6, 0, 0)],
)
def test_what_is_left_of_an_order_unshipped(ordered, delivered, billed, left):
	assert unshipped_qty(D(ordered), D(delivered), D(billed)) == D(left)


def test_quantities_must_be_numbers():
	with pytest.raises(ValueError):
		uninvoiced_qty(D("NaN"), 0, 0)
	with pytest.raises(ValueError):
		unshipped_qty(5, D("Infinity"), 0)


def test_an_order_left_with_nothing_to_ship_is_closed():
	lines = [OrderLine("A", "PHONE", D(2)), OrderLine("B", "CASE", D(1), delivered=D(1))]
	plan = plan_order_release(lines, {"A": D(2)})
	assert plan.close and plan.new_qty == {}


def test_part_of_an_order_lowers_its_lines():
	lines = [OrderLine("A", "PHONE", D(5)), OrderLine("B", "CASE", D(1))]
	plan = plan_order_release(lines, {"A": D(2)})
	assert not plan.close
	assert plan.new_qty == {"A": D(3)}


def test_a_line_keeps_what_it_shipped():
	lines = [OrderLine("A", "PHONE", D(5), delivered=D(2))]
	plan = plan_order_release(lines, {"A": D(1)})
	assert plan.new_qty == {"A": D(4)}
	assert plan_order_release(lines, {"A": D(3)}).close  # the rest is shipped: nothing left to ship


def test_a_whole_line_cannot_go_while_other_goods_are_still_to_ship():
	lines = [OrderLine("A", "PHONE", D(2)), OrderLine("B", "CASE", D(1))]
	with pytest.raises(ValueError, match="one unit at least"):
		plan_order_release(lines, {"A": D(2)})


@pytest.mark.parametrize(
	"released, message",
	[
		({"A": D(6)}, "only 5 of the order line"),
		({"A": D(0)}, "more than zero"),
		({"Z": D(1)}, "not a line of the order"),
	],
)
def test_more_than_is_pending_is_refused(released, message):
	with pytest.raises(ValueError, match=message):
		plan_order_release([OrderLine("A", "PHONE", D(5))], released)


@pytest.mark.parametrize(
	"lines_amount, advance, refunded, refund",
	[
		("1130.00", "1130.00", "0", "1130.00"),  # paid in full: what the lines cost with tax
		("1000.00", "300.00", "0", "300.00"),  # a deposit: no more than was paid
		("500.00", "2500.00", "0", "500.00"),  # part of the order
		("500.00", "2500.00", "2200.00", "300.00"),  # earlier cases paid most of it back
		("500.00", "2500.00", "2600.00", "0.00"),
		("333.335", "1000", "0", "333.34"),
	],
)
def test_an_advance_is_paid_back_for_the_lines_up_to_what_is_left(lines_amount, advance, refunded, refund):
	assert advance_refund(D(lines_amount), D(advance), D(refunded)) == D(refund)


def test_a_negative_lines_amount_is_refused():
	with pytest.raises(ValueError):
		advance_refund(D(-1), D(10), D(0))
