"""Get Items from what was sold but not invoiced: the unbilled lines of the case's Delivery Note, or the
unshipped lines of its Sales Order, each asking for all that can still come back."""

import frappe
from frappe import _
from frappe.utils import flt

from aftersales_module.controllers.argument_checks import link_argument, mapping_argument, text_argument
from aftersales_module.controllers.deliveries import delivered_serials
from aftersales_module.controllers.steps import has_role
from aftersales_module.controllers.uninvoiced_sales import (
	DN_ITEM,
	SO_ITEM,
	delivery_line_facts,
	held_on,
	order_line_facts,
	uninvoiced_by_delivery,
	unshipped_by_order,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE


def add_uninvoiced_lines(case) -> None:
	if not (case.customer and case.company):
		frappe.throw(
			_("Select the company and the customer first: items come from their own sales."),
			title=_("No Customer"),
		)
	# The desk starts a new form with an empty line; the sale's lines take its place.
	case.set("items", [row for row in case.items if row.item_code])
	added = 0
	if case.delivery_note:
		added += add_delivery_lines(case, case.delivery_note)
	if case.sales_order:
		added += add_order_lines(case, case.sales_order)
	if not added:
		frappe.throw(
			_(
				"Nothing is left to take back from {0}: every line is invoiced, shipped, returned or requested by another return request."
			).format(frappe.bold(case.delivery_note or case.sales_order)),
			title=_("Nothing to Return"),
		)


def check_sale(case, doctype: str, name: str, submitted_sale: bool) -> None:
	sale = frappe.db.get_value(doctype, name, ["customer", "company"], as_dict=True)
	if not sale or not submitted_sale:
		frappe.throw(
			_("{0} is not a submitted {1} of the customer; select one of theirs.").format(
				frappe.bold(name), _(doctype)
			),
			title=_("Invalid Sale"),
		)
	if (sale.customer, sale.company) != (case.customer, case.company):
		frappe.throw(
			_("{0} is for {1} of {2}; this request is for {3} of {4}.").format(
				frappe.bold(name), sale.customer, sale.company, case.customer, case.company
			),
			title=_("Wrong Customer"),
		)


def add_delivery_lines(case, delivery_note: str) -> int:
	note = frappe.db.get_value("Delivery Note", delivery_note, ["docstatus", "is_return"], as_dict=True)
	check_sale(
		case, "Delivery Note", delivery_note, bool(note and note.docstatus == 1 and not note.is_return)
	)
	names = frappe.get_all(
		"Delivery Note Item", filters={"parent": delivery_note}, pluck="name", order_by="idx"
	)
	facts = delivery_line_facts(names)
	room = uninvoiced_by_delivery(names)
	held = held_on(DN_ITEM, names)
	present = {row.dn_detail for row in case.items if not row.sales_invoice_item}
	added = 0
	for name in names:
		line = facts[name]
		returnable = flt(room.get(name)) - flt(held.get(name))
		if name in present or returnable <= 0:
			continue
		out = serials_still_out(line)
		case.append(
			"items",
			{
				"delivery_note": delivery_note,
				"dn_detail": name,
				"item_code": line.item_code,
				"item_name": line.item_name,
				"qty": returnable,
				"rate": line.net_rate,
				"uom": line.uom,
				"warehouse": line.warehouse,
				# The units still out when all of them come back; else the user names them.
				"serial_no": "\n".join(out) if out and len(out) == returnable else None,
				"batch_no": line.batch_no,
				"delivery_date": line.posting_date,
				"sold_qty": line.qty,
				"returned_qty": flt(line.qty) - flt(room.get(name)),
				"reserved_qty": flt(held.get(name)),
				"returnable_qty": returnable,
			},
		)
		added += 1
	return added


def serials_still_out(line) -> list[str]:
	"""The serial numbers a delivery line took out that no delivery return has brought back."""
	delivered = delivered_serials(line)
	if not delivered:
		return []
	back = set()
	for returned in frappe.db.sql(
		"""select item.serial_no, item.serial_and_batch_bundle from `tabDelivery Note Item` item
		join `tabDelivery Note` note on note.name = item.parent
		where item.dn_detail = %s and note.docstatus = 1 and note.is_return = 1""",
		line.name,
		as_dict=True,
	):
		back |= delivered_serials(returned)
	return sorted(delivered - back)


def add_order_lines(case, sales_order: str) -> int:
	order = frappe.db.get_value("Sales Order", sales_order, ["docstatus"], as_dict=True)
	check_sale(case, "Sales Order", sales_order, bool(order and order.docstatus == 1))
	names = frappe.get_all("Sales Order Item", filters={"parent": sales_order}, pluck="name", order_by="idx")
	facts = order_line_facts(names)
	room = unshipped_by_order(names)
	held = held_on(SO_ITEM, names)
	present = {row.sales_order_item for row in case.items if row.sales_order_item}
	added = 0
	for name in names:
		line = facts[name]
		returnable = flt(room.get(name)) - flt(held.get(name))
		if name in present or returnable <= 0:
			continue
		case.append(
			"items",
			{
				"sales_order": sales_order,
				"sales_order_item": name,
				"item_code": line.item_code,
				"item_name": line.item_name,
				"qty": returnable,
				"rate": line.net_rate,
				"uom": line.uom,
				"warehouse": line.warehouse,
				"sold_qty": line.qty,
				"returned_qty": flt(line.qty) - flt(room.get(name)),
				"reserved_qty": flt(held.get(name)),
				"returnable_qty": returnable,
			},
		)
		added += 1
	return added


# ---- pickers -------------------------------------------------------------------------------------------


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def search_deliveries(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | str | None
):
	"""The Delivery Note picker of a return request: the customer's submitted deliveries not fully
	invoiced, for customer service, who may not read Delivery Note in ERPNext."""
	return customer_sales(
		"Delivery Note", txt, filters, start, page_len, {"is_return": 0, "per_billed": ("<", 100)}
	)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def search_orders(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | str | None
):
	"""The Sales Order picker: the customer's open orders paid in advance and not fully delivered."""
	return customer_sales(
		"Sales Order",
		txt,
		filters,
		start,
		page_len,
		{
			"status": ("not in", ("Closed", "Completed")),
			"advance_paid": (">", 0),
			"per_delivered": ("<", 100),
		},
	)


def customer_sales(doctype: str, txt, filters, start, page_len, conditions: dict) -> list:
	if not has_role(CUSTOMER_SERVICE) or not frappe.has_permission("Return Request", "create"):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	filters = frappe._dict(mapping_argument(filters, _("Filters")))
	txt = text_argument(txt, _("Search Text"), required=False, limit=frappe.db.VARCHAR_LEN)
	if not filters.get("customer"):
		return []  # one customer's sales at a time: the case's customer comes first
	conditions = {
		**conditions,
		"docstatus": 1,
		"customer": link_argument(filters.customer, "Customer", _("Customer")),
	}
	if filters.get("company"):
		conditions["company"] = link_argument(filters.company, "Company", _("Company"))
	date_field = "posting_date" if doctype == "Delivery Note" else "transaction_date"
	return frappe.get_all(
		doctype,
		filters=conditions,
		or_filters={"name": ("like", f"%{txt}%"), "customer_name": ("like", f"%{txt}%")} if txt else None,
		fields=["name", "customer_name", date_field, "grand_total"],
		order_by=f"{date_field} desc",
		start=start,
		page_length=page_len,
		as_list=True,
	)
