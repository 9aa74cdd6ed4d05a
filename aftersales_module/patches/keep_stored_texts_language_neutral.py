"""Cases saved before their sentences were kept language-neutral (controllers/stored_texts.py): each
sentence is kept as it was written, so that a reader sees it translated where it is a whole sentence of
the app, and as written otherwise. Cases saved from now on keep templates and arguments."""

import json

import frappe

from aftersales_module.controllers.stored_texts import STORE_FIELD, as_written

FIELDS = {
	"Return Request": (
		"allowed_remedies",
		"eligibility_rule",
		"alternatives",
		"refund_rule",
		"credit_breakdown",
		"discrepancy_summary",
	),
	"Repair Order": ("warranty_rule",),
}
# (child doctype, table field, field) of the lines' sentences
LINE_FIELDS = {"Return Request": ("Return Request Item", "items", "warranty_rule")}


def execute():
	for doctype, fields in FIELDS.items():
		cases = frappe.get_all(
			doctype, filters={STORE_FIELD: ["is", "not set"]}, fields=["name", *fields], order_by="name"
		)
		for case in cases:
			texts = {
				fieldname: {"sep": "", "s": [as_written(case[fieldname])]}
				for fieldname in fields
				if case[fieldname]
			}
			texts.update(line_texts(doctype, case.name))
			if texts:
				frappe.db.set_value(
					doctype,
					case.name,
					STORE_FIELD,
					json.dumps(texts, ensure_ascii=False, sort_keys=True),
					update_modified=False,
				)


def line_texts(doctype: str, name: str) -> dict:
	if doctype not in LINE_FIELDS:
		return {}
	child, table, fieldname = LINE_FIELDS[doctype]
	rows = frappe.get_all(child, filters={"parent": name, "parenttype": doctype}, fields=["name", fieldname])
	return {
		f"{table}:{row.name}:{fieldname}": {"sep": "", "s": [as_written(row[fieldname])]}
		for row in rows
		if row[fieldname]
	}
