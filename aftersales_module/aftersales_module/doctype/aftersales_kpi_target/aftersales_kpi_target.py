# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AftersalesKPITarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		measure: DF.Literal[
			"Return: customer told on time",
			"Return: reviewed on time",
			"Return-goods accuracy",
			"Return: customer satisfied",
			"Return: problem resolved",
			"Inquiry: first response on time",
			"Inquiry: result fed back on time",
			"Inquiry: shipping anomaly followed up on time",
			"Repair: customer contacted on time",
			"Repair: passed",
			"Repair: finished on time",
			"Dispatch: shipped on time",
			"Complaints per thousand orders",
			"After-sales cost against budget",
		]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		target: DF.Float
	# end: auto-generated types
	pass
