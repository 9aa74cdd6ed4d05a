from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.enums import Disposition, ShippingPayer
from aftersales_module.core.return_postings import (
	DELIVERY_NOTE_RETURN,
	MATERIAL_ISSUE,
	MATERIAL_TRANSFER,
	SALES_INVOICE_RETURN,
	CreditLine,
	CreditNotePlan,
	DispositionLine,
	DispositionPlan,
	StockMove,
	allocate,
	goods_in_voucher,
	plan_credit_notes,
	plan_dispositions,
	refund_to_pay,
)
from aftersales_module.core.returns import CENT, RefundBreakdown, RefundTerms, compute_refund

FAST = settings(max_examples=200, deadline=None)

RETURN_WH = "Returns - AC"
STORES_WH = "Stores - AC"

cents = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))
positive_cents = st.integers(min_value=1, max_value=10**9).map(lambda c: D(c).scaleb(-2))
weight_lists = st.lists(cents, min_size=1, max_size=8).filter(any)
percent = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=100)
payers = st.sampled_from(list(ShippingPayer))
rates = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**4)
quantities = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value="0.001", max_value=100)
positive_qty = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value="0.001", max_value=1000)


def is_cents(amount: D) -> bool:
	return amount.as_tuple().exponent == -2


def credit_line(invoice, qty, rate, key=None):
	key = key or f"{invoice}-{qty}-{rate}"
	return CreditLine(key, invoice, f"row-{key}", D(qty), D(rate))


def breakdown(goods, pct="0", handling="0", shipping="0", payer=ShippingPayer.COMPANY, paid="1000000"):
	return compute_refund(RefundTerms(D(goods), D(pct), D(handling), D(shipping), payer, D(paid)))


def goods_total(lines):
	return sum((line.amount for line in lines), D("0.00"))


# ---- goods_in_voucher ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("invoice_updates_stock", "delivered_by_note", "expected"),
	[
		(True, True, SALES_INVOICE_RETURN),
		(True, False, SALES_INVOICE_RETURN),
		(False, True, DELIVERY_NOTE_RETURN),
		(False, False, None),
	],
)
def test_goods_in_voucher_truth_table(invoice_updates_stock, delivered_by_note, expected):
	assert goods_in_voucher(invoice_updates_stock, delivered_by_note) == expected


def test_voucher_names_are_doctypes():
	assert SALES_INVOICE_RETURN == "Sales Invoice"
	assert DELIVERY_NOTE_RETURN == "Delivery Note"
	assert MATERIAL_TRANSFER == "Material Transfer"
	assert MATERIAL_ISSUE == "Material Issue"


# ---- allocate ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("total", "weights", "expected"),
	[
		("10", ["30", "10"], ["7.50", "2.50"]),
		("1", ["1", "1", "1"], ["0.34", "0.33", "0.33"]),
		("0.02", ["1", "1", "1"], ["0.01", "0.01", "0.00"]),
		("0.01", ["5", "5"], ["0.01", "0.00"]),
		("0.01", ["1", "2"], ["0.00", "0.01"]),
		("0.05", ["1", "0", "1"], ["0.03", "0.00", "0.02"]),
		("100", ["100"], ["100.00"]),
		("7", ["0", "3"], ["0.00", "7.00"]),
	],
)
def test_allocate_examples(total, weights, expected):
	parts = allocate(D(total), [D(w) for w in weights])
	assert parts == [D(e) for e in expected]
	assert all(is_cents(part) for part in parts)


def test_allocate_ties_go_to_earlier_lines():
	assert allocate(D("0.02"), [D("1")] * 4) == [D("0.01"), D("0.01"), D("0"), D("0")]
	assert allocate(D("0.03"), [D("2"), D("1"), D("1"), D("1"), D("1")]) == [
		D("0.01"),
		D("0.01"),
		D("0.01"),
		D("0"),
		D("0"),
	]


def test_allocate_larger_fraction_beats_earlier_position():
	# 0.01 * 1/3 vs 0.01 * 2/3: the later, larger fraction gets the cent.
	assert allocate(D("0.01"), [D("1"), D("2")]) == [D("0"), D("0.01")]


def test_allocate_rounds_the_total_to_cents():
	parts = allocate(D("0.994"), [D("1"), D("1")])
	assert sum(parts) == D("0.99")
	assert parts == [D("0.50"), D("0.49")]


@pytest.mark.parametrize("weights", [[D("1")], [D("1"), D("2")], [D("0")], []])
def test_allocate_zero_total_gives_zero_parts(weights):
	parts = allocate(D("0"), weights)
	assert parts == [D("0")] * len(weights)
	assert all(is_cents(part) for part in parts)


@pytest.mark.parametrize("weights", [[D("0")], [D("0"), D("0.00")], []])
def test_allocate_over_zero_weights_is_an_error(weights):
	with pytest.raises(ValueError, match="weigh nothing"):
		allocate(D("5"), weights)


@pytest.mark.parametrize(
	("total", "weights"),
	[
		("-1", ["1"]),
		("-0.01", ["1", "2"]),
		("5", ["-1", "2"]),
		("5", ["1", "-0.01"]),
		("0", ["1", "-1"]),
	],
)
def test_allocate_rejects_negative_input(total, weights):
	with pytest.raises(ValueError, match="cannot be negative"):
		allocate(D(total), [D(w) for w in weights])


def test_allocate_is_deterministic():
	weights = [D("3.33"), D("3.33"), D("3.34"), D("0.01")]
	assert allocate(D("1.01"), weights) == allocate(D("1.01"), list(weights))


@FAST
@given(total=cents, weights=weight_lists)
def test_allocate_parts_sum_exactly_and_are_cents(total, weights):
	parts = allocate(total, weights)
	assert len(parts) == len(weights)
	assert sum(parts, D("0")) == total
	assert all(is_cents(part) for part in parts)
	assert all(part >= 0 for part in parts)
	assert all(part == 0 for part, weight in zip(parts, weights, strict=True) if weight == 0)


@FAST
@given(total=cents, weights=weight_lists)
def test_allocate_is_within_a_cent_of_the_exact_share(total, weights):
	weight_sum = sum(weights)
	for part, weight in zip(allocate(total, weights), weights, strict=True):
		exact = total * weight / weight_sum
		assert abs(part - exact) < CENT
		# Largest remainder: a part is its share rounded down, or one cent more.
		assert exact - CENT < part < exact + CENT


@FAST
@given(weights=weight_lists, data=st.data())
def test_allocate_part_never_exceeds_its_weight(weights, data):
	weight_sum = sum(weights)
	total = data.draw(st.integers(0, int(weight_sum / CENT)).map(lambda c: D(c).scaleb(-2)), label="total")
	parts = allocate(total, weights)
	assert all(part <= weight for part, weight in zip(parts, weights, strict=True))


@FAST
@given(weights=weight_lists)
def test_allocate_whole_weight_sum_returns_the_weights(weights):
	assert allocate(sum(weights), weights) == weights


@FAST
@given(total=cents, weights=weight_lists, factor=st.integers(2, 1000))
def test_allocate_depends_only_on_weight_ratios(total, weights, factor):
	assert allocate(total, weights) == allocate(total, [w * factor for w in weights])


# ---- plan_credit_notes ---------------------------------------------------------------------------------


def test_credit_notes_worked_example():
	lines = [
		credit_line("SI-1", "3", "100", key="a"),
		credit_line("SI-2", "1", "100", key="b"),
	]
	refund = breakdown("400", pct="10", handling="10", shipping="10", payer=ShippingPayer.SPLIT)
	first, second = plan_credit_notes(lines, refund)

	assert (first.sales_invoice, second.sales_invoice) == ("SI-1", "SI-2")
	assert (first.depreciation, second.depreciation) == (D("30.00"), D("10.00"))
	assert (first.handling_fee, second.handling_fee) == (D("7.50"), D("2.50"))
	assert (first.customer_shipping, second.customer_shipping) == (D("3.75"), D("1.25"))
	assert (first.goods_amount, second.goods_amount) == (D("300.00"), D("100.00"))
	assert (first.credit_amount, second.credit_amount) == (D("258.75"), D("86.25"))
	assert first.credit_amount + second.credit_amount == refund.refund_amount == D("345.00")


def test_credit_notes_group_lines_by_invoice_in_first_appearance_order():
	lines = [
		credit_line("SI-B", "1", "10", key="1"),
		credit_line("SI-A", "1", "20", key="2"),
		credit_line("SI-B", "2", "5", key="3"),
		credit_line("SI-C", "1", "1", key="4"),
		credit_line("SI-A", "1", "1", key="5"),
	]
	plans = plan_credit_notes(lines, breakdown(goods_total(lines)))
	assert [plan.sales_invoice for plan in plans] == ["SI-B", "SI-A", "SI-C"]
	assert [[line.line_key for line in plan.lines] for plan in plans] == [["1", "3"], ["2", "5"], ["4"]]
	assert [plan.goods_amount for plan in plans] == [D("20.00"), D("21.00"), D("1.00")]
	# No deductions: every note credits its goods in full.
	assert all(plan.credit_amount == plan.goods_amount for plan in plans)
	assert all(plan.deductions == 0 for plan in plans)


def test_credit_line_amount_rounds_half_up_to_cents():
	line = credit_line("SI-1", "0.333", "1.5")  # 0.4995
	assert line.amount == D("0.50")
	assert is_cents(line.amount)


def test_later_deductions_go_where_room_is_left():
	# Depreciation's odd cent lands on the first invoice and uses it up; the handling fee must then
	# come off the second one, or the first note would be credited below zero.
	lines = [credit_line("SI-1", "1", "0.01"), credit_line("SI-2", "1", "0.01")]
	refund = breakdown("0.02", pct="50", handling="0.01")
	assert (refund.depreciation, refund.handling_fee) == (D("0.01"), D("0.01"))
	first, second = plan_credit_notes(lines, refund)
	assert (first.depreciation, second.depreciation) == (D("0.01"), D("0"))
	assert (first.handling_fee, second.handling_fee) == (D("0"), D("0.01"))
	assert first.credit_amount == second.credit_amount == D("0")


def test_deductions_may_use_up_all_goods():
	lines = [credit_line("SI-1", "2", "10"), credit_line("SI-2", "1", "5")]
	refund = breakdown(
		goods_total(lines), pct="100", handling="3", shipping="4", payer=ShippingPayer.CUSTOMER
	)
	plans = plan_credit_notes(lines, refund)
	assert [plan.depreciation for plan in plans] == [D("20.00"), D("5.00")]
	assert all(plan.handling_fee == plan.customer_shipping == 0 for plan in plans)
	assert all(plan.credit_amount == 0 for plan in plans)


def test_deductions_exactly_equal_to_goods_are_allowed():
	lines = [credit_line("SI-1", "1", "30"), credit_line("SI-2", "1", "10")]
	refund = breakdown("40", pct="50", handling="15", shipping="5", payer=ShippingPayer.CUSTOMER)
	assert refund.total_deductions == D("40.00")
	plans = plan_credit_notes(lines, refund)
	assert all(plan.credit_amount == 0 for plan in plans)
	assert sum(plan.deductions for plan in plans) == D("40.00")


def test_deductions_beyond_goods_are_an_error():
	# The refund was worked out on 100 of goods, but the credit lines only come to 40.
	refund = breakdown("100", pct="50")
	lines = [credit_line("SI-1", "1", "30"), credit_line("SI-2", "1", "10")]
	with pytest.raises(ValueError, match="exceed"):
		plan_credit_notes(lines, refund)


def test_deductions_with_no_lines_are_an_error():
	with pytest.raises(ValueError, match="exceed"):
		plan_credit_notes([], breakdown("10", handling="1"))


def test_no_lines_and_no_deductions_plan_nothing():
	assert plan_credit_notes([], breakdown("0")) == []


def test_lines_worth_nothing_plan_zero_notes():
	lines = [credit_line("SI-1", "0", "10"), credit_line("SI-2", "1", "0")]
	plans = plan_credit_notes(lines, breakdown("0", pct="50", handling="5", shipping="5"))
	assert [plan.sales_invoice for plan in plans] == ["SI-1", "SI-2"]
	assert all(plan.credit_amount == 0 and plan.deductions == 0 for plan in plans)


def test_credit_note_plan_properties():
	plan = CreditNotePlan(
		"SI-1",
		(credit_line("SI-1", "2", "10.005"), credit_line("SI-1", "1", "0.10")),
		depreciation=D("1.00"),
		handling_fee=D("2.00"),
		customer_shipping=D("0.50"),
	)
	assert plan.goods_amount == D("20.11")
	assert plan.deductions == D("3.50")
	assert plan.credit_amount == D("16.61")
	empty = CreditNotePlan("SI-2", (), D("0"), D("0"), D("0"))
	assert empty.goods_amount == D("0") and is_cents(empty.goods_amount)


credit_lines = st.lists(st.tuples(st.integers(0, 3), quantities, rates), min_size=1, max_size=12).map(
	lambda rows: [
		credit_line(f"SI-{invoice}", qty, rate, key=f"L{i}") for i, (invoice, qty, rate) in enumerate(rows)
	]
)


@FAST
@given(
	lines=credit_lines,
	pct=percent,
	handling=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**5),
	shipping=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**5),
	payer=payers,
	paid_share=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=2),
)
def test_credit_note_invariants(lines, pct, handling, shipping, payer, paid_share):
	goods = goods_total(lines)
	refund = breakdown(goods, pct, handling, shipping, payer, paid=(goods * paid_share).quantize(CENT))
	plans = plan_credit_notes(lines, refund)

	# One plan per invoice, in order of first appearance, holding that invoice's lines in order.
	invoices = list(dict.fromkeys(line.sales_invoice for line in lines))
	assert [plan.sales_invoice for plan in plans] == invoices
	for plan in plans:
		assert list(plan.lines) == [line for line in lines if line.sales_invoice == plan.sales_invoice]

	# Each deduction kind is shared out exactly, in cents, never negative.
	for kind in ("depreciation", "handling_fee", "customer_shipping"):
		shares = [getattr(plan, kind) for plan in plans]
		assert sum(shares, D("0")) == getattr(refund, kind)
		assert all(share >= 0 for share in shares)
		assert all(share == share.quantize(CENT) for share in shares)

	# No note credits less than nothing; together they credit the goods less the deductions.
	assert all(plan.credit_amount >= 0 for plan in plans)
	assert all(plan.deductions <= plan.goods_amount for plan in plans)
	assert sum(plan.goods_amount for plan in plans) == goods
	assert sum(plan.credit_amount for plan in plans) == goods - refund.total_deductions
	if not refund.capped_to_paid:
		assert sum(plan.credit_amount for plan in plans) == refund.refund_amount

	# Depreciation, taken first, is shared by goods amount to within a cent.
	if goods:
		for plan in plans:
			exact = refund.depreciation * plan.goods_amount / goods
			assert abs(plan.depreciation - exact) < CENT


@FAST
@given(lines=credit_lines, excess=positive_cents)
def test_credit_notes_reject_deductions_beyond_goods(lines, excess):
	goods = goods_total(lines)
	too_much = RefundBreakdown(
		goods_amount=goods,
		depreciation=D("0.00"),
		handling_fee=goods,
		customer_shipping=excess,
		company_shipping=D("0.00"),
		uncollected_shipping=D("0.00"),
		refund_amount=D("0.00"),
		capped_to_paid=False,
		rule="",
	)
	with pytest.raises(ValueError, match="exceed"):
		plan_credit_notes(lines, too_much)


# ---- refund_to_pay -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("credit", "paid", "refunded", "expected"),
	[
		("100", "100", "0", "100.00"),
		("100", "60", "0", "60.00"),
		("100", "150", "80", "70.00"),
		("50", "150", "80", "50.00"),
		("100", "100", "100", "0.00"),
		("100", "50", "80", "0.00"),
		("0", "100", "0", "0.00"),
		("100", "0", "0", "0.00"),
		("10.005", "100", "0", "10.01"),
	],
)
def test_refund_to_pay_examples(credit, paid, refunded, expected):
	result = refund_to_pay(D(credit), D(paid), D(refunded))
	assert result == D(expected)
	assert is_cents(result)


@pytest.mark.parametrize(
	("credit", "paid", "refunded"),
	[("-1", "10", "0"), ("10", "-0.01", "0"), ("10", "10", "-5")],
)
def test_refund_to_pay_rejects_negative_input(credit, paid, refunded):
	with pytest.raises(ValueError, match="cannot be negative"):
		refund_to_pay(D(credit), D(paid), D(refunded))


@FAST
@given(credit=cents, paid=cents, refunded=cents)
def test_refund_to_pay_bounds(credit, paid, refunded):
	result = refund_to_pay(credit, paid, refunded)
	assert result >= 0
	assert result <= credit
	assert result <= max(D("0"), paid - refunded)
	assert is_cents(result)
	# It pays as much as both limits allow.
	assert result == max(D("0"), min(credit, paid - refunded))


# ---- plan_dispositions ---------------------------------------------------------------------------------


def disposed(disposition, qty="1", target=None, key="R1", item="ITEM-A"):
	return DispositionLine(key, item, D(qty), disposition, target)


def test_restock_moves_goods_out_of_the_return_warehouse():
	plan = plan_dispositions([disposed(Disposition.RESTOCK, "2.5", STORES_WH)], RETURN_WH)
	assert plan.transfers == (StockMove("R1", "ITEM-A", D("2.5"), RETURN_WH, STORES_WH),)
	assert plan.issues == ()
	assert plan.staying == ()
	assert plan.needs_manager_approval is False


def test_scrap_is_issued_and_needs_manager_approval():
	plan = plan_dispositions([disposed(Disposition.SCRAP, "3")], RETURN_WH)
	assert plan.issues == (StockMove("R1", "ITEM-A", D("3"), RETURN_WH, None),)
	assert plan.transfers == ()
	assert plan.staying == ()
	assert plan.needs_manager_approval is True


def test_scrap_ignores_a_target_warehouse():
	plan = plan_dispositions([disposed(Disposition.SCRAP, "1", STORES_WH)], RETURN_WH)
	assert plan.issues[0].target_warehouse is None
	assert plan.issues[0].source_warehouse == RETURN_WH


@pytest.mark.parametrize("disposition", [Disposition.REWORK, Disposition.RETURN_TO_SUPPLIER])
def test_rework_and_return_to_supplier_stay_in_the_return_warehouse(disposition):
	line = disposed(disposition, "4", STORES_WH)
	plan = plan_dispositions([line], RETURN_WH)
	assert plan.staying == (line,)
	assert plan.transfers == plan.issues == ()
	assert plan.needs_manager_approval is False


def test_dispositions_accept_select_option_strings():
	plan = plan_dispositions(
		[
			disposed("Restock", target=STORES_WH, key="a"),
			disposed("Scrap", key="b"),
			disposed("Rework", key="c"),
			disposed("Return to Supplier", key="d"),
		],
		RETURN_WH,
	)
	assert [move.line_key for move in plan.transfers] == ["a"]
	assert [move.line_key for move in plan.issues] == ["b"]
	assert [line.line_key for line in plan.staying] == ["c", "d"]
	assert plan.needs_manager_approval is True


def test_unknown_disposition_is_an_error():
	with pytest.raises(ValueError):
		plan_dispositions([disposed("Burn")], RETURN_WH)


@pytest.mark.parametrize("target", [None, ""])
def test_restock_without_target_is_an_error(target):
	with pytest.raises(ValueError, match="choose the warehouse"):
		plan_dispositions([disposed(Disposition.RESTOCK, target=target)], RETURN_WH)


def test_restock_into_the_return_warehouse_is_an_error():
	with pytest.raises(ValueError, match="out of the return warehouse"):
		plan_dispositions([disposed(Disposition.RESTOCK, target=RETURN_WH)], RETURN_WH)


@pytest.mark.parametrize("disposition", list(Disposition))
@pytest.mark.parametrize("qty", ["0", "-1", "-0.001"])
def test_non_positive_qty_is_an_error(disposition, qty):
	with pytest.raises(ValueError, match="nothing was received"):
		plan_dispositions([disposed(disposition, qty, STORES_WH)], RETURN_WH)


def test_one_bad_line_fails_the_whole_plan():
	lines = [disposed(Disposition.SCRAP, key="ok"), disposed(Disposition.RESTOCK, key="bad")]
	with pytest.raises(ValueError):
		plan_dispositions(lines, RETURN_WH)


def test_no_lines_plan_nothing():
	assert plan_dispositions([], RETURN_WH) == DispositionPlan()
	assert DispositionPlan().needs_manager_approval is False


disposition_rows = st.lists(
	st.tuples(st.sampled_from(list(Disposition)), positive_qty, st.sampled_from([STORES_WH, "Shop - AC"])),
	max_size=10,
).map(
	lambda rows: [
		DispositionLine(f"R{i}", f"ITEM-{i % 3}", qty, disposition, target)
		for i, (disposition, qty, target) in enumerate(rows)
	]
)


@FAST
@given(lines=disposition_rows)
def test_every_line_is_disposed_of_exactly_once(lines):
	plan = plan_dispositions(lines, RETURN_WH)
	by_kind = {kind: [line for line in lines if line.disposition is kind] for kind in Disposition}

	assert [move.line_key for move in plan.transfers] == [
		line.line_key for line in by_kind[Disposition.RESTOCK]
	]
	assert [move.line_key for move in plan.issues] == [line.line_key for line in by_kind[Disposition.SCRAP]]
	assert list(plan.staying) == [
		line for line in lines if line.disposition in (Disposition.REWORK, Disposition.RETURN_TO_SUPPLIER)
	]
	assert len(plan.transfers) + len(plan.issues) + len(plan.staying) == len(lines)

	for move, line in zip(plan.transfers, by_kind[Disposition.RESTOCK], strict=True):
		assert move == StockMove(line.line_key, line.item_code, line.qty, RETURN_WH, line.target_warehouse)
	for move, line in zip(plan.issues, by_kind[Disposition.SCRAP], strict=True):
		assert move == StockMove(line.line_key, line.item_code, line.qty, RETURN_WH, None)
	assert all(move.qty > 0 for move in plan.transfers + plan.issues)
	assert plan.needs_manager_approval is bool(by_kind[Disposition.SCRAP])
