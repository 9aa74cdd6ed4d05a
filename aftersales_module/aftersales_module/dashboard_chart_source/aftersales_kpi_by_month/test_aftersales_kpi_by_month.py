# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The workspace's monthly KPI charts draw the Aftersales KPIs report's own figures: with a known set
of cases, each chart's point for their month is the report's figure for that month, read by the
manager; a user who may not run the report gets no chart, and each chart is shown to exactly the
roles of the report."""

import json

import frappe

from aftersales_module.aftersales_module.dashboard_chart_source.aftersales_kpi_by_month.aftersales_kpi_by_month import (
	get as chart_data,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
)
from aftersales_module.aftersales_module.report.aftersales_kpis import kpi_test_utils as known
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_test_utils import MONTH, run_report
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Repair Order", "Budget", "Journal Entry"]

SOURCE = "Aftersales KPI by Month"
# chart → the figure the known cases give in their month (test_aftersales_kpis.test_by_month)
HEADLINE_CHARTS = {
	"Returns Reviewed on Time by Month": 50,
	"Customer Satisfaction by Month": 50,
	"Complaints per Thousand Orders by Month": 1500,
	"After-sales Cost against Budget by Month": 80,
}


def chart_points(chart: str, day: str) -> dict[str, float]:
	"""{month: figure} as the desk asks for them: the chart's filters, the reader's company, a day."""
	doc = frappe.get_doc("Dashboard Chart", chart)
	filters = {**json.loads(doc.filters_json), "company": TEST_COMPANY, "date": day}
	data = chart_data(chart_name=chart, filters=json.dumps(filters))
	(dataset,) = data["datasets"]
	return dict(zip(data["labels"], dataset["values"], strict=True))


class TestAftersalesKpiByMonth(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		known.make_returns()
		known.make_inquiry()
		known.make_complaints()
		# The cost is booked in a year the site may not have: a year an earlier test made and rolled
		# back is still in ERPNext's cache of fiscal years, so that cache is read afresh.
		frappe.cache.delete_value("fiscal_years")
		known.fiscal_year_of(f"{MONTH}-10")
		known.make_cost_and_budget(self.settings.cost_center, self.settings.warranty_expense_account)

	def test_each_chart_draws_the_reports_figure_for_the_month(self):
		report = {
			row["measure_key"]: row["value"]
			for row in run_report("Aftersales KPIs", group_by="Month")["result"]
			if row["group_key"] == MONTH
		}
		with acting_as(AFTERSALES_MANAGER):
			for chart, expected in HEADLINE_CHARTS.items():
				points = chart_points(chart, f"{MONTH}-15")
				measure = json.loads(frappe.db.get_value("Dashboard Chart", chart, "filters_json"))["measure"]
				self.assertEqual(len(points), 12, chart)
				self.assertEqual(list(points)[-1], MONTH, chart)
				self.assertEqual(points[MONTH], float(report[measure]), chart)
				self.assertEqual(points[MONTH], expected, chart)

	def test_a_month_with_nothing_counted_is_drawn_as_nought(self):
		with acting_as(AFTERSALES_MANAGER):
			points = chart_points("Customer Satisfaction by Month", "1990-06-15")
		self.assertEqual(set(points.values()), {0.0})

	def test_a_user_who_may_not_run_the_report_gets_no_chart(self):
		with acting_as(CUSTOMER_SERVICE):
			self.assertRaises(
				frappe.PermissionError, chart_points, "Customer Satisfaction by Month", f"{MONTH}-15"
			)

	def test_a_measure_the_report_does_not_know_is_refused(self):
		with acting_as(AFTERSALES_MANAGER):
			self.assertRaises(
				frappe.ValidationError,
				chart_data,
				filters={"measure": "Returns per weekday", "company": TEST_COMPANY},
			)

	def test_each_chart_is_shown_to_the_roles_of_the_report(self):
		report_roles = {row.role for row in frappe.get_doc("Report", "Aftersales KPIs").roles}
		charts = frappe.get_all("Dashboard Chart", {"source": SOURCE}, pluck="name")
		self.assertEqual(set(charts), set(HEADLINE_CHARTS))
		for chart in charts:
			chart_roles = {row.role for row in frappe.get_doc("Dashboard Chart", chart).roles}
			self.assertEqual(chart_roles, report_roles, chart)
