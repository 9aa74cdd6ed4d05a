"""Who works at which repair point, and what each user may see and act on there.

A user works at a repair point when the point names them as its Manager or lists them among its
Members, both kept by the admin on the Repair Point form. Technicians and Repair Point Managers
see the repair orders and spare-part transfer requests of their own points only; the roles that
serve every point (after-sales managers, the central warehouse, customer service) see them all.

The same rule answers everywhere: the desk list, reports, link search and the REST API read
through `permission_query_conditions`, and opening or acting on a single document through
`has_permission`, both registered in hooks.py. Their child tables (parts, visits, requested items,
members) follow the row's parent: `frappe.client.get_list`, `get_value` and `get_count` on a child
doctype name the parent doctype only, so without these conditions they would read every point's rows.
"""

import frappe
from frappe import _

from aftersales_module.controllers.argument_checks import filters_argument, link_argument
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
	WAREHOUSE,
)

# Roles that serve every repair point.
SEES_EVERY_POINT = (AFTERSALES_MANAGER, "System Manager", WAREHOUSE, CUSTOMER_SERVICE)
# Roles a repair point's members need to work there.
POINT_ROLES = (REPAIR_TECHNICIAN, REPAIR_POINT_MANAGER)

# The doctypes kept per repair point, with the field naming the point.
POINT_FIELDS = {
	"Repair Point": "name",
	"Repair Order": "repair_point",
	"Spare Part Transfer Request": "repair_point",
}
# Their child tables, with the parent doctype whose point a row belongs to.
CHILD_PARENTS = {
	"Repair Order Part": "Repair Order",
	"Repair Order Visit": "Repair Order",
	"Spare Part Transfer Request Item": "Spare Part Transfer Request",
	"Repair Point Member": "Repair Point",
}


class NotAtThisRepairPoint(frappe.PermissionError):
	pass


def sees_every_point(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(set(SEES_EVERY_POINT) & set(frappe.get_roles(user)))


def repair_points_of(user: str | None = None) -> list[str]:
	"""The repair points the user manages or is a member of."""
	user = user or frappe.session.user
	managed = frappe.get_all("Repair Point", filters={"manager": user}, pluck="name")
	member_of = frappe.get_all(
		"Repair Point Member",
		filters={"user": user, "parenttype": "Repair Point", "parentfield": "members"},
		pluck="parent",
	)
	return sorted({*managed, *member_of})


def visible_repair_points(user: str | None = None) -> list[str] | None:
	"""The repair points whose documents the user sees; None when they see every point."""
	if sees_every_point(user):
		return None
	return repair_points_of(user)


def works_at(repair_point: str | None, user: str | None = None) -> bool:
	points = visible_repair_points(user)
	return points is None or repair_point in points


def permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions hook: the rows of the user's own repair points only."""
	points = visible_repair_points(user)
	if points is None or doctype not in POINT_FIELDS:
		return ""
	if not points:
		return "1=0"
	values = ", ".join(frappe.db.escape(point) for point in points)
	return f"`tab{doctype}`.`{POINT_FIELDS[doctype]}` in ({values})"


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission hook: a document of another repair point is refused; anything else is left to
	the role permissions (a hook can only refuse)."""
	point = doc.get(POINT_FIELDS.get(doc.doctype, "repair_point"))
	if not point and doc.get("__islocal"):
		# A new document without its point yet: the point is mandatory and checked again on save.
		return None
	return None if works_at(point, user) else False


def child_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of the child tables: the rows whose parent is at the user's points."""
	points = visible_repair_points(user)
	if points is None or doctype not in CHILD_PARENTS:
		return ""
	if not points:
		return "1=0"
	parent = CHILD_PARENTS[doctype]
	values = ", ".join(frappe.db.escape(point) for point in points)
	parents = (
		values
		if parent == "Repair Point"
		else f"select `name` from `tab{parent}` where `{POINT_FIELDS[parent]}` in ({values})"
	)
	table = f"`tab{doctype}`"
	return f"{table}.`parenttype` = {frappe.db.escape(parent)} and {table}.`parent` in ({parents})"


def has_child_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission hook of the child tables: a row of another point's document is refused.

	Frappe 15 checks a child row against its parent doctype only (`has_child_permission` never calls
	a child doctype's hooks), so a child controller's `has_permission` has to ask this too."""
	parent = CHILD_PARENTS.get(doc.doctype)
	if not parent or visible_repair_points(user) is None:
		return None
	if not doc.get("parent"):
		# A row not yet on its document: the document's own check answers.
		return None
	if doc.get("parenttype") != parent:
		return False
	point = (
		doc.parent if parent == "Repair Point" else frappe.db.get_value(parent, doc.parent, "repair_point")
	)
	return None if works_at(point, user) else False


# Stock kept per warehouse: a point's people see the stock of their own points' warehouses.
STOCK_DOCTYPES = ("Bin", "Stock Ledger Entry")


def works_at_points_only(user: str | None = None) -> bool:
	"""A technician or point manager who does not also serve every point."""
	user = user or frappe.session.user
	return bool(set(POINT_ROLES) & set(frappe.get_roles(user))) and not sees_every_point(user)


def point_warehouses(user: str | None = None) -> list[str]:
	points = repair_points_of(user)
	return (
		frappe.get_all("Repair Point", filters={"name": ("in", points)}, pluck="warehouse") if points else []
	)


def stock_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of Bin and Stock Ledger Entry for the people of repair points."""
	if not works_at_points_only(user) or doctype not in STOCK_DOCTYPES:
		return ""
	warehouses = [warehouse for warehouse in point_warehouses(user) if warehouse]
	if not warehouses:
		return "1=0"
	values = ", ".join(frappe.db.escape(warehouse) for warehouse in warehouses)
	return f"`tab{doctype}`.`warehouse` in ({values})"


def has_stock_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	if not works_at_points_only(user):
		return None
	return None if doc.get("warehouse") in point_warehouses(user) else False


def check_works_at(repair_point: str, user: str | None = None) -> None:
	"""Refuse, with the point named, a user who does not work at the repair point."""
	if not works_at(repair_point, user):
		frappe.throw(
			_("You do not work at repair point {0}.").format(frappe.bold(repair_point)),
			NotAtThisRepairPoint,
			title=_("Not Your Repair Point"),
		)


@frappe.whitelist()
def get_count(doctype: str | None = None, filters=None, debug=False, cache=False) -> int:
	"""`frappe.client.get_count`, which counts without permissions, counts only the user's own points
	for the doctypes kept per repair point and their child tables; any other doctype is counted as
	Frappe does."""
	from frappe.client import get_count as count_all

	link_argument(doctype, "DocType", _("DocType"))
	filters = filters_argument(filters, _("Filters"), doctype)
	if doctype in STOCK_DOCTYPES and works_at_points_only():
		[row] = frappe.get_list(
			doctype, filters=frappe.parse_json(filters) if filters else None, fields=["count(*) as count"]
		)
		return row.count
	if doctype in POINT_FIELDS and visible_repair_points() is not None:
		[row] = frappe.get_list(
			doctype, filters=frappe.parse_json(filters) if filters else None, fields=["count(*) as count"]
		)
		return row.count
	if doctype in CHILD_PARENTS and visible_repair_points() is not None:
		# Read as frappe.client.get_list reads a child table: through its parent doctype's rights.
		[row] = frappe.get_list(
			doctype,
			filters=frappe.parse_json(filters) if filters else None,
			fields=["count(*) as count"],
			parent_doctype=CHILD_PARENTS[doctype],
		)
		return row.count
	return count_all(doctype, filters, debug, cache)


class RepairPointRow:
	"""A child row of a repair point's documents, read on its own (`frappe.client.get`, the REST
	API), answers for its parent's point: Frappe 15 asks only the parent doctype's rights."""

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if has_child_permission(self, permtype, user) is False:
			return False
		return super().has_permission(permtype, debug=debug, user=user)
