"""Amounts in a party's currency: a company-currency figure posted to a receivable or payable kept in
another currency.

Framework-free. ERPNext converts a document line as amount in account currency times exchange rate, rounded
to the cent; the party amount and the rate are chosen so that this gives back the company figure
exactly, so the entry balances and the case's figure is the ledger's.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from aftersales_module.core.returns import CENT, to_cents

RATE_PLACES = Decimal("0.000000001")  # ERPNext keeps exchange rates to 9 places


@dataclass(frozen=True)
class InPartyCurrency:
	company_amount: Decimal
	party_amount: Decimal
	exchange_rate: Decimal  # party currency → company currency


def to_party_currency(company_amount: Decimal, rate: Decimal) -> InPartyCurrency:
	"""`company_amount` expressed in the party's currency at `rate` (party → company).

	The party amount is the company amount over the rate, to the cent. When that amount times the
	rate does not round back to the company figure, the rate is the one that does (company amount
	over party amount, to 9 places): a difference in the ninth place, not an invented exchange gain.
	"""
	amount = to_cents(Decimal(company_amount))
	rate = Decimal(rate)
	if amount < 0:
		raise ValueError("An amount to convert cannot be negative.")
	if not rate.is_finite() or rate <= 0:
		raise ValueError(f"An exchange rate must be a positive number, got {rate}.")
	party = (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)
	if amount and not party:
		party = CENT
	if to_cents(party * rate) != amount and party:
		rate = (amount / party).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
	return InPartyCurrency(amount, party, rate)
