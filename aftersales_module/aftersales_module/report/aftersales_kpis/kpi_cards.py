# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The headline measures of the Aftersales KPIs report as the workspace's number cards: one figure for
one month (the current one unless a day of another is given) of one company (the reader's default).
The figure is the report's own for that month, read through the same statements, read-only."""

import frappe
from frappe import _
from frappe.utils import get_first_day, get_last_day, now_datetime, today

from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_ratios import complaint_rates
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_records import SHARE_MEASURES
from aftersales_module.controllers.argument_checks import (
	choice_argument,
	date_argument,
	link_argument,
	mapping_argument,
)
from aftersales_module.core.kpis import Measure, Rate, month_of

REPORT = "Aftersales KPIs"
HEADLINE_MEASURES = (
	Measure.RETURN_SATISFACTION,
	Measure.RETURN_REVIEWED_ON_TIME,
	Measure.INQUIRY_RESULT_ON_TIME,
	Measure.COMPLAINT_RATE,
)


@frappe.whitelist()
@frappe.read_only()
def headline_figure(filters=None) -> float:
	"""The card's number: the measure's rate for the month, 0 while nothing was judged in it."""
	require_report_access()
	filters = card_filters(filters)
	value = rate_of_month(filters, month_of(filters.day)).value
	return float(value or 0)


def require_report_access() -> None:
	report = frappe.get_cached_doc("Report", REPORT)
	if not (report.is_permitted() and frappe.has_permission(report.ref_doctype, "report")):
		frappe.throw(
			_("You may not read the {0} report, so its figures are not shown to you.").format(_(REPORT)),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def card_filters(filters) -> frappe._dict:
	given = frappe._dict(mapping_argument(filters, _("Filters")))
	day = date_argument(given.get("date") or today(), _("Date"))
	company = given.get("company") or frappe.defaults.get_user_default("Company")
	return frappe._dict(
		measure=Measure(
			choice_argument(given.get("measure"), _("Measure"), [m.value for m in HEADLINE_MEASURES])
		),
		company=link_argument(company, "Company", _("Company")),
		day=day,
		from_date=get_first_day(day).isoformat(),
		to_date=get_last_day(day).isoformat(),
		now=now_datetime(),
	)


def rate_of_month(filters, month: str) -> Rate:
	if filters.measure == Measure.COMPLAINT_RATE:
		return complaint_rates(filters, lambda each: each).get(month) or Rate(0, 0)
	share = next(each for each in SHARE_MEASURES if each.measure == filters.measure)
	counted, judged = share.figures(filters, "Month").get(month, (0, 0))
	return Rate(counted, judged)
