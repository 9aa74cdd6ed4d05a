from decimal import ROUND_HALF_EVEN
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.currency import to_party_currency
from aftersales_module.core.returns import CENT

FAST = settings(max_examples=500, deadline=None)


def test_a_company_amount_in_a_dearer_currency():
	converted = to_party_currency(D("100"), D("1.1"))
	# 90.91 EUR at 1.1 would be 100.001 USD: the rate is the one that gives back 100.00 exactly.
	assert converted.party_amount == D("90.91")
	assert (converted.party_amount * converted.exchange_rate).quantize(CENT) == D("100.00")
	assert abs(converted.exchange_rate - D("1.1")) < D("0.0001")


def test_a_rate_that_converts_exactly_is_kept():
	converted = to_party_currency(D("110"), D("1.1"))
	assert (converted.party_amount, converted.exchange_rate) == (D("100.00"), D("1.1"))


def test_nothing_converts_to_nothing():
	assert to_party_currency(D("0"), D("1.1")).party_amount == 0


@pytest.mark.parametrize("rate", [D("0"), D("-1"), D("NaN"), D("Infinity")])
def test_impossible_rates_are_refused(rate):
	with pytest.raises(ValueError):
		to_party_currency(D("10"), rate)


def test_negative_amounts_are_refused():
	with pytest.raises(ValueError):
		to_party_currency(D("-1"), D("1.1"))


@FAST
@given(
	cents=st.integers(min_value=0, max_value=10**9),
	rate=st.decimals(min_value="0.0001", max_value="20000", places=6, allow_nan=False),
)
def test_the_ledger_gets_back_the_company_amount_exactly(cents, rate):
	amount = D(cents).scaleb(-2)
	converted = to_party_currency(amount, rate)
	assert converted.company_amount == amount
	assert converted.party_amount >= 0 and converted.exchange_rate > 0
	# As ERPNext converts a line: account amount × rate, to the cent (banker's rounding on the site).
	assert (converted.party_amount * converted.exchange_rate).quantize(CENT, ROUND_HALF_EVEN) == amount
	if amount and converted.party_amount > CENT:
		# The rate moves no further than half a cent of rounding over the party amount asks (a cent of
		# the party's currency may be all there is to post at any rate).
		allowed = rate * D("0.005") / converted.party_amount + D("0.000000001")
		assert abs(converted.exchange_rate - rate) <= allowed
