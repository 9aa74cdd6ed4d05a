"""The lines of a return request that no invoice billed: goods delivered by a Delivery Note not yet
invoiced (the unbilled part of it), and lines of a Sales Order paid in advance and never shipped
(未發退). Each must be the customer's own submitted sale, within what can still come back, with the
facts of the sale copied from it, never typed."""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt

from aftersales_module.controllers.deliveries import delivered_serials
from aftersales_module.controllers.uninvoiced_sales import (
	DN_ITEM,
	SO_ITEM,
	delivery_line_facts,
	delivery_rows,
	held_on,
	lock_lines,
	order_line_facts,
	order_rows,
	uninvoiced_by_delivery,
	unshipped_by_order,
)
from aftersales_module.core.enums import ReasonCategory, RequestType
from aftersales_module.core.spare_postings import split_serials


class UninvoicedIntake:
	def validate_uninvoiced_lines(self):
		for row in self.items:
			row.released_qty = 0  # nothing is released from an order before the case posts
		deliveries, orders = delivery_rows(self), order_rows(self)
		if deliveries:
			self.check_delivery_rows(deliveries)
		if orders:
			self.check_order_rows(orders)
		if deliveries or orders:
			self.set_uninvoiced_returnable(deliveries, orders)

	def check_delivery_rows(self, rows):
		if self.request_type != RequestType.RETURN_AND_REFUND:
			frappe.throw(
				_(
					"Row #{0}: {1} was delivered but not invoiced, so nothing was billed to refund or exchange against. Take it back with the request type Return and Refund: a delivery return, without a credit note."
				).format(rows[0].idx, frappe.bold(rows[0].item_code)),
				title=_("Not Invoiced"),
			)
		facts = delivery_line_facts(row.dn_detail for row in rows)
		for row in rows:
			line = facts.get(row.dn_detail)
			if not line or line.delivery_note != row.delivery_note:
				self.throw_not_a_line(row, _("Delivery Note"), row.delivery_note)
			if line.docstatus != 1 or line.is_return:
				frappe.throw(
					_(
						"Row #{0}: {1} is not a submitted delivery note; only submitted deliveries come back."
					).format(row.idx, frappe.bold(row.delivery_note)),
					title=_("Invalid Delivery Note"),
				)
			self.check_sale_party(row, row.delivery_note, line)
			self.check_line_item(row, line)
			row.update(
				{
					"item_name": line.item_name,
					"rate": line.net_rate,
					"uom": line.uom,
					"warehouse": line.warehouse,
					"delivery_date": line.posting_date,
					"sales_invoice": None,
					"sales_order": None,
					"sales_order_item": None,
				}
			)
			self.set_batch_sold(row, line)
			self.check_delivered_serials(row, line)
			self.currency = line.currency

	def check_delivered_serials(self, row, line):
		from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import (
			quantity_text,
		)

		if not frappe.get_cached_value("Item", row.item_code, "has_serial_no"):
			return
		serial_nos = split_serials(row.serial_no)
		if len(serial_nos) != flt(row.qty):
			frappe.throw(
				_("Row #{0}: enter one serial number per unit returned: {1} for a quantity of {2}.").format(
					row.idx, len(serial_nos), quantity_text(row.qty)
				),
				title=_("Serial Numbers"),
			)
		strangers = sorted(set(serial_nos) - delivered_serials(line))
		if strangers:
			frappe.throw(
				_("Row #{0}: serial number(s) {1} were not delivered on delivery note {2}.").format(
					row.idx, ", ".join(strangers), frappe.bold(row.delivery_note)
				),
				title=_("Serial Numbers"),
			)
		row.serial_no = "\n".join(serial_nos)

	def check_order_rows(self, rows):
		if (self.request_type, self.reason_category) != (
			RequestType.REFUND_ONLY,
			ReasonCategory.UNSHIPPED_CANCELLED,
		):
			frappe.throw(
				_(
					"Row #{0}: {1} is on a sales order and has not shipped. An order cancelled before shipping is refunded only: set the request type to Refund Only and the reason to Unshipped Order Cancelled."
				).format(rows[0].idx, frappe.bold(rows[0].item_code)),
				title=_("Nothing to Return"),
			)
		if flt(self.depreciation_percent) or flt(self.handling_fee):
			frappe.throw(
				_(
					"An order cancelled before shipping is refunded what was paid for it: leave Depreciation % and Handling Fee at 0."
				),
				title=_("Check the Amounts"),
			)
		facts = order_line_facts(row.sales_order_item for row in rows)
		for row in rows:
			line = facts.get(row.sales_order_item)
			if not line or line.sales_order != row.sales_order:
				self.throw_not_a_line(row, _("Sales Order"), row.sales_order)
			if line.docstatus != 1:
				frappe.throw(
					_("Row #{0}: {1} is not a submitted sales order.").format(
						row.idx, frappe.bold(row.sales_order)
					),
					title=_("Invalid Sales Order"),
				)
			self.check_sale_party(row, row.sales_order, line)
			self.check_line_item(row, line)
			if flt(line.advance_paid) <= 0:
				frappe.throw(
					_(
						"Row #{0}: nothing was paid in advance on sales order {1}, so there is nothing to refund. Close its lines in ERPNext (Update Items, or Close) instead."
					).format(row.idx, frappe.bold(row.sales_order)),
					title=_("No Advance Paid"),
				)
			row.update(
				{
					"item_name": line.item_name,
					"rate": line.net_rate,
					"uom": line.uom,
					"warehouse": line.warehouse,
					# Nothing shipped: the windows count from the order.
					"delivery_date": frappe.db.get_value("Sales Order", row.sales_order, "transaction_date"),
					"sales_invoice": None,
					"delivery_note": None,
					"dn_detail": None,
					"serial_no": None,
					"batch_no": None,
				}
			)
			self.currency = line.currency

	def check_sale_party(self, row, sale: str, line):
		if (line.customer, line.company) != (self.customer, self.company):
			frappe.throw(
				_("Row #{0}: {1} is for {2} of {3}; this request is for {4} of {5}.").format(
					row.idx, frappe.bold(sale), line.customer, line.company, self.customer, self.company
				),
				title=_("Wrong Customer"),
			)

	def check_line_item(self, row, line):
		if line.item_code != row.item_code:
			frappe.throw(
				_("Row #{0}: the line sold {1}, not {2}. Remove the row and use Get Items.").format(
					row.idx, frappe.bold(line.item_code), frappe.bold(row.item_code)
				),
				title=_("Wrong Item"),
			)

	def throw_not_a_line(self, row, doctype_label: str, sale: str | None):
		frappe.throw(
			_("Row #{0}: the line is not a line of {1} {2}. Remove the row and use Get Items.").format(
				row.idx, doctype_label, frappe.bold(sale or "")
			),
			title=_("Invalid Line"),
		)

	def set_uninvoiced_returnable(self, deliveries, orders):
		"""On submit the ERPNext lines are locked first and the holds read as committed, so concurrent
		requests for the same line are counted in turn."""
		submitting = self._action == "submit"
		for doctype, rows, field, room_of in (
			(DN_ITEM, deliveries, "dn_detail", lambda lines: uninvoiced_by_delivery(lines, submitting)),
			(SO_ITEM, orders, "sales_order_item", lambda lines: unshipped_by_order(lines, submitting)),
		):
			if not rows:
				continue
			lines = [row.get(field) for row in rows]
			if submitting:
				lock_lines(doctype, lines)
			held = held_on(doctype, lines, lock=submitting, excluding=self.name)
			room = room_of(lines)
			facts = (delivery_line_facts if doctype == DN_ITEM else order_line_facts)(lines)
			asked: dict[str, float] = {}
			for row in rows:
				line = row.get(field)
				row.sold_qty = flt(facts[line].qty)
				row.returned_qty = max(row.sold_qty - flt(room.get(line)), 0)
				row.reserved_qty = flt(held.get(line))
				row.returnable_qty = max(flt(room.get(line)) - row.reserved_qty, 0)
				asked[line] = asked.get(line, 0) + flt(row.qty)
			for line, total in asked.items():
				row = next(row for row in rows if row.get(field) == line)
				if total > row.returnable_qty + 1e-9:
					self.throw_over_return(row, doctype, Decimal(str(total)))

	def throw_over_return(self, row, doctype: str, qty: Decimal):
		# The intake module builds on this one: imported when needed.
		from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import (
			OverReturnError,
			quantity_text,
		)

		message = (
			_(
				"{0}: {1} requested but only {2} delivered and not invoiced can still come back (delivered {3}, invoiced or returned {4}, requested elsewhere {5})."
			)
			if doctype == DN_ITEM
			else _(
				"{0}: {1} to cancel but only {2} of the order line can still be cancelled (ordered {3}, shipped, invoiced or cancelled {4}, requested elsewhere {5})."
			)
		)
		frappe.throw(
			message.format(
				frappe.bold(row.item_code),
				*(
					quantity_text(value)
					for value in (qty, row.returnable_qty, row.sold_qty, row.returned_qty, row.reserved_qty)
				),
			),
			exc=OverReturnError,
			title=_("More Than Was Sold"),
		)
