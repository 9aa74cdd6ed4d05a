# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The seed policies' measures of the after-sales team (SPEC §10) for a period, by month, department
or person, each with what counted and out of how many, so every figure can be checked.

A step counts in the month it was due (or, for receipts, done); one still open and not yet due does
not count yet. The formulas are core's (`core.kpis`); this report only reads the records.
"""

from collections.abc import Callable, Iterable

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.core.kpis import SATISFIED, month_of, on_time, rates_by
from aftersales_module.core.stages import Stage

MONTH, DEPARTMENT, PERSON = "Month", "Department", "Person"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	check_filters(filters)
	now = now_datetime()
	rows = []
	for measure in MEASURES:
		records = measure.records(filters)
		by_group = rates_by(
			records,
			key=lambda record, measure=measure: group_of(record, measure, filters.group_by),
			counts=lambda record, measure=measure: measure.counts(record, now),
		)
		for group, rate in sorted(by_group.items(), key=lambda item: str(item[0])):
			rows.append(
				{
					"measure": _(measure.label),
					"group": group,
					"numerator": rate.numerator,
					"denominator": rate.denominator,
					"value": rate.value,
				}
			)
	return get_columns(filters), rows


def check_filters(filters) -> None:
	if not filters.company or not frappe.db.exists("Company", filters.company):
		frappe.throw(_("Select the company to measure."), title=_("Company Needed"))
	if not (filters.from_date and filters.to_date) or getdate(filters.from_date) > getdate(filters.to_date):
		frappe.throw(_("Give a From Date on or before the To Date."), title=_("Period Needed"))
	filters.group_by = filters.group_by or MONTH
	if filters.group_by not in (MONTH, DEPARTMENT, PERSON):
		frappe.throw(
			_("Group by Month, Department or Person, not {0}.").format(filters.group_by), title=_("Group By")
		)


def group_of(record, measure, group_by: str) -> str:
	if group_by == PERSON:
		return record.person or _("Nobody yet")
	if group_by == DEPARTMENT:
		return _(measure.department)
	return month_of(get_datetime(record.counted_on))


class Measure:
	def __init__(self, label: str, department: str, records: Callable, counts: Callable):
		self.label, self.department, self.records, self.counts = label, department, records, counts


def period(filters) -> tuple:
	return get_datetime(filters.from_date), get_datetime(f"{filters.to_date} 23:59:59.999999")


def deadline_records(doctype: str, due_field: str, done_field: str, person_field: str) -> Callable:
	def read(filters) -> Iterable:
		start, end = period(filters)
		return frappe.get_all(
			doctype,
			filters={"company": filters.company, "docstatus": ("<", 2), due_field: ("between", (start, end))},
			fields=[
				f"{due_field} as due",
				f"{done_field} as done",
				f"{due_field} as counted_on",
				f"{person_field} as person",
			],
		)

	return read


def reviewed_records(filters) -> Iterable:
	"""Requests due for review in the period, with who moved them out of Review (the stage log)."""
	start, end = period(filters)
	return frappe.db.sql(
		f"""select request.review_due as due, request.reviewed_on as done, request.review_due as counted_on,
			coalesce(
				(select log.moved_by from `tab{STAGE_LOG}` log
				where log.reference_doctype = 'Return Request' and log.reference_name = request.name
					and log.from_stage = %(review)s order by log.moved_on limit 1),
				request.owner) as person
		from `tabReturn Request` request
		where request.company = %(company)s and request.docstatus = 1
			and request.review_due between %(start)s and %(end)s""",
		{"company": filters.company, "start": start, "end": end, "review": Stage.REVIEW.value},
		as_dict=True,
	)


def receipt_records(filters) -> Iterable:
	"""Goods received in the period: accurate when what arrived is what was asked for."""
	start, end = period(filters)
	return frappe.db.sql(
		f"""select log.moved_on as counted_on, log.moved_by as person, request.has_discrepancy
		from `tab{STAGE_LOG}` log
		join `tabReturn Request` request on request.name = log.reference_name
		where log.reference_doctype = 'Return Request' and log.to_stage = %(received)s
			and request.company = %(company)s and log.moved_on between %(start)s and %(end)s""",
		{"company": filters.company, "start": start, "end": end, "received": Stage.GOODS_RECEIVED.value},
		as_dict=True,
	)


def done_on_time(record, now) -> bool | None:
	return on_time(
		get_datetime(record.done) if record.done else None,
		get_datetime(record.due) if record.due else None,
		now,
	)


def rated_records(filters) -> Iterable:
	start, end = period(filters)
	return frappe.get_all(
		"Return Request",
		filters={"company": filters.company, "docstatus": 1, "rated_on": ("between", (start, end))},
		fields=["rated_on as counted_on", "owner as person", "satisfaction"],
	)


MEASURES = (
	Measure(
		"Return: customer told on time",
		"Customer Service",
		deadline_records("Return Request", "feedback_due", "customer_told_on", "owner"),
		done_on_time,
	),
	Measure("Return: reviewed on time", "Customer Service", reviewed_records, done_on_time),
	Measure(
		"Return-goods accuracy",
		"Warehouse",
		receipt_records,
		lambda record, now: not record.has_discrepancy,
	),
	Measure(
		"Return: customer satisfied",
		"Customer Service",
		rated_records,
		lambda record, now: record.satisfaction in SATISFIED,
	),
	Measure(
		"Inquiry: first response on time",
		"Customer Service",
		deadline_records("Inquiry Ticket", "response_by", "first_responded_on", "owner"),
		done_on_time,
	),
	Measure(
		"Inquiry: result fed back on time",
		"Customer Service",
		deadline_records("Inquiry Ticket", "result_by", "feedback_on", "owner"),
		done_on_time,
	),
	Measure(
		"Repair: customer contacted on time",
		"Repair",
		deadline_records("Repair Order", "first_contact_due", "first_contact_at", "technician"),
		done_on_time,
	),
)


def get_columns(filters) -> list[dict]:
	return [
		{"fieldname": "measure", "label": _("Measure"), "fieldtype": "Data", "width": 260},
		{"fieldname": "group", "label": _(filters.group_by), "fieldtype": "Data", "width": 180},
		{"fieldname": "numerator", "label": _("Counted"), "fieldtype": "Int", "width": 100},
		{"fieldname": "denominator", "label": _("Out Of"), "fieldtype": "Int", "width": 100},
		{"fieldname": "value", "label": _("Rate"), "fieldtype": "Percent", "width": 100},
	]
