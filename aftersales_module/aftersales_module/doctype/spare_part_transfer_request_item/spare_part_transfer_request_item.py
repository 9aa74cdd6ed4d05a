# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from aftersales_module.controllers.repair_point_access import RepairPointRow


class SparePartTransferRequestItem(RepairPointRow, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approved_qty: DF.Float
		item_code: DF.Link
		item_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		pending_qty: DF.Float
		requested_qty: DF.Float
		stock_uom: DF.Link | None
		transferred_qty: DF.Float
	# end: auto-generated types
	pass
