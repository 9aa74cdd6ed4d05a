# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReturnRequestItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		batch_no: DF.Link | None
		credit_note: DF.Link | None
		delivery_date: DF.Date | None
		delivery_note: DF.Link | None
		dn_detail: DF.Data | None
		eligible: DF.Check
		item_code: DF.Link
		item_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		qty: DF.Float
		rate: DF.Currency
		reserved_qty: DF.Float
		returnable_qty: DF.Float
		returned_qty: DF.Float
		sales_invoice: DF.Link | None
		sales_invoice_item: DF.Data | None
		serial_no: DF.SmallText | None
		sold_qty: DF.Float
		uom: DF.Link | None
		warehouse: DF.Link | None
		warranty_rule: DF.SmallText | None
	# end: auto-generated types

	pass
