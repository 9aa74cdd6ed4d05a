# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

"""Parts issue register 售服領件明細表: every stock line moved by a return, repair, transfer request or claim."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import IfNull

from aftersales_module.aftersales_module.report.registers import (
	currency_column,
	hidden_currency_column,
	readable_links,
	validate_period,
	within_period,
)
from aftersales_module.controllers.repair_point_access import visible_repair_points
from aftersales_module.setup.custom_fields import (
	COMPENSATION_CLAIM_LINK,
	REPAIR_ORDER_LINK,
	RETURN_REQUEST_LINK,
	TRANSFER_REQUEST_LINK,
)

COMPENSATION_CLAIM = "Compensation Claim"
TRANSFER_REQUEST = "Spare Part Transfer Request"
REPAIR_ORDER = "Repair Order"
RETURN_REQUEST = "Return Request"

# The back link on a Stock Entry and the after-sales document it names. Should an entry carry more
# than one, the first set here is its source: the most specific document that moved the parts.
SOURCES = (
	(COMPENSATION_CLAIM_LINK, COMPENSATION_CLAIM),
	(TRANSFER_REQUEST_LINK, TRANSFER_REQUEST),
	(REPAIR_ORDER_LINK, REPAIR_ORDER),
	(RETURN_REQUEST_LINK, RETURN_REQUEST),
)


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	validate_filters(filters)
	return readable_links(get_columns()), get_data(filters)


def validate_filters(filters) -> None:
	validate_period(filters)
	if filters.get("source_doctype") and filters.source_doctype not in dict(SOURCES).values():
		frappe.throw(_("{0} is not an after-sales source document.").format(filters.source_doctype))


def get_columns() -> list[dict]:
	return [
		{"fieldname": "posting_date", "label": _("Posting Date"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "stock_entry",
			"label": _("Stock Entry"),
			"fieldtype": "Link",
			"options": "Stock Entry",
			"width": 150,
		},
		{
			"fieldname": "stock_entry_type",
			"label": _("Stock Entry Type"),
			"fieldtype": "Link",
			"options": "Stock Entry Type",
			"width": 150,
		},
		{
			"fieldname": "source_doctype",
			"label": _("Source Document Type"),
			"fieldtype": "Link",
			"options": "DocType",
			"width": 170,
		},
		{
			"fieldname": "source_name",
			"label": _("Source Document"),
			"fieldtype": "Dynamic Link",
			"options": "source_doctype",
			"width": 160,
		},
		{
			"fieldname": "party_type",
			"label": _("Party Type"),
			"fieldtype": "Link",
			"options": "DocType",
			"width": 110,
		},
		{
			"fieldname": "party",
			"label": _("Party"),
			"fieldtype": "Dynamic Link",
			"options": "party_type",
			"width": 150,
		},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Link", "options": "Item", "width": 130},
		{"fieldname": "item_name", "label": _("Item Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "qty", "label": _("Qty"), "fieldtype": "Float", "width": 70},
		{"fieldname": "uom", "label": _("UOM"), "fieldtype": "Link", "options": "UOM", "width": 70},
		{
			"fieldname": "s_warehouse",
			"label": _("From Warehouse"),
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 150,
		},
		{
			"fieldname": "t_warehouse",
			"label": _("To Warehouse"),
			"fieldtype": "Link",
			"options": "Warehouse",
			"width": 150,
		},
		currency_column("amount", _("Valuation Amount")),
		hidden_currency_column(),
	]


def get_data(filters) -> list[dict]:
	entry = frappe.qb.DocType("Stock Entry")
	line = frappe.qb.DocType("Stock Entry Detail")
	company = frappe.qb.DocType("Company")
	claim = frappe.qb.DocType(COMPENSATION_CLAIM)
	transfer = frappe.qb.DocType(TRANSFER_REQUEST)
	order = frappe.qb.DocType(REPAIR_ORDER)
	case = frappe.qb.DocType(RETURN_REQUEST)

	def is_set(field):
		return IfNull(entry[field], "") != ""

	# Per source, in the order of SOURCES: (its table, its customer, its repair point).
	source_tables = {
		COMPENSATION_CLAIM: (claim, claim.customer, None),
		TRANSFER_REQUEST: (transfer, None, transfer.repair_point),
		REPAIR_ORDER: (order, order.customer, order.repair_point),
		RETURN_REQUEST: (case, case.customer, None),
	}
	source_doctype, source_name, customer, repair_point = Case(), Case(), Case(), Case()
	posted_by_aftersales = None
	for field, doctype in SOURCES:
		_table, customer_term, repair_point_term = source_tables[doctype]
		posted_by_aftersales = (
			is_set(field) if posted_by_aftersales is None else posted_by_aftersales | is_set(field)
		)
		source_doctype = source_doctype.when(is_set(field), doctype)
		source_name = source_name.when(is_set(field), entry[field])
		customer = customer.when(is_set(field), customer_term)
		repair_point = repair_point.when(is_set(field), repair_point_term)

	query = (
		frappe.qb.from_(line)
		.join(entry)
		.on(entry.name == line.parent)
		.left_join(company)
		.on(company.name == entry.company)
	)
	for field, doctype in SOURCES:
		table = source_tables[doctype][0]
		query = query.left_join(table).on(table.name == entry[field])
	query = (
		query.select(
			entry.posting_date,
			entry.name.as_("stock_entry"),
			entry.stock_entry_type,
			source_doctype.as_("source_doctype"),
			source_name.as_("source_name"),
			customer.as_("customer"),
			repair_point.as_("repair_point"),
			line.item_code,
			line.item_name,
			line.qty,
			line.uom,
			line.s_warehouse,
			line.t_warehouse,
			line.amount,
			company.default_currency.as_("currency"),
		)
		.where((entry.docstatus == 1) & (line.parenttype == "Stock Entry") & posted_by_aftersales)
		.orderby(entry.posting_date)
		.orderby(entry.posting_time)
		.orderby(entry.name)
		.orderby(line.idx)
	)
	if filters.get("company"):
		query = query.where(entry.company == filters.company)
	query = within_period(query, entry.posting_date, filters)
	if filters.get("item_code"):
		query = query.where(line.item_code == filters.item_code)
	if filters.get("customer"):
		query = query.where(customer == filters.customer)
	if filters.get("source_doctype"):
		query = query.where(source_doctype == filters.source_doctype)
	# The staff of a repair point see the parts of the points they work at, and nothing else.
	points = visible_repair_points()
	if points is not None:
		query = query.where(repair_point.isin(points or [""]))

	data = []
	for row in query.run(as_dict=True):
		by_repair_point = row.source_doctype == TRANSFER_REQUEST
		data.append(
			{
				"posting_date": row.posting_date,
				"stock_entry": row.stock_entry,
				"stock_entry_type": row.stock_entry_type,
				"source_doctype": row.source_doctype,
				"source_name": row.source_name,
				"party_type": "Repair Point" if by_repair_point else "Customer",
				"party": row.repair_point if by_repair_point else row.customer,
				"item_code": row.item_code,
				"item_name": row.item_name,
				"qty": row.qty,
				"uom": row.uom,
				"s_warehouse": row.s_warehouse,
				"t_warehouse": row.t_warehouse,
				"amount": row.amount,
				"currency": row.currency,
			}
		)
	return data
