"""Fields this app adds to ERPNext doctypes.

The custom fields themselves are fixtures (`fixtures/custom_field.json`, named in core/schema.py),
re-imported on every migrate so they stay exactly as shipped. Only the Quality Inspection option is
set here: it extends ERPNext's own option list, which a fixture would overwrite.
"""

import frappe
from frappe.custom.doctype.property_setter.property_setter import make_property_setter

from aftersales_module.core.schema import (
	ALL_POSTED_DOCTYPES,
	COMPENSATION_CLAIM_LINK,
	CUSTOM_FIELDS,
	POSTING_KEY,
	REPAIR_ORDER_LINK,
	REQUESTED_QTY_FIELD,
	RETURN_REQUEST_LINK,
	STAGE_FIELD,
	TRANSFER_REQUEST_LINK,
)

RETURN_REQUEST = "Return Request"


def allow_quality_inspection_of_returns() -> None:
	"""Quality Inspection can reference a Return Request, so each inspected line has a real inspection.

	Recomputed on every migrate from ERPNext's own option list, as it stands after the migrate, so an
	option a later ERPNext release adds or drops shows as ERPNext ships it."""
	options = [*standard_reference_types(), RETURN_REQUEST]
	if reference_type_setter_value() == "\n".join(options):
		return
	make_property_setter(
		"Quality Inspection",
		"reference_type",
		"options",
		"\n".join(options),
		"Text",
		validate_fields_for_doctype=False,
	)
	frappe.clear_cache(doctype="Quality Inspection")


def standard_reference_types() -> list[str]:
	options = frappe.db.get_value(
		"DocField", {"parent": "Quality Inspection", "fieldname": "reference_type"}, "options"
	)
	return [option for option in (options or "").split("\n") if option != RETURN_REQUEST]


def reference_type_setter_value() -> str | None:
	return frappe.db.get_value(
		"Property Setter",
		{"doc_type": "Quality Inspection", "field_name": "reference_type", "property": "options"},
		"value",
	)


def delete_custom_fields() -> None:
	"""On uninstall: the fixture's custom fields, their indexes and the Quality Inspection option go;
	the columns and the values in them stay, as Frappe leaves them for any removed custom field."""
	frappe.db.delete(
		"Property Setter",
		{
			"doc_type": "Quality Inspection",
			"field_name": "reference_type",
			"property": "options",
			"value": ("like", f"%{RETURN_REQUEST}%"),
		},
	)
	for doctype, fieldnames in CUSTOM_FIELDS.items():
		frappe.db.delete("Custom Field", {"dt": doctype, "fieldname": ("in", fieldnames)})
		drop_search_indexes(doctype, fieldnames)
		frappe.clear_cache(doctype=doctype)
	frappe.clear_cache(doctype="Quality Inspection")


def drop_search_indexes(doctype: str, fieldnames: tuple[str, ...]) -> None:
	"""The single-column indexes Frappe made for the fields' `search_index`."""
	table = f"tab{doctype}"
	indexes = frappe.db.sql(f"show index from `{table}`", as_dict=True)  # nosemgrep: fixed table name
	for fieldname in fieldnames:
		if any(index.Key_name == f"{fieldname}_index" for index in indexes):
			frappe.db.sql_ddl(f"alter table `{table}` drop index `{fieldname}_index`")
