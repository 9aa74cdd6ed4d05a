"""A Return Request's money as the form is being filled in, by the server's own rules.

The form sends the case as it stands on screen, unsaved; the server works the figures out with the
steps it runs on save (`set_item_amounts`, `set_refund`: core.return_postings and core.credit_notes
through controllers/return_credit.py) and saves nothing. So the goods, tax, deductions, shipping
shares and refund the form shows before saving are the ones the save will store.

A saved case is read from the database and only the inputs that move its figures are taken from
the screen; a new case is taken as sent, after the same invoice checks its save makes.
"""

import json

import frappe
from frappe import _
from frappe.utils import flt

from aftersales_module.controllers import stored_texts
from aftersales_module.controllers.field_checks import FieldValueError, shown

DOCTYPE = "Return Request"
# What a user types on a saved case that changes its figures.
FIGURE_INPUTS = ("depreciation_percent", "handling_fee", "shipping_cost", "shipping_payer")
LINE_INPUTS = ("qty",)
CURRENCY_FIGURES = (
	"goods_amount",
	"credit_tax",
	"total_deductions",
	"customer_shipping",
	"company_shipping",
	"refund_amount",
	"base_refund_amount",
)
TEXT_FIGURES = ("refund_rule", "credit_breakdown")


@frappe.whitelist()
def return_figures(doc: str | dict | None = None) -> dict:
	"""The figures the case will have when saved, with the sentence that explains them.

	Input a rule refuses (a negative fee, a depreciation over 100 %) comes back as `problem`, the
	message the save would give, so the form can show it beside the figures while the user types.
	"""
	case = case_on_screen(sent_case(doc))
	try:
		case.set_item_amounts()
		case.set_refund()
	except frappe.PermissionError:
		raise
	except frappe.ValidationError as error:
		frappe.clear_messages()
		return {"problem": str(error)}
	figures = {field: flt(case.get(field)) for field in CURRENCY_FIGURES}
	# the sentences in the reader's language, as the saved case shows them (controllers/stored_texts.py)
	figures.update({field: stored_texts.shown(case, field) for field in TEXT_FIGURES})
	figures["taxes_included"] = int(case.get("taxes_included") or 0)
	figures["items"] = {row.name: flt(row.amount) for row in case.items if row.name}
	return figures


def sent_case(doc) -> dict:
	"""The case the form sent: a Return Request as a dict or its JSON."""
	if isinstance(doc, str):
		try:
			doc = json.loads(doc)
		except ValueError:
			doc = None
	if not isinstance(doc, dict) or doc.get("doctype") != DOCTYPE:
		frappe.throw(
			_("Send the Return Request as the form holds it, not {0}.").format(shown(doc)),
			FieldValueError,
			title=_("Invalid Value"),
		)
	if not isinstance(doc.get("items") or [], list) or not all(
		isinstance(row, dict) for row in doc.get("items") or []
	):
		frappe.throw(
			_("Items of the Return Request must be its lines, not {0}.").format(shown(doc.get("items"))),
			FieldValueError,
			title=_("Invalid Value"),
		)
	return doc


def case_on_screen(sent: dict):
	"""The case to work the figures on, permission checked: the stored case with the screen's inputs,
	or a new draft as sent."""
	name = sent.get("name")
	stored = isinstance(name, str) and frappe.db.exists(DOCTYPE, name)
	if stored:
		case = frappe.get_doc(DOCTYPE, name)
		case.check_permission("read")
		if case.docstatus == 0:
			return draft_on_screen(sent, case.name)
		for field in FIGURE_INPUTS:
			if field in sent:
				case.set(field, sent[field])
		return case
	frappe.has_permission(DOCTYPE, "create", throw=True)
	return draft_on_screen(sent)


def draft_on_screen(sent: dict, name: str | None = None):
	"""A draft as the screen holds it: its lines must be lines of the customer's submitted invoices."""
	fields = {key: value for key, value in sent.items() if not key.startswith("_")}
	fields.update(doctype=DOCTYPE, docstatus=0, name=name)
	fields["items"] = [
		{key: value for key, value in row.items() if key in LINE_FIELDS}
		for row in sent.get("items") or []
		if row.get("item_code")
	]
	case = frappe.get_doc(fields)
	case.check_permission("write" if name else "create")
	case.validate_invoices()
	return case


# A new line's own fields; what the server works out for it (amounts, held and accepted quantities)
# is worked out again, not taken from the screen.
LINE_FIELDS = (
	"name",
	"idx",
	"item_code",
	"item_name",
	"qty",
	"rate",
	"uom",
	"sales_invoice",
	"sales_invoice_item",
	"delivery_note",
	"dn_detail",
	"serial_no",
	"batch_no",
)
