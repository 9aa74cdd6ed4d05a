# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class WarrantyPolicyShippingRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reason_category: DF.Literal[
			"Quality Problem",
			"Personal Reason (7-day No Reason)",
			"Not as Described",
			"Damaged in Transit",
			"Wrong Item",
			"Missing Item",
			"Unshipped Order Cancelled",
			"Other",
		]
		shipping_payer: DF.Literal["Company", "Customer", "Split Half-Half"]
		time_limit: DF.Literal["", "Warranty Windows", "No Time Limit"]
	# end: auto-generated types

	pass
