# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import math
from decimal import Decimal

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from aftersales_module.actions.mail_in import MailInActions
from aftersales_module.actions.return_request import ReturnRequestActions
from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import (
	ReturnRequestIntake,
	quantity_text,
)
from aftersales_module.controllers import (
	exchange_postings,
	mail_in,
	pos_returns,
	postage,
	return_credit,
	return_documents,
	return_postings,
	spare_postings,
)
from aftersales_module.controllers.case_stages import stage_of
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.invoice_reads import forget_save_reads, on_discounted_invoice
from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.postings import begin_cancel, whole_cancel
from aftersales_module.controllers.sales_history import (
	change_requested_qty,
	get_reserved_qty,
	get_returned_qty,
	get_sold_qty,
	lock_invoice_lines,
)
from aftersales_module.controllers.saves import changes_besides, saved_values, write_changes_since
from aftersales_module.controllers.steps import as_app, check_inputs_owned, has_role
from aftersales_module.controllers.stored_texts import keep
from aftersales_module.controllers.warranty import decide_for_item, get_sale_dates
from aftersales_module.core.enums import (
	REMEDY_ORDER,
	InspectionResult,
	ReasonCategory,
	RefundMethod,
	RequestType,
	ShippingPayer,
)
from aftersales_module.core.exchange_postings import EXCHANGE_TYPES
from aftersales_module.core.returns import (
	SALES_APPROVAL,
	ReceivedLine,
	RefundBreakdown,
	RefundTerms,
	SoldLine,
	compute_refund,
	find_discrepancies,
	find_over_returns,
	review_stage,
	sum_by_line,
)
from aftersales_module.core.spare_postings import SPARE_OUT, split_serials, unexpected_serials
from aftersales_module.core.stages import CaseFacts, Stage, check_move
from aftersales_module.setup.custom_fields import RETURN_REQUEST_LINK
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.setup.workflow import CUSTOMER_SERVICE_REVIEW, RETURN_REQUEST_STEP_INPUTS

# Moves into these stages post credit notes.
CREDITING_STAGES = (Stage.GOODS_RECEIVED, Stage.REFUNDED)

# Line fields only the server writes: what was posted and held for each line.
SERVER_ITEM_FIELDS = (
	"credit_note",
	"pos_return",
	"held_qty",
	"return_delivery_note",
	"quality_inspection",
	"accepted_qty",
	"disposition_entry",
	"goods_in_entry",
	"replacement_rate",
	"replacement_entry",
	"spare_status",
	"spare_shipped_on",
	"spare_due_date",
	"spare_settled_entry",
	"available_qty",
	"expected_restock_date",
	"stock_by_warehouse",
)


# What a workflow action itself changes.
STAGE_FIELDS = frozenset({"status", "workflow_state", "stage"})


class ReturnStepError(frappe.ValidationError):
	pass


class ReturnRequest(FieldChecks, ReturnRequestIntake, ReturnRequestActions, MailInActions, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.return_request_item.return_request_item import (
			ReturnRequestItem,
		)
		from aftersales_module.aftersales_module.doctype.return_request_posting.return_request_posting import (
			ReturnRequestPosting,
		)

		accessories_intact: DF.Check
		allowed_remedies: DF.Data | None
		alternatives: DF.SmallText | None
		amended_from: DF.Link | None
		appearance_intact: DF.Check
		carrier: DF.Link | None
		channel: DF.Literal["Online Platform", "Hotline", "Online Chat", "Email", "Store Counter"]
		company: DF.Link
		company_shipping: DF.Currency
		compensation_claim: DF.Link | None
		contact_email: DF.Data | None
		contact_person: DF.Link | None
		contact_phone: DF.Data | None
		credited_amount: DF.Currency
		currency: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		customer_shipping: DF.Currency
		delivery_note: DF.Link | None
		depreciation_percent: DF.Percent
		discrepancy_resolution: DF.SmallText | None
		discrepancy_resolved: DF.Check
		discrepancy_summary: DF.SmallText | None
		eligibility_rule: DF.SmallText | None
		eligible: DF.Check
		evidence: DF.AttachImage | None
		fraud_flag: DF.Check
		goods_amount: DF.Currency
		handling_fee: DF.Currency
		has_discrepancy: DF.Check
		inquiry_ticket: DF.Link | None
		items: DF.Table[ReturnRequestItem]
		man_made_damage: DF.Check
		naming_series: DF.Literal["RET-.YYYY.-"]
		original_packaging: DF.Check
		platform_order_no: DF.Data | None
		postings: DF.Table[ReturnRequestPosting]
		price_difference: DF.Currency
		received_on: DF.Date | None
		received_on_reason: DF.SmallText | None
		reason_category: DF.Literal[
			"Quality Problem",
			"Personal Reason (7-day No Reason)",
			"Not as Described",
			"Damaged in Transit",
			"Wrong Item",
			"Missing Item",
			"Unshipped Order Cancelled",
			"Other",
		]
		reason_details: DF.SmallText | None
		receipt_signed: DF.Check
		refund_amount: DF.Currency
		refund_method: DF.Literal["Original Payment Method", "Cash at Store"]
		refund_rule: DF.SmallText | None
		refunded_amount: DF.Currency
		rejection_reason: DF.SmallText | None
		reopen_count: DF.Int
		reopen_reason: DF.SmallText | None
		reopened_on: DF.Datetime | None
		request_date: DF.Date
		request_type: DF.Literal[
			"Return and Refund",
			"Refund Only",
			"Exchange Same Item",
			"Exchange Different Item",
			"Repair",
			"Spare Unit",
			"Reissue",
		]
		resellable: DF.Check
		review_stage: DF.Literal["", "Quality Inspection", "Sales Approval"]
		sales_invoice: DF.Link | None
		sales_order: DF.Link | None
		scrap_approved_by: DF.Link | None
		scrap_approved_on: DF.Datetime | None
		shipping_cost: DF.Currency
		shipping_payer: DF.Literal["", "Company", "Customer", "Split Half-Half"]
		stage: DF.Literal[
			"",
			"Draft",
			"Review",
			"Inspection",
			"Sales Approval",
			"Approved",
			"Rejected",
			"Goods Received",
			"Refunded",
			"Closed",
			"Cancelled",
		]
		status: DF.Literal[
			"Draft",
			"Customer Service Review",
			"Quality Inspection",
			"Sales Approval",
			"Approved",
			"Rejected",
			"Goods Received",
			"Refunded",
			"Closed",
			"Cancelled",
		]
		total_deductions: DF.Currency
		unit_category: DF.Literal["Spare Unit", "Inspection Unit", "Sample"]
	# end: auto-generated types

	def validate(self):
		forget_save_reads(self)
		self.clear_server_state()
		self.validate_choices()
		self.validate_invoices()
		self.set_item_amounts()
		self.set_sold_and_returnable_qty()
		self.validate_quantities()
		self.validate_serial_nos()
		self.validate_unshipped_refund()
		self.validate_delivered()
		self.validate_received_on()
		self.set_eligibility()
		self.set_review_stage()
		if self.credit_inputs_changed():
			self.set_refund()
		self.stage = Stage.DRAFT
		if not self.meta.get_workflow():
			self.status = Stage.DRAFT.value

	def before_submit(self):
		self.validate_eligible()
		if not self.meta.get_workflow() and not has_role(CUSTOMER_SERVICE):
			frappe.throw(_("Customer service submits a return request."), frappe.PermissionError)
		for row in self.items:
			row.held_qty = row.qty
		if not self.meta.get_workflow():
			self.status = CUSTOMER_SERVICE_REVIEW
		self.stage = stage_of(self)

	def on_submit(self):
		change_requested_qty(self.requested_qty_by_line())

	def before_update_after_submit(self):
		from_stage = stage_of(self, self.get_doc_before_save().status)
		if self.has_value_changed("status") and stage_of(self) in CREDITING_STAGES:
			# Cases crediting the same invoice lines take them in turn before either writes (a save's
			# child-table writes hold gap locks the other's postings would wait for), and their figures
			# read what the other credited as committed.
			lock_invoice_lines(row.sales_invoice_item for row in self.items)
			self.flags.crediting = True
		check_inputs_owned(self, from_stage, RETURN_REQUEST_STEP_INPUTS)
		mail_in.check_test_order(self)
		postage.validate_postage(self)
		self.set_replacement_rates()
		if self.credit_inputs_changed():
			self.set_refund()
		if self.has_value_changed("status"):
			if not self.meta.get_workflow() and not self.flags.server_step:
				self.throw_step(_("A return request moves on only through its workflow actions."))
			self.validate_step(from_stage, stage_of(self))
			mail_in.after_decision(self, from_stage, stage_of(self))
		self.stage = stage_of(self)

	def on_update_after_submit(self):
		before = self.get_doc_before_save()
		if before and before.status != self.status:
			saved = saved_values(self)
			with as_app():
				self.post_step(stage_of(self, before.status), stage_of(self))
			# a move that posts nothing (most of them) has nothing to write beyond the save itself
			write_changes_since(self, saved)

	def before_cancel(self):
		begin_cancel(self, RETURN_REQUEST_LINK)

	def on_cancel(self):
		with whole_cancel(self), as_app():
			return_postings.cancel_postings(self)
		self.release_holds()
		self.status = self.stage = Stage.CANCELLED.value
		self.db_update_all()

	def set_replacement_rates(self):
		"""A different item's price is the server's: its selling price on the original sale's price list."""
		if self.request_type != RequestType.EXCHANGE_DIFFERENT_ITEM:
			return
		for row in self.items:
			if not row.replacement_item or row.replacement_entry:
				continue
			price_list = frappe.db.get_value(
				"Sales Invoice", row.sales_invoice, "selling_price_list"
			) or frappe.db.get_single_value("Selling Settings", "selling_price_list")
			rate = frappe.db.get_value(
				"Item Price",
				{"item_code": row.replacement_item, "price_list": price_list, "selling": 1},
				"price_list_rate",
			)
			if rate is None:
				frappe.throw(
					_(
						"Row #{0}: {1} has no selling price in the price list {2}. Add an Item Price for it, then choose it again."
					).format(row.idx, frappe.bold(row.replacement_item), frappe.bold(price_list)),
					title=_("Replacement Price Missing"),
				)
			row.replacement_rate = rate

	def clear_server_state(self):
		"""Nothing is posted or held before submit, whatever a client sent."""
		for row in self.items:
			for fieldname in SERVER_ITEM_FIELDS:
				row.set(fieldname, None)
		self.set("postings", [])
		mail_in.clear_server_fields(self)
		postage.clear_server_fields(self)
		postage.validate_postage(self)

	def case_facts(self) -> CaseFacts:
		accepted = [row for row in self.items if flt(row.accepted_qty) > 0]
		return CaseFacts(
			request_type=RequestType(self.request_type),
			rejection_reason=bool((self.rejection_reason or "").strip()),
			goods_in=bool(accepted)
			and all(row.credit_note or row.return_delivery_note or row.pos_return for row in accepted),
			open_discrepancy=bool(self.has_discrepancy and not self.discrepancy_resolved),
			spare_units_out=any(row.spare_status == SPARE_OUT for row in self.items),
			all_spares_out=bool(self.items) and all(row.spare_status == SPARE_OUT for row in self.items),
			reissued=bool(self.items) and all(row.replacement_entry for row in self.items),
			replacements_shipped=all(row.replacement_entry for row in accepted),
			refund_receipt_missing=self.refund_method == RefundMethod.CASH_AT_STORE
			and not self.receipt_signed,
			freight_without_carrier=flt(self.shipping_cost) > 0 and not self.carrier,
			**mail_in.case_facts(self),
		)

	def validate_step(self, from_stage: Stage, to_stage: Stage):
		"""What must be done before the case may move on; the workflow decides who may move it."""
		if from_stage == Stage.INSPECTION:
			self.validate_inspection(to_stage)
		reason = check_move(from_stage, to_stage, self.case_facts())
		if reason:
			self.throw_step(translate(reason))
		if to_stage == Stage.GOODS_RECEIVED and from_stage != to_stage:
			self.validate_receiving()

	def validate_inspection(self, to_stage: Stage):
		missing = [row.idx for row in self.items if not row.inspection_result]
		if missing and to_stage != Stage.REJECTED:
			self.throw_step(
				_("Record the inspection result of row(s) {0} first.").format(", ".join(map(str, missing)))
			)
		no_defect = [
			row.idx for row in self.items if row.inspection_result == InspectionResult.NO_DEFECT_FOUND
		]
		if to_stage == Stage.APPROVED and no_defect:
			self.throw_step(
				_(
					"Row(s) {0}: no defect was found. Send the case back to customer service with No Defect Found."
				).format(", ".join(map(str, no_defect)))
			)
		if to_stage == Stage.REVIEW:
			if not no_defect:
				self.throw_step(_("Every line has a defect; approve the return instead."))
			# A quality return without a defect can still go back as a personal-reason return.
			self.review_stage = SALES_APPROVAL

	def validate_receiving(self):
		missing = [row.idx for row in self.items if not row.received_condition]
		if missing:
			self.throw_step(
				_("Enter the received quantity and condition of row(s) {0}.").format(
					", ".join(map(str, missing))
				)
			)
		self.validate_received_serial_nos()
		discrepancies = find_discrepancies(
			ReceivedLine(
				row.name, row.item_code, flt(row.qty), flt(row.received_qty), row.received_condition == "Good"
			)
			for row in self.items
		)
		self.has_discrepancy = int(bool(discrepancies))
		keep(self, "discrepancy_summary", *(discrepancy.message for discrepancy in discrepancies), sep="\n")
		for row in self.items:
			row.accepted_qty = 0 if discrepancies else min(flt(row.received_qty), flt(row.qty))

	def validate_received_serial_nos(self):
		"""Only the customer's own units are taken back: a serial that is not theirs is refused."""
		for row in self.items:
			if not frappe.get_cached_value("Item", row.item_code, "has_serial_no"):
				continue
			received = split_serials(row.received_serial_no)
			if not received and flt(row.received_qty) == flt(row.qty):
				received = split_serials(row.serial_no)
			strangers = unexpected_serials(row.serial_no, "\n".join(received))
			if strangers:
				self.throw_step(
					_(
						"Row #{0}: serial number(s) {1} arrived, but the unit(s) {2} has on this line are {3}. Only the customer's own unit can be taken back."
					).format(
						row.idx, ", ".join(strangers), self.customer, ", ".join(split_serials(row.serial_no))
					)
				)
			if len(received) != flt(row.received_qty):
				self.throw_step(
					_(
						"Row #{0}: enter the serial number of each unit that arrived: {1} for a quantity of {2}."
					).format(row.idx, len(received), quantity_text(row.received_qty))
				)
			row.received_serial_no = "\n".join(received)

	def throw_step(self, message: str):
		frappe.throw(message, exc=ReturnStepError, title=_("Cannot Move to {0}").format(_(self.status)))

	def post_step(self, from_stage: Stage, to_stage: Stage):
		if from_stage == to_stage:
			return
		if from_stage == Stage.INSPECTION:
			return_postings.make_quality_inspections(self)
		if to_stage in (Stage.REJECTED, Stage.CLOSED):
			self.release_holds()
		if to_stage == Stage.GOODS_RECEIVED:
			self.post_goods_in()
		if to_stage == Stage.REFUNDED:
			if self.reason_category == ReasonCategory.UNSHIPPED_CANCELLED:
				return_postings.close_unshipped_orders(self)
			# A sale made at the till is credited and refunded at once by its POS return.
			pos_returns.make_pos_returns(self)
			return_credit.make_credit_notes(self)
			return_credit.make_refund_payments(self)

	def post_goods_in(self):
		if self.has_discrepancy and not self.discrepancy_resolved:
			return
		mail_in.take_over_test_unit(self)
		if self.request_type in EXCHANGE_TYPES:
			exchange_postings.post_exchange_goods_in(self)
		elif self.request_type == RequestType.SPARE_UNIT:
			spare_postings.settle_spare_units(self, [row for row in self.items if flt(row.accepted_qty) > 0])
		else:
			return_postings.post_goods_in(self)
		return_postings.make_freight_entry(self)

	def release_holds(self):
		lock_invoice_lines(row.sales_invoice_item for row in self.items if flt(row.held_qty))
		for row in self.items:
			return_documents.release_hold(row)

	def requested_qty_by_line(self) -> dict[str, float]:
		"""Quantity this request holds per invoice line until it is credited, rejected or closed."""
		held = {}
		for row in self.items:
			if row.sales_invoice_item and flt(row.held_qty):
				held[row.sales_invoice_item] = held.get(row.sales_invoice_item, 0) + flt(row.held_qty)
		return held

	def set_review_stage(self):
		self.review_stage = review_stage(ReasonCategory(self.reason_category))

	def validate_amounts(self):
		"""Money typed on the case is checked here, by field, before any arithmetic runs on it."""
		if not 0 <= flt(self.depreciation_percent) <= 100:  # also refuses nan
			self.throw_amount(_("Depreciation % must be between 0 and 100."))
		for fieldname in ("handling_fee", "shipping_cost"):
			if not math.isfinite(flt(self.get(fieldname))) or flt(self.get(fieldname)) < 0:
				self.throw_amount(
					_("{0} cannot be negative. Enter 0 when there is none.").format(
						_(self.meta.get_label(fieldname))
					)
				)

		if self.request_type in (RequestType.REFUND_ONLY, RequestType.REISSUE) and flt(self.shipping_cost):
			# Nothing is shipped back, so there is no return freight for anyone to pay.
			self.throw_amount(
				_("A {0} request takes no goods back: leave Shipping Cost at 0.").format(_(self.request_type))
			)

	def throw_amount(self, message: str):
		frappe.throw(message, title=_("Check the Amounts"))

	def set_refund(self):
		self.validate_amounts()
		breakdown = self.refund_breakdown(sum(Decimal(str(flt(row.amount))) for row in self.items))
		self.goods_amount = breakdown.goods_amount
		self.customer_shipping = breakdown.customer_shipping
		self.company_shipping = breakdown.company_shipping
		self.total_deductions = breakdown.total_deductions
		self.refund_amount = breakdown.refund_amount
		keep(self, "refund_rule", breakdown.rule)
		return_credit.set_credit_figures(self)

	def credit_inputs_changed(self) -> bool:
		"""A workflow action that changes nothing but the stage keeps the credit figures of the last save:
		until goods are accepted they are worked out from the case alone and its submitted invoices, which
		do not change. Goods accepted by a step's posting (after the figures of its save), an order's
		advance that may have been paid since, or a line of an invoice with a discount of its own (whose
		share carries the rounding of what other cases credited on it since) are worked out again on every
		save."""
		if any(flt(row.accepted_qty) or not row.sales_invoice for row in self.items):
			return True
		return changes_besides(self, STAGE_FIELDS) or on_discounted_invoice(self)

	def refund_breakdown(self, goods_amount: Decimal) -> RefundBreakdown:
		return compute_refund(
			RefundTerms(
				goods_amount=goods_amount,
				depreciation_percent=flt(self.depreciation_percent),
				handling_fee=flt(self.handling_fee),
				shipping_cost=flt(self.shipping_cost),
				shipping_payer=ShippingPayer(self.shipping_payer or ShippingPayer.COMPANY.value),
				# The credit is capped by what was sold; the cash refund is capped by what was paid when it is made.
				paid_amount=goods_amount,
			)
		)
