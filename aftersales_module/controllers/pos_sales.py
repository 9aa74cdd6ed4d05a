"""Sales made at the point of sale, as ERPNext books them.

A POS Invoice posts nothing itself: at POS closing ERPNext consolidates the POS Invoices into one
Sales Invoice (`is_consolidated`), each of its lines naming the POS Invoice line it came from
(`pos_invoice`, `pos_invoice_item`). ERPNext returns such a sale only by a POS Invoice return
against the POS Invoice, made at an open POS; it refuses a credit note against the consolidated
invoice. A POS return is itself consolidated at the next closing into a consolidated credit note
whose lines name the consolidated invoice line they return (`sales_invoice_item`); until then it
is counted here.
"""

from collections.abc import Iterable

import frappe
from frappe.utils import flt

from aftersales_module.core.schema import RETURN_REQUEST_LINK


def pos_sale_lines(invoice_lines: Iterable[str], reads: dict | None = None) -> dict[str, frappe._dict]:
	"""Invoice line → the POS Invoice and line it consolidates, for lines of consolidated invoices.

	`reads` (a request's memory, see `return_credit.request_reads`) keeps what was found per line: a
	submitted invoice's lines never change, so one action asks once."""
	invoice_lines = sorted({line for line in invoice_lines if line})
	known = reads.setdefault("pos_sale_lines", {}) if reads is not None else {}
	unread = [line for line in invoice_lines if line not in known]
	if unread:
		found = {
			line.name: line
			for line in frappe.db.sql(
				"""select line.name, line.pos_invoice, line.pos_invoice_item, line.parent as consolidated_invoice
				from `tabSales Invoice Item` line
				join `tabSales Invoice` invoice on invoice.name = line.parent
				where line.name in %s and invoice.is_consolidated = 1 and ifnull(line.pos_invoice_item, '') != ''""",
				[tuple(unread)],
				as_dict=True,
			)
		}
		known.update({line: found.get(line) for line in unread})
	return {line: known[line] for line in invoice_lines if known[line]}


def pos_returns_not_yet_consolidated(
	invoice_lines: Iterable[str], for_update: bool = False
) -> dict[str, float]:
	"""Invoice line → units POS returns took back that the next POS closing has not consolidated yet
	(once consolidated they are credit notes against the line, counted as such)."""
	invoice_lines = sorted({line for line in invoice_lines if line})
	if not invoice_lines:
		return {}
	return {
		line: flt(qty)
		for line, qty in frappe.db.sql(
			f"""select line.name, sum(abs(returned.qty))
			from `tabSales Invoice Item` line
			join `tabPOS Invoice Item` returned on returned.pos_invoice_item = line.pos_invoice_item
			join `tabPOS Invoice` pos_return on pos_return.name = returned.parent
			where line.name in %s and ifnull(line.pos_invoice_item, '') != ''
				and pos_return.docstatus = 1 and pos_return.is_return = 1
				and ifnull(pos_return.consolidated_invoice, '') = ''
			group by line.name {"for update" if for_update else ""}""",
			[tuple(invoice_lines)],
		)
	}


def consolidated_lines(pos_invoice_items: Iterable[str]) -> dict[str, str]:
	"""POS Invoice line → the line of the submitted consolidated Sales Invoice it became."""
	pos_invoice_items = sorted({line for line in pos_invoice_items if line})
	if not pos_invoice_items:
		return {}
	return dict(
		frappe.get_all(
			"Sales Invoice Item",
			filters={"pos_invoice_item": ("in", pos_invoice_items), "docstatus": 1},
			fields=["pos_invoice_item", "name"],
			as_list=True,
		)
	)


def till_returns_of(case_name: str) -> list:
	"""The live POS returns a case made, found by their back-link."""
	return frappe.db.sql(
		f"""select name, grand_total, paid_amount, base_paid_amount from `tabPOS Invoice`
		where {RETURN_REQUEST_LINK} = %s and docstatus = 1 and is_return = 1""",
		case_name,
		as_dict=True,
	)


def till_credit(case_name: str) -> float:
	"""What the case's POS returns credited, in the invoice currency."""
	return sum(-flt(pos_return.grand_total) for pos_return in till_returns_of(case_name))


def till_refunds(case_name: str) -> tuple[float, float]:
	"""What the case's POS returns paid back at the till, in the invoice and in company currency."""
	returns = till_returns_of(case_name)
	return (
		sum(-flt(pos_return.paid_amount) for pos_return in returns),
		sum(-flt(pos_return.base_paid_amount) for pos_return in returns),
	)
