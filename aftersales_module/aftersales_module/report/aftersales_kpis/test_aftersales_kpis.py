# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A known set of cases in a month of their own — on time, late, reopened, an inaccurate receipt,
repairs passed and failed, complaints (one malicious), cost against budget — gives exactly the
expected figures by month, department and person, through the desk's report runner as the
after-sales manager, with the company's targets and the cases behind each figure."""

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
)
from aftersales_module.aftersales_module.report.aftersales_kpis import kpi_test_utils as known
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_test_utils import MONTH, run_report
from aftersales_module.setup.roles import CUSTOMER_SERVICE, REPAIR_TECHNICIAN, WAREHOUSE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import user_of

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Repair Order", "Budget", "Journal Entry"]

TOLD = "Return: customer told on time"
REVIEWED = "Return: reviewed on time"
ACCURACY = "Return-goods accuracy"
SATISFIED = "Return: customer satisfied"
RESOLVED = "Return: problem resolved"
RESPONSE = "Inquiry: first response on time"
RESULT = "Inquiry: result fed back on time"
ANOMALY = "Inquiry: shipping anomaly followed up on time"
CONTACT = "Repair: customer contacted on time"
PASSED = "Repair: passed"
REPAIRED_ON_TIME = "Repair: finished on time"
COMPLAINTS = "Complaints per thousand orders"
COST = "After-sales cost against budget"


class TestAftersalesKpis(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		self.returns = known.make_returns()
		self.ticket = known.make_inquiry()
		self.repairs = known.make_repairs()
		self.complaints = known.make_complaints()
		self.voucher = known.make_cost_and_budget(
			self.settings.cost_center, self.settings.warranty_expense_account
		)

	def kpis(self, group_by: str) -> dict:
		result = run_report("Aftersales KPIs", group_by=group_by)
		self.chart = result["chart"]
		return {
			(row["measure"], row["group"]): (row["numerator"], row["denominator"], row["value"])
			for row in result["result"]
		}

	def test_by_month(self):
		self.assertEqual(
			self.kpis("Month"),
			{
				(TOLD, MONTH): (1, 2, 50),
				(REVIEWED, MONTH): (1, 2, 50),
				(ACCURACY, MONTH): (1, 2, 50),
				(SATISFIED, MONTH): (1, 2, 50),
				# the reopened case is under way again: not counted yet
				(RESOLVED, MONTH): (1, 2, 50),
				(RESPONSE, MONTH): (1, 1, 100),
				(RESULT, MONTH): (0, 1, 0),
				(ANOMALY, MONTH): (0, 1, 0),
				(CONTACT, MONTH): (1, 2, 50),
				(PASSED, MONTH): (1, 2, 50),
				(REPAIRED_ON_TIME, MONTH): (1, 2, 50),
				# three complaints, the malicious one included, over two orders
				(COMPLAINTS, MONTH): (3, 2, 1500),
				# 800 spent of a twelfth of 12,000
				(COST, MONTH): (800, 1000, 80),
			},
		)
		self.assertIn(TOLD, [dataset["name"] for dataset in self.chart["data"]["datasets"]])

	def test_by_department(self):
		by_department = self.kpis("Department")
		self.assertEqual(by_department[(ACCURACY, "Warehouse")], (1, 2, 50))
		self.assertEqual(by_department[(PASSED, "Repair")], (1, 2, 50))
		self.assertEqual(by_department[(ANOMALY, "Logistics")], (0, 1, 0))
		self.assertEqual(by_department[(COMPLAINTS, "Customer Service")], (3, 2, 1500))
		self.assertEqual(by_department[(COST, "Finance")], (800, 1000, 80))

	def test_by_person(self):
		by_person = self.kpis("Person")
		self.assertEqual(by_person[(REVIEWED, user_of(CUSTOMER_SERVICE))], (1, 2, 50))
		self.assertEqual(by_person[(ACCURACY, user_of(WAREHOUSE))], (1, 2, 50))
		self.assertEqual(by_person[(RESOLVED, user_of(CUSTOMER_SERVICE))], (1, 2, 50))
		self.assertEqual(by_person[(PASSED, user_of(REPAIR_TECHNICIAN))], (1, 2, 50))
		self.assertEqual(by_person[(REPAIRED_ON_TIME, user_of(REPAIR_TECHNICIAN))], (1, 2, 50))
		# complaints and cost have no person of the team behind them
		self.assertFalse([key for key in by_person if key[0] in (COMPLAINTS, COST)])

	def test_each_figure_against_the_companys_target(self):
		known.set_targets({TOLD: 90, ACCURACY: 50, COMPLAINTS: 5, COST: 95})
		met = {
			row["measure"]: (row["target"], row["met"])
			for row in run_report("Aftersales KPIs", group_by="Month")["result"]
		}
		self.assertEqual(met[TOLD], (90, "Not Met"))
		self.assertEqual(met[ACCURACY], (50, "Met"))
		self.assertEqual(met[COMPLAINTS], (5, "Not Met"))
		self.assertEqual(met[COST], (95, "Met"))
		self.assertEqual(met[PASSED], (None, None))

	def test_the_cases_behind_a_figure(self):
		def cases(measure: str, group: str = MONTH, group_by: str = "Month") -> dict:
			result = run_report(
				"Aftersales KPIs", group_by=group_by, show_cases=1, measure=measure, group=group
			)["result"]
			return {row["case_name"] or row["voucher_no"]: row["result"] for row in result}

		self.assertEqual(
			cases(ACCURACY), {self.returns["on_time"]: "Counted", self.returns["late"]: "Not Counted"}
		)
		self.assertEqual(
			cases(RESOLVED),
			{
				self.returns["on_time"]: "Counted",
				self.returns["late"]: "Not Counted",
				self.returns["reopened"]: "Not Yet",
			},
		)
		self.assertEqual(
			cases(PASSED, user_of(REPAIR_TECHNICIAN), "Person"),
			{self.repairs["passed"]: "Counted", self.repairs["failed"]: "Not Counted"},
		)
		self.assertEqual(set(cases(COMPLAINTS)), set(self.complaints))
		self.assertEqual(cases(COST), {self.voucher: "Counted"})

	def test_each_figure_is_what_its_cases_add_up_to(self):
		"""The figures are summed in the database, the cases judged one by one by core's rules: for
		every measure, group and grouping they agree."""
		for group_by in ("Month", "Department", "Person"):
			for figure in run_report("Aftersales KPIs", group_by=group_by)["result"]:
				if figure["measure_key"] == COST:
					continue
				results = [
					row["result"]
					for row in run_report(
						"Aftersales KPIs",
						group_by=group_by,
						show_cases=1,
						measure=figure["measure_key"],
						group=figure["group_key"],
					)["result"]
				]
				counted, judged = results.count("Counted"), len(results) - results.count("Not Yet")
				expected = (figure["numerator"], figure["denominator"])
				if figure["measure_key"] == COMPLAINTS:
					self.assertEqual(counted, figure["numerator"], figure)
				else:
					self.assertEqual((counted, judged), expected, (group_by, figure))

	def test_a_period_with_nothing_in_it_shows_nothing(self):
		result = run_report("Aftersales KPIs", group_by="Month", from_date="1990-01-01", to_date="1990-01-31")
		self.assertEqual(result["result"], [])

	def test_drill_down_needs_a_measure(self):
		self.assertRaises(
			frappe.ValidationError, run_report, "Aftersales KPIs", group_by="Month", show_cases=1
		)
