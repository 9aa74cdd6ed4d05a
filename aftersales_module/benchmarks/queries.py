"""What users list, filter, search and count at a real company's volume, run the way the desk runs
it (frappe.get_list, the app's reports and look-ups), timed interleaved, with each statement's
EXPLAIN: which index it reads and how many rows it expects to touch."""

from collections.abc import Callable
from contextlib import contextmanager

import frappe
from frappe.utils import add_months, get_first_day, get_last_day, nowdate

from aftersales_module.benchmarks.measure import Series, heading, say, timed
from aftersales_module.benchmarks.site_data import COMPANY

LIST_FIELDS = ["name", "customer_name", "status", "request_type", "request_date"]
PAGE = 20
EXPLAINED = ("Return Request", "Inquiry Ticket", "Sales Invoice", "Repair Order", "Compensation Claim")


def case_list(**kwargs) -> Callable:
	return lambda: frappe.get_list(
		"Return Request",
		fields=LIST_FIELDS,
		order_by="`tabReturn Request`.`creation` desc",
		limit_page_length=PAGE,
		**kwargs,
	)


def ticket_list(**kwargs) -> Callable:
	return lambda: frappe.get_list(
		"Inquiry Ticket",
		fields=["name", "customer_name", "status", "sla_status"],
		order_by="`tabInquiry Ticket`.`opened_on` desc",
		limit_page_length=PAGE,
		**kwargs,
	)


def doc_list(doctype: str, sort: str, **kwargs) -> Callable:
	return lambda: frappe.get_list(
		doctype,
		fields=["name", "customer", "status"],
		order_by=f"`tab{doctype}`.`{sort}` desc",
		limit_page_length=PAGE,
		**kwargs,
	)


def serial_history(serial_no: str) -> Callable:
	from aftersales_module.aftersales_module.report.serial_service_history.serial_service_history import (
		execute,
	)

	return lambda: execute({"serial_no": serial_no})


def link_search(doctype: str, txt: str) -> Callable:
	"""What a Link field's dropdown asks for as the user types (Frappe's own search)."""
	from frappe.desk.search import search_link

	return lambda: search_link(doctype, txt)


def number_card(name: str) -> Callable:
	"""A number card of the Aftersales workspace, counted as the desk counts it."""
	from frappe.desk.doctype.number_card.number_card import get_result

	card = frappe.get_doc("Number Card", name)
	return lambda: get_result(card.as_dict(), card.filters_json)


def dashboard_chart(name: str) -> Callable:
	"""A chart of the Aftersales workspace, computed afresh as on a refresh."""
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get

	chart = frappe.get_doc("Dashboard Chart", name).as_json()
	return lambda: get(chart=chart, no_cache=1)


def month_kpi() -> Callable:
	start = get_first_day(add_months(nowdate(), -1))
	return lambda: frappe.get_all(
		"Return Request",
		filters={"request_date": ["between", [start, get_last_day(start)]], "docstatus": 1},
		fields=["request_type", "count(name) as cases", "sum(refund_amount) as refunded"],
		group_by="request_type",
	)


def held_on_invoice_line(line: str) -> Callable:
	from aftersales_module.controllers.sales_history import get_open_holds

	return lambda: get_open_holds([line])


def batch_lines(batch_no: str) -> Callable:
	return lambda: frappe.get_all(
		"Return Request Item", filters={"batch_no": batch_no}, fields=["parent", "item_code", "qty"]
	)


def queries() -> list[tuple[str, Callable]]:
	sample = frappe.db.sql(
		"""select customer, (select item_code from `tabReturn Request Item` where parent = 'BENCH-RR-0012345'
		and idx = 1) from `tabReturn Request` where name = 'BENCH-RR-0012345'"""
	)
	customer, item_code = sample[0] if sample else ("", "")
	serial = frappe.db.get_value("Return Request Item", {"parent": "BENCH-RR-0012345", "idx": 1}, "serial_no")
	return [
		("Case list, default sort (creation desc)", case_list()),
		("Case list, filter customer", case_list(filters={"customer": customer})),
		("Case list, filter status", case_list(filters={"status": "Sales Approval"})),
		("Case list, filter company", case_list(filters={"company": COMPANY})),
		(
			"Case list, filter item (child table)",
			case_list(filters=[["Return Request Item", "item_code", "=", item_code]]),
		),
		("Case list, filter sales invoice", case_list(filters={"sales_invoice": "BENCH-SINV-0004321"})),
		("Serial Service History (cases and repairs of a serial)", serial_history(serial or "")),
		("Serial Service History, a serial ERPNext does not know", serial_history("860000000004321")),
		("Repair Order link search, serial typed (Frappe's)", link_search("Repair Order", "8600000000043")),
		("Lines of a batch", batch_lines("BENCH-BATCH-00042")),
		("Holds on an invoice line", held_on_invoice_line("BENCH-SII-00000005")),
		("KPI: one month by request type", month_kpi()),
		("Card: Returns in Review", number_card("Returns in Review")),
		("Card: Returns Past Their Deadlines", number_card("Returns Past Their Deadlines")),
		("Card: Inquiries Past Their Deadlines", number_card("Inquiries Past Their Deadlines")),
		("Card: Open Repair Orders", number_card("Open Repair Orders")),
		("Chart: Open Returns by Stage", dashboard_chart("Open Returns by Stage")),
		("Chart: Return Requests per Month", dashboard_chart("Return Requests per Month")),
		("Ticket list, default sort (opened_on desc)", ticket_list()),
		("Ticket list, filter status", ticket_list(filters={"status": "Waiting on Customer"})),
		("Ticket list, filter customer", ticket_list(filters={"customer": customer})),
		("Repair order list, default sort", doc_list("Repair Order", "creation")),
		(
			"Repair order list, filter repair point",
			doc_list("Repair Order", "creation", filters={"repair_point": "BENCH-RP-007"}),
		),
		(
			"Repair order list, filter status",
			doc_list("Repair Order", "creation", filters={"status": "In Repair"}),
		),
		(
			"Repair order list, filter customer",
			doc_list("Repair Order", "creation", filters={"customer": customer}),
		),
		(
			"Repair order list, filter item",
			doc_list("Repair Order", "creation", filters={"item_code": item_code}),
		),
		("Claim list, default sort (posting_date desc)", doc_list("Compensation Claim", "posting_date")),
		(
			"Claim list, filter status",
			doc_list("Compensation Claim", "posting_date", filters={"status": "In Review"}),
		),
		(
			"Claim list, filter customer",
			doc_list("Compensation Claim", "posting_date", filters={"customer": customer}),
		),
	]


@contextmanager
def recorded_statements():
	"""Every SELECT the block sends, with its values, to EXPLAIN afterwards."""
	seen, sql = [], frappe.db.sql

	def recording(query, *args, **kwargs):
		if str(query).lstrip().lower().startswith("select"):
			seen.append((str(query), args[0] if args else kwargs.get("values")))
		return sql(query, *args, **kwargs)

	frappe.db.sql = recording
	try:
		yield seen
	finally:
		frappe.db.sql = sql


def explain(query: str, values) -> list[str]:
	explained = f"explain {query}"
	plan = (
		frappe.db.sql(explained, values, as_dict=True) if values else frappe.db.sql(explained, as_dict=True)
	)
	lines = []
	for step in plan:
		full_scan = step.type == "ALL" or (step.type == "index" and "Using where" in (step.Extra or ""))
		lines.append(
			f"      {step.table or '':<30} type={step.type or '-':<7} key={step.key or '-':<32} "
			f"rows={step.rows or '-':<8} {step.Extra or ''}{'   <-- FULL SCAN' if full_scan else ''}"
		)
	return lines


def measure_queries(n: int) -> None:
	cases = frappe.db.count("Return Request")
	heading(f"Lists, searches and KPIs at {cases} return requests (interleaved, n={n}), with EXPLAIN")
	measured = [(Series(label), action) for label, action in queries()]
	for _ in range(n):
		for series, action in measured:
			timed(series, action)
	for series, action in measured:
		say(series.line())
		with recorded_statements() as statements:
			action()
		for query, values in statements:
			if any(f"`tab{doctype}" in query for doctype in EXPLAINED):
				for line in explain(query, values):
					say(line)
