# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The workspace's headline cards show the Aftersales KPIs report's own figure for the month: with a
known set of cases, each card's number is the report's rate for that month, read by the manager; a
user who may not run the report gets no figure."""

import json

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
)
from aftersales_module.aftersales_module.report.aftersales_kpis import kpi_test_utils as known
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_cards import headline_figure
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_test_utils import MONTH, run_report
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Repair Order"]

HEADLINE_CARDS = {
	"Customer Satisfaction This Month": ("Return: customer satisfied", 50),
	"Returns Reviewed on Time This Month": ("Return: reviewed on time", 50),
	"Inquiry Results on Time This Month": ("Inquiry: result fed back on time", 0),
	"Complaints per Thousand Orders This Month": ("Complaints per thousand orders", 1500),
}


def card_figure(card: str, day: str) -> float:
	"""The card's number as the desk asks for it: its filters, the reader's company, a day of the month."""
	doc = frappe.get_doc("Number Card", card)
	filters = {**json.loads(doc.filters_json), "company": TEST_COMPANY, "date": day}
	return frappe.get_attr(doc.method)(filters=json.dumps(filters))


class TestKpiCards(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		known.make_returns()
		known.make_inquiry()
		known.make_complaints()

	def test_each_card_shows_the_reports_figure_for_the_month(self):
		report = {
			row["measure_key"]: row["value"]
			for row in run_report("Aftersales KPIs", group_by="Month")["result"]
			if row["group_key"] == MONTH
		}
		with acting_as(AFTERSALES_MANAGER):
			for card, (measure, expected) in HEADLINE_CARDS.items():
				figure = card_figure(card, f"{MONTH}-15")
				self.assertEqual(figure, float(report[measure]), card)
				self.assertEqual(figure, expected, card)

	def test_a_month_with_nothing_judged_shows_nought(self):
		with acting_as(AFTERSALES_MANAGER):
			self.assertEqual(card_figure("Customer Satisfaction This Month", "1990-01-15"), 0)

	def test_a_user_who_may_not_run_the_report_gets_no_figure(self):
		with acting_as(CUSTOMER_SERVICE):
			self.assertRaises(
				frappe.PermissionError,
				headline_figure,
				filters={"measure": "Return: customer satisfied", "company": TEST_COMPANY},
			)

	def test_a_measure_that_is_no_card_is_refused(self):
		with acting_as(AFTERSALES_MANAGER):
			self.assertRaises(
				frappe.ValidationError,
				headline_figure,
				filters={"measure": "After-sales cost against budget", "company": TEST_COMPANY},
			)
