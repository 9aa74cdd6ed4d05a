"""A case takes back a POS sale the way ERPNext's own till does: by a POS return.

ERPNext credits a sale made at the point of sale only by a POS Invoice return against the POS
Invoice, made while a POS of its profile is open; the next POS closing consolidates it into a credit
note against the consolidated invoice, which brings the goods into the return's warehouse at the
cost they left with and reverses cost of goods sold. The case makes that return for its rows on
consolidated POS lines: the units received, into the return warehouse, the case's deductions as its
discount (as on the case's credit notes), and the refund paid back the ways the customer paid.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.controllers.pos_sales import pos_sale_lines, till_credit
from aftersales_module.controllers.return_credit import (
	credit_notes_of,
	credit_plans,
	credit_qty,
	credit_remarks,
	take_deductions,
)
from aftersales_module.controllers.return_documents import (
	CREDIT_NOTE,
	GOODS_IN,
	find_posting,
	one_line_per_part,
	release_hold,
	set_returned_line,
	submit_posting,
)
from aftersales_module.controllers.sales_history import lock_invoice_lines


def make_pos_returns(case, rows=None, return_warehouse: str | None = None) -> None:
	"""A POS return against each POS Invoice of `rows` sold at the till and not yet returned: with the
	goods into `return_warehouse`, or (a refund without goods back) the credit alone."""
	candidates = [
		row
		for row in (case.items if rows is None else rows)
		if not row.pos_return and not row.credit_note and credit_qty(case, row) > 0
	]
	sold = pos_sale_lines(row.sales_invoice_item for row in candidates)
	by_pos_invoice = defaultdict(list)
	for row in candidates:
		if row.sales_invoice_item in sold:
			by_pos_invoice[sold[row.sales_invoice_item].pos_invoice].append(row)
	if not by_pos_invoice:
		return
	# The deductions are shared over every line the case credits, as for its credit notes; a sale made
	# at the till is planned against its POS Invoice.
	plans = {
		plan.sales_invoice: plan
		for plan in credit_plans(case, credit_qty, [row for row in case.items if credit_qty(case, row) > 0])
	}
	lock_invoice_lines(row.sales_invoice_item for rows in by_pos_invoice.values() for row in rows)
	for pos_invoice, its_rows in by_pos_invoice.items():
		plan = plans[pos_invoice]
		pos_return = find_posting(case, (GOODS_IN, CREDIT_NOTE), "POS Invoice", pos_invoice)
		if not pos_return:
			lines = [(sold[row.sales_invoice_item].pos_invoice_item, row) for row in its_rows]
			pos_return = make_pos_return(case, pos_invoice, lines, plan, return_warehouse)
		for row in its_rows:
			release_hold(row)
			row.pos_return = pos_return
	case.credited_amount = sum(-flt(note.grand_total) for note in credit_notes_of(case)) + till_credit(
		case.name
	)


def make_pos_return(case, pos_invoice: str, lines, plan, return_warehouse: str | None) -> str:
	from erpnext.accounts.doctype.pos_invoice.pos_invoice import make_sales_return

	require_open_till(pos_invoice)
	pos_return = make_sales_return(pos_invoice)
	pos_return.update_stock = 1 if return_warehouse else 0
	for item, row in one_line_per_part(pos_return, "pos_invoice_item", lines):
		set_returned_line(
			item, frappe._dict(row.as_dict(), accepted_qty=credit_qty(case, row)), return_warehouse
		)
		if not return_warehouse:
			item.serial_no = item.batch_no = None
			item.serial_and_batch_bundle = None
	pos_return.posting_date = nowdate()
	pos_return.set_posting_time = 1
	pos_return.disable_rounded_total = 1
	pos_return.ignore_pricing_rule = 1
	pos_return.remarks = credit_remarks(case, plan)
	take_deductions(case, pos_return, plan)
	refund_the_ways_paid(pos_return)
	purpose = GOODS_IN if return_warehouse else CREDIT_NOTE
	submit_posting(case, pos_return, purpose, pos_invoice, abs(flt(pos_return.grand_total)))
	return pos_return.name


def require_open_till(pos_invoice: str) -> None:
	"""ERPNext takes a POS sale back only while a POS of its profile is open."""
	profile = frappe.db.get_value("POS Invoice", pos_invoice, "pos_profile")
	if frappe.db.exists("POS Opening Entry", {"pos_profile": profile, "status": "Open", "docstatus": 1}):
		return
	frappe.throw(
		_(
			"The goods of POS Invoice {0} come back by a POS return, which ERPNext makes only while a POS of profile {1} is open. Open it (POS Opening Entry for {1}), then do this step again."
		).format(frappe.bold(pos_invoice), frappe.bold(profile)),
		title=_("No Open POS"),
	)


def refund_the_ways_paid(pos_return) -> None:
	"""The credit paid back as the sale was paid: each way of payment up to what it paid, in order."""
	to_refund = -flt(pos_return.grand_total)
	for payment in pos_return.payments:
		paid = -flt(payment.amount)
		payment.amount = -min(max(paid, 0), to_refund)
		to_refund -= -payment.amount
	if to_refund > 0 and pos_return.payments:
		pos_return.payments[0].amount -= to_refund
	for payment in pos_return.payments:
		payment.base_amount = flt(payment.amount) * flt(pos_return.conversion_rate)
	pos_return.paid_amount = sum(flt(payment.amount) for payment in pos_return.payments)
	pos_return.base_paid_amount = sum(flt(payment.base_amount) for payment in pos_return.payments)
