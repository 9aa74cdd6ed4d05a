# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The seed policies' measures of the after-sales team (SPEC §10) for a period, by month, department
or person, each with what counted and out of how many, the company's target and whether it was met.
With Show Cases, the cases (or, for the cost, the vouchers) behind one figure.

Read-only: it runs on the read replica where the site has one (`read_from_replica`), as ERPNext's own
heavy reports do. The formulas are core's (`core.kpis`); the records are read by `kpi_records` and
`kpi_ratios`."""

import dataclasses
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_ratios import (
	check_cost_dimension,
	complaint_rates,
	complaints_in,
	cost_entries,
	cost_rates,
)
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_records import (
	CUSTOMER_SERVICE,
	FINANCE,
	SHARE_MEASURES,
)
from aftersales_module.aftersales_module.report.aftersales_kpis.report_filters import (
	check_drill_down,
	check_period,
)
from aftersales_module.controllers.argument_checks import choice_argument
from aftersales_module.core.kpis import Measure, Rate, cost_meets_target, month_of

MONTH, DEPARTMENT, PERSON = "Month", "Department", "Person"
PER_MILLE_SIGN, PER_CENT_SIGN = "‰", "%"


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = check_filters(frappe._dict(filters or {}))
	if filters.show_cases:
		return case_columns(filters), case_rows(filters)
	targets = targets_of(filters.company)
	rows = share_rows(filters, targets) + complaint_rows(filters, targets) + cost_rows(filters, targets)
	return get_columns(filters), rows, None, chart(rows, filters)


def measure_rows(filters: dict, measure: Measure) -> list[dict]:
	"""The report's rows of one measure alone, as `execute` gives them, for a caller that needs only
	that measure (a workspace chart), without working out the others."""
	filters = check_filters(frappe._dict(filters))
	targets = targets_of(filters.company)
	if measure == Measure.COMPLAINT_RATE:
		return complaint_rows(filters, targets)
	if measure == Measure.COST_AGAINST_BUDGET:
		return cost_rows(filters, targets)
	return share_rows(filters, targets, [each for each in SHARE_MEASURES if each.measure == measure])


def check_filters(filters):
	check_period(filters, (MONTH, DEPARTMENT, PERSON), MONTH)
	filters.now = now_datetime()
	check_cost_dimension(filters)
	if check_drill_down(filters, "Show Cases"):
		filters.measure = choice_argument(filters.measure, _("Measure"), [each.value for each in Measure])
	return filters


def targets_of(company: str) -> dict[str, Decimal]:
	return {
		row.measure: Decimal(str(row.target))
		for row in frappe.get_cached_doc("Aftersales Settings").kpi_targets
		if row.company == company
	}


def group_of(record, department: str, group_by: str) -> str:
	if group_by == PERSON:
		return record.person or ""
	if group_by == DEPARTMENT:
		return department
	return month_of(get_datetime(record.counted_on))


def share_rows(filters, targets, measures=SHARE_MEASURES) -> list[dict]:
	rows = []
	for measure in measures:
		target = targets.get(measure.measure.value)
		for group, (counted, judged) in sorted(measure.figures(filters, filters.group_by).items()):
			rate = Rate(counted, judged, target=target)
			rows.append(row(measure.measure, group, counted, judged, rate.value, target, rate.meets_target))
	return rows


def month_grouping(filters):
	"""How a month maps to the report's group; None where the measure has no such group."""
	if filters.group_by == PERSON:
		return None
	if filters.group_by == DEPARTMENT:
		return lambda month: CUSTOMER_SERVICE
	return lambda month: month


def complaint_rows(filters, targets) -> list[dict]:
	grouping = month_grouping(filters)
	if not grouping:
		return []
	target = targets.get(Measure.COMPLAINT_RATE.value)
	rows = []
	for group, rate in sorted(complaint_rates(filters, grouping).items()):
		rate = dataclasses.replace(rate, target=target, lower_is_better=True)
		rows.append(
			row(
				Measure.COMPLAINT_RATE,
				group,
				rate.numerator,
				rate.denominator,
				rate.value,
				target,
				rate.meets_target,
			)
		)
	return rows


def cost_rows(filters, targets) -> list[dict]:
	grouping = month_grouping(filters)
	if not grouping:
		return []
	if filters.group_by == DEPARTMENT:
		grouping = lambda month: FINANCE  # noqa: E731
	target = targets.get(Measure.COST_AGAINST_BUDGET.value)
	rates = sorted(cost_rates(filters, grouping).items(), key=lambda item: (item[0][0], item[0][1] or ""))
	return [
		row(
			Measure.COST_AGAINST_BUDGET,
			group,
			actual,
			budget,
			used,
			target,
			cost_meets_target(actual, budget, target) if target is not None else None,
			dimension_value=dimension_value,
		)
		for (group, dimension_value), (actual, budget, used) in rates
	]


def row(
	measure: Measure, group: str, numerator, denominator, value, target, met, dimension_value=None
) -> dict:
	department_group = group in {m.department for m in SHARE_MEASURES} | {FINANCE}
	return {
		"measure": _(measure.value),
		"measure_key": measure.value,
		"group": _(group) if department_group else (group or _("Nobody yet")),
		"group_key": group,
		"numerator": numerator,
		"denominator": denominator,
		"value": value,
		"unit": PER_MILLE_SIGN if measure == Measure.COMPLAINT_RATE else PER_CENT_SIGN,
		"target": target,
		"met": None if met is None else (_("Met") if met else _("Not Met")),
		"dimension_value": dimension_value,
	}


# ---- the cases behind a figure ----------------------------------------------------------------------


def case_rows(filters) -> list[dict]:
	measure = Measure(filters.measure)
	wanted = filters.get("group")
	if measure == Measure.COMPLAINT_RATE:
		records, department = complaints_in(filters), CUSTOMER_SERVICE
	elif measure == Measure.COST_AGAINST_BUDGET:
		records, department = cost_entries(filters), FINANCE
	else:
		share = next(each for each in SHARE_MEASURES if each.measure == measure)
		records, department = share.records(filters), share.department
	rows = []
	for record in records:
		group = group_of(record, department, filters.group_by)
		if wanted and group != wanted:
			continue
		counted = record.get("counted", True)
		rows.append(
			{
				"case_doctype": record.get("case_doctype"),
				"case_name": record.get("case_name"),
				# Vouchers are listed as text: the manager reading KPIs may not read every voucher type.
				"voucher_type": record.get("voucher_type"),
				"voucher_no": record.get("voucher_no"),
				"group": group,
				"person": record.person,
				"counted_on": record.counted_on,
				"result": _("Not Yet")
				if counted is None
				else (_("Counted") if counted else _("Not Counted")),
				"amount": record.get("amount"),
				"dimension_value": record.get("dimension_value"),
			}
		)
	return sorted(
		rows, key=lambda each: (str(each["counted_on"]), each["case_name"] or each["voucher_no"] or "")
	)


def dimension_columns(filters) -> list[dict]:
	if not filters.get("dimension"):
		return []
	# text, not a link: the manager reading KPIs may not read the dimension's doctype, and the desk's
	# report runner keeps a link column's rows to what the reader may read
	return [
		{
			"fieldname": "dimension_value",
			"label": _(filters.dimension.label),
			"fieldtype": "Data",
			"width": 140,
		}
	]


def case_columns(filters) -> list[dict]:
	return [
		{
			"fieldname": "case_doctype",
			"label": _("Case Type"),
			"fieldtype": "Data",
			"width": 160,
		},
		{
			"fieldname": "case_name",
			"label": _("Case"),
			"fieldtype": "Dynamic Link",
			"options": "case_doctype",
			"width": 180,
		},
		{"fieldname": "voucher_type", "label": _("Voucher Type"), "fieldtype": "Data", "width": 140},
		{"fieldname": "voucher_no", "label": _("Voucher No"), "fieldtype": "Data", "width": 160},
		{"fieldname": "group", "label": _("Group"), "fieldtype": "Data", "width": 140},
		{"fieldname": "person", "label": _("Person"), "fieldtype": "Link", "options": "User", "width": 180},
		{"fieldname": "counted_on", "label": _("Counted On"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "result", "label": _("Result"), "fieldtype": "Data", "width": 110},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 120},
		*dimension_columns(filters),
	]


# ---- columns and chart ---------------------------------------------------------------------------------


def get_columns(filters) -> list[dict]:
	return [
		{"fieldname": "measure", "label": _("Measure"), "fieldtype": "Data", "width": 280},
		{"fieldname": "group", "label": _(filters.group_by), "fieldtype": "Data", "width": 180},
		{"fieldname": "numerator", "label": _("Counted"), "fieldtype": "Float", "width": 110},
		{"fieldname": "denominator", "label": _("Out Of"), "fieldtype": "Float", "width": 110},
		{"fieldname": "value", "label": _("Rate"), "fieldtype": "Float", "width": 90},
		{"fieldname": "unit", "label": _("Unit"), "fieldtype": "Data", "width": 50},
		{"fieldname": "target", "label": _("Target"), "fieldtype": "Float", "width": 90},
		{"fieldname": "met", "label": _("Target Met"), "fieldtype": "Data", "width": 100},
		*dimension_columns(filters),
		{"fieldname": "measure_key", "label": _("Measure Key"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "group_key", "label": _("Group Key"), "fieldtype": "Data", "hidden": 1},
	]


def chart(rows: list[dict], filters) -> dict | None:
	"""Each per-cent measure's rate across the groups of the period."""
	shown = [each for each in rows if each["unit"] == PER_CENT_SIGN and each["value"] is not None]
	if not shown:
		return None
	groups = sorted({each["group"] for each in shown})
	datasets = []
	for measure in dict.fromkeys(each["measure"] for each in shown):
		values = {each["group"]: float(each["value"]) for each in shown if each["measure"] == measure}
		datasets.append({"name": measure, "values": [values.get(group, 0) for group in groups]})
	return {
		"data": {"labels": groups, "datasets": datasets},
		"type": "line" if filters.group_by == MONTH else "bar",
	}
