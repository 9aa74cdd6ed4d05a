import frappe
from frappe import _

from aftersales_module.setup.roles import AFTERSALES_MANAGER

ALWAYS_ALLOWED = (AFTERSALES_MANAGER, "System Manager")


def require_role(doc, *roles: str) -> None:
	"""A document action for these roles (and managers): refused, with the role named, for anyone else."""
	doc.check_permission("write")
	if not {*roles, *ALWAYS_ALLOWED} & set(frappe.get_roles()):
		frappe.throw(
			_("Only a user with the role {0} can do this.").format(
				f" {_('or')} ".join(frappe.bold(_(role)) for role in roles)
			),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
