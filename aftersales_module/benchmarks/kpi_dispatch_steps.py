"""The KPI benchmark's newer parts (benchmarks/kpi.py): the dispatch on-time rate written by hand in
SQL, to check the KPI report's figure against, and stage targets set for the while of a measurement so
Slow Steps reads the cases sitting in a stage now."""

from collections.abc import Iterator
from contextlib import contextmanager

import frappe

from aftersales_module.benchmarks.site_data import COMPANY

STAGE_LOG = "Aftersales Stage Log"


def raw_dispatches() -> str:
	"""Each shipment owed to a customer, by hand: when it was due (the first move into the stage that
	made it due, or the test report's acceptance, plus the company's hours), when it left, and
	whether it is still owed."""
	shipped = """(select min(timestamp(se.posting_date, se.posting_time)) from `tabStock Entry` se
		where se.aftersales_return_request = request.name and se.docstatus = 1 and se.stock_entry_type in ({}))"""
	rejected = "(request.stage = 'Rejected' or ifnull(trim(request.rejection_reason), '') != '')"
	by_stage = """select log.moved_on + interval %(dispatch_seconds)s second as due, {shipped} as shipped_at,
			not {rejected} as owed
		from `tab{log}` log join `tabReturn Request` request on request.name = log.reference_name
		where log.reference_doctype = 'Return Request' and log.to_stage = '{stage}' and log.company = %(company)s
			and log.moved_on between %(start)s - interval %(dispatch_seconds)s second
				and %(end)s - interval %(dispatch_seconds)s second
			and request.docstatus = 1 and request.request_type in ({types})
			and log.moved_on = (select min(first.moved_on) from `tab{log}` first
				where first.reference_doctype = 'Return Request' and first.reference_name = log.reference_name
					and first.to_stage = '{stage}')"""
	return " union all ".join(
		[
			by_stage.format(
				shipped=shipped.format(entry_types),
				rejected=rejected,
				log=STAGE_LOG,
				stage=stage,
				types=types,
			)
			for stage, types, entry_types in (
				(
					"Goods Received",
					"'Exchange Same Item', 'Exchange Different Item', 'Repair'",
					"'Exchange Goods Out', 'Repair Done, Shipped'",
				),
				("Approved", "'Spare Unit'", "'Spare Unit Out'"),
				("Approved", "'Reissue'", "'Reissue Out'"),
			)
		]
		+ [
			f"""select request.test_report_accepted_on + interval %(dispatch_seconds)s second,
				{shipped.format("'Test Unit Shipped Back'")}, ifnull(request.test_unit_status, '') != 'Taken Over'
			from `tabReturn Request` request where request.company = %(company)s and request.docstatus = 1
				and request.test_report_accepted_on between %(start)s - interval %(dispatch_seconds)s second
					and %(end)s - interval %(dispatch_seconds)s second"""
		]
	)


@contextmanager
def a_target_on_every_open_stage() -> Iterator[None]:
	"""Slow Steps reads the cases sitting in a stage now for the stages the company gives a target:
	for the while of a measurement, a return request's every stage that is not final has one (rows
	written and taken away again directly, the settings' other rows untouched)."""
	added = []
	for stage in (
		"Draft",
		"Review",
		"Inspection",
		"Sales Approval",
		"Approved",
		"Goods Received",
		"Refunded",
	):
		row = frappe.get_doc(
			{
				"doctype": "Aftersales Stage Target",
				"parent": "Aftersales Settings",
				"parenttype": "Aftersales Settings",
				"parentfield": "stage_targets",
				"idx": 1000 + len(added),
				"company": COMPANY,
				"case_doctype": "Return Request",
				"stage": stage,
				"target_hours": 48,
			}
		)
		row.db_insert()
		added.append(row.name)
	frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
	try:
		yield
	finally:
		frappe.db.delete("Aftersales Stage Target", {"name": ("in", added)})
		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		frappe.db.commit()  # nosemgrep: the bench site's settings as they were
