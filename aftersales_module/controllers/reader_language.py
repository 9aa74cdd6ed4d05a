"""What the server writes for a case that readers read later, in each reader's language.

Texts composed afresh from a case's fields on each save are kept in English and composed again in
the reader's language when shown; a workflow move is logged as the state's own name, which the
timeline translates for each reader. (Sentences composed once and kept are in stored_texts.py.)
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name

from aftersales_module.controllers.stored_texts import SOURCE_LANGUAGE

# Sentences a case composes from its own fields on each save (doctype: (field, method composing it)):
# kept in English, composed again in the reader's language when the case is opened or printed.
COMPOSED_ON_SAVE = {"Inquiry Ticket": (("inquiry_report", "compile_report"),)}


@contextmanager
def composed_in(language: str):
	previous = frappe.local.lang
	frappe.local.lang = language
	try:
		yield
	finally:
		frappe.local.lang = previous


def compose_in_english(doc, method=None) -> None:
	"""doc_events validate (after the doctype's own, which composes in the saver's language)."""
	for fieldname, composer in COMPOSED_ON_SAVE.get(doc.doctype, ()):
		with composed_in(SOURCE_LANGUAGE):
			doc.set(fieldname, getattr(doc, composer)())


def compose_in_reader_language(doc, method=None, *args, **kwargs) -> None:
	"""doc_events onload, before_print: in memory only; a text someone wrote over is shown as written."""
	language = frappe.local.lang
	if language == SOURCE_LANGUAGE:
		return
	for fieldname, composer in COMPOSED_ON_SAVE.get(doc.doctype, ()):
		with composed_in(SOURCE_LANGUAGE):
			english = getattr(doc, composer)()
		if doc.get(fieldname) == english:
			doc.set(fieldname, getattr(doc, composer)())


CASE_DOCTYPES = (
	"Return Request",
	"Repair Order",
	"Spare Part Transfer Request",
	"Compensation Claim",
	"Inquiry Ticket",
)


def workflow_comment_in_english(comment, method=None) -> None:
	"""doc_events before_insert of Comment: Frappe logs a workflow move as the new state in the mover's
	language, and the timeline shows it through `__()`; kept as the state's own name, each reader reads
	it in theirs."""
	if comment.comment_type != "Workflow" or comment.reference_doctype not in CASE_DOCTYPES:
		return
	workflow_name = get_workflow_name(comment.reference_doctype)
	if not workflow_name:
		return
	for row in frappe.get_cached_doc("Workflow", workflow_name).states:
		if comment.content in (row.state, _(row.state)):
			comment.content = row.state
			return
