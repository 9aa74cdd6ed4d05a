from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.enums import ReasonCategory, ShippingPayer
from aftersales_module.core.returns import (
	DAMAGED,
	OVER,
	QUALITY_INSPECTION,
	SALES_APPROVAL,
	SHORT,
	ReceivedLine,
	RefundTerms,
	SoldLine,
	approved_amount,
	compute_refund,
	find_discrepancies,
	find_over_returns,
	returnable_amount,
	returnable_qty,
	review_stage,
	split_shipping,
	sum_by_line,
)

FAST = settings(max_examples=200, deadline=None)

money = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**7)
percent = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=100)
payers = st.sampled_from(list(ShippingPayer))
quantity = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0, max_value=1000)
positive_quantity = st.decimals(
	allow_nan=False, allow_infinity=False, places=3, min_value="0.001", max_value=1000
)


def sold(sold_qty="5", returned="0", reserved="0", rate="10", line_id="L1", item_code="ITEM-A"):
	return SoldLine(line_id, item_code, D(sold_qty), D(rate), D(returned), D(reserved))


def terms(goods="100", pct="0", handling="0", shipping="0", payer=ShippingPayer.COMPANY, paid="1000"):
	return RefundTerms(D(goods), D(pct), D(handling), D(shipping), payer, D(paid))


# ---- returnable quantity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("case", "line", "rows", "over"),
	[
		("exact fill of the sold qty", sold("5"), [("L1", "5")], False),
		("one over the sold qty", sold("5"), [("L1", "6")], True),
		("fractional qty that fits", sold("2.5"), [("L1", "2.5")], False),
		("fractional qty just over", sold("2.5"), [("L1", "2.501")], True),
		("two rows of one request together fit", sold("5"), [("L1", "2"), ("L1", "3")], False),
		("two rows of one request together exceed", sold("5"), [("L1", "3"), ("L1", "3")], True),
		("manual return already made", sold("5", returned="2"), [("L1", "4")], True),
		("manual return leaves exactly enough", sold("5", returned="2"), [("L1", "3")], False),
		("another open request reserves part", sold("5", reserved="4"), [("L1", "2")], True),
		("returns beyond the sold qty leave nothing", sold("5", returned="6"), [("L1", "1")], True),
	],
)
def test_find_over_returns_edges(case, line, rows, over):
	requested = sum_by_line((line_id, D(qty)) for line_id, qty in rows)
	assert bool(find_over_returns([line], requested)) is over, case


def test_over_return_message_names_all_numbers():
	(problem,) = find_over_returns([sold("5", returned="2", reserved="1", item_code="X")], {"L1": D("3")})
	assert problem.requested_qty == D("3")
	assert problem.returnable_qty == D("2")
	assert problem.message == (
		"Item X: 3 requested but only 2 can still be returned (sold 5, returned 2, requested elsewhere 1)."
	)


def test_over_returns_only_for_offending_lines():
	lines = [sold("5", line_id="L1", item_code="A"), sold("1", line_id="L2", item_code="B")]
	problems = find_over_returns(lines, {"L1": D("5"), "L2": D("2")})
	assert [p.line_id for p in problems] == ["L2"]


def test_sum_by_line_keeps_first_appearance_order():
	assert sum_by_line([("L2", D("1")), ("L1", D("0.5")), ("L2", D("2"))]) == {"L2": D("3"), "L1": D("0.5")}
	assert list(sum_by_line([("L2", D("1")), ("L1", D("1"))])) == ["L2", "L1"]


def test_unknown_line_is_an_error():
	with pytest.raises(ValueError, match="L9"):
		find_over_returns([sold()], {"L9": D("1")})


@pytest.mark.parametrize("qty", ["0", "-1"])
def test_non_positive_request_is_an_error(qty):
	with pytest.raises(ValueError, match="positive"):
		find_over_returns([sold()], {"L1": D(qty)})


def test_duplicate_invoice_line_is_an_error():
	with pytest.raises(ValueError, match="twice"):
		find_over_returns([sold(), sold()], {"L1": D("1")})


@pytest.mark.parametrize("field", ["sold_qty", "returned_qty", "reserved_qty", "rate"])
def test_sold_line_rejects_negative_numbers(field):
	values = {
		"sold_qty": D("5"),
		"rate": D("1"),
		"returned_qty": D("0"),
		"reserved_qty": D("0"),
		field: D("-1"),
	}
	with pytest.raises(ValueError, match="negative"):
		SoldLine("L1", "A", **values)


def test_returnable_qty_and_amount():
	line = sold("5", returned="1", reserved="1.5", rate="3.335")
	assert returnable_qty(line) == D("2.5")
	assert returnable_amount(line) == D("8.34")  # 8.3375 rounds half up
	assert returnable_qty(sold("5", returned="4", reserved="4")) == 0


def test_float_fields_are_taken_at_face_value():
	line = SoldLine("L1", "A", 0.3, 10, 0.1, 0.1)
	assert returnable_qty(line) == D("0.1")


@FAST
@given(
	sold_qty=quantity,
	returned_share=st.decimals(min_value=0, max_value=1, places=2),
	requests=st.lists(positive_quantity, max_size=12),
)
def test_accepted_requests_never_exceed_sold_qty(sold_qty, returned_share, requests):
	returned = (sold_qty * returned_share).quantize(D("0.001"))
	reserved = D(0)
	for qty in requests:
		line = SoldLine("L1", "A", sold_qty, D("1"), returned, reserved)
		problems = find_over_returns([line], {"L1": qty})
		assert bool(problems) is (qty > sold_qty - returned - reserved)
		if not problems:
			reserved += qty
	assert returned + reserved <= sold_qty


# ---- approved amount -----------------------------------------------------------------------------------


def test_approved_amount_rounds_each_line():
	assert approved_amount([(D("1"), D("0.005")), (D("1"), D("0.005"))]) == D("0.02")
	assert approved_amount([(D("2.5"), D("4")), (D("1"), D("0.10"))]) == D("10.10")
	assert approved_amount([]) == D("0.00")


def test_approved_amount_rejects_negative_qty():
	with pytest.raises(ValueError, match="negative"):
		approved_amount([(D("-1"), D("10"))])


# ---- shipping split ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("cost", "payer", "expected"),
	[
		("10.00", ShippingPayer.COMPANY, ("0.00", "10.00")),
		("10.00", ShippingPayer.CUSTOMER, ("10.00", "0.00")),
		("10.00", ShippingPayer.SPLIT, ("5.00", "5.00")),
		("10.01", ShippingPayer.SPLIT, ("5.00", "5.01")),
		("0.01", ShippingPayer.SPLIT, ("0.00", "0.01")),
		("10.00", "Split Half-Half", ("5.00", "5.00")),
	],
)
def test_split_shipping(cost, payer, expected):
	assert split_shipping(D(cost), payer) == (D(expected[0]), D(expected[1]))


def test_split_shipping_rejects_negative_cost():
	with pytest.raises(ValueError, match="negative"):
		split_shipping(D("-1"), ShippingPayer.CUSTOMER)


@FAST
@given(cost=money, payer=payers)
def test_split_shipping_sums_exactly(cost, payer):
	customer, company = split_shipping(cost, payer)
	assert customer + company == cost
	assert customer >= 0 and company >= 0
	assert customer <= company or payer is ShippingPayer.CUSTOMER


# ---- refund --------------------------------------------------------------------------------------------


def test_refund_with_all_deductions():
	result = compute_refund(terms("100", pct="10", handling="5", shipping="7.01", payer=ShippingPayer.SPLIT))
	assert (result.depreciation, result.handling_fee, result.customer_shipping) == (
		D("10"),
		D("5"),
		D("3.50"),
	)
	assert result.company_shipping == D("3.51")
	assert result.uncollected_shipping == 0
	assert result.refund_amount == D("81.50")
	assert result.total_deductions == D("18.50")
	assert not result.capped_to_paid
	assert result.rule == (
		"Goods amount 100.00 less depreciation 10.00 (10%), handling fee 5.00 "
		"and the customer's shipping share 3.50 leaves a refund of 81.50."
	)


def test_refund_without_deductions():
	result = compute_refund(terms("42.10"))
	assert result.refund_amount == D("42.10")
	assert result.rule == "No deductions apply, so the refund is the full goods amount 42.10."


def test_refund_capped_to_paid_amount():
	result = compute_refund(terms("100", handling="10", paid="50"))
	assert result.refund_amount == D("50.00")
	assert result.capped_to_paid
	assert "capped at the 50.00 the customer actually paid" in result.rule


def test_deductions_limited_to_goods_amount_in_order():
	result = compute_refund(terms("20", pct="50", handling="8", shipping="6", payer=ShippingPayer.CUSTOMER))
	assert (result.depreciation, result.handling_fee, result.customer_shipping) == (D("10"), D("8"), D("2"))
	assert result.uncollected_shipping == D("4")
	assert result.company_shipping == 0
	assert result.refund_amount == 0
	assert "4.00 of the customer's shipping share is not charged" in result.rule


def test_handling_fee_reduced_when_goods_run_out():
	result = compute_refund(terms("5", handling="8", shipping="6", payer=ShippingPayer.CUSTOMER))
	assert (result.handling_fee, result.customer_shipping, result.uncollected_shipping) == (D("5"), 0, D("6"))
	assert "3.00 of the handling fee and 6.00 of the customer's shipping share" in result.rule


def test_depreciation_rounds_half_up():
	assert compute_refund(terms("0.50", pct="1")).depreciation == D("0.01")  # 0.005


@pytest.mark.parametrize(
	"bad",
	[
		{"goods": "-1"},
		{"handling": "-0.01"},
		{"shipping": "-5"},
		{"paid": "-1"},
		{"pct": "-1"},
		{"pct": "100.01"},
	],
)
def test_refund_terms_reject_impossible_input(bad):
	with pytest.raises(ValueError):
		terms(**bad)


@FAST
@given(goods=money, pct=percent, handling=money, shipping=money, payer=payers, paid=money)
def test_refund_invariants(goods, pct, handling, shipping, payer, paid):
	result = compute_refund(RefundTerms(goods, pct, handling, shipping, payer, paid))
	amounts = (
		result.depreciation,
		result.handling_fee,
		result.customer_shipping,
		result.company_shipping,
		result.uncollected_shipping,
		result.refund_amount,
	)
	assert all(amount >= 0 and amount == amount.quantize(D("0.01")) for amount in amounts)
	assert result.refund_amount <= paid
	assert result.refund_amount <= goods
	assert result.total_deductions <= goods
	assert result.customer_shipping + result.uncollected_shipping + result.company_shipping == shipping
	assert result.handling_fee <= handling
	if result.capped_to_paid:
		assert result.refund_amount == paid
		assert result.total_deductions + result.refund_amount < goods
		assert "capped" in result.rule
	else:
		assert result.total_deductions + result.refund_amount == goods
		assert "capped" not in result.rule


# ---- receiving -----------------------------------------------------------------------------------------


def received(approved, got, ok=True):
	return ReceivedLine("R1", "ITEM-A", D(approved), D(got), ok)


@pytest.mark.parametrize(
	("line", "kinds"),
	[
		(received("3", "3"), []),
		(received("3", "2"), [SHORT]),
		(received("3", "4"), [OVER]),
		(received("3", "3", ok=False), [DAMAGED]),
		(received("3", "1.5", ok=False), [SHORT, DAMAGED]),
		(received("3", "0", ok=False), [SHORT]),
	],
)
def test_find_discrepancies(line, kinds):
	assert [d.kind for d in find_discrepancies([line])] == kinds


def test_discrepancy_messages():
	short, over, damaged = find_discrepancies(
		[received("3", "2"), received("3", "4"), received("2", "2", ok=False)]
	)
	assert short.message == "Item ITEM-A: 3 approved for return but only 2 received."
	assert over.message == "Item ITEM-A: 4 received but only 3 approved for return."
	assert damaged.message == "Item ITEM-A: the 2 received are not in acceptable condition."


def test_received_line_rejects_negative_qty():
	with pytest.raises(ValueError, match="negative"):
		received("3", "-1")


# ---- review routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", list(ReasonCategory))
def test_review_stage(reason):
	expected = QUALITY_INSPECTION if reason is ReasonCategory.QUALITY_PROBLEM else SALES_APPROVAL
	assert review_stage(reason) == expected
	assert review_stage(reason.value) == expected


def test_review_stage_names():
	assert (QUALITY_INSPECTION, SALES_APPROVAL) == ("Quality Inspection", "Sales Approval")
