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

from datetime import timedelta
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
	Step,
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
	if filters.show_cases:
		steps = finished_steps(filters) + open_over_target(filters, targets)
		return case_columns(), over_target_rows(steps, targets)
	hours = hours_by_group(filters)
	rows = summary_rows(hours, open_by_group(filters, targets), targets, filters)
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


def open_cases_sql(doctype: str, stage_field: str, over_before: dict[str, object]) -> str:
	"""A case type's cases sitting now in one of the stages asked for, each with when it entered its
	stage (its latest move into it, core's `open_steps`) and whether that is before the stage's
	`over_before` time (over target now): the case's stage and its moves are read from indexes alone."""
	due = " ".join(
		f"when {frappe.db.escape(stage)} then {frappe.db.escape(str(before))}"
		for stage, before in over_before.items()
	)
	return f"""select name, stage, entered, entered < case stage {due} end as over_target from (
			select case_.name, case_.`{stage_field}` as stage, max(log.moved_on) as entered
			from `tab{doctype}` case_
			join `tab{STAGE_LOG}` log on log.reference_name = case_.name
				and log.reference_doctype = {frappe.db.escape(doctype)} and log.to_stage = case_.`{stage_field}`
			where case_.`{stage_field}` in %(open_stages)s and case_.company = %(company)s
				and case_.docstatus < 2
			group by case_.name, case_.`{stage_field}`
		) open_now where entered <= %(until)s"""


def open_stage_times(filters, targets) -> dict[str, dict[str, object]]:
	"""{case type: {stage: the time before which a case that entered the stage is over target now}}
	for the stages the company gives a target that are not final (a target of nothing or 0 times
	nobody out)."""
	doctypes = [filters.case_doctype] if filters.case_doctype else list(CASE_STAGE_FIELDS)
	now, stages = now_datetime(), {}
	for (doctype, stage), target in targets.items():
		if doctype not in doctypes or stage in FINAL_STAGES.get(doctype, frozenset()):
			continue
		if filters.stage and stage != filters.stage:
			continue
		no_target = target in (None, "", 0)
		stages.setdefault(doctype, {})[stage] = now.min if no_target else now - timedelta(hours=float(target))
	return stages


def open_params(filters, stages: dict) -> dict:
	params = period_params(filters)
	return {**params, "open_stages": tuple(stages), "until": min(now_datetime(), params["end"])}


def open_by_group(filters, targets) -> dict[tuple, tuple[int, int]]:
	"""{(case type, stage[, person]): (steps open now, how many of them over target)}, counted in the
	database; an open step has nobody yet who moved the case on."""
	groups: dict[tuple, tuple[int, int]] = {}
	for doctype, stages in open_stage_times(filters, targets).items():
		rows = frappe.db.sql(
			f"""select stage, count(*), sum(over_target)
			from ({open_cases_sql(doctype, CASE_STAGE_FIELDS[doctype], stages)}) open_steps group by stage""",
			open_params(filters, stages),
		)
		for stage, steps, over in rows:
			key = (doctype, stage) + (("",) if filters.group_by == PERSON else ())
			groups[key] = (int(steps), int(over or 0))
	return groups


def open_over_target(filters, targets) -> list[Step]:
	"""The steps open now and over target (core's `Step`), timed up to now; the cases under target
	are not read."""
	now, steps = now_datetime(), []
	for doctype, stages in open_stage_times(filters, targets).items():
		rows = frappe.db.sql(
			f"""{open_cases_sql(doctype, CASE_STAGE_FIELDS[doctype], stages)} having over_target""",
			open_params(filters, stages),
		)
		steps += [
			Step((doctype, name), stage, entered, now, None, still_open=True)
			for name, stage, entered, _over in rows
		]
	return steps


def summary_rows(hours: dict[tuple, list], open_counts: dict[tuple, tuple], targets, filters) -> list[dict]:
	rows = []
	for key in sorted(set(hours) | set(open_counts)):
		doctype, stage = key[0], key[1]
		target = targets.get((doctype, stage))
		times = step_times(hours.get(key, []), target)
		open_now, open_over = open_counts.get(key, (0, 0))
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
				"open_now": open_now,
				"open_over_target": open_over,
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
