# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The Aftersales workspace shows the work waiting per stage: every number card and chart it names
exists, counts for the manager, and a case moving into a stage is counted in that stage's queue."""

import json

import frappe
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.number_card.number_card import get_result

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	open_request,
	sell,
)
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE
from aftersales_module.tests.factories import TEST_COMPANY
from aftersales_module.tests.role_users import acting_as

WORKSPACE = "Aftersales"


def count(card: str) -> int:
	doc = frappe.get_doc("Number Card", card)
	if doc.type == "Custom":  # a figure of a report, read through the card's own method
		filters = {**json.loads(doc.filters_json), "company": TEST_COMPANY}
		return frappe.get_attr(doc.method)(filters=json.dumps(filters))
	filters = json.loads(doc.filters_json) + [
		[doc.document_type, "company", "=", TEST_COMPANY, False]
	] * bool(doc.dynamic_filters_json)
	return get_result(doc.as_json(), json.dumps(filters))


def chart_data(chart: str) -> dict:
	"""The chart's data as the desk asks for it: a document type's chart through Frappe's own method,
	a custom chart through its source's method with the chart's filters and the reader's company."""
	doc = frappe.get_doc("Dashboard Chart", chart)
	if doc.chart_type == "Custom":
		module, source = (
			frappe.scrub(frappe.db.get_value("Dashboard Chart Source", doc.source, "module")),
			frappe.scrub(doc.source),
		)
		method = f"{frappe.local.module_app[module]}.{module}.dashboard_chart_source.{source}.{source}.get"
		filters = {**json.loads(doc.filters_json), "company": TEST_COMPANY}
		return frappe.get_attr(method)(chart_name=chart, filters=json.dumps(filters))
	return get_chart(chart=doc.as_json(), no_cache=1)


class TestWorkspace(ReturnFlowTestCase):
	def test_every_card_and_chart_of_the_workspace_exists_and_counts(self):
		act(open_request(sell(qty=1)), "Submit")  # an open case, so each chart has something to draw
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		cards = {row.number_card_name for row in workspace.number_cards}
		self.assertEqual(
			cards, set(frappe.get_all("Number Card", {"module": "Aftersales Module"}, pluck="name"))
		)
		blocks = json.loads(workspace.content)
		self.assertEqual(
			{block["data"]["number_card_name"] for block in blocks if block["type"] == "number_card"}, cards
		)
		charts = {row.chart_name for row in workspace.charts}
		self.assertEqual(
			charts, set(frappe.get_all("Dashboard Chart", {"module": "Aftersales Module"}, pluck="name"))
		)
		self.assertEqual(
			{block["data"]["chart_name"] for block in blocks if block["type"] == "chart"}, charts
		)
		with acting_as(AFTERSALES_MANAGER):
			for card in cards:
				self.assertTrue(frappe.has_permission("Number Card", doc=card), card)
				self.assertGreaterEqual(count(card), 0, card)
			for row in workspace.charts:
				self.assertTrue(frappe.has_permission("Dashboard Chart", doc=row.chart_name), row.chart_name)
				self.assertTrue(chart_data(row.chart_name)["datasets"], row.chart_name)

	def test_a_case_in_review_is_in_the_review_queue(self):
		with acting_as(AFTERSALES_MANAGER):
			before = count("Returns in Review")
		act(open_request(sell(qty=1)), "Submit")
		with acting_as(AFTERSALES_MANAGER):
			self.assertEqual(count("Returns in Review"), before + 1)

	def test_each_page_is_linked_once(self):
		links = [row.link_to for row in frappe.get_doc("Workspace", WORKSPACE).links if row.type == "Link"]
		self.assertEqual(len(links), len(set(links)))

	def test_the_kpi_figures_are_shown_to_exactly_the_roles_of_the_report(self):
		"""A card or chart of the KPI report's figures is on the workspace of those who may run the
		report, and of no one else (who would get a permission error instead of a figure)."""
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		kpi_cards = [
			row.number_card_name
			for row in workspace.number_cards
			if frappe.db.get_value("Number Card", row.number_card_name, "type") == "Custom"
		]
		kpi_charts = [
			row.chart_name
			for row in workspace.charts
			if frappe.db.get_value("Dashboard Chart", row.chart_name, "chart_type") == "Custom"
		]
		self.assertTrue(kpi_cards and kpi_charts)
		for role, shown in ((AFTERSALES_MANAGER, True), (CUSTOMER_SERVICE, False)):
			with acting_as(role):
				for card in kpi_cards:
					self.assertEqual(frappe.has_permission("Number Card", doc=card), shown, (role, card))
				for chart in kpi_charts:
					self.assertEqual(
						frappe.has_permission("Dashboard Chart", doc=chart), shown, (role, chart)
					)
