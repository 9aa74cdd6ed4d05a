# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""What keeps a compensation claim honest, tried by the people who work on it: two reviews by two
inspectors, a dispute ruled by a manager who did not review it, a settlement within the goods
claimed, one remedy per loss, and no review, ruling or voucher taken from what a client sends."""

import frappe
from frappe.utils import now_datetime, nowdate

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	CLERK,
	INSPECTOR,
	MANAGER,
	PHONE,
	PRICE,
	SECOND_INSPECTOR,
	SECOND_MANAGER,
	ClaimTestCase,
	api_run,
	api_update,
	approve,
	approve_as_inspector,
	back_linked,
	claim_doc,
	desk_run,
	new_claim,
	review,
	review_twice,
)
from aftersales_module.controllers.claim_postings import RemedyError
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_sales_invoice,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim", "Inquiry Ticket"]


class TestReviews(ClaimTestCase):
	def test_the_same_user_cannot_give_both_reviews(self):
		_ticket, claim = self.open_claim_from_ticket(compensation_amount=100, recovery_amount=100)
		claim = review(claim, INSPECTOR)
		self.assertEqual((claim.status, claim.first_reviewer), ("In Review", INSPECTOR))
		with self.assertRaises(frappe.ValidationError) as refused:
			review(claim, INSPECTOR)
		self.assertIn("someone else", str(refused.exception))
		with acting_as(INSPECTOR):
			# The form sends the claim as it holds it, first review blanked: the step reads the database.
			held = frappe.get_doc("Compensation Claim", claim.name).as_dict()
			held.update(first_reviewer=None, first_verdict=None)
			with self.assertRaises(frappe.ValidationError) as refused:
				desk_run(held, "review", verdict="Confirmed")
			self.assertIn("someone else", str(refused.exception))
			# Nor may it be approved on one review.
			self.assertRaises(frappe.ValidationError, frappe.get_doc("Compensation Claim", claim.name).submit)
		stored = frappe.db.get_value(
			"Compensation Claim", claim.name, ["first_reviewer", "second_reviewer", "docstatus"], as_dict=True
		)
		self.assertEqual(
			(stored.first_reviewer, stored.second_reviewer, stored.docstatus), (INSPECTOR, None, 0)
		)

		claim = review(claim, SECOND_INSPECTOR)
		self.assertEqual((claim.status, claim.second_reviewer), ("Ready to Approve", SECOND_INSPECTOR))

	def test_a_disputed_appraisal_needs_the_ruling_of_a_manager_who_did_not_review_it(self):
		claim = new_claim(compensation_amount=300, recovery_amount=0)
		review(claim, MANAGER)
		claim = review(claim, SECOND_INSPECTOR, "Disputed")
		self.assertEqual(claim.status, "Disputed")
		with acting_as(SECOND_INSPECTOR):
			self.assertRaises(frappe.ValidationError, frappe.get_doc("Compensation Claim", claim.name).submit)
			# A reviewer does not rule, neither by the action nor by writing the ruling over save.
			self.assertRaises(
				StepPermissionError, api_run, "Compensation Claim", claim.name, "rule", ruling="Mine."
			)
			api_update("Compensation Claim", claim.name, {"ruled_by": SECOND_INSPECTOR, "ruling": "Mine."})
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, ["ruled_by", "ruling", "status"]),
			(None, None, "Disputed"),
		)
		# Nor does the manager who reviewed it.
		with acting_as(MANAGER), self.assertRaises(frappe.ValidationError) as refused:
			api_run("Compensation Claim", claim.name, "rule", ruling="Confirmed after all")
		self.assertIn("reviewed this appraisal", str(refused.exception))

		with acting_as(SECOND_MANAGER):
			api_run(
				"Compensation Claim",
				claim.name,
				"rule",
				ruling="Hub video shows the carrier dropped it; carrier liable, 300 to the customer.",
			)
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, ["ruled_by", "status"]),
			(SECOND_MANAGER, "Ready to Approve"),
		)
		claim = approve_as_inspector(claim)
		self.assertEqual(claim.status, "Approved")
		self.assertTrue(claim.compensation_voucher)
		self.assertFalse(claim.recovery_voucher)

	def test_customer_service_files_the_claim_but_cannot_review_or_approve_it(self):
		claim = new_claim(compensation_amount=100)
		self.assertEqual(claim.owner, CLERK)
		with acting_as(CLERK):
			self.assertRaises(
				frappe.PermissionError,
				api_run,
				"Compensation Claim",
				claim.name,
				"review",
				verdict="Confirmed",
			)
		review_twice(claim)
		with acting_as(CLERK):
			self.assertRaises(frappe.PermissionError, frappe.get_doc("Compensation Claim", claim.name).submit)
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "docstatus"), 0)

	def test_changing_the_settlement_after_a_review_starts_the_reviews_again(self):
		claim = review(new_claim(compensation_amount=100), INSPECTOR)
		with acting_as(CLERK):
			claim = api_update("Compensation Claim", claim.name, {"compensation_amount": 900})
		self.assertEqual((claim.first_reviewer, claim.status), (None, "Draft"))


class TestSettlementLimits(ClaimTestCase):
	def test_nothing_is_paid_recovered_or_deducted_beyond_the_goods_claimed(self):
		self.assertRaises(frappe.ValidationError, new_claim, compensation_amount=1000.01)
		self.assertRaises(frappe.ValidationError, new_claim, recovery_amount=1001)
		self.assertRaises(
			frappe.ValidationError, new_claim, liable_party_type="Customer", compensation_amount=1
		)
		self.assertRaises(frappe.ValidationError, new_claim, deduction_amount=10)
		self.assertRaises(frappe.ValidationError, new_claim, liable_supplier=None)

	def test_an_internal_liability_names_who_is_liable(self):
		self.assertRaises(
			frappe.ValidationError,
			new_claim,
			liable_party_type="Internal",
			liable_supplier=None,
			deduction_amount=5,
		)

	def test_a_draft_claim_can_be_deleted_but_not_an_approved_one(self):
		draft = new_claim(compensation_amount=100)
		with acting_as(CLERK):
			frappe.delete_doc("Compensation Claim", draft.name)
		self.assertFalse(frappe.db.exists("Compensation Claim", draft.name))
		approved = approve(new_claim(compensation_amount=100))
		# Kept even from Administrator.
		self.assertRaises(frappe.ValidationError, frappe.delete_doc, "Compensation Claim", approved.name)


class TestForgedValues(ClaimTestCase):
	def test_one_user_writing_both_reviews_over_save_is_reset(self):
		_ticket, claim = self.open_claim_from_ticket(compensation_amount=100)
		forged = {
			"first_reviewer": INSPECTOR,
			"first_verdict": "Confirmed",
			"first_reviewed_on": now_datetime(),
			"second_reviewer": INSPECTOR,
			"second_verdict": "Confirmed",
			"second_reviewed_on": now_datetime(),
			"ruled_by": INSPECTOR,
			"ruling": "All fine.",
			"status": "Ready to Approve",
		}
		with acting_as(INSPECTOR):
			api_update("Compensation Claim", claim.name, {**forged, "liability_notes": "Clause 7."})
		stored = frappe.get_doc("Compensation Claim", claim.name)
		self.assertEqual(stored.liability_notes, "Clause 7.")  # the inspector's own field is saved
		for fieldname in forged:
			self.assertIn(stored.get(fieldname), (None, "", "Draft"), fieldname)
		self.assertEqual(stored.status, "Draft")
		# Nor can the forged claim be approved.
		with acting_as(INSPECTOR):
			claim = frappe.get_doc("Compensation Claim", claim.name)
			claim.update(forged)
			self.assertRaises(frappe.ValidationError, claim.submit)
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "docstatus"), 0)

	def test_a_forged_voucher_is_ignored(self):
		_ticket, claim = self.open_claim_from_ticket(compensation_amount=100)
		someone_elses = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"company": TEST_COMPANY,
				"posting_date": nowdate(),
				"accounts": [
					{"account": self.accounts.compensation_expense_account, "debit_in_account_currency": 5},
					{"account": self.accounts.compensation_recovery_account, "credit_in_account_currency": 5},
				],
			}
		).insert()
		forged = {
			"compensation_voucher_type": "Journal Entry",
			"compensation_voucher": someone_elses.name,
			"deduction_entry": someone_elses.name,
			"total_cost": 5,
		}
		with acting_as(CLERK):
			api_update("Compensation Claim", claim.name, forged)
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, [*forged], as_dict=True),
			dict.fromkeys(forged, None) | {"total_cost": 0},
		)
		# Not even on a new claim, nor for a user whom permission levels do not reset (Administrator).
		forged_new = claim_doc(compensation_amount=100, **forged, first_reviewer=INSPECTOR).insert()
		self.assertEqual(
			(forged_new.compensation_voucher, forged_new.deduction_entry, forged_new.first_reviewer),
			(None, None, None),
		)

		claim = approve(claim)
		self.assertNotEqual(claim.compensation_voucher, someone_elses.name)
		self.assertEqual(
			frappe.db.get_value("Journal Entry", claim.compensation_voucher, "aftersales_compensation_claim"),
			claim.name,
		)

	def test_refreshing_the_cost_ledger_uses_the_stored_claim_not_the_one_sent(self):
		_ticket, claim = self.open_claim_from_ticket(compensation_amount=100)
		claim = approve(claim)
		stored = frappe.db.get_value("Compensation Claim", claim.name, ["compensation_cost", "total_cost"])
		forged = frappe.get_doc("Compensation Claim", claim.name).as_dict() | {"compensation_amount": 987654}
		with acting_as("Aftersales Warehouse"):
			desk_run(forged, "refresh_cost_ledger")
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, ["compensation_cost", "total_cost"]), stored
		)


class TestRemedies(ClaimTestCase):
	def test_compensation_and_reissue_are_not_both_given_for_one_loss(self):
		# Reissue remedy: nothing may be paid to the customer.
		ticket, claim = self.open_claim_from_ticket(remedy="Reissue", recovery_amount=300)
		with acting_as(CLERK), self.assertRaises(RemedyError) as refused:
			api_update("Compensation Claim", claim.name, {"compensation_amount": 100})
		self.assertIn("The remedy is Reissue", str(refused.exception))

		# Compensation remedy: the ticket's goods are not reissued on top.
		with acting_as(CLERK):
			api_update(
				"Compensation Claim", claim.name, {"remedy": "Compensation", "compensation_amount": 100}
			)
			with self.assertRaises(RemedyError) as refused:
				api_run("Inquiry Ticket", ticket.name, "make_reissue")
		self.assertIn("The remedy is Compensation", str(refused.exception))
		self.assertFalse(frappe.db.get_value("Inquiry Ticket", ticket.name, "reissue_request"))

		claim = approve(claim)
		self.assertTrue(claim.compensation_voucher)
		# Paid: no reissue from the claim either.
		with acting_as(CLERK), self.assertRaises(RemedyError) as refused:
			api_run("Compensation Claim", claim.name, "make_reissue")
		self.assertIn("The remedy is Compensation", str(refused.exception))
		self.assertFalse(frappe.db.count("Return Request", {"compensation_claim": claim.name}))

	def test_a_loss_reissued_from_the_ticket_is_not_also_paid(self):
		invoice = make_sales_invoice([(PHONE, 2, PRICE)])
		with acting_as(CLERK):
			ticket = frappe.get_doc(
				{
					"doctype": "Inquiry Ticket",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"inquiry_reason": "Parcel Lost",
					"sales_invoice": invoice.name,
					"carrier": "_Test Aftersales Carrier",
					"anomaly": "Lost",
				}
			).insert()
			reissue = api_run("Inquiry Ticket", ticket.name, "make_reissue")
			name = api_run("Inquiry Ticket", ticket.name, "make_compensation_claim")
			claim = frappe.get_doc("Compensation Claim", name)
			# The claim starts from what the ticket already gave: the goods sent again.
			self.assertEqual(claim.remedy, "Reissue")
			api_update(
				"Compensation Claim",
				name,
				{"appraisal_findings": "Lost.", "remedy": "Compensation", "compensation_amount": 100},
			)
		review_twice(claim)
		with self.assertRaises(RemedyError) as refused:
			approve_as_inspector(claim)
		self.assertIn(reissue, str(refused.exception))
		self.assertIn("Compensation", str(refused.exception))
		self.assertEqual(back_linked(name), set())

	def test_reissue_only_under_the_reissue_remedy(self):
		invoice = make_sales_invoice([(PHONE, 1, PRICE)])
		claim = new_claim(sales_invoice=invoice.name, remedy="Coupon", coupon_code="SORRY-10")
		approve(claim)
		with acting_as(CLERK), self.assertRaises(RemedyError) as refused:
			api_run("Compensation Claim", claim.name, "make_reissue")
		self.assertIn("The remedy is Coupon, not Reissue", str(refused.exception))
		# A coupon needs its code.
		self.assertRaises(RemedyError, new_claim, remedy="Coupon")
