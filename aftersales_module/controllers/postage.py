"""The postage a customer paid to send the goods back, reimbursed where the policy has the company pay
the freight (seed 003, 从支付宝退邮费客户).

Customer service records the customer's carrier, tracking number and postage at intake, or the
warehouse at receipt. The reimbursement is made once, by the accountant: a Journal Entry owes the
postage to the customer against the return shipping account, and a Payment Entry pays it to the
customer from the account the refund settings name (cash at the store, or the way the customer paid). Both carry the case's back-link and are cancelled with the case.
"""

import math
from decimal import Decimal

import frappe
from erpnext.accounts.party import get_party_account
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.claim_vouchers import journal_entry, party_line
from aftersales_module.controllers.field_checks import as_number
from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.return_credit import refund_route
from aftersales_module.controllers.return_documents import find_posting, submit_posting
from aftersales_module.controllers.steps import differs
from aftersales_module.core.postage import reimbursable_postage, reimbursement_refusal

POSTAGE_OWED = "Postage Owed"
POSTAGE_REIMBURSED = "Postage Reimbursed"
POSTAGE_FIELDS = ("customer_carrier", "customer_tracking_no", "customer_postage", "customer_postage_currency")


class PostageError(frappe.ValidationError):
	pass


def refuse(message: str, title: str | None = None) -> None:
	frappe.throw(message, PostageError, title=title or _("Check the Postage"))


def company_currency(case) -> str:
	return frappe.get_cached_value("Company", case.company, "default_currency")


def validate_postage(case) -> None:
	"""validate and before_update_after_submit: the postage is an amount, kept as it was once reimbursed."""
	postage = flt(case.get("customer_postage"))
	if not math.isfinite(postage) or postage < 0:
		refuse(_("Postage Paid by Customer cannot be negative. Enter 0 when the customer paid none."))
	if postage and not case.get("customer_postage_currency"):
		case.customer_postage_currency = company_currency(case)
	for fieldname in ("customer_carrier", "customer_tracking_no"):
		if len(case.get(fieldname) or "") > 140:
			refuse(_("{0} must be at most 140 characters.").format(_(case.meta.get_label(fieldname))))
	before = case.get_doc_before_save()
	if before is None or not flt(before.get("postage_reimbursed")) or case.flags.server_step:
		return
	changed = [
		_(case.meta.get_label(field))
		for field in ("customer_postage", "customer_postage_currency")
		if differs(case.get(field), before.get(field))
	]
	if changed:
		refuse(
			_(
				"The postage was already reimbursed: {0} can no longer change. Cancel the case to correct it."
			).format(", ".join(changed))
		)


def clear_server_fields(case) -> None:
	for fieldname in ("postage_reimbursed", "postage_payment"):
		case.set(fieldname, None)


def amount_argument(value, due: Decimal) -> Decimal:
	"""The amount to reimburse as the form sends it; nothing given is all that is due."""
	if value is None or value == "":
		return due
	number = as_number(value)
	if number is None or not number.is_finite():
		refuse(
			_("Amount to Reimburse must be a number, like 12.50, not {0}.").format(
				frappe.bold(str(value)[:40])
			),
			_("Invalid Number"),
		)
	return number.quantize(Decimal("0.01"))


def reimburse_postage(case, amount=None) -> str:
	"""Pay the company's share of the customer's postage back, once."""
	postage = Decimal(str(flt(case.get("customer_postage"))))
	due = reimbursable_postage(postage, case.shipping_payer)
	amount = amount_argument(amount, due)
	reimbursed = Decimal(str(flt(case.get("postage_reimbursed"))))
	if find_posting(case, POSTAGE_REIMBURSED, "Payment Entry"):
		reimbursed = reimbursed or postage
	reason = reimbursement_refusal(amount, postage, case.shipping_payer, reimbursed)
	if reason:
		refuse(translate(reason), _("Cannot Reimburse"))
	if case.customer_postage_currency != company_currency(case):
		refuse(
			_("Postage is reimbursed in {0}, the company's currency; the customer paid it in {1}.").format(
				company_currency(case), case.customer_postage_currency
			)
		)
	owe_postage(case, amount)
	payment = pay_postage(case, amount)
	case.postage_reimbursed = flt(amount)
	case.postage_payment = payment
	return payment


def owe_postage(case, amount: Decimal) -> None:
	"""The postage is the company's return shipping cost, owed to the customer."""
	settings = get_company_settings(case.company)
	entry = journal_entry(
		case,
		_("Postage the customer paid for Return Request {0}").format(case.name),
		[
			{"account": settings.return_shipping_account, "debit_in_account_currency": flt(amount)},
			party_line(case, "Customer", case.customer, "credit", amount),
		],
	)
	submit_posting(case, entry, POSTAGE_OWED, None, flt(amount))


def pay_postage(case, amount: Decimal) -> str:
	"""A Payment Entry to the customer from the refund's cash or bank account. It pays what the Journal
	Entry owes them, so the customer's balance is even; ERPNext's Payment Reconciliation matches the two."""
	mode_of_payment, bank_account = (
		refund_route(case, first_invoice(case)) if first_invoice(case) else (None, None)
	)
	bank_account = (
		bank_account
		or frappe.get_cached_value("Company", case.company, "default_cash_account")
		or frappe.get_cached_value("Company", case.company, "default_bank_account")
	)
	receivable = get_party_account("Customer", case.customer, case.company)
	if frappe.get_cached_value("Account", receivable, "account_currency") != company_currency(case):
		refuse(
			_("The customer's account {0} is not in {1}: reimburse the postage by hand.").format(
				receivable, company_currency(case)
			)
		)
	payment = frappe.get_doc(
		{
			"doctype": "Payment Entry",
			"payment_type": "Pay",
			"company": case.company,
			"posting_date": nowdate(),
			"mode_of_payment": mode_of_payment or None,
			"party_type": "Customer",
			"party": case.customer,
			"paid_from": bank_account,
			"paid_to": receivable,
			"paid_amount": flt(amount),
			"received_amount": flt(amount),
			"source_exchange_rate": 1,
			"target_exchange_rate": 1,
			"reference_no": case.customer_tracking_no or case.name,
			"reference_date": nowdate(),
			"remarks": _("Postage reimbursed for Return Request {0}").format(case.name),
		}
	)
	payment.setup_party_account_field()
	payment.set_missing_values()
	submit_posting(case, payment, POSTAGE_REIMBURSED, None, flt(amount))
	return payment.name


def first_invoice(case) -> str | None:
	return case.get("sales_invoice") or next(
		(row.sales_invoice for row in case.items if row.sales_invoice), None
	)
