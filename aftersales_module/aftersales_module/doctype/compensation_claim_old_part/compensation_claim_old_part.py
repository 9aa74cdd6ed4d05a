# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CompensationClaimOldPart(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		condition: DF.Literal["", "Good", "Bad"]
		handling: DF.Literal["", "Restock", "Scrap", "Return to Supplier"]
		handling_entry: DF.Link | None
		item_code: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		qty: DF.Float
		receipt_entry: DF.Link | None
		restock_warehouse: DF.Link | None
		serial_no: DF.SmallText | None
	# end: auto-generated types
	pass
