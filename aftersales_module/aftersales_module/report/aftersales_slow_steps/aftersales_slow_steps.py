# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Slow steps (SPEC §10): how long cases stayed in each stage, per stage or per person, read from the
stage log — the median and 90th percentile in hours against the company's stage target (Aftersales
Settings, Stage Targets), and how many steps took longer. With Show Cases, the steps over target.

A step counts in the period it ended (the case moved on); its person is who moved the case on. The
steps still open — a case sitting now, in a stage the company gives a target, that it entered by the
period's end — are timed up to now and shown beside them (Open Now, Open Over Target) and among the
cases over target, so a manager sees the cases stuck now; they are not in the median and percentile of
the finished steps and, with nobody yet who moved them on, show by person on a row without one. Only
stages with a target are read for open steps: a case's current stage is read through its index, and a
stage nobody set a target for has no "stuck" to flag. The timing is core's (`core.step_times`). Read-only: it runs on the read
replica where one is configured."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

from aftersales_module.aftersales_module.report.aftersales_kpis.report_filters import (
	check_drill_down,
	check_period,
)
from aftersales_module.controllers.argument_checks import choice_argument, text_argument
from aftersales_module.controllers.stage_log import CASE_STAGE_FIELDS, STAGE_LOG
from aftersales_module.core.step_times import (
	FINAL_STAGES,
	Move,
	open_steps,
	over_target,
	step_times,
	steps_of,
)

STAGE, PERSON = "Stage", "Person"
MICROSECONDS_AN_HOUR = 3_600_000_000


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = check_filters(frappe._dict(filters or {}))
	targets = stage_targets(filters.company)
	still_open = steps_open_now(filters, targets)
	if filters.show_cases:
		return case_columns(), over_target_rows(finished_steps(filters) + still_open, targets)
	hours = hours_by_group(filters)
	rows = summary_rows(hours, open_by_group(still_open, filters), targets, filters)
	return get_columns(filters), rows, None, chart(hours, targets)


def check_filters(filters):
	check_period(filters, (STAGE, PERSON), STAGE)
	check_drill_down(filters, "Show Cases Over Target")
	if filters.case_doctype:
		filters.case_doctype = choice_argument(filters.case_doctype, _("Case Type"), CASE_STAGE_FIELDS)
	filters.stage = text_argument(filters.stage, _("Stage"), required=False)
	return filters


def stage_targets(company: str) -> dict[tuple[str, str], float]:
	return {
		(row.case_doctype, row.stage): row.target_hours
		for row in frappe.get_cached_doc("Aftersales Settings").stage_targets
		if row.company == company
	}


def moved_cases(filters) -> str:
	"""The condition on the log's rows: the moves, up to the period's end, of the cases moved in it."""
	case_type = " and log.reference_doctype = %(case_doctype)s" if filters.case_doctype else ""
	return f"""log.moved_on <= %(end)s {case_type}
		and (log.reference_doctype, log.reference_name) in (
			select reference_doctype, reference_name from `tab{STAGE_LOG}`
			where company = %(company)s and moved_on between %(start)s and %(end)s)"""


def period_params(filters) -> dict:
	return {
		"company": filters.company,
		"start": get_datetime(filters.from_date),
		"end": get_datetime(f"{filters.to_date} 23:59:59.999999"),
		"case_doctype": filters.case_doctype,
		"stage": filters.stage,
	}


def hours_by_group(filters) -> dict[tuple, list]:
	"""{(case type, stage[, person]): hours of each step ended in the period}: the database pairs
	each move with the case's next one (as core's `steps_of` does for the cases behind the figures)."""
	person = ", person" if filters.group_by == PERSON else ""
	stage = " and stage = %(stage)s" if filters.stage else ""
	rows = frappe.db.sql(
		f"""select reference_doctype, stage{person}, microseconds from (
			select log.reference_doctype, log.to_stage as stage,
				lead(log.moved_by) over next_move as person,
				lead(log.moved_on) over next_move as left_on,
				timestampdiff(microsecond, log.moved_on, lead(log.moved_on) over next_move) as microseconds
			from `tab{STAGE_LOG}` log
			where {moved_cases(filters)}
			window next_move as (partition by log.reference_doctype, log.reference_name order by log.moved_on)
		) steps where left_on between %(start)s and %(end)s{stage}""",
		period_params(filters),
	)
	groups: dict[tuple, list] = {}
	for *key, microseconds in rows:
		if filters.group_by == PERSON:
			key[2] = key[2] or ""
		groups.setdefault(tuple(key), []).append(Decimal(microseconds) / MICROSECONDS_AN_HOUR)
	return groups


def finished_steps(filters) -> list:
	"""The steps that ended in the period, each as core pairs a case's moves."""
	params = period_params(filters)
	moves = frappe.db.sql(
		f"""select log.reference_doctype, log.reference_name, log.to_stage, log.moved_on, log.moved_by
		from `tab{STAGE_LOG}` log where {moved_cases(filters)}""",
		params,
	)
	steps = steps_of(
		Move((doctype, name), to_stage, moved_on, moved_by)
		for doctype, name, to_stage, moved_on, moved_by in moves
	)
	return [
		step
		for step in steps
		if params["start"] <= step.left <= params["end"]
		and (not filters.stage or step.stage == filters.stage)
	]


def open_cases_sql(doctype: str, stage_field: str) -> str:
	"""A case type's cases sitting now in one of the stages asked for, with their moves into it (core
	takes the latest): read from the case's indexed stage, then its log rows."""
	return f"""select log.reference_doctype, log.reference_name, log.to_stage, log.moved_on, log.moved_by
		from `tab{doctype}` case_
		join `tab{STAGE_LOG}` log on log.reference_doctype = {frappe.db.escape(doctype)}
			and log.reference_name = case_.name and log.to_stage = case_.`{stage_field}`
		where case_.`{stage_field}` in %(open_stages)s and case_.company = %(company)s
			and case_.docstatus < 2"""


def steps_open_now(filters, targets) -> list:
	"""The steps still open now (core's `open_steps`) in the stages the company gives a target, of
	cases that entered their stage by the period's end."""
	doctypes = [filters.case_doctype] if filters.case_doctype else list(CASE_STAGE_FIELDS)
	now, end = now_datetime(), period_params(filters)["end"]
	steps = []
	for doctype in doctypes:
		final = FINAL_STAGES.get(doctype, frozenset())
		stages = {
			stage
			for case_type, stage in targets
			if case_type == doctype and stage not in final and (not filters.stage or stage == filters.stage)
		}
		if not stages:
			continue
		moves = frappe.db.sql(
			open_cases_sql(doctype, CASE_STAGE_FIELDS[doctype]),
			{**period_params(filters), "open_stages": tuple(stages)},
		)
		steps += open_steps(
			(
				Move((case_type, name), to_stage, moved_on, moved_by)
				for case_type, name, to_stage, moved_on, moved_by in moves
			),
			now,
			final,
		)
	# the latest move into the stage is when the case entered it: one after the period's end is not
	# of the period, whatever earlier visits to the stage there were
	return [step for step in steps if step.entered <= end]


def open_by_group(steps, filters) -> dict[tuple, list]:
	"""{(case type, stage[, person]): hours of each open step}; an open step has nobody yet who
	moved the case on."""
	groups: dict[tuple, list] = {}
	for step in steps:
		key = (step.case[0], step.stage) + (("",) if filters.group_by == PERSON else ())
		groups.setdefault(key, []).append(step.hours)
	return groups


def summary_rows(hours: dict[tuple, list], open_hours: dict[tuple, list], targets, filters) -> list[dict]:
	rows = []
	for key in sorted(set(hours) | set(open_hours)):
		doctype, stage = key[0], key[1]
		target = targets.get((doctype, stage))
		times = step_times(hours.get(key, []), target)
		still_open = step_times(open_hours.get(key, []), target)
		rows.append(
			{
				"case_doctype": doctype,
				"stage": stage,
				"stage_label": _(stage),
				"person": key[2] if filters.group_by == PERSON else None,
				"steps": times.steps,
				"median_hours": times.median_hours,
				"p90_hours": times.p90_hours,
				"target_hours": times.target_hours,
				"over_target": times.over_target,
				"open_now": still_open.steps,
				"open_over_target": still_open.over_target,
			}
		)
	return rows


def over_target_rows(steps, targets) -> list[dict]:
	rows = [
		{
			"case_doctype": step.case[0],
			"case_name": step.case[1],
			"stage": step.stage,
			"stage_label": _(step.stage),
			"person": step.person,
			"entered": step.entered,
			"left": None if step.still_open else step.left,
			"still_open": 1 if step.still_open else 0,
			"hours": round(float(step.hours), 2),
			"target_hours": targets.get((step.case[0], step.stage)),
		}
		for step in steps
		if over_target(step.hours, targets.get((step.case[0], step.stage)))
	]
	return sorted(rows, key=lambda row: -row["hours"])


def get_columns(filters) -> list[dict]:
	columns = [
		{
			"fieldname": "case_doctype",
			"label": _("Case Type"),
			"fieldtype": "Data",
			"width": 170,
		},
		{"fieldname": "stage_label", "label": _("Stage"), "fieldtype": "Data", "width": 150},
	]
	if filters.group_by == PERSON:
		columns.append(
			{
				"fieldname": "person",
				"label": _("Person"),
				"fieldtype": "Link",
				"options": "User",
				"width": 180,
			}
		)
	return [
		*columns,
		{"fieldname": "steps", "label": _("Steps"), "fieldtype": "Int", "width": 80},
		{"fieldname": "median_hours", "label": _("Median (hours)"), "fieldtype": "Float", "width": 120},
		{"fieldname": "p90_hours", "label": _("90th Percentile (hours)"), "fieldtype": "Float", "width": 160},
		{"fieldname": "target_hours", "label": _("Target (hours)"), "fieldtype": "Float", "width": 120},
		{"fieldname": "over_target", "label": _("Over Target"), "fieldtype": "Int", "width": 110},
		{"fieldname": "open_now", "label": _("Open Now"), "fieldtype": "Int", "width": 100},
		{"fieldname": "open_over_target", "label": _("Open Over Target"), "fieldtype": "Int", "width": 140},
		{"fieldname": "stage", "label": _("Stage Key"), "fieldtype": "Data", "hidden": 1},
	]


def case_columns() -> list[dict]:
	return [
		{
			"fieldname": "case_doctype",
			"label": _("Case Type"),
			"fieldtype": "Data",
			"width": 170,
		},
		{
			"fieldname": "case_name",
			"label": _("Case"),
			"fieldtype": "Dynamic Link",
			"options": "case_doctype",
			"width": 180,
		},
		{"fieldname": "stage_label", "label": _("Stage"), "fieldtype": "Data", "width": 140},
		{"fieldname": "person", "label": _("Person"), "fieldtype": "Link", "options": "User", "width": 180},
		{"fieldname": "entered", "label": _("Entered"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "left", "label": _("Left"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "still_open", "label": _("Still Open"), "fieldtype": "Check", "width": 90},
		{"fieldname": "hours", "label": _("Hours"), "fieldtype": "Float", "width": 90},
		{"fieldname": "target_hours", "label": _("Target (hours)"), "fieldtype": "Float", "width": 120},
	]


def chart(hours: dict[tuple, list], targets) -> dict | None:
	"""Median and 90th percentile per stage."""
	by_stage: dict[tuple, list] = {}
	for key, values in hours.items():
		by_stage.setdefault((key[0], key[1]), []).extend(values)
	if not by_stage:
		return None
	keys = sorted(by_stage)
	times = [step_times(by_stage[key], targets.get(key)) for key in keys]
	return {
		"data": {
			"labels": [f"{_(doctype)}: {_(stage)}" for doctype, stage in keys],
			"datasets": [
				{"name": _("Median (hours)"), "values": [float(each.median_hours or 0) for each in times]},
				{
					"name": _("90th Percentile (hours)"),
					"values": [float(each.p90_hours or 0) for each in times],
				},
			],
		},
		"type": "bar",
	}
