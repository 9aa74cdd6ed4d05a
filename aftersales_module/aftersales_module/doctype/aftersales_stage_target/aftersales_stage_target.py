# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AftersalesStageTarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		case_doctype: DF.Literal[
			"Return Request",
			"Repair Order",
			"Spare Part Transfer Request",
			"Compensation Claim",
			"Inquiry Ticket",
		]
		company: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		stage: DF.Data
		target_hours: DF.Float
	# end: auto-generated types
	pass
