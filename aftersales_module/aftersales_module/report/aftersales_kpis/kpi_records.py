# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The share measures of the KPI report: for each, the case steps that count in a period, when each
counts (its month), who did it and whether it counted.

Each measure is read two ways from the same SQL source: summed per month, department or person in
the database (the figures: the report stays fast at any volume), and case by case (the cases behind
a figure), where core's rule (`core.kpis`) judges each step. The SQL `result` says the same as core's
rule — 1 counted, 0 not, NULL not yet — and the integration tests hold the two to the same figures.

A step counts in the month it was due (or, for receipts, ratings and finished repairs, done); one
still open and not yet due does not count yet."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import frappe
from frappe.utils import cint, get_datetime

from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_ratios import company_setting
from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.core.dispatch import DISPATCH_RULES, DispatchRule, dispatch_window, dispatched_on_time
from aftersales_module.core.kpis import SATISFIED, Measure, on_time, repair_passed, resolved
from aftersales_module.core.mail_in import TAKEN_OVER
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
MONTH, DEPARTMENT, PERSON = "Month", "Department", "Person"


def period(filters) -> dict:
	"""The statements' parameters, worked out once per run of the report."""
	if not filters.get("sql_params"):
		filters.sql_params = sql_params(filters)
	return filters.sql_params


def sql_params(filters) -> dict:
	start, end = get_datetime(filters.from_date), get_datetime(f"{filters.to_date} 23:59:59.999999")
	window = dispatch_window(company_setting(filters.company, "dispatch_due_hours"))
	return {
		"company": filters.company,
		"start": start,
		"end": end,
		# a shipment due in the period was made due this much earlier
		"dispatch_seconds": int(window.total_seconds()),
		"made_due_from": start - window,
		"made_due_to": end - window,
		"from_date": filters.from_date,
		"to_date": filters.to_date,
		"now": filters.now,
		"repair_hours": repair_hours(filters.company),
		"review": Stage.REVIEW.value,
		"received": Stage.GOODS_RECEIVED.value,
		"finished": REPAIR_FINISHED,
	}


def repair_hours(company: str) -> int:
	return cint(company_setting(company, "repair_due_hours")) or DEFAULT_REPAIR_HOURS


def on_time_sql(done: str, due: str) -> str:
	"""Core's `on_time` in SQL: done by the due time; open and overdue is late; open and not yet due,
	or without a due time, does not count yet."""
	return f"(case when {done} is not null then {done} <= {due} when {due} < %(now)s then 0 end)"


@dataclass(frozen=True)
class ShareMeasure:
	measure: Measure
	department: str
	case_doctype: str
	# `from ... where ...` over the period, the case aliased `case_`
	source: str
	counted_on: str
	person: str
	# 1 counted, 0 not, NULL not yet: as `counts` judges each case
	result: str
	counts: Callable
	# more columns for the case-by-case reading that `counts` needs
	facts: dict = field(default_factory=dict)

	def group_sql(self, group_by: str) -> str:
		if group_by == PERSON:
			return f"ifnull({self.person}, '')"
		if group_by == DEPARTMENT:
			return frappe.db.escape(self.department)
		return f"date_format({self.counted_on}, '%%Y-%%m')"

	def figures(self, filters, group_by: str) -> dict[str, tuple[int, int]]:
		"""{group: (counted, judged)}, summed in the database."""
		rows = frappe.db.sql(
			f"""select {self.group_sql(group_by)} as grouping, sum({self.result} = 1), count({self.result})
			{self.source} group by grouping""",
			period(filters),
		)
		return {group: (int(counted or 0), int(judged or 0)) for group, counted, judged in rows}

	def records(self, filters) -> list:
		"""The cases behind the figures, each judged by core's rule."""
		facts = "".join(f", {expression} as {name}" for name, expression in self.facts.items())
		records = frappe.db.sql(
			f"""select case_.name as case_name, {self.counted_on} as counted_on, {self.person} as person
			{facts} {self.source}""",
			period(filters),
			as_dict=True,
		)
		for record in records:
			record.case_doctype = self.case_doctype
			record.counted = self.counts(record, filters.now)
		return records


def deadline_measure(
	measure: Measure,
	department: str,
	doctype: str,
	due: str,
	done: str,
	person: str = "owner",
	docstatus: str = "< 2",
	extra: str = "",
) -> ShareMeasure:
	return ShareMeasure(
		measure,
		department,
		doctype,
		f"""from `tab{doctype}` case_ where case_.company = %(company)s and case_.docstatus {docstatus}
			and case_.{due} between %(start)s and %(end)s {extra}""",
		counted_on=f"case_.{due}",
		person=f"case_.{person}",
		result=on_time_sql(f"case_.{done}", f"case_.{due}"),
		counts=done_on_time,
		facts={"due": f"case_.{due}", "done": f"case_.{done}"},
	)


def done_on_time(record, now) -> bool | None:
	return on_time(
		get_datetime(record.done) if record.done else None,
		get_datetime(record.due) if record.due else None,
		now,
	)


# Who moved a request out of Review reviewed it (the stage log); before any move, whoever took it.
REVIEWER = f"""coalesce(
	(select log.moved_by from `tab{STAGE_LOG}` log
	where log.reference_doctype = 'Return Request' and log.reference_name = case_.name
		and log.from_stage = %(review)s order by log.moved_on limit 1),
	case_.owner)"""

RECEIVED = f"""from `tab{STAGE_LOG}` log
	join `tabReturn Request` case_ on case_.name = log.reference_name
	where log.reference_doctype = 'Return Request' and log.to_stage = %(received)s
		and log.company = %(company)s and log.moved_on between %(start)s and %(end)s"""

# A repair finished twice (reopened) counts at its last finish in the period.
FINISHED_REPAIRS = f"""from `tab{STAGE_LOG}` log
	join `tabRepair Order` case_ on case_.name = log.reference_name
	where log.reference_doctype = 'Repair Order' and log.to_stage in %(finished)s
		and log.company = %(company)s and log.moved_on between %(start)s and %(end)s
		and not exists (select 1 from `tab{STAGE_LOG}` later
			where later.reference_doctype = 'Repair Order' and later.reference_name = log.reference_name
				and later.to_stage in %(finished)s and later.moved_on > log.moved_on
				and later.moved_on <= %(end)s)"""
REPAIR_DUE = "case_.opened_on + interval %(repair_hours)s hour"

REJECTED = "(case_.stage = 'Rejected' or trim(ifnull(case_.rejection_reason, '')) != '')"


def repair_done_on_time(record, now) -> bool | None:
	due = get_datetime(record.opened_on) + timedelta(hours=record.repair_hours) if record.opened_on else None
	return on_time(get_datetime(record.counted_on), due, now)


# ---- dispatch on-time rate 發貨及時率 (core.dispatch) ----------------------------------------------------


def shipment_sql(entry_types: tuple[str, ...], column: str) -> str:
	"""The request's first submitted shipment of these types: when it left, or who sent it."""
	types = ", ".join(frappe.db.escape(each) for each in entry_types)
	return f"""(select {column} from `tabStock Entry` se
		where se.aftersales_return_request = rr.name and se.docstatus = 1 and se.stock_entry_type in ({types})
		order by se.posting_date, se.posting_time limit 1)"""


def dispatch_branch(rule: DispatchRule) -> str:
	"""The shipments one rule makes due in the period, read through the stage log's or the request's
	index on when the step was taken."""
	shipped_at = shipment_sql(rule.entry_types, "timestamp(se.posting_date, se.posting_time)")
	columns = f"""rr.name, rr.docstatus, {{made_due}} as made_due_at,
		{{made_due}} + interval %(dispatch_seconds)s second as due,
		{shipped_at} as shipped_at, {shipment_sql(rule.entry_types, "se.owner")} as shipper"""
	if rule.stage is None:  # the customer accepted the test report; a unit taken over is not shipped back
		return f"""select {columns.format(made_due="rr.test_report_accepted_on")},
			ifnull(rr.test_unit_status, '') != {frappe.db.escape(TAKEN_OVER)} as owed
		from `tabReturn Request` rr where rr.company = %(company)s and rr.docstatus = 1
			and rr.test_report_accepted_on between %(made_due_from)s and %(made_due_to)s"""
	types = ", ".join(frappe.db.escape(each) for each in rule.request_types)
	stage = frappe.db.escape(rule.stage.value)
	return f"""select {columns.format(made_due="log.moved_on")}, (case when {REJECTED.replace("case_.", "rr.")} then 0 else 1 end) as owed
		from `tab{STAGE_LOG}` log join `tabReturn Request` rr on rr.name = log.reference_name
		where log.reference_doctype = 'Return Request' and log.to_stage = {stage}
			and log.company = %(company)s and log.moved_on between %(made_due_from)s and %(made_due_to)s
			and rr.docstatus = 1 and rr.request_type in ({types})
			and not exists (select 1 from `tab{STAGE_LOG}` earlier
				where earlier.reference_doctype = 'Return Request' and earlier.reference_name = log.reference_name
					and earlier.to_stage = {stage} and earlier.moved_on < log.moved_on)"""


def dispatch_source() -> str:
	return f"from ({' union all '.join(dispatch_branch(rule) for rule in DISPATCH_RULES)}) case_"


def dispatch_counts(record, now) -> bool | None:
	return dispatched_on_time(
		get_datetime(record.shipped_at) if record.shipped_at else None,
		get_datetime(record.made_due_at) if record.made_due_at else None,
		timedelta(seconds=int(record.window_seconds)),
		now,
		bool(record.owed),
	)


DISPATCH_ON_TIME = ShareMeasure(
	Measure.DISPATCH_ON_TIME,
	WAREHOUSE,
	"Return Request",
	dispatch_source(),
	counted_on="case_.due",
	person="case_.shipper",
	result="""(case when case_.shipped_at is not null then case_.shipped_at <= case_.due
		when not case_.owed then null when case_.due < %(now)s then 0 end)""",
	counts=dispatch_counts,
	facts={
		"made_due_at": "case_.made_due_at",
		"shipped_at": "case_.shipped_at",
		"owed": "case_.owed",
		"window_seconds": "%(dispatch_seconds)s",
	},
)

SHARE_MEASURES = (
	deadline_measure(
		Measure.RETURN_TOLD_ON_TIME, CUSTOMER_SERVICE, "Return Request", "feedback_due", "customer_told_on"
	),
	ShareMeasure(
		Measure.RETURN_REVIEWED_ON_TIME,
		CUSTOMER_SERVICE,
		"Return Request",
		"""from `tabReturn Request` case_ where case_.company = %(company)s and case_.docstatus = 1
			and case_.review_due between %(start)s and %(end)s""",
		counted_on="case_.review_due",
		person=REVIEWER,
		result=on_time_sql("case_.reviewed_on", "case_.review_due"),
		counts=done_on_time,
		facts={"due": "case_.review_due", "done": "case_.reviewed_on"},
	),
	ShareMeasure(
		Measure.RETURN_ACCURACY,
		WAREHOUSE,
		"Return Request",
		RECEIVED,
		counted_on="log.moved_on",
		person="log.moved_by",
		result="(case when case_.has_discrepancy then 0 else 1 end)",
		counts=lambda record, now: not record.has_discrepancy,
		facts={"has_discrepancy": "case_.has_discrepancy"},
	),
	ShareMeasure(
		Measure.RETURN_SATISFACTION,
		CUSTOMER_SERVICE,
		"Return Request",
		"""from `tabReturn Request` case_ where case_.company = %(company)s and case_.docstatus = 1
			and case_.rated_on between %(start)s and %(end)s""",
		counted_on="case_.rated_on",
		person="case_.owner",
		result=f"""(case when case_.satisfaction in ({", ".join(frappe.db.escape(each) for each in SATISFIED)})
			then 1 when ifnull(case_.satisfaction, '') != '' then 0 end)""",
		counts=lambda record, now: record.satisfaction in SATISFIED if record.satisfaction else None,
		facts={"satisfaction": "case_.satisfaction"},
	),
	ShareMeasure(
		Measure.RETURN_RESOLVED,
		CUSTOMER_SERVICE,
		"Return Request",
		"""from `tabReturn Request` case_ where case_.company = %(company)s and case_.docstatus = 1
			and case_.request_date between %(from_date)s and %(to_date)s""",
		counted_on="case_.request_date",
		person="case_.owner",
		result=f"(case when {REJECTED} then 0 when case_.stage in ('Refunded', 'Closed') then 1 end)",
		counts=lambda record, now: resolved(record.stage, bool(record.rejected)),
		facts={"stage": "case_.stage", "rejected": REJECTED},
	),
	deadline_measure(
		Measure.INQUIRY_RESPONSE_ON_TIME,
		CUSTOMER_SERVICE,
		"Inquiry Ticket",
		"response_by",
		"first_responded_on",
	),
	deadline_measure(
		Measure.INQUIRY_RESULT_ON_TIME, CUSTOMER_SERVICE, "Inquiry Ticket", "result_by", "feedback_on"
	),
	deadline_measure(
		Measure.ANOMALY_ON_TIME,
		LOGISTICS,
		"Inquiry Ticket",
		"result_by",
		"feedback_on",
		extra="and ifnull(case_.anomaly, '') != ''",
	),
	deadline_measure(
		Measure.REPAIR_CONTACT_ON_TIME,
		REPAIR,
		"Repair Order",
		"first_contact_due",
		"first_contact_at",
		person="technician",
	),
	ShareMeasure(
		Measure.REPAIR_PASSED,
		REPAIR,
		"Repair Order",
		FINISHED_REPAIRS,
		counted_on="log.moved_on",
		person="log.moved_by",
		result="(case when log.to_stage = 'Completed' then 1 else 0 end)",
		counts=lambda record, now: repair_passed(record.finished_as),
		facts={"finished_as": "log.to_stage"},
	),
	ShareMeasure(
		Measure.REPAIR_ON_TIME,
		REPAIR,
		"Repair Order",
		FINISHED_REPAIRS,
		counted_on="log.moved_on",
		person="log.moved_by",
		result=on_time_sql("log.moved_on", REPAIR_DUE),
		counts=repair_done_on_time,
		facts={"opened_on": "case_.opened_on", "repair_hours": "%(repair_hours)s"},
	),
	DISPATCH_ON_TIME,
)
