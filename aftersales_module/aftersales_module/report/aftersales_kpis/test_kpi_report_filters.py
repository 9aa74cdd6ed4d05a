# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The KPI, Slow Steps and Return Analysis reports, run through the desk's report runner as the
after-sales manager with hostile filters: each answers with figures or with a message, never a crash.
Each reads from the read replica when the site has one."""

import traceback
from unittest.mock import patch

import frappe
from frappe.desk.query_report import run
from hypothesis import given
from hypothesis import strategies as st

from aftersales_module.setup.roles import AFTERSALES_MANAGER
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY
from aftersales_module.tests.hostile import REFUSALS, fuzz_settings, hostile_value
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = IGNORE_TEST_RECORDS

REPORT_FILTERS = {
	"Aftersales KPIs": ("company", "from_date", "to_date", "group_by", "show_cases", "measure", "group"),
	"Aftersales Slow Steps": (
		"company",
		"from_date",
		"to_date",
		"group_by",
		"case_doctype",
		"stage",
		"show_cases",
	),
	"Return Analysis": ("company", "from_date", "to_date", "group_by"),
}
SENSIBLE = {
	"company": TEST_COMPANY,
	"from_date": "2026-01-01",
	"to_date": "2026-01-31",
	"group_by": None,
	"show_cases": 0,
}


class TestKpiReportFilters(AftersalesTestCase):
	@fuzz_settings(max_examples=60)
	@given(
		st.sampled_from(sorted(REPORT_FILTERS)),
		st.dictionaries(
			st.sampled_from(sorted({f for each in REPORT_FILTERS.values() for f in each})),
			hostile_value,
			max_size=3,
		),
	)
	def test_hostile_filters_get_figures_or_a_message(self, report, hostile):
		filters = {
			**SENSIBLE,
			**{key: value for key, value in hostile.items() if key in REPORT_FILTERS[report]},
		}
		try:
			with acting_as(AFTERSALES_MANAGER):
				run(report, filters=filters)
		except REFUSALS:
			pass
		except Exception:
			self.fail(f"{report} {filters!r} crashed:\n{traceback.format_exc()}")
		finally:
			frappe.local.message_log = []


def execute_of(report: str):
	"""The report's own execute, not the desk's runner (which asks for the replica itself too)."""
	module = frappe.scrub(report)
	return frappe.get_attr(f"aftersales_module.aftersales_module.report.{module}.{module}.execute")


class TestKpiReportsReadTheReplica(AftersalesTestCase):
	def test_each_report_asks_for_the_replica_where_the_site_has_one(self):
		for report in REPORT_FILTERS:
			asked = []
			frappe.local.conf.read_from_replica = 1
			try:
				# No replica runs here: asked for it, the report goes on with this connection.
				with patch.object(frappe, "connect_replica", side_effect=lambda: asked.append(1) and False):
					with acting_as(AFTERSALES_MANAGER):
						execute_of(report)({**SENSIBLE})
			finally:
				frappe.local.conf.pop("read_from_replica", None)
			self.assertEqual(len(asked), 1, report)


class TestKpiTargets(AftersalesTestCase):
	def test_a_company_has_one_target_per_measure_and_per_stage(self):
		for table, row in (
			("kpi_targets", {"company": TEST_COMPANY, "measure": "Repair: passed", "target": 90}),
			(
				"stage_targets",
				{
					"company": TEST_COMPANY,
					"case_doctype": "Repair Order",
					"stage": "In Repair",
					"target_hours": 48,
				},
			),
		):
			settings = frappe.get_single("Aftersales Settings")
			settings.set(table, [each for each in settings.get(table) if each.company != TEST_COMPANY])
			settings.append(table, row)
			settings.append(table, {**row, "stage": " In Repair "} if "stage" in row else row)
			with self.assertRaisesRegex(frappe.ValidationError, "has a target for"):
				settings.save(ignore_permissions=True)
