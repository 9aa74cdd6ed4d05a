"""What a discounted invoice charged for the units a case credits: the line's net amount, shared over
its units with the rounding carried, never its rounded net rate times the units."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.credit_notes import TaxRow, credit_totals
from aftersales_module.core.return_postings import CreditLine

FAST = settings(max_examples=300, deadline=None)
VAT_INCLUDED = (TaxRow("VAT - AC", D("13"), included=True),)


def discounted_line(qty, line_net, line_qty, credited_before="0", price="500", net_rate="417.48"):
	return CreditLine(
		"L1",
		"SI-1",
		"row-1",
		D(qty),
		D(net_rate),
		(D("13"),),
		D(price),
		True,
		D(line_net),
		D(line_qty),
		D(credited_before),
	)


def test_a_whole_line_credits_its_net_amount_not_its_net_rate_times_units():
	# 3 x 500 with 13 % included and 75 off the net total: ERPNext charged 1252.43 net, 1415.25 in all,
	# though its net rate 417.48 times 3 is 1252.44.
	line = discounted_line("3", "1252.43", "3")
	assert line.charged == D("1252.43")
	totals = credit_totals([line.taxed(VAT_INCLUDED)], VAT_INCLUDED, D("0"))
	assert (totals.net, totals.taxes, totals.grand_total, totals.discount) == (
		D("1252.43"),
		(D("162.82"),),
		D("1415.25"),
		D("75.00"),
	)


def test_units_credited_one_by_one_add_up_to_the_line():
	notes = [discounted_line("1", "1252.43", "3", credited_before=str(before)).charged for before in range(3)]
	assert notes == [D("417.48"), D("417.47"), D("417.48")]
	assert sum(notes) == D("1252.43")


def test_without_the_line_facts_the_net_rate_is_used():
	line = CreditLine("L1", "SI-1", "row-1", D("2"), D("417.48"), (), None, True)
	assert line.charged == D("834.96")


@FAST
@given(
	net_cents=st.integers(min_value=0, max_value=10**9),
	units=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=6),
)
def test_any_split_of_a_line_over_notes_credits_exactly_its_net(net_cents, units):
	line_net, line_qty = D(net_cents).scaleb(-2), sum(units)
	credited, charged = 0, []
	for qty in units:
		charged.append(discounted_line(str(qty), str(line_net), str(line_qty), str(credited)).charged)
		credited += qty
	assert all(each >= 0 and each.as_tuple().exponent == -2 for each in charged)
	assert sum(charged) == line_net
