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
