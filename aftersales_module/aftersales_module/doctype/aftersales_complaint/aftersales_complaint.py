# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from aftersales_module.controllers import complaints
from aftersales_module.controllers.field_checks import FieldChecks


class AftersalesComplaint(FieldChecks, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal[
			"Product Quality",
			"Service Attitude",
			"Delivery and Logistics",
			"Refund or Return Handling",
			"Repair Quality",
			"Billing",
			"Other",
		]
		channel: DF.Literal[
			"Online Platform", "Hotline", "Online Chat", "Email", "Store Counter", "Customer Portal"
		]
		closed_on: DF.Datetime | None
		company: DF.Link
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		customer: DF.Link
		customer_name: DF.Data | None
		description: DF.SmallText
		flagged_by: DF.Link | None
		flagged_on: DF.Datetime | None
		handling: DF.SmallText | None
		is_malicious: DF.Check
		malicious_reason: DF.SmallText | None
		naming_series: DF.Literal["CMP-.YYYY.-"]
		posting_date: DF.Date
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		resolved_by: DF.Link | None
		resolved_on: DF.Datetime | None
		result: DF.SmallText | None
		sales_invoice: DF.Link | None
		sales_order: DF.Link | None
		status: DF.Literal["Open", "Resolved", "Closed"]
	# end: auto-generated types

	def validate(self):
		complaints.keep_server_values(self)
		complaints.validate_received_on(self)
		complaints.validate_order_links(self)
		complaints.validate_related_case(self)

	@frappe.whitelist()
	def resolve(self):
		complaints.resolve(self)

	@frappe.whitelist()
	def close(self):
		complaints.close(self)

	@frappe.whitelist()
	def flag_malicious(self, reason: str | None = None):
		complaints.flag_malicious(self, reason)
