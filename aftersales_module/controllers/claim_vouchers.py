"""The vouchers a Compensation Claim's money is posted on, in the party account's currency.

A claim's amounts are in company currency. When the customer's receivable or the supplier's payable is
kept in another currency, the Journal Entry line or the credit / debit note is in that currency, at the
sale's exchange rate when the claim is about a sale in that currency and otherwise at the day's rate,
so the party is credited or debited in its own money and the ledger holds the claim's figure in
company currency (`core.currency`).
"""

from decimal import Decimal

import frappe
from erpnext.accounts.party import get_party_account
from erpnext.setup.utils import get_exchange_rate
from frappe import _
from frappe.utils import flt, nowdate
from frappe.utils.nestedset import get_root_of

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.core.currency import InPartyCurrency, to_party_currency

COMPENSATION_ITEM = "AFTERSALES-COMPENSATION"


def party_amount(claim, party_type: str, party: str, amount) -> tuple[str, InPartyCurrency | None]:
	"""The party's account and, when it is not in company currency, the amount in its currency."""
	account = get_party_account(party_type, party, claim.company)
	currency = frappe.get_cached_value("Account", account, "account_currency")
	company_currency = frappe.get_cached_value("Company", claim.company, "default_currency")
	if currency == company_currency:
		return account, None
	rate = sale_rate(claim, currency) or get_exchange_rate(currency, company_currency, nowdate())
	if not flt(rate):
		frappe.throw(
			_(
				"There is no exchange rate from {0} to {1} for {2}. Add a Currency Exchange record, then try again."
			).format(currency, company_currency, nowdate()),
			title=_("Exchange Rate Missing"),
		)
	converted = to_party_currency(Decimal(str(flt(amount))), Decimal(str(flt(rate, 9))))
	record_conversion(claim, party, currency, company_currency, converted)
	return account, converted


def sale_rate(claim, currency: str) -> float | None:
	"""The exchange rate of the sale the claim is about, when it was made in the party's currency."""
	if not claim.get("sales_invoice"):
		return None
	invoice = frappe.db.get_value(
		"Sales Invoice", claim.sales_invoice, ["currency", "conversion_rate"], as_dict=True
	)
	return invoice.conversion_rate if invoice and invoice.currency == currency else None


def record_conversion(claim, party: str, currency: str, company_currency: str, converted) -> None:
	# No words: the line is kept on the claim and read in every reader's language.
	rate = flt(converted.exchange_rate, 9)
	line = f"{party}: {converted.party_amount} {currency} × {rate} = {converted.company_amount} {company_currency}"
	claim.party_currency_amounts = "\n".join(filter(None, [claim.get("party_currency_amounts"), line]))


def party_line(claim, party_type: str, party: str, side: str, amount) -> dict:
	"""A Journal Entry line on the party's account, in its currency."""
	account, converted = party_amount(claim, party_type, party, amount)
	line = {"account": account, "party_type": party_type, "party": party}
	if not converted:
		return {**line, f"{side}_in_account_currency": flt(amount)}
	return {
		**line,
		"account_currency": frappe.get_cached_value("Account", account, "account_currency"),
		"exchange_rate": flt(converted.exchange_rate, 9),
		f"{side}_in_account_currency": flt(converted.party_amount),
	}


def journal_entry(claim, remark: str, lines: list[dict]):
	accounts = get_company_settings(claim.company)
	return frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": claim.company,
			"posting_date": nowdate(),
			"cheque_no": claim.name,
			"cheque_date": nowdate(),
			"user_remark": remark,
			"multi_currency": int(any(line.get("exchange_rate") for line in lines)),
			"accounts": [{"cost_center": accounts.cost_center, **line} for line in lines],
		}
	)


def note_without_goods(claim, party: dict, line_account: dict, amount, remark: str):
	"""A return invoice of one compensation line and no stock: a credit note to the customer or a
	debit note to the supplier, named in `party` with its doctype, in the party account's currency."""
	accounts = get_company_settings(claim.company)
	party_type = "Customer" if party["doctype"] == "Sales Invoice" else "Supplier"
	account, converted = party_amount(claim, party_type, party[party_type.lower()], amount)
	in_party_currency = {}
	if converted:
		in_party_currency = {
			"currency": frappe.get_cached_value("Account", account, "account_currency"),
			"conversion_rate": flt(converted.exchange_rate, 9),
			"debit_to" if party_type == "Customer" else "credit_to": account,
		}
	return frappe.get_doc(
		{
			**party,
			"company": claim.company,
			"currency": claim.currency,
			**in_party_currency,
			"is_return": 1,
			"posting_date": nowdate(),
			"set_posting_time": 1,
			"update_stock": 0,
			"disable_rounded_total": 1,
			"ignore_pricing_rule": 1,
			"remarks": remark,
			"items": [
				{
					"item_code": get_compensation_item(),
					"qty": -1,
					"rate": flt(converted.party_amount if converted else amount),
					"cost_center": accounts.cost_center,
					**line_account,
				}
			],
		}
	)


def get_compensation_item() -> str:
	"""A non-stock service item that carries the compensation on credit and debit notes."""
	if not frappe.db.exists("Item", COMPENSATION_ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": COMPENSATION_ITEM,
				"item_name": _("After-sales Compensation"),
				"item_group": get_root_of("Item Group"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"include_item_in_manufacturing": 0,
			}
		).insert(ignore_permissions=True)
	return COMPENSATION_ITEM
