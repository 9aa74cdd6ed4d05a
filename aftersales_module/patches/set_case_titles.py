"""Cases saved before they had a title get theirs: the case number and whom it is for, as
controllers/stage_forms.set_case_title sets it on every save."""

import frappe
from frappe.query_builder.functions import Coalesce, Concat

# doctype → the field naming whom the case is for
WHOM = {
	"Return Request": "customer_name",
	"Repair Order": "customer_name",
	"Compensation Claim": "customer_name",
	"Inquiry Ticket": "customer_name",
	"Spare Part Transfer Request": "repair_point",
}


def execute():
	for doctype, whom in WHOM.items():
		frappe.reload_doctype(doctype)
		table = frappe.qb.DocType(doctype)
		(
			frappe.qb.update(table)
			.set(table.title, Concat(table.name, " · ", Coalesce(table[whom], "")))
			.where(Coalesce(table.title, "") == "")
		).run()
