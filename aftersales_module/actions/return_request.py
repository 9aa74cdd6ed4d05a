"""The steps of a Return Request that are not workflow moves, each one a checked service.

Each step checks the acting user's role, locks the case and reads it again from the database (what
a client sent with the call is ignored), checks the stage, makes the ERPNext documents for the
user, and saves. Workflow moves post in the controller's `on_update_after_submit`.
"""

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import sold_serial_nos
from aftersales_module.controllers import exchange_postings, return_postings, spare_postings
from aftersales_module.controllers.argument_checks import (
	link_argument,
	mapping_argument,
	text_argument,
	texts_argument,
)
from aftersales_module.controllers.case_stages import stage_of
from aftersales_module.controllers.messages import apply_rule
from aftersales_module.controllers.sales_history import get_invoice_lines, get_open_holds, get_returned_qty
from aftersales_module.controllers.steps import as_app, finish_step, has_role, require_role, start_step
from aftersales_module.controllers.uninvoiced_items import add_uninvoiced_lines
from aftersales_module.core.enums import RequestType
from aftersales_module.core.exchange_postings import EXCHANGE_TYPES
from aftersales_module.core.stages import Stage
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE

AFTER_RECEIPT = (Stage.GOODS_RECEIVED, Stage.REFUNDED, Stage.CLOSED)


class ReturnRequestActions:
	def require_stage(self, stages: tuple[Stage, ...], message: str, request_types=None):
		if stage_of(self) not in stages or (request_types and self.request_type not in request_types):
			frappe.throw(message, title=_("Not Now"))

	@frappe.whitelist()
	def resolve_discrepancy(self, resolution: str | None = None):
		"""Customer service accepts the goods as received; they are taken back and credited as such."""
		start_step(self, CUSTOMER_SERVICE)
		if stage_of(self) != Stage.GOODS_RECEIVED or not self.has_discrepancy or self.discrepancy_resolved:
			frappe.throw(_("There is no open discrepancy on this request."), title=_("Nothing to Resolve"))
		text_argument(resolution, _("Discrepancy Resolution"), required=False)
		if not (resolution or "").strip():
			frappe.throw(_("Describe how the discrepancy was resolved."), title=_("Resolution Needed"))
		self.discrepancy_resolution = resolution
		self.discrepancy_resolved = 1
		for row in self.items:
			row.accepted_qty = min(flt(row.received_qty), flt(row.qty))
		with as_app():
			self.post_goods_in()
		finish_step(self)

	@frappe.whitelist()
	def ship_replacements(self):
		"""Send back the repaired unit or the replacement; a price difference is invoiced or credited."""
		start_step(self, WAREHOUSE)
		self.require_stage(
			(Stage.GOODS_RECEIVED,),
			_("Only an exchange or repair whose goods were received ships a unit back."),
			EXCHANGE_TYPES,
		)
		with as_app():
			exchange_postings.ship_replacements(self)
		finish_step(self)

	@frappe.whitelist()
	def ship_spare_units(self):
		"""Send the spare unit ahead of the faulty one (先發貨後退回)."""
		start_step(self, WAREHOUSE)
		self.require_stage(
			(Stage.APPROVED,), _("Ship spare units once the request is approved."), (RequestType.SPARE_UNIT,)
		)
		with as_app():
			spare_postings.ship_spare_units(self)
		finish_step(self)

	@frappe.whitelist()
	def receive_spare_back(self, returned_serials: dict | str | None = None):
		"""The customer returns the spare unit: it enters the return warehouse at cost."""
		start_step(self, WAREHOUSE)
		self.require_stage(
			(Stage.APPROVED, Stage.GOODS_RECEIVED),
			_("A spare unit comes back to an approved spare-unit request."),
			(RequestType.SPARE_UNIT,),
		)
		returned = texts_argument(returned_serials, _("Returned Serial Nos"), self.items)
		with as_app():
			spare_postings.receive_spare_back(self, returned or {})
		finish_step(self)

	@frappe.whitelist()
	def check_reissue_stock(self):
		"""Show what each line's warehouse holds, where else the item is, and when more is expected."""
		self.check_permission("read")
		if not self.is_new():
			self.load_from_db()
		if self.request_type != RequestType.REISSUE:
			frappe.throw(_("Only a reissue request checks stock to ship."), title=_("Not a Reissue"))
		spare_postings.check_reissue_stock(self)
		return [
			{
				"idx": row.idx,
				"item_code": row.replacement_item or row.item_code,
				"qty": row.qty,
				"warehouse": row.replacement_warehouse,
				"available_qty": row.available_qty,
				"stock_by_warehouse": row.stock_by_warehouse,
				"expected_restock_date": row.expected_restock_date,
			}
			for row in self.items
		]

	@frappe.whitelist()
	def ship_reissue(self):
		"""Ship the replacement without price, at cost, from a warehouse that has it (補發)."""
		start_step(self, WAREHOUSE)
		self.require_stage(
			(Stage.APPROVED,), _("Ship the reissue once the request is approved."), (RequestType.REISSUE,)
		)
		with as_app():
			spare_postings.ship_reissue(self)
		finish_step(self)

	@frappe.whitelist()
	def approve_scrap(self):
		start_step(self, AFTERSALES_MANAGER)
		self.require_stage(AFTER_RECEIPT, _("Scrap is approved once the goods are received."))
		self.scrap_approved_by = frappe.session.user
		self.scrap_approved_on = now_datetime()
		finish_step(self)

	@frappe.whitelist()
	def apply_dispositions(self):
		"""Move each received line where its disposition sends it: restock, scrap, or keep it."""
		start_step(self, WAREHOUSE)
		self.require_stage(AFTER_RECEIPT, _("Dispose of goods once they are received."))
		with as_app():
			apply_rule(return_postings.apply_dispositions, self, title=_("Check the Dispositions"))
		finish_step(self)

	@frappe.whitelist()
	def get_items(self, sales_invoice: str | None = None):
		"""Add the still-returnable lines of an invoice, each asking for all it can.

		Customer service reads the invoice's lines through the case: ERPNext's Sales User may not
		read Sales Invoice, and needs only the lines of this customer's own invoices here.
		"""
		require_role(self, CUSTOMER_SERVICE, ptype="create" if self.is_new() else "write")
		if self.docstatus != 0:
			frappe.throw(
				_("Items are taken from an invoice while the request is a draft."), title=_("Not Now")
			)
		sales_invoice = sales_invoice or self.sales_invoice
		text_argument(sales_invoice, _("Sales Invoice"), required=False, limit=frappe.db.VARCHAR_LEN)
		if not sales_invoice and (self.delivery_note or self.sales_order):
			# What was delivered or ordered and not invoiced (controllers.uninvoiced_items).
			add_uninvoiced_lines(self)
			return
		if not sales_invoice:
			frappe.throw(_("Select a Sales Invoice first."), title=_("No Invoice"))
		if not (self.customer and self.company):
			frappe.throw(
				_("Select the company and the customer first: items come from their own invoices."),
				title=_("No Customer"),
			)
		check_invoice_of_case(self, sales_invoice)

		# The desk starts a new form with an empty line; the invoice's lines take its place.
		self.set("items", [row for row in self.items if row.item_code or row.sales_invoice_item])
		lines = get_invoice_lines(sales_invoice)
		names = [line.name for line in lines]
		returned = get_returned_qty(names)
		reserved = get_open_holds(names)
		present = {row.sales_invoice_item for row in self.items}
		for line in lines:
			returnable = line.qty - returned.get(line.name, 0) - reserved.get(line.name, 0)
			if line.name in present or returnable <= 0:
				continue
			self.append("items", invoice_line_row(sales_invoice, line, returned, reserved, returnable))


def check_invoice_of_case(case, sales_invoice: str) -> None:
	invoice = frappe.db.get_value(
		"Sales Invoice", sales_invoice, ["customer", "company", "docstatus", "is_return"], as_dict=True
	)
	if not invoice or invoice.docstatus != 1 or invoice.is_return:
		frappe.throw(
			_("{0} is not a submitted sales invoice; select one of the customer's invoices.").format(
				frappe.bold(sales_invoice)
			),
			title=_("Invalid Invoice"),
		)
	if (invoice.customer, invoice.company) != (case.customer, case.company):
		frappe.throw(
			_("Invoice {0} is for {1} of {2}; this request is for {3} of {4}.").format(
				frappe.bold(sales_invoice), invoice.customer, invoice.company, case.customer, case.company
			),
			title=_("Wrong Customer"),
		)


def invoice_line_row(sales_invoice: str, line, returned: dict, reserved: dict, returnable) -> dict:
	return {
		"sales_invoice": sales_invoice,
		"sales_invoice_item": line.name,
		"item_code": line.item_code,
		"item_name": line.item_name,
		"qty": returnable,
		"rate": line.net_rate,
		"uom": line.uom,
		"warehouse": line.warehouse,
		"serial_no": sold_serial_nos(line.name),
		"batch_no": line.batch_no,
		"delivery_note": line.delivery_note,
		"dn_detail": line.dn_detail,
		"sold_qty": line.qty,
		"returned_qty": returned.get(line.name, 0),
		"reserved_qty": reserved.get(line.name, 0),
		"returnable_qty": returnable,
	}


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def search_invoices(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | str | None
):
	"""The Sales Invoice picker of a return request: the customer's submitted sales, for customer
	service, who may not read Sales Invoice in ERPNext."""
	if not has_role(CUSTOMER_SERVICE) or not frappe.has_permission("Return Request", "create"):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	filters = frappe._dict(mapping_argument(filters, _("Filters")))
	txt = text_argument(txt, _("Search Text"), required=False, limit=frappe.db.VARCHAR_LEN)
	if not filters.get("customer"):
		return []  # one customer's sales at a time: the case's customer comes first
	conditions = {
		"docstatus": 1,
		"is_return": 0,
		"customer": link_argument(filters.customer, "Customer", _("Customer")),
	}
	if filters.get("company"):
		conditions["company"] = link_argument(filters.company, "Company", _("Company"))
	return frappe.get_all(
		"Sales Invoice",
		filters=conditions,
		or_filters={"name": ("like", f"%{txt}%"), "customer_name": ("like", f"%{txt}%")} if txt else None,
		fields=["name", "customer_name", "posting_date", "grand_total"],
		order_by="posting_date desc",
		start=start,
		page_length=page_len,
		as_list=True,
	)
