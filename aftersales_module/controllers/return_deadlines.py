"""How fast a return request is answered (seed 001): the customer hears back within 24 hours of the
request and it is reviewed within 48, per company in Aftersales Settings.

The deadlines are set when the request is submitted, counted from when it was taken; customer service
records when the customer was told; the review is done when the case first leaves the Review stage,
as the stage log shows. A scheduled check keeps each open request On Time, At Risk or Breached.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Min
from frappe.utils import add_to_date, get_datetime, now_datetime

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.service_levels import at_risk_share
from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.controllers.steps import finish_step, start_step
from aftersales_module.core.sla import WorkCalendar, deadline_state, worst
from aftersales_module.core.stages import Stage
from aftersales_module.setup.roles import CUSTOMER_SERVICE

RETURN_REQUEST = "Return Request"
DEFAULT_FEEDBACK_HOURS, DEFAULT_REVIEW_HOURS = 24, 48
# The seeds count these in hours of the clock, not working hours.
AROUND_THE_CLOCK = WorkCalendar.around_the_clock()
FINISHED_STAGES = (Stage.CLOSED.value, Stage.CANCELLED.value, Stage.REJECTED.value)


def allowances(company: str) -> tuple[int, int]:
	"""Hours to tell the customer and to review, as the company's settings say."""
	settings = get_company_settings(company)
	feedback = settings.get("return_feedback_hours")
	review = settings.get("return_review_hours")
	return (
		DEFAULT_FEEDBACK_HOURS if feedback is None else int(feedback),
		DEFAULT_REVIEW_HOURS if review is None else int(review),
	)


def set_return_deadlines(doc, method=None) -> None:
	"""doc_events before_submit: the deadlines count from when the request was taken, and are written
	with the submit itself."""
	feedback_hours, review_hours = allowances(doc.company)
	taken = get_datetime(doc.creation)
	doc.feedback_due = add_to_date(taken, hours=feedback_hours)
	doc.review_due = add_to_date(taken, hours=review_hours)
	doc.deadline_status = "On Time"


@frappe.whitelist(methods=["POST"])
def record_customer_told(name: str | None = None) -> None:
	"""Customer service has given the customer the first answer on the request."""
	if not isinstance(name, str) or not frappe.db.exists(RETURN_REQUEST, name):
		frappe.throw(_("Return Request {0} does not exist.").format(frappe.bold(name)), title=_("Not Found"))
	request = frappe.get_doc(RETURN_REQUEST, name)
	start_step(request, CUSTOMER_SERVICE)
	if request.docstatus != 1:
		frappe.throw(_("Submit the request first."), title=_("Not Submitted"))
	if not request.customer_told_on:
		request.customer_told_on = now_datetime()
		finish_step(request)


def sweep_return_deadlines(now=None) -> int:
	"""Scheduled: the deadline state of every submitted request still open, from one read of the
	requests and one of the stage log; only the requests whose state changed are written."""
	now = get_datetime(now) if now else now_datetime()
	requests = frappe.get_all(
		RETURN_REQUEST,
		filters={"docstatus": 1, "feedback_due": ("is", "set"), "stage": ("not in", FINISHED_STAGES)},
		fields=[
			"name",
			"company",
			"feedback_due",
			"review_due",
			"customer_told_on",
			"reviewed_on",
			"deadline_status",
		],
	)
	reviewed = first_moves_out_of_review([request.name for request in requests])
	share = at_risk_share()
	changed = 0
	for request in requests:
		feedback_hours, review_hours = allowances(request.company)
		reviewed_on = reviewed.get(request.name)
		state = worst(
			[
				deadline_state(
					get_datetime(request.feedback_due),
					get_datetime(request.customer_told_on) if request.customer_told_on else None,
					now,
					feedback_hours * 60,
					AROUND_THE_CLOCK,
					share,
				),
				deadline_state(
					get_datetime(request.review_due),
					reviewed_on,
					now,
					review_hours * 60,
					AROUND_THE_CLOCK,
					share,
				),
			]
		).value
		updates = {
			field: value
			for field, value in (("deadline_status", state), ("reviewed_on", reviewed_on))
			if value != request.get(field)
		}
		if updates:
			frappe.db.set_value(RETURN_REQUEST, request.name, updates, update_modified=False)
			changed += 1
	return changed


def first_moves_out_of_review(names: list[str]) -> dict:
	if not names:
		return {}
	log = frappe.qb.DocType(STAGE_LOG)
	return dict(
		frappe.qb.from_(log)
		.select(log.reference_name, Min(log.moved_on))
		.where(log.reference_doctype == RETURN_REQUEST)
		.where(log.reference_name.isin(names))
		.where(log.from_stage == Stage.REVIEW.value)
		.groupby(log.reference_name)
		.run()
	)
