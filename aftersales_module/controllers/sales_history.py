"""What was sold on an invoice line, and how much of it is already returned or requested.

Each invoice line carries the quantity that submitted return requests hold on
it. A request being submitted locks its lines first and reads that quantity as
committed by others, so two requests submitted at the same moment for the same
line are counted one after the other.
"""

from collections.abc import Iterable

import frappe
from frappe import _
from frappe.query_builder.functions import Abs, Sum
from frappe.utils import flt

from aftersales_module.controllers.deliveries import delivered_back, delivery_lines, invoice_lines_delivered
from aftersales_module.controllers.pos_sales import consolidated_lines, pos_returns_not_yet_consolidated
from aftersales_module.controllers.steps import has_role
from aftersales_module.core.schema import REQUESTED_QTY_FIELD


def get_invoice_lines(sales_invoice: str) -> list[dict]:
	si_item = frappe.qb.DocType("Sales Invoice Item")
	return (
		frappe.qb.from_(si_item)
		.select(
			si_item.name,
			si_item.parent.as_("sales_invoice"),
			si_item.item_code,
			si_item.item_name,
			si_item.qty,
			si_item.net_rate,
			si_item.uom,
			si_item.warehouse,
			si_item.serial_no,
			si_item.batch_no,
			si_item.delivery_note,
			si_item.dn_detail,
		)
		.where(si_item.parent == sales_invoice)
		.orderby(si_item.idx)
	).run(as_dict=True)


def delivered_by(line, reads: dict | None = None) -> tuple[str | None, str | None]:
	"""The first Delivery Note line that took an invoice line's goods out (the form shows it; a
	return finds all of them by `delivery_lines`)."""
	lines = delivery_lines([line.name], reads).get(line.name)
	return (lines[0].delivery_note, lines[0].name) if lines else (None, None)


def lock_invoice_lines(rows: Iterable[str]) -> dict[str, float]:
	"""Lock the invoice lines and read what other submitted requests hold on them, as committed."""
	rows = sorted({row for row in rows if row})  # always the same order, so two lockers cannot deadlock
	if not rows:
		return {}
	si_item = frappe.qb.DocType("Sales Invoice Item")
	locked = (
		frappe.qb.from_(si_item)
		.select(si_item.name, si_item.aftersales_requested_qty)
		.where(si_item.name.isin(rows))
		.orderby(si_item.name)
		.for_update()
	).run()
	return {row: flt(qty) for row, qty in locked}


def change_requested_qty(changes: dict[str, float]) -> None:
	"""Add (or with a negative number release) quantity held by return requests.

	One atomic update per line: a read followed by a write would see the transaction's old snapshot
	under REPEATABLE READ and lose a concurrent request's hold."""
	for row, qty in changes.items():
		frappe.db.sql(
			"""update `tabSales Invoice Item`
			set aftersales_requested_qty = greatest(ifnull(aftersales_requested_qty, 0) + %s, 0)
			where name = %s""",
			(flt(qty), row),
		)


def get_sold_qty(rows: Iterable[str], reads: dict | None = None) -> dict[str, float]:
	"""Units sold on each invoice line; `reads`: a save's reads, where its check of the lines left them."""
	rows = list(set(rows))
	if not rows:
		return {}
	known = (reads or {}).get("sold_qty", {})
	if all(row in known for row in rows):
		return {row: known[row] for row in rows}
	si_item = frappe.qb.DocType("Sales Invoice Item")
	return dict(
		frappe.qb.from_(si_item).select(si_item.name, si_item.qty).where(si_item.name.isin(rows)).run()
	)


def get_returned_qty(
	rows: Iterable[str], for_update: bool = False, reads: dict | None = None
) -> dict[str, float]:
	"""Returned per invoice line: by credit notes against it (and POS returns not yet consolidated
	into one), or by delivery returns of its delivery, whichever is more (a credit note and a
	delivery return for the same goods are one return)."""
	rows = list(set(rows))
	if not rows:
		return {}
	by_credit_note = _credit_note_returns(rows, for_update)
	at_the_pos = pos_returns_not_yet_consolidated(rows, for_update)
	by_delivery_return = delivered_back(rows, for_update, reads)
	return {
		row: max(by_credit_note.get(row, 0.0) + at_the_pos.get(row, 0.0), by_delivery_return.get(row, 0.0))
		for row in rows
	}


def get_credited_qty(rows: Iterable[str]) -> dict[str, float]:
	"""Returned per invoice line by submitted credit notes against it."""
	rows = list(set(rows))
	return _credit_note_returns(rows, for_update=False) if rows else {}


def _credit_note_returns(rows: list[str], for_update: bool) -> dict[str, float]:
	si, si_item = frappe.qb.DocType("Sales Invoice"), frappe.qb.DocType("Sales Invoice Item")
	query = (
		frappe.qb.from_(si_item)
		.join(si)
		.on(si.name == si_item.parent)
		.select(si_item.sales_invoice_item, Sum(Abs(si_item.qty)))
		.where(si.docstatus == 1)
		.where(si.is_return == 1)
		.where(si_item.sales_invoice_item.isin(rows))
		.groupby(si_item.sales_invoice_item)
	)
	return {row: flt(qty) for row, qty in (query.for_update() if for_update else query).run()}


def _credit_and_till_returns(rows: list[str], for_update: bool) -> dict[str, float]:
	"""Returned by credit notes (POS returns already consolidated among them) and by POS returns not
	consolidated yet."""
	by_credit_note = _credit_note_returns(rows, for_update)
	at_the_till = pos_returns_not_yet_consolidated(rows, for_update)
	return {row: by_credit_note.get(row, 0.0) + at_the_till.get(row, 0.0) for row in rows}


def get_open_holds(rows: Iterable[str], lock: bool = False) -> dict[str, float]:
	"""What open requests hold and is not yet counted as returned, per invoice line (locked first when
	asked). A request's own delivery return already counts its units as returned until the credit
	note ends the hold; those units are not held a second time."""
	rows = list(set(rows))
	held = lock_invoice_lines(rows) if lock else get_reserved_qty(rows)
	if not rows:
		return held
	back_by_delivery = dict(
		frappe.db.sql(
			"""select item.sales_invoice_item, sum(least(item.held_qty, item.accepted_qty))
			from `tabReturn Request Item` item
			where item.docstatus = 1 and item.held_qty > 0 and ifnull(item.credit_note, '') = ''
				and ifnull(item.return_delivery_note, '') != '' and item.sales_invoice_item in %s
			group by item.sales_invoice_item""",
			[tuple(rows)],
		)
	)
	return {row: max(flt(qty) - flt(back_by_delivery.get(row)), 0) for row, qty in held.items()}


def get_reserved_qty(rows: Iterable[str]) -> dict[str, float]:
	"""Requested by submitted return requests that are still open and not yet credited."""
	rows = list(set(rows))
	if not rows:
		return {}
	si_item = frappe.qb.DocType("Sales Invoice Item")
	return {
		row: flt(qty)
		for row, qty in frappe.qb.from_(si_item)
		.select(si_item.name, si_item.aftersales_requested_qty)
		.where(si_item.name.isin(rows))
		.run()
	}


def start_without_holds(doc, method=None) -> None:
	"""doc_events validate: an invoice is saved and submitted holding nothing; only return requests
	against it, once it is submitted, hold its lines."""
	before = doc.get_doc_before_save()
	if before is None or before.docstatus == 0:
		for item in doc.items:
			item.set(REQUESTED_QTY_FIELD, 0)


def keep_requested_qty(doc, method=None) -> None:
	"""doc_events before_update_after_submit: what return requests hold on an invoice line is kept
	by the requests alone; a value sent with the invoice is replaced by the stored one."""
	# Locked and read as committed: the save rewrites the lines, and must not undo a request's hold
	# made since this transaction began.
	stored = lock_invoice_lines(item.name for item in doc.items if item.name)
	for item in doc.items:
		item.set(REQUESTED_QTY_FIELD, stored.get(item.name, 0))


def validate_manual_return(doc, method=None) -> None:
	"""doc_events: a credit note typed by hand may not take what open return requests hold."""
	if not doc.is_return or doc.get("aftersales_return_request"):
		return
	check_manual_return(doc, lock=False)


def lock_manual_return(doc, method=None) -> None:
	if not doc.is_return or doc.get("aftersales_return_request"):
		return
	check_manual_return(doc, lock=True)


def validate_manual_delivery_return(doc, method=None) -> None:
	"""doc_events: a delivery return typed by hand may not take back what open return requests hold."""
	if not doc.is_return or doc.get("aftersales_return_request"):
		return
	check_manual_return(doc, lock=False)


def lock_manual_delivery_return(doc, method=None) -> None:
	if not doc.is_return or doc.get("aftersales_return_request"):
		return
	check_manual_return(doc, lock=True)


def validate_manual_pos_return(doc, method=None) -> None:
	"""doc_events: a return at the till may not take what open return requests hold on the line of
	the consolidated invoice the sale became."""
	if doc.is_return and not doc.get("aftersales_return_request"):
		check_manual_return(doc, lock=False)


def lock_manual_pos_return(doc, method=None) -> None:
	if doc.is_return and not doc.get("aftersales_return_request"):
		check_manual_return(doc, lock=True)


def invoice_lines_returned(doc) -> dict[str, float]:
	"""Invoice line → quantity a hand-made return takes back: a credit note names its invoice lines,
	a delivery return the delivery lines of the invoice lines, however they were delivered, a POS
	return the POS lines consolidated into invoice lines."""
	wanted: dict[str, float] = {}
	if doc.doctype == "Sales Invoice":
		pairs = [(item.get("sales_invoice_item"), abs(flt(item.qty))) for item in doc.items]
	elif doc.doctype == "POS Invoice":
		consolidated = consolidated_lines(item.get("pos_invoice_item") for item in doc.items)
		pairs = [(consolidated.get(item.get("pos_invoice_item")), abs(flt(item.qty))) for item in doc.items]
	else:
		billed = invoice_lines_delivered(item.dn_detail for item in doc.items if item.get("dn_detail"))
		pairs = [(billed.get(item.get("dn_detail")), abs(flt(item.qty))) for item in doc.items]
	for line, qty in pairs:
		if line:
			wanted[line] = wanted.get(line, 0) + qty
	return wanted


def check_manual_return(doc, lock: bool) -> None:
	wanted = invoice_lines_returned(doc)
	if not wanted:
		return
	held = lock_invoice_lines(wanted) if lock else get_reserved_qty(wanted)
	held = {row: qty for row, qty in held.items() if qty > 0}
	if not held:
		return
	sold = get_sold_qty(wanted)
	# Each kind counts its own kind: a credit note for goods a delivery return took back is no new return.
	returns_of_kind = {
		"Sales Invoice": _credit_note_returns,
		"POS Invoice": _credit_and_till_returns,
	}.get(doc.doctype, delivered_back)
	returned = returns_of_kind(list(wanted), for_update=lock)
	for row, qty in wanted.items():
		room = flt(sold.get(row)) - flt(returned.get(row)) - flt(held.get(row))
		if qty > room + 1e-9:
			holders = frappe.get_all(
				"Return Request Item",
				filters={"sales_invoice_item": row, "held_qty": (">", 0), "docstatus": 1},
				pluck="parent",
				distinct=True,
			)
			frappe.throw(
				_(
					"{0} of the invoice line can still be returned by hand: {1} is held by return request(s) {2}. "
					"Credit it through the return request, or reject that request first."
				).format(f"{max(room, 0):g}", f"{flt(held.get(row)):g}", ", ".join(holders)),
				title=_("Held by a Return Request"),
			)


def find_hold_drift() -> list[dict]:
	"""Invoice lines whose held quantity differs from what their submitted return requests hold."""
	return frappe.db.sql(
		"""select line.parent as sales_invoice, line.name as invoice_line, line.item_code,
			ifnull(line.aftersales_requested_qty, 0) as held_on_line,
			ifnull(held.qty, 0) as held_by_requests, held.requests
		from `tabSales Invoice Item` line
		left join (
			select sales_invoice_item, sum(held_qty) as qty, group_concat(distinct parent) as requests
			from `tabReturn Request Item` where docstatus = 1 and held_qty > 0 group by sales_invoice_item
		) held on held.sales_invoice_item = line.name
		where line.parenttype = 'Sales Invoice'
			and abs(ifnull(line.aftersales_requested_qty, 0) - ifnull(held.qty, 0)) > 0.000001
		order by line.parent, line.idx""",
		as_dict=True,
	)


@frappe.whitelist(methods=["POST"])
def repair_held_quantities() -> int:
	"""Set each drifted line's held quantity to its open requests' holds, line by line under lock."""
	if not has_role():
		frappe.throw(
			_("Only an Aftersales Manager can repair held quantities."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	drifted = find_hold_drift()
	lock_invoice_lines(row.invoice_line for row in drifted)
	for row in find_hold_drift():
		frappe.db.sql(
			"""update `tabSales Invoice Item` set aftersales_requested_qty = %s where name = %s""",
			(row.held_by_requests, row.invoice_line),
		)
	return len(drifted)


def report_hold_drift() -> None:
	"""The nightly check: drift is logged for the after-sales manager to look at and repair."""
	drifted = find_hold_drift()
	if drifted:
		frappe.log_error(
			title=_("Held quantities differ from the return requests on {0} invoice line(s)").format(
				len(drifted)
			),
			message=frappe.as_json(drifted),
			reference_doctype="Return Request",
		)
