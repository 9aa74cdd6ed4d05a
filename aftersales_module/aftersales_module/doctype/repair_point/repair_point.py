# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.setup.company import get_or_create_warehouse
from aftersales_module.setup.roles import REPAIR_POINT_MANAGER


class RepairPoint(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.repair_point_brand.repair_point_brand import (
			RepairPointBrand,
		)

		address: DF.SmallText | None
		brands: DF.TableMultiSelect[RepairPointBrand]
		company: DF.Link
		disabled: DF.Check
		manager: DF.Link | None
		region: DF.Data | None
		repair_point_name: DF.Data
		warehouse: DF.Link | None

	# end: auto-generated types
	def validate(self):
		self.validate_manager()

	def on_update(self):
		self.ensure_warehouse()
		self.sync_manager_permission()

	def on_trash(self):
		remove_manager_permission(self.name)

	def validate_manager(self):
		if self.manager and REPAIR_POINT_MANAGER not in frappe.get_roles(self.manager):
			frappe.throw(
				_("{0} needs the role {1} to manage a repair point. Give the user the role first.").format(
					frappe.bold(self.manager), frappe.bold(_(REPAIR_POINT_MANAGER))
				),
				title=_("Not a Repair Point Manager"),
			)

	def ensure_warehouse(self):
		"""Its own warehouse, under the company's Repair Points group, enabled while the point is."""
		if not self.warehouse or frappe.db.get_value("Warehouse", self.warehouse, "company") != self.company:
			parent = get_company_settings(self.company).repair_points_warehouse
			self.warehouse = get_or_create_warehouse(self.company, self.repair_point_name, 0, parent)
			self.db_set("warehouse", self.warehouse)
		if frappe.db.get_value("Warehouse", self.warehouse, "disabled") != self.disabled:
			warehouse = frappe.get_doc("Warehouse", self.warehouse)
			warehouse.disabled = self.disabled
			warehouse.save(ignore_permissions=True)

	def sync_manager_permission(self):
		"""The manager sees and acts only for this repair point: a User Permission, kept in step."""
		before = self.get_doc_before_save()
		if before and before.manager and before.manager != self.manager:
			remove_manager_permission(self.name, before.manager)
		if self.manager and not frappe.db.exists(
			"User Permission", {"user": self.manager, "allow": "Repair Point", "for_value": self.name}
		):
			frappe.get_doc(
				{
					"doctype": "User Permission",
					"user": self.manager,
					"allow": "Repair Point",
					"for_value": self.name,
					"apply_to_all_doctypes": 1,
				}
			).insert(ignore_permissions=True)


def remove_manager_permission(repair_point: str, user: str | None = None) -> None:
	filters = {"allow": "Repair Point", "for_value": repair_point}
	if user:
		filters["user"] = user
	for name in frappe.get_all("User Permission", filters=filters, pluck="name"):
		frappe.delete_doc("User Permission", name, ignore_permissions=True)
