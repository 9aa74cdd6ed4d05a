import frappe

AFTERSALES_MANAGER = "Aftersales Manager"
CUSTOMER_SERVICE = "Aftersales Customer Service"
QUALITY_INSPECTOR = "Aftersales Quality Inspector"
SALES_APPROVER = "Aftersales Sales Approver"
WAREHOUSE = "Aftersales Warehouse"
REPAIR_TECHNICIAN = "Repair Technician"
REPAIR_POINT_MANAGER = "Repair Point Manager"

AFTERSALES_ROLES = (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	QUALITY_INSPECTOR,
	SALES_APPROVER,
	WAREHOUSE,
	REPAIR_TECHNICIAN,
	REPAIR_POINT_MANAGER,
)


def create_roles() -> None:
	"""Create the after-sales roles that are missing; an existing role is left as the admin has it."""
	for role_name in AFTERSALES_ROLES:
		if frappe.db.exists("Role", role_name):
			continue
		frappe.get_doc({"doctype": "Role", "role_name": role_name, "desk_access": 1}).insert(
			ignore_permissions=True
		)


# ERPNext's Sales User may not read Sales Invoice, yet customer service must pick the invoice a case
# answers: Select lets it find and link the invoice without reading it.
SELECT_ACCESS = {CUSTOMER_SERVICE: ("Sales Invoice",)}


def grant_select_access() -> None:
	"""Add the Select rights above where the role has no rule at all on the doctype yet."""
	from frappe.permissions import add_permission, update_permission_property

	for role, doctypes in SELECT_ACCESS.items():
		for doctype in doctypes:
			rule = {"parent": doctype, "role": role, "permlevel": 0}
			if frappe.db.exists("Custom DocPerm", rule) or frappe.db.exists("DocPerm", rule):
				continue
			add_permission(doctype, role, 0, ptype="select")
			update_permission_property(doctype, role, 0, "read", 0)
