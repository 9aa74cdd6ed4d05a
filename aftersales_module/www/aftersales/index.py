import frappe
from frappe import _

from aftersales_module.controllers.portal import list_cases, page_context

no_cache = 1


def get_context(context):
	customers = page_context(context, _("My Returns"))
	context.parents = []
	context.cases = list_cases(customers) if customers else []
	return context
