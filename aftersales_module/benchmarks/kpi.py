"""The KPI reports at a real company's volume (sections='kpi'): the Aftersales KPIs report, the Return
Analysis and the Slow Steps report over the last 30 days of the bulk history, each timed next to a
hand-written SQL aggregate of the same figures, and the figures compared.

The bulk cases of `volume` carry no deadlines, ratings or stage moves; this section adds them once,
spread as a working desk has them (most steps on time, one in ten late, a few receipts that do not
match the request), with the stage log's moves, complaints and after-sales cost entries, all named
BENCH-… like the rest of the volume."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import frappe
from frappe.utils import add_days, now_datetime, nowdate

from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_ratios import company_setting
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_records import repair_hours
from aftersales_module.benchmarks.kpi_dispatch_steps import a_target_on_every_open_stage, raw_dispatches
from aftersales_module.benchmarks.measure import Series, heading, ratio, say, timed
from aftersales_module.benchmarks.site_data import COMPANY
from aftersales_module.benchmarks.volume import DAYS, PREFIX, numbers
from aftersales_module.core.dispatch import dispatch_window

STAGE_LOG = "Aftersales Stage Log"
COST = "After-sales cost against budget"
STAFF = 20
# Each submitted bulk case moves through these stages, hours after it was taken.
CASE_MOVES = (
	("Draft", "Review", "0", "'Aftersales Customer Service'"),
	("Review", "Approved", "(seq mod 40) + 1", "'Aftersales Sales Approver'"),
	("Approved", "Goods Received", "48 + (seq mod 72)", "'Aftersales Warehouse'"),
	("Goods Received", "Closed", "144 + (seq mod 48)", "'Aftersales Customer Service'"),
)
COMPLAINTS = 5000
COST_ENTRIES = 20_000


def staff(number_sql: str) -> str:
	return f"concat('bench-staff-', lpad(({number_sql}) mod {STAFF}, 2, '0'), '@example.com')"


def case_number(name_sql: str, prefix: str) -> str:
	return f"cast(substring({name_sql}, {len(prefix) + 1}) as signed)"


# ---- the facts the measures read ------------------------------------------------------------------


def kpi_facts_present() -> bool:
	return bool(
		frappe.db.sql(f"select 1 from `tab{STAGE_LOG}` where name like %s limit 1", f"{PREFIX}SL-%")
	) and frappe.db.count("Return Request", {"name": f"{PREFIX}RR-0000001", "feedback_due": ("is", "set")})


def add_kpi_facts() -> None:
	say("  adding deadlines, ratings, stage moves, complaints and cost entries to the bulk cases ...")
	add_case_deadlines()
	add_case_moves()
	add_repair_facts()
	add_ticket_deadlines()
	add_complaints()
	add_cost_entries()
	frappe.db.commit()  # nosemgrep: bulk history is committed as it is written


def add_case_deadlines() -> None:
	"""Told within 24 h and reviewed within 48 h, one in ten late; one receipt in 25 does not match;
	closed cases rated, three in five satisfied."""
	seq = case_number("name", f"{PREFIX}RR-")
	frappe.db.sql(
		f"""update `tabReturn Request` set
			feedback_due = creation + interval 24 hour,
			customer_told_on = creation + interval if({seq} mod 10 = 0, 30, {seq} mod 20) hour,
			review_due = creation + interval 48 hour,
			reviewed_on = if(docstatus = 1, creation + interval if({seq} mod 8 = 0, 60, ({seq} mod 40) + 1) hour, null),
			has_discrepancy = {seq} mod 25 = 0,
			satisfaction = if(status = 'Closed', elt({seq} mod 5 + 1, 'Very Satisfied', 'Satisfied',
				'Satisfied', 'Neutral', 'Unsatisfied'), null),
			rated_on = if(status = 'Closed', creation + interval 8 day, null),
			rejection_reason = if(stage = 'Rejected', 'Not eligible', rejection_reason),
			owner = {staff(seq)}
		where name like %s""",
		f"{PREFIX}RR-%",
	)


def add_case_moves() -> None:
	"""The stage log of the submitted bulk cases: up to four moves each, by the staff of each role."""
	frappe.db.sql(f"delete from `tab{STAGE_LOG}` where name like %s", f"{PREFIX}SL-%")
	seq = case_number("request.name", f"{PREFIX}RR-")
	for position, (from_stage, to_stage, hours, _role) in enumerate(CASE_MOVES, 1):
		frappe.db.sql(
			f"""insert into `tab{STAGE_LOG}` (name, creation, modified, modified_by, owner, docstatus,
				reference_doctype, reference_name, company, from_stage, to_stage, moved_on, moved_by)
			select concat('{PREFIX}SL-', request.name, '-{position}'), now(), now(), 'Administrator',
				'Administrator', 0, 'Return Request', request.name, request.company, %(from_stage)s,
				%(to_stage)s, request.creation + interval ({hours.replace("seq", seq)}) hour,
				{staff(f"{seq} + {position}")}
			from `tabReturn Request` request
			where request.name like %(bulk)s and request.docstatus = 1
				and ({position} <= 2 or request.stage in ('Goods Received', 'Refunded', 'Closed'))
				and ({position} <= 3 or request.stage = 'Closed')""",
			{"from_stage": from_stage, "to_stage": to_stage, "bulk": f"{PREFIX}RR-%"},
		)


def add_repair_facts() -> None:
	"""First contact due a day after opening (one in six late); finished repairs moved by their
	technician within one to six days."""
	seq = case_number("name", f"{PREFIX}RO-")
	frappe.db.sql(
		f"""update `tabRepair Order` set first_contact_due = opened_on + interval 24 hour,
			first_contact_at = opened_on + interval if({seq} mod 6 = 0, 30, {seq} mod 20) hour,
			technician = {staff(seq)}
		where name like %s""",
		f"{PREFIX}RO-%",
	)
	seq = case_number("repair.name", f"{PREFIX}RO-")
	frappe.db.sql(
		f"""insert into `tab{STAGE_LOG}` (name, creation, modified, modified_by, owner, docstatus,
			reference_doctype, reference_name, company, from_stage, to_stage, moved_on, moved_by)
		select concat('{PREFIX}SL-', repair.name), now(), now(), 'Administrator', 'Administrator', 0,
			'Repair Order', repair.name, repair.company, 'In Repair', repair.status,
			repair.opened_on + interval (24 + {seq} mod 120) hour, repair.technician
		from `tabRepair Order` repair
		where repair.name like %s and repair.status in ('Completed', 'Unrepairable')""",
		f"{PREFIX}RO-%",
	)


def add_ticket_deadlines() -> None:
	seq = case_number("name", f"{PREFIX}IT-")
	frappe.db.sql(
		f"""update `tabInquiry Ticket` set response_by = opened_on + interval 30 minute,
			result_by = opened_on + interval 3 day,
			feedback_on = if(status = 'Open', null, opened_on + interval if({seq} mod 9 = 0, 80, 30) hour),
			anomaly = if({seq} mod 10 = 0, 'Delayed', null)
		where name like %s""",
		f"{PREFIX}IT-%",
	)


def add_complaints() -> None:
	frappe.db.sql("delete from `tabAftersales Complaint` where name like %s", f"{PREFIX}CMP-%")
	frappe.db.sql(
		f"""insert into `tabAftersales Complaint` (name, creation, modified, modified_by, owner, docstatus,
			company, customer, customer_name, posting_date, channel, category, status, description,
			is_malicious)
		select concat('{PREFIX}CMP-', lpad(seq, 6, '0')), now(), now(), 'Administrator',
			{staff("seq")}, 0, {frappe.db.escape(COMPANY)}, concat('{PREFIX}CUST-', lpad(seq mod 5000, 5, '0')),
			concat('{PREFIX}CUST-', lpad(seq mod 5000, 5, '0')), curdate() - interval (seq * 3 mod {DAYS}) day,
			'Hotline', 'Service Attitude', 'Closed', 'Nobody called back', seq mod 20 = 0
		from {numbers(COMPLAINTS)}"""
	)


def add_cost_entries() -> None:
	"""After-sales cost on the company's after-sales cost center: GL entries without vouchers."""
	settings = frappe.db.get_value(
		"Aftersales Company Settings",
		{"parenttype": "Aftersales Settings", "company": COMPANY},
		["cost_center", "warranty_expense_account", "complaint_orders_from"],
		as_dict=True,
	)
	frappe.db.set_value(
		"Aftersales Company Settings",
		{"parenttype": "Aftersales Settings", "company": COMPANY},
		"complaint_orders_from",
		"Sales Invoice",
	)
	frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
	frappe.db.sql("delete from `tabGL Entry` where name like %s", f"{PREFIX}GLE-%")
	frappe.db.sql(
		f"""insert into `tabGL Entry` (name, creation, modified, modified_by, owner, docstatus, company,
			posting_date, account, cost_center, debit, credit, debit_in_account_currency,
			credit_in_account_currency, voucher_type, voucher_no, is_cancelled)
		select concat('{PREFIX}GLE-', lpad(seq, 6, '0')), now(), now(), 'Administrator', 'Administrator',
			1, {frappe.db.escape(COMPANY)}, curdate() - interval (seq mod {DAYS}) day,
			{frappe.db.escape(settings.warranty_expense_account)}, {frappe.db.escape(settings.cost_center)},
			20 + seq mod 50, 0, 20 + seq mod 50, 0, 'Journal Entry', concat('{PREFIX}JV-', lpad(seq, 6, '0')), 0
		from {numbers(COST_ENTRIES)}"""
	)


# ---- the same figures by hand -------------------------------------------------------------------


def on_time_sql(done: str, due: str) -> tuple[str, str]:
	"""(counted, judged) as SQL sums, by core's rule: done by the due time; open and overdue is late;
	open and not yet due does not count."""
	judged = f"({done} is not null or {due} < %(now)s)"
	return f"sum({done} is not null and {done} <= {due})", f"sum({judged})"


def raw_kpis_by_month(start: str, end: str, now=None) -> dict:
	"""The KPI report's share figures by month, in one hand-written statement; `now` decides which
	open steps are overdue (the report's own clock, when the figures are compared)."""
	told = on_time_sql("customer_told_on", "feedback_due")
	reviewed = on_time_sql("reviewed_on", "review_due")
	response = on_time_sql("first_responded_on", "response_by")
	result = on_time_sql("feedback_on", "result_by")
	contact = on_time_sql("first_contact_at", "first_contact_due")
	repaired = on_time_sql("log.moved_on", "repair.opened_on + interval %(repair_hours)s hour")
	args = {
		"company": COMPANY,
		"start": start,
		"end": f"{end} 23:59:59.999999",
		"now": now or now_datetime(),
		"repair_hours": repair_hours(COMPANY),
		"dispatch_seconds": int(
			dispatch_window(company_setting(COMPANY, "dispatch_due_hours")).total_seconds()
		),
		"cost_center": frappe.db.get_value(
			"Aftersales Company Settings",
			{"parenttype": "Aftersales Settings", "company": COMPANY},
			"cost_center",
		),
	}
	statement = f"""
		select 'Return: customer told on time', date_format(feedback_due, '%%Y-%%m'), {told[0]}, {told[1]}
		from `tabReturn Request` where company = %(company)s and docstatus < 2
			and feedback_due between %(start)s and %(end)s group by 2
		union all
		select 'Return: reviewed on time', date_format(review_due, '%%Y-%%m'), {reviewed[0]}, {reviewed[1]}
		from `tabReturn Request` where company = %(company)s and docstatus = 1
			and review_due between %(start)s and %(end)s group by 2
		union all
		select 'Return-goods accuracy', date_format(log.moved_on, '%%Y-%%m'), sum(not request.has_discrepancy), count(*)
		from `tab{STAGE_LOG}` log join `tabReturn Request` request on request.name = log.reference_name
		where log.reference_doctype = 'Return Request' and log.to_stage = 'Goods Received'
			and log.company = %(company)s and log.moved_on between %(start)s and %(end)s group by 2
		union all
		select 'Return: customer satisfied', date_format(rated_on, '%%Y-%%m'),
			sum(satisfaction in ('Very Satisfied', 'Satisfied')), sum(ifnull(satisfaction, '') != '')
		from `tabReturn Request` where company = %(company)s and docstatus = 1
			and rated_on between %(start)s and %(end)s group by 2
		union all
		select 'Return: problem resolved', date_format(request_date, '%%Y-%%m'),
			sum(stage in ('Refunded', 'Closed') and ifnull(trim(rejection_reason), '') = ''),
			sum(stage in ('Refunded', 'Closed', 'Rejected') or ifnull(trim(rejection_reason), '') != '')
		from `tabReturn Request` where company = %(company)s and docstatus = 1
			and request_date between %(start)s and %(end)s group by 2
		union all
		select 'Inquiry: first response on time', date_format(response_by, '%%Y-%%m'), {response[0]}, {response[1]}
		from `tabInquiry Ticket` where company = %(company)s and docstatus < 2
			and response_by between %(start)s and %(end)s group by 2
		union all
		select 'Inquiry: result fed back on time', date_format(result_by, '%%Y-%%m'), {result[0]}, {result[1]}
		from `tabInquiry Ticket` where company = %(company)s and docstatus < 2
			and result_by between %(start)s and %(end)s group by 2
		union all
		select 'Inquiry: shipping anomaly followed up on time', date_format(result_by, '%%Y-%%m'), {result[0]}, {result[1]}
		from `tabInquiry Ticket` where company = %(company)s and docstatus < 2 and ifnull(anomaly, '') != ''
			and result_by between %(start)s and %(end)s group by 2
		union all
		select 'Repair: customer contacted on time', date_format(first_contact_due, '%%Y-%%m'), {contact[0]}, {contact[1]}
		from `tabRepair Order` where company = %(company)s and docstatus < 2
			and first_contact_due between %(start)s and %(end)s group by 2
		union all
		select 'Repair: passed', date_format(log.moved_on, '%%Y-%%m'), sum(log.to_stage = 'Completed'), count(*)
		from `tab{STAGE_LOG}` log
		where log.reference_doctype = 'Repair Order' and log.company = %(company)s
			and log.to_stage in ('Completed', 'Unrepairable', 'Scrapped')
			and log.moved_on between %(start)s and %(end)s group by 2
		union all
		select 'Repair: finished on time', date_format(log.moved_on, '%%Y-%%m'), {repaired[0]}, {repaired[1]}
		from `tab{STAGE_LOG}` log join `tabRepair Order` repair on repair.name = log.reference_name
		where log.reference_doctype = 'Repair Order' and log.company = %(company)s
			and log.to_stage in ('Completed', 'Unrepairable', 'Scrapped')
			and log.moved_on between %(start)s and %(end)s group by 2
		union all
		select 'After-sales cost against budget', date_format(gle.posting_date, '%%Y-%%m'),
			sum(gle.debit - gle.credit), 0
		from `tabGL Entry` gle join `tabAccount` account on account.name = gle.account
		where gle.company = %(company)s and gle.is_cancelled = 0 and account.root_type = 'Expense'
			and gle.cost_center = %(cost_center)s and gle.posting_date between %(start)s and %(end)s
		group by 2
		union all
		select 'Complaints per thousand orders', date_format(posting_date, '%%Y-%%m'), count(*),
			(select count(*) from `tabSales Invoice` invoice where invoice.company = %(company)s
				and invoice.docstatus = 1 and invoice.is_return = 0
				and invoice.posting_date between %(start)s and %(end)s
				and date_format(invoice.posting_date, '%%Y-%%m') = date_format(complaint.posting_date, '%%Y-%%m'))
		from `tabAftersales Complaint` complaint where company = %(company)s
			and posting_date between %(start)s and %(end)s group by 2
		union all
		select 'Dispatch: shipped on time', date_format(due, '%%Y-%%m'),
			sum(shipped_at is not null and shipped_at <= due), sum(shipped_at is not null or (owed and due < %(now)s))
		from ({raw_dispatches()}) dispatch where due between %(start)s and %(end)s group by 2
	"""
	return {
		(measure, month): (int(counted or 0), int(judged or 0))
		for measure, month, counted, judged in frappe.db.sql(statement, args)
		if judged or measure == COST
	}


def raw_return_analysis(start: str, end: str) -> dict:
	"""Returned and sold by item, by hand."""
	returned = frappe.db.sql(
		"""select item.item_code, sum(item.qty), count(distinct request.name)
		from `tabReturn Request Item` item join `tabReturn Request` request on request.name = item.parent
		where request.docstatus = 1 and request.company = %(company)s
			and request.request_date between %(start)s and %(end)s
		group by item.item_code""",
		{"company": COMPANY, "start": start, "end": end},
	)
	sold = dict(
		frappe.db.sql(
			"""select line.item_code, sum(line.qty)
			from `tabSales Invoice Item` line join `tabSales Invoice` invoice on invoice.name = line.parent
			where invoice.docstatus = 1 and invoice.is_return = 0 and invoice.company = %(company)s
				and invoice.posting_date between %(start)s and %(end)s
			group by line.item_code""",
			{"company": COMPANY, "start": start, "end": end},
		)
	)
	return {item: (float(qty), float(sold.get(item) or 0)) for item, qty, _requests in returned}


def raw_step_times(start: str, end: str) -> dict:
	"""Finished steps per stage with their median and 90th percentile in hours, by hand: the next
	move of the same case ends a step."""
	rows = frappe.db.sql(
		f"""select reference_doctype, stage, count(*), p50, p90 from (
			select reference_doctype, stage,
				percentile_cont(0.5) within group (order by hours) over (partition by reference_doctype, stage) as p50,
				percentile_cont(0.9) within group (order by hours) over (partition by reference_doctype, stage) as p90
			from (
				select reference_doctype, to_stage as stage, left_on,
					timestampdiff(microsecond, moved_on, left_on) / 3600000000 as hours
				from (
					select reference_doctype, to_stage, moved_on,
						lead(moved_on) over (partition by reference_doctype, reference_name order by moved_on) as left_on
					from `tab{STAGE_LOG}`
					where company = %(company)s and moved_on <= %(end)s
						and (reference_doctype, reference_name) in (select reference_doctype, reference_name
							from `tab{STAGE_LOG}` where company = %(company)s and moved_on between %(start)s and %(end)s)
				) moves
			) steps where left_on between %(start)s and %(end)s
		) timed group by reference_doctype, stage, p50, p90""",
		{"company": COMPANY, "start": start, "end": f"{end} 23:59:59.999999"},
	)
	return {(doctype, stage): (count, hours(p50), hours(p90)) for doctype, stage, count, p50, p90 in rows}


def hours(value) -> Decimal:
	return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- the run ----------------------------------------------------------------------------------------


def report(name: str, **filters) -> Callable:
	from frappe.desk.query_report import run

	return lambda: run(name, filters={"company": COMPANY, **filters})


def report_shares(result: dict) -> dict:
	"""The report's figures as the SQL gives them: counted and out of how many; for the cost, what
	was spent (the bulk history has no budget)."""
	return {
		(row["measure_key"], row["group_key"]): (
			int(row["numerator"]),
			0 if row["measure_key"] == COST else int(row["denominator"]),
		)
		for row in result["result"]
	}


def report_returns(result: dict) -> dict:
	return {
		row["group"]: (float(row["returned_qty"]), float(row["sold_qty"] or 0)) for row in result["result"]
	}


def report_steps(result: dict) -> dict:
	"""The finished steps' figures; a stage with open steps only has none."""
	return {
		(row["case_doctype"], row["stage"]): (row["steps"], row["median_hours"], row["p90_hours"])
		for row in result["result"]
		if row["steps"]
	}


def measure_kpis(n: int) -> None:
	if not kpi_facts_present():
		add_kpi_facts()
	start, end = add_days(nowdate(), -29), nowdate()
	period = {"from_date": start, "to_date": end}
	cases = frappe.db.count("Return Request", {"request_date": ("between", (start, end))})
	moves = frappe.db.count(STAGE_LOG)
	heading(
		f"KPI reports over the last 30 days ({cases} of {frappe.db.count('Return Request')} return "
		f"requests, {moves} stage moves), interleaved n={n}, against hand-written SQL"
	)
	pairs = [
		(
			"Aftersales KPIs by month",
			report("Aftersales KPIs", group_by="Month", **period),
			report_shares,
			lambda now=None: raw_kpis_by_month(start, end, now),
		),
		(
			"Return Analysis by item",
			report("Return Analysis", group_by="Item", **period),
			report_returns,
			lambda now=None: raw_return_analysis(start, end),
		),
		(
			"Slow Steps by stage",
			report("Aftersales Slow Steps", group_by="Stage", **period),
			report_steps,
			lambda now=None: raw_step_times(start, end),
		),
	]
	measured = [(Series(f"{label}: report"), Series(f"{label}: SQL"), *rest) for label, *rest in pairs]
	for _ in range(n):
		for report_series, sql_series, run_report, _figures, run_sql in measured:
			timed(report_series, run_report)
			timed(sql_series, run_sql)
	for report_series, sql_series, run_report, figures, run_sql in measured:
		say(report_series.line())
		say(sql_series.line())
		now = now_datetime()
		same = figures(run_report()) == run_sql(now)
		verdict = "under 1 s" if report_series.median_ms < 1000 else "OVER 1 s"
		say(
			f"    report / SQL: {ratio(report_series, sql_series)}, {verdict}; "
			f"same figures: {'yes' if same else 'NO'}"
		)
	with a_target_on_every_open_stage():
		series = Series("Slow Steps by stage, open steps read: report")
		for _ in range(n):
			timed(series, report("Aftersales Slow Steps", group_by="Stage", **period))
		say(series.line())
	for group_by in ("Department", "Person"):
		series = Series(f"Aftersales KPIs by {group_by.lower()}: report")
		for _ in range(n):
			timed(series, report("Aftersales KPIs", group_by=group_by, **period))
		say(series.line())
