import frappe
from frappe import _

from aftersales_module.controllers.portal import page_context
from aftersales_module.controllers.portal_actions import askable, inquiry_reasons

no_cache = 1


def get_context(context):
	customers = page_context(context, _("Ask About an Order"))
	context.references = askable(customers) if customers else []
	context.chosen = f"{frappe.form_dict.doctype or ''}::{frappe.form_dict.name or ''}"
	context.reasons = [(reason, _(reason)) for reason in inquiry_reasons()]
	return context
