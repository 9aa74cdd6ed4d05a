"""The credit notes and refunds of a Return Request.

The deductions of a case are planned over every line it credits (`core.return_postings`), so the
notes made at goods-in and at the refund add up to the case's figure. They are a discount on each
credit note, so the tax reversed is the tax on what is credited (`core.credit_notes`); the case shows
the same figures before the notes exist.
"""

from collections import defaultdict
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.invoice_reads import (
	credited_before_case,
	invoice_conversion_rate,
	invoice_tax_rows,
	line_net,
	line_taxes,
	request_reads,
)
from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.pos_sales import pos_sale_lines, till_credit, till_refunds
from aftersales_module.controllers.return_documents import (
	CREDIT_NOTE,
	GOODS_IN,
	REFUND,
	find_posting,
	one_line_per_part,
	release_hold,
	set_returned_line,
	submit_posting,
)
from aftersales_module.controllers.sales_history import lock_invoice_lines
from aftersales_module.controllers.stored_texts import keep
from aftersales_module.core.enums import RefundMethod, RequestType
from aftersales_module.core.messages import Amount, Message
from aftersales_module.core.return_postings import (
	CreditLine,
	CreditNotePlan,
	case_credit,
	credit_goods,
	plan_credit_notes,
	refund_to_pay,
)
from aftersales_module.setup.custom_fields import POSTING_KEY, RETURN_REQUEST_LINK

# How ERPNext's rounding methods round a credit note's amounts, which it holds negative.
# Aftersales Company Settings' Refund at: the invoice's rate, or today's.
TODAYS_RATE = "Today's Rate"
ROUNDING = {
	"Banker's Rounding": ROUND_HALF_EVEN,
	"Commercial Rounding": ROUND_HALF_UP,
	"Banker's Rounding (legacy)": ROUND_HALF_DOWN,
}


class CreditNoteMismatch(frappe.ValidationError):
	pass


def credit_qty(case, row) -> float:
	# Refund-only requests credit what was asked; goods that come back are credited as accepted.
	return flt(row.qty) if case.request_type == RequestType.REFUND_ONLY else flt(row.accepted_qty)


def figure_qty(case, row) -> float:
	"""What the case's figures count: what is asked for until goods were accepted, then what is credited."""
	if case.request_type == RequestType.REFUND_ONLY or any(flt(each.accepted_qty) for each in case.items):
		return credit_qty(case, row)
	return flt(row.qty)


def site_rounding() -> str:
	return ROUNDING.get(frappe.get_system_settings("rounding_method"), ROUND_HALF_EVEN)


def credit_plans(case, qty_of=credit_qty, rows=None, posting: bool = False) -> list[CreditNotePlan]:
	"""The case's credit notes as they will be posted, one per original invoice. `posting`: the invoice
	lines are locked, and what other cases credited on them is read as committed."""
	rows = [
		row for row in (case.items if rows is None else rows) if row.sales_invoice and qty_of(case, row) > 0
	]
	reads = request_reads(case)
	sold_at_till = pos_sale_lines((row.sales_invoice_item for row in rows), reads)
	sources = {row.name: credit_source(row, sold_at_till) for row in rows}
	taxes = {
		invoice: invoice_tax_rows(invoice, doctype, reads)
		for doctype, invoice, _line in dict.fromkeys(sources.values())
	}
	lines, credited_before = [], None
	# Units of each discounted line credited before a row: by other cases' notes made before this case
	# credited the line, then by this case's earlier rows on it, so the rows' shares add up to the line.
	carried = defaultdict(Decimal)
	for row in rows:
		doctype, invoice, invoice_line = sources[row.name]
		rates, price, discounted = line_taxes(invoice_line, taxes[invoice], doctype, reads)
		net, units = line_net(invoice_line, doctype, reads) if discounted else (None, None)
		if discounted and doctype == "Sales Invoice" and credited_before is None:
			credited_before = credited_before_case(
				case, [each.sales_invoice_item for each in rows], posting or bool(case.flags.crediting)
			)
		before = Decimal(str((credited_before or {}).get(invoice_line, 0))) + carried[invoice_line]
		carried[invoice_line] += Decimal(str(qty_of(case, row)))
		lines.append(
			CreditLine(
				row.name,
				invoice,
				invoice_line,
				Decimal(str(qty_of(case, row))),
				Decimal(str(flt(row.rate))),
				rates,
				price,
				discounted,
				net,
				units,
				before,
			)
		)
	rounding = site_rounding()
	try:
		breakdown = case.refund_breakdown(credit_goods(lines, taxes, rounding))
		return plan_credit_notes(lines, breakdown, taxes, rounding)
	except ValueError as error:
		frappe.throw(translate(error.args[0]), title=_("Cannot Work Out the Credit"))


def credit_source(row, sold_at_till) -> tuple[str, str, str]:
	"""The invoice and line a row is credited against: a sale made at the till by a POS return against
	its POS Invoice (whose taxes the consolidated invoice only sums up), any other by a credit note."""
	till = sold_at_till.get(row.sales_invoice_item)
	if till:
		return "POS Invoice", till.pos_invoice, till.pos_invoice_item
	return "Sales Invoice", row.sales_invoice, row.sales_invoice_item


def set_credit_figures(case) -> None:
	"""The figures ERPNext will post, on the case: the goods net of tax, the deductions, the tax on the
	credit, the credit per invoice and in total, and in company currency when the invoices are in another."""
	plans = credit_plans(case, figure_qty)
	credit = case_credit(plans)
	breakdown = case.refund_breakdown(credit.goods)
	if plans and not any(flt(row.accepted_qty) for row in case.items):
		refuse_excess_deductions(case, breakdown)
	case.goods_amount = credit.goods
	case.customer_shipping = breakdown.customer_shipping
	case.company_shipping = breakdown.company_shipping
	case.total_deductions = credit.deductions
	case.refund_amount = credit.credit
	case.credit_tax = credit.tax
	case.taxes_included = int(credit.taxes_included)
	taxed = Message(
		"With {0} of tax on what is credited, {1} is credited.", Amount(credit.tax), Amount(credit.credit)
	)
	keep(case, "refund_rule", breakdown.rule, *([taxed] if credit.tax else []))
	case.company_currency = frappe.get_cached_value("Company", case.company, "default_currency")
	reads = request_reads(case)
	rates = {plan.sales_invoice: invoice_conversion_rate(plan.sales_invoice, reads) for plan in plans}
	case.conversion_rate = next(iter(rates.values()), 1) if len(set(rates.values())) <= 1 else 0
	case.base_refund_amount = sum(
		(in_company_currency(plan.credit_amount, rates[plan.sales_invoice]) for plan in plans), Decimal(0)
	)
	keep(
		case,
		"credit_breakdown",
		*(credit_line_text(case, plan, rates[plan.sales_invoice]) for plan in plans),
		sep="\n",
	)
	# Advances paid back on order lines cancelled unshipped (that module builds on this one).
	from aftersales_module.controllers.order_returns import add_order_refund

	add_order_refund(case)


def refuse_excess_deductions(case, breakdown) -> None:
	"""A fee or shipping share larger than the goods asked for is a typing error, not a refund of nothing."""
	excess = Decimal(str(flt(case.handling_fee))) - breakdown.handling_fee + breakdown.uncollected_shipping
	if excess > 0:
		frappe.throw(
			_(
				"The deductions come to {0} more than the goods amount {1}. Lower the Handling Fee or the Shipping Cost, or choose who pays the shipping."
			).format(excess, breakdown.goods_amount),
			title=_("Check the Amounts"),
		)


def credit_line_text(case, plan: CreditNotePlan, rate: float) -> Message:
	totals = plan.totals
	text = Message(
		"{0}: goods {1}, deductions {2}, {3} {4}, credit {5}",
		plan.sales_invoice,
		Amount(totals.goods),
		Amount(totals.deductions),
		Message("tax included") if totals.taxes_included else Message("tax"),
		Amount(totals.tax),
		Amount(totals.grand_total),
	)
	if case.currency and case.currency != case.company_currency:
		base = Amount(in_company_currency(totals.grand_total, rate))
		text = Message("{0} {1} = {2} {3}", text, case.currency, base, case.company_currency)
	return text


def in_company_currency(amount: Decimal, rate: float) -> Decimal:
	"""As ERPNext converts a document's total: the amount times its exchange rate, to the cent."""
	return (Decimal(amount) * Decimal(str(rate))).quantize(Decimal("0.01"), rounding=site_rounding())


def make_credit_notes(case, rows=None, return_warehouse: str | None = None) -> None:
	"""A Sales Invoice return against each original invoice of `rows` not yet credited.

	The deductions are shared over every line the case credits, whenever each note is made: a note
	made at goods-in and another made at the refund each take their share of the same plan, so the
	notes always add up to the case's figure and no fee is lost or charged twice."""
	creditable = [row for row in case.items if credit_qty(case, row) > 0]
	# A sale made at the till is credited by its POS return (controllers.pos_returns).
	wanted = {
		row.name
		for row in (case.items if rows is None else rows)
		if not row.credit_note and not row.get("pos_return")
	}
	if not wanted & {row.name for row in creditable}:
		return
	# Locked before the plan, which reads what other cases credited on them.
	lock_invoice_lines(row.sales_invoice_item for row in creditable)
	plans = credit_plans(case, credit_qty, creditable, posting=True)
	by_name = {row.name: row for row in creditable}
	plans = [plan for plan in plans if {line.line_key for line in plan.lines} & wanted]
	for plan in plans:
		credit_note = find_posting(case, (CREDIT_NOTE, GOODS_IN), "Sales Invoice", plan.sales_invoice)
		if not credit_note:
			credit_note = make_credit_note(case, plan, by_name, return_warehouse)
		for line in plan.lines:
			release_hold(by_name[line.line_key])
			by_name[line.line_key].credit_note = credit_note
	case.credited_amount = sum(-flt(note.grand_total) for note in credit_notes_of(case)) + till_credit(
		case.name
	)


def make_credit_note(case, plan, rows_by_name, return_warehouse: str | None) -> str:
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	credit_note = make_return_doc("Sales Invoice", plan.sales_invoice)
	rows = [rows_by_name[line.line_key] for line in plan.lines]
	credit_note.update_stock = 1 if return_warehouse else 0
	for item, row in one_line_per_part(
		credit_note, "sales_invoice_item", [(row.sales_invoice_item, row) for row in rows]
	):
		set_returned_line(
			item, frappe._dict(row.as_dict(), accepted_qty=credit_qty(case, row)), return_warehouse
		)
		if not return_warehouse:
			item.serial_no = item.batch_no = None
			item.serial_and_batch_bundle = None
	credit_note.posting_date = nowdate()
	credit_note.set_posting_time = 1
	credit_note.disable_rounded_total = 1
	credit_note.ignore_pricing_rule = 1
	credit_note.remarks = credit_remarks(case, plan)
	take_deductions(case, credit_note, plan)
	outstanding = flt(frappe.db.get_value("Sales Invoice", plan.sales_invoice, "outstanding_amount"))
	# While the original is unpaid the credit lowers what is owed on it; once paid it stands on its own
	# and is refunded.
	credit_note.update_outstanding_for_self = 0 if outstanding >= party_amount_of(credit_note) else 1
	purpose = GOODS_IN if return_warehouse else CREDIT_NOTE
	submit_posting(case, credit_note, purpose, plan.sales_invoice, abs(flt(credit_note.grand_total)))
	return credit_note.name


def take_deductions(case, credit_note, plan: CreditNotePlan) -> None:
	"""The deductions as the credit note's discount, so its taxes are charged on what is credited; then
	ERPNext's own totals must be the plan's."""
	totals = plan.totals
	credit_note.taxes = [tax for tax in credit_note.taxes if tax.charge_type == "On Net Total"]
	for idx, tax in enumerate(credit_note.taxes, start=1):
		tax.idx = idx
	credit_note.additional_discount_percentage = 0
	credit_note.is_cash_or_non_trade_discount = 0
	credit_note.apply_discount_on = totals.apply_discount_on
	credit_note.discount_amount = -flt(totals.discount)
	if totals.discount and frappe.db.get_single_value("Selling Settings", "enable_discount_accounting"):
		# The original's own discount account if it had one, else the deductions' account.
		credit_note.additional_discount_account = (
			credit_note.get("additional_discount_account")
			or get_company_settings(case.company).return_deduction_account
		)
	credit_note.calculate_taxes_and_totals()
	posted = (
		-flt(credit_note.grand_total, 2),
		tuple(-flt(tax.tax_amount_after_discount_amount, 2) for tax in credit_note.taxes),
	)
	planned = (flt(totals.grand_total), tuple(flt(tax) for tax in totals.taxes))
	if posted != planned:
		frappe.throw(
			_(
				"The credit note against {0} comes to {1} (taxes {2}) where the case worked out {3} (taxes {4}). Nothing was posted; report this with the invoice's taxes."
			).format(plan.sales_invoice, posted[0], list(posted[1]), planned[0], list(planned[1])),
			exc=CreditNoteMismatch,
			title=_("Credit Does Not Match"),
		)


def credit_remarks(case, plan: CreditNotePlan) -> str:
	remarks = _("Credit for Return Request {0}").format(case.name)
	taken = [
		(plan.depreciation, _("depreciation {0}")),
		(plan.handling_fee, _("handling fee {0}")),
		(plan.customer_shipping, _("the customer's return shipping {0}")),
	]
	named = [text.format(amount) for amount, text in taken if amount]
	if named:
		remarks += "; " + _("less {0}, as a discount").format(", ".join(named))
	return remarks


def party_amount_of(invoice) -> float:
	"""An invoice's total in its receivable account's currency, where ERPNext keeps what is outstanding."""
	if (
		invoice.party_account_currency
		== frappe.get_cached_value("Company", invoice.company, "default_currency")
		and invoice.currency != invoice.party_account_currency
	):
		return abs(flt(invoice.base_grand_total))
	return abs(flt(invoice.grand_total))


# ---- refund --------------------------------------------------------------------------------------------
# Refunds are in the receivable account's currency, as ERPNext keeps what a credit note leaves open; the
# Payment Entry converts them at the credit note's (the invoice's) exchange rate, as its own
# `get_payment_entry` does, so paying back books no exchange gain or loss.


def make_refund_payments(case) -> None:
	for credit_note in credit_notes_of(case):
		if find_posting(case, REFUND, "Payment Entry", credit_note.return_against):
			continue
		outstanding = -flt(credit_note.outstanding_amount)
		amount = refund_to_pay(
			Decimal(str(max(outstanding, 0))),
			Decimal(str(paid_on_invoice(credit_note.return_against))),
			Decimal(str(refunded_on_invoice(credit_note.return_against))),
		)
		if amount <= 0:
			continue
		make_refund_payment(case, credit_note, flt(amount))
	refunded, base_refunded = refunded_by_case(case)
	at_the_till, base_at_the_till = till_refunds(case.name)
	case.refunded_amount, case.base_refunded_amount = refunded + at_the_till, base_refunded + base_at_the_till


def credit_notes_of(case) -> list:
	"""The live credit notes the case made, as goods in or as credit alone, oldest first."""
	return frappe.db.sql(
		f"""select name, return_against, grand_total, base_grand_total, conversion_rate, outstanding_amount
		from `tabSales Invoice`
		where docstatus = 1 and is_return = 1 and {RETURN_REQUEST_LINK} = %(case)s
		and ({POSTING_KEY} like %(goods_in)s or {POSTING_KEY} like %(credit)s)
		order by creation""",
		{"case": case.name, "goods_in": f"{GOODS_IN}:%", "credit": f"{CREDIT_NOTE}:%"},
		as_dict=True,
	)


def refunded_by_case(case) -> tuple[float, float]:
	"""What the case paid back, in the case's (the invoices') currency and in company currency: a refund
	from a company-currency receivable counts the share of its credit note it paid, so paying a note in
	full counts the note's own total (converting back at the rate could be a cent off it, as ERPNext
	rounds the note's company-currency total from its rounded parts)."""
	refunds = frappe.db.sql(
		f"""select pe.name, pe.paid_to_account_currency, pe.received_amount, pe.base_paid_amount,
			max(cn.conversion_rate) as conversion_rate, max(abs(cn.grand_total)) as note_total,
			max(abs(cn.base_grand_total)) as base_note_total
		from `tabPayment Entry` pe
		left join `tabPayment Entry Reference` ref on ref.parent = pe.name and ref.reference_doctype = 'Sales Invoice'
		left join `tabSales Invoice` cn on cn.name = ref.reference_name
		where pe.docstatus = 1 and pe.payment_type = 'Pay' and pe.{RETURN_REQUEST_LINK} = %s
		and pe.{POSTING_KEY} like %s
		group by pe.name""",
		(case.name, f"{REFUND}:%"),
		as_dict=True,
	)
	in_case_currency = sum(refund_in_case_currency(case, refund) for refund in refunds)
	return in_case_currency, sum(flt(refund.base_paid_amount) for refund in refunds)


def refund_in_case_currency(case, refund) -> float:
	if refund.paid_to_account_currency == case.currency:
		return flt(refund.received_amount)
	if flt(refund.base_note_total):
		return flt(flt(refund.note_total) * flt(refund.base_paid_amount) / flt(refund.base_note_total), 2)
	return flt(flt(refund.base_paid_amount) / (flt(refund.conversion_rate) or 1), 2)


def paid_on_invoice(sales_invoice: str) -> float:
	"""What the customer paid on an invoice, in its receivable account's currency: its total less what
	is still open and what credit notes took off it."""
	invoice = frappe.db.sql(
		"""select invoice.grand_total, invoice.base_grand_total, invoice.outstanding_amount, invoice.currency,
			invoice.party_account_currency, invoice.company,
			coalesce(sum(-note.grand_total), 0) as credited, coalesce(sum(-note.base_grand_total), 0) as base_credited
		from `tabSales Invoice` invoice
		left join `tabSales Invoice` note on note.return_against = invoice.name and note.docstatus = 1
			and note.is_return = 1 and note.update_outstanding_for_self = 0
		where invoice.name = %s
		group by invoice.name""",
		sales_invoice,
		as_dict=True,
	)[0]
	# Credit notes that lowered what was owed on it, in the same currency as its total.
	total, credited = (
		("base_grand_total", "base_credited")
		if in_company_currency_account(invoice)
		else ("grand_total", "credited")
	)
	return max(flt(invoice.get(total)) - flt(invoice.outstanding_amount) - flt(invoice.get(credited)), 0)


def in_company_currency_account(invoice) -> bool:
	company_currency = frappe.get_cached_value("Company", invoice.company, "default_currency")
	return invoice.currency != company_currency and invoice.party_account_currency == company_currency


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
	"""`amount` is in the receivable account's currency; ERPNext works out what leaves the bank or cash
	account from it at the credit note's exchange rate."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	mode_of_payment, account = refund_route(case, credit_note.return_against)
	payment = get_payment_entry("Sales Invoice", credit_note.name, party_amount=-amount, bank_account=account)
	pay_at_todays_rate_if_chosen(case, payment)
	if mode_of_payment:
		payment.mode_of_payment = mode_of_payment
	payment.reference_no = case.name
	payment.reference_date = nowdate()
	payment.remarks = _("Refund for Return Request {0}").format(case.name)
	submit_posting(case, payment, REFUND, credit_note.return_against, amount)


def pay_at_todays_rate_if_chosen(case, payment) -> None:
	"""A company may refund a customer billed in another currency at today's rate: the customer gets the
	same amount in their currency, and ERPNext books the difference as exchange gain or loss."""
	company_currency = frappe.get_cached_value("Company", case.company, "default_currency")
	settings = get_company_settings(case.company)
	if (
		settings.get("refund_exchange_rate") != TODAYS_RATE
		or payment.paid_to_account_currency == company_currency
	):
		return
	from erpnext.setup.utils import get_exchange_rate

	rate = flt(get_exchange_rate(payment.paid_to_account_currency, company_currency, nowdate()))
	if not rate:
		frappe.throw(
			_(
				"There is no exchange rate from {0} to {1} for {2}. Add a Currency Exchange record, then try again."
			).format(payment.paid_to_account_currency, company_currency, nowdate()),
			title=_("Exchange Rate Missing"),
		)
	payment.target_exchange_rate = rate
	payment.paid_amount = flt(
		flt(payment.received_amount) * rate / flt(payment.source_exchange_rate or 1),
		payment.precision("paid_amount"),
	)
	payment.set_amounts()


def refund_route(case, paid: str, paid_doctype: str = "Sales Invoice") -> tuple[str | None, str | None]:
	"""Mode of payment and account to pay back from: cash at the store, or the way the customer paid the
	invoice (or the order's advance)."""
	if case.refund_method == RefundMethod.CASH_AT_STORE:
		account = frappe.get_cached_value("Company", case.company, "default_cash_account")
		return (frappe.db.exists("Mode of Payment", "Cash") and "Cash"), account
	received = frappe.db.sql(
		"""select pe.mode_of_payment, pe.paid_to from `tabPayment Entry` pe
		join `tabPayment Entry Reference` ref on ref.parent = pe.name
		where pe.docstatus = 1 and pe.payment_type = 'Receive' and ref.reference_doctype = %s
		and ref.reference_name = %s order by pe.posting_date desc, pe.creation desc limit 1""",
		(paid_doctype, paid),
		as_dict=True,
	)
	if received:
		return received[0].mode_of_payment, received[0].paid_to
	return None, None
