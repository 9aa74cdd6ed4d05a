# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from aftersales_module.controllers.repair_point_access import RepairPointRow


class RepairOrderVisit(RepairPointRow, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		fixed: DF.Check
		next_visit: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		result: DF.SmallText | None
		visit_date: DF.Datetime
	# end: auto-generated types
	pass
