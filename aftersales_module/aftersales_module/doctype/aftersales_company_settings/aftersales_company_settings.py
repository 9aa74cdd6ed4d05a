# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AftersalesCompanySettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aftersales_warehouse: DF.Link | None
		company: DF.Link
		compensation_expense_account: DF.Link | None
		complaint_orders_from: DF.Literal["Sales Order", "Sales Invoice"]
		compensation_recovery_account: DF.Link | None
		consignment_repair_warehouse: DF.Link | None
		cost_center: DF.Link | None
		dispatch_due_hours: DF.Float
		freight_payable_account: DF.Link | None
		old_parts_warehouse: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		repair_due_hours: DF.Int
		repair_points_warehouse: DF.Link | None
		repair_virtual_warehouse: DF.Link | None
		return_deduction_account: DF.Link | None
		return_shipping_account: DF.Link | None
		return_warehouse: DF.Link | None
		scrap_expense_account: DF.Link | None
		scrap_warehouse: DF.Link | None
		spare_unit_warehouse: DF.Link | None
		staff_deduction_account: DF.Link | None
		warranty_expense_account: DF.Link | None
	# end: auto-generated types

	pass
