"""The daily batch check 批次異常: each batch's return rate against its item's other batches, judged by
core's exact test (`core.kpis.check_batch`). A batch is flagged once, with the figures behind the flag,
and quality staff are notified once; they confirm or dismiss it on the alert."""

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from aftersales_module.core.kpis import SpikeTest, check_batch
from aftersales_module.setup.roles import QUALITY_INSPECTOR

ALERT = "Batch Return Alert"
# Judged daily over all sales to date: one false alarm in a thousand batches with nothing wrong.
DAILY_TEST = SpikeTest(alpha=0.001, min_sold=20, min_returned=3)


# Items judged per round: the batch figures of a round are read in two grouped statements.
ITEMS_PER_ROUND = 200


def flag_batch_spikes(test: SpikeTest = DAILY_TEST) -> list[str]:
	"""Scheduled daily on the long queue (`daily_long`): the batches newly flagged. Items are judged in
	rounds of ITEMS_PER_ROUND so that a large catalogue is never read in one go."""
	items = items_sold_in_batches()
	flagged = []
	for first in range(0, len(items), ITEMS_PER_ROUND):
		flagged += flag_items(items[first : first + ITEMS_PER_ROUND], test)
	return flagged


def flag_items(items: list[str], test: SpikeTest) -> list[str]:
	sold = sold_by_batch(items)
	returned = returned_by_batch(items)
	item_totals: dict[str, list[float]] = {}
	for (item_code, batch_no), qty in sold.items():
		totals = item_totals.setdefault(item_code, [0.0, 0.0])
		totals[0] += qty
		totals[1] += min(returned.get((item_code, batch_no), 0.0), qty)
	already = set(frappe.get_all(ALERT, filters={"item_code": ("in", items)}, pluck="batch_no"))
	flagged = []
	for (item_code, batch_no), batch_sold in sold.items():
		batch_returned = min(returned.get((item_code, batch_no), 0.0), batch_sold)
		if batch_no in already or not batch_returned:
			continue
		item_sold, item_returned = item_totals[item_code]
		finding = check_batch(
			int(batch_returned),
			int(batch_sold),
			int(item_returned - batch_returned),
			int(item_sold - batch_sold),
			test,
		)
		if finding.flagged:
			flagged.append(record_alert(item_code, batch_no, batch_sold, batch_returned, finding))
	return flagged


def items_sold_in_batches() -> list[str]:
	"""Items with a batch that customers asked to return for a fault: only they can spike."""
	return frappe.db.sql_list(
		"""select distinct item.item_code
		from `tabReturn Request Item` item
		join `tabReturn Request` request on request.name = item.parent
		where request.docstatus = 1 and ifnull(item.batch_no, '') != ''
			and request.reason_category = 'Quality Problem'
		order by item.item_code"""
	)


def sold_by_batch(items: list[str]) -> dict[tuple[str, str], float]:
	"""Units of each batch of the items that left on submitted deliveries and stock-updating invoices."""
	return {
		(item_code, batch_no): flt(qty)
		for item_code, batch_no, qty in frappe.db.sql(
			"""select bundle.item_code, entry.batch_no, sum(abs(entry.qty))
			from `tabSerial and Batch Entry` entry
			join `tabSerial and Batch Bundle` bundle on bundle.name = entry.parent
			where bundle.docstatus = 1 and bundle.is_cancelled = 0 and bundle.type_of_transaction = 'Outward'
				and bundle.voucher_type in ('Delivery Note', 'Sales Invoice', 'POS Invoice')
				and bundle.item_code in %(items)s and ifnull(entry.batch_no, '') != ''
			group by bundle.item_code, entry.batch_no""",
			{"items": items},
		)
	}


def returned_by_batch(items: list[str]) -> dict[tuple[str, str], float]:
	"""Units of each batch of the items that customers asked to return for a fault, on submitted
	return requests."""
	return {
		(item_code, batch_no): flt(qty)
		for item_code, batch_no, qty in frappe.db.sql(
			"""select item.item_code, item.batch_no, sum(item.qty)
			from `tabReturn Request Item` item
			join `tabReturn Request` request on request.name = item.parent
			where request.docstatus = 1 and ifnull(item.batch_no, '') != ''
				and request.reason_category = 'Quality Problem' and item.item_code in %(items)s
			group by item.item_code, item.batch_no""",
			{"items": items},
		)
	}


def record_alert(item_code: str, batch_no: str, sold: float, returned: float, finding) -> str:
	alert = frappe.get_doc(
		{
			"doctype": ALERT,
			"batch_no": batch_no,
			"item_code": item_code,
			"flagged_on": now_datetime(),
			"sold_qty": sold,
			"returned_qty": returned,
			"batch_rate": flt(finding.batch_rate),
			"baseline_rate": flt(finding.baseline_rate),
			"p_value": finding.p_value,
			"reason": finding.reason,
		}
	)
	alert.flags.from_check = True
	alert.insert(ignore_permissions=True)
	notify_quality(alert)
	return alert.name


def notify_quality(alert) -> None:
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	users = quality_staff()
	if not users:
		return
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": ALERT,
			"document_name": alert.name,
			"subject": _("Batch {0} of {1} returns more than usual: {2}").format(
				alert.batch_no, alert.item_code, alert.reason
			),
			"from_user": "Administrator",
		},
		users,
	)


def quality_staff() -> list[str]:
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(has_role.role == QUALITY_INSPECTOR)
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.run(pluck=True)
	)
