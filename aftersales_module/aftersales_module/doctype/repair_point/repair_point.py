# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.repair_point_access import POINT_ROLES
from aftersales_module.setup.company import get_or_create_warehouse
from aftersales_module.setup.roles import REPAIR_POINT_MANAGER


class RepairPoint(FieldChecks, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.repair_point_brand.repair_point_brand import (
			RepairPointBrand,
		)
		from aftersales_module.aftersales_module.doctype.repair_point_member.repair_point_member import (
			RepairPointMember,
		)

		address: DF.SmallText | None
		brands: DF.TableMultiSelect[RepairPointBrand]
		company: DF.Link
		disabled: DF.Check
		manager: DF.Link | None
		members: DF.Table[RepairPointMember]
		region: DF.Data | None
		repair_point_name: DF.Data
		warehouse: DF.Link | None

	# end: auto-generated types
	def validate(self):
		self.validate_manager()
		self.validate_members()

	def on_update(self):
		self.ensure_warehouse()
		self.remove_legacy_manager_permissions()

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

	def validate_members(self):
		"""Each member once, and with a role that works at a repair point."""
		seen = set()
		for row in self.members:
			if row.user in seen:
				frappe.throw(
					_("Members row #{0}: {1} is listed twice.").format(row.idx, frappe.bold(row.user)),
					title=_("Member Listed Twice"),
				)
			seen.add(row.user)
			if not set(POINT_ROLES) & set(frappe.get_roles(row.user)):
				frappe.throw(
					_("Members row #{0}: {1} needs the role {2} to work at a repair point.").format(
						row.idx,
						frappe.bold(row.user),
						f" {_('or')} ".join(frappe.bold(_(role)) for role in POINT_ROLES),
					),
					title=_("Not Repair Point Staff"),
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

	def remove_legacy_manager_permissions(self):
		"""Earlier versions kept a manager's access as a User Permission on the repair point, which
		would now also hide the other points the user works at. Access follows the Manager and the
		Members of each point, so those permissions go when the point is saved."""
		before = self.get_doc_before_save()
		for manager in {before.manager if before else None, self.manager} - {None, ""}:
			remove_manager_permission(self.name, manager)


def remove_manager_permission(repair_point: str, user: str | None = None) -> None:
	filters = {"allow": "Repair Point", "for_value": repair_point}
	if user:
		filters["user"] = user
	for name in frappe.get_all("User Permission", filters=filters, pluck="name"):
		frappe.delete_doc("User Permission", name, ignore_permissions=True)
