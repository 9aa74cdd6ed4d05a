"""The Stock Entries every after-sales document posts: one builder, one set of entry types.

STOCK_ENTRY_TYPES names every Stock Entry Type this app adds, with the ERPNext purpose it posts as;
the types themselves are fixtures (`fixtures/stock_entry_type.json`), shipped and kept as they are.
"""

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.core.schema import STOCK_ENTRY_TYPES


def new_stock_entry(company: str, entry_type: str, remarks: str, **links):
	"""An unsaved Stock Entry of one of our types (or a standard one), dated today.

	`links` are the back-link fields to set, e.g. `aftersales_repair_order=order.name`.
	"""
	return frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": entry_type,
			"purpose": STOCK_ENTRY_TYPES.get(entry_type, entry_type),
			"company": company,
			"posting_date": nowdate(),
			"set_posting_time": 1,
			"remarks": remarks,
			**links,
		}
	)


def item_row(
	item_code: str,
	qty,
	serial_no: str | None = None,
	quantity_only: bool = False,
	batch_no: str | None = None,
) -> dict:
	"""A Stock Entry line in stock units; `quantity_only` moves it at zero valuation, allowed explicitly.
	Serial numbers and batch are those of the units moved."""
	return {
		"item_code": item_code,
		"qty": flt(qty),
		"conversion_factor": 1,
		"allow_zero_valuation_rate": 1 if quantity_only else 0,
		"serial_no": serial_no,
		"batch_no": batch_no,
		"use_serial_batch_fields": 1 if (serial_no or batch_no) else 0,
	}
