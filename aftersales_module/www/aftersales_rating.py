import frappe
from frappe import _

from aftersales_module.controllers.satisfaction import RATINGS, checked_link

no_cache = 1


def get_context(context):
	args = frappe.form_dict
	context.no_header = 1
	context.title = _("How did we do?")
	context.ratings = [(rating, _(rating)) for rating in RATINGS]
	context.link = {"case": args.case, "expires": args.expires, "signature": args.signature}
	try:
		checked_link(args.case, args.expires, args.signature)
	except frappe.PermissionError as error:
		context.error = str(error)
		return context
	rating, stage = frappe.db.get_value("Return Request", args.case, ["satisfaction", "stage"])
	context.already_rated = bool(rating)
	# An unsatisfied customer may send a closed request back to customer service (controllers/reopen.py).
	context.closed = stage == "Closed"
	context.unsatisfied = rating == "Unsatisfied"
	return context
