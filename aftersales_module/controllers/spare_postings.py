"""Stock Entries of spare-unit and reissue cases, made once each and linked to the case.

The plans come from `core.spare_postings`. Each line records the entry that moved it and its
spare status, in the same transaction as the entry; a retried or doubled action finds no line
left to move and makes nothing. Every entry is also in the case's Postings table, with its
stock entry type in "Against".
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.exchange_postings import original_unit_cost
from aftersales_module.controllers.messages import apply_rule, translate
from aftersales_module.controllers.return_documents import (
	GOODS_IN,
	release_hold,
	submit_posting,
)
from aftersales_module.controllers.sales_history import lock_invoice_lines
from aftersales_module.controllers.stock_entries import item_row, new_stock_entry
from aftersales_module.core.spare_postings import (
	REISSUE_OUT,
	SPARE_KEPT,
	SPARE_OUT,
	SPARE_RETURNED,
	SPARE_UNIT_BACK,
	SPARE_UNIT_FAULTY_IN,
	SPARE_UNIT_KEPT,
	SPARE_UNIT_OUT,
	OpenOrderLine,
	ReissueLine,
	ReissueShortage,
	SpareLine,
	expected_restock_date,
	plan_reissue,
	plan_spare_back,
	plan_spare_settlement,
	plan_spare_shipment,
	spare_due_date,
)

SPARE_UNIT = "Spare Unit"
REISSUE = "Reissue"


def spare_line(row) -> SpareLine:
	return SpareLine(
		line_key=row.name,
		item_code=row.item_code,
		qty=Decimal(str(flt(row.accepted_qty) or flt(row.qty))),
		unit_cost=Decimal(str(original_unit_cost(row))) if row.spare_status == SPARE_OUT else Decimal(0),
		serial_no=row.received_serial_no or row.serial_no,
		spare_item=row.replacement_item,
		spare_warehouse=row.replacement_warehouse,
		spare_serial_no=row.replacement_serial_no,
		spare_status=row.spare_status or None,
	)


def ship_spare_units(case) -> None:
	"""The spare leaves finished goods at cost into the spare-unit warehouse, ahead of the faulty unit."""
	settings = get_company_settings(case.company)
	rows = [row for row in case.items if not row.spare_status]
	require_serials(rows, _("spare unit"))
	legs = apply_rule(
		plan_spare_shipment,
		[spare_line(row) for row in rows],
		settings.spare_unit_warehouse,
		title=_("Cannot Ship the Spare Unit"),
	)
	entry = post_transfer(
		case,
		SPARE_UNIT_OUT,
		legs,
		_("{0} sent to {1} ahead of the faulty unit, under {2}: {3}").format(
			_(case.unit_category or SPARE_UNIT), case.customer, case.name, case.reason_details or ""
		),
	)
	shipped_on = getdate(nowdate())
	due = spare_due_date(shipped_on, spare_return_days())
	for row in rows:
		row.replacement_entry = entry
		row.spare_status = SPARE_OUT
		row.spare_shipped_on = shipped_on
		row.spare_due_date = due


def settle_spare_units(case, rows) -> None:
	"""The faulty unit has arrived: it enters returns at its cost and the customer keeps the spare."""
	rows = [row for row in rows if row.spare_status == SPARE_OUT]
	if not rows:
		return
	settings = get_company_settings(case.company)
	plan = apply_rule(
		plan_spare_settlement,
		[spare_line(row) for row in rows],
		settings.return_warehouse,
		settings.spare_unit_warehouse,
		title=_("Cannot Receive the Faulty Unit"),
	)
	entry = new_stock_entry(
		case.company,
		SPARE_UNIT_FAULTY_IN,
		_("Faulty unit received under {0}, at cost, without price").format(case.name),
	)
	by_name = {row.name: row for row in rows}
	for leg in plan.faulty_in:
		entry.append(
			"items",
			{
				# The faulty unit is the customer's own: its serial as received, its batch as sold.
				**item_row(leg.item_code, leg.qty, leg.serial_no, batch_no=by_name[leg.line_key].batch_no),
				"t_warehouse": leg.warehouse,
				"basic_rate": flt(leg.valuation_rate),
			},
		)
	goods_in = post_entry(case, GOODS_IN, entry, SPARE_UNIT_FAULTY_IN, settings)
	entry = new_stock_entry(
		case.company,
		SPARE_UNIT_KEPT,
		_("Spare unit kept by {0} in place of the faulty unit, under {1}").format(case.customer, case.name),
	)
	for leg in plan.spare_kept:
		entry.append(
			"items", {**item_row(leg.item_code, leg.qty, leg.serial_no), "s_warehouse": leg.warehouse}
		)
	kept = post_entry(case, SPARE_UNIT, entry, SPARE_UNIT_KEPT, settings)
	lock_invoice_lines(row.sales_invoice_item for row in rows)
	for row in rows:
		row.goods_in_entry = goods_in
		row.spare_settled_entry = kept
		row.spare_status = SPARE_KEPT
		release_hold(row)


def receive_spare_back(case, returned_serials: dict[str, str]) -> None:
	"""The customer sends the spare back: it enters the return warehouse at cost, ready for repair or scrap."""
	settings = get_company_settings(case.company)
	rows = [
		row
		for row in case.items
		if row.spare_status == SPARE_OUT and (not returned_serials or row.name in returned_serials)
	]
	legs = apply_rule(
		plan_spare_back,
		[spare_line(row) for row in rows],
		returned_serials,
		settings.spare_unit_warehouse,
		settings.return_warehouse,
		title=_("Cannot Take the Spare Unit Back"),
	)
	entry = post_transfer(
		case,
		SPARE_UNIT_BACK,
		legs,
		_("{0} returned by {1} under {2}").format(
			_(case.unit_category or SPARE_UNIT), case.customer, case.name
		),
	)
	lock_invoice_lines(row.sales_invoice_item for row in rows)
	for row in rows:
		row.spare_settled_entry = entry
		row.spare_status = SPARE_RETURNED
		release_hold(row)


def post_transfer(case, entry_type: str, legs, remarks: str) -> str:
	settings = get_company_settings(case.company)
	entry = new_stock_entry(case.company, entry_type, remarks)
	for leg in legs:
		entry.append(
			"items",
			{
				**item_row(leg.item_code, leg.qty, leg.serial_no),
				"s_warehouse": leg.source,
				"t_warehouse": leg.target,
			},
		)
	return post_entry(case, SPARE_UNIT, entry, entry_type, settings)


def post_entry(case, purpose: str, entry, entry_type: str, settings) -> str:
	for item in entry.items:
		item.expense_account = settings.warranty_expense_account
		item.cost_center = settings.cost_center
	submit_posting(
		case, entry, purpose, entry_type, flt(entry.total_incoming_value or entry.total_outgoing_value)
	)
	return entry.name


def require_serials(rows, what: str) -> None:
	for row in rows:
		item = row.replacement_item or row.item_code
		if (
			frappe.get_cached_value("Item", item, "has_serial_no")
			and not (row.replacement_serial_no or "").strip()
		):
			frappe.throw(
				_(
					"Row #{0}: {1} is serialised; enter the serial number of the {2} in Replacement Serial No."
				).format(row.idx, frappe.bold(item), what),
				title=_("Serial Numbers"),
			)


DEFAULT_SPARE_RETURN_DAYS = 30


def spare_return_days() -> int:
	"""Empty (as on sites set up before the setting existed) means the default of 30 days."""
	days = frappe.db.get_single_value("Aftersales Settings", "spare_unit_return_days")
	return int(days) if days else DEFAULT_SPARE_RETURN_DAYS


# ---- reissue --------------------------------------------------------------------------------------------


def check_reissue_stock(case) -> None:
	"""For each line: what its warehouse has, where else the item is, and when more is expected."""
	settings = get_company_settings(case.company)
	aftersales = {
		settings.return_warehouse,
		settings.consignment_repair_warehouse,
		settings.repair_virtual_warehouse,
		settings.spare_unit_warehouse,
		settings.scrap_warehouse,
		settings.old_parts_warehouse,
	}
	for row in case.items:
		if row.replacement_entry:
			continue
		row.replacement_warehouse = row.replacement_warehouse or row.warehouse
		item = row.replacement_item or row.item_code
		stock = stock_by_warehouse(item, case.company, aftersales)
		row.available_qty = stock.get(row.replacement_warehouse, 0)
		row.stock_by_warehouse = "\n".join(f"{warehouse}: {qty:g}" for warehouse, qty in stock.items())
		shortfall = flt(row.qty) - flt(row.available_qty)
		row.expected_restock_date = (
			expected_restock_date(item, Decimal(str(shortfall)), open_order_lines(item, case.company))
			if shortfall > 0
			else None
		)


def stock_by_warehouse(item_code: str, company: str, excluded: set[str]) -> dict[str, float]:
	bins = frappe.get_all(
		"Bin",
		filters={"item_code": item_code, "actual_qty": (">", 0)},
		fields=["warehouse", "actual_qty"],
		order_by="actual_qty desc",
	)
	companies = {
		row.name: row.company
		for row in frappe.get_all(
			"Warehouse",
			filters={"name": ("in", [b.warehouse for b in bins] or [""])},
			fields=["name", "company"],
		)
	}
	return {
		b.warehouse: flt(b.actual_qty)
		for b in bins
		if companies.get(b.warehouse) == company and b.warehouse not in excluded
	}


def open_order_lines(item_code: str, company: str) -> list[OpenOrderLine]:
	order = frappe.qb.DocType("Purchase Order")
	line = frappe.qb.DocType("Purchase Order Item")
	rows = (
		frappe.qb.from_(line)
		.join(order)
		.on(order.name == line.parent)
		.select(
			line.item_code,
			(line.stock_qty - line.received_qty * line.conversion_factor).as_("pending"),
			line.schedule_date,
		)
		.where(
			(line.item_code == item_code)
			& (order.company == company)
			& (order.docstatus == 1)
			& (order.status.notin(["Closed", "Completed", "On Hold"]))
		)
		.run(as_dict=True)
	)
	return [
		OpenOrderLine(row.item_code, Decimal(str(flt(row.pending))), getdate(row.schedule_date))
		for row in rows
		if flt(row.pending) > 0
	]


def ship_reissue(case) -> None:
	"""A zero-price replacement leaves the chosen warehouse at cost, linked to the case."""
	rows = [row for row in case.items if not row.replacement_entry]
	check_reissue_stock(case)
	require_serials(rows, _("unit reissued"))
	try:
		legs = plan_reissue(
			[
				ReissueLine(
					line_key=row.name,
					item_code=row.replacement_item or row.item_code,
					qty=Decimal(str(flt(row.qty))),
					warehouse=row.replacement_warehouse,
					serial_no=row.replacement_serial_no,
					available_qty=Decimal(str(flt(row.available_qty))),
					expected_restock=getdate(row.expected_restock_date)
					if row.expected_restock_date
					else None,
				)
				for row in rows
			]
		)
	except ReissueShortage as shortage:
		frappe.throw(
			"<br>".join(translate(message) for message in shortage.messages), title=_("Not Enough Stock")
		)
	except ValueError as error:
		frappe.throw(translate(error.args[0]), title=_("Cannot Reissue"))

	settings = get_company_settings(case.company)
	entry = new_stock_entry(
		case.company,
		REISSUE_OUT,
		_("Reissued to {0} without price under {1}").format(case.customer, case.name),
	)
	for leg in legs:
		entry.append(
			"items", {**item_row(leg.item_code, leg.qty, leg.serial_no), "s_warehouse": leg.warehouse}
		)
	entry_name = post_entry(case, REISSUE, entry, REISSUE_OUT, settings)
	lock_invoice_lines(row.sales_invoice_item for row in rows)
	for row in rows:
		row.replacement_entry = entry_name
		release_hold(row)
