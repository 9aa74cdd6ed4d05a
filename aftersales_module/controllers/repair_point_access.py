"""Who works at which repair point, and what each user may see and act on there.

A user works at a repair point when the point names them as its Manager or lists them among its
Members, both kept by the admin on the Repair Point form. Technicians and Repair Point Managers
see the repair orders and spare-part transfer requests of their own points only; the roles that
serve every point (after-sales managers, the central warehouse, customer service) see them all.

The same rule answers everywhere: the desk list, reports, link search and the REST API read
through `permission_query_conditions`, and opening or acting on a single document through
`has_permission`, both registered in hooks.py.
"""

import frappe
from frappe import _

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
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""`frappe.client.get_count`, which counts without permissions, counts only the user's own points
	for the doctypes kept per repair point; any other doctype is counted as Frappe does."""
	from frappe.client import get_count as count_all

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
	return count_all(doctype, filters, debug, cache)
