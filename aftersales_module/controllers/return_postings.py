"""The ERPNext documents a Return Request posts, made once each and cancelled in reverse.

Each carries `aftersales_return_request` and its posting key (see `controllers.postings`); the
case's Postings table logs them for the form. Steps lock the case row first, so two users acting
at once are counted one after the other.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.claim_vouchers import party_line
from aftersales_module.controllers.deliveries import plan_returns_by_delivery
from aftersales_module.controllers.delivery_returns import make_uninvoiced_returns
from aftersales_module.controllers.order_returns import (
	cancel_unshipped_lines,
	released_orders,
	restore_orders,
)
from aftersales_module.controllers.pos_returns import make_pos_returns
from aftersales_module.controllers.pos_sales import pos_sale_lines
from aftersales_module.controllers.postings import cancel_documents, posted_documents
from aftersales_module.controllers.return_credit import make_credit_notes, request_reads
from aftersales_module.controllers.return_documents import (
	DISPOSITION,
	FREIGHT,
	GOODS_IN,
	QUALITY_INSPECTION,
	SALES_ORDER,
	find_posting,
	goods_in_route,
	one_line_per_part,
	received_serials,
	record_posting,
	set_returned_units,
	submit_posting,
)
from aftersales_module.controllers.steps import acting_user
from aftersales_module.core.deliveries import ReturnedUnits
from aftersales_module.core.enums import RequestType
from aftersales_module.core.return_postings import (
	DELIVERY_NOTE_RETURN,
	SALES_INVOICE_RETURN,
	DispositionLine,
	plan_dispositions,
)
from aftersales_module.core.returns import split_shipping
from aftersales_module.core.spare_postings import split_serials
from aftersales_module.core.stages import REFUNDED_TYPES, Stage
from aftersales_module.setup.custom_fields import RETURN_REQUEST_LINK

# ---- quality inspection --------------------------------------------------------------------------------


def make_quality_inspections(case) -> None:
	"""An ERPNext Quality Inspection for each inspected line: Rejected when the defect is confirmed."""
	for row in case.items:
		if not row.inspection_result or row.quality_inspection:
			continue
		inspection = frappe.get_doc(
			{
				"doctype": "Quality Inspection",
				"inspection_type": "Incoming",
				"reference_type": "Return Request",
				"reference_name": case.name,
				"child_row_reference": row.name,
				"item_code": row.item_code,
				"sample_size": row.qty,
				"batch_no": row.batch_no,
				"inspected_by": acting_user(),
				"report_date": nowdate(),
				"status": "Rejected" if row.inspection_result == "Defect Found" else "Accepted",
				"remarks": row.inspection_notes,
				"manual_inspection": 1,
			}
		)
		submit_posting(case, inspection, QUALITY_INSPECTION, row.name)
		row.quality_inspection = inspection.name


# ---- goods in ------------------------------------------------------------------------------------------


def post_goods_in(case) -> None:
	"""Take the accepted goods back into the return warehouse at the valuation they left with."""
	return_warehouse = get_company_settings(case.company).return_warehouse
	by_invoice_return, by_delivery_return, by_pos_return = [], [], []
	reads = request_reads(case)
	sold_at_till = pos_sale_lines((row.sales_invoice_item for row in case.items), reads)
	for row in case.items:
		if flt(row.accepted_qty) <= 0 or not row.sales_invoice_item:
			continue
		if row.sales_invoice_item in sold_at_till:
			# ERPNext takes a POS sale back only by a POS return, credit and refund in one.
			if not row.pos_return:
				by_pos_return.append(row)
			continue
		route = goods_in_route(row, reads)
		if route == SALES_INVOICE_RETURN and not row.credit_note:
			by_invoice_return.append(row)
		elif route == DELIVERY_NOTE_RETURN and not row.return_delivery_note:
			by_delivery_return.append(row)
		elif route is None and frappe.get_cached_value("Item", row.item_code, "is_stock_item"):
			refuse_never_delivered(row)

	# Goods delivered but not invoiced come back by a delivery return alone; first, as billed goods taken
	# back before their credit note count against what the delivery has unbilled.
	make_uninvoiced_returns(case, return_warehouse)
	if by_delivery_return:
		make_delivery_returns(case, by_delivery_return, return_warehouse)
	if by_pos_return:
		make_pos_returns(case, by_pos_return, return_warehouse)
	# A stock-updating credit note is the goods in and the credit at once.
	if by_invoice_return:
		make_credit_notes(case, by_invoice_return, return_warehouse)


def refuse_never_delivered(row) -> None:
	frappe.throw(
		_(
			"Row #{0}: {1} of invoice {2} was never delivered: no delivery note took it out of stock and the invoice did not update stock, so nothing can come back. Reject this request and refund it as Refund Only (Unshipped Order Cancelled)."
		).format(row.idx, frappe.bold(row.item_code), frappe.bold(row.sales_invoice)),
		title=_("Never Delivered"),
	)


def make_delivery_returns(case, rows, return_warehouse: str) -> None:
	"""One delivery return per delivery note that still has the units out: an invoice line delivered
	in parts comes back against each part's own note."""
	plan = plan_returns_by_delivery([returned_units(row) for row in rows], for_update=True)
	by_name = {row.name: row for row in rows}
	for line_key, missing in plan.short.items():
		row = by_name[line_key]
		frappe.throw(
			_(
				"Row #{0}: {1} of {2} cannot be taken back: the delivery notes of invoice {3} have no more of these units out with the customer."
			).format(
				row.idx, f"{flt(missing):g}", frappe.bold(row.item_code), frappe.bold(row.sales_invoice)
			),
			title=_("Not Delivered"),
		)
	for delivery_note, parts in plan.by_delivery_note().items():
		delivery_return = make_delivery_return(case, delivery_note, parts, return_warehouse)
		for part in parts:
			row = by_name[part.line_key]
			# The form names the first; the others are found by their back-link to the case.
			row.return_delivery_note = row.return_delivery_note or delivery_return


def returned_units(row) -> ReturnedUnits:
	return ReturnedUnits(
		row.name,
		row.sales_invoice_item,
		Decimal(str(flt(row.accepted_qty))),
		tuple(split_serials(received_serials(row))),
		row.batch_no or None,
	)


def make_delivery_return(case, delivery_note: str, parts, return_warehouse: str) -> str:
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	existing = find_posting(case, GOODS_IN, "Delivery Note", delivery_note)
	if existing:
		return existing
	delivery_return = make_return_doc("Delivery Note", delivery_note)
	for item, part in one_line_per_part(
		delivery_return, "dn_detail", [(part.delivery_line, part) for part in parts]
	):
		set_returned_units(
			item, flt(part.qty), "\n".join(part.serial_nos) or None, part.batch_no, return_warehouse
		)
	delivery_return.posting_date = nowdate()
	delivery_return.remarks = _("Goods returned under {0}").format(case.name)
	submit_posting(case, delivery_return, GOODS_IN, delivery_note, abs(delivery_return.grand_total))
	return delivery_return.name


# ---- freight -------------------------------------------------------------------------------------------


def make_freight_entry(case) -> None:
	"""The return shipping owed to the carrier. The customer's share comes back on the credit note of
	a refunded case; a case with no credit note (exchange, repair, spare unit) charges it to the
	customer's account on this entry."""
	if flt(case.shipping_cost) <= 0 or find_posting(case, FREIGHT, "Journal Entry"):
		return
	settings = get_company_settings(case.company)
	accounts = [
		{"account": settings.return_shipping_account, "debit_in_account_currency": flt(case.shipping_cost)},
		owed_to(case, settings),
	]
	charge = customer_shipping_charge(case)
	if charge:
		accounts += [
			party_line(case, "Customer", case.customer, "debit", charge),
			{"account": settings.return_shipping_account, "credit_in_account_currency": flt(charge)},
		]
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": case.company,
			"posting_date": nowdate(),
			"user_remark": _("Return shipping for Return Request {0}").format(case.name),
			"multi_currency": int(any(row.get("exchange_rate") for row in accounts)),
			"accounts": [{"cost_center": settings.cost_center, **row} for row in accounts],
		}
	)
	submit_posting(case, entry, FREIGHT, None, flt(case.shipping_cost))


def customer_shipping_charge(case) -> Decimal:
	"""The customer's share of the return shipping when no credit note deducts it."""
	credited = RequestType(case.request_type) in REFUNDED_TYPES and case.stage != Stage.REJECTED
	if credited or not case.shipping_payer:
		return Decimal(0)
	customer_part, _company_part = split_shipping(Decimal(str(flt(case.shipping_cost))), case.shipping_payer)
	return customer_part


def owed_to(case, settings) -> dict:
	"""The carrier's own payable, with the carrier as party and in its currency, so that paying their
	bill settles it; cases from before a carrier was named owe it to After-sales Freight Payable."""
	if not case.carrier:
		return {
			"account": settings.freight_payable_account,
			"credit_in_account_currency": flt(case.shipping_cost),
		}
	return party_line(case, "Supplier", case.carrier, "credit", case.shipping_cost)


# ---- unshipped orders ----------------------------------------------------------------------------------


def close_unshipped_orders(case) -> None:
	"""A refund for an order that never shipped closes the order instead of moving stock; lines of an
	order paid in advance are taken off it and their advance paid back (controllers.order_returns)."""
	cancel_unshipped_lines(case)
	for sales_order in orders_of(case):
		order = frappe.get_doc("Sales Order", sales_order)
		if order.docstatus != 1 or order.status in ("Closed", "Completed"):
			continue
		order.update_status("Closed")
		record_posting(case, SALES_ORDER, order, sales_order)


def orders_of(case) -> list[str]:
	orders = [case.sales_order] if case.sales_order and case.sales_order not in released_orders(case) else []
	for row in case.items:
		order = frappe.db.get_value("Sales Invoice Item", row.sales_invoice_item, "sales_order")
		if order and order not in orders:
			orders.append(order)
	return orders


# ---- dispositions --------------------------------------------------------------------------------------


def apply_dispositions(case) -> None:
	settings = get_company_settings(case.company)
	refuse_goods_still_at_the_till(case)
	pending = [
		row
		for row in case.items
		if row.disposition
		and not row.disposition_entry
		and flt(row.accepted_qty) > 0
		and is_back_in_stock(case, row)
	]
	plan = plan_dispositions(
		[
			DispositionLine(
				row.name,
				row.item_code,
				Decimal(str(row.accepted_qty)),
				row.disposition,
				row.restock_warehouse,
			)
			for row in pending
		],
		settings.return_warehouse,
	)
	if plan.needs_manager_approval and not case.scrap_approved_by:
		frappe.throw(
			_("Scrapping returned goods needs an Aftersales Manager's approval first (Approve Scrap)."),
			title=_("Approval Needed"),
		)
	rows = {row.name: row for row in case.items}
	if plan.transfers:
		entry = make_disposition_entry(case, "Material Transfer", plan.transfers, rows, settings)
		for move in plan.transfers:
			rows[move.line_key].disposition_entry = entry
	if plan.issues:
		entry = make_disposition_entry(case, "Material Issue", plan.issues, rows, settings)
		for move in plan.issues:
			rows[move.line_key].disposition_entry = entry


def refuse_goods_still_at_the_till(case) -> None:
	for row in case.items:
		if (
			row.disposition
			and not row.disposition_entry
			and row.pos_return
			and not is_back_in_stock(case, row)
		):
			frappe.throw(
				_(
					"Row #{0}: the goods of POS return {1} reach the return warehouse when the next POS closing consolidates it. Apply the dispositions after that closing."
				).format(row.idx, frappe.bold(row.pos_return)),
				title=_("Not in Stock Yet"),
			)


def is_back_in_stock(case, row) -> bool:
	"""In the return warehouse at cost: returned goods, or goods taken back in a different-item exchange.
	Consignment units stay the customer's and are never disposed of."""
	if case.request_type == RequestType.EXCHANGE_DIFFERENT_ITEM:
		return bool(row.goods_in_entry)
	if row.pos_return:
		# A POS return moves the goods when the next POS closing consolidates it.
		return bool(frappe.db.get_value("POS Invoice", row.pos_return, "consolidated_invoice"))
	return bool(row.return_delivery_note or (row.credit_note and goods_in_route(row) == SALES_INVOICE_RETURN))


def make_disposition_entry(case, purpose: str, moves, rows, settings) -> str:
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": purpose,
			"purpose": purpose,
			"company": case.company,
			"posting_date": nowdate(),
			"set_posting_time": 1,
			"remarks": _("Disposition of goods returned under {0}").format(case.name),
		}
	)
	for move in moves:
		row = rows[move.line_key]
		entry.append(
			"items",
			{
				"item_code": move.item_code,
				"qty": flt(move.qty),
				"conversion_factor": 1,
				"s_warehouse": move.source_warehouse,
				"t_warehouse": move.target_warehouse,
				"serial_no": received_serials(row),
				"batch_no": row.batch_no,
				"use_serial_batch_fields": 1 if (received_serials(row) or row.batch_no) else 0,
				"expense_account": settings.scrap_expense_account if purpose == "Material Issue" else None,
				"cost_center": settings.cost_center,
			},
		)
	submit_posting(case, entry, DISPOSITION, None, flt(entry.total_outgoing_value))
	return entry.name


# ---- cancellation --------------------------------------------------------------------------------------


def cancel_postings(case) -> None:
	"""Cancel what the case posted, newest first, then reopen the orders it closed."""
	cancel_documents(case, posted_documents(RETURN_REQUEST_LINK, case.name))
	restore_orders(case)
	own_orders = set(orders_of(case))
	for row in case.postings:
		if row.voucher_type == "Sales Order" and row.voucher_no in own_orders:
			reopen_order(row.voucher_no)


def reopen_order(sales_order: str) -> None:
	order = frappe.get_doc("Sales Order", sales_order)
	if order.status == "Closed":
		order.update_status("Draft")
