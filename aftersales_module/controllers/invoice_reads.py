"""What a Return Request reads of its invoices to work out a credit: their taxes, their lines' tax
rates and prices, their exchange rate, and what other cases credited on their lines.

A submitted invoice never changes these, so one request reads each once (`request_reads`), however
often the case's figures, its credit plan and its postings ask.
"""

import json
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt

from aftersales_module.core.credit_notes import TaxRow
from aftersales_module.core.schema import RETURN_REQUEST_LINK


def request_reads(case) -> dict:
	"""What this request read of the case's invoices that a submitted invoice never changes (its taxes,
	its lines' tax rates and prices, its discount, its exchange rate), so the case's figures, its credit
	plan and its postings in one action ask the database once. It lives on the case object a request
	loads, so the next request reads afresh."""
	if case.flags.get("invoice_reads") is None:
		case.flags.invoice_reads = {}
	return case.flags.invoice_reads


def save_reads(doc) -> dict:
	"""What this save read of the sales behind a case and its checks ask again (which delivery lines
	delivered an invoice line; an invoice's day of sale, whether it updated stock, the day of receipt
	recorded on it). Each save starts afresh (`forget_save_reads`): deliveries and recorded days can
	change between two saves."""
	if doc.flags.get("save_reads") is None:
		doc.flags.save_reads = {}
	return doc.flags.save_reads


def forget_save_reads(doc) -> None:
	doc.flags.save_reads = {}


def remembered(reads: dict | None, key: tuple, read):
	if reads is None:
		return read()
	if key not in reads:
		reads[key] = read()
	return reads[key]


def invoice_tax_rows(
	sales_invoice: str, doctype: str = "Sales Invoice", reads: dict | None = None
) -> tuple[TaxRow, ...]:
	"""The invoice's taxes a credit note reverses. "Actual" charges (freight billed on the sale) belong to
	the sale, not to the goods, and are not credited by a case."""
	rows = remembered(reads, ("taxes", doctype, sales_invoice), lambda: read_tax_rows(sales_invoice, doctype))
	unsupported = [row for row in rows if row.charge_type not in ("Actual", "On Net Total")]
	if unsupported:
		frappe.throw(
			_(
				"Sales Invoice {0} charges tax row #{1} {2}. A return request credits taxes charged On Net Total; credit this invoice with an ERPNext credit note instead."
			).format(sales_invoice, unsupported[0].idx, _(unsupported[0].charge_type)),
			title=_("Taxes Not Supported"),
		)
	return tuple(
		TaxRow(row.account_head, Decimal(str(flt(row.rate))), bool(row.included_in_print_rate))
		for row in rows
		if row.charge_type == "On Net Total"
	)


def read_tax_rows(sales_invoice: str, doctype: str) -> list:
	return frappe.get_all(
		"Sales Taxes and Charges",
		filters={"parenttype": doctype, "parent": sales_invoice, "parentfield": "taxes"},
		fields=["idx", "charge_type", "account_head", "rate", "included_in_print_rate"],
		order_by="idx",
	)


def line_taxes(
	invoice_line: str, rows: tuple[TaxRow, ...], doctype: str = "Sales Invoice", reads: dict | None = None
) -> tuple[tuple[Decimal, ...], Decimal | None, bool]:
	"""The line's rate for each tax row (an item tax template's own rates override the invoice's, as
	ERPNext applies them); its price when that is not its net rate (taxes included in it, or a discount
	of the invoice's own after it); and whether the invoice took such a discount."""
	line = invoice_line_facts(invoice_line, doctype, reads)
	if not line:
		return tuple(Decimal(str(flt(row.rate))) for row in rows), None, False
	overrides = json.loads(line.item_tax_rate) if line.item_tax_rate else {}
	rates = tuple(Decimal(str(flt(overrides.get(row.account, row.rate)))) for row in rows)
	discounted = bool(
		flt(
			remembered(
				reads,
				("discount", doctype, line.parent),
				lambda: frappe.db.get_value(doctype, line.parent, "discount_amount"),
			)
		)
	)
	price = Decimal(str(flt(line.rate))) if discounted or (rows and rows[0].included) else None
	return rates, price, discounted


def invoice_line_facts(invoice_line: str, doctype: str = "Sales Invoice", reads: dict | None = None):
	return remembered(
		reads,
		("line", doctype, invoice_line),
		lambda: frappe.db.get_value(
			f"{doctype} Item",
			invoice_line,
			["item_tax_rate", "rate", "parent", "net_amount", "qty"],
			as_dict=True,
		),
	)


def line_net(
	invoice_line: str, doctype: str = "Sales Invoice", reads: dict | None = None
) -> tuple[Decimal | None, Decimal | None]:
	"""The line's net amount after the invoice's own discount, and its units."""
	line = invoice_line_facts(invoice_line, doctype, reads)
	if not line or not flt(line.qty):
		return None, None
	return Decimal(str(flt(line.net_amount))), Decimal(str(abs(flt(line.qty))))


def invoice_conversion_rate(sales_invoice: str, reads: dict | None = None) -> float:
	return remembered(reads, ("conversion_rate", sales_invoice), lambda: read_conversion_rate(sales_invoice))


def read_conversion_rate(sales_invoice: str) -> float:
	rate = frappe.db.get_value("Sales Invoice", sales_invoice, "conversion_rate")
	return flt(rate or frappe.db.get_value("POS Invoice", sales_invoice, "conversion_rate")) or 1


def on_discounted_invoice(case) -> bool:
	"""Whether a line of the case is on an invoice that took a discount of its own."""
	reads = request_reads(case)
	return any(
		flt(
			remembered(
				reads,
				("discount", "Sales Invoice", invoice),
				lambda invoice=invoice: frappe.db.get_value("Sales Invoice", invoice, "discount_amount"),
			)
		)
		for invoice in {row.sales_invoice for row in case.items if row.sales_invoice}
	)


def credited_before_case(case, invoice_lines, locking: bool = False) -> dict[str, float]:
	"""Units of each invoice line credited by other credit notes before this case credited it: all of
	them while the case has credited none, then those made before the case's own note (later ones carry
	their rounding from it, and the case's figure stays what its note credited). `locking`: read as
	committed, under the lock of the lines, so two cases posting at once count each other."""
	invoice_lines = tuple({line for line in invoice_lines if line})
	if not invoice_lines:
		return {}
	return {
		line: flt(qty)
		for line, qty in frappe.db.sql(
			f"""select item.sales_invoice_item, sum(abs(item.qty))
			from `tabSales Invoice Item` item join `tabSales Invoice` note on note.name = item.parent
			where note.docstatus = 1 and note.is_return = 1 and item.sales_invoice_item in %(lines)s
				and ifnull(note.{RETURN_REQUEST_LINK}, '') != %(case)s
				and not exists (
					select 1 from `tabSales Invoice Item` own_item
					join `tabSales Invoice` own on own.name = own_item.parent
					where own.docstatus = 1 and own.is_return = 1 and own.{RETURN_REQUEST_LINK} = %(case)s
						and own_item.sales_invoice_item = item.sales_invoice_item and own.creation <= note.creation)
			group by item.sales_invoice_item {"lock in share mode" if locking else ""}""",
			{"lines": invoice_lines, "case": case.name or ""},
		)
	}
