# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class InquiryTicketFinding(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		checked_by: DF.Link | None
		checked_on: DF.Datetime | None
		department: DF.Literal[
			"Logistics", "Sales", "Warehouse", "Customer Service", "Quality", "Finance", "Other"
		]
		finding: DF.SmallText
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
