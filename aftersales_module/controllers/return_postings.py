"""The ERPNext documents a Return Request posts, made once each and cancelled in reverse.

Each carries `aftersales_return_request` and its posting key (see `controllers.postings`); the
case's Postings table logs them for the form. Steps lock the case row first, so two users acting
at once are counted one after the other.
"""

from decimal import Decimal

import frappe
import frappe.permissions
from frappe import _
from frappe.utils import flt, get_link_to_form, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.postings import (
	cancel_documents,
	insert_and_submit,
	posted_documents,
	posting_key,
)
from aftersales_module.controllers.sales_history import change_requested_qty, lock_invoice_lines
from aftersales_module.controllers.steps import acting_user
from aftersales_module.core.enums import RefundMethod, RequestType
from aftersales_module.core.return_postings import (
	DELIVERY_NOTE_RETURN,
	SALES_INVOICE_RETURN,
	CreditLine,
	DispositionLine,
	goods_in_voucher,
	plan_credit_notes,
	plan_dispositions,
	refund_to_pay,
)
from aftersales_module.core.returns import RefundBreakdown
from aftersales_module.setup.custom_fields import POSTING_KEY, RETURN_REQUEST_LINK

QUALITY_INSPECTION = "Quality Inspection"
GOODS_IN = "Goods In"
CREDIT_NOTE = "Credit Note"
REFUND = "Refund"
FREIGHT = "Freight"
DISPOSITION = "Disposition"
SALES_ORDER = "Sales Order"

# ---- bookkeeping of what was posted ------------------------------------------------------------------


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


def goods_in_route(row) -> str | None:
	updates_stock = frappe.db.get_value("Sales Invoice", row.sales_invoice, "update_stock")
	return goods_in_voucher(bool(updates_stock), bool(row.dn_detail))


def post_goods_in(case) -> None:
	"""Take the accepted goods back into the return warehouse at the valuation they left with."""
	return_warehouse = get_company_settings(case.company).return_warehouse
	by_invoice_return, by_delivery_return = {}, {}
	for row in case.items:
		if flt(row.accepted_qty) <= 0:
			continue
		route = goods_in_route(row)
		if route == SALES_INVOICE_RETURN and not row.credit_note:
			by_invoice_return.setdefault(row.sales_invoice, []).append(row)
		elif route == DELIVERY_NOTE_RETURN and not row.return_delivery_note:
			by_delivery_return.setdefault(row.delivery_note, []).append(row)

	for delivery_note, rows in by_delivery_return.items():
		make_delivery_return(case, delivery_note, rows, return_warehouse)
	# A stock-updating credit note is the goods in and the credit at once.
	if by_invoice_return:
		make_credit_notes(
			case, [row for rows in by_invoice_return.values() for row in rows], return_warehouse
		)


def make_delivery_return(case, delivery_note: str, rows, return_warehouse: str) -> None:
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	existing = find_posting(case, GOODS_IN, "Delivery Note", delivery_note)
	if not existing:
		wanted = {row.dn_detail: row for row in rows}
		delivery_return = make_return_doc("Delivery Note", delivery_note)
		keep_lines(delivery_return, lambda item: item.dn_detail in wanted)
		for item in delivery_return.items:
			set_returned_line(item, wanted[item.dn_detail], return_warehouse)
		delivery_return.posting_date = nowdate()
		delivery_return.remarks = _("Goods returned under {0}").format(case.name)
		submit_posting(case, delivery_return, GOODS_IN, delivery_note, abs(delivery_return.grand_total))
		existing = delivery_return.name
	for row in rows:
		row.return_delivery_note = existing


def keep_lines(doc, wanted) -> None:
	doc.items = [item for item in doc.items if wanted(item)]
	for idx, item in enumerate(doc.items, start=1):
		item.idx = idx


def received_serials(row) -> str | None:
	"""The units that came back: those the warehouse received, which may be fewer than were asked for."""
	return row.received_serial_no or row.serial_no


def set_returned_line(item, row, warehouse: str | None) -> None:
	qty = flt(row.accepted_qty)
	item.qty = -qty
	item.stock_qty = -qty * flt(item.conversion_factor or 1)
	if warehouse:
		item.warehouse = warehouse
	if received_serials(row):
		item.serial_no = received_serials(row)
		item.use_serial_batch_fields = 1
	if row.batch_no:
		item.batch_no = row.batch_no
		item.use_serial_batch_fields = 1


# ---- credit notes --------------------------------------------------------------------------------------


def credit_qty(case, row) -> float:
	# Refund-only requests credit what was asked; goods that come back are credited as accepted.
	return flt(row.qty) if case.request_type == RequestType.REFUND_ONLY else flt(row.accepted_qty)


def make_credit_notes(case, rows=None, return_warehouse: str | None = None) -> None:
	"""A Sales Invoice return against each original invoice of `rows` not yet credited.

	The deductions are shared over every line the case credits, whenever each note is made: a note
	made at goods-in and another made at the refund each take their share of the same plan, so the
	notes always add up to the case's figure and no fee is lost or charged twice."""
	creditable = [row for row in case.items if credit_qty(case, row) > 0]
	wanted = {row.name for row in (case.items if rows is None else rows) if not row.credit_note}
	if not wanted & {row.name for row in creditable}:
		return
	plans = plan_credit_notes(
		[
			CreditLine(
				row.name,
				row.sales_invoice,
				row.sales_invoice_item,
				Decimal(str(credit_qty(case, row))),
				row.rate,
			)
			for row in creditable
		],
		case.refund_breakdown(
			sum(Decimal(str(credit_qty(case, row))) * Decimal(str(row.rate)) for row in creditable)
		),
	)
	by_name = {row.name: row for row in creditable}
	plans = [plan for plan in plans if {line.line_key for line in plan.lines} & wanted]
	lock_invoice_lines(line.invoice_line for plan in plans for line in plan.lines)
	for plan in plans:
		credit_note = find_posting(case, (CREDIT_NOTE, GOODS_IN), "Sales Invoice", plan.sales_invoice)
		if not credit_note:
			credit_note = make_credit_note(case, plan, by_name, return_warehouse)
		for line in plan.lines:
			release_hold(by_name[line.line_key])
			by_name[line.line_key].credit_note = credit_note
	case.credited_amount = sum(-flt(note.grand_total) for note in credit_notes_of(case))


def make_credit_note(case, plan, rows_by_name, return_warehouse: str | None) -> str:
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	settings = get_company_settings(case.company)
	credit_note = make_return_doc("Sales Invoice", plan.sales_invoice)
	wanted = {
		rows_by_name[line.line_key].sales_invoice_item: rows_by_name[line.line_key] for line in plan.lines
	}
	keep_lines(credit_note, lambda item: item.sales_invoice_item in wanted)
	credit_note.update_stock = 1 if return_warehouse else 0
	for item in credit_note.items:
		row = wanted[item.sales_invoice_item]
		set_returned_line(
			item, frappe._dict(row.as_dict(), accepted_qty=credit_qty(case, row)), return_warehouse
		)
		if not return_warehouse:
			item.serial_no = item.batch_no = None
			item.serial_and_batch_bundle = None

	deductions = (
		(plan.depreciation, settings.return_deduction_account, _("Depreciation kept under {0}")),
		(plan.handling_fee, settings.return_deduction_account, _("Handling fee kept under {0}")),
		(
			plan.customer_shipping,
			settings.return_shipping_account,
			_("Return shipping paid by the customer under {0}"),
		),
	)
	for amount, account, description in deductions:
		if amount:
			credit_note.append(
				"taxes",
				{
					"charge_type": "Actual",
					"account_head": account,
					"cost_center": settings.cost_center,
					"description": description.format(case.name),
					"tax_amount": flt(amount),
				},
			)
	credit_note.posting_date = nowdate()
	credit_note.set_posting_time = 1
	credit_note.disable_rounded_total = 1
	credit_note.ignore_pricing_rule = 1
	credit_note.remarks = _("Credit for Return Request {0}").format(case.name)
	outstanding = flt(frappe.db.get_value("Sales Invoice", plan.sales_invoice, "outstanding_amount"))
	# While the original is unpaid the credit lowers what is owed on it; once paid it stands on its own
	# and is refunded.
	credit_note.update_outstanding_for_self = 0 if outstanding >= flt(plan.credit_amount) else 1
	purpose = GOODS_IN if return_warehouse else CREDIT_NOTE
	submit_posting(case, credit_note, purpose, plan.sales_invoice, abs(flt(credit_note.grand_total)))
	return credit_note.name


def release_hold(row) -> None:
	"""The request stops holding a line once it is credited, rejected, closed or cancelled."""
	if flt(row.held_qty):
		change_requested_qty({row.sales_invoice_item: -flt(row.held_qty)})
		row.held_qty = 0


# ---- refund --------------------------------------------------------------------------------------------


def make_refund_payments(case) -> None:
	for credit_note in credit_notes_of(case):
		if find_posting(case, REFUND, "Payment Entry", credit_note.return_against):
			continue
		outstanding = -flt(frappe.db.get_value("Sales Invoice", credit_note.name, "outstanding_amount"))
		amount = refund_to_pay(
			Decimal(str(max(outstanding, 0))),
			Decimal(str(paid_on_invoice(credit_note.return_against))),
			Decimal(str(refunded_on_invoice(credit_note.return_against))),
		)
		if amount <= 0:
			continue
		make_refund_payment(case, credit_note, flt(amount))
	case.refunded_amount = refunded_by_case(case)


def credit_notes_of(case) -> list:
	"""The live credit notes the case made, as goods in or as credit alone, oldest first."""
	return frappe.db.sql(
		f"""select name, return_against, grand_total from `tabSales Invoice`
		where docstatus = 1 and is_return = 1 and {RETURN_REQUEST_LINK} = %(case)s
		and ({POSTING_KEY} like %(goods_in)s or {POSTING_KEY} like %(credit)s)
		order by creation""",
		{"case": case.name, "goods_in": f"{GOODS_IN}:%", "credit": f"{CREDIT_NOTE}:%"},
		as_dict=True,
	)


def refunded_by_case(case) -> float:
	return flt(
		frappe.db.sql(
			f"""select coalesce(sum(paid_amount), 0) from `tabPayment Entry`
			where docstatus = 1 and payment_type = 'Pay' and {RETURN_REQUEST_LINK} = %s and {POSTING_KEY} like %s""",
			(case.name, f"{REFUND}:%"),
		)[0][0]
	)


def paid_on_invoice(sales_invoice: str) -> float:
	"""What the customer paid on an invoice: its total less what is still open and what credit notes
	took off it."""
	invoice = frappe.db.get_value(
		"Sales Invoice", sales_invoice, ["grand_total", "outstanding_amount"], as_dict=True
	)
	credited_on_it = frappe.db.sql(
		"""select coalesce(sum(-grand_total), 0) from `tabSales Invoice`
		where docstatus = 1 and is_return = 1 and return_against = %s and update_outstanding_for_self = 0""",
		sales_invoice,
	)[0][0]
	return max(flt(invoice.grand_total) - flt(invoice.outstanding_amount) - flt(credited_on_it), 0)


def refunded_on_invoice(sales_invoice: str) -> float:
	return flt(
		frappe.db.sql(
			# ERPNext keeps a refund's allocation to a credit note negative.
			"""select coalesce(sum(abs(ref.allocated_amount)), 0)
			from `tabPayment Entry Reference` ref
			join `tabPayment Entry` pe on pe.name = ref.parent
			join `tabSales Invoice` cn on cn.name = ref.reference_name
			where pe.docstatus = 1 and pe.payment_type = 'Pay' and ref.reference_doctype = 'Sales Invoice'
			and cn.return_against = %s""",
			sales_invoice,
		)[0][0]
	)


def make_refund_payment(case, credit_note, amount: float) -> None:
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", credit_note.name, party_amount=amount)
	mode_of_payment, account = refund_route(case, credit_note.return_against)
	if mode_of_payment:
		payment.mode_of_payment = mode_of_payment
	if account:
		payment.paid_from = account
		payment.paid_from_account_currency = frappe.get_cached_value("Account", account, "account_currency")
	payment.paid_amount = payment.received_amount = amount
	for reference in payment.references:
		reference.allocated_amount = -amount
	payment.reference_no = case.name
	payment.reference_date = nowdate()
	payment.remarks = _("Refund for Return Request {0}").format(case.name)
	payment.set_amounts()
	submit_posting(case, payment, REFUND, credit_note.return_against, amount)


def refund_route(case, sales_invoice: str) -> tuple[str | None, str | None]:
	"""Mode of payment and account to pay back from: cash at the store, or the way the customer paid."""
	if case.refund_method == RefundMethod.CASH_AT_STORE:
		account = frappe.get_cached_value("Company", case.company, "default_cash_account")
		return (frappe.db.exists("Mode of Payment", "Cash") and "Cash"), account
	received = frappe.db.sql(
		"""select pe.mode_of_payment, pe.paid_to from `tabPayment Entry` pe
		join `tabPayment Entry Reference` ref on ref.parent = pe.name
		where pe.docstatus = 1 and pe.payment_type = 'Receive' and ref.reference_doctype = 'Sales Invoice'
		and ref.reference_name = %s order by pe.posting_date desc, pe.creation desc limit 1""",
		sales_invoice,
		as_dict=True,
	)
	if received:
		return received[0].mode_of_payment, received[0].paid_to
	return None, None


# ---- freight -------------------------------------------------------------------------------------------


def make_freight_entry(case) -> None:
	"""The return shipping owed to the carrier; the customer's share comes back on the credit note."""
	if flt(case.shipping_cost) <= 0 or find_posting(case, FREIGHT, "Journal Entry"):
		return
	settings = get_company_settings(case.company)
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": "Journal Entry",
			"company": case.company,
			"posting_date": nowdate(),
			"user_remark": _("Return shipping for Return Request {0}").format(case.name),
			"accounts": [
				{
					"account": settings.return_shipping_account,
					"debit_in_account_currency": flt(case.shipping_cost),
					"cost_center": settings.cost_center,
				},
				{
					**owed_to(case, settings),
					"credit_in_account_currency": flt(case.shipping_cost),
					"cost_center": settings.cost_center,
				},
			],
		}
	)
	submit_posting(case, entry, FREIGHT, None, flt(case.shipping_cost))


def owed_to(case, settings) -> dict:
	"""The carrier's own payable, with the carrier as party, so that paying their bill settles it;
	cases from before a carrier was named owe it to After-sales Freight Payable."""
	if not case.carrier:
		return {"account": settings.freight_payable_account}
	from erpnext.accounts.party import get_party_account

	return {
		"account": get_party_account("Supplier", case.carrier, case.company),
		"party_type": "Supplier",
		"party": case.carrier,
	}


# ---- unshipped orders ----------------------------------------------------------------------------------


def close_unshipped_orders(case) -> None:
	"""A refund for an order that never shipped closes the order instead of moving stock."""
	for sales_order in orders_of(case):
		order = frappe.get_doc("Sales Order", sales_order)
		if order.docstatus != 1 or order.status in ("Closed", "Completed"):
			continue
		order.update_status("Closed")
		record_posting(case, SALES_ORDER, order, sales_order)


def orders_of(case) -> list[str]:
	orders = [case.sales_order] if case.sales_order else []
	for row in case.items:
		order = frappe.db.get_value("Sales Invoice Item", row.sales_invoice_item, "sales_order")
		if order and order not in orders:
			orders.append(order)
	return orders


# ---- dispositions --------------------------------------------------------------------------------------


def apply_dispositions(case) -> None:
	settings = get_company_settings(case.company)
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


def is_back_in_stock(case, row) -> bool:
	"""In the return warehouse at cost: returned goods, or goods taken back in a different-item exchange.
	Consignment units stay the customer's and are never disposed of."""
	if case.request_type == RequestType.EXCHANGE_DIFFERENT_ITEM:
		return bool(row.goods_in_entry)
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
	own_orders = set(orders_of(case))
	for row in case.postings:
		if row.voucher_type == "Sales Order" and row.voucher_no in own_orders:
			reopen_order(row.voucher_no)


def reopen_order(sales_order: str) -> None:
	order = frappe.get_doc("Sales Order", sales_order)
	if order.status == "Closed":
		order.update_status("Draft")
