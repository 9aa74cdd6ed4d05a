"""Complaints 投訴: a case of their own, linked to the customer, their order and any related case.
Customer service records and handles them; only an Aftersales Manager marks one as malicious, with the
reason, so that the complaint rate can count malicious complaints apart (seed 004)."""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate

from aftersales_module.controllers.argument_checks import text_argument
from aftersales_module.controllers.steps import StepPermissionError, finish_step, has_role, start_step
from aftersales_module.setup.roles import CUSTOMER_SERVICE

COMPLAINT = "Aftersales Complaint"
OPEN, RESOLVED, CLOSED = "Open", "Resolved", "Closed"
# The cases a complaint may be about.
RELATED_CASE_DOCTYPES = (
	"Return Request",
	"Repair Order",
	"Spare Part Transfer Request",
	"Compensation Claim",
	"Inquiry Ticket",
)
# Written by the server's steps only (permission level 1).
SERVER_FIELDS = (
	"status",
	"resolved_on",
	"resolved_by",
	"closed_on",
	"is_malicious",
	"malicious_reason",
	"flagged_by",
	"flagged_on",
)


def keep_server_values(complaint) -> None:
	"""A new complaint starts open and unflagged, whatever a client sent."""
	if complaint.is_new() and not complaint.flags.server_step:
		for fieldname in SERVER_FIELDS:
			complaint.set(fieldname, None)
		complaint.status, complaint.is_malicious = OPEN, 0


def validate_received_on(complaint) -> None:
	if complaint.posting_date and getdate(complaint.posting_date) > getdate(nowdate()):
		frappe.throw(
			_("{0} cannot be in the future.").format(_(complaint.meta.get_label("posting_date"))),
			title=_("Invalid Date"),
		)


def validate_related_case(complaint) -> None:
	"""The related case is one of the app's cases, of this customer and company."""
	doctype, name = complaint.reference_doctype, complaint.reference_name
	if not doctype and not name:
		return
	if doctype not in RELATED_CASE_DOCTYPES:
		frappe.throw(
			_("{0} must be one of: {1}.").format(
				_(complaint.meta.get_label("reference_doctype")),
				", ".join(_(each) for each in RELATED_CASE_DOCTYPES),
			),
			title=_("Invalid Case Type"),
		)
	if not name:
		frappe.throw(
			_("Select the {0} in {1}, or clear {2}.").format(
				_(doctype),
				_(complaint.meta.get_label("reference_name")),
				_(complaint.meta.get_label("reference_doctype")),
			),
			title=_("Missing Value"),
		)
	check_same_customer(complaint, doctype, name)


def validate_order_links(complaint) -> None:
	for doctype, fieldname in (("Sales Order", "sales_order"), ("Sales Invoice", "sales_invoice")):
		if complaint.get(fieldname):
			check_same_customer(complaint, doctype, complaint.get(fieldname))


def check_same_customer(complaint, doctype: str, name: str) -> None:
	meta = frappe.get_meta(doctype)
	fields = [field for field in ("customer", "company") if meta.has_field(field)]
	linked = frappe.db.get_value(doctype, name, fields, as_dict=True) if fields else None
	if not linked:
		return  # a name that does not exist is reported by Frappe's link check
	for field in fields:
		if linked.get(field) and linked.get(field) != complaint.get(field):
			frappe.throw(
				_("{0} {1} is for {2}; this complaint is for {3}.").format(
					_(doctype), frappe.bold(name), linked.get(field), complaint.get(field)
				),
				title=_("Wrong Customer"),
			)


# ---- customer service's and the manager's steps -------------------------------------------------------


def resolve(complaint) -> None:
	start_step(complaint, CUSTOMER_SERVICE)
	if complaint.status != OPEN:
		frappe.throw(
			_("Only an open complaint can be resolved; this one is {0}.").format(_(complaint.status)),
			title=_("Not Open"),
		)
	for fieldname in ("handling", "result"):
		if not (complaint.get(fieldname) or "").strip():
			frappe.throw(
				_("Write the {0} of the complaint and save it before resolving it.").format(
					_(complaint.meta.get_label(fieldname))
				),
				title=_("Missing Value"),
			)
	complaint.status, complaint.resolved_on, complaint.resolved_by = (
		RESOLVED,
		now_datetime(),
		frappe.session.user,
	)
	finish(complaint)


def close(complaint) -> None:
	start_step(complaint, CUSTOMER_SERVICE)
	if complaint.status != RESOLVED:
		frappe.throw(_("Resolve the complaint before closing it."), title=_("Not Resolved"))
	complaint.status, complaint.closed_on = CLOSED, now_datetime()
	finish(complaint)


def flag_malicious(complaint, reason) -> None:
	"""惡意投訴: the manager's judgement, with the reason kept for whoever reads the complaint rate."""
	if not has_role():
		frappe.throw(
			_("Only an Aftersales Manager can mark a complaint as malicious."),
			StepPermissionError,
			title=_("Not Permitted"),
		)
	reason = text_argument(reason, _(complaint.meta.get_label("malicious_reason")))
	start_step(complaint, CUSTOMER_SERVICE)
	if complaint.is_malicious:
		frappe.throw(_("This complaint is marked as malicious already."), title=_("Already Marked"))
	complaint.is_malicious, complaint.malicious_reason = 1, reason.strip()
	complaint.flagged_by, complaint.flagged_on = frappe.session.user, now_datetime()
	finish(complaint)


def finish(complaint) -> None:
	try:
		finish_step(complaint)
	finally:
		complaint.flags.server_step = False
