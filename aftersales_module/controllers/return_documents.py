"""How a Return Request's postings are made, logged and found again, and the returned lines they carry.

Each document carries `aftersales_return_request` and its posting key (see `controllers.postings`);
the case's Postings table logs them for the form.
"""

import frappe
from frappe.utils import flt

from aftersales_module.controllers.deliveries import delivery_lines
from aftersales_module.controllers.invoice_reads import remembered
from aftersales_module.controllers.postings import insert_and_submit, posting_key
from aftersales_module.controllers.sales_history import change_requested_qty
from aftersales_module.core.return_postings import goods_in_voucher
from aftersales_module.setup.custom_fields import POSTING_KEY, RETURN_REQUEST_LINK

QUALITY_INSPECTION = "Quality Inspection"
GOODS_IN = "Goods In"
CREDIT_NOTE = "Credit Note"
REFUND = "Refund"
FREIGHT = "Freight"
DISPOSITION = "Disposition"
SALES_ORDER = "Sales Order"


def record_posting(case, purpose: str, doc, against: str | None = None, amount: float = 0) -> None:
	"""The form's log of a posting; the document's own back-link is what counts."""
	case.append(
		"postings",
		{
			"purpose": purpose,
			"voucher_type": doc.doctype,
			"voucher_no": doc.name,
			"against": against,
			"amount": amount,
			"currency": case.currency,
		},
	)


def find_posting(
	case, purpose: str | tuple[str, ...], doctype: str, against: str | None = None
) -> str | None:
	"""A submitted document the case already posted for this purpose (and original document)."""
	purposes = (purpose,) if isinstance(purpose, str) else purpose
	return frappe.db.get_value(
		doctype,
		{
			RETURN_REQUEST_LINK: case.name,
			POSTING_KEY: ("in", [posting_key(each, against) for each in purposes]),
			"docstatus": 1,
		},
		"name",
		order_by="creation asc",
	)


def submit_posting(case, doc, purpose: str, against: str | None = None, amount: float = 0) -> None:
	"""Make the document for the acting user, linked back to the case, and log it on the case."""
	doc.set(RETURN_REQUEST_LINK, case.name)
	doc.set(POSTING_KEY, posting_key(purpose, against))
	insert_and_submit(doc)
	record_posting(case, purpose, doc, against, amount)


# ---- returned lines ----------------------------------------------------------------------------------


def goods_in_route(row, reads: dict | None = None) -> str | None:
	"""How the row's goods come back: by the invoice that took them out, by the delivery notes that
	did, or not at all when none did (the form's `dn_detail` names only the first delivery).
	`reads`: the request's memory of what submitted invoices never change (`invoice_reads`)."""
	updates_stock = remembered(
		reads,
		("update_stock", row.sales_invoice),
		lambda: frappe.db.get_value("Sales Invoice", row.sales_invoice, "update_stock"),
	)
	delivered = not updates_stock and bool(
		delivery_lines([row.sales_invoice_item]).get(row.sales_invoice_item)
	)
	return goods_in_voucher(bool(updates_stock), delivered)


def one_line_per_part(doc, link_field: str, parts: list[tuple[str, object]]) -> list[tuple[object, object]]:
	"""Set a return's lines to one per part, in order: (original line it returns, what it carries).
	Parts on the same original line (a line sold from several batches, one case row per batch) each
	get their own copy of it."""
	originals = {item.get(link_field): item.as_dict() for item in doc.items}
	doc.items = []
	lines = []
	for original, part in parts:
		values = {key: value for key, value in originals[original].items() if key not in ("name", "idx")}
		lines.append((doc.append("items", values), part))
	return lines


def received_serials(row) -> str | None:
	"""The units that came back: those the warehouse received, which may be fewer than were asked for."""
	return row.received_serial_no or row.serial_no


def set_returned_line(item, row, warehouse: str | None) -> None:
	set_returned_units(item, flt(row.accepted_qty), received_serials(row), row.batch_no, warehouse)


def set_returned_units(item, qty: float, serial_nos: str | None, batch_no: str | None, warehouse: str | None):
	"""A return line for exactly the units that came back: their quantity, serial numbers and batch."""
	item.qty = -qty
	item.stock_qty = -qty * flt(item.conversion_factor or 1)
	if warehouse:
		item.warehouse = warehouse
	if serial_nos:
		item.serial_no = serial_nos
		item.use_serial_batch_fields = 1
	if batch_no:
		item.batch_no = batch_no
		item.use_serial_batch_fields = 1


def release_hold(row) -> None:
	"""The request stops holding a line once it is credited, rejected, closed or cancelled."""
	if flt(row.held_qty):
		# A line not yet invoiced is held by the row's own held_qty alone (controllers.uninvoiced_sales).
		if row.sales_invoice_item:
			change_requested_qty({row.sales_invoice_item: -flt(row.held_qty)})
		row.held_qty = 0
