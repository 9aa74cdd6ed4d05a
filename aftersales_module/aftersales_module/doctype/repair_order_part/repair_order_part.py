# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from aftersales_module.controllers.repair_point_access import RepairPointRow


class RepairOrderPart(RepairPointRow, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		issue_entry: DF.Link | None
		item_code: DF.Link
		item_name: DF.Data | None
		old_part_entry: DF.Link | None
		old_part_fault: DF.Data | None
		old_part_returned: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		qty: DF.Float
		rate: DF.Currency
		warehouse: DF.Link | None
	# end: auto-generated types
	pass
