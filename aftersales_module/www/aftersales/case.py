import frappe
from frappe import _

from aftersales_module.controllers.portal import (
	RETURN_REQUEST,
	attachment_url,
	customer_files,
	doctype_of_kind,
	own_case,
	page_context,
	refund_text,
	slip_url,
	status_label,
	timeline,
)
from aftersales_module.controllers.portal_actions import can_rate, can_reopen
from aftersales_module.controllers.satisfaction import RATINGS

no_cache = 1


def get_context(context):
	page_context(context, _("Case"))
	case = own_case(doctype_of_kind(frappe.form_dict.kind), frappe.form_dict.name)
	context.title = f"{_(case.doctype)} {case.name}"
	context.case = case
	context.status = _(status_label(case.doctype, case.get("stage") or case.get("status")))
	context.timeline = timeline(case.doctype, case.name)
	context.files = [
		{"name": file.file_name, "url": attachment_url(file.name)} for file in customer_files(case)
	]
	context.is_return = case.doctype == RETURN_REQUEST
	if context.is_return:
		context.refund = refund_text(case)
		context.slip_url = slip_url(case.name)
	context.can_rate = can_rate(case)
	context.ratings = [(rating, _(rating)) for rating in RATINGS]
	context.can_reopen = can_reopen(case)
	return context
