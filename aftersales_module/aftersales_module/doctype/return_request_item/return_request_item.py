# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReturnRequestItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		accepted_qty: DF.Float
		amount: DF.Currency
		available_qty: DF.Float
		batch_no: DF.Link | None
		credit_note: DF.Link | None
		delivery_date: DF.Date | None
		delivery_note: DF.Link | None
		discrepancy_note: DF.SmallText | None
		discrepancy_photo: DF.AttachImage | None
		disposition: DF.Literal["", "Restock", "Rework", "Return to Supplier", "Scrap"]
		disposition_entry: DF.Link | None
		dn_detail: DF.Data | None
		eligible: DF.Check
		expected_restock_date: DF.Date | None
		goods_in_entry: DF.Link | None
		held_qty: DF.Float
		inspection_notes: DF.SmallText | None
		inspection_result: DF.Literal["", "Defect Found", "No Defect Found"]
		item_code: DF.Link
		item_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		pos_return: DF.Link | None
		qty: DF.Float
		quality_inspection: DF.Link | None
		rate: DF.Currency
		received_condition: DF.Literal["", "Good", "Damaged", "Wrong Item"]
		received_qty: DF.Float
		received_serial_no: DF.SmallText | None
		released_qty: DF.Float
		replacement_entry: DF.Link | None
		replacement_item: DF.Link | None
		replacement_rate: DF.Currency
		replacement_serial_no: DF.SmallText | None
		replacement_warehouse: DF.Link | None
		reserved_qty: DF.Float
		restock_warehouse: DF.Link | None
		return_delivery_note: DF.Link | None
		returnable_qty: DF.Float
		returned_qty: DF.Float
		sales_invoice: DF.Link | None
		sales_invoice_item: DF.Data | None
		sales_order: DF.Link | None
		sales_order_item: DF.Data | None
		serial_no: DF.SmallText | None
		sold_qty: DF.Float
		spare_due_date: DF.Date | None
		spare_settled_entry: DF.Link | None
		spare_shipped_on: DF.Date | None
		spare_status: DF.Literal["", "Out", "Kept by Customer", "Returned"]
		stock_by_warehouse: DF.SmallText | None
		uom: DF.Link | None
		warehouse: DF.Link | None
		warranty_rule: DF.SmallText | None
	# end: auto-generated types

	pass
