"""Stock Entries and invoices of repair orders, each made once and linked back to the order.

Each part line, and the order itself, keeps the name of the document that moved it, written in
the same transaction as the document; a retried action finds nothing left to post.
"""

import frappe
from frappe import _
from frappe.utils import flt, nowdate
from frappe.utils.nestedset import get_root_of

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.messages import apply_rule
from aftersales_module.controllers.postings import insert_and_submit
from aftersales_module.controllers.stock_entries import item_row, new_stock_entry
from aftersales_module.core.exchange_postings import REPAIR_DONE_SHIPPED
from aftersales_module.core.repairs import (
	OLD_PART_RECEIVED,
	REPAIR_PARTS_ISSUE,
	REPAIR_UNIT_RESTOCKED,
	REPAIR_UNIT_SCRAPPED,
	STOCK_ENTRY_TYPES,
	completion_move,
)
from aftersales_module.setup.custom_fields import REPAIR_ORDER_LINK

LABOUR_ITEM = "AFTERSALES-REPAIR-LABOUR"
LABOUR_UOM = "Hour"


class PartsWarehouseError(frappe.ValidationError):
	pass


def repair_point_warehouse(order) -> str:
	return frappe.db.get_value("Repair Point", order.repair_point, "warehouse")


def check_part_warehouses(order, rows) -> None:
	"""Parts leave only the warehouse of the order's own repair point."""
	warehouse = repair_point_warehouse(order)
	for row in rows:
		if row.warehouse != warehouse:
			frappe.throw(
				_("Parts row #{0}: parts are issued from the repair point's warehouse {1}, not {2}.").format(
					row.idx, frappe.bold(warehouse), row.warehouse
				),
				PartsWarehouseError,
				title=_("Wrong Warehouse"),
			)


def new_entry(order, entry_type: str, remarks: str):
	return new_stock_entry(order.company, entry_type, remarks, **{REPAIR_ORDER_LINK: order.name})


def submit(doc) -> str:
	insert_and_submit(doc)
	return doc.name


def issue_parts(order, required: bool = True) -> None:
	"""A Material Issue from the repair point's warehouse: to warranty cost in warranty, to cost of
	goods sold when the customer pays for them."""
	rows = [row for row in order.parts if not row.issue_entry and flt(row.qty) > 0]
	if not rows:
		if required:
			frappe.throw(_("Every part on this repair order is already issued."), title=_("Nothing to Issue"))
		return
	check_part_warehouses(order, rows)
	settings = get_company_settings(order.company)
	expense_account = (
		settings.warranty_expense_account
		if order.in_warranty
		else frappe.get_cached_value("Company", order.company, "default_expense_account")
	)
	entry = new_entry(
		order,
		REPAIR_PARTS_ISSUE,
		_("Parts for repair order {0} ({1}): {2}").format(
			order.name, _(order.warranty_status), order.fault_description
		),
	)
	for row in rows:
		entry.append(
			"items",
			{
				**item_row(row.item_code, row.qty),
				"s_warehouse": row.warehouse,
				"expense_account": expense_account,
				"cost_center": settings.cost_center,
			},
		)
	name = submit(entry)
	for row in rows:
		row.issue_entry = name


def receive_old_parts(order) -> None:
	"""Faulty parts brought back enter the old-parts warehouse at quantity only, with their fault."""
	rows = [row for row in order.parts if row.old_part_returned and not row.old_part_entry]
	if not rows:
		frappe.throw(
			_("Tick Faulty Part Brought Back on the parts that came back first."),
			title=_("Nothing to Receive"),
		)
	settings = get_company_settings(order.company)
	entry = new_entry(
		order,
		OLD_PART_RECEIVED,
		_("Old parts brought back under repair order {0}").format(order.name),
	)
	for row in rows:
		entry.append(
			"items",
			{
				**item_row(row.item_code, row.qty, quantity_only=True),
				"t_warehouse": settings.old_parts_warehouse,
				"basic_rate": 0,
				"description": _("{0}, fault: {1}").format(
					row.item_name or row.item_code, row.old_part_fault or ""
				),
				"expense_account": settings.warranty_expense_account,
				"cost_center": settings.cost_center,
			},
		)
	name = submit(entry)
	for row in rows:
		row.old_part_entry = name


def make_repair_invoice(order, charge) -> None:
	"""The customer's invoice for an out-of-warranty repair: each part at its price, and labour."""
	if order.sales_invoice_for_repair or charge is None:
		return
	if not order.customer:
		frappe.throw(
			_("Choose the customer to invoice for this out-of-warranty repair."), title=_("Customer Needed")
		)
	settings = get_company_settings(order.company)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": order.company,
			"customer": order.customer,
			"currency": order.currency,
			"posting_date": nowdate(),
			"set_posting_time": 1,
			"due_date": nowdate(),
			"update_stock": 0,
			"disable_rounded_total": 1,
			"ignore_pricing_rule": 1,
			"remarks": _("Out-of-warranty repair {0}: {1}").format(order.name, order.fault_description),
			REPAIR_ORDER_LINK: order.name,
			"items": [
				{
					"item_code": line.item_code,
					"qty": flt(line.qty),
					"rate": flt(line.rate),
					"cost_center": settings.cost_center,
				}
				for line in charge.lines
			],
		}
	)
	order.sales_invoice_for_repair = submit(invoice)


def repaired_unit_move(order):
	"""Where the repaired unit goes: back to finished goods (company stock) or to its owner."""
	settings = get_company_settings(order.company)
	if order.unit_warehouse and not order.outcome:
		frappe.throw(
			_("Choose where the repaired unit goes in Repaired Unit Goes."), title=_("Unit Destination")
		)
	return apply_rule(
		completion_move,
		order.outcome,
		order.unit_warehouse,
		[settings.consignment_repair_warehouse, settings.repair_virtual_warehouse],
		order.finished_goods_warehouse,
		title=_("Unit Destination"),
	)


def move_repaired_unit(order, move) -> None:
	"""The unit moves at its value into finished goods, or out to its owner at quantity only."""
	if move is None or order.completion_entry:
		return
	settings = get_company_settings(order.company)
	entry_type = REPAIR_DONE_SHIPPED if move.target is None else REPAIR_UNIT_RESTOCKED
	entry = new_entry(order, entry_type, _("Repaired unit of repair order {0}").format(order.name))
	entry.append(
		"items",
		{
			**unit_row(order, move.quantity_only),
			"s_warehouse": move.source,
			"t_warehouse": move.target,
			"expense_account": settings.warranty_expense_account,
			"cost_center": settings.cost_center,
		},
	)
	order.completion_entry = submit(entry)


def scrap_unit(order) -> None:
	"""The unrepairable unit leaves stock at its value, charged to the scrap expense account."""
	if order.scrap_entry or not order.unit_warehouse:
		return
	settings = get_company_settings(order.company)
	entry = new_entry(
		order,
		REPAIR_UNIT_SCRAPPED,
		_("Unrepairable unit of repair order {0} scrapped: {1}").format(
			order.name, order.unrepairable_report
		),
	)
	entry.append(
		"items",
		{
			# A customer's unit is held at zero valuation; a company unit leaves at its own.
			**unit_row(order, quantity_only=True),
			"s_warehouse": order.unit_warehouse,
			"expense_account": settings.scrap_expense_account,
			"cost_center": settings.cost_center,
		},
	)
	order.scrap_entry = submit(entry)


def unit_row(order, quantity_only: bool = False) -> dict:
	return item_row(order.item_code, 1, order.serial_no, quantity_only)


def get_labour_item() -> str:
	"""A non-stock service item counted in hours, which may be fractions."""
	if not frappe.db.exists("Item", LABOUR_ITEM):
		if not frappe.db.exists("UOM", LABOUR_UOM):
			frappe.get_doc({"doctype": "UOM", "uom_name": LABOUR_UOM, "must_be_whole_number": 0}).insert(
				ignore_permissions=True
			)
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": LABOUR_ITEM,
				"item_name": _("Repair Labour"),
				"item_group": get_root_of("Item Group"),
				"stock_uom": LABOUR_UOM,
				"is_stock_item": 0,
				"include_item_in_manufacturing": 0,
			}
		).insert(ignore_permissions=True)
	return LABOUR_ITEM
