# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReturnRequestPosting(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		against: DF.Data | None
		amount: DF.Currency
		currency: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		purpose: DF.Literal[
			"Quality Inspection",
			"Goods In",
			"Credit Note",
			"Refund",
			"Freight",
			"Disposition",
			"Sales Order",
			"Replacement",
			"Price Difference",
			"Spare Unit",
			"Reissue",
			"Test Unit In",
			"Test Unit Taken Over",
			"Test Unit Shipped Back",
			"Freight Back",
			"Postage Owed",
			"Postage Reimbursed",
		]
		voucher_no: DF.DynamicLink | None
		voucher_type: DF.Link | None
	# end: auto-generated types
	pass
