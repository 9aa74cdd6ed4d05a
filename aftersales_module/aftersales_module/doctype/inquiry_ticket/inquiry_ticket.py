# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from aftersales_module.aftersales_module.doctype.inquiry_ticket.ticket_inputs import TICKET_INPUTS
from aftersales_module.controllers import escalation
from aftersales_module.controllers.argument_checks import choice_argument, text_argument
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.messages import apply_rule
from aftersales_module.controllers.service_levels import (
	SERVICE_LEVEL_FIELDS,
	allowances,
	at_risk_share,
	service_level,
	sweep_service_levels,
	work_calendar,
)
from aftersales_module.controllers.status_inputs import check_status_inputs
from aftersales_module.controllers.steps import finish_step, start_step
from aftersales_module.core.sla import paused_working_minutes
from aftersales_module.setup.roles import CUSTOMER_SERVICE

OPEN = "Open"
REPLIED = "Replied"
WAITING_ON_CUSTOMER = "Waiting on Customer"
RESOLVED = "Resolved"
CLOSED = "Closed"
ACTIVE_STATUSES = (OPEN, REPLIED, WAITING_ON_CUSTOMER)

# Written by the server only (permission level 1): the clock's pause, and what the ticket became.
PAUSE_FIELDS = ("paused_since", "paused_minutes")
ESCALATION_FIELDS = ("compensation_claim", "reissue_request", "escalated_return_request")


class InquiryTicket(FieldChecks, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.inquiry_ticket_finding.inquiry_ticket_finding import (
			InquiryTicketFinding,
		)

		analysis: DF.SmallText | None
		anomaly: DF.Literal["", "Lost", "Delayed", "Returned", "Damaged", "Wrong Item"]
		anomaly_details: DF.SmallText | None
		carrier: DF.Link | None
		channel: DF.Literal["Online Platform", "Hotline", "Online Chat", "Email", "Store Counter"]
		company: DF.Link
		compensation_claim: DF.Link | None
		contact_email: DF.Data | None
		contact_person: DF.Link | None
		contact_phone: DF.Data | None
		customer: DF.Link
		customer_name: DF.Data | None
		delivery_note: DF.Link | None
		escalated_return_request: DF.Link | None
		eta: DF.Datetime | None
		feedback_method: DF.Literal["", "Phone", "SMS", "Email", "Platform Message"]
		feedback_on: DF.Datetime | None
		feedback_text: DF.SmallText | None
		findings: DF.Table[InquiryTicketFinding]
		first_responded_on: DF.Datetime | None
		inquiry_details: DF.SmallText | None
		inquiry_reason: DF.Literal[
			"Where Is My Order",
			"Shipment Delayed",
			"Parcel Lost",
			"Damaged on Arrival",
			"Wrong Item Received",
			"Return Progress",
			"Refund Progress",
			"Other",
		]
		inquiry_report: DF.LongText | None
		logistics_status: DF.Data | None
		naming_series: DF.Literal["INQ-.YYYY.-"]
		opened_on: DF.Datetime
		paused_minutes: DF.Float
		paused_since: DF.Datetime | None
		proposed_solution: DF.SmallText | None
		reissue_request: DF.Link | None
		response_by: DF.Datetime | None
		response_minutes: DF.Int
		response_status: DF.Literal["On Time", "At Risk", "Breached"]
		result_by: DF.Datetime | None
		result_minutes: DF.Int
		result_status: DF.Literal["On Time", "At Risk", "Breached"]
		return_request: DF.Link | None
		sales_invoice: DF.Link | None
		sales_order: DF.Link | None
		shipped_on: DF.Datetime | None
		sla_status: DF.Literal["On Time", "At Risk", "Breached"]
		status: DF.Literal["Open", "Replied", "Waiting on Customer", "Resolved", "Closed"]
		tracking_no: DF.Data | None
	# end: auto-generated types

	step_inputs = TICKET_INPUTS

	def before_validate(self):
		# before the hooks that fill fields in for the client (the contact's e-mail)
		check_status_inputs(self, TICKET_INPUTS)

	def validate(self):
		self.keep_server_values()
		self.validate_order_links()
		self.set_finding_defaults()
		self.validate_times()
		if self.is_new():
			# The promise made when the ticket was opened; later settings don't move it.
			self.response_minutes, self.result_minutes = allowances()
		self.update_service_level(now_datetime())
		self.set_status()
		self.inquiry_report = self.compile_report()

	def on_trash(self):
		escalated = [
			name
			for name in (self.compensation_claim, self.reissue_request, self.escalated_return_request)
			if name
		]
		if escalated:
			frappe.throw(
				_("Inquiry ticket {0} was escalated to {1}; it is kept with them.").format(
					frappe.bold(self.name), ", ".join(escalated)
				),
				frappe.LinkExistsError,
				title=_("Ticket Escalated"),
			)

	# ---- facts --------------------------------------------------------------------------------------

	def validate_order_links(self):
		for doctype, fieldname in (
			("Sales Order", "sales_order"),
			("Delivery Note", "delivery_note"),
			("Sales Invoice", "sales_invoice"),
			("Return Request", "return_request"),
		):
			name = self.get(fieldname)
			if not name:
				continue
			linked = frappe.db.get_value(doctype, name, ["customer", "company"], as_dict=True)
			if not linked:
				continue  # a name that does not exist is reported by the link check
			customer, company = linked.customer, linked.company
			if (customer, company) != (self.customer, self.company):
				frappe.throw(
					_("{0} {1} is for {2} of {3}; this ticket is for {4} of {5}.").format(
						_(doctype), frappe.bold(name), customer, company, self.customer, self.company
					),
					title=_("Wrong Customer"),
				)

	def keep_server_values(self):
		"""A new ticket starts unpaused and escalated nowhere, whatever a client sent; afterwards the
		permission levels keep these fields to the server's steps."""
		if self.is_new() and not self.flags.server_step:
			for fieldname in (*PAUSE_FIELDS, *ESCALATION_FIELDS):
				self.set(fieldname, None)

	def set_finding_defaults(self):
		"""A finding is stamped with who added it and when; the stamp is not typed."""
		before = self.get_doc_before_save()
		stamped = {row.name: row for row in before.findings} if before else {}
		for row in self.findings:
			old = stamped.get(row.name)
			row.checked_by = old.checked_by if old else frappe.session.user
			row.checked_on = old.checked_on if old else now_datetime()

	def validate_times(self):
		opened = get_datetime(self.opened_on)
		if opened > now_datetime() + timedelta(minutes=5):
			# A deadline counted from a time to come would never be breached.
			frappe.throw(
				_("{0} cannot be in the future.").format(_(self.meta.get_label("opened_on"))),
				title=_("Invalid Time"),
			)
		for fieldname in ("first_responded_on", "feedback_on"):
			value = self.get(fieldname)
			if value and get_datetime(value) < opened:
				frappe.throw(
					_("{0} cannot be before the ticket was opened ({1}).").format(
						_(self.meta.get_label(fieldname)), frappe.format(opened, "Datetime")
					),
					title=_("Invalid Time"),
				)
		if self.feedback_on and not self.first_responded_on:
			# Giving the result is also the first answer the customer gets.
			self.first_responded_on = self.feedback_on

	def compile_report(self) -> str:
		"""The inquiry report 查件情況報告: order facts, reason, findings, analysis and solution."""
		orders = ", ".join(
			f"{_(self.meta.get_label(fieldname))} {self.get(fieldname)}"
			for fieldname in ("sales_order", "delivery_note", "sales_invoice", "return_request")
			if self.get(fieldname)
		)
		shipment = ", ".join(
			f"{_(self.meta.get_label(fieldname))}: {self.get(fieldname)}"
			for fieldname in ("carrier", "tracking_no", "shipped_on", "eta", "logistics_status", "anomaly")
			if self.get(fieldname)
		)
		lines = [
			_("Order: {0}").format(orders or _("not given")),
			_("Reason: {0}").format(_(self.inquiry_reason or ""))
			+ (f" — {self.inquiry_details}" if self.inquiry_details else ""),
			_("Shipment: {0}").format(shipment or _("not given")),
			_("Findings:"),
			*(
				f"- {_(row.department)} ({row.checked_by}, {row.checked_on}): {row.finding}"
				for row in self.findings
			),
			_("Analysis: {0}").format(self.analysis or ""),
			_("Proposed solution: {0}").format(self.proposed_solution or ""),
		]
		return "\n".join(lines)

	# ---- service level ------------------------------------------------------------------------------

	def update_service_level(self, now):
		self.update(service_level(self, now, work_calendar(), at_risk_share()))

	def set_status(self):
		if self.status == CLOSED:
			return
		if self.feedback_on:
			self.status = RESOLVED
		elif self.paused_since:
			self.status = WAITING_ON_CUSTOMER
		elif self.first_responded_on:
			self.status = REPLIED
		else:
			self.status = OPEN

	def refresh_service_level(self, now) -> bool:
		"""Recompute the states at `now` and store them if they changed (the scheduler's check)."""
		before = {fieldname: self.get(fieldname) for fieldname in SERVICE_LEVEL_FIELDS}
		self.update_service_level(now)
		changed = {
			fieldname: self.get(fieldname)
			for fieldname in SERVICE_LEVEL_FIELDS
			if str(self.get(fieldname)) != str(before[fieldname])
		}
		if changed:
			self.db_set(changed, notify=True)
		return bool(changed)

	# ---- actions ------------------------------------------------------------------------------------

	def respond(self, at):
		if not self.first_responded_on:
			self.first_responded_on = at

	def pause(self, at):
		if not self.first_responded_on:
			frappe.throw(
				_("Answer the customer first (First Responded On), then wait on them."),
				title=_("No First Response"),
			)
		if self.feedback_on:
			frappe.throw(
				_("The result has been given; the ticket is not waiting on anyone."), title=_("Resolved")
			)
		if not self.paused_since:
			self.paused_since = at

	def resume(self, at):
		if not self.paused_since:
			return
		waited = apply_rule(
			paused_working_minutes,
			get_datetime(self.paused_since),
			get_datetime(at),
			work_calendar(),
			title=_("Resume"),
		)
		self.paused_minutes = (self.paused_minutes or 0) + waited
		self.paused_since = None

	def give_feedback(self, method: str, text: str, at):
		if not (text or "").strip():
			frappe.throw(_("Write the result given to the customer."), title=_("Result Missing"))
		self.resume(at)
		self.feedback_method, self.feedback_text, self.feedback_on = method, text, at

	# Customer service's steps: the ticket is locked and read again, and the clock's fields and the
	# status are written by the server.

	def finish(self):
		try:
			finish_step(self)
		finally:
			self.flags.server_step = False

	@frappe.whitelist()
	def record_first_response(self):
		start_step(self, CUSTOMER_SERVICE)
		self.respond(now_datetime())
		self.finish()

	@frappe.whitelist()
	def wait_on_customer(self):
		start_step(self, CUSTOMER_SERVICE)
		self.pause(now_datetime())
		self.finish()

	@frappe.whitelist()
	def customer_replied(self):
		start_step(self, CUSTOMER_SERVICE)
		self.resume(now_datetime())
		self.finish()

	@frappe.whitelist()
	def send_result(self, feedback_method: str | None = None, text: str | None = None):
		# Not `method`: run_doc_method passes the name of the method called under that keyword.
		start_step(self, CUSTOMER_SERVICE)
		label = _(self.meta.get_label("feedback_method"))
		choice_argument(feedback_method, label, self.meta.get_options("feedback_method").split("\n")[1:])
		text_argument(text, _(self.meta.get_label("feedback_text")), required=False)
		self.give_feedback(feedback_method, text, now_datetime())
		self.finish()

	@frappe.whitelist()
	def close(self):
		start_step(self, CUSTOMER_SERVICE)
		if not self.feedback_on:
			frappe.throw(
				_("Give the customer the result before closing the ticket."), title=_("Result Missing")
			)
		self.status = CLOSED
		self.finish()

	@frappe.whitelist()
	def make_compensation_claim(self) -> str:
		return escalation.make_compensation_claim(self)

	@frappe.whitelist()
	def make_reissue(self) -> str:
		return escalation.make_return_request(self, reissue=True)

	@frappe.whitelist()
	def make_return_request(self) -> str:
		return escalation.make_return_request(self, reissue=False)


def update_service_levels() -> None:
	"""Scheduled: move open tickets to At Risk or Breached as their deadlines come near or pass."""
	sweep_service_levels(ACTIVE_STATUSES)
