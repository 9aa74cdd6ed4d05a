"""Stock Entries and price-difference invoices of exchange and repair cases, made once each.

The plans come from `core.exchange_postings`; this module turns them into documents linked to
the case, recorded in its Postings table like every other posting of a Return Request.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, nowdate
from frappe.utils.nestedset import get_root_of

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.deliveries import stock_out_lines
from aftersales_module.controllers.messages import apply_rule
from aftersales_module.controllers.return_documents import (
	GOODS_IN,
	find_posting,
	received_serials,
	release_hold,
	submit_posting,
)
from aftersales_module.controllers.sales_history import lock_invoice_lines
from aftersales_module.controllers.stock_entries import item_row, new_stock_entry
from aftersales_module.core.exchange_postings import (
	REPAIR_DONE_SHIPPED,
	ExchangeLine,
	ExchangeWarehouses,
	plan_exchange,
)

REPLACEMENT = "Replacement"
PRICE_DIFFERENCE = "Price Difference"
PRICE_DIFFERENCE_ITEM = "AFTERSALES-PRICE-DIFFERENCE"


def exchange_plan(case, rows):
	settings = get_company_settings(case.company)
	return apply_rule(
		plan_exchange,
		case.request_type,
		[exchange_line(row) for row in rows],
		ExchangeWarehouses(
			returns=settings.return_warehouse,
			consignment_repair=settings.consignment_repair_warehouse,
			repair_virtual=settings.repair_virtual_warehouse,
		),
		title=_("Check the Exchange"),
	)


def exchange_line(row) -> ExchangeLine:
	return ExchangeLine(
		line_key=row.name,
		item_code=row.item_code,
		qty=Decimal(str(flt(row.accepted_qty))),
		sold_rate=Decimal(str(flt(row.rate))),
		unit_cost=Decimal(str(original_unit_cost(row))),
		serial_no=received_serials(row),
		replacement_item=row.replacement_item,
		replacement_rate=None if row.replacement_rate is None else Decimal(str(flt(row.replacement_rate))),
		replacement_warehouse=row.replacement_warehouse,
		replacement_serial_no=row.replacement_serial_no,
	)


def original_unit_cost(row) -> float:
	"""The valuation per unit the goods left stock with when they were sold, over every delivery note
	that delivered the line."""
	updates_stock = frappe.db.get_value("Sales Invoice", row.sales_invoice, "update_stock")
	voucher_details = stock_out_lines(row.sales_invoice_item, bool(updates_stock)) or [row.sales_invoice_item]
	value, qty = frappe.db.get_value(
		"Stock Ledger Entry",
		{"voucher_detail_no": ("in", voucher_details), "is_cancelled": 0, "actual_qty": ("<", 0)},
		["sum(stock_value_difference)", "sum(actual_qty)"],
	) or (0, 0)
	return abs(flt(value) / flt(qty)) if flt(qty) else 0


def received_rows(case) -> list:
	return [row for row in case.items if flt(row.accepted_qty) > 0]


def post_exchange_goods_in(case) -> None:
	"""The customer's goods come in: at quantity only into the consignment-repair or repair virtual
	warehouse, or at their cost into the return warehouse for an exchange with a different item."""
	rows = [row for row in received_rows(case) if not row.goods_in_entry]
	if not rows:
		return
	plan = exchange_plan(case, rows)
	by_name = {row.name: row for row in rows}
	entry_name = find_posting(case, GOODS_IN, "Stock Entry")
	if not entry_name:
		settings = get_company_settings(case.company)
		entry = new_stock_entry(
			case.company, plan.goods_in_type, _("Goods received under {0}").format(case.name)
		)
		for leg in plan.goods_in:
			entry.append(
				"items",
				{
					# The customer's own units come in: their batch is the one sold.
					**stock_leg_row(leg, by_name[leg.line_key].batch_no),
					"t_warehouse": leg.warehouse,
					"basic_rate": flt(leg.valuation_rate),
					"expense_account": settings.warranty_expense_account,
					"cost_center": settings.cost_center,
				},
			)
		submit_posting(case, entry, GOODS_IN, None, flt(entry.total_incoming_value))
		entry_name = entry.name
	lock_invoice_lines(row.sales_invoice_item for row in rows)
	for row in rows:
		row.goods_in_entry = entry_name
		# An exchange or repair takes nothing more off the invoice line: it is no longer held.
		release_hold(row)


def ship_replacements(case) -> None:
	"""Send the customer their unit back, or the replacement, and settle a price difference."""
	rows = [row for row in received_rows(case) if row.goods_in_entry and not row.replacement_entry]
	if not rows:
		frappe.throw(
			_("Nothing is waiting to be shipped: receive the customer's goods first."),
			title=_("Nothing to Ship"),
		)
	plan = exchange_plan(case, rows)
	by_name = {row.name: row for row in rows}
	# A repaired or consignment unit goes back as it came, batch included; a replacement from stock
	# is picked by ERPNext.
	own_unit_back = plan.goods_out_type == REPAIR_DONE_SHIPPED
	entry_name = find_posting(case, REPLACEMENT, "Stock Entry")
	if not entry_name:
		settings = get_company_settings(case.company)
		entry = new_stock_entry(
			case.company, plan.goods_out_type, _("Shipped to the customer under {0}").format(case.name)
		)
		for leg in plan.goods_out:
			entry.append(
				"items",
				{
					**stock_leg_row(leg, by_name[leg.line_key].batch_no if own_unit_back else None),
					"s_warehouse": leg.warehouse,
					"expense_account": settings.warranty_expense_account,
					"cost_center": settings.cost_center,
				},
			)
		submit_posting(case, entry, REPLACEMENT, None, flt(entry.total_outgoing_value))
		entry_name = entry.name
	for row in rows:
		row.replacement_entry = entry_name
	settle_price_difference(case, flt(plan.price_difference))


def stock_leg_row(leg, batch_no: str | None = None) -> dict:
	return item_row(leg.item_code, leg.qty, leg.serial_no, leg.quantity_only, batch_no)


def settle_price_difference(case, difference: float) -> None:
	"""Only the difference in price between the goods exchanged is invoiced, or credited."""
	case.price_difference = difference
	if not difference or find_posting(case, PRICE_DIFFERENCE, "Sales Invoice"):
		return
	settings = get_company_settings(case.company)
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": case.company,
			"customer": case.customer,
			"currency": case.currency,
			"posting_date": nowdate(),
			"set_posting_time": 1,
			"due_date": nowdate(),
			"is_return": 1 if difference < 0 else 0,
			"disable_rounded_total": 1,
			"ignore_pricing_rule": 1,
			"remarks": _("Exchange price difference for Return Request {0}").format(case.name),
			"items": [
				{
					"item_code": get_price_difference_item(),
					"qty": -1 if difference < 0 else 1,
					"rate": abs(difference),
					"cost_center": settings.cost_center,
				}
			],
		}
	)
	submit_posting(case, invoice, PRICE_DIFFERENCE, None, difference)


def get_price_difference_item() -> str:
	if not frappe.db.exists("Item", PRICE_DIFFERENCE_ITEM):
		item = frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": PRICE_DIFFERENCE_ITEM,
				"item_name": _("Exchange Price Difference"),
				"item_group": get_root_of("Item Group"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"include_item_in_manufacturing": 0,
			}
		)
		item.insert(ignore_permissions=True)
	return PRICE_DIFFERENCE_ITEM
