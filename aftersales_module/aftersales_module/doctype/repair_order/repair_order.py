# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from decimal import Decimal

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import flt, get_datetime, getdate, now_datetime

from aftersales_module.aftersales_module.doctype.repair_order.repair_order_inputs import (
	CANCELLED,
	COMPLETED,
	IN_REPAIR,
	OPEN,
	REPAIRERS,
	SCRAPPED,
	UNREPAIRABLE,
	RepairOrderInputs,
)
from aftersales_module.controllers import repair_postings
from aftersales_module.controllers.argument_checks import text_argument
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.messages import apply_rule
from aftersales_module.controllers.postings import (
	begin_cancel,
	cancel_documents,
	posted_documents,
	whole_cancel,
)
from aftersales_module.controllers.steps import (
	StepPermissionError,
	as_app,
	finish_step,
	has_role,
	start_step,
)
from aftersales_module.controllers.stored_texts import keep
from aftersales_module.controllers.warranty import decide_for_item, get_received_on, get_sale_dates
from aftersales_module.core.enums import ReasonCategory, Remedy
from aftersales_module.core.messages import Message
from aftersales_module.core.repairs import (
	RepairPart,
	first_contact_deadline,
	first_contact_state,
	repair_charge,
)
from aftersales_module.setup.custom_fields import REPAIR_ORDER_LINK
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_POINT_MANAGER,
)

IN_WARRANTY = "In Warranty"
OUT_OF_WARRANTY = "Out of Warranty"
DEFAULT_FIRST_CONTACT_HOURS = 24

# Who opens a repair order (submits it): the desk that takes the unit in, or the point itself.
OPENERS = (CUSTOMER_SERVICE, REPAIR_POINT_MANAGER)


class RepairOrder(FieldChecks, RepairOrderInputs, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.repair_order_part.repair_order_part import (
			RepairOrderPart,
		)
		from aftersales_module.aftersales_module.doctype.repair_order_visit.repair_order_visit import (
			RepairOrderVisit,
		)

		amended_from: DF.Link | None
		company: DF.Link
		completed_on: DF.Datetime | None
		completion_entry: DF.Link | None
		confirmed_by: DF.Data | None
		contact_name: DF.Data | None
		contact_phone: DF.Data | None
		currency: DF.Link | None
		customer: DF.Link | None
		customer_name: DF.Data | None
		customer_signature: DF.Signature | None
		fault_description: DF.SmallText
		finished_goods_warehouse: DF.Link | None
		first_contact_at: DF.Datetime | None
		first_contact_due: DF.Datetime | None
		item_code: DF.Link
		item_name: DF.Data | None
		labour_amount: DF.Currency
		labour_hours: DF.Float
		labour_rate: DF.Currency
		man_made_damage: DF.Check
		naming_series: DF.Literal["RO-.YYYY.-"]
		opened_on: DF.Datetime | None
		outcome: DF.Literal["", "Return to Finished Goods", "Ship to Customer"]
		override_reason: DF.SmallText | None
		override_warranty_status: DF.Literal["", "In Warranty", "Out of Warranty"]
		parts: DF.Table[RepairOrderPart]
		parts_amount: DF.Currency
		quality_check_passed: DF.Check
		quality_checked_by: DF.Link | None
		repair_point: DF.Link
		return_request: DF.Link | None
		sales_invoice: DF.Link | None
		sales_invoice_for_repair: DF.Link | None
		scrap_approved_by: DF.Link | None
		scrap_entry: DF.Link | None
		serial_no: DF.Data | None
		site_name: DF.Data | None
		source: DF.Literal["Walk-in", "Return Request", "Exchange", "Field Service"]
		status: DF.Literal["Draft", "Open", "In Repair", "Completed", "Unrepairable", "Scrapped", "Cancelled"]
		technician: DF.Link | None
		total_charge: DF.Currency
		unit_warehouse: DF.Link | None
		unrepairable_report: DF.SmallText | None
		visits: DF.Table[RepairOrderVisit]
		warranty_override: DF.Check
		warranty_rule: DF.SmallText | None
		warranty_status: DF.Literal["In Warranty", "Out of Warranty"]

	# end: auto-generated types
	def validate(self):
		self.validate_repair_point()
		self.validate_return_request()
		self.validate_sales_invoice()
		self.validate_technician()
		self.clear_server_fields()
		self.set_first_contact_due()
		self.validate_first_contact()
		self.set_part_warehouses()
		self.set_warranty()
		self.set_charges()
		self.stamp_quality_check()
		if self.docstatus == 0:
			self.status = "Draft"

	def before_submit(self):
		if not has_role(*OPENERS):
			refuse_step(OPENERS)

	def before_update_after_submit(self):
		if not self.flags.server_step:
			self.check_inputs_owned()
			self.keep_finished_order()
			self.keep_quality_check()
			self.keep_posted_parts()
			self.validate_technician()
			self.validate_first_contact()
			self.stamp_quality_check()
		self.keep_or_redecide_warranty()
		self.set_part_warehouses()
		self.set_charges()

	def on_submit(self):
		self.db_set("status", OPEN)

	def on_update(self):
		self.assign_technician()

	def on_update_after_submit(self):
		self.assign_technician()

	def before_cancel(self):
		begin_cancel(self, REPAIR_ORDER_LINK)

	def on_cancel(self):
		with whole_cancel(self), as_app():
			cancel_documents(self, self.posted_documents())
		self.db_set("status", CANCELLED)

	def posted_documents(self) -> list[tuple[str, str]]:
		"""What this order posted, oldest first: the live documents whose back-link names it."""
		return posted_documents(REPAIR_ORDER_LINK, self.name)

	# ---- validation --------------------------------------------------------------------------------------

	def set_first_contact_due(self):
		self.opened_on = self.opened_on or now_datetime()
		hours = frappe.db.get_single_value("Aftersales Settings", "repair_first_contact_hours")
		self.first_contact_due = first_contact_deadline(
			get_datetime(self.opened_on), flt(hours) if hours else DEFAULT_FIRST_CONTACT_HOURS
		)

	def set_part_warehouses(self):
		warehouse = repair_postings.repair_point_warehouse(self)
		for row in self.parts:
			row.warehouse = row.warehouse or warehouse
		repair_postings.check_part_warehouses(self, self.parts)

	def keep_or_redecide_warranty(self):
		"""The warranty decided at opening stands, unless the diagnosis finds misuse (or takes it back):
		then the policy decides again."""
		before = self.get_doc_before_save()
		if before and not self.has_value_changed("man_made_damage"):
			self.warranty_status, self.warranty_rule = before.warranty_status, before.warranty_rule
			return
		self.set_warranty()

	def set_warranty(self):
		if self.warranty_override:
			if not (self.override_reason or "").strip():
				frappe.throw(_("Give the reason for overriding the warranty."), title=_("Reason Needed"))
			self.warranty_status = self.override_warranty_status
			keep(self, "warranty_rule", Message("Set by hand: {0}", self.override_reason))
			return
		if not self.sales_invoice:
			self.warranty_status = OUT_OF_WARRANTY
			keep(
				self,
				"warranty_rule",
				Message("No sale is linked, so no warranty can be checked; override it if there is one."),
			)
			return
		delivered_on, invoiced_on = get_sale_dates(self.sales_invoice, self.item_code)
		decision, _policy = decide_for_item(
			self.item_code,
			requested_on=getdate(self.opened_on),
			reason=ReasonCategory.QUALITY_PROBLEM,
			delivered_on=delivered_on,
			invoiced_on=invoiced_on,
			received_on=get_received_on(self.sales_invoice, self.item_code),
			man_made_damage=bool(self.man_made_damage),
		)
		self.warranty_status = IN_WARRANTY if decision.allows(Remedy.REPAIR) else OUT_OF_WARRANTY
		keep(self, "warranty_rule", decision.rule)

	@property
	def in_warranty(self) -> bool:
		return self.warranty_status == IN_WARRANTY

	def set_charges(self):
		self.currency = self.currency or frappe.get_cached_value("Company", self.company, "default_currency")
		for row in self.parts:
			row.amount = 0 if self.in_warranty else flt(flt(row.qty) * flt(row.rate), row.precision("amount"))
		if self.in_warranty:
			self.parts_amount = self.labour_amount = self.total_charge = 0
			return
		self.parts_amount = sum(flt(row.amount) for row in self.parts)
		self.labour_amount = flt(
			flt(self.labour_hours) * flt(self.labour_rate), self.precision("labour_amount")
		)
		self.total_charge = flt(self.parts_amount + self.labour_amount, self.precision("total_charge"))

	def charge(self):
		return apply_rule(
			repair_charge,
			self.in_warranty,
			[
				RepairPart(row.name, row.item_code, Decimal(str(flt(row.qty))), Decimal(str(flt(row.rate))))
				for row in self.parts
			],
			repair_postings.get_labour_item(),
			Decimal(str(flt(self.labour_hours))),
			Decimal(str(flt(self.labour_rate))),
			title=_("Check the Charges"),
		)

	def assign_technician(self):
		"""The technician finds the order in their to-do list; a new technician takes it over."""
		if not self.technician or self.docstatus == 2:
			return
		before = self.get_doc_before_save()
		previous = before.technician if before else None
		if previous and previous != self.technician:
			assign_to.remove(self.doctype, self.name, previous, ignore_permissions=True)
		open_todos = frappe.get_all(
			"ToDo",
			filters={
				"reference_type": self.doctype,
				"reference_name": self.name,
				"allocated_to": self.technician,
				"status": "Open",
			},
		)
		if not open_todos:
			assign_to.add(
				{
					"assign_to": [self.technician],
					"doctype": self.doctype,
					"name": self.name,
					"description": _("Repair {0} {1} for {2}: {3}").format(
						self.item_code,
						self.serial_no or "",
						self.customer or self.site_name or "",
						self.fault_description,
					),
					"date": getdate(self.first_contact_due),
				},
				ignore_permissions=True,
			)

	@property
	def first_contact_status(self) -> str:
		return first_contact_state(
			get_datetime(self.first_contact_due) if self.first_contact_due else None,
			get_datetime(self.first_contact_at) if self.first_contact_at else None,
			now_datetime(),
		)

	# ---- actions -----------------------------------------------------------------------------------------
	# Each action is a step: the role and the repair point checked, the order locked and read again
	# (what the client sent is ignored), the ERPNext documents made by the app for the acting user.

	@frappe.whitelist()
	def issue_parts(self):
		"""Issue the parts not yet issued from the repair point's warehouse (非生產領料)."""
		start_step(self, *REPAIRERS)
		self.check_status((OPEN, IN_REPAIR), _("Issue parts while the repair is open."))
		with as_app():
			repair_postings.issue_parts(self)
		self.status = IN_REPAIR
		finish_step(self)

	@frappe.whitelist()
	def receive_old_parts(self):
		"""Faulty parts brought back enter the old-parts warehouse, labelled with their fault."""
		start_step(self, *REPAIRERS)
		self.check_status(
			(OPEN, IN_REPAIR, COMPLETED), _("Receive old parts of an open or completed repair.")
		)
		with as_app():
			repair_postings.receive_old_parts(self)
		finish_step(self)

	@frappe.whitelist()
	def complete(self):
		"""After the quality check: invoice an out-of-warranty repair and send the unit where it belongs."""
		start_step(self, *REPAIRERS)
		self.check_status((OPEN, IN_REPAIR), _("Only an open repair can be completed."))
		if not self.quality_check_passed:
			frappe.throw(
				_("Tick Quality Check Passed once the repaired unit is checked."),
				title=_("Quality Check Needed"),
			)
		self.quality_checked_by = self.quality_checked_by or frappe.session.user
		move = repair_postings.repaired_unit_move(self)
		charge = None if self.in_warranty else self.charge()
		with as_app():
			repair_postings.issue_parts(self, required=False)
			repair_postings.make_repair_invoice(self, charge)
			repair_postings.move_repaired_unit(self, move)
		self.status = COMPLETED
		self.completed_on = now_datetime()
		finish_step(self)

	@frappe.whitelist()
	def mark_unrepairable(self, report: str | None = None):
		start_step(self, *REPAIRERS)
		self.check_status((OPEN, IN_REPAIR), _("Only an open repair can be found unrepairable."))
		text_argument(report, _("Unrepairable Report"), required=False)
		if not (report or "").strip():
			frappe.throw(_("Write the report on why the unit cannot be repaired."), title=_("Report Needed"))
		self.unrepairable_report = report
		self.status = UNREPAIRABLE
		finish_step(self)

	@frappe.whitelist()
	def approve_scrap(self):
		"""The Aftersales Manager approves the report; the unit is scrapped to the scrap expense account."""
		start_step(self, AFTERSALES_MANAGER)
		self.check_status((UNREPAIRABLE,), _("Only an unrepairable unit with a report can be scrapped."))
		self.scrap_approved_by = frappe.session.user
		with as_app():
			repair_postings.scrap_unit(self)
		self.status = SCRAPPED
		finish_step(self)

	def check_status(self, statuses: tuple[str, ...], message: str):
		if self.docstatus != 1 or self.status not in statuses:
			frappe.throw(message, title=_("Not Now"))


def refuse_step(roles: tuple[str, ...]) -> None:
	frappe.throw(
		_("Only a user with the role {0} can do this.").format(
			f" {_('or')} ".join(frappe.bold(_(role)) for role in roles)
		),
		StepPermissionError,
		title=_("Not Your Step"),
	)
