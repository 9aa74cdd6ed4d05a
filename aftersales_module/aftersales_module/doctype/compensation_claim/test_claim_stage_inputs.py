# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Each role sets only its own stage's fields on a compensation claim: customer service and the
inspectors write up the draft, the warehouse does not; once approved, the inspector checks the old
parts and the warehouse names where they go. A refusal names the field and who sets it at which
stage, saves nothing, and holds for the form's save and the REST clients alike."""

import frappe
from frappe.client import save as client_save
from frappe.client import set_value

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	CLERK,
	INSPECTOR,
	PART,
	WAREHOUSE_CLERK,
	ClaimTestCase,
	api_update,
	approve,
	new_claim,
	old_parts_step,
)
from aftersales_module.controllers.stage_forms import set_stage_onload
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.tests.role_users import acting_as

CLAIM = "Compensation Claim"


def refused_save(test, user: str, claim_name: str, values: dict) -> str:
	"""The user's save of these values is refused; the refusal's message."""
	with acting_as(user), test.assertRaises(StepPermissionError) as refused:
		api_update(CLAIM, claim_name, values)
	return str(refused.exception)


def old_part_values(claim_name: str) -> list[tuple]:
	rows = frappe.get_all(
		"Compensation Claim Old Part",
		filters={"parent": claim_name, "parenttype": CLAIM},
		fields=["condition", "handling", "restock_warehouse"],
		order_by="idx",
		as_list=True,
	)
	return [tuple(value or None for value in row) for row in rows]


class TestClaimStageInputs(ClaimTestCase):
	def test_the_draft_is_written_up_by_customer_service_not_by_the_warehouse(self):
		claim = new_claim(compensation_amount=100)
		message = refused_save(self, WAREHOUSE_CLERK, claim.name, {"liability_notes": "Not mine to say."})
		for part in (
			"Draft",
			"Liability Notes",
			"Aftersales Customer Service",
			"Aftersales Quality Inspector",
		):
			self.assertIn(part, message)
		self.assertIsNone(frappe.db.get_value(CLAIM, claim.name, "liability_notes"))

		with acting_as(CLERK):
			api_update(CLAIM, claim.name, {"liability_notes": "Clause 7 of the carrier contract."})
		self.assertEqual(
			frappe.db.get_value(CLAIM, claim.name, "liability_notes"), "Clause 7 of the carrier contract."
		)

	def test_where_a_part_goes_is_not_named_before_the_claim_is_approved(self):
		# the warehouse's column, but not at the draft stage (nor anything else of the draft)
		claim = new_claim(compensation_amount=10, old_parts=[{"item_code": PART, "qty": 1}])
		stores = self.accounts.old_parts_warehouse
		with self.assertRaises(StepPermissionError) as refused:
			old_parts_step(claim, WAREHOUSE_CLERK, **{"0": {"restock_warehouse": stores}})
		self.assertIn("Restock Warehouse in row 1", str(refused.exception))
		self.assertIn("Approved", str(refused.exception))
		self.assertEqual(old_part_values(claim.name), [(None, None, None)])

	def test_after_approval_the_inspector_checks_the_parts_and_the_warehouse_puts_them_away(self):
		claim = approve(new_claim(compensation_amount=10, old_parts=[{"item_code": PART, "qty": 1}]))
		stores = self.accounts.old_parts_warehouse

		# the warehouse does not judge the part (customer service may not touch an approved claim at all)
		with self.assertRaises(StepPermissionError) as refused:
			old_parts_step(claim, WAREHOUSE_CLERK, **{"0": {"condition": "Good"}})
		message = str(refused.exception)
		self.assertIn("Approved", message)
		self.assertIn("Condition in row 1", message)
		self.assertIn("Aftersales Quality Inspector", message)
		self.assertRaises(
			frappe.PermissionError, old_parts_step, claim, CLERK, **{"0": {"condition": "Good"}}
		)
		# nor does the inspector name the shelf
		with self.assertRaises(StepPermissionError) as refused:
			old_parts_step(claim, INSPECTOR, **{"0": {"restock_warehouse": stores}})
		self.assertIn("Aftersales Warehouse", str(refused.exception))
		self.assertEqual(old_part_values(claim.name), [(None, None, None)])

		old_parts_step(claim, INSPECTOR, **{"0": {"condition": "Good"}})
		old_parts_step(claim, WAREHOUSE_CLERK, **{"0": {"restock_warehouse": stores}})
		self.assertEqual(old_part_values(claim.name), [("Good", "Restock", stores)])

	def test_forged_api_saves_are_refused(self):
		claim = new_claim(compensation_amount=100)
		with acting_as(WAREHOUSE_CLERK):
			self.assertRaises(
				StepPermissionError, set_value, CLAIM, claim.name, "appraisal_findings", "Forged."
			)
			forged = frappe.get_doc(CLAIM, claim.name).as_dict()
			forged["items"][0]["qty"] = 1
			self.assertRaises(StepPermissionError, client_save, frappe.as_json(forged))
		stored = frappe.get_doc(CLAIM, claim.name)
		self.assertNotEqual(stored.appraisal_findings, "Forged.")
		self.assertEqual(stored.items[0].qty, 2)

	def test_the_form_offers_each_role_its_own_stage_fields(self):
		claim = approve(new_claim(compensation_amount=10, old_parts=[{"item_code": PART, "qty": 1}]))
		offered = {}
		for user in (INSPECTOR, WAREHOUSE_CLERK, CLERK):
			with acting_as(user):
				doc = frappe.get_doc(CLAIM, claim.name)
				set_stage_onload(doc)
				offered[user] = doc.get_onload().stage_inputs
		self.assertEqual(offered[INSPECTOR]["columns"], {"old_parts": ["condition", "handling"]})
		self.assertEqual(offered[WAREHOUSE_CLERK]["columns"], {"old_parts": ["restock_warehouse"]})
		self.assertEqual((offered[CLERK]["columns"], offered[CLERK]["fields"]), ({}, []))
		self.assertIn("appraisal_findings", offered[CLERK]["every_field"])
