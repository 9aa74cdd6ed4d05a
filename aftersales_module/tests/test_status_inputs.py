"""The cases moved on by their status leave no field for any role at any stage: everything a user can
type into on a compensation claim, an inquiry ticket or a spare-part transfer request is named in its
table of who sets it when, and nothing the server writes is."""

import frappe
from frappe.model import no_value_fields, table_fields

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_inputs import CLAIM_INPUTS
from aftersales_module.aftersales_module.doctype.inquiry_ticket.ticket_inputs import TICKET_INPUTS
from aftersales_module.aftersales_module.doctype.spare_part_transfer_request.transfer_request_inputs import (
	TRANSFER_REQUEST_INPUTS,
)
from aftersales_module.controllers.status_inputs import every_input
from aftersales_module.tests.utils import AftersalesTestCase

TABLES = {
	"Compensation Claim": CLAIM_INPUTS,
	"Inquiry Ticket": TICKET_INPUTS,
	"Spare Part Transfer Request": TRANSFER_REQUEST_INPUTS,
}


def user_inputs(doctype: str) -> set[str]:
	"""The fields (and tables) a user types into after the case is made: not read-only, hidden or
	set only once, at permission level 0."""
	return {
		field.fieldname
		for field in frappe.get_meta(doctype).fields
		if (field.fieldtype in table_fields or field.fieldtype not in no_value_fields)
		and not (field.read_only or field.hidden or field.permlevel or field.set_only_once)
		and field.fieldname != "amended_from"
	}


class TestStatusInputTables(AftersalesTestCase):
	def test_every_user_input_has_its_role_and_stage_and_no_server_field_is_offered(self):
		for doctype, steps in TABLES.items():
			fields, columns = every_input(steps)
			meta = frappe.get_meta(doctype)
			with self.subTest(doctype=doctype):
				self.assertEqual(fields, user_inputs(doctype))
				for table, column in columns:
					child = frappe.get_meta(meta.get_field(table).options).get_field(column)
					self.assertFalse(child.read_only or child.permlevel, f"{table}.{column}")
					self.assertTrue(child.allow_on_submit or not meta.is_submittable, f"{table}.{column}")

	def test_every_stage_named_is_a_status_of_the_case(self):
		for doctype, steps in TABLES.items():
			statuses = set(frappe.get_meta(doctype).get_options("status").split("\n"))
			with self.subTest(doctype=doctype):
				self.assertLessEqual(set().union(*(step.statuses for step in steps)), statuses)
