# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from decimal import Decimal

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate, now_datetime, nowdate

from aftersales_module.aftersales_module.doctype.spare_part_transfer_request.transfer_request_inputs import (
	SHOWN_FROM,
	TRANSFER_REQUEST_INPUTS,
)
from aftersales_module.controllers.argument_checks import quantities_argument, text_argument
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.messages import apply_rule
from aftersales_module.controllers.postings import (
	begin_cancel,
	cancel_documents,
	insert_and_submit,
	posted_documents,
	whole_cancel,
)
from aftersales_module.controllers.status_inputs import check_status_inputs
from aftersales_module.controllers.steps import (
	StepPermissionError,
	as_app,
	finish_step,
	has_role,
	start_step,
)
from aftersales_module.controllers.stock_entries import item_row, new_stock_entry
from aftersales_module.core.repairs import (
	TransferLine,
	check_approval,
	check_close,
	plan_fulfilment,
	transfer_status,
)
from aftersales_module.setup.custom_fields import TRANSFER_REQUEST_LINK
from aftersales_module.setup.roles import AFTERSALES_MANAGER, REPAIR_POINT_MANAGER, WAREHOUSE

PENDING_APPROVAL = "Pending Approval"
APPROVED = "Approved"
REJECTED = "Rejected"
CLOSED = "Closed"
CANCELLED = "Cancelled"

# What only a step of the server writes, and a draft therefore never carries.
SERVER_FIELDS = ("approved_by", "approved_on", "rejection_reason", "close_reason", "transfers")
SERVER_ITEM_FIELDS = ("approved_qty", "transferred_qty", "pending_qty")


class SparePartTransferRequest(FieldChecks, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.spare_part_transfer_request_item.spare_part_transfer_request_item import (
			SparePartTransferRequestItem,
		)

		amended_from: DF.Link | None
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		close_reason: DF.SmallText | None
		company: DF.Link
		emergency: DF.Check
		items: DF.Table[SparePartTransferRequestItem]
		naming_series: DF.Literal["SPTR-.YYYY.-"]
		purpose: DF.SmallText
		rejection_reason: DF.SmallText | None
		repair_point: DF.Link
		required_by: DF.Date
		source_warehouse: DF.Link
		status: DF.Literal[
			"Draft",
			"Pending Approval",
			"Approved",
			"Partly Transferred",
			"Transferred",
			"Rejected",
			"Closed",
			"Cancelled",
		]
		target_warehouse: DF.Link | None
		transfers: DF.SmallText | None

	# end: auto-generated types
	step_inputs = TRANSFER_REQUEST_INPUTS
	stage_shown_from = SHOWN_FROM

	def validate(self):
		check_status_inputs(self, TRANSFER_REQUEST_INPUTS)
		self.target_warehouse = frappe.db.get_value("Repair Point", self.repair_point, "warehouse")
		self.validate_repair_point()
		self.validate_warehouses()
		if self.docstatus == 0 and self.required_by and getdate(self.required_by) < getdate(nowdate()):
			frappe.throw(_("Required By cannot be in the past."), title=_("Invalid Date"))
		for row in self.items:
			if flt(row.requested_qty) <= 0:
				frappe.throw(
					_("Row #{0}: request a quantity of {1} above zero.").format(
						row.idx, frappe.bold(row.item_code)
					),
					title=_("Invalid Quantity"),
				)
		self.clear_server_fields()
		if self.docstatus == 0:
			self.status = "Draft"

	def before_update_after_submit(self):
		check_status_inputs(self, TRANSFER_REQUEST_INPUTS)

	def before_submit(self):
		"""A repair point raises its own requests."""
		if not has_role(REPAIR_POINT_MANAGER):
			frappe.throw(
				_("Only a user with the role {0} can raise a transfer request.").format(
					frappe.bold(_(REPAIR_POINT_MANAGER))
				),
				StepPermissionError,
				title=_("Not Your Step"),
			)

	def clear_server_fields(self):
		"""Nothing is approved or transferred before the request is raised: a draft carries none of it."""
		if self.docstatus != 0 and getattr(self, "_action", None) != "submit":
			return
		for fieldname in SERVER_FIELDS:
			self.set(fieldname, None)
		for row in self.items:
			for fieldname in SERVER_ITEM_FIELDS:
				row.set(fieldname, 0)

	def validate_repair_point(self):
		point = frappe.db.get_value("Repair Point", self.repair_point, ["company", "disabled"], as_dict=True)
		if point.disabled:
			frappe.throw(
				_("Repair point {0} is disabled.").format(frappe.bold(self.repair_point)), title=_("Disabled")
			)
		if point.company != self.company:
			frappe.throw(
				_("Repair point {0} belongs to {1}, not {2}.").format(
					frappe.bold(self.repair_point), point.company, self.company
				),
				title=_("Wrong Company"),
			)

	def validate_warehouses(self):
		if self.source_warehouse == self.target_warehouse:
			frappe.throw(
				_("The central warehouse cannot be the repair point's own warehouse."),
				title=_("Same Warehouse"),
			)
		if frappe.db.get_value("Warehouse", self.source_warehouse, "company") != self.company:
			frappe.throw(
				_("Warehouse {0} does not belong to {1}.").format(
					frappe.bold(self.source_warehouse), self.company
				),
				title=_("Wrong Company"),
			)

	def on_submit(self):
		for row in self.items:
			row.approved_qty = 0
			row.transferred_qty = 0
			row.pending_qty = 0
		self.status = PENDING_APPROVAL
		self.db_update_all()

	def before_cancel(self):
		begin_cancel(self, TRANSFER_REQUEST_LINK, ("Stock Entry",))

	def on_cancel(self):
		with whole_cancel(self), as_app():
			cancel_documents(self, self.posted_documents())
		self.status = CANCELLED
		self.db_set("status", CANCELLED)

	def posted_documents(self) -> list[tuple[str, str]]:
		"""The Material Transfers made for this request, oldest first, found by their back-link."""
		return posted_documents(TRANSFER_REQUEST_LINK, self.name, ("Stock Entry",))

	def lines(self) -> list[TransferLine]:
		return [
			TransferLine(
				row.name,
				row.item_code,
				Decimal(str(flt(row.requested_qty))),
				Decimal(str(flt(row.approved_qty))),
				Decimal(str(flt(row.transferred_qty))),
			)
			for row in self.items
		]

	@frappe.whitelist()
	def approve(self, approved_qtys: dict | str | None = None):
		"""The Aftersales Manager approves each line, all of it unless a quantity is given."""
		start_step(self, AFTERSALES_MANAGER)
		self.check_status((PENDING_APPROVAL,), _("Only a request pending approval can be approved."))
		approved = quantities_argument(approved_qtys, _("Approved Qty"), self.items)
		for row in self.items:
			row.approved_qty = flt(approved.get(row.name, row.requested_qty))
		apply_rule(check_approval, self.lines(), title=_("Check the Approved Quantities"))
		for row in self.items:
			row.pending_qty = row.approved_qty
		self.approved_by = frappe.session.user
		self.approved_on = now_datetime()
		self.status = APPROVED
		finish_step(self)

	@frappe.whitelist()
	def reject(self, reason: str | None = None):
		start_step(self, AFTERSALES_MANAGER)
		self.check_status((PENDING_APPROVAL,), _("Only a request pending approval can be rejected."))
		text_argument(reason, _("Rejection Reason"), required=False)
		if not (reason or "").strip():
			frappe.throw(_("Give the reason for rejecting the request."), title=_("Reason Needed"))
		self.rejection_reason = reason
		self.status = REJECTED
		finish_step(self)

	@frappe.whitelist()
	def transfer(self, quantities: dict | str | None = None):
		"""Move parts from the central warehouse into the repair point's: all pending, or what is given."""
		start_step(self, WAREHOUSE)
		self.check_status(
			("Approved", "Partly Transferred"), _("Transfer parts once the request is approved.")
		)
		quantities = quantities_argument(quantities, _("Quantities to Transfer"), self.items)
		plan = apply_rule(plan_fulfilment, self.lines(), quantities, title=_("Cannot Transfer"))
		entry = new_stock_entry(
			self.company,
			"Material Transfer",
			_("Spare parts for repair point {0} under {1}").format(self.repair_point, self.name),
			**{TRANSFER_REQUEST_LINK: self.name},
		)
		for row in self.items:
			if row.name in plan:
				entry.append(
					"items",
					{
						**item_row(row.item_code, plan[row.name]),
						"s_warehouse": self.source_warehouse,
						"t_warehouse": self.target_warehouse,
					},
				)
		with as_app():
			insert_and_submit(entry)
		# The request row is locked for the step, so each transfer counts on the one before it.
		for row in self.items:
			if row.name in plan:
				row.transferred_qty = flt(row.transferred_qty) + flt(plan[row.name])
				row.pending_qty = flt(row.approved_qty) - flt(row.transferred_qty)
		self.transfers = "\n".join(name for _doctype, name in self.posted_documents())
		self.status = transfer_status(self.lines())
		finish_step(self)
		return entry.name

	@frappe.whitelist()
	def close(self, reason: str | None = None):
		start_step(self, AFTERSALES_MANAGER)
		self.check_status(
			("Approved", "Partly Transferred", "Transferred"), _("Only an approved request can be closed.")
		)
		text_argument(reason, _("Close Reason"), required=False)
		apply_rule(check_close, self.lines(), reason, title=_("Reason Needed"))
		self.close_reason = reason
		self.status = CLOSED
		finish_step(self)

	def check_status(self, statuses: tuple[str, ...], message: str):
		if self.docstatus != 1 or self.status not in statuses:
			frappe.throw(message, title=_("Not Now"))
