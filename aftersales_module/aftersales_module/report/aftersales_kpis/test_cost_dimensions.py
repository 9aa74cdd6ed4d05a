# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The after-sales cost against budget kept to, or split by, an ERPNext accounting dimension: the GL
entries' dimension value says where a cost was booked, the budget is ERPNext's Budget against the
dimension's value. Run through the desk's report runner as the after-sales manager."""

from decimal import Decimal

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
)
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_test_utils import (
	MONTH,
	fiscal_year_of,
	run_report,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY, company_value

test_ignore = [*IGNORE_TEST_RECORDS, "Budget", "Journal Entry"]

COST = "After-sales cost against budget"
DIMENSION = "Location"
NORTH, SOUTH = "_Test Aftersales North", "_Test Aftersales South"
# spent on each location in March; budgeted a year for the north only
SPENT = {NORTH: 300, SOUTH: 500}
NORTH_BUDGET_A_YEAR = 6_000


def ensure_location_dimension() -> str:
	"""The site's Location dimension, made once: adding a dimension adds its columns to ERPNext's
	tables (a schema change that commits), so it stays, as ERPNext's own tests leave theirs."""
	name = frappe.db.get_value("Accounting Dimension", {"document_type": DIMENSION})
	if not name:
		name = frappe.get_doc({"doctype": "Accounting Dimension", "document_type": DIMENSION}).insert().name
	dimension = frappe.get_doc("Accounting Dimension", name)
	if dimension.disabled:
		dimension.disabled = 0
		dimension.save()
	frappe.flags.accounting_dimensions = None
	return dimension.fieldname


def ensure_location(name: str) -> None:
	if not frappe.db.exists("Location", name):
		frappe.get_doc({"doctype": "Location", "location_name": name}).insert(ignore_permissions=True)


class TestCostByAccountingDimension(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.fieldname = ensure_location_dimension()
		for location in SPENT:
			ensure_location(location)
		frappe.db.commit()  # nosemgrep: the dimension's schema change has committed already

	def setUp(self):
		super().setUp()
		year = fiscal_year_of(f"{MONTH}-10")
		self.vouchers = {location: self.spend(location, amount) for location, amount in SPENT.items()}
		budget = frappe.get_doc(
			{
				"doctype": "Budget",
				"company": TEST_COMPANY,
				"budget_against": DIMENSION,
				self.fieldname: NORTH,
				"fiscal_year": year,
				"applicable_on_booking_actual_expenses": 1,
				"action_if_annual_budget_exceeded": "Ignore",
				"action_if_accumulated_monthly_budget_exceeded": "Ignore",
				"accounts": [
					{"account": self.settings.warranty_expense_account, "budget_amount": NORTH_BUDGET_A_YEAR}
				],
			}
		)
		budget.insert(ignore_permissions=True)
		budget.submit()

	def spend(self, location: str, amount: float) -> str:
		entry = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"company": TEST_COMPANY,
				"posting_date": f"{MONTH}-10",
				"accounts": [
					{
						"account": self.settings.warranty_expense_account,
						"cost_center": self.settings.cost_center,
						self.fieldname: location,
						"debit_in_account_currency": amount,
					},
					{"account": company_value("default_cash_account"), "credit_in_account_currency": amount},
				],
			}
		)
		entry.insert(ignore_permissions=True)
		entry.submit()
		return entry.name

	def cost_rows(self, **filters) -> dict:
		return {
			(row["group"], row["dimension_value"]): (row["numerator"], row["denominator"], row["value"])
			for row in run_report("Aftersales KPIs", group_by="Month", **filters)["result"]
			if row["measure_key"] == COST
		}

	def test_kept_to_one_value_against_its_budget(self):
		# 300 spent in the north against a twelfth of 6,000
		self.assertEqual(
			self.cost_rows(cost_dimension=DIMENSION, cost_dimension_value=NORTH),
			{(MONTH, NORTH): (300, 500, Decimal("60.00"))},
		)

	def test_split_by_the_dimensions_values(self):
		self.assertEqual(
			self.cost_rows(cost_dimension=DIMENSION),
			{(MONTH, NORTH): (300, 500, Decimal("60.00")), (MONTH, SOUTH): (500, 0, None)},
		)

	def test_without_a_dimension_the_cost_center_as_before(self):
		# no budget on the cost center in this test: what was spent, with no figure against budget
		self.assertEqual(self.cost_rows(), {(MONTH, None): (800, 0, None)})

	def test_the_vouchers_behind_one_value(self):
		result = run_report(
			"Aftersales KPIs",
			group_by="Month",
			show_cases=1,
			measure=COST,
			group=MONTH,
			cost_dimension=DIMENSION,
			cost_dimension_value=SOUTH,
		)
		self.assertEqual(
			[(row["voucher_no"], row["amount"], row["dimension_value"]) for row in result["result"]],
			[(self.vouchers[SOUTH], 500, SOUTH)],
		)
		self.assertIn("dimension_value", [column["fieldname"] for column in result["columns"]])

	def test_an_unknown_dimension_is_told_the_sites_dimensions(self):
		with self.assertRaises(frappe.ValidationError) as refused:
			run_report("Aftersales KPIs", group_by="Month", cost_dimension="No Such Dimension")
		self.assertIn(DIMENSION, str(refused.exception))

	def test_an_unknown_dimension_or_value_is_refused(self):
		for filters in (
			{"cost_dimension": "No Such Dimension"},
			{"cost_dimension": DIMENSION, "cost_dimension_value": "_Test Aftersales Nowhere"},
		):
			self.assertRaises(
				frappe.ValidationError, run_report, "Aftersales KPIs", group_by="Month", **filters
			)
