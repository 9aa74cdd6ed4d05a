"""Goods delivered but not yet invoiced come back the way ERPNext takes back a delivery: a Delivery Note
return against the delivery note (`is_return`, `return_against`), into the return warehouse at the
value they left with. Nothing was billed, so no receivable was booked (開出發票才立帳) and there is no
credit note: the case's hold on the delivery line ends with the return.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.controllers.postings import insert_and_submit, posting_key
from aftersales_module.controllers.return_documents import (
	GOODS_IN,
	find_posting,
	one_line_per_part,
	record_posting,
	set_returned_line,
)
from aftersales_module.controllers.uninvoiced_sales import (
	DN_ITEM,
	delivery_rows,
	held_on,
	lock_lines,
	uninvoiced_by_delivery,
)
from aftersales_module.setup.custom_fields import POSTING_KEY, RETURN_REQUEST_LINK

# The posting key of these returns: apart from the delivery returns of invoiced lines ("Goods In"), which
# a case may make against the same delivery note. The case's log shows both as goods in.
DELIVERY_RETURN = "Delivery Return"


def make_uninvoiced_returns(case, return_warehouse: str) -> None:
	"""A delivery return per delivery note for the accepted units of the case's unbilled delivery lines."""
	rows = [row for row in delivery_rows(case) if flt(row.accepted_qty) > 0 and not row.return_delivery_note]
	if not rows:
		return
	check_still_out(case, rows)
	by_note = defaultdict(list)
	for row in rows:
		by_note[row.delivery_note].append(row)
	for delivery_note, its_rows in by_note.items():
		delivery_return = find_posting(case, DELIVERY_RETURN, "Delivery Note", delivery_note)
		if not delivery_return:
			delivery_return = make_delivery_return(case, delivery_note, its_rows, return_warehouse)
		for row in its_rows:
			row.return_delivery_note = delivery_return
			# Nothing follows to credit: the units are back, the hold ends here.
			row.held_qty = 0


def check_still_out(case, rows) -> None:
	"""The delivery lines are locked and read again: what was invoiced or taken back by hand since the
	case was submitted cannot come back a second time."""
	lines = [row.dn_detail for row in rows]
	lock_lines(DN_ITEM, lines)
	room = uninvoiced_by_delivery(lines, for_update=True)
	others = held_on(DN_ITEM, lines, lock=True, excluding=case.name)
	wanted: dict[str, float] = defaultdict(float)
	for row in rows:
		wanted[row.dn_detail] += flt(row.accepted_qty)
	for row in rows:
		left = flt(room.get(row.dn_detail)) - flt(others.get(row.dn_detail))
		if wanted[row.dn_detail] > left + 1e-9:
			frappe.throw(
				_(
					"Row #{0}: {1} of {2} cannot come back on delivery note {3}: only {4} delivered there is still with the customer unbilled (it was invoiced or taken back since). Return the invoiced units from their invoice."
				).format(
					row.idx,
					f"{wanted[row.dn_detail]:g}",
					frappe.bold(row.item_code),
					frappe.bold(row.delivery_note),
					f"{max(left, 0):g}",
				),
				title=_("Not Delivered"),
			)


def make_delivery_return(case, delivery_note: str, rows, return_warehouse: str) -> str:
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	delivery_return = make_sales_return(delivery_note)
	for item, row in one_line_per_part(delivery_return, "dn_detail", [(row.dn_detail, row) for row in rows]):
		set_returned_line(item, row, return_warehouse)
	# Posted now, after whatever the case moved since the delivery (a unit taken in for testing).
	delivery_return.posting_date = nowdate()
	delivery_return.remarks = _("Goods returned under {0}; the delivery was not invoiced").format(case.name)
	delivery_return.set(RETURN_REQUEST_LINK, case.name)
	delivery_return.set(POSTING_KEY, posting_key(DELIVERY_RETURN, delivery_note))
	insert_and_submit(delivery_return)
	record_posting(case, GOODS_IN, delivery_return, delivery_note, abs(flt(delivery_return.grand_total)))
	return delivery_return.name
