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
# A submittable case its opener submits: the hostile values may also reach submit.
SUBMIT_MODES = st.sampled_from(("insert", "save", "submit"))


class TestHostileCaseDocuments(HostileTestCase):
	def draft(self, user: str, values: dict):
		"""The document the examples start from, saved by the user; saving it again as it is passes."""
		with acting_as(user):
			doc = frappe.get_doc(values).insert()
		self.assertTrue(self.try_save(user, doc.doctype, doc.name, []))
		return doc

	def fuzz(self, user: str, values: dict, mode: str, changes):
		"""A new document from the values, or the saved draft of them saved or submitted, with the
		hostile changes."""
		if mode == "insert":
			self.tally(mode, self.try_insert(user, values, changes))
		else:
			submit = mode == "submit"
			self.tally(mode, self.try_save(user, self.saved.doctype, self.saved.name, changes, submit))

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

	@given(mode=SUBMIT_MODES, changes=overrides("Repair Order", ("parts", "visits")))
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

	@given(mode=SUBMIT_MODES, changes=overrides("Spare Part Transfer Request", ("items",)))
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

	@given(changes=overrides("Aftersales Settings", ("working_hours", "company_settings")))
	@fuzz_settings(EXAMPLES)
	def test_aftersales_settings(self, changes):
		settings = "Aftersales Settings"
		try:
			self.tally("save", self.try_save(self.manager, settings, settings, changes))
		finally:
			frappe.clear_document_cache(settings, settings)  # the rolled-back save is not read again


class TestReportedCrashes(HostileTestCase):
	"""The inputs reviewers saw crash, each now refused with a message that names its field."""

	def assert_refused(self, user: str, action, *named: str):
		with acting_as(user), self.assertRaises(frappe.ValidationError) as refused:
			action()
		for name in named:
			self.assertIn(name, str(refused.exception))

	def insert(self, values: dict, **changes):
		return lambda: frappe.get_doc({**values, **changes}).insert()

	def test_a_claims_remedy_value_and_amount(self):
		claim = {
			"doctype": "Compensation Claim",
			"company": TEST_COMPANY,
			"customer": TEST_CUSTOMER,
			"claim_type": "Damaged",
			"liable_party_type": "Carrier",
			"liable_supplier": CARRIER,
			"items": [{"item_code": PHONE, "qty": 1, "rate": 500}],
		}
		clerk = self.customer_service
		self.assert_refused(clerk, self.insert(claim, remedy="Bogus"), "Remedy to Customer", "Bogus")
		self.assert_refused(
			clerk, self.insert(claim, items=[{"item_code": PHONE, "qty": 1, "rate": -5}]), "Value", "-5"
		)
		self.assert_refused(clerk, self.insert(claim, compensation_amount=float("nan")), "Paid to Customer")
		self.assert_refused(
			clerk, self.insert(claim, items=[{"item_code": "_Test No Such Item", "qty": 1}]), "Item"
		)

	def test_a_repair_orders_labour_rate_and_repair_point(self):
		order = {
			"doctype": "Repair Order",
			"company": TEST_COMPANY,
			"repair_point": self.point.name,
			"source": "Walk-in",
			"customer": TEST_CUSTOMER,
			"item_code": PHONE,
			"fault_description": "Screen stays black",
		}
		clerk = self.customer_service
		self.assert_refused(clerk, self.insert(order, labour_rate=float("nan")), "Labour Rate per Hour")
		self.assert_refused(clerk, self.insert(order, repair_point=None), "Repair Point")
		self.assert_refused(clerk, self.insert(order, repair_point=self.disabled["Repair Point"]), "disabled")

	def test_a_tickets_opening_time_and_huge_details(self):
		ticket = {
			"doctype": "Inquiry Ticket",
			"company": TEST_COMPANY,
			"customer": TEST_CUSTOMER,
			"inquiry_reason": "Where Is My Order",
		}
		for opened_on in ("bogus", "9999-12-31 00:00:00", "0001-01-01 00:00:00", "9999-99-99"):
			with self.subTest(opened_on=opened_on):
				self.assert_refused(
					self.customer_service, self.insert(ticket, opened_on=opened_on), "Opened On"
				)
		self.assert_refused(
			self.customer_service, self.insert(ticket, inquiry_details="x" * 100_000), "Details", "100,000"
		)

	def test_a_policy_window_written_in_words(self):
		policy = {
			"doctype": "Warranty Policy",
			"policy_name": "_Test Aftersales Words Policy",
			"applies_to": "Item",
			"item": SCREEN,
			"enabled": 0,
		}
		self.assert_refused(
			self.manager, self.insert(policy, return_window_days="seven"), "Return Window (days)", "seven"
		)

	def test_a_return_request_row_of_an_item_that_does_not_exist(self):
		with acting_as(self.customer_service):
			request = frappe.get_doc(
				{
					"doctype": "Return Request",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"reason_category": "Quality Problem",
					"items": [{"item_code": "_Test No Such Item", "qty": 1}],
				}
			)
		self.assert_refused(self.customer_service, request.insert, "Item", "_Test No Such Item")
		request.items[0].item_code = PHONE
		request.reason_category = "Bogus"
		self.assert_refused(self.customer_service, request.insert, "Reason Category")
