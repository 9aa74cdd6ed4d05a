"""The working calendar and allowances of inquiry tickets, read from Aftersales Settings."""

import frappe
from frappe.utils import get_time

from aftersales_module.controllers.messages import apply_rule
from aftersales_module.core.sla import WorkCalendar

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
