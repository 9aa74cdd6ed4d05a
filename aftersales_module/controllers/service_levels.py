"""The working calendar and allowances of inquiry tickets, read from Aftersales Settings, and the
deadlines and states of a ticket at a given time, for its form and for the scheduled check."""

import frappe
from frappe import _
from frappe.utils import get_datetime, get_time, now_datetime

from aftersales_module.controllers.messages import apply_rule
from aftersales_module.controllers.notifications import notify_service_levels
from aftersales_module.core.sla import Deadline, WorkCalendar, add_working_minutes, deadline_state, worst

SERVICE_LEVEL_FIELDS = ("response_by", "response_status", "result_by", "result_status", "sla_status")
# Tickets written by one UPDATE (one CASE per changed field).
WRITE_CHUNK = 200
# What a ticket's service level is computed from.
TICKET_FACTS = (
	"opened_on",
	"response_minutes",
	"result_minutes",
	"paused_minutes",
	"paused_since",
	"first_responded_on",
	"feedback_on",
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_AT_RISK_PERCENT = 80


def work_calendar() -> WorkCalendar:
	"""Working Hours and the Holiday List of Aftersales Settings; no hours means every hour counts."""
	return calendar_of(frappe.get_cached_doc("Aftersales Settings"))


def calendar_of(settings) -> WorkCalendar:
	holidays = (
		frappe.get_all("Holiday", filters={"parent": settings.holiday_list}, pluck="holiday_date")
		if settings.holiday_list
		else []
	)
	hours = [
		(WEEKDAYS.index(row.weekday), get_time(row.start_time), get_time(row.end_time))
		for row in settings.working_hours
	]
	return apply_rule(WorkCalendar.from_hours, hours, holidays, title=frappe._("Working Hours"))


def allowances() -> tuple[int, int]:
	"""Minutes to the first response and to the result, as set now."""
	settings = frappe.get_cached_doc("Aftersales Settings")
	return int(settings.first_response_minutes or 0), int(settings.result_feedback_hours or 0) * 60


def at_risk_share() -> float:
	percent = frappe.get_cached_doc("Aftersales Settings").sla_at_risk_percent
	# 0 is what an existing site reads before the setting is saved; it would make every ticket At Risk.
	return (percent or DEFAULT_AT_RISK_PERCENT) / 100


def service_level(ticket, now, calendar: WorkCalendar, share: float, title: str | None = None) -> dict:
	"""Deadlines in working time from when the ticket was opened, and how each one stands at `now`.
	While the ticket waits on the customer its result clock stands still. `title`: the translated
	title of a refusal, when the caller has it (the scheduled check translates it once)."""
	title = title or _("Service Level")
	opened = get_datetime(ticket.get("opened_on"))
	response_minutes, result_minutes = ticket.get("response_minutes") or 0, ticket.get("result_minutes") or 0
	response_by = apply_rule(add_working_minutes, opened, response_minutes, calendar, title=title)
	result_by = apply_rule(
		Deadline(opened, result_minutes, ticket.get("paused_minutes") or 0).due, calendar, title=title
	)
	clock = get_datetime(ticket.get("paused_since")) if ticket.get("paused_since") else now
	response_state = deadline_state(
		response_by, _answered_at(ticket, "first_responded_on"), now, response_minutes, calendar, share
	)
	result_state = deadline_state(
		result_by, _answered_at(ticket, "feedback_on"), clock, result_minutes, calendar, share
	)
	return {
		"response_by": response_by,
		"response_status": response_state.value,
		"result_by": result_by,
		"result_status": result_state.value,
		"sla_status": worst([response_state, result_state]).value,
	}


def _answered_at(ticket, fieldname: str):
	return get_datetime(ticket.get(fieldname)) if ticket.get(fieldname) else None


def sweep_service_levels(statuses: tuple[str, ...], now=None) -> int:
	"""The scheduled check: every open ticket read in one query against one calendar, and only the
	tickets whose deadlines or states changed written, a few hundred a statement; staff hear of those
	that turned at risk or late (controllers/notifications.py). A ticket that cannot be computed is
	logged and the others go on. Returns how many tickets changed."""
	now = now or now_datetime()
	calendar, share, title = work_calendar(), at_risk_share(), _("Service Level")
	tickets = frappe.get_all(
		"Inquiry Ticket",
		filters={"status": ("in", statuses), "docstatus": ("<", 2)},
		fields=["name", *TICKET_FACTS, *SERVICE_LEVEL_FIELDS],
	)
	changes, moved = {}, []
	for ticket in tickets:
		try:
			fresh = service_level(ticket, now, calendar, share, title)
		except Exception:
			frappe.log_error(
				title=_("The service level of inquiry ticket {0} could not be computed").format(ticket.name),
				reference_doctype="Inquiry Ticket",
				reference_name=ticket.name,
			)
			continue
		updates = {field: value for field, value in fresh.items() if value != ticket.get(field)}
		if updates:
			changes[ticket.name] = updates
			if "sla_status" in updates:
				moved.append((ticket.name, updates["sla_status"]))
	write_service_levels(changes)
	notify_service_levels(moved)
	return len(changes)


def write_service_levels(changes: dict[str, dict]) -> None:
	"""Each ticket's changed fields only, a few hundred tickets a statement (a first run changes every
	ticket), `modified` untouched: the deadlines are the scheduler's, not an edit of the ticket. The
	statement is written out directly: Frappe's `bulk_update` builds it term by term, which took longer
	than running it."""
	names = list(changes)
	for start in range(0, len(names), WRITE_CHUNK):
		chunk = names[start : start + WRITE_CHUNK]
		assignments, values = [], []
		for field in SERVICE_LEVEL_FIELDS:
			changed = [name for name in chunk if field in changes[name]]
			if not changed:
				continue
			whens = " ".join(["when %s then %s"] * len(changed))
			assignments.append(f"`{field}` = case `name` {whens} else `{field}` end")
			for name in changed:
				values += [name, changes[name][field]]
		frappe.db.sql(
			f"""update `tabInquiry Ticket` set {", ".join(assignments)}
			where `name` in ({", ".join(["%s"] * len(chunk))})""",
			[*values, *chunk],
		)
	if changes:
		frappe.clear_document_cache("Inquiry Ticket")
