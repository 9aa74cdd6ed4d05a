"""Tax-aware credit notes: deductions are a discount, the tax reversed is the tax on what is credited, and
the notes of a case add up to its figure to the cent."""

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aftersales_module.core.credit_notes import (
	NET_TOTAL,
	TaxedLine,
	TaxRow,
	credit_totals,
)
from aftersales_module.core.enums import ShippingPayer
from aftersales_module.core.return_postings import CreditLine, case_credit, credit_goods, plan_credit_notes
from aftersales_module.core.returns import CENT, RefundTerms, compute_refund

FAST = settings(max_examples=300, deadline=None)

VAT = (TaxRow("VAT", D("13")),)
VAT_INCLUDED = (TaxRow("VAT", D("13"), included=True),)


def lines_of(*amounts, rates=(D("13"),)):
	return [TaxedLine(D(amount), tuple(rates)) for amount in amounts]


def breakdown(goods, pct="0", handling="0", shipping="0", payer=ShippingPayer.COMPANY):
	return compute_refund(RefundTerms(D(goods), D(pct), D(handling), D(shipping), payer, D(goods)))


def cents(amount):
	return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


# ---- examples ------------------------------------------------------------------------------------------


def test_tax_added_on_top_is_charged_on_what_is_credited():
	# Return 1 of 100 with 10 % depreciation and a fee of 5 on a 13 % VAT invoice: 85 is credited and
	# 11.05 of VAT reversed, not the 13.00 of the whole goods.
	totals = credit_totals(lines_of("100"), VAT, D("15"))
	assert (totals.goods, totals.net, totals.taxes, totals.grand_total) == (
		D("100.00"),
		D("85.00"),
		(D("11.05"),),
		D("96.05"),
	)
	assert totals.apply_discount_on == NET_TOTAL


def test_tax_included_in_the_price_is_reversed_on_what_is_credited():
	# The customer paid 113 with 13.00 VAT inside: the goods are 100 net. 10 % depreciation and a fee of
	# 5 come off the net, so 85 is credited and its 11.05 of VAT reversed: 96.05 back, not 98.00.
	totals = credit_totals(lines_of("113"), VAT_INCLUDED, D("15"))
	assert (totals.goods, totals.net, totals.taxes, totals.grand_total) == (
		D("100.00"),
		D("85.00"),
		(D("11.05"),),
		D("96.05"),
	)
	assert totals.taxes_included and totals.apply_discount_on == NET_TOTAL


def test_an_inclusive_note_without_deductions_gives_back_the_price_paid():
	# 3 × 9.99 with 13 % inside: 26.52 net + 3.45 VAT rounds to 29.97 = what was paid.
	totals = credit_totals(lines_of("29.97"), VAT_INCLUDED, D("0"))
	assert totals.grand_total == D("29.97")


def test_no_taxes_credit_the_goods_less_deductions():
	totals = credit_totals(lines_of("20", "500", rates=()), (), D("50"))
	assert (totals.net, totals.tax, totals.grand_total) == (D("470.00"), D("0.00"), D("470.00"))


def test_an_item_tax_template_rate_is_charged_on_its_own_line():
	lines = [TaxedLine(D("100"), (D("13"),)), TaxedLine(D("100"), (D("5"),))]
	totals = credit_totals(lines, VAT, D("20"))
	# The discount is spread evenly, so each line is credited 90 and taxed at its own rate.
	assert totals.taxes == (D("16.20"),)
	assert totals.grand_total == D("196.20")


def test_the_invoices_own_discount_is_given_back_as_it_was_taken():
	# Sold at 100 less 5 % of the invoice's own discount: the line was charged 95. Returned with a fee
	# of 5, the note takes 5 + 5 off its 100, credits 90 and reverses the VAT on 90.
	line = TaxedLine(D("100"), (D("13"),), net=D("95"))
	totals = credit_totals([line], VAT, D("5"))
	assert (totals.goods, totals.discount, totals.net, totals.taxes, totals.grand_total) == (
		D("95"),
		D("10.00"),
		D("90.00"),
		(D("11.70"),),
		D("101.70"),
	)


def test_deductions_larger_than_the_goods_are_refused():
	with pytest.raises(ValueError, match="exceed"):
		credit_totals(lines_of("10"), VAT, D("10.01"))


def test_mixed_inclusive_and_exclusive_taxes_are_refused():
	rows = (TaxRow("VAT", D("13"), included=True), TaxRow("Levy", D("1")))
	with pytest.raises(ValueError, match="by hand"):
		credit_totals(lines_of("10", rates=(D("13"), D("1"))), rows, D("0"))


def test_a_line_without_a_rate_for_each_tax_row_is_refused():
	with pytest.raises(ValueError, match="rate for each tax row"):
		credit_totals(lines_of("10", rates=()), VAT, D("0"))


def test_rounding_follows_the_sites_method():
	# 0.50 at 13 % is 0.065 of tax: banker's rounding keeps 0.06, commercial rounding 0.07.
	assert credit_totals(lines_of("0.50"), VAT, D("0")).taxes == (D("0.06"),)
	assert credit_totals(lines_of("0.50"), VAT, D("0"), ROUND_HALF_UP).taxes == (D("0.07"),)


def credit_line(invoice, qty, rate, key, rates=()):
	return CreditLine(key, invoice, f"row-{key}", D(qty), D(rate), tuple(D(r) for r in rates))


def test_a_fee_larger_than_the_first_notes_goods_is_carried_to_the_next():
	# Handling fee 50 on goods of 20 and 500: the first note can take only 20 of it at most; the rest
	# is charged on the second, so the customer gets 470.00 back, not 500.00.
	lines = [credit_line("SI-1", "1", "20", "a"), credit_line("SI-2", "1", "500", "b")]
	plans = plan_credit_notes(lines, breakdown("520", handling="50"))
	assert sum(plan.handling_fee for plan in plans) == D("50.00")
	assert all(plan.handling_fee <= plan.goods_amount for plan in plans)
	assert case_credit(plans).credit == sum(plan.credit_amount for plan in plans) == D("470.00")


def test_depreciation_rounded_per_note_still_sums_to_the_case():
	# 10 % of 333.33 + 666.68 rounds to 33.33 + 66.67 = 100.00 = 10 % of 1000.01, to the cent.
	lines = [credit_line("SI-1", "1", "333.33", "a"), credit_line("SI-2", "1", "666.68", "b")]
	refund = breakdown("1000.01", pct="10", handling="7", shipping="3", payer=ShippingPayer.CUSTOMER)
	plans = plan_credit_notes(lines, refund, {"SI-1": VAT, "SI-2": VAT})
	assert sum(plan.depreciation for plan in plans) == refund.depreciation == D("100.00")
	credit = case_credit(plans)
	assert credit.deductions == refund.total_deductions
	assert credit.net == refund.refund_amount
	assert credit.credit == sum(plan.credit_amount for plan in plans)
	assert credit.tax == sum(cents(plan.totals.net * D("0.13")) for plan in plans)


# ---- properties ----------------------------------------------------------------------------------------

amounts = st.integers(min_value=1, max_value=10**7).map(lambda c: D(c).scaleb(-2))
tax_rates = st.sampled_from([D("0"), D("5"), D("7.5"), D("13"), D("19"), D("20"), D("21"), D("25")])
roundings = st.sampled_from([ROUND_HALF_EVEN, ROUND_HALF_UP])


@st.composite
def taxed_notes(draw):
	rates = draw(st.lists(tax_rates, min_size=0, max_size=3))
	included = draw(st.booleans()) and bool(rates)
	rows = tuple(TaxRow(f"T{k}", rate, included) for k, rate in enumerate(rates))
	lines = draw(
		st.lists(
			st.tuples(amounts, st.lists(tax_rates, min_size=len(rows), max_size=len(rows))),
			min_size=1,
			max_size=6,
		)
	)
	uniform = draw(st.booleans())
	# Now and then the invoice took a discount of its own: each line was charged less than its price.
	invoice_discount = draw(st.sampled_from([None, D("0"), D("0.05"), D("0.5")]))
	lines = [
		TaxedLine(amount, tuple(row.rate for row in rows) if uniform else tuple(line_rates))
		for amount, line_rates in lines
	]
	if invoice_discount is not None:
		priced = credit_totals(lines, rows, D("0"))
		lines = [
			TaxedLine(
				line.amount,
				line.rates,
				(credit_totals([line], rows, D("0")).goods * (1 - invoice_discount)).quantize(CENT),
			)
			for line in lines
		]
		assert credit_totals(lines, rows, D("0")).goods <= priced.goods
	goods = credit_totals(lines, rows, D("0")).goods
	share = draw(st.integers(min_value=0, max_value=100))
	deductions = (goods * share / 100).quantize(CENT, rounding="ROUND_DOWN")
	return lines, rows, deductions, uniform


@FAST
@given(note=taxed_notes(), rounding=roundings)
def test_a_credit_note_credits_the_goods_less_deductions_plus_the_tax_on_that(note, rounding):
	lines, rows, deductions, uniform = note
	totals = credit_totals(lines, rows, deductions, rounding)
	assert totals.deductions == deductions
	for amount in (totals.goods, totals.net, totals.grand_total, *totals.taxes):
		assert amount.as_tuple().exponent == -2
	# The discount comes off the net exactly, and each tax is charged on what is left.
	assert totals.net == totals.goods - deductions
	assert totals.discount >= deductions
	assert totals.net >= 0 and totals.grand_total >= 0 and all(tax >= 0 for tax in totals.taxes)
	if uniform:
		assert totals.taxes == tuple(
			(row.rate / 100 * totals.net).quantize(CENT, rounding=rounding) for row in rows
		)
	if not totals.taxes_included:
		assert totals.goods == sum(line.amount if line.net is None else line.net for line in lines)
		assert totals.discount == sum(line.amount for line in lines) - totals.net
		assert totals.grand_total == totals.net + totals.tax
	else:
		# Included: the goods are the prices less the tax inside; the grand total is net plus tax, kept
		# on the prices paid by ERPNext when they differ by no more than a few cents.
		assert totals.goods <= sum(line.amount for line in lines)
		assert abs(totals.grand_total - totals.net - totals.tax) <= D("0.05")
		if not totals.discount:
			assert abs(totals.grand_total - sum(line.amount for line in lines)) <= D("0.05")


@FAST
@given(note=taxed_notes(), extra=st.integers(min_value=1, max_value=10**6).map(lambda c: D(c).scaleb(-2)))
def test_deductions_beyond_the_goods_are_always_refused(note, extra):
	lines, rows, _deductions, _uniform = note
	goods = credit_totals(lines, rows, D("0")).goods
	with pytest.raises(ValueError, match="exceed"):
		credit_totals(lines, rows, goods + extra)


@st.composite
def cases(draw, rounding=ROUND_HALF_EVEN):
	invoices = draw(st.integers(min_value=1, max_value=4))
	taxes = {}
	for invoice in range(invoices):
		rates = draw(st.lists(tax_rates, min_size=0, max_size=2))
		included = draw(st.booleans())
		taxes[f"SI-{invoice}"] = tuple(TaxRow(f"T{k}", rate, included) for k, rate in enumerate(rates))
	lines = []
	for i, (invoice, qty, price) in enumerate(
		draw(
			st.lists(
				st.tuples(
					st.integers(min_value=0, max_value=invoices - 1),
					st.integers(min_value=1, max_value=5),
					st.integers(min_value=1, max_value=10**6).map(lambda c: D(c).scaleb(-2)),
				),
				min_size=1,
				max_size=8,
			)
		)
	):
		rows = taxes[f"SI-{invoice}"]
		if rows and rows[0].included:
			# The case prices a line at its net rate; the invoice at the price with tax inside.
			net_rate = cents(price / (1 + sum(row.rate for row in rows) / 100))
			lines.append(CreditLine(f"L{i}", f"SI-{invoice}", f"row-{i}", D(qty), net_rate, (), price))
		else:
			lines.append(credit_line(f"SI-{invoice}", qty, price, f"L{i}"))
	goods = credit_goods(lines, taxes, rounding)
	refund = compute_refund(
		RefundTerms(
			goods,
			draw(st.decimals(min_value=0, max_value=100, places=2)),
			draw(st.integers(min_value=0, max_value=10**5).map(lambda c: D(c).scaleb(-2))),
			draw(st.integers(min_value=0, max_value=10**5).map(lambda c: D(c).scaleb(-2))),
			draw(st.sampled_from(list(ShippingPayer))),
			goods,
		)
	)
	return lines, refund, taxes


@FAST
@given(data=st.data(), rounding=roundings)
def test_the_notes_always_add_up_to_the_case_and_nothing_is_lost(data, rounding):
	lines, refund, taxes = data.draw(cases(rounding))
	plans = plan_credit_notes(lines, refund, taxes, rounding)
	credit = case_credit(plans)
	# Every deduction of the case is charged, on some note, and none twice.
	for kind in ("depreciation", "handling_fee", "customer_shipping"):
		assert sum(getattr(plan, kind) for plan in plans) == getattr(refund, kind)
	assert credit.deductions == refund.total_deductions
	assert credit.goods == refund.goods_amount
	# The case's figure is the sum of what the notes post.
	assert credit.credit == sum(plan.totals.grand_total for plan in plans)
	assert credit.tax == sum(plan.totals.tax for plan in plans)
	for plan in plans:
		# A note never takes more than its own goods, so none is credited below zero.
		assert 0 <= plan.deductions <= plan.goods_amount
		assert plan.credit_amount >= 0
	untaxed = all(not taxes[plan.sales_invoice] for plan in plans)
	if untaxed:
		assert credit.credit == refund.refund_amount


@FAST
@given(case=cases())
def test_a_note_that_cannot_take_its_share_carries_the_rest_to_the_others(case):
	lines, refund, taxes = case
	assume(len({line.sales_invoice for line in lines}) > 1)
	plans = plan_credit_notes(lines, refund, taxes)
	room = sum(plan.goods_amount - plan.deductions for plan in plans)
	assert room == refund.goods_amount - refund.total_deductions
