# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The records behind each share measure of the KPI report: one per case step that counts, with the
case it belongs to, when it counts (its month), who did it, and whether it counted.

A step counts in the month it was due (or, for receipts, ratings and finished repairs, done); one
still open and not yet due does not count yet. The formulas are core's (`core.kpis`)."""

from collections.abc import Callable, Iterable
from datetime import timedelta

import frappe
from frappe.utils import cint, get_datetime

from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.core.kpis import SATISFIED, Measure, on_time, repair_passed, resolved
from aftersales_module.core.stages import Stage

CUSTOMER_SERVICE, WAREHOUSE, LOGISTICS, REPAIR, FINANCE = (
	"Customer Service",
	"Warehouse",
	"Logistics",
	"Repair",
	"Finance",
)
REPAIR_FINISHED = ("Completed", "Unrepairable", "Scrapped")
DEFAULT_REPAIR_HOURS = 72


def period(filters) -> tuple:
	return get_datetime(filters.from_date), get_datetime(f"{filters.to_date} 23:59:59.999999")


def deadline_records(doctype: str, due_field: str, done_field: str, person_field: str, **extra) -> Callable:
	def read(filters) -> Iterable:
		start, end = period(filters)
		return of_doctype(
			doctype,
			frappe.get_all(
				doctype,
				filters={
					"company": filters.company,
					"docstatus": ("<", 2),
					due_field: ("between", (start, end)),
					**extra,
				},
				fields=[
					"name as case_name",
					f"{due_field} as due",
					f"{done_field} as done",
					f"{due_field} as counted_on",
					f"{person_field} as person",
				],
			),
		)

	return read


def of_doctype(doctype: str, records: list) -> list:
	for record in records:
		record.case_doctype = doctype
	return records


def reviewed_records(filters) -> Iterable:
	"""Requests due for review in the period, with who moved them out of Review (the stage log)."""
	start, end = period(filters)
	return frappe.db.sql(
		f"""select 'Return Request' as case_doctype, request.name as case_name, request.review_due as due,
			request.reviewed_on as done, request.review_due as counted_on,
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
		f"""select 'Return Request' as case_doctype, request.name as case_name, log.moved_on as counted_on,
			log.moved_by as person, request.has_discrepancy
		from `tab{STAGE_LOG}` log
		join `tabReturn Request` request on request.name = log.reference_name
		where log.reference_doctype = 'Return Request' and log.to_stage = %(received)s
			and log.company = %(company)s and log.moved_on between %(start)s and %(end)s""",
		{"company": filters.company, "start": start, "end": end, "received": Stage.GOODS_RECEIVED.value},
		as_dict=True,
	)


def rated_records(filters) -> Iterable:
	start, end = period(filters)
	return of_doctype(
		"Return Request",
		frappe.get_all(
			"Return Request",
			filters={"company": filters.company, "docstatus": 1, "rated_on": ("between", (start, end))},
			fields=["name as case_name", "rated_on as counted_on", "owner as person", "satisfaction"],
		),
	)


def requested_records(filters) -> Iterable:
	"""Return requests taken in the period, with where they stand now."""
	return of_doctype(
		"Return Request",
		frappe.get_all(
			"Return Request",
			filters={
				"company": filters.company,
				"docstatus": 1,
				"request_date": ("between", (filters.from_date, filters.to_date)),
			},
			fields=[
				"name as case_name",
				"request_date as counted_on",
				"owner as person",
				"stage",
				"rejection_reason",
			],
		),
	)


def finished_repair_records(filters) -> Iterable:
	"""Repairs finished in the period (the stage log's move to Completed, Unrepairable or Scrapped),
	by the technician who finished them; a repair finished twice counts at its last finish. It is on
	time when finished within the company's Repair Within hours of being opened."""
	start, end = period(filters)
	hours = cint(
		frappe.db.get_value(
			"Aftersales Company Settings",
			{"parenttype": "Aftersales Settings", "company": filters.company},
			"repair_due_hours",
		)
	)
	records = frappe.db.sql(
		f"""select 'Repair Order' as case_doctype, repair.name as case_name, log.moved_on as counted_on,
			log.moved_by as person, log.to_stage as finished_as, repair.opened_on
		from `tab{STAGE_LOG}` log
		join `tabRepair Order` repair on repair.name = log.reference_name
		where log.reference_doctype = 'Repair Order' and log.company = %(company)s
			and log.to_stage in %(finished)s and log.moved_on between %(start)s and %(end)s
			and not exists (select 1 from `tab{STAGE_LOG}` later
				where later.reference_doctype = 'Repair Order' and later.reference_name = log.reference_name
					and later.to_stage in %(finished)s and later.moved_on > log.moved_on
					and later.moved_on <= %(end)s)""",
		{"company": filters.company, "start": start, "end": end, "finished": REPAIR_FINISHED},
		as_dict=True,
	)
	for record in records:
		record.done = record.counted_on
		record.due = (
			get_datetime(record.opened_on) + timedelta(hours=hours or DEFAULT_REPAIR_HOURS)
			if record.opened_on
			else None
		)
	return records


def done_on_time(record, now) -> bool | None:
	return on_time(
		get_datetime(record.done) if record.done else None,
		get_datetime(record.due) if record.due else None,
		now,
	)


class ShareMeasure:
	def __init__(self, measure: Measure, department: str, records: Callable, counts: Callable):
		self.measure, self.department, self.records, self.counts = measure, department, records, counts


SHARE_MEASURES = (
	ShareMeasure(
		Measure.RETURN_TOLD_ON_TIME,
		CUSTOMER_SERVICE,
		deadline_records("Return Request", "feedback_due", "customer_told_on", "owner"),
		done_on_time,
	),
	ShareMeasure(Measure.RETURN_REVIEWED_ON_TIME, CUSTOMER_SERVICE, reviewed_records, done_on_time),
	ShareMeasure(
		Measure.RETURN_ACCURACY, WAREHOUSE, receipt_records, lambda record, now: not record.has_discrepancy
	),
	ShareMeasure(
		Measure.RETURN_SATISFACTION,
		CUSTOMER_SERVICE,
		rated_records,
		lambda record, now: record.satisfaction in SATISFIED,
	),
	ShareMeasure(
		Measure.RETURN_RESOLVED,
		CUSTOMER_SERVICE,
		requested_records,
		lambda record, now: resolved(
			record.stage,
			record.stage == Stage.REJECTED.value or bool((record.rejection_reason or "").strip()),
		),
	),
	ShareMeasure(
		Measure.INQUIRY_RESPONSE_ON_TIME,
		CUSTOMER_SERVICE,
		deadline_records("Inquiry Ticket", "response_by", "first_responded_on", "owner"),
		done_on_time,
	),
	ShareMeasure(
		Measure.INQUIRY_RESULT_ON_TIME,
		CUSTOMER_SERVICE,
		deadline_records("Inquiry Ticket", "result_by", "feedback_on", "owner"),
		done_on_time,
	),
	ShareMeasure(
		Measure.ANOMALY_ON_TIME,
		LOGISTICS,
		deadline_records("Inquiry Ticket", "result_by", "feedback_on", "owner", anomaly=("is", "set")),
		done_on_time,
	),
	ShareMeasure(
		Measure.REPAIR_CONTACT_ON_TIME,
		REPAIR,
		deadline_records("Repair Order", "first_contact_due", "first_contact_at", "technician"),
		done_on_time,
	),
	ShareMeasure(
		Measure.REPAIR_PASSED,
		REPAIR,
		finished_repair_records,
		lambda record, now: repair_passed(record.finished_as),
	),
	ShareMeasure(Measure.REPAIR_ON_TIME, REPAIR, finished_repair_records, done_on_time),
)
