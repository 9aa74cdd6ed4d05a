"""A Sales Order paid in advance and cancelled before it shipped (未發退), taken back as ERPNext would.

Nothing shipped and nothing was invoiced, so no stock moves and no credit note is made. The order gives
up the cancelled lines the two ways ERPNext has: closed, when nothing would be left to ship; else each
cancelled line's quantity lowered (Update Items, `update_child_qty_rate`). The advance is paid back by
a Payment Entry paying the customer: what the cancelled lines cost with their taxes, up to what is left
of the advance, in the customer's account currency at the order's exchange rate. ERPNext allocates a
payment to a customer's order only when receiving, so the refund stands on the customer's account
against the advance, and the customer owes nothing and is owed nothing.

Cancelling the case cancels the refund (by its back-link) and gives the order its lines back: the
quantities restored, or the order reopened.
"""

import json
from collections import defaultdict
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.return_credit import (
	in_company_currency,
	invoice_tax_rows,
	line_taxes,
	pay_at_todays_rate_if_chosen,
	refund_route,
	site_rounding,
)
from aftersales_module.controllers.return_documents import (
	REFUND,
	SALES_ORDER,
	find_posting,
	record_posting,
	submit_posting,
)
from aftersales_module.controllers.stored_texts import SOURCE_LANGUAGE, neutral, render, stored, write
from aftersales_module.controllers.uninvoiced_sales import (
	SO_ITEM,
	held_on,
	lock_lines,
	order_lines,
	order_rows,
	unshipped_by_order,
)
from aftersales_module.core.credit_notes import credit_totals
from aftersales_module.core.enums import RefundMethod
from aftersales_module.core.messages import Amount, Message
from aftersales_module.core.return_postings import CreditLine
from aftersales_module.core.returns import ZERO
from aftersales_module.core.uninvoiced import OrderLine, advance_refund, plan_order_release
from aftersales_module.setup.custom_fields import POSTING_KEY, RETURN_REQUEST_LINK


def rows_by_order(case) -> dict[str, list]:
	by_order = defaultdict(list)
	for row in order_rows(case):
		if flt(row.qty) > 0:
			by_order[row.sales_order].append(row)
	return by_order


# ---- figures -------------------------------------------------------------------------------------------


def order_figures(case, sales_order: str, rows):
	"""(goods net of tax, tax, refund) of the order's cancelled rows, in the order's currency."""
	taxes = invoice_tax_rows(sales_order, "Sales Order")
	lines = []
	for row in rows:
		rates, price, discounted = line_taxes(row.sales_order_item, taxes, "Sales Order")
		lines.append(
			CreditLine(
				row.name,
				sales_order,
				row.sales_order_item,
				Decimal(str(flt(row.qty))),
				Decimal(str(flt(row.rate))),
				rates,
				price,
				discounted,
			).taxed(taxes)
		)
	try:
		totals = credit_totals(lines, taxes, ZERO, site_rounding())
		refund = advance_refund(
			totals.grand_total, advance_left(sales_order), refunded_by_other_cases(case, sales_order)
		)
	except ValueError as error:
		frappe.throw(translate(error.args[0]), title=_("Cannot Work Out the Refund"))
	return totals.goods, totals.tax, refund


def add_order_refund(case) -> None:
	"""The case's figures with what it refunds of advances on cancelled order lines."""
	for sales_order, rows in rows_by_order(case).items():
		goods, tax, refund = order_figures(case, sales_order, rows)
		rate = flt(frappe.db.get_value("Sales Order", sales_order, "conversion_rate")) or 1
		case.goods_amount = flt(case.goods_amount) + flt(goods)
		case.credit_tax = flt(case.credit_tax) + flt(tax)
		case.refund_amount = flt(case.refund_amount) + flt(refund)
		case.base_refund_amount = flt(case.base_refund_amount) + flt(in_company_currency(refund, rate))
		if not any(row.sales_invoice for row in case.items):
			case.conversion_rate = rate
		add_breakdown_line(
			case,
			Message(
				"{0}: goods {1}, tax {2}, advance refunded {3}",
				sales_order,
				Amount(goods),
				Amount(tax),
				Amount(refund),
			),
		)


def add_breakdown_line(case, sentence: Message) -> None:
	"""The order's line after the invoices' in the case's kept breakdown, shown in each reader's language."""
	texts = stored(case)
	kept = texts.get("credit_breakdown") or {"sep": "\n", "s": []}
	kept = {**kept, "s": [*kept.get("s", []), neutral(sentence)]}
	texts["credit_breakdown"] = kept
	write(case, texts)
	case.credit_breakdown = render(kept, SOURCE_LANGUAGE)


def advance_left(sales_order: str) -> Decimal:
	"""What the customer paid in advance on the order, in the order's currency."""
	order = frappe.db.get_value(
		"Sales Order",
		sales_order,
		["advance_paid", "party_account_currency", "currency", "conversion_rate"],
		as_dict=True,
	)
	advance = flt(order.advance_paid)
	if order.party_account_currency and order.party_account_currency != order.currency:
		advance = advance / (flt(order.conversion_rate) or 1)
	return Decimal(str(flt(advance, 2)))


def refunded_by_other_cases(case, sales_order: str) -> Decimal:
	"""Advance other cases paid back on the order, in the order's currency."""
	refunds = frappe.get_all(
		"Payment Entry",
		filters={
			POSTING_KEY: f"{REFUND}:{sales_order}",
			"docstatus": 1,
			RETURN_REQUEST_LINK: ("!=", case.name or ""),
		},
		fields=["received_amount", "paid_to_account_currency"],
	)
	order = frappe.db.get_value("Sales Order", sales_order, ["currency", "conversion_rate"], as_dict=True)
	return Decimal(
		str(
			flt(
				sum(
					flt(refund.received_amount)
					if refund.paid_to_account_currency == order.currency
					else flt(refund.received_amount) / (flt(order.conversion_rate) or 1)
					for refund in refunds
				),
				2,
			)
		)
	)


# ---- posting -------------------------------------------------------------------------------------------


def cancel_unshipped_lines(case) -> None:
	"""Take the cancelled lines off each order and pay back their advance, once."""
	for sales_order, rows in rows_by_order(case).items():
		pending = [row for row in rows if flt(row.held_qty)]
		if pending:
			release_order(case, sales_order, pending)
		if not find_posting(case, REFUND, "Payment Entry", sales_order):
			_goods, _tax, refund = order_figures(case, sales_order, rows)
			if refund > 0:
				make_advance_refund(case, sales_order, refund)


def release_order(case, sales_order: str, rows) -> None:
	"""The order lines are locked and read again: what shipped, was invoiced or other requests hold
	since this case was submitted cannot be cancelled here."""
	lock_lines(SO_ITEM, frappe.get_all("Sales Order Item", filters={"parent": sales_order}, pluck="name"))
	lines = order_lines(sales_order, for_update=True)
	wanted: dict[str, float] = defaultdict(float)
	for row in rows:
		wanted[row.sales_order_item] += flt(row.qty)
	room = unshipped_by_order(wanted, for_update=True)
	others = held_on(SO_ITEM, wanted, lock=True, excluding=case.name)
	for row in rows:
		left = flt(room.get(row.sales_order_item)) - flt(others.get(row.sales_order_item))
		if wanted[row.sales_order_item] > left + 1e-9:
			frappe.throw(
				_(
					"Row #{0}: {1} of {2} cannot be cancelled on sales order {3}: only {4} is still unshipped and not invoiced. Return what shipped with Return and Refund."
				).format(
					row.idx,
					f"{wanted[row.sales_order_item]:g}",
					frappe.bold(row.item_code),
					frappe.bold(sales_order),
					f"{max(left, 0):g}",
				),
				title=_("Already Shipped"),
			)
	try:
		plan = plan_order_release(
			[
				OrderLine(
					line.name,
					line.item_code,
					Decimal(str(flt(line.qty))),
					Decimal(str(flt(line.delivered_qty))),
					Decimal(str(flt(line.billed_qty))),
				)
				for line in lines
			],
			{line: Decimal(str(qty)) for line, qty in wanted.items()},
		)
	except ValueError as error:
		frappe.throw(translate(error.args[0]), title=_("Cannot Cancel the Order Lines"))
	order = frappe.get_doc("Sales Order", sales_order)
	if plan.close:
		order.update_status("Closed")
	else:
		set_order_quantities(order, lines, {line: flt(qty) for line, qty in plan.new_qty.items()})
		for row in rows:
			row.released_qty = flt(row.qty)
	record_posting(case, SALES_ORDER, order, sales_order)
	for row in rows:
		row.held_qty = 0


def set_order_quantities(order, lines, new_qty: dict[str, float]) -> None:
	"""ERPNext's Update Items on the order: every line listed (a line left out would be deleted), the
	cancelled ones at their new quantity."""
	from erpnext.controllers.accounts_controller import update_child_qty_rate

	items = [
		{
			"docname": line.name,
			"idx": line.idx,
			"item_code": line.item_code,
			"qty": new_qty.get(line.name, flt(line.qty)),
			"rate": flt(line.rate),
			"uom": line.uom,
			"conversion_factor": flt(line.conversion_factor) or 1,
			"delivery_date": str(line.delivery_date or order.delivery_date),
		}
		for line in lines
	]
	update_child_qty_rate("Sales Order", json.dumps(items), order.name)


def make_advance_refund(case, sales_order: str, refund: Decimal) -> None:
	"""`refund` is in the order's currency; the payment is in the customer's account currency."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	order = frappe.db.get_value(
		"Sales Order", sales_order, ["currency", "party_account_currency", "conversion_rate"], as_dict=True
	)
	party_amount = flt(refund)
	if order.party_account_currency and order.party_account_currency != order.currency:
		party_amount = flt(in_company_currency(refund, flt(order.conversion_rate) or 1))
	mode_of_payment, account = refund_route(case, sales_order, "Sales Order")
	payment = get_payment_entry(
		"Sales Order", sales_order, party_amount=party_amount, bank_account=account, payment_type="Pay"
	)
	# ERPNext allocates a payment to an order only when receiving: the refund stands against the advance
	# on the customer's account.
	payment.set("references", [])
	pay_at_todays_rate_if_chosen(case, payment)
	if mode_of_payment:
		payment.mode_of_payment = mode_of_payment
	payment.reference_no = case.name
	payment.reference_date = nowdate()
	payment.remarks = _("Refund of the advance on {0} for Return Request {1}").format(sales_order, case.name)
	submit_posting(case, payment, REFUND, sales_order, flt(refund))


# ---- cancellation --------------------------------------------------------------------------------------


def released_orders(case) -> set[str]:
	"""The orders the case's own order lines name: these it releases and gives back itself."""
	return {row.sales_order for row in order_rows(case) if row.sales_order}


def restore_orders(case) -> None:
	"""After the case's refunds are cancelled: each order gets back what the case took off it."""
	logged = {
		row.voucher_no
		for row in case.postings
		if row.voucher_type == "Sales Order" and row.purpose == SALES_ORDER
	}
	for sales_order in sorted(released_orders(case) & logged):
		reduced = [
			row for row in order_rows(case) if row.sales_order == sales_order and flt(row.released_qty)
		]
		order = frappe.get_doc("Sales Order", sales_order)
		if not reduced:
			if order.status == "Closed":
				order.update_status("Draft")
			continue
		lines = order_lines(sales_order)
		given_back: dict[str, float] = defaultdict(float)
		for row in reduced:
			given_back[row.sales_order_item] += flt(row.released_qty)
		set_order_quantities(
			order,
			lines,
			{line.name: flt(line.qty) + given_back[line.name] for line in lines if line.name in given_back},
		)
