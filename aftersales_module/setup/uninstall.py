"""What uninstalling takes away besides the app's own doctypes, which Frappe drops itself.

Only what the app made and nothing else uses goes: a stock entry type a posted entry carries, a role a
user still holds, a workflow state another workflow uses stay. ERPNext documents the cases posted
(invoices, stock entries, journal entries), and the warehouses and accounts they post to, stay intact.
"""

import frappe

from aftersales_module.core.schema import STOCK_ENTRY_TYPES
from aftersales_module.setup.roles import AFTERSALES_ROLES, SELECT_ACCESS
from aftersales_module.setup.workflow import STATES, TRANSITIONS

APP = "aftersales_module"
# Shipped with Frappe itself: never the app's to delete.
FRAPPE_WORKFLOW_STATES = {"Pending", "Approved", "Rejected"}
FRAPPE_WORKFLOW_ACTIONS = {"Approve", "Reject", "Review"}

# Records of Frappe doctypes that belong to one of the app's doctypes, by the field naming it: the
# workflow, notification and kanban board the app made and whatever an admin added for its doctypes.
RECORDS_OF_APP_DOCTYPES = (
	("Workflow", "document_type"),
	("Notification", "document_type"),
	("Kanban Board", "reference_doctype"),
	("Property Setter", "doc_type"),
	("Custom Field", "dt"),
	("Custom DocPerm", "parent"),
	("User Permission", "allow"),
)


def remove_app_records() -> None:
	"""Before Frappe drops the doctypes: the records of Frappe and ERPNext doctypes made for them."""
	doctypes = app_doctypes()
	for doctype, fieldname in RECORDS_OF_APP_DOCTYPES:
		delete_records(doctype, {fieldname: ("in", doctypes)})
	for role, granted in SELECT_ACCESS.items():
		delete_records("Custom DocPerm", {"role": role, "parent": ("in", granted)})
		for doctype in granted:
			reset_permissions_if_standard(doctype)
	delete_unused_stock_entry_types()
	delete_unused_workflow_masters()


def remove_unused_roles() -> None:
	"""After Frappe dropped the doctypes (and their permission rules): the roles nobody holds or uses."""
	for role in AFTERSALES_ROLES:
		if frappe.db.exists("Role", role) and not role_in_use(role):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)


def reset_permissions_if_standard(doctype: str) -> None:
	"""Granting a rule made Frappe copy the doctype's standard rules as custom ones; once the app's rule
	is gone and the copies still equal the standard rules, the doctype follows ERPNext's rules again."""
	from frappe.permissions import reset_perms, rights

	fields = ["role", "permlevel", "if_owner", *rights]

	def rules(table: str) -> list[tuple]:
		return sorted(tuple(row) for row in frappe.get_all(table, {"parent": doctype}, fields, as_list=True))

	if rules("Custom DocPerm") == rules("DocPerm"):
		reset_perms(doctype)
	frappe.clear_cache(doctype=doctype)


def app_doctypes() -> list[str]:
	modules = frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name")
	return frappe.get_all("DocType", filters={"module": ("in", modules)}, pluck="name")


def role_in_use(role: str) -> bool:
	return any(
		frappe.db.exists(doctype, {fieldname: role})
		for doctype, fieldname in (
			("Has Role", "role"),
			("DocPerm", "role"),
			("Custom DocPerm", "role"),
			("Workflow Transition", "allowed"),
			("Workflow Document State", "allow_edit"),
		)
	)


def delete_unused_stock_entry_types() -> None:
	for entry_type in STOCK_ENTRY_TYPES:
		if not frappe.db.exists("Stock Entry", {"stock_entry_type": entry_type}):
			delete_records("Stock Entry Type", {"name": entry_type})


def delete_unused_workflow_masters() -> None:
	for state in {state for state, *_rest in STATES} - FRAPPE_WORKFLOW_STATES:
		if not any(
			frappe.db.exists(doctype, {fieldname: state})
			for doctype, fieldname in (
				("Workflow Document State", "state"),
				("Workflow Transition", "state"),
				("Workflow Transition", "next_state"),
			)
		):
			delete_records("Workflow State", {"name": state})
	for action in {action for _state, action, *_rest in TRANSITIONS} - FRAPPE_WORKFLOW_ACTIONS:
		if not frappe.db.exists("Workflow Transition", {"action": action}):
			delete_records("Workflow Action Master", {"name": action})


def delete_records(doctype: str, filters: dict) -> None:
	for name in frappe.get_all(doctype, filters=filters, pluck="name"):
		frappe.delete_doc(doctype, name, ignore_permissions=True, force=True)
