# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Compensation claims 賠償 on a real site, each step by the person whose job it is: customer service
escalates a lost parcel from its inquiry ticket and files the claim, two quality inspectors review
it and the second approves, the warehouse takes old parts in and out, the after-sales manager
cancels. The documents approval posts — compensation to the customer, recovery from the carrier or
supplier, deduction from an employee, old parts in and out — are asserted in the general and stock
ledgers, per party, and after cancelling. Reviews, remedies and forged values: test_claim_controls."""

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	ACCOUNTANT,
	CARRIER,
	CLERK,
	COST,
	INSPECTOR,
	MANAGER,
	PART,
	PHONE,
	PRICE,
	SECOND_INSPECTOR,
	WAREHOUSE_CLERK,
	ClaimTestCase,
	api_run,
	api_update,
	approve,
	approve_as_inspector,
	back_linked,
	gl_balance,
	make_employee,
	new_claim,
	old_parts_step,
	party_balance,
	review,
	review_twice,
	stock_moves,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	act,
	as_role,
	cancel_as_manager,
)
from aftersales_module.controllers import claim_postings
from aftersales_module.controllers.postings import PostingCancelError
from aftersales_module.controllers.steps import as_app
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	default_warehouse,
	make_sales_invoice,
	make_supplier,
	stock_balance,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim", "Inquiry Ticket"]


class TestLostParcelClaim(ClaimTestCase):
	def test_lost_parcel_escalates_settles_with_the_customer_and_recovers_from_the_carrier(self):
		ticket, claim = self.open_claim_from_ticket(
			{"tracking_no": "YT-0001", "anomaly_details": "No scan since the sorting centre for 6 days."},
			compensation_amount=2 * PRICE,
			recovery_amount=600,
		)
		self.assertEqual(
			(
				claim.claim_type,
				claim.inquiry_ticket,
				claim.delivery_note,
				claim.sales_order,
				claim.tracking_no,
			),
			("Lost", ticket.name, ticket.delivery_note, ticket.sales_order, "YT-0001"),
		)
		self.assertEqual((claim.liable_party_type, claim.liable_supplier), ("Carrier", CARRIER))
		self.assertIn("No scan since the sorting centre", claim.incident_details)
		self.assertEqual([(row.item_code, row.qty, row.rate) for row in claim.items], [(PHONE, 2, PRICE)])
		self.assertEqual(claim.claimed_value, 2 * PRICE)
		# Escalating again opens the same claim.
		with acting_as(CLERK):
			self.assertEqual(api_run("Inquiry Ticket", ticket.name, "make_compensation_claim"), claim.name)
		self.assertEqual(frappe.db.count("Compensation Claim", {"inquiry_ticket": ticket.name}), 1)

		review_twice(claim)
		stored = frappe.db.get_value(
			"Compensation Claim",
			claim.name,
			["first_reviewer", "second_reviewer", "first_reviewed_on", "second_reviewed_on", "status"],
			as_dict=True,
		)
		self.assertEqual(
			(stored.first_reviewer, stored.second_reviewer, stored.status),
			(INSPECTOR, SECOND_INSPECTOR, "Ready to Approve"),
		)
		self.assertTrue(stored.first_reviewed_on and stored.second_reviewed_on)

		claim = approve_as_inspector(claim)
		self.assertEqual(claim.status, "Approved")
		self.assertEqual(claim.net_cost, 400)
		compensation, recovery = claim.compensation_voucher, claim.recovery_voucher
		self.assertEqual(
			(claim.compensation_voucher_type, claim.recovery_voucher_type), ("Journal Entry",) * 2
		)
		self.assertEqual(
			back_linked(claim.name), {("Journal Entry", compensation), ("Journal Entry", recovery)}
		)
		# Made by the app for the inspector, who holds no Journal Entry rights of their own.
		self.assertFalse(frappe.has_permission("Journal Entry", "create", user=SECOND_INSPECTOR))
		self.assertEqual(
			gl_balance([compensation]),
			{self.accounts.compensation_expense_account: 1000, self.receivable: -1000},
		)
		self.assertEqual(
			gl_balance([recovery]), {self.payable: 600, self.accounts.compensation_recovery_account: -600}
		)
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), -1000)
		self.assertEqual(party_balance("Supplier", CARRIER), 600)
		self.assertEqual((claim.compensation_cost, claim.total_cost), (1000, 1000))

		# A retried approval makes nothing new.
		with acting_as(SECOND_INSPECTOR), as_app():
			claim_postings.post_settlement(claim)
		self.assertEqual((claim.compensation_voucher, claim.recovery_voucher), (compensation, recovery))
		self.assertEqual(len(back_linked(claim.name)), 2)

		# Its postings are cancelled through the claim only, even by accounts.
		with self.assertRaises(PostingCancelError), acting_as(ACCOUNTANT):
			frappe.get_doc("Journal Entry", compensation).cancel()
		self.assertEqual(frappe.db.get_value("Journal Entry", compensation, "docstatus"), 1)

		# Customer service may cancel a claim only where ERPNext lets them cancel what it posted.
		with acting_as(CLERK), self.assertRaises(frappe.PermissionError) as refused:
			frappe.get_doc("Compensation Claim", claim.name).cancel()
		self.assertIn(compensation, str(refused.exception))
		self.assertIn(recovery, str(refused.exception))
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "docstatus"), 1)
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), -1000)

		# The after-sales manager cancels it, and with it what it posted.
		cancel_as_manager(claim)
		self.assert_cancelled([("Journal Entry", compensation), ("Journal Entry", recovery)])
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), 0)
		self.assertEqual(party_balance("Supplier", CARRIER), 0)
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "status"), "Cancelled")

		# Records are kept: not even Administrator deletes the claim or what it posted.
		self.assertRaises(frappe.LinkExistsError, frappe.delete_doc, "Compensation Claim", claim.name)
		self.assertRaises(frappe.LinkExistsError, frappe.delete_doc, "Journal Entry", compensation)
		self.assertTrue(frappe.db.exists("Journal Entry", compensation))

	def test_credit_note_and_debit_note_when_settings_say_so(self):
		frappe.db.set_single_value(
			"Aftersales Settings", {"compensation_posting": "Credit Note", "recovery_posting": "Debit Note"}
		)
		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		supplier = make_supplier("_Test Aftersales Panel Supplier").name
		claim = new_claim(
			claim_type="Quality",
			liable_party_type="Supplier",
			liable_supplier=supplier,
			compensation_amount=150,
			recovery_amount=150,
		)
		claim = approve(claim)
		self.assertEqual(
			(claim.compensation_voucher_type, claim.recovery_voucher_type),
			("Sales Invoice", "Purchase Invoice"),
		)
		credit_note = frappe.get_doc("Sales Invoice", claim.compensation_voucher)
		debit_note = frappe.get_doc("Purchase Invoice", claim.recovery_voucher)
		self.assertEqual(
			(credit_note.is_return, credit_note.grand_total, credit_note.update_stock), (1, -150, 0)
		)
		self.assertEqual(
			(debit_note.is_return, debit_note.grand_total, debit_note.supplier), (1, -150, supplier)
		)
		self.assertEqual(
			gl_balance([credit_note.name]),
			{self.accounts.compensation_expense_account: 150, self.receivable: -150},
		)
		self.assertEqual(
			gl_balance([debit_note.name]),
			{self.payable: 150, self.accounts.compensation_recovery_account: -150},
		)
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), -150)
		self.assertEqual(party_balance("Supplier", supplier), 150)

		cancel_as_manager(claim)
		self.assert_cancelled([("Sales Invoice", credit_note.name), ("Purchase Invoice", debit_note.name)])
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), 0)
		self.assertEqual(party_balance("Supplier", supplier), 0)


class TestInternalLiability(ClaimTestCase):
	def test_internal_liability_posts_the_deduction_with_the_employee_as_party(self):
		employee = make_employee()
		claim = new_claim(
			claim_type="Wrong Shipment",
			liable_party_type="Internal",
			liable_supplier=None,
			employee=employee,
			liability_notes="Picked the wrong colour; signed off by the warehouse lead.",
			compensation_amount=50,
			deduction_amount=20,
		)
		claim = approve(claim)
		self.assertFalse(claim.recovery_voucher)
		self.assertEqual(
			gl_balance([claim.deduction_entry]),
			{self.accounts.staff_deduction_account: 20, self.accounts.compensation_recovery_account: -20},
		)
		self.assertEqual(party_balance("Employee", employee), 20)
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), -50)
		self.assertEqual(claim.net_cost, 30)
		self.assertEqual(
			frappe.db.get_value("Journal Entry", claim.deduction_entry, "aftersales_compensation_claim"),
			claim.name,
		)

		cancel_as_manager(claim)
		self.assert_cancelled(
			[("Journal Entry", claim.deduction_entry), ("Journal Entry", claim.compensation_voucher)]
		)
		self.assertEqual(party_balance("Employee", employee), 0)


class TestOldParts(ClaimTestCase):
	def test_old_parts_come_in_at_quantity_only_then_good_ones_are_restocked_and_bad_ones_scrapped(self):
		stores = default_warehouse()
		old_parts = self.accounts.old_parts_warehouse
		claim = new_claim(
			claim_type="Quality",
			liable_party_type="Supplier",
			compensation_amount=0,
			recovery_amount=90,
			old_parts=[{"item_code": PART, "qty": 2}, {"item_code": PART, "qty": 1}],
		)
		claim = approve(claim)
		before = stock_balance(PART, stores)

		claim = old_parts_step(claim, WAREHOUSE_CLERK, "receive_old_parts")
		receipt = claim.old_parts[0].receipt_entry
		self.assertEqual(claim.old_parts[1].receipt_entry, receipt)
		self.assertEqual(sorted(stock_moves(receipt)), [(old_parts, 1.0, 0.0), (old_parts, 2.0, 0.0)])
		self.assertRaises(frappe.ValidationError, old_parts_step, claim, WAREHOUSE_CLERK, "receive_old_parts")
		# not checked yet
		self.assertRaises(frappe.ValidationError, old_parts_step, claim, WAREHOUSE_CLERK, "handle_old_parts")

		# The inspector checks the parts, the warehouse puts the good ones away and scraps the bad.
		claim = old_parts_step(claim, INSPECTOR, **{"0": {"condition": "Good"}, "1": {"condition": "Bad"}})
		self.assertEqual([row.handling for row in claim.old_parts], ["Restock", "Scrap"])
		claim = old_parts_step(
			claim, WAREHOUSE_CLERK, "handle_old_parts", **{"0": {"restock_warehouse": stores}}
		)
		restocked, scrapped = claim.old_parts[0].handling_entry, claim.old_parts[1].handling_entry
		self.assertEqual(
			frappe.db.get_value("Stock Entry", restocked, "stock_entry_type"), "Old Part Restocked"
		)
		self.assertEqual(
			frappe.db.get_value("Stock Entry", scrapped, "stock_entry_type"), "Old Part Scrapped"
		)
		self.assertEqual(stock_moves(restocked), [(old_parts, -2.0, 0.0), (stores, 2.0, 0.0)])
		self.assertEqual(stock_moves(scrapped), [(old_parts, -1.0, 0.0)])
		self.assertEqual(stock_balance(PART, old_parts), 0)
		self.assertEqual(stock_balance(PART, stores), before + 2)
		self.assert_books_reconcile()

		cancel_as_manager(claim)
		self.assert_cancelled(
			[("Stock Entry", receipt), ("Stock Entry", restocked), ("Stock Entry", scrapped)]
		)
		self.assertEqual(stock_balance(PART, stores), before)
		self.assertEqual(stock_balance(PART, old_parts), 0)
		self.assert_books_reconcile()

	def test_a_bad_part_is_not_restocked(self):
		claim = approve(new_claim(compensation_amount=10, old_parts=[{"item_code": PART, "qty": 1}]))
		claim = old_parts_step(claim, WAREHOUSE_CLERK, "receive_old_parts")
		claim = old_parts_step(claim, INSPECTOR, **{"0": {"condition": "Bad", "handling": "Restock"}})
		self.assertRaises(frappe.ValidationError, old_parts_step, claim, WAREHOUSE_CLERK, "handle_old_parts")
		self.assertFalse(frappe.get_doc("Compensation Claim", claim.name).old_parts[0].handling_entry)


class TestCostLedgerAndRegisters(ClaimTestCase):
	def test_a_reissued_claim_counts_the_reissued_goods_as_material(self):
		invoice = make_sales_invoice([(PHONE, 2, PRICE)])
		claim = approve(
			new_claim(
				claim_type="Lost",
				sales_invoice=invoice.name,
				remedy="Reissue",
				recovery_amount=400,
				items=((PHONE, 1, PRICE),),
			)
		)
		with acting_as(CLERK):
			request = frappe.get_doc(
				"Return Request", api_run("Compensation Claim", claim.name, "make_reissue")
			)
			self.assertEqual(api_run("Compensation Claim", claim.name, "make_reissue"), request.name)
		self.assertEqual((request.request_type, request.compensation_claim), ("Reissue", claim.name))
		self.assertEqual([(row.item_code, row.qty) for row in request.items], [(PHONE, 1)])
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, "reissue_request"), request.name
		)

		request = act(request, "Submit")
		request = act(request, "Send to Sales Approval")
		request = act(request, "Approve")
		request.reload()
		as_role(WAREHOUSE, request.ship_reissue)

		claim.reload()
		as_role(AFTERSALES_MANAGER, claim.refresh_cost_ledger)
		claim.reload()
		self.assertEqual(
			(
				claim.material_cost,
				claim.compensation_cost,
				claim.freight_cost,
				claim.labour_cost,
				claim.total_cost,
			),
			(COST, 0, 0, 0, COST),
		)
		self.assert_books_reconcile()

	def test_registers_list_the_claims_with_their_totals(self):
		from aftersales_module.aftersales_module.report.appraisal_register.appraisal_register import (
			execute as appraisal_register,
		)
		from aftersales_module.aftersales_module.report.compensation_dispatch_register.compensation_dispatch_register import (
			execute as dispatch_register,
		)
		from aftersales_module.aftersales_module.report.parts_issue_register.parts_issue_register import (
			execute as parts_issue_register,
		)

		employee = make_employee()
		carrier_claim = approve(new_claim(compensation_amount=700, recovery_amount=500))
		internal_claim = approve(
			new_claim(
				liable_party_type="Internal",
				liable_supplier=None,
				employee=employee,
				compensation_amount=80,
				deduction_amount=30,
				old_parts=[{"item_code": PART, "qty": 1}],
			)
		)
		internal_claim = old_parts_step(internal_claim, WAREHOUSE_CLERK, "receive_old_parts")
		draft = review(new_claim(compensation_amount=5), INSPECTOR)
		filters = {"company": TEST_COMPANY, "from_date": add_days(nowdate(), -1), "to_date": nowdate()}

		# The after-sales manager reads the registers.
		with acting_as(MANAGER):
			_columns, rows = appraisal_register(filters)
		by_claim = {row["claim"]: row for row in rows if row.get("claim")}
		self.assertEqual(
			{
				name: by_claim[name]["compensation_amount"]
				for name in (carrier_claim.name, internal_claim.name)
			},
			{carrier_claim.name: 700, internal_claim.name: 80},
		)
		self.assertEqual(by_claim[carrier_claim.name]["recovery_amount"], 500)
		self.assertEqual(by_claim[internal_claim.name]["deduction_amount"], 30)
		self.assertEqual(by_claim[internal_claim.name]["liable_party"], employee)
		self.assertEqual(
			(by_claim[carrier_claim.name]["first_reviewer"], by_claim[carrier_claim.name]["second_reviewer"]),
			(INSPECTOR, SECOND_INSPECTOR),
		)
		self.assertEqual(by_claim[draft.name]["status"], "In Review")

		with acting_as(MANAGER):
			_columns, rows = appraisal_register({**filters, "liable_party_type": "Internal"})
		# Only this test's claims are compared: the site may hold others of the same days.
		ours = {carrier_claim.name, internal_claim.name, draft.name}
		self.assertEqual([row["claim"] for row in rows if row.get("claim") in ours], [internal_claim.name])

		with acting_as(MANAGER):
			_columns, rows = dispatch_register(filters)
		dispatched = {row["claim"]: row for row in rows if row.get("claim") in ours}
		self.assertEqual(set(dispatched), {carrier_claim.name, internal_claim.name})
		self.assertEqual(sum(row["compensation_amount"] for row in dispatched.values()), 780)
		self.assertEqual(
			dispatched[carrier_claim.name]["compensation_voucher"], carrier_claim.compensation_voucher
		)

		with acting_as(MANAGER):
			_columns, rows = parts_issue_register(filters)
		received = [
			row for row in rows if row.get("stock_entry") == internal_claim.old_parts[0].receipt_entry
		]
		self.assertEqual([(row["item_code"], row["qty"]) for row in received], [(PART, 1)])

		cancel_as_manager(carrier_claim)
		with acting_as(MANAGER):
			_columns, rows = dispatch_register(filters)
			self.assertNotIn(carrier_claim.name, {row.get("claim") for row in rows})
			_columns, rows = dispatch_register({**filters, "status": "Cancelled"})
			self.assertIn(carrier_claim.name, {row.get("claim") for row in rows})
