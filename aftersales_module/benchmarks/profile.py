"""Where one case's actions repeat themselves: every statement each step sends, and those it sends
more than once with the same values (a reload, a check asked twice), to find work to remove."""

import re
from collections import Counter
from contextlib import contextmanager

import frappe

from aftersales_module.benchmarks import case_path
from aftersales_module.benchmarks.measure import heading, say
from aftersales_module.benchmarks.site_data import paid_sale
from aftersales_module.setup.workflow import ACCOUNTS_USER

SHOWN = 10


@contextmanager
def statements_sent():
	seen, sql = [], frappe.db.sql

	def recording(query, *args, **kwargs):
		values = args[0] if args else kwargs.get("values")
		seen.append((re.sub(r"\s+", " ", str(query)).strip()[:150], repr(values)[:60]))
		return sql(query, *args, **kwargs)

	frappe.db.sql = recording
	try:
		yield seen
	finally:
		frappe.db.sql = sql


def show(label: str, seen: list) -> None:
	repeated = Counter(seen)
	extra = sum(count - 1 for count in repeated.values())
	say(f"  {label}: {len(seen)} statements, {extra} of them repeats")
	for (query, values), count in repeated.most_common(SHOWN):
		if count > 1:
			say(f"      {count}x {query} {values}")


def profile_case() -> None:
	heading("One case, statement by statement (repeats within one action)")
	invoice = paid_sale()
	frappe.db.commit()  # nosemgrep: the case starts from committed records
	case_path.new_request()
	with statements_sent() as seen:
		request = case_path.open_case(invoice)
	show("Open with Get Items", seen)
	frappe.db.commit()  # nosemgrep: as a request would
	for label, role, action in case_path.WORKFLOW_STEPS:
		sent = case_path.as_sent(request.name)
		case_path.new_request()
		with statements_sent() as seen:
			case_path.act(sent, role, action)
		show(label, seen)
		frappe.db.commit()  # nosemgrep: as a request would
	form = case_path.received_in_form(request.name)
	case_path.new_request()
	with statements_sent() as seen:
		case_path.receive_goods(form, form.as_dict)
	show(case_path.POSTING_LABELS[0], seen)
	frappe.db.commit()  # nosemgrep: as a request would
	sent = case_path.as_sent(request.name)
	case_path.new_request()
	with statements_sent() as seen:
		case_path.act(sent, ACCOUNTS_USER, "Refund")
	show(case_path.POSTING_LABELS[1], seen)
	frappe.db.commit()  # nosemgrep: as a request would
	profile_bare()


def profile_bare() -> None:
	invoice = paid_sale()
	frappe.db.commit()  # nosemgrep: the documents start from committed records
	case_path.new_request()
	with statements_sent() as seen:
		credit_note = case_path.bare_credit_note(invoice)
	show("Bare credit note", seen)
	frappe.db.commit()  # nosemgrep: as a request would
	case_path.new_request()
	with statements_sent() as seen:
		case_path.bare_refund(credit_note)
	show("Bare refund payment", seen)
	frappe.db.commit()  # nosemgrep: as a request would
