"""Users who hold one after-sales role and the ERPNext role their job normally has.

Integration tests act as these people, step by step; Administrator only sets things up.
"""

from contextlib import contextmanager

import frappe

from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	QUALITY_INSPECTOR,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
	SALES_APPROVER,
	WAREHOUSE,
)

ACCOUNTS_USER = "Accounts User"

# user → the roles that user holds, exactly
ROLE_USERS = {
	"as-customer-service@example.com": (CUSTOMER_SERVICE, "Sales User"),
	"as-inspector@example.com": (QUALITY_INSPECTOR, "Stock User"),
	"as-second-inspector@example.com": (QUALITY_INSPECTOR, "Stock User"),
	"as-sales-approver@example.com": (SALES_APPROVER, "Sales Manager"),
	"as-warehouse@example.com": (WAREHOUSE, "Stock User"),
	"as-accounts@example.com": (ACCOUNTS_USER,),
	"as-technician@example.com": (REPAIR_TECHNICIAN, "Maintenance User"),
	"as-point-manager@example.com": (REPAIR_POINT_MANAGER, "Stock User"),
	"as-manager@example.com": (AFTERSALES_MANAGER,),
	"as-second-manager@example.com": (AFTERSALES_MANAGER,),
}

# the user whose job a role's steps are
USER_OF_ROLE = {
	CUSTOMER_SERVICE: "as-customer-service@example.com",
	QUALITY_INSPECTOR: "as-inspector@example.com",
	SALES_APPROVER: "as-sales-approver@example.com",
	WAREHOUSE: "as-warehouse@example.com",
	ACCOUNTS_USER: "as-accounts@example.com",
	REPAIR_TECHNICIAN: "as-technician@example.com",
	REPAIR_POINT_MANAGER: "as-point-manager@example.com",
	AFTERSALES_MANAGER: "as-manager@example.com",
}


def make_role_user(email: str, *roles: str) -> str:
	"""An enabled desk user holding exactly these roles."""
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.new_doc("User")
		user.update({"email": email, "first_name": email.split("@")[0], "send_welcome_email": 0})
	user.enabled = 1
	user.user_type = "System User"
	user.set("roles", [{"role": role} for role in roles])
	user.flags.ignore_permissions = True
	user.flags.no_welcome_mail = True
	user.save()
	return email


def make_role_users() -> None:
	for email, roles in ROLE_USERS.items():
		make_role_user(email, *roles)


def user_of(role: str) -> str:
	email = USER_OF_ROLE[role]
	if not frappe.db.exists("User", email):
		make_role_user(email, *ROLE_USERS[email])
	return email


@contextmanager
def acting_as(user_or_role: str):
	"""Run the block as a role's user (or a named user), then return to whoever was acting."""
	user = user_or_role if "@" in user_or_role else user_of(user_or_role)
	if "@" in user_or_role and not frappe.db.exists("User", user):
		make_role_user(user, *ROLE_USERS[user])
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield user
	finally:
		frappe.set_user(previous)
