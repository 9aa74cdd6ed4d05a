"""Cases made before postings were found by their back-link: each posted document gets its posting
key from the case's log, and each case its stage from its state."""

import frappe
from frappe.utils.fixtures import sync_fixtures

from aftersales_module.controllers.postings import posting_key
from aftersales_module.core.schema import POSTING_KEY, RETURN_REQUEST_LINK
from aftersales_module.core.stages import DEFAULT_STATE_STAGES


def execute():
	# Patches run before the migrate syncs fixtures: the back-link and posting key fields must exist now.
	sync_fixtures("aftersales_module")
	frappe.reload_doc("aftersales_module", "doctype", "return_request")
	carry_posting_keys()
	set_case_stages()


def carry_posting_keys() -> None:
	"""The first purpose the case logged for a document it posted becomes that document's key."""
	for row in frappe.get_all(
		"Return Request Posting",
		fields=["parent", "purpose", "voucher_type", "voucher_no", "against"],
		order_by="parent, idx",
	):
		meta = frappe.get_meta(row.voucher_type)
		if not (meta.has_field(POSTING_KEY) and meta.has_field(RETURN_REQUEST_LINK)):
			continue
		linked, key = frappe.db.get_value(
			row.voucher_type, row.voucher_no, [RETURN_REQUEST_LINK, POSTING_KEY]
		) or (None, None)
		if linked == row.parent and not key:
			frappe.db.set_value(
				row.voucher_type,
				row.voucher_no,
				POSTING_KEY,
				posting_key(row.purpose, row.against),
				update_modified=False,
			)


def set_case_stages() -> None:
	"""A case in one of the shipped states takes that state's stage."""
	for state, stage in DEFAULT_STATE_STAGES.items():
		frappe.db.sql(
			"update `tabReturn Request` set stage = %s where status = %s and ifnull(stage, '') = ''",
			(stage.value, state),
		)
