"""Hostile values at every field of each case document, as the role user who fills it in: a new
document, a saved draft, and an open repair order after submit. Each attempt is saved or refused
with a message, never a crash, and a refusal leaves no document or ledger row behind (hostile.py).
Whitelisted methods: test_hostile_methods.py."""

import frappe
from hypothesis import given
from hypothesis import strategies as st

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	open_request,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY, TEST_CUSTOMER
from aftersales_module.tests.hostile import fuzz_settings, overrides
from aftersales_module.tests.hostile_setup import CARRIER, SCREEN, HostileTestCase, editable
from aftersales_module.tests.role_users import acting_as

test_ignore = [
	*IGNORE_TEST_RECORDS,
	"Return Request",
	"Repair Point",
	"Repair Order",
	"Spare Part Transfer Request",
	"Compensation Claim",
	"Inquiry Ticket",
	"Warranty Policy",
]

EXAMPLES = 100
MODES = st.sampled_from(("insert", "save"))


class TestHostileCaseDocuments(HostileTestCase):
	def draft(self, user: str, values: dict):
		"""The document the examples start from, saved by the user; saving it again as it is passes."""
		with acting_as(user):
			doc = frappe.get_doc(values).insert()
		self.assertTrue(self.try_save(user, doc.doctype, doc.name, []))
		return doc

	def fuzz(self, user: str, values: dict, mode: str, changes):
		"""A new document from the values, or the saved draft of them, with the hostile changes."""
		if mode == "insert":
			self.tally(mode, self.try_insert(user, values, changes))
		else:
			self.tally(mode, self.try_save(user, self.saved.doctype, self.saved.name, changes))

	# ---- return request ----

	@given(mode=MODES, changes=overrides("Return Request", ("items",)))
	@fuzz_settings(EXAMPLES)
	def test_return_request(self, mode, changes):
		if not getattr(self, "saved", None):
			self.saved = open_request(self.invoice)
			self.values = editable(
				{**self.saved.as_dict(no_default_fields=True), "doctype": "Return Request"}
			)
		self.fuzz(self.customer_service, self.values, mode, changes)

	# ---- repair order ----

	def repair_order_values(self) -> dict:
		return {
			"doctype": "Repair Order",
			"company": TEST_COMPANY,
			"repair_point": self.point.name,
			"source": "Walk-in",
			"customer": TEST_CUSTOMER,
			"item_code": PHONE,
			"sales_invoice": self.invoice.name,
			"fault_description": "Screen stays black",
			"technician": self.technician,
			"labour_hours": 1,
			"labour_rate": 40,
			"parts": [{"item_code": SCREEN, "qty": 1, "rate": 80}],
			"visits": [{"visit_date": frappe.utils.now_datetime(), "result": "Checked"}],
		}

	@given(mode=MODES, changes=overrides("Repair Order", ("parts", "visits")))
	@fuzz_settings(EXAMPLES)
	def test_repair_order(self, mode, changes):
		if not getattr(self, "saved", None):
			self.values = self.repair_order_values()
			self.saved = self.draft(self.customer_service, self.values)
		self.fuzz(self.customer_service, self.values, mode, changes)

	@given(changes=overrides("Repair Order", ("parts", "visits")))
	@fuzz_settings(EXAMPLES)
	def test_open_repair_order_edited_by_the_technician(self, changes):
		if not getattr(self, "saved", None):
			self.saved = self.draft(self.customer_service, self.repair_order_values())
			with acting_as(self.customer_service):
				self.saved.submit()
		self.tally(
			"update after submit", self.try_save(self.technician, "Repair Order", self.saved.name, changes)
		)

	# ---- spare part transfer request ----

	@given(mode=MODES, changes=overrides("Spare Part Transfer Request", ("items",)))
	@fuzz_settings(EXAMPLES)
	def test_spare_part_transfer_request(self, mode, changes):
		if not getattr(self, "saved", None):
			self.values = {
				"doctype": "Spare Part Transfer Request",
				"company": TEST_COMPANY,
				"repair_point": self.point.name,
				"source_warehouse": self.stores,
				"required_by": self.tomorrow,
				"purpose": "Screens for warranty repairs",
				"items": [{"item_code": SCREEN, "requested_qty": 3}],
			}
			self.saved = self.draft(self.point_manager, self.values)
		self.fuzz(self.point_manager, self.values, mode, changes)

	# ---- compensation claim ----

	@given(mode=MODES, changes=overrides("Compensation Claim", ("items", "old_parts")))
	@fuzz_settings(EXAMPLES)
	def test_compensation_claim(self, mode, changes):
		if not getattr(self, "saved", None):
			self.values = {
				"doctype": "Compensation Claim",
				"company": TEST_COMPANY,
				"customer": TEST_CUSTOMER,
				"claim_type": "Damaged",
				"liable_party_type": "Carrier",
				"liable_supplier": CARRIER,
				"sales_invoice": self.invoice.name,
				"appraisal_findings": "Box crushed in transit.",
				"remedy": "Compensation",
				"compensation_amount": 500,
				"recovery_amount": 300,
				"items": [{"item_code": PHONE, "qty": 1, "rate": 500}],
				"old_parts": [{"item_code": SCREEN, "qty": 1, "condition": "Good"}],
			}
			self.saved = self.draft(self.customer_service, self.values)
		self.fuzz(self.customer_service, self.values, mode, changes)

	# ---- inquiry ticket ----

	@given(mode=MODES, changes=overrides("Inquiry Ticket", ("findings",)))
	@fuzz_settings(EXAMPLES)
	def test_inquiry_ticket(self, mode, changes):
		if not getattr(self, "saved", None):
			self.values = {
				"doctype": "Inquiry Ticket",
				"company": TEST_COMPANY,
				"customer": TEST_CUSTOMER,
				"channel": "Hotline",
				"inquiry_reason": "Where Is My Order",
				"sales_invoice": self.invoice.name,
				"carrier": CARRIER,
				"findings": [{"department": "Logistics", "finding": "Parcel at the hub."}],
			}
			self.saved = self.draft(self.customer_service, self.values)
		self.fuzz(self.customer_service, self.values, mode, changes)

	# ---- set up by the after-sales manager ----

	@given(mode=MODES, changes=overrides("Warranty Policy", ("accessories", "shipping_rules")))
	@fuzz_settings(EXAMPLES)
	def test_warranty_policy(self, mode, changes):
		if not getattr(self, "saved", None):
			self.values = {
				"doctype": "Warranty Policy",
				"policy_name": "_Test Aftersales Hostile Policy",
				"enabled": 1,
				"applies_to": "Item",
				"item": SCREEN,
				"return_window_days": 7,
				"exchange_window_days": 15,
				"repair_window_days": 365,
				"accessories": [{"item": PHONE, "warranty_months": 6}],
				"shipping_rules": [{"reason_category": "Quality Problem", "shipping_payer": "Company"}],
			}
			self.saved = self.draft(self.manager, self.values)
			self.values = {**self.values, "policy_name": "_Test Aftersales Hostile Policy 2", "enabled": 0}
		self.fuzz(self.manager, self.values, mode, changes)

	@given(mode=MODES, changes=overrides("Repair Point", ("members", "brands")))
	@fuzz_settings(EXAMPLES)
	def test_repair_point(self, mode, changes):
		if not getattr(self, "saved", None):
			self.values = {
				"doctype": "Repair Point",
				"repair_point_name": "_Test Aftersales Hostile Point",
				"company": TEST_COMPANY,
				"region": "Hongshan",
				"manager": self.point_manager,
				"members": [{"user": self.technician}],
			}
			self.saved = self.draft(self.manager, self.values)
			self.values = {**self.values, "repair_point_name": "_Test Aftersales Hostile Point 2"}
		self.fuzz(self.manager, self.values, mode, changes)
