"""What a repair order takes from its users, and what it checks it against: each open order's input
is the role's own step, a finished order takes no more, a posted part stays as posted, and the
documents and times the order names are the customer's own and can be true."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.utils import add_to_date, flt, format_datetime, get_datetime, now_datetime

from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import sold_serial_nos
from aftersales_module.controllers.repair_point_access import works_at
from aftersales_module.controllers.steps import StepPermissionError, acting_user, differs, has_role
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
)

OPEN = "Open"
IN_REPAIR = "In Repair"
COMPLETED = "Completed"
UNREPAIRABLE = "Unrepairable"
SCRAPPED = "Scrapped"
CANCELLED = "Cancelled"

REPAIRERS = (REPAIR_TECHNICIAN, REPAIR_POINT_MANAGER)
# What a user may change on an open order, and with which role; everything else is fixed when the
# order is opened, or is the server's (permlevel 1: postings, approvals, statuses).
INPUTS_AFTER_SUBMIT = {
	"technician": (REPAIR_POINT_MANAGER, CUSTOMER_SERVICE),
	"first_contact_at": (*REPAIRERS, CUSTOMER_SERVICE),
	"visits": REPAIRERS,
	"parts": REPAIRERS,
	"man_made_damage": REPAIRERS,
	"labour_hours": REPAIRERS,
	"labour_rate": REPAIRERS,
	"quality_check_passed": REPAIRERS,
	"outcome": REPAIRERS,
	"finished_goods_warehouse": REPAIRERS,
	"customer_signature": (*REPAIRERS, CUSTOMER_SERVICE),
	"confirmed_by": (*REPAIRERS, CUSTOMER_SERVICE),
}
# What only a step of the server writes, and a draft therefore never carries.
SERVER_FIELDS = (
	"sales_invoice_for_repair",
	"completion_entry",
	"completed_on",
	"unrepairable_report",
	"scrap_approved_by",
	"scrap_entry",
)
SERVER_PART_FIELDS = ("issue_entry", "old_part_entry")
# A finished order takes no more input; a completed one still takes the faulty parts brought back
# afterwards (Receive Old Parts works on a completed repair).
FINISHED = (COMPLETED, UNREPAIRABLE, SCRAPPED, CANCELLED)
OLD_PART_INPUTS = ("old_part_returned", "old_part_fault")
# Who may take back a passed quality check on an open order: the point's manager, not the technician.
QUALITY_REOPENERS = (REPAIR_POINT_MANAGER,)
# How far ahead of the server's clock a first contact may be put down (clocks drift).
FIRST_CONTACT_LEEWAY_MINUTES = 5


class OrderFinishedError(frappe.ValidationError):
	pass


class PartPostedError(frappe.ValidationError):
	pass


class WrongReturnRequestError(frappe.ValidationError):
	pass


class WrongSalesInvoiceError(frappe.ValidationError):
	pass


class FirstContactTimeError(frappe.ValidationError):
	pass


class RepairOrderInputs:
	def validate_repair_point(self):
		point = frappe.db.get_value(
			"Repair Point", self.repair_point, ["company", "disabled", "warehouse"], as_dict=True
		)
		if point.company != self.company:
			frappe.throw(
				_("Repair point {0} belongs to {1}, not {2}.").format(
					frappe.bold(self.repair_point), point.company, self.company
				),
				title=_("Wrong Company"),
			)
		if point.disabled and self.docstatus == 0:
			frappe.throw(
				_("Repair point {0} is disabled.").format(frappe.bold(self.repair_point)), title=_("Disabled")
			)

	def validate_return_request(self):
		"""The return request a repair is for (its costs go to that request's claim) is the customer's own,
		submitted, in the order's company."""
		if not self.return_request:
			return
		request = frappe.db.get_value(
			"Return Request", self.return_request, ["docstatus", "customer", "company"], as_dict=True
		)
		owner = (request.customer, request.company) if request else None
		if not request or request.docstatus != 1 or owner != (self.customer, self.company):
			frappe.throw(
				_("{0}: {1} is not a submitted return request of customer {2} in {3}.").format(
					_(self.meta.get_label("return_request")),
					frappe.bold(self.return_request),
					frappe.bold(self.customer or "-"),
					self.company,
				),
				WrongReturnRequestError,
				title=_("Wrong Return Request"),
			)

	def validate_sales_invoice(self):
		"""The sale the warranty is read from is the customer's own submitted sale in the order's company,
		and, when that sale lists serial numbers, it sold this unit."""
		if not self.sales_invoice:
			return
		label = _(self.meta.get_label("sales_invoice"))
		invoice = frappe.db.get_value(
			"Sales Invoice",
			self.sales_invoice,
			["docstatus", "is_return", "customer", "company"],
			as_dict=True,
		)
		if (
			not invoice
			or invoice.docstatus != 1
			or invoice.is_return
			or (invoice.customer, invoice.company) != (self.customer, self.company)
		):
			frappe.throw(
				_("{0}: {1} is not a submitted sale (not a return) to customer {2} in {3}.").format(
					label,
					frappe.bold(self.sales_invoice),
					frappe.bold(self.customer or "-"),
					self.company,
				),
				WrongSalesInvoiceError,
				title=_("Wrong Sales Invoice"),
			)
		serial_no = (self.serial_no or "").strip()
		if not serial_no:
			return
		lines = frappe.get_all(
			"Sales Invoice Item",
			filters={
				"parent": self.sales_invoice,
				"parenttype": "Sales Invoice",
				"item_code": self.item_code,
			},
			pluck="name",
		)
		sold = {
			serial.strip() for line in lines for serial in sold_serial_nos(line).split("\n") if serial.strip()
		}
		if sold and serial_no not in sold:
			frappe.throw(
				_("{0}: {1} did not sell serial number {2} of {3}.").format(
					label, frappe.bold(self.sales_invoice), frappe.bold(serial_no), self.item_code
				),
				WrongSalesInvoiceError,
				title=_("Wrong Sales Invoice"),
			)

	def validate_first_contact(self):
		"""The customer was first contacted after the order was opened, and not later than now."""
		before = self.get_doc_before_save()
		if not self.first_contact_at or (
			before and not differs(self.first_contact_at, before.first_contact_at)
		):
			return
		label = _(self.meta.get_label("first_contact_at"))
		contacted = get_datetime(self.first_contact_at)
		opened = get_datetime(self.opened_on).replace(microsecond=0)
		if contacted < opened:
			frappe.throw(
				_("{0} cannot be before the order was opened on {1}.").format(
					label, format_datetime(self.opened_on)
				),
				FirstContactTimeError,
				title=_("Check the Time"),
			)
		if contacted > add_to_date(now_datetime(), minutes=FIRST_CONTACT_LEEWAY_MINUTES):
			frappe.throw(
				_("{0} cannot be in the future.").format(label),
				FirstContactTimeError,
				title=_("Check the Time"),
			)

	def validate_technician(self):
		"""The technician works at the order's repair point: they must be able to open it."""
		before = self.get_doc_before_save()
		if not self.technician or (before and before.technician == self.technician):
			return
		if not works_at(self.repair_point, self.technician):
			frappe.throw(
				_("{0} is not a member of repair point {1}. Add them to its Members first.").format(
					frappe.bold(self.technician), frappe.bold(self.repair_point)
				),
				title=_("Not at This Repair Point"),
			)

	def clear_server_fields(self):
		"""Nothing is posted, approved or scrapped before the order is open: a draft carries none of it."""
		if self.docstatus != 0 and getattr(self, "_action", None) != "submit":
			return
		for fieldname in SERVER_FIELDS:
			self.set(fieldname, None)
		for row in self.parts:
			for fieldname in SERVER_PART_FIELDS:
				row.set(fieldname, None)

	def stamp_quality_check(self):
		"""Who passed the quality check is recorded by the server when the box is ticked."""
		if self.flags.server_step:
			return
		before = self.get_doc_before_save()
		if not self.quality_check_passed:
			self.quality_checked_by = None
		elif before and before.quality_check_passed:
			self.quality_checked_by = before.quality_checked_by
		else:
			self.quality_checked_by = acting_user()

	def check_inputs_owned(self):
		"""Each role changes only what its own step fills in."""
		before = self.get_doc_before_save()
		if before is None:
			return
		changed = [
			fieldname
			for fieldname, roles in INPUTS_AFTER_SUBMIT.items()
			if field_values(self, fieldname) != field_values(before, fieldname) and not has_role(*roles)
		]
		if changed:
			frappe.throw(
				_("You cannot change {0}: another role fills that in.").format(
					", ".join(frappe.bold(_(self.meta.get_label(fieldname))) for fieldname in changed)
				),
				StepPermissionError,
				title=_("Not Your Step"),
			)

	def keep_finished_order(self):
		"""A completed, unrepairable or scrapped order takes no more input: what it posted and charged
		stands. Only the faulty parts brought back after a completed repair may still be put down."""
		before = self.get_doc_before_save()
		if before is None or before.status not in FINISHED:
			return
		# On a completed repair, the rows whose faulty part may still be brought back.
		open_old_parts = (
			{row.name for row in before.parts if not row.old_part_entry}
			if before.status == COMPLETED
			else set()
		)
		changed = [
			fieldname
			for fieldname in INPUTS_AFTER_SUBMIT
			if field_values(self, fieldname, open_old_parts)
			!= field_values(before, fieldname, open_old_parts)
		]
		if changed:
			frappe.throw(
				_("Repair order {0} is {1}: {2} can no longer be changed.").format(
					frappe.bold(self.name),
					_(before.status),
					", ".join(frappe.bold(_(self.meta.get_label(fieldname))) for fieldname in changed),
				),
				OrderFinishedError,
				title=_("Repair Order Finished"),
			)

	def keep_quality_check(self):
		"""A passed quality check is taken back by the point's manager only, not by the technician."""
		before = self.get_doc_before_save()
		if before is None or not before.quality_check_passed or self.quality_check_passed:
			return
		if not has_role(*QUALITY_REOPENERS):
			frappe.throw(
				_("{0} is already ticked; only a {1} can take it back.").format(
					frappe.bold(_(self.meta.get_label("quality_check_passed"))),
					" / ".join(frappe.bold(_(role)) for role in (*QUALITY_REOPENERS, AFTERSALES_MANAGER)),
				),
				StepPermissionError,
				title=_("Not Your Step"),
			)

	def keep_posted_parts(self):
		"""A part once issued or brought back stays on the order as it was posted: only a faulty part
		brought back may still be ticked on an issued row, until it is received."""
		before = self.get_doc_before_save()
		rows = {row.name: row for row in self.parts}
		for old in before.parts if before else []:
			if not (old.issue_entry or old.old_part_entry):
				continue
			row = rows.get(old.name)
			skip = () if old.old_part_entry else OLD_PART_INPUTS
			if row is None or row_inputs(row, skip) != row_inputs(old, skip):
				frappe.throw(
					_("Parts row #{0}: {1} is already posted and stays on the order as it is.").format(
						old.idx, frappe.bold(old.item_code)
					),
					PartPostedError,
					title=_("Part Already Posted"),
				)


def field_values(doc, fieldname: str, open_old_parts: set[str] | frozenset = frozenset()):
	"""A field's value as stored, or a table's rows as (name, values), to compare two versions: the
	client's (strings) and the database's (dates, numbers). The faulty part brought back is left out
	of the parts rows named in open_old_parts."""
	df = doc.meta.get_field(fieldname)
	if df.fieldtype != "Table":
		return comparable(doc.get(fieldname))
	return [
		(row.name, row_inputs(row, skip=OLD_PART_INPUTS if row.name in open_old_parts else ()))
		for row in doc.get(fieldname)
	]


def row_inputs(row, skip: tuple[str, ...] = ()) -> tuple:
	"""The values a client puts in a table row, comparable between two versions of it."""
	return tuple(
		comparable(row.get(field.fieldname))
		for field in frappe.get_meta(row.doctype).fields
		if field.fieldtype not in no_value_fields and not field.read_only and field.fieldname not in skip
	)


def comparable(value):
	"""An empty value, a number and a date or text, each in one form whoever sent it. (Not `get_value`:
	it reads an empty datetime as now.)"""
	if not value:
		return None
	if isinstance(value, int | float | Decimal):
		return flt(value)
	return str(value)
