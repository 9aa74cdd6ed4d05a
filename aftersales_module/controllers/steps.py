"""Every case step is one service: the role's check, the case locked and read again, then the posting.

A step never trusts what the client sent along with the case: it locks the row, reads the case
again from the database and works from that. The ERPNext documents a step creates are made by the
app on the acting user's behalf (they stay its owner), once the app's own role check has passed,
so a warehouse clerk needs no Sales Invoice rights to receive a return.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import flt

from aftersales_module.core.stages import Stage, StepInputs, editable_fields
from aftersales_module.setup.roles import AFTERSALES_MANAGER

ALWAYS_ALLOWED = (AFTERSALES_MANAGER, "System Manager")
ACTING_USER_FLAG = "aftersales_acting_user"


class StepPermissionError(frappe.PermissionError):
	pass


def has_role(*roles: str) -> bool:
	return bool({*roles, *ALWAYS_ALLOWED} & set(frappe.get_roles()))


def require_role(doc, *roles: str, ptype: str = "write") -> None:
	"""A document action for these roles (and managers): refused, with the role named, for anyone else."""
	doc.check_permission(ptype)
	if not has_role(*roles):
		frappe.throw(
			_("Only a user with the role {0} can do this.").format(
				f" {_('or')} ".join(frappe.bold(_(role)) for role in roles)
			),
			StepPermissionError,
			title=_("Not Permitted"),
		)


def start_step(doc, *roles: str, ptype: str = "write") -> None:
	"""Check the role, lock the case and read it again, so the step works from the database alone."""
	require_role(doc, *roles, ptype=ptype)
	frappe.db.get_value(doc.doctype, doc.name, "name", for_update=True)
	doc.load_from_db()
	doc.flags.server_step = True


def finish_step(doc) -> None:
	"""Save what the step decided; the role was checked when the step started."""
	doc.save(ignore_permissions=True)


def acting_user() -> str:
	return frappe.flags.get(ACTING_USER_FLAG) or frappe.session.user


@contextmanager
def as_app() -> Iterator[str]:
	"""Make ERPNext documents for the acting user after the app's own role check.

	ERPNext's mappers (`make_return_doc`, `get_payment_entry`, …) check the session user's rights
	themselves; inside this block they are the app's. Only the user is swapped: the session id and
	data stay, so the request's session is untouched. The user is kept as the documents' owner.
	"""
	local = frappe.local
	user = local.session.user
	if user == "Administrator" or frappe.flags.get(ACTING_USER_FLAG):
		yield acting_user()
		return
	saved = (local.user_perms, local.role_permissions)
	frappe.flags[ACTING_USER_FLAG] = user
	local.session.user = "Administrator"
	local.user_perms, local.role_permissions = None, {}
	try:
		yield user
	finally:
		local.session.user = user
		local.user_perms, local.role_permissions = saved
		frappe.flags.pop(ACTING_USER_FLAG, None)


def differs(value, stored) -> bool:
	"""A real change, not the desk sending "" or 0 for an empty field, or 1 for 1.0."""
	if not value and not stored:
		return False
	if isinstance(value, int | float) or isinstance(stored, int | float):
		return flt(value) != flt(stored)
	return str(value or "") != str(stored or "")


def check_inputs_owned(doc, stage: Stage, steps: Iterable[StepInputs], table: str = "items") -> None:
	"""A client may change only the fields its roles fill in at the case's present stage."""
	before = doc.get_doc_before_save()
	if before is None or doc.flags.server_step:
		return
	steps = list(steps)
	every_field = set().union(*(step.fields for step in steps)) if steps else set()
	every_item_field = set().union(*(step.item_fields for step in steps)) if steps else set()
	if has_role():
		allowed, allowed_items = every_field, every_item_field
	else:
		allowed, allowed_items = editable_fields(steps, frappe.get_roles(), stage)

	changed = [
		_(doc.meta.get_label(field))
		for field in sorted(every_field - allowed)
		if differs(doc.get(field), before.get(field))
	]
	old_rows = {row.name: row for row in before.get(table) or []}
	for row in doc.get(table) or []:
		old = old_rows.get(row.name)
		if old is None:
			continue
		changed += [
			_("{0} in row {1}").format(_(row.meta.get_label(field)), row.idx)
			for field in sorted(every_item_field - allowed_items)
			if differs(row.get(field), old.get(field))
		]
	if changed:
		frappe.throw(
			_("At the {0} stage you cannot change: {1}. Those are filled in by another role.").format(
				_(stage.value), ", ".join(changed)
			),
			StepPermissionError,
			title=_("Not Your Step"),
		)
