"""The credit notes and refunds of a Return Request.

The deductions of a case are planned over every line it credits (`core.return_postings`), so the
notes made at goods-in and at the refund add up to the case's figure.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.return_documents import (
	CREDIT_NOTE,
	GOODS_IN,
	REFUND,
	find_posting,
	keep_lines,
	release_hold,
	set_returned_line,
	submit_posting,
)
from aftersales_module.controllers.sales_history import lock_invoice_lines
from aftersales_module.core.enums import RefundMethod, RequestType
from aftersales_module.core.return_postings import CreditLine, plan_credit_notes, refund_to_pay
from aftersales_module.setup.custom_fields import POSTING_KEY, RETURN_REQUEST_LINK


def credit_qty(case, row) -> float:
	# Refund-only requests credit what was asked; goods that come back are credited as accepted.
	return flt(row.qty) if case.request_type == RequestType.REFUND_ONLY else flt(row.accepted_qty)


def make_credit_notes(case, rows=None, return_warehouse: str | None = None) -> None:
	"""A Sales Invoice return against each original invoice of `rows` not yet credited.

	The deductions are shared over every line the case credits, whenever each note is made: a note
	made at goods-in and another made at the refund each take their share of the same plan, so the
	notes always add up to the case's figure and no fee is lost or charged twice."""
	creditable = [row for row in case.items if credit_qty(case, row) > 0]
	wanted = {row.name for row in (case.items if rows is None else rows) if not row.credit_note}
	if not wanted & {row.name for row in creditable}:
		return
	plans = plan_credit_notes(
		[
			CreditLine(
				row.name,
				row.sales_invoice,
				row.sales_invoice_item,
				Decimal(str(credit_qty(case, row))),
				row.rate,
			)
			for row in creditable
		],
		case.refund_breakdown(
			sum(Decimal(str(credit_qty(case, row))) * Decimal(str(row.rate)) for row in creditable)
		),
	)
	by_name = {row.name: row for row in creditable}
	plans = [plan for plan in plans if {line.line_key for line in plan.lines} & wanted]
	lock_invoice_lines(line.invoice_line for plan in plans for line in plan.lines)
	for plan in plans:
		credit_note = find_posting(case, (CREDIT_NOTE, GOODS_IN), "Sales Invoice", plan.sales_invoice)
		if not credit_note:
			credit_note = make_credit_note(case, plan, by_name, return_warehouse)
		for line in plan.lines:
			release_hold(by_name[line.line_key])
			by_name[line.line_key].credit_note = credit_note
	case.credited_amount = sum(-flt(note.grand_total) for note in credit_notes_of(case))


def make_credit_note(case, plan, rows_by_name, return_warehouse: str | None) -> str:
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	settings = get_company_settings(case.company)
	credit_note = make_return_doc("Sales Invoice", plan.sales_invoice)
	wanted = {
		rows_by_name[line.line_key].sales_invoice_item: rows_by_name[line.line_key] for line in plan.lines
	}
	keep_lines(credit_note, lambda item: item.sales_invoice_item in wanted)
	credit_note.update_stock = 1 if return_warehouse else 0
	for item in credit_note.items:
		row = wanted[item.sales_invoice_item]
		set_returned_line(
			item, frappe._dict(row.as_dict(), accepted_qty=credit_qty(case, row)), return_warehouse
		)
		if not return_warehouse:
			item.serial_no = item.batch_no = None
			item.serial_and_batch_bundle = None

	deductions = (
		(plan.depreciation, settings.return_deduction_account, _("Depreciation kept under {0}")),
		(plan.handling_fee, settings.return_deduction_account, _("Handling fee kept under {0}")),
		(
			plan.customer_shipping,
			settings.return_shipping_account,
			_("Return shipping paid by the customer under {0}"),
		),
	)
	for amount, account, description in deductions:
		if amount:
			credit_note.append(
				"taxes",
				{
					"charge_type": "Actual",
					"account_head": account,
					"cost_center": settings.cost_center,
					"description": description.format(case.name),
					"tax_amount": flt(amount),
				},
			)
	credit_note.posting_date = nowdate()
	credit_note.set_posting_time = 1
	credit_note.disable_rounded_total = 1
	credit_note.ignore_pricing_rule = 1
	credit_note.remarks = _("Credit for Return Request {0}").format(case.name)
	outstanding = flt(frappe.db.get_value("Sales Invoice", plan.sales_invoice, "outstanding_amount"))
	# While the original is unpaid the credit lowers what is owed on it; once paid it stands on its own
	# and is refunded.
	credit_note.update_outstanding_for_self = 0 if outstanding >= flt(plan.credit_amount) else 1
	purpose = GOODS_IN if return_warehouse else CREDIT_NOTE
	submit_posting(case, credit_note, purpose, plan.sales_invoice, abs(flt(credit_note.grand_total)))
	return credit_note.name


# ---- refund --------------------------------------------------------------------------------------------


def make_refund_payments(case) -> None:
	for credit_note in credit_notes_of(case):
		if find_posting(case, REFUND, "Payment Entry", credit_note.return_against):
			continue
		outstanding = -flt(frappe.db.get_value("Sales Invoice", credit_note.name, "outstanding_amount"))
		amount = refund_to_pay(
			Decimal(str(max(outstanding, 0))),
			Decimal(str(paid_on_invoice(credit_note.return_against))),
			Decimal(str(refunded_on_invoice(credit_note.return_against))),
		)
		if amount <= 0:
			continue
		make_refund_payment(case, credit_note, flt(amount))
	case.refunded_amount = refunded_by_case(case)


def credit_notes_of(case) -> list:
	"""The live credit notes the case made, as goods in or as credit alone, oldest first."""
	return frappe.db.sql(
		f"""select name, return_against, grand_total from `tabSales Invoice`
		where docstatus = 1 and is_return = 1 and {RETURN_REQUEST_LINK} = %(case)s
		and ({POSTING_KEY} like %(goods_in)s or {POSTING_KEY} like %(credit)s)
		order by creation""",
		{"case": case.name, "goods_in": f"{GOODS_IN}:%", "credit": f"{CREDIT_NOTE}:%"},
		as_dict=True,
	)


def refunded_by_case(case) -> float:
	return flt(
		frappe.db.sql(
			f"""select coalesce(sum(paid_amount), 0) from `tabPayment Entry`
			where docstatus = 1 and payment_type = 'Pay' and {RETURN_REQUEST_LINK} = %s and {POSTING_KEY} like %s""",
			(case.name, f"{REFUND}:%"),
		)[0][0]
	)


def paid_on_invoice(sales_invoice: str) -> float:
	"""What the customer paid on an invoice: its total less what is still open and what credit notes
	took off it."""
	invoice = frappe.db.get_value(
		"Sales Invoice", sales_invoice, ["grand_total", "outstanding_amount"], as_dict=True
	)
	credited_on_it = frappe.db.sql(
		"""select coalesce(sum(-grand_total), 0) from `tabSales Invoice`
		where docstatus = 1 and is_return = 1 and return_against = %s and update_outstanding_for_self = 0""",
		sales_invoice,
	)[0][0]
	return max(flt(invoice.grand_total) - flt(invoice.outstanding_amount) - flt(credited_on_it), 0)


def refunded_on_invoice(sales_invoice: str) -> float:
	return flt(
		frappe.db.sql(
			# ERPNext keeps a refund's allocation to a credit note negative.
			"""select coalesce(sum(abs(ref.allocated_amount)), 0)
			from `tabPayment Entry Reference` ref
			join `tabPayment Entry` pe on pe.name = ref.parent
			join `tabSales Invoice` cn on cn.name = ref.reference_name
			where pe.docstatus = 1 and pe.payment_type = 'Pay' and ref.reference_doctype = 'Sales Invoice'
			and cn.return_against = %s""",
			sales_invoice,
		)[0][0]
	)


def make_refund_payment(case, credit_note, amount: float) -> None:
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", credit_note.name, party_amount=amount)
	mode_of_payment, account = refund_route(case, credit_note.return_against)
	if mode_of_payment:
		payment.mode_of_payment = mode_of_payment
	if account:
		payment.paid_from = account
		payment.paid_from_account_currency = frappe.get_cached_value("Account", account, "account_currency")
	payment.paid_amount = payment.received_amount = amount
	for reference in payment.references:
		reference.allocated_amount = -amount
	payment.reference_no = case.name
	payment.reference_date = nowdate()
	payment.remarks = _("Refund for Return Request {0}").format(case.name)
	payment.set_amounts()
	submit_posting(case, payment, REFUND, credit_note.return_against, amount)


def refund_route(case, sales_invoice: str) -> tuple[str | None, str | None]:
	"""Mode of payment and account to pay back from: cash at the store, or the way the customer paid."""
	if case.refund_method == RefundMethod.CASH_AT_STORE:
		account = frappe.get_cached_value("Company", case.company, "default_cash_account")
		return (frappe.db.exists("Mode of Payment", "Cash") and "Cash"), account
	received = frappe.db.sql(
		"""select pe.mode_of_payment, pe.paid_to from `tabPayment Entry` pe
		join `tabPayment Entry Reference` ref on ref.parent = pe.name
		where pe.docstatus = 1 and pe.payment_type = 'Receive' and ref.reference_doctype = 'Sales Invoice'
		and ref.reference_name = %s order by pe.posting_date desc, pe.creation desc limit 1""",
		sales_invoice,
		as_dict=True,
	)
	if received:
		return received[0].mode_of_payment, received[0].paid_to
	return None, None
