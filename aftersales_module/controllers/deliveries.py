"""Which Delivery Note lines took an invoice line's goods out, and how many of them are back.

ERPNext delivers and bills in several ways: an invoice made from delivery notes (each invoice line
names its delivery line, `dn_detail`), delivery notes made from the invoice (their lines name the
invoice line, `si_detail`), or an order delivered and invoiced apart (both name the order line,
`so_detail`). With partial deliveries one invoice line leaves on several delivery notes.
"""

from collections.abc import Iterable
from decimal import Decimal

import frappe
from frappe.utils import flt

from aftersales_module.core.deliveries import (
	DeliveredLine,
	DeliveryReturnPlan,
	ReturnedUnits,
	plan_delivery_returns,
)
from aftersales_module.core.schema import RETURN_REQUEST_LINK


def delivery_lines(invoice_lines: Iterable[str], reads: dict | None = None) -> dict[str, list[frappe._dict]]:
	"""Invoice line → the submitted Delivery Note lines that delivered it, oldest first. `reads`: what
	one save already read, kept there (a save's checks ask for the same lines more than once)."""
	invoice_lines = sorted({line for line in invoice_lines if line})
	if reads is None:
		return _delivery_lines(invoice_lines)
	known = reads.setdefault("delivery_lines", {})
	if missing := [line for line in invoice_lines if line not in known]:
		found = _delivery_lines(missing)
		known.update({line: found.get(line) for line in missing})
	return {line: known[line] for line in invoice_lines if known[line] is not None}


def _delivery_lines(invoice_lines: list[str]) -> dict[str, list[frappe._dict]]:
	if not invoice_lines:
		return {}
	billed = frappe.get_all(
		"Sales Invoice Item",
		filters={"name": ("in", invoice_lines)},
		fields=["name", "dn_detail", "so_detail"],
	)
	candidates = _original_delivery_lines(
		{line.dn_detail for line in billed if line.dn_detail},
		{line.name for line in billed if not line.dn_detail},
		{line.so_detail for line in billed if line.so_detail and not line.dn_detail},
	)
	billed_on_their_own = _billed_by_dn_detail(
		[candidate.name for candidate in candidates if candidate.so_detail]
	)
	found = {}
	for line in billed:
		if line.dn_detail:
			found[line.name] = [each for each in candidates if each.name == line.dn_detail]
			continue
		found[line.name] = [each for each in candidates if each.si_detail == line.name] or [
			each
			for each in candidates
			if line.so_detail
			and each.so_detail == line.so_detail
			and not each.si_detail
			and each.name not in billed_on_their_own
		]
	return found


def _original_delivery_lines(dn_details: set, invoice_lines: set, order_lines: set) -> list[frappe._dict]:
	if not (dn_details or invoice_lines or order_lines):
		return []
	return frappe.db.sql(
		"""select item.name, item.parent as delivery_note, item.item_code, item.qty, item.si_detail,
			item.so_detail, item.serial_no, item.batch_no, item.serial_and_batch_bundle, item.warehouse
		from `tabDelivery Note Item` item
		join `tabDelivery Note` note on note.name = item.parent
		where note.docstatus = 1 and note.is_return = 0
			and (item.name in %(dn)s or item.si_detail in %(si)s or item.so_detail in %(so)s)
		order by note.posting_date, note.posting_time, note.creation, item.idx""",
		{
			"dn": tuple(dn_details) or ("",),
			"si": tuple(invoice_lines) or ("",),
			"so": tuple(order_lines) or ("",),
		},
		as_dict=True,
	)


def _billed_by_dn_detail(delivery_lines: list[str]) -> set[str]:
	"""Delivery lines an invoice made from the delivery note bills: they are that invoice's goods."""
	if not delivery_lines:
		return set()
	return set(
		frappe.get_all(
			"Sales Invoice Item",
			filters={"dn_detail": ("in", delivery_lines), "docstatus": 1},
			pluck="dn_detail",
		)
	)


def returned_by_delivery(delivery_lines: Iterable[str], for_update: bool = False) -> dict[str, float]:
	"""Delivery line → units its submitted delivery returns took back."""
	delivery_lines = sorted(set(delivery_lines))
	if not delivery_lines:
		return {}
	return {
		line: flt(qty)
		for line, qty in frappe.db.sql(
			f"""select item.dn_detail, sum(abs(item.qty))
			from `tabDelivery Note Item` item
			join `tabDelivery Note` note on note.name = item.parent
			where note.docstatus = 1 and note.is_return = 1 and item.dn_detail in %s
			group by item.dn_detail {"for update" if for_update else ""}""",
			[tuple(delivery_lines)],
		)
	}


def delivered_back(
	invoice_lines: Iterable[str], for_update: bool = False, reads: dict | None = None
) -> dict[str, float]:
	"""Invoice line → units delivery returns took back from the delivery notes that delivered it.

	An order line invoiced apart on several invoices shares its deliveries among their lines: a
	delivery return a case made counts for the invoice line of that case; one made by hand names no
	invoice, so it counts for each of them (none of them can be refunded for goods already back)."""
	delivered = delivery_lines(invoice_lines, reads)
	back = _delivery_return_lines((each.name for lines in delivered.values() for each in lines), for_update)
	lines_of_case = {
		case: set(frappe.get_all("Return Request Item", filters={"parent": case}, pluck="sales_invoice_item"))
		for case in {case for _line, case, _qty in back if case}
	}
	returned = {}
	for invoice_line, lines in delivered.items():
		keys = {each.name for each in lines}
		if keys:
			returned[invoice_line] = sum(
				qty
				for delivery_line, case, qty in back
				if delivery_line in keys and (not case or invoice_line in lines_of_case[case])
			)
	return returned


def _delivery_return_lines(delivery_lines: Iterable[str], for_update: bool) -> list[tuple[str, str, float]]:
	"""(delivery line, return request that made the return or None, units) of submitted delivery returns."""
	delivery_lines = sorted(set(delivery_lines))
	if not delivery_lines:
		return []
	return [
		(line, case or None, flt(qty))
		for line, case, qty in frappe.db.sql(
			f"""select item.dn_detail, note.{RETURN_REQUEST_LINK}, sum(abs(item.qty))
			from `tabDelivery Note Item` item
			join `tabDelivery Note` note on note.name = item.parent
			where note.docstatus = 1 and note.is_return = 1 and item.dn_detail in %s
			group by item.dn_detail, note.{RETURN_REQUEST_LINK} {"for update" if for_update else ""}""",
			[tuple(delivery_lines)],
		)
	]


def invoice_lines_delivered(delivery_lines: Iterable[str]) -> dict[str, str]:
	"""Delivery line → the invoice line it delivered, whichever way the two were made."""
	delivery_lines = sorted(set(delivery_lines))
	if not delivery_lines:
		return {}
	found = dict(
		frappe.get_all(
			"Sales Invoice Item",
			filters={"dn_detail": ("in", delivery_lines), "docstatus": 1},
			fields=["dn_detail", "name"],
			as_list=True,
		)
	)
	for line in frappe.get_all(
		"Delivery Note Item",
		filters={"name": ("in", [line for line in delivery_lines if line not in found])},
		fields=["name", "si_detail", "so_detail"],
	):
		billed_by = line.si_detail or _billed_apart(line.so_detail)
		if billed_by:
			found[line.name] = billed_by
	return found


def _billed_apart(order_line: str | None) -> str | None:
	"""The invoice line that billed an order line delivered apart (made from the order, not the note)."""
	if not order_line:
		return None
	billed = frappe.db.sql(
		"""select item.name from `tabSales Invoice Item` item
		join `tabSales Invoice` invoice on invoice.name = item.parent
		where item.so_detail = %s and ifnull(item.dn_detail, '') = '' and invoice.docstatus = 1
			and invoice.is_return = 0 and invoice.update_stock = 0
		order by invoice.creation, item.idx limit 1""",
		order_line,
	)
	return billed[0][0] if billed else None


def stock_out_lines(invoice_line: str, invoice_updates_stock: bool) -> list[str]:
	"""The stock ledger's voucher lines that took an invoice line's goods out."""
	if invoice_updates_stock:
		return [invoice_line]
	return [each.name for each in delivery_lines([invoice_line]).get(invoice_line, [])]


def delivered_serials(line) -> frozenset[str]:
	"""The serial numbers a delivery line took out, from its own field or its serial and batch bundle."""
	from erpnext.stock.doctype.serial_no.serial_no import get_serial_nos

	if line.serial_no:
		return frozenset(get_serial_nos(line.serial_no))
	if not line.serial_and_batch_bundle:
		return frozenset()
	return frozenset(
		filter(
			None,
			frappe.get_all(
				"Serial and Batch Entry",
				filters={"parent": line.serial_and_batch_bundle},
				pluck="serial_no",
			),
		)
	)


def delivered_batches(line) -> frozenset[str]:
	if line.batch_no:
		return frozenset([line.batch_no])
	if not line.serial_and_batch_bundle:
		return frozenset()
	return frozenset(
		filter(
			None,
			frappe.get_all(
				"Serial and Batch Entry",
				filters={"parent": line.serial_and_batch_bundle},
				pluck="batch_no",
			),
		)
	)


def plan_returns_by_delivery(
	units: list[ReturnedUnits], for_update: bool = False, reads: dict | None = None
) -> DeliveryReturnPlan:
	"""Which delivery lines the units come back against: those of their invoice lines still out."""
	delivered = delivery_lines((unit.invoice_line for unit in units), reads)
	returned = returned_by_delivery((each.name for lines in delivered.values() for each in lines), for_update)
	return plan_delivery_returns(
		units,
		{
			invoice_line: [
				DeliveredLine(
					each.name,
					each.delivery_note,
					Decimal(str(flt(each.qty) - returned.get(each.name, 0.0))),
					delivered_serials(each),
					delivered_batches(each),
				)
				for each in lines
			]
			for invoice_line, lines in delivered.items()
		},
	)
