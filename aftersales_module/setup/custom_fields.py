"""Fields this app adds to ERPNext doctypes, applied idempotently on install and migrate."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
from frappe.custom.doctype.property_setter.property_setter import make_property_setter

from aftersales_module.core.stages import Stage

STAGE_FIELD = "aftersales_stage"
RETURN_REQUEST_LINK = "aftersales_return_request"
REPAIR_ORDER_LINK = "aftersales_repair_order"
TRANSFER_REQUEST_LINK = "aftersales_transfer_request"
COMPENSATION_CLAIM_LINK = "aftersales_compensation_claim"
# What a posted document was made for and the original it answers ("Refund:SINV-0001"): with the
# back-link, how a case finds what it posted.
POSTING_KEY = "aftersales_posting"

# Every document a Return Request posts points back to it.
POSTED_DOCTYPES = {
	"Sales Invoice": "return_against",
	"Delivery Note": "return_against",
	"Stock Entry": "stock_entry_type",
	"Payment Entry": "reference_date",
	"Journal Entry": "voucher_type",
	"Quality Inspection": "reference_name",
}


def back_link(
	insert_after: str, fieldname: str = RETURN_REQUEST_LINK, doctype: str = "Return Request"
) -> dict:
	return {
		"fieldname": fieldname,
		"label": doctype,
		"fieldtype": "Link",
		"options": doctype,
		"insert_after": insert_after,
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
	}


def posting_key_field(insert_after: str) -> dict:
	return {
		"fieldname": POSTING_KEY,
		"label": "After-sales Posting",
		"fieldtype": "Data",
		"insert_after": insert_after,
		"read_only": 1,
		"no_copy": 1,
		"print_hide": 1,
	}


# The documents a Repair Order or a Spare Part Transfer Request posts point back to it.
REPAIR_BACK_LINKS = {
	"Stock Entry": [
		back_link(RETURN_REQUEST_LINK, REPAIR_ORDER_LINK, "Repair Order"),
		back_link(REPAIR_ORDER_LINK, TRANSFER_REQUEST_LINK, "Spare Part Transfer Request"),
	],
	"Sales Invoice": [back_link(RETURN_REQUEST_LINK, REPAIR_ORDER_LINK, "Repair Order")],
}

# The documents a Compensation Claim posts: compensation, recovery, deduction and old-part moves.
CLAIM_BACK_LINKS = {
	"Journal Entry": back_link(RETURN_REQUEST_LINK, COMPENSATION_CLAIM_LINK, "Compensation Claim"),
	"Sales Invoice": back_link(REPAIR_ORDER_LINK, COMPENSATION_CLAIM_LINK, "Compensation Claim"),
	"Stock Entry": back_link(TRANSFER_REQUEST_LINK, COMPENSATION_CLAIM_LINK, "Compensation Claim"),
	"Purchase Invoice": back_link("return_against", COMPENSATION_CLAIM_LINK, "Compensation Claim"),
}

CUSTOM_FIELDS = {
	**{
		doctype: [
			back_link(after),
			*REPAIR_BACK_LINKS.get(doctype, []),
			*([CLAIM_BACK_LINKS[doctype]] if doctype in CLAIM_BACK_LINKS else []),
			posting_key_field(RETURN_REQUEST_LINK),
		]
		for doctype, after in POSTED_DOCTYPES.items()
	},
	"Purchase Invoice": [CLAIM_BACK_LINKS["Purchase Invoice"], posting_key_field(COMPENSATION_CLAIM_LINK)],
	# Each state of an after-sales workflow names the fixed stage it stands for; code keys on the stage.
	"Workflow Document State": [
		{
			"fieldname": STAGE_FIELD,
			"label": "After-sales Stage",
			"fieldtype": "Select",
			"options": "\n".join(["", *(stage.value for stage in Stage)]),
			"insert_after": "doc_status",
			"in_list_view": 1,
			"columns": 2,
			"description": "For after-sales cases: the step this state stands for. Postings and checks follow the stage, so a state may be renamed freely.",
		}
	],
	"Sales Invoice Item": [
		{
			"fieldname": "aftersales_requested_qty",
			"label": "Qty in Return Requests",
			"fieldtype": "Float",
			"insert_after": "delivered_qty",
			"read_only": 1,
			"no_copy": 1,
			"print_hide": 1,
			"allow_on_submit": 1,
			"description": "Requested by submitted return requests that are not yet credited",
		},
	],
}


# Every doctype whose documents an after-sales case posts.
ALL_POSTED_DOCTYPES = (*POSTED_DOCTYPES, "Purchase Invoice")


def make_custom_fields() -> None:
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)
	allow_quality_inspection_of_returns()


def allow_quality_inspection_of_returns() -> None:
	"""Quality Inspection can reference a Return Request, so each inspected line has a real inspection."""
	options = (frappe.get_meta("Quality Inspection").get_field("reference_type").options or "").split("\n")
	if "Return Request" in options:
		return
	make_property_setter(
		"Quality Inspection",
		"reference_type",
		"options",
		"\n".join([*options, "Return Request"]),
		"Text",
		validate_fields_for_doctype=False,
	)


def delete_custom_fields() -> None:
	frappe.db.delete(
		"Property Setter",
		{
			"doc_type": "Quality Inspection",
			"field_name": "reference_type",
			"property": "options",
			"value": ("like", "%Return Request%"),
		},
	)
	for doctype, fields in CUSTOM_FIELDS.items():
		for field in fields:
			frappe.db.delete("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
		frappe.clear_cache(doctype=doctype)
