# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""One measure of the Aftersales KPIs report, month by month over the last twelve months, as a
workspace chart. The figures are the report's own: the report is run for the twelve months grouped by
month and the measure's row of each month is drawn, so a chart never disagrees with the report.

Not cached through Frappe's chart cache: that cache is one per chart for all readers, and the figures
are per company and only for those who may read the report."""

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, get_last_day, today

from aftersales_module.aftersales_module.report.aftersales_kpis.aftersales_kpis import MONTH, measure_rows
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_cards import require_report_access
from aftersales_module.controllers.argument_checks import (
	choice_argument,
	date_argument,
	link_argument,
	mapping_argument,
)
from aftersales_module.core.kpis import Measure

MONTHS_SHOWN = 12


@frappe.whitelist()
@frappe.read_only()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	"""The chart's data, {labels, datasets}: the measure's figure for each of the twelve months up to
	the month of the filters' date (this month unless given); 0 for a month with nothing counted."""
	require_report_access()
	given = chart_filters(chart_name, filters)
	months = months_up_to(given.day)
	figures = monthly_figures(given.measure, given.company, months)
	return {
		"labels": months,
		"datasets": [{"name": _(given.measure), "values": [figures.get(month, 0.0) for month in months]}],
	}


def chart_filters(chart_name, filters) -> frappe._dict:
	"""The filters the desk sends, else the chart's own; a known measure and company."""
	chart = link_argument(chart_name, "Dashboard Chart", _("Chart"), required=False)
	if not filters and chart:
		filters = frappe.db.get_value("Dashboard Chart", chart, "filters_json")
	given = frappe._dict(mapping_argument(filters, _("Filters")))
	company = given.get("company") or frappe.defaults.get_user_default("Company")
	return frappe._dict(
		measure=choice_argument(given.get("measure"), _("Measure"), [each.value for each in Measure]),
		company=link_argument(company, "Company", _("Company")),
		day=date_argument(given.get("date") or today(), _("Date")),
	)


def months_up_to(day) -> list[str]:
	"""The twelve months ending with the month of `day`, oldest first, as the report names them."""
	return [
		add_months(get_first_day(day), -back).strftime("%Y-%m") for back in range(MONTHS_SHOWN - 1, -1, -1)
	]


def monthly_figures(measure: str, company: str, months: list[str]) -> dict[str, float]:
	"""{month: the report's figure of the measure}, from the report's rows of that measure over the
	months by month."""
	rows = measure_rows(
		{
			"company": company,
			"from_date": f"{months[0]}-01",
			"to_date": get_last_day(f"{months[-1]}-01").isoformat(),
			"group_by": MONTH,
		},
		Measure(measure),
	)
	return {
		row["group_key"]: float(row["value"] or 0)
		for row in rows
		if row["measure_key"] == measure and row["value"] is not None
	}
