"""What an after-sales case posted, told by the ERPNext documents themselves.

Every document a case posts carries a back-link to the case and, in `aftersales_posting`, the
purpose it was made for and the original document it answers. Those two fields, set by the app
when it makes the document and refused on any other, are the truth of what a case posted: a
retried step finds the live document by them instead of making a second one, and cancelling the
case cancels exactly the live documents they name, newest first. The case's own log of postings is
shown on its form; nothing is decided from it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import frappe
import frappe.permissions
from frappe import _
from frappe.utils import get_link_to_form

from aftersales_module.controllers.steps import acting_user, has_role
from aftersales_module.setup.custom_fields import (
	ALL_POSTED_DOCTYPES,
	COMPENSATION_CLAIM_LINK,
	POSTING_KEY,
	REPAIR_ORDER_LINK,
	RETURN_REQUEST_LINK,
	TRANSFER_REQUEST_LINK,
)

# Set while a case cancels its own postings; documents it posted refuse any other cancellation.
CANCELLING_FLAG = "aftersales_cancelling_postings"
# Set while the app makes a posting; a back-link typed on any other document is refused.
POSTING_FLAG = "aftersales_posting"


class PostingCancelError(frappe.ValidationError):
	pass


# ---- bookkeeping of what was posted --------------------------------------------------------------------


def posting_key(purpose: str, against: str | None = None) -> str:
	return f"{purpose}:{against or ''}"


def posted_documents(link_field: str, source: str, doctypes=ALL_POSTED_DOCTYPES) -> list[tuple[str, str]]:
	"""The live documents that name `source` in their back-link, oldest first."""
	found = []
	for doctype in doctypes:
		if not frappe.get_meta(doctype).has_field(link_field):
			continue
		found += [
			(row.creation, doctype, row.name)
			for row in frappe.get_all(
				doctype, filters={link_field: source, "docstatus": 1}, fields=["name", "creation"]
			)
		]
	return [(doctype, name) for _creation, doctype, name in sorted(found)]


def insert_and_submit(doc) -> None:
	"""Insert and submit a posting for the acting user, who stays its owner."""
	user = acting_user()
	doc.flags.ignore_permissions = True
	frappe.flags[POSTING_FLAG] = True
	# ERPNext's notes to whoever types the document by hand (e.g. how a credit note settles) would
	# only puzzle the user whose step made it; errors still raise.
	muted, frappe.flags.mute_messages = frappe.flags.mute_messages, True
	try:
		doc.insert()
		doc.submit()
	finally:
		frappe.flags.pop(POSTING_FLAG, None)
		frappe.flags.mute_messages = muted
	# Frappe stamps the session user, which is the app's while it posts.
	if doc.owner != user:
		frappe.db.set_value(
			doc.doctype, doc.name, {"owner": user, "modified_by": user}, update_modified=False
		)
		doc.owner = doc.modified_by = user


def begin_cancel(case, link_field: str, doctypes=ALL_POSTED_DOCTYPES) -> None:
	"""before_cancel of a case: the user's rights on every posting, then a savepoint that the whole
	cancel, the case's own row included, goes back to if any posting cannot be cancelled."""
	check_cancel_rights(case, posted_documents(link_field, case.name, doctypes))
	case.flags.cancel_savepoint = f"aftersales_cancel_{frappe.generate_hash(length=10)}"
	frappe.db.savepoint(case.flags.cancel_savepoint)


@contextmanager
def whole_cancel(case) -> Iterator[None]:
	"""on_cancel of a case: all or nothing, in a web request or in a script that commits after."""
	try:
		yield
	except Exception:
		if case.flags.cancel_savepoint:
			frappe.db.rollback(save_point=case.flags.cancel_savepoint)
		raise


def check_cancel_rights(source, documents) -> None:
	"""Cancelling a case cancels its postings: only a user who could cancel each of them, or an
	after-sales manager, may."""
	if has_role():
		return
	refused = [
		(doctype, name)
		for doctype, name in documents
		if not frappe.has_permission(doctype, "cancel", doc=name)
	]
	if not refused:
		return
	frappe.throw(
		_(
			"You cannot cancel {0} {1}: it would cancel {2}, which you may not cancel. Ask a user with the role {3}."
		).format(
			_(source.doctype),
			source.name,
			", ".join(f"{_(doctype)} {name}" for doctype, name in refused),
			f" {_('or')} ".join(
				sorted(
					{
						_(role)
						for doctype in {doctype for doctype, _name in refused}
						for role in frappe.permissions.get_doctype_roles(doctype, "cancel")
					}
				)
			),
		),
		frappe.PermissionError,
		title=_("Not Permitted"),
	)


# The back-link field on a posted document, and the after-sales document that posted it.
POSTING_SOURCES = (
	(RETURN_REQUEST_LINK, "Return Request"),
	(REPAIR_ORDER_LINK, "Repair Order"),
	(TRANSFER_REQUEST_LINK, "Spare Part Transfer Request"),
	(COMPENSATION_CLAIM_LINK, "Compensation Claim"),
)


def refuse_forged_back_link(doc, method=None) -> None:
	"""doc_events validate: only the app links a document to a case, when it makes the posting."""
	if frappe.flags.get(POSTING_FLAG):
		return
	before = doc.get_doc_before_save()
	for fieldname in (POSTING_KEY, *(field for field, _source in POSTING_SOURCES)):
		value = doc.get(fieldname)
		if value and value != (before.get(fieldname) if before else None):
			frappe.throw(
				_("{0} is set by the after-sales case that posts this document; clear it.").format(
					frappe.bold(_(doc.meta.get_label(fieldname)))
				),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)


def guard_posted_document(doc, method=None) -> None:
	"""doc_events before_cancel: a document posted by a case is cancelled through its case."""
	if frappe.flags.get(CANCELLING_FLAG):
		return
	for fieldname, source_doctype in POSTING_SOURCES:
		source = doc.get(fieldname)
		if not source or frappe.db.get_value(source_doctype, source, "docstatus") != 1:
			continue
		frappe.throw(
			_("{0} {1} was posted by {2} {3}. Cancel the {2} to reverse its postings.").format(
				_(doc.doctype),
				frappe.bold(doc.name),
				_(source_doctype),
				get_link_to_form(source_doctype, source),
			),
			exc=PostingCancelError,
			title=_("Posted by {0}").format(_(source_doctype)),
		)


def cancel_documents(source, documents) -> None:
	"""Cancel what an after-sales document posted, newest first; name the one that stands in the way.

	`documents`: (doctype, name) pairs in the order they were posted.
	"""
	frappe.flags[CANCELLING_FLAG] = True
	try:
		for doctype, name in reversed(list(documents)):
			if not name or frappe.db.get_value(doctype, name, "docstatus") != 1:
				continue
			doc = frappe.get_doc(doctype, name)
			doc.flags.ignore_permissions = True
			try:
				doc.cancel()
			except frappe.ValidationError as error:
				frappe.throw(
					_("{0} {1} cannot be cancelled because {2} {3} cannot be cancelled: {4}").format(
						_(source.doctype), source.name, _(doctype), get_link_to_form(doctype, name), error
					),
					exc=PostingCancelError,
					title=_("Cancel the Blocking Document First"),
				)
	finally:
		frappe.flags.pop(CANCELLING_FLAG, None)
