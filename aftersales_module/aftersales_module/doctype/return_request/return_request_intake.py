"""What a return request must be before it is submitted: lines of the customer's own submitted
sales, no more than can still be returned, the units sold, and what the warranty policy allows."""

import math
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_request_uninvoiced import (
	UninvoicedIntake,
)
from aftersales_module.controllers.deliveries import delivered_back, delivery_lines, plan_returns_by_delivery
from aftersales_module.controllers.invoice_reads import save_reads
from aftersales_module.controllers.sales_history import (
	delivered_by,
	get_credited_qty,
	get_open_holds,
	get_returned_qty,
	get_sold_qty,
	lock_invoice_lines,
)
from aftersales_module.controllers.stored_texts import forget_rows, keep, shown
from aftersales_module.controllers.uninvoiced_sales import invoice_rows
from aftersales_module.controllers.warranty import (
	decide_for_item,
	get_received_on,
	get_sale_dates,
	sale_facts,
)
from aftersales_module.core.deliveries import ReturnedUnits
from aftersales_module.core.enums import REMEDY_ORDER, ReasonCategory, RequestType
from aftersales_module.core.messages import Message
from aftersales_module.core.returns import SoldLine, find_over_returns, sum_by_line
from aftersales_module.core.spare_postings import split_serials
from aftersales_module.core.stages import NO_GOODS_BACK


class OverReturnError(frappe.ValidationError):
	pass


class NotEligibleError(frappe.ValidationError):
	pass


# Return line field ← the invoice line's field it is always taken from.
LINE_FACTS = {
	"item_name": "item_name",
	"rate": "net_rate",
	"uom": "uom",
	"warehouse": "warehouse",
	"delivery_note": "delivery_note",
	"dn_detail": "dn_detail",
}


class ReturnRequestIntake(UninvoicedIntake):
	def validate_choices(self):
		"""The choices the rules key on are checked, by field, before any rule runs on them."""
		for fieldname, choices in (("request_type", RequestType), ("reason_category", ReasonCategory)):
			if self.get(fieldname) not in {choice.value for choice in choices}:
				frappe.throw(
					_("{0} must be one of: {1}.").format(
						_(self.meta.get_label(fieldname)), ", ".join(_(choice.value) for choice in choices)
					),
					title=_("Invalid Value"),
				)
		for row in self.items:
			if not is_number(row.qty):
				frappe.throw(
					_("Row #{0}: the quantity must be a number.").format(row.idx), title=_("Invalid Quantity")
				)

	def validate_invoices(self):
		# Lines of a delivery not yet invoiced, or of an order paid in advance, are checked apart.
		for row in invoice_rows(self):
			if not (row.sales_invoice and row.sales_invoice_item):
				frappe.throw(
					_("Row #{0}: {1} is not a line of a sales invoice. Remove it and use Get Items.").format(
						row.idx, frappe.bold(row.item_code)
					),
					title=_("Invalid Invoice"),
				)
			invoice = frappe.db.get_value(
				"Sales Invoice",
				row.sales_invoice,
				["customer", "company", "docstatus", "is_return", "currency"],
				as_dict=True,
			)
			if not invoice or invoice.docstatus != 1 or invoice.is_return:
				frappe.throw(
					_(
						"Row #{0}: {1} is not a submitted sales invoice; only submitted sales can be returned."
					).format(row.idx, frappe.bold(row.sales_invoice)),
					title=_("Invalid Invoice"),
				)
			if (invoice.customer, invoice.company) != (self.customer, self.company):
				frappe.throw(
					_("Row #{0}: invoice {1} is for {2} of {3}; this request is for {4} of {5}.").format(
						row.idx,
						frappe.bold(row.sales_invoice),
						invoice.customer,
						invoice.company,
						self.customer,
						self.company,
					),
					title=_("Wrong Customer"),
				)
			self.validate_invoice_line(row)
			self.currency = invoice.currency
		self.validate_uninvoiced_lines()

	def validate_invoice_line(self, row):
		"""The line must be one of the row's invoice, for the row's item: a row naming my invoice but
		another sale's line would hold that other customer's goods."""
		line = frappe.db.get_value(
			"Sales Invoice Item",
			row.sales_invoice_item,
			[
				"name",
				"parent",
				"parenttype",
				"item_code",
				"so_detail",
				"qty",
				"batch_no",
				"serial_and_batch_bundle",
				*LINE_FACTS.values(),
			],
			as_dict=True,
		)
		if not line or (line.parenttype, line.parent) != ("Sales Invoice", row.sales_invoice):
			frappe.throw(
				_(
					"Row #{0}: the invoice line is not a line of {1}. Remove the row and use Get Items."
				).format(row.idx, frappe.bold(row.sales_invoice)),
				title=_("Invalid Invoice"),
			)
		if line.item_code != row.item_code:
			frappe.throw(
				_("Row #{0}: the invoice line sold {1}, not {2}. Remove the row and use Get Items.").format(
					row.idx, frappe.bold(line.item_code), frappe.bold(row.item_code)
				),
				title=_("Invalid Invoice"),
			)
		save_reads(self).setdefault("sold_qty", {})[line.name] = flt(line.qty)
		# What was sold is the invoice's: price, unit, warehouse and delivery are never typed.
		for fieldname, source in LINE_FACTS.items():
			row.set(fieldname, line.get(source))
		self.set_batch_sold(row, line)
		row.delivery_note, row.dn_detail = delivered_by(line, save_reads(self))

	def set_batch_sold(self, row, line):
		"""The batch coming back is the line's; a line sold from several batches comes back one row per
		batch, each naming a batch the line sold."""
		sold = sold_batches(line)
		if len(sold) <= 1:
			row.batch_no = next(iter(sold), None)
			return
		if row.batch_no in sold or (not row.batch_no and self.request_type in NO_GOODS_BACK):
			return
		frappe.throw(
			_(
				"Row #{0}: the invoice line sold {1} from batches {2}. Enter the batch coming back in Batch No, one row per batch."
			).format(row.idx, frappe.bold(row.item_code), ", ".join(sorted(sold))),
			title=_("Choose the Batch"),
		)

	def set_item_amounts(self):
		for row in self.items:
			row.amount = flt(flt(row.qty) * flt(row.rate), row.precision("amount"))

	def set_sold_and_returnable_qty(self):
		"""On submit the invoice lines are locked first, so concurrent requests are counted in turn."""
		lines = [row.sales_invoice_item for row in self.items if row.sales_invoice_item]
		submitting = self._action == "submit"
		reserved = get_open_holds(lines, lock=submitting)
		sold = get_sold_qty(lines, save_reads(self))
		returned = get_returned_qty(lines, for_update=submitting, reads=save_reads(self))
		for row in self.items:
			if not row.sales_invoice_item:
				continue
			row.sold_qty = sold.get(row.sales_invoice_item, 0)
			row.returned_qty = returned.get(row.sales_invoice_item, 0)
			row.reserved_qty = reserved.get(row.sales_invoice_item, 0)
			row.returnable_qty = max(row.sold_qty - row.returned_qty - row.reserved_qty, 0)

	def validate_quantities(self):
		for row in self.items:
			if flt(row.qty) <= 0:
				frappe.throw(
					_("Row #{0}: the requested quantity of {1} must be more than zero.").format(
						row.idx, frappe.bold(row.item_code)
					),
					exc=OverReturnError,
					title=_("Invalid Quantity"),
				)
		sold_lines = {
			row.sales_invoice_item: SoldLine(
				line_id=row.sales_invoice_item,
				item_code=row.item_code,
				sold_qty=row.sold_qty,
				rate=row.rate,
				returned_qty=row.returned_qty,
				reserved_qty=row.reserved_qty,
			)
			for row in self.items
			if row.sales_invoice_item
		}
		requested = sum_by_line(
			(row.sales_invoice_item, Decimal(str(row.qty))) for row in self.items if row.sales_invoice_item
		)
		over_returns = find_over_returns(list(sold_lines.values()), requested)
		if over_returns:
			frappe.throw(
				"<br>".join(
					_(
						"{0}: {1} requested but only {2} can still be returned (sold {3}, returned {4}, requested elsewhere {5})."
					).format(
						frappe.bold(over.item_code),
						*(
							quantity_text(qty)
							for qty in (
								over.requested_qty,
								over.returnable_qty,
								over.sold_qty,
								over.returned_qty,
								over.reserved_qty,
							)
						),
					)
					for over in over_returns
				),
				exc=OverReturnError,
				title=_("More Than Was Sold"),
			)

	def validate_received_on(self):
		"""Staff may correct the day the customer received the goods, saying how they know it."""
		if not self.received_on:
			return
		if getdate(self.received_on) > getdate(nowdate()):
			frappe.throw(
				_("{0} cannot be in the future.").format(_(self.meta.get_label("received_on"))),
				title=_("Day of Receipt"),
			)
		recorded = {
			get_received_on(row.sales_invoice, row.item_code, save_reads(self))
			for row in self.items
			if row.sales_invoice
		}
		if recorded != {getdate(self.received_on)} and not (self.received_on_reason or "").strip():
			frappe.throw(
				_(
					"Say in {0} how the day of receipt is known (carrier tracking, the customer's proof)."
				).format(_(self.meta.get_label("received_on_reason"))),
				title=_("Day of Receipt"),
			)

	def set_eligibility(self):
		reason = ReasonCategory(self.reason_category)
		wanted = RequestType(self.request_type).remedy
		allowed = set(REMEDY_ORDER)
		alternatives, rules = [], []
		forget_rows(self, "items", "warranty_rule")
		for row in self.items:
			delivered_on, invoiced_on = (
				get_sale_dates(row.sales_invoice, row.item_code, save_reads(self))
				if row.sales_invoice
				else (row.delivery_date, None)
			)
			row.delivery_date = delivered_on or invoiced_on
			decision, _policy = decide_for_item(
				row.item_code,
				requested_on=self.request_date,
				reason=reason,
				delivered_on=delivered_on,
				invoiced_on=invoiced_on,
				received_on=self.received_on
				or (
					get_received_on(row.sales_invoice, row.item_code, save_reads(self))
					if row.sales_invoice
					else None
				),
				original_packaging=self.original_packaging,
				man_made_damage=self.man_made_damage,
				resellable=self.resellable,
				appearance_intact=self.appearance_intact,
				accessories_intact=self.accessories_intact,
			)
			row.eligible = decision.allows(wanted)
			keep(self, "warranty_rule", decision.rule, row=row)
			allowed &= set(decision.remedies)
			alternatives.extend(alt for alt in decision.alternatives if alt not in alternatives)
			rules.append(Message("{0}: {1}", row.item_code, decision.rule))
			if not self.shipping_payer:
				self.shipping_payer = decision.shipping_payer.value

		self.eligible = int(bool(self.items) and all(row.eligible for row in self.items))
		keep(self, "allowed_remedies", *(remedy for remedy in REMEDY_ORDER if remedy in allowed), sep=", ")
		keep(self, "eligibility_rule", *rules, sep="\n")
		keep(self, "alternatives", *alternatives, sep=", ")

	def validate_eligible(self):
		if self.eligible:
			return
		frappe.throw(
			_("This request cannot go forward: {0}. The policy allows: {1}. Alternatives: {2}.").format(
				shown(self, "eligibility_rule"),
				shown(self, "allowed_remedies") or _("nothing"),
				shown(self, "alternatives") or _("none"),
			),
			exc=NotEligibleError,
			title=_("Not Eligible"),
		)

	def validate_serial_nos(self):
		"""A serialised line names exactly the units coming back, each one sold on that invoice line."""
		from erpnext.stock.doctype.serial_no.serial_no import get_serial_nos

		for row in invoice_rows(self):
			if not frappe.get_cached_value("Item", row.item_code, "has_serial_no"):
				continue
			serial_nos = get_serial_nos(row.serial_no or "")
			if len(serial_nos) != flt(row.qty):
				frappe.throw(
					_(
						"Row #{0}: enter one serial number per unit returned: {1} for a quantity of {2}."
					).format(row.idx, len(serial_nos), quantity_text(row.qty)),
					title=_("Serial Numbers"),
				)
			sold = set(get_serial_nos(sold_serial_nos(row.sales_invoice_item)))
			strangers = [serial_no for serial_no in serial_nos if serial_no not in sold]
			if strangers:
				frappe.throw(
					_("Row #{0}: serial number(s) {1} were not sold on invoice {2}.").format(
						row.idx, ", ".join(strangers), frappe.bold(row.sales_invoice)
					),
					title=_("Serial Numbers"),
				)
			row.serial_no = "\n".join(serial_nos)

	def validate_unshipped_refund(self):
		if self.reason_category != ReasonCategory.UNSHIPPED_CANCELLED:
			return
		if self.request_type != RequestType.REFUND_ONLY:
			frappe.throw(
				_(
					"An order cancelled before shipping is refunded only: set the request type to Refund Only."
				),
				title=_("Nothing to Return"),
			)
		never_shipped = units_never_shipped(row.sales_invoice_item for row in self.items)
		for row in invoice_rows(self):
			if (sale_facts(row.sales_invoice, save_reads(self)) or {}).get("update_stock"):
				never_shipped[row.sales_invoice_item] = 0
			room = never_shipped.get(row.sales_invoice_item, 0)
			if flt(row.qty) <= room + 1e-9:
				never_shipped[row.sales_invoice_item] = room - flt(row.qty)
				continue
			if not room:
				frappe.throw(
					_(
						"Row #{0}: {1} has already shipped, so the order cannot be cancelled unshipped. Use Return and Refund."
					).format(row.idx, frappe.bold(row.item_code)),
					title=_("Already Shipped"),
				)
			frappe.throw(
				_(
					"Row #{0}: only {1} of {2} were never shipped and not yet refunded; the rest shipped. Refund {1} here and take the shipped units back with Return and Refund."
				).format(row.idx, quantity_text(room), frappe.bold(row.item_code)),
				title=_("Already Shipped"),
			)

	def validate_delivered(self):
		"""Goods coming back must have left the warehouse in a way the case can reverse: a line
		delivered by delivery notes gives back at most the units those notes still have out with the
		customer."""
		if self.request_type in NO_GOODS_BACK:
			return
		rows = [
			row
			for row in self.items
			if row.sales_invoice_item
			and frappe.get_cached_value("Item", row.item_code, "is_stock_item")
			and not (sale_facts(row.sales_invoice, save_reads(self)) or {}).get("update_stock")
		]
		if not rows:
			return
		plan = plan_returns_by_delivery(
			[
				ReturnedUnits(
					str(row.idx),
					row.sales_invoice_item,
					Decimal(str(flt(row.qty))),
					tuple(split_serials(row.serial_no)),
					row.batch_no or None,
				)
				for row in rows
			],
			reads=save_reads(self),
		)
		for row in rows:
			missing = plan.short.get(str(row.idx))
			if not missing:
				continue
			if not row.dn_detail:
				frappe.throw(
					_(
						"Row #{0}: {1} of invoice {2} was never delivered: no delivery note took it out of stock and the invoice did not update stock, so nothing can come back. Use Refund Only with Unshipped Order Cancelled."
					).format(row.idx, frappe.bold(row.item_code), frappe.bold(row.sales_invoice)),
					title=_("Never Delivered"),
				)
			frappe.throw(
				_(
					"Row #{0}: {1} of {2} requested, but only {3} delivered by the delivery notes of invoice {4} are still with the customer."
				).format(
					row.idx,
					quantity_text(row.qty),
					frappe.bold(row.item_code),
					quantity_text(flt(row.qty) - flt(missing)),
					frappe.bold(row.sales_invoice),
				),
				exc=OverReturnError,
				title=_("Not Delivered"),
			)


def units_never_shipped(invoice_lines) -> dict[str, float]:
	"""Invoice line → units no delivery note took out and no credit note has refunded yet: what an
	order cancelled before shipping may still be refunded for. A credit note beyond what delivery
	returns took back refunded units that never shipped."""
	invoice_lines = list({line for line in invoice_lines if line})
	delivered = delivery_lines(invoice_lines)
	sold = get_sold_qty(invoice_lines)
	credited = get_credited_qty(invoice_lines)
	back = delivered_back(invoice_lines)
	return {
		line: max(
			flt(sold.get(line))
			- sum(flt(each.qty) for each in delivered.get(line, []))
			- max(flt(credited.get(line)) - flt(back.get(line)), 0),
			0,
		)
		for line in invoice_lines
	}


def sold_batches(line) -> dict[str, float]:
	"""Batch → quantity an invoice line sold, from its own field or its serial and batch bundle."""
	if line.batch_no:
		return {line.batch_no: flt(line.qty)}
	if not line.serial_and_batch_bundle:
		return {}
	sold: dict[str, float] = {}
	for entry in frappe.get_all(
		"Serial and Batch Entry",
		filters={"parent": line.serial_and_batch_bundle},
		fields=["batch_no", "qty"],
	):
		if entry.batch_no:
			sold[entry.batch_no] = sold.get(entry.batch_no, 0) + abs(flt(entry.qty))
	return sold


def sold_serial_nos(sales_invoice_item: str) -> str:
	"""The serial numbers of an invoice line, from its own field or its serial and batch bundle."""
	line = frappe.db.get_value(
		"Sales Invoice Item", sales_invoice_item, ["serial_no", "serial_and_batch_bundle"], as_dict=True
	)
	if line.serial_no or not line.serial_and_batch_bundle:
		return line.serial_no or ""
	# A batch-only bundle has entries without serial numbers.
	return "\n".join(
		filter(
			None,
			frappe.get_all(
				"Serial and Batch Entry", filters={"parent": line.serial_and_batch_bundle}, pluck="serial_no"
			),
		)
	)


def quantity_text(qty) -> str:
	return f"{flt(qty):g}"


def is_number(value) -> bool:
	try:
		return math.isfinite(float(value))
	except (TypeError, ValueError):
		return False
