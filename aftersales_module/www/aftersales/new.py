import frappe
from frappe import _

from aftersales_module.controllers.portal import page_context
from aftersales_module.controllers.portal_returns import (
	MAX_PHOTOS,
	condition_flags,
	customer_invoices,
	line_options,
	own_invoice,
	request_from_invoice,
)
from aftersales_module.core.enums import ReasonCategory, RefundMethod

no_cache = 1


def get_context(context):
	customers = page_context(context, _("New Return"))
	if not customers:
		context.invoices = []
		return context
	context.invoices = customer_invoices(customers)
	if not frappe.form_dict.invoice:
		return context
	invoice = own_invoice(frappe.form_dict.invoice)
	reason = ReasonCategory.QUALITY_PROBLEM
	context.invoice = invoice
	context.lines = line_options(request_from_invoice(invoice, **condition_flags(None, None, None)), reason)
	context.reasons = [(each.value, _(each.value)) for each in ReasonCategory]
	context.default_reason = reason.value
	context.refund_methods = [(each.value, _(each.value)) for each in RefundMethod]
	context.max_photos = MAX_PHOTOS
	context.texts = {
		"choose_lines": _("Choose at least one line to return."),
		"choose_type": _("The lines you chose have no request type in common; file them separately."),
		"too_many_photos": _("Attach at most {0} photos.").format(MAX_PHOTOS),
		"not_returnable": _("Not returnable online: ask us about this order."),
	}
	return context
