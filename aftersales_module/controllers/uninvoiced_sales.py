"""What was delivered or ordered but not invoiced, how much of it can still come back, and what open
return requests hold on it.

A Delivery Note line has with the customer, unbilled, what ERPNext still has to bill of it: delivered,
less what invoices made from it billed (net of their credit notes), less what delivery returns took
back. A Sales Order line paid in advance can still be cancelled for what was neither shipped nor
billed, nothing once the order is closed. What open requests hold is their rows' `held_qty`; a request
being submitted locks the ERPNext line first and then reads the holds with a locking read (the latest
committed ones), so two requests submitted at the same moment for the same line are counted in turn.
"""

from collections.abc import Iterable
from decimal import Decimal

import frappe
from frappe.utils import flt

from aftersales_module.controllers.deliveries import returned_by_delivery
from aftersales_module.core.uninvoiced import (
	DELIVERY_NOTE,
	SALES_INVOICE,
	SALES_ORDER,
	line_source,
	uninvoiced_qty,
	unshipped_qty,
)

DN_ITEM = "Delivery Note Item"
SO_ITEM = "Sales Order Item"
# The case line's field that names the ERPNext line of each kind.
LINE_FIELD = {DN_ITEM: "dn_detail", SO_ITEM: "sales_order_item"}
CLOSED_ORDER = ("Closed", "Completed")


def source_of(row) -> str:
	return line_source(row.get("sales_invoice_item"), row.get("dn_detail"), row.get("sales_order_item"))


def delivery_rows(case) -> list:
	return [row for row in case.items if source_of(row) == DELIVERY_NOTE]


def order_rows(case) -> list:
	return [row for row in case.items if source_of(row) == SALES_ORDER]


def _names(lines: Iterable[str | None]) -> list[str]:
	return sorted({line for line in lines if line})


def lock_lines(doctype: str, lines: Iterable[str | None]) -> None:
	"""Lock the ERPNext lines, always in the same order so that two lockers cannot deadlock."""
	names = _names(lines)
	if names:
		frappe.db.sql(
			f"select name from `tab{doctype}` where name in %s order by name for update", [tuple(names)]
		)


def held_on(doctype: str, lines: Iterable[str | None], lock: bool = False, excluding: str | None = None):
	"""Line → what submitted requests (other than `excluding`) hold on it; with `lock`, read as committed."""
	names = _names(lines)
	if not names:
		return {}
	column = LINE_FIELD[doctype]
	return {
		line: flt(qty)
		for line, qty in frappe.db.sql(
			f"""select item.{column}, sum(item.held_qty) from `tabReturn Request Item` item
			where item.{column} in %(lines)s and item.docstatus = 1 and item.held_qty > 0
				and ifnull(item.sales_invoice_item, '') = '' and item.parent != %(case)s
			group by item.{column} {"for update" if lock else ""}""",
			{"lines": tuple(names), "case": excluding or ""},
		)
	}


# ---- delivery note lines -------------------------------------------------------------------------------


def _locking(for_update: bool) -> str:
	# After the line is locked, a locking read sees what others committed since this transaction began.
	return "for update" if for_update else ""


def delivery_line_facts(lines: Iterable[str | None], for_update: bool = False) -> dict[str, frappe._dict]:
	names = _names(lines)
	if not names:
		return {}
	return {
		line.name: line
		for line in frappe.db.sql(
			f"""select item.name, item.parent as delivery_note, item.item_code, item.item_name, item.qty,
				item.net_rate, item.uom, item.warehouse, item.serial_no, item.batch_no,
				item.serial_and_batch_bundle, item.si_detail, item.so_detail, note.customer, note.company,
				note.currency, note.docstatus, note.is_return, note.posting_date
			from `tabDelivery Note Item` item
			join `tabDelivery Note` note on note.name = item.parent
			where item.name in %s and item.parenttype = 'Delivery Note' {_locking(for_update)}""",
			[tuple(names)],
			as_dict=True,
		)
	}


def billed_by_delivery_line(lines: Iterable[str], for_update: bool = False) -> dict[str, float]:
	"""Delivery line → quantity submitted invoices made from the delivery note billed, net of credit notes."""
	return _billed_by("dn_detail", lines, for_update)


def _billed_by(line_field: str, lines: Iterable[str], for_update: bool) -> dict[str, float]:
	"""Line → quantity submitted invoices billed against it through `line_field` (credit notes count
	negative)."""
	names = _names(lines)
	if not names:
		return {}
	return {
		line: flt(qty)
		for line, qty in frappe.db.sql(
			f"""select item.{line_field}, sum(item.qty) from `tabSales Invoice Item` item
			join `tabSales Invoice` invoice on invoice.name = item.parent
			where item.{line_field} in %s and invoice.docstatus = 1
			group by item.{line_field} {_locking(for_update)}""",
			[tuple(names)],
		)
	}


def billed_apart(facts: dict[str, frappe._dict], for_update: bool = False) -> set[str]:
	"""Delivery lines an invoice billed without naming them: a delivery note made from the invoice, or an
	order delivered and invoiced apart. Their goods come back on the invoice's lines."""
	apart = {name for name, line in facts.items() if line.si_detail}
	ordered = {line.so_detail for name, line in facts.items() if line.so_detail and name not in apart}
	if ordered:
		billed_orders = {
			row[0]
			for row in frappe.db.sql(
				f"""select item.so_detail from `tabSales Invoice Item` item
				join `tabSales Invoice` invoice on invoice.name = item.parent
				where item.so_detail in %s and ifnull(item.dn_detail, '') = '' and invoice.docstatus = 1
					and invoice.is_return = 0 {_locking(for_update)}""",
				[tuple(ordered)],
			)
		}
		apart |= {name for name, line in facts.items() if line.so_detail in billed_orders}
	return apart


def uninvoiced_by_delivery(lines: Iterable[str | None], for_update: bool = False) -> dict[str, Decimal]:
	"""Delivery line → units still with the customer that no invoice billed."""
	facts = delivery_line_facts(lines, for_update)
	billed = billed_by_delivery_line(facts, for_update)
	returned = returned_by_delivery(facts, for_update)
	apart = billed_apart(facts, for_update)
	return {
		name: Decimal(0)
		if name in apart or line.docstatus != 1 or line.is_return
		else uninvoiced_qty(line.qty, billed.get(name, 0), returned.get(name, 0))
		for name, line in facts.items()
	}


# ---- sales order lines ---------------------------------------------------------------------------------


def order_line_facts(lines: Iterable[str | None], for_update: bool = False) -> dict[str, frappe._dict]:
	names = _names(lines)
	if not names:
		return {}
	return {
		line.name: line
		for line in frappe.db.sql(
			f"""select item.name, item.parent as sales_order, item.idx, item.item_code, item.item_name,
				item.qty, item.delivered_qty, item.net_rate, item.rate, item.uom, item.warehouse,
				item.conversion_factor, item.delivery_date, orders.customer, orders.company, orders.currency,
				orders.docstatus, orders.status, orders.advance_paid, orders.conversion_rate
			from `tabSales Order Item` item
			join `tabSales Order` orders on orders.name = item.parent
			where item.name in %s and item.parenttype = 'Sales Order' {_locking(for_update)}""",
			[tuple(names)],
			as_dict=True,
		)
	}


def billed_by_order_line(lines: Iterable[str], for_update: bool = False) -> dict[str, float]:
	return _billed_by("so_detail", lines, for_update)


def unshipped_by_order(lines: Iterable[str | None], for_update: bool = False) -> dict[str, Decimal]:
	"""Order line → units neither shipped nor billed, on a submitted order still open."""
	facts = order_line_facts(lines, for_update)
	billed = billed_by_order_line(facts, for_update)
	return {
		name: Decimal(0)
		if line.docstatus != 1 or line.status in CLOSED_ORDER
		else unshipped_qty(line.qty, line.delivered_qty, billed.get(name, 0))
		for name, line in facts.items()
	}


def order_lines(sales_order: str, for_update: bool = False) -> list[frappe._dict]:
	"""Every line of an order with what it ordered, shipped and billed."""
	names = frappe.get_all("Sales Order Item", filters={"parent": sales_order}, pluck="name", order_by="idx")
	facts = order_line_facts(names, for_update)
	billed = billed_by_order_line(names, for_update)
	return [frappe._dict(facts[name], billed_qty=billed.get(name, 0)) for name in names]


# ---- hand-made delivery returns ------------------------------------------------------------------------


def delivery_return_room(doc, lock: bool) -> None:
	"""doc_events (Delivery Note): a delivery return typed by hand may not take back the unbilled units
	open return requests hold on the delivery line."""
	from frappe import _

	if not doc.is_return or doc.get("aftersales_return_request"):
		return
	wanted: dict[str, float] = {}
	for item in doc.items:
		if item.get("dn_detail"):
			wanted[item.dn_detail] = wanted.get(item.dn_detail, 0) + abs(flt(item.qty))
	if lock:
		lock_lines(DN_ITEM, wanted)
	held = {line: qty for line, qty in held_on(DN_ITEM, wanted, lock=lock).items() if qty > 0}
	if not held:
		return
	room = uninvoiced_by_delivery(held, for_update=lock)
	for line, qty in held.items():
		if wanted[line] > flt(room.get(line)) - qty + 1e-9:
			holders = frappe.get_all(
				"Return Request Item",
				filters={
					"dn_detail": line,
					"held_qty": (">", 0),
					"docstatus": 1,
					"sales_invoice_item": ("is", "not set"),
				},
				pluck="parent",
				distinct=True,
			)
			frappe.throw(
				_(
					"{0} of the delivery line can still be returned by hand: {1} is held by return request(s) {2}. Take it back through the return request, or reject that request first."
				).format(f"{max(flt(room.get(line)) - qty, 0):g}", f"{qty:g}", ", ".join(holders)),
				title=_("Held by a Return Request"),
			)


def validate_manual_delivery_return(doc, method=None) -> None:
	delivery_return_room(doc, lock=False)


def lock_manual_delivery_return(doc, method=None) -> None:
	delivery_return_room(doc, lock=True)


def invoice_rows(case) -> list:
	return [row for row in case.items if source_of(row) == SALES_INVOICE]
