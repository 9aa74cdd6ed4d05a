# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Compensation claims 賠償 on a real site: a lost parcel escalated from its inquiry ticket, two
reviews by two people, the manager's ruling on a dispute, and the documents approval posts —
compensation to the customer, recovery from the carrier or supplier, deduction from an employee,
old parts in and out — asserted in the general and stock ledgers, per party, and after cancelling."""

import frappe
from frappe.utils import add_days, flt, now_datetime, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.aftersales_module.doctype.return_request.test_return_request_flow import (
	act,
	make_user,
	open_request,
)
from aftersales_module.controllers import claim_postings
from aftersales_module.controllers.claim_postings import RemedyError
from aftersales_module.controllers.postings import PostingCancelError
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	company_value,
	default_warehouse,
	make_customer,
	make_delivery_flow,
	make_item,
	make_sales_invoice,
	make_stock,
	make_supplier,
	stock_balance,
)
from aftersales_module.tests.role_users import acting_as, make_role_user
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim", "Inquiry Ticket"]

PHONE = "_Test Aftersales Claim Phone"
PART = "_Test Aftersales Claim Part"
CARRIER = "_Test Aftersales Carrier"
PRICE = 500
COST = 200
FIRST_REVIEWER = "claim.reviewer1@example.com"
SECOND_REVIEWER = "claim.reviewer2@example.com"
MANAGER = "claim.manager@example.com"
POSTED_DOCTYPES = ("Journal Entry", "Sales Invoice", "Purchase Invoice", "Stock Entry")


def new_claim(items=((PHONE, 2, PRICE),), **fields):
	claim = frappe.get_doc(
		{
			"doctype": "Compensation Claim",
			"company": TEST_COMPANY,
			"customer": TEST_CUSTOMER,
			"claim_type": "Damaged",
			"liable_party_type": "Carrier",
			"liable_supplier": CARRIER,
			"appraisal_findings": "Box crushed in transit; carrier's scan shows a fall at the hub.",
			"items": [{"item_code": item, "qty": qty, "rate": rate} for item, qty, rate in items],
			**fields,
		}
	)
	claim.insert()
	return claim


def review(claim, user: str, verdict: str = "Confirmed"):
	frappe.set_user(user)
	try:
		claim = frappe.get_doc("Compensation Claim", claim.name)
		claim.review(verdict, f"{verdict} by {user}")
		return claim
	finally:
		frappe.set_user("Administrator")


def approve(claim):
	"""Both reviews by two inspectors, then approval by the second."""
	review(claim, FIRST_REVIEWER)
	review(claim, SECOND_REVIEWER)
	frappe.set_user(SECOND_REVIEWER)
	try:
		claim = frappe.get_doc("Compensation Claim", claim.name)
		claim.submit()
		return claim
	finally:
		frappe.set_user("Administrator")


def party_balance(party_type: str, party: str) -> float:
	"""Debit less credit of the party over live GL entries of compensation claims."""
	return flt(
		frappe.db.sql(
			"""select sum(gle.debit - gle.credit) from `tabGL Entry` gle
			where gle.party_type = %s and gle.party = %s and gle.is_cancelled = 0
			and gle.voucher_no in (
				select name from `tabJournal Entry` where aftersales_compensation_claim is not null
				union select name from `tabSales Invoice` where aftersales_compensation_claim is not null
				union select name from `tabPurchase Invoice` where aftersales_compensation_claim is not null)""",
			(party_type, party),
		)[0][0],
		2,
	)


def gl_balance(voucher_nos) -> dict[str, float]:
	rows = frappe.db.sql(
		"""select account, sum(debit - credit) from `tabGL Entry`
		where voucher_no in %s and is_cancelled = 0 group by account""",
		[tuple(voucher_nos)],
	)
	return {account: flt(balance, 2) for account, balance in rows if flt(balance, 2)}


def back_linked(claim_name: str) -> set[tuple[str, str]]:
	return {
		(doctype, name)
		for doctype in POSTED_DOCTYPES
		for name in frappe.get_all(
			doctype, filters={"aftersales_compensation_claim": claim_name, "docstatus": 1}, pluck="name"
		)
	}


def stock_moves(voucher_no) -> list[tuple]:
	return [
		(warehouse, flt(qty), flt(value, 2))
		for warehouse, qty, value in frappe.db.sql(
			"""select warehouse, actual_qty, stock_value_difference from `tabStock Ledger Entry`
			where voucher_no = %s and is_cancelled = 0 order by creation, actual_qty""",
			voucher_no,
		)
	]


def make_employee(first_name: str = "_Test Aftersales Packer") -> str:
	existing = frappe.db.get_value("Employee", {"first_name": first_name, "company": TEST_COMPANY})
	if existing:
		return existing
	employee = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": first_name,
			"company": TEST_COMPANY,
			"gender": "Female",
			"date_of_birth": "1990-05-01",
			"date_of_joining": "2020-01-01",
			"status": "Active",
		}
	)
	employee.insert(ignore_permissions=True)
	return employee.name


class ClaimTestCase(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()
		make_supplier(CARRIER)
		make_item(PHONE)
		make_item(PART, valuation_rate=30)
		make_stock(PHONE, qty=50, rate=COST, posting_date=add_days(nowdate(), -30))
		make_user(FIRST_REVIEWER, "Aftersales Quality Inspector")
		make_user(SECOND_REVIEWER, "Aftersales Quality Inspector")
		make_user(MANAGER, "Aftersales Manager")

	def setUp(self):
		super().setUp()
		self.accounts = get_company_settings(TEST_COMPANY)
		self.receivable = company_value("default_receivable_account")
		self.payable = company_value("default_payable_account")

	def assert_cancelled(self, documents):
		for doctype, name in documents:
			self.assertEqual(frappe.db.get_value(doctype, name, "docstatus"), 2, f"{doctype} {name}")


class TestLostParcelClaim(ClaimTestCase):
	def test_lost_parcel_escalates_settles_with_the_customer_and_recovers_from_the_carrier(self):
		order, delivery_note, _invoice = make_delivery_flow([(PHONE, 2, PRICE)])
		ticket = frappe.get_doc(
			{
				"doctype": "Inquiry Ticket",
				"company": TEST_COMPANY,
				"customer": TEST_CUSTOMER,
				"inquiry_reason": "Parcel Lost",
				"sales_order": order.name,
				"delivery_note": delivery_note.name,
				"carrier": CARRIER,
				"tracking_no": "YT-0001",
				"anomaly": "Lost",
				"anomaly_details": "No scan since the sorting centre for 6 days.",
				"findings": [{"department": "Logistics", "finding": "Carrier confirms the parcel is lost."}],
			}
		).insert()

		claim = frappe.get_doc("Compensation Claim", ticket.make_compensation_claim())
		self.assertEqual(
			(
				claim.claim_type,
				claim.inquiry_ticket,
				claim.delivery_note,
				claim.sales_order,
				claim.tracking_no,
			),
			("Lost", ticket.name, delivery_note.name, order.name, "YT-0001"),
		)
		self.assertEqual((claim.liable_party_type, claim.liable_supplier), ("Carrier", CARRIER))
		self.assertIn("No scan since the sorting centre", claim.incident_details)
		self.assertEqual([(row.item_code, row.qty, row.rate) for row in claim.items], [(PHONE, 2, PRICE)])
		self.assertEqual(claim.claimed_value, 2 * PRICE)
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", ticket.name, "compensation_claim"), claim.name)
		ticket.reload()
		self.assertEqual(ticket.make_compensation_claim(), claim.name)
		self.assertEqual(frappe.db.count("Compensation Claim", {"inquiry_ticket": ticket.name}), 1)

		claim.appraisal_findings = "Lost by the carrier; contract clause 7 pays the goods value."
		claim.compensation_amount = 2 * PRICE
		claim.recovery_amount = 600
		claim.save()
		claim = approve(claim)
		self.assertEqual(claim.status, "Approved")
		self.assertEqual(claim.net_cost, 400)

		compensation, recovery = claim.compensation_voucher, claim.recovery_voucher
		self.assertEqual(
			(claim.compensation_voucher_type, claim.recovery_voucher_type), ("Journal Entry",) * 2
		)
		self.assertEqual(
			gl_balance([compensation]),
			{self.accounts.compensation_expense_account: 1000, self.receivable: -1000},
		)
		self.assertEqual(
			gl_balance([recovery]),
			{self.payable: 600, self.accounts.compensation_recovery_account: -600},
		)
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), -1000)
		self.assertEqual(party_balance("Supplier", CARRIER), 600)
		self.assertEqual(
			back_linked(claim.name), {("Journal Entry", compensation), ("Journal Entry", recovery)}
		)
		self.assertEqual((claim.compensation_cost, claim.total_cost), (1000, 1000))

		# A retried approval makes nothing new.
		claim_postings.post_settlement(claim)
		self.assertEqual((claim.compensation_voucher, claim.recovery_voucher), (compensation, recovery))
		self.assertEqual(len(back_linked(claim.name)), 2)

		# Its postings are cancelled through the claim only.
		self.assertRaises(PostingCancelError, frappe.get_doc("Journal Entry", compensation).cancel)

		frappe.set_user(MANAGER)
		frappe.get_doc("Compensation Claim", claim.name).cancel()
		frappe.set_user("Administrator")
		self.assert_cancelled([("Journal Entry", compensation), ("Journal Entry", recovery)])
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), 0)
		self.assertEqual(party_balance("Supplier", CARRIER), 0)
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "status"), "Cancelled")

		# Records are kept: neither the claim nor what it posted can be deleted.
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

		frappe.get_doc("Compensation Claim", claim.name).cancel()
		self.assert_cancelled([("Sales Invoice", credit_note.name), ("Purchase Invoice", debit_note.name)])
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), 0)
		self.assertEqual(party_balance("Supplier", supplier), 0)


class TestAppraisal(ClaimTestCase):
	def test_the_same_user_cannot_give_both_reviews(self):
		claim = new_claim(compensation_amount=100, recovery_amount=100)
		claim = review(claim, FIRST_REVIEWER)
		self.assertEqual((claim.status, claim.first_reviewer), ("In Review", FIRST_REVIEWER))
		with self.assertRaises(frappe.ValidationError) as refused:
			review(claim, FIRST_REVIEWER)
		self.assertIn("someone else", str(refused.exception))
		claim.reload()
		self.assertFalse(claim.second_reviewer)
		# Nor may it be approved on one review.
		self.assertRaises(frappe.ValidationError, claim.submit)
		claim.reload()
		self.assertEqual(claim.docstatus, 0)

		claim = review(claim, SECOND_REVIEWER)
		self.assertEqual((claim.status, claim.second_reviewer), ("Ready to Approve", SECOND_REVIEWER))

	def test_a_disputed_appraisal_needs_the_ruling_of_a_manager_who_did_not_review_it(self):
		claim = new_claim(compensation_amount=300, recovery_amount=0)
		review(claim, MANAGER)
		claim = review(claim, SECOND_REVIEWER, "Disputed")
		self.assertEqual(claim.status, "Disputed")
		self.assertRaises(frappe.ValidationError, claim.submit)

		claim.reload()
		frappe.set_user(SECOND_REVIEWER)
		self.assertRaises(frappe.PermissionError, claim.rule, "I rule on my own dispute")
		frappe.set_user(MANAGER)
		claim.reload()
		with self.assertRaises(frappe.ValidationError) as refused:
			claim.rule("Confirmed after all")
		self.assertIn("reviewed this appraisal", str(refused.exception))
		frappe.set_user("Administrator")

		claim.reload()
		claim.rule("Hub video shows the carrier dropped it; carrier liable, 300 to the customer.")
		self.assertEqual((claim.status, claim.ruled_by), ("Ready to Approve", "Administrator"))
		claim.submit()
		self.assertEqual(claim.status, "Approved")
		self.assertTrue(claim.compensation_voucher)
		self.assertFalse(claim.recovery_voucher)

	def test_customer_service_files_the_claim_but_cannot_review_or_approve_it(self):
		clerk = make_user("claim.clerk@example.com", "Aftersales Customer Service")
		frappe.set_user(clerk)
		try:
			claim = new_claim(compensation_amount=100)
			self.assertRaises(frappe.PermissionError, claim.review, "Confirmed")
		finally:
			frappe.set_user("Administrator")
		review(claim, FIRST_REVIEWER)
		review(claim, SECOND_REVIEWER)
		frappe.set_user(clerk)
		try:
			claim = frappe.get_doc("Compensation Claim", claim.name)
			self.assertRaises(frappe.PermissionError, claim.submit)
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "docstatus"), 0)

	def test_changing_the_settlement_after_a_review_starts_the_reviews_again(self):
		claim = review(new_claim(compensation_amount=100), FIRST_REVIEWER)
		claim.reload()
		claim.compensation_amount = 900
		claim.save()
		self.assertEqual((claim.first_reviewer, claim.status), (None, "Draft"))

	def test_nothing_is_paid_recovered_or_deducted_beyond_the_goods_claimed(self):
		self.assertRaises(frappe.ValidationError, new_claim, compensation_amount=1000.01)
		self.assertRaises(frappe.ValidationError, new_claim, recovery_amount=1001)
		self.assertRaises(
			frappe.ValidationError, new_claim, liable_party_type="Customer", compensation_amount=1
		)
		self.assertRaises(frappe.ValidationError, new_claim, deduction_amount=10)
		self.assertRaises(frappe.ValidationError, new_claim, liable_supplier=None)

	def test_a_draft_claim_can_be_deleted_but_not_an_approved_one(self):
		draft = new_claim(compensation_amount=100)
		frappe.delete_doc("Compensation Claim", draft.name)
		self.assertFalse(frappe.db.exists("Compensation Claim", draft.name))
		approved = approve(new_claim(compensation_amount=100))
		self.assertRaises(frappe.ValidationError, frappe.delete_doc, "Compensation Claim", approved.name)


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

		claim.cancel()
		self.assert_cancelled(
			[("Journal Entry", claim.deduction_entry), ("Journal Entry", claim.compensation_voucher)]
		)
		self.assertEqual(party_balance("Employee", employee), 0)

	def test_an_internal_liability_names_who_is_liable(self):
		self.assertRaises(
			frappe.ValidationError,
			new_claim,
			liable_party_type="Internal",
			liable_supplier=None,
			deduction_amount=5,
		)


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

		claim.receive_old_parts()
		receipt = claim.old_parts[0].receipt_entry
		self.assertEqual(claim.old_parts[1].receipt_entry, receipt)
		self.assertEqual(sorted(stock_moves(receipt)), [(old_parts, 1.0, 0.0), (old_parts, 2.0, 0.0)])
		self.assertRaises(frappe.ValidationError, claim.receive_old_parts)

		claim.reload()
		self.assertRaises(frappe.ValidationError, claim.handle_old_parts)  # not checked yet
		claim.reload()
		claim.old_parts[0].condition = "Good"
		claim.old_parts[0].restock_warehouse = stores
		claim.old_parts[1].condition = "Bad"
		claim.save()
		self.assertEqual([row.handling for row in claim.old_parts], ["Restock", "Scrap"])
		claim.handle_old_parts()
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

		frappe.get_doc("Compensation Claim", claim.name).cancel()
		self.assert_cancelled(
			[("Stock Entry", receipt), ("Stock Entry", restocked), ("Stock Entry", scrapped)]
		)
		self.assertEqual(stock_balance(PART, stores), before)
		self.assertEqual(stock_balance(PART, old_parts), 0)
		self.assert_books_reconcile()

	def test_a_bad_part_is_not_restocked(self):
		claim = approve(new_claim(compensation_amount=10, old_parts=[{"item_code": PART, "qty": 1}]))
		claim.receive_old_parts()
		claim.reload()
		claim.old_parts[0].condition = "Bad"
		claim.old_parts[0].handling = "Restock"
		claim.save()
		self.assertRaises(frappe.ValidationError, claim.handle_old_parts)


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
		request = frappe.get_doc("Return Request", claim.make_reissue())
		self.assertEqual((request.request_type, request.compensation_claim), ("Reissue", claim.name))
		self.assertEqual([(row.item_code, row.qty) for row in request.items], [(PHONE, 1)])
		self.assertEqual(claim.make_reissue(), request.name)
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, "reissue_request"), request.name
		)

		request = act(request, "Submit")
		request = act(request, "Send to Sales Approval")
		request = act(request, "Approve")
		request.reload()
		request.ship_reissue()

		claim.reload()
		claim.refresh_cost_ledger()
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
		internal_claim.receive_old_parts()
		draft = review(new_claim(compensation_amount=5), FIRST_REVIEWER)
		filters = {"company": TEST_COMPANY, "from_date": add_days(nowdate(), -1), "to_date": nowdate()}

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
			(FIRST_REVIEWER, SECOND_REVIEWER),
		)
		self.assertEqual(by_claim[draft.name]["status"], "In Review")

		_columns, rows = appraisal_register({**filters, "liable_party_type": "Internal"})
		self.assertEqual([row["claim"] for row in rows if row.get("claim")], [internal_claim.name])

		_columns, rows = dispatch_register(filters)
		dispatched = {row["claim"]: row for row in rows if row.get("claim")}
		self.assertEqual(set(dispatched), {carrier_claim.name, internal_claim.name})
		self.assertEqual(sum(row["compensation_amount"] for row in dispatched.values()), 780)
		self.assertEqual(
			dispatched[carrier_claim.name]["compensation_voucher"], carrier_claim.compensation_voucher
		)

		_columns, rows = parts_issue_register(filters)
		received = [
			row for row in rows if row.get("stock_entry") == internal_claim.old_parts[0].receipt_entry
		]
		self.assertEqual([(row["item_code"], row["qty"]) for row in received], [(PART, 1)])

		frappe.get_doc("Compensation Claim", carrier_claim.name).cancel()
		_columns, rows = dispatch_register(filters)
		self.assertNotIn(carrier_claim.name, {row.get("claim") for row in rows})
		_columns, rows = dispatch_register({**filters, "status": "Cancelled"})
		self.assertIn(carrier_claim.name, {row.get("claim") for row in rows})


# ---- each role does its own steps, in the desk and over the REST API ------------------------------------

CLERK = "as-customer-service@example.com"
INSPECTOR = "as-inspector@example.com"
SECOND_INSPECTOR = "as-second-inspector@example.com"
MANAGER_ROLE_ONLY = "as-manager@example.com"


def api_update(doctype: str, name: str, data: dict):
	"""PUT /api/resource/<doctype>/<name>, as frappe.api.v1.update_doc does it."""
	doc = frappe.get_doc(doctype, name, for_update=True)
	doc.update({key: value for key, value in data.items() if key != "flags"})
	doc.save()
	return doc


def api_run(doctype: str, name: str, method: str, **kwargs):
	"""POST /api/resource/<doctype>/<name>?run_method=<method>, as frappe.api.v1.execute_doc_method."""
	doc = frappe.get_doc(doctype, name)
	doc.is_whitelisted(method)
	if not doc.has_permission("write"):
		frappe.throw("Not permitted", frappe.PermissionError)
	return doc.run_method(method, **kwargs)


def desk_run(doc_values: dict, method: str, **kwargs):
	"""The form's button: run_doc_method with the document as the client holds it."""
	doc = frappe.get_doc(doc_values)
	doc.is_whitelisted(method)
	return doc.run_method(method, **kwargs)


class TestClaimAsRoleUsers(ClaimTestCase):
	"""The claim's flow walked by the people who do it, each with one after-sales role and their ERPNext
	job role; Administrator only sets up."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_role_user(CLERK, "Aftersales Customer Service", "Sales User")
		make_role_user(INSPECTOR, "Aftersales Quality Inspector", "Stock User")
		make_role_user(SECOND_INSPECTOR, "Aftersales Quality Inspector", "Stock User")
		make_role_user(MANAGER_ROLE_ONLY, "Aftersales Manager")

	def open_claim_from_ticket(self, **settlement):
		order, delivery_note, _invoice = make_delivery_flow([(PHONE, 2, PRICE)])
		with acting_as(CLERK):
			ticket = frappe.get_doc(
				{
					"doctype": "Inquiry Ticket",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"inquiry_reason": "Parcel Lost",
					"sales_order": order.name,
					"delivery_note": delivery_note.name,
					"carrier": CARRIER,
					"anomaly": "Lost",
					"anomaly_details": "No scan for a week.",
				}
			).insert()
			name = api_run("Inquiry Ticket", ticket.name, "make_compensation_claim")
			claim = api_update(
				"Compensation Claim",
				name,
				{"appraisal_findings": "Lost by the carrier; clause 7 pays the goods value.", **settlement},
			)
		self.assertEqual((claim.inquiry_ticket, claim.owner), (ticket.name, CLERK))
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", ticket.name, "compensation_claim"), name)
		return ticket, claim

	def review_twice(self, name: str):
		with acting_as(INSPECTOR):
			api_run("Compensation Claim", name, "review", verdict="Confirmed", notes="Scan history checked.")
		with acting_as(SECOND_INSPECTOR):
			api_run("Compensation Claim", name, "review", verdict="Confirmed", notes="Photos checked.")

	def approve_as_inspector(self, name: str):
		with acting_as(SECOND_INSPECTOR):
			claim = frappe.get_doc("Compensation Claim", name)
			claim.submit()
		return claim

	def test_the_claim_flow_walked_by_each_role(self):
		_ticket, claim = self.open_claim_from_ticket(compensation_amount=2 * PRICE, recovery_amount=600)
		self.review_twice(claim.name)
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

		claim = self.approve_as_inspector(claim.name)
		self.assertEqual(claim.status, "Approved")
		compensation, recovery = claim.compensation_voucher, claim.recovery_voucher
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

		# Customer service may cancel a claim only where ERPNext lets them cancel what it posted.
		with acting_as(CLERK), self.assertRaises(frappe.PermissionError) as refused:
			frappe.get_doc("Compensation Claim", claim.name).cancel()
		self.assertIn(compensation, str(refused.exception))
		self.assertIn(recovery, str(refused.exception))
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "docstatus"), 1)
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), -1000)

		# The after-sales manager cancels it, and with it what it posted.
		with acting_as(MANAGER_ROLE_ONLY):
			frappe.get_doc("Compensation Claim", claim.name).cancel()
		self.assert_cancelled([("Journal Entry", compensation), ("Journal Entry", recovery)])
		self.assertEqual(party_balance("Customer", TEST_CUSTOMER), 0)
		self.assertEqual(party_balance("Supplier", CARRIER), 0)
		self.assertEqual(frappe.db.get_value("Compensation Claim", claim.name, "status"), "Cancelled")

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

	def test_the_same_user_cannot_give_both_reviews_through_the_action(self):
		_ticket, claim = self.open_claim_from_ticket(compensation_amount=100)
		with acting_as(INSPECTOR):
			api_run("Compensation Claim", claim.name, "review", verdict="Confirmed")
			# The form sends the claim as it holds it, first review blanked: the step reads the database.
			held = frappe.get_doc("Compensation Claim", claim.name).as_dict()
			held.update(first_reviewer=None, first_verdict=None)
			with self.assertRaises(frappe.ValidationError) as refused:
				desk_run(held, "review", verdict="Confirmed")
		self.assertIn("someone else", str(refused.exception))
		stored = frappe.db.get_value(
			"Compensation Claim", claim.name, ["first_reviewer", "second_reviewer"], as_dict=True
		)
		self.assertEqual((stored.first_reviewer, stored.second_reviewer), (INSPECTOR, None))

	def test_a_reviewer_does_not_rule(self):
		_ticket, claim = self.open_claim_from_ticket(compensation_amount=100)
		with acting_as(INSPECTOR):
			api_run("Compensation Claim", claim.name, "review", verdict="Confirmed")
		with acting_as(SECOND_INSPECTOR):
			api_run("Compensation Claim", claim.name, "review", verdict="Disputed")
			self.assertRaises(
				StepPermissionError, api_run, "Compensation Claim", claim.name, "rule", ruling="Mine."
			)
			# Writing the ruling over save is reset.
			api_update("Compensation Claim", claim.name, {"ruled_by": SECOND_INSPECTOR, "ruling": "Mine."})
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, ["ruled_by", "ruling", "status"]),
			(None, None, "Disputed"),
		)
		with acting_as(MANAGER_ROLE_ONLY):
			api_run("Compensation Claim", claim.name, "rule", ruling="Carrier liable; pay the customer.")
		self.assertEqual(
			frappe.db.get_value("Compensation Claim", claim.name, ["ruled_by", "status"]),
			(MANAGER_ROLE_ONLY, "Ready to Approve"),
		)

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
		# Not even on a new claim, nor for a user whom permission levels do not reset.
		forged_new = new_claim(compensation_amount=100, **forged, first_reviewer=INSPECTOR)
		self.assertEqual(
			(forged_new.compensation_voucher, forged_new.deduction_entry, forged_new.first_reviewer),
			(None, None, None),
		)

		self.review_twice(claim.name)
		claim = self.approve_as_inspector(claim.name)
		self.assertNotEqual(claim.compensation_voucher, someone_elses.name)
		self.assertEqual(
			frappe.db.get_value("Journal Entry", claim.compensation_voucher, "aftersales_compensation_claim"),
			claim.name,
		)

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

		self.review_twice(claim.name)
		claim = self.approve_as_inspector(claim.name)
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
					"carrier": CARRIER,
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
		self.review_twice(name)
		with acting_as(SECOND_INSPECTOR), self.assertRaises(RemedyError) as refused:
			frappe.get_doc("Compensation Claim", name).submit()
		self.assertIn(reissue, str(refused.exception))
		self.assertIn("Compensation", str(refused.exception))
		self.assertEqual(back_linked(name), set())

	def test_reissue_only_under_the_reissue_remedy(self):
		invoice = make_sales_invoice([(PHONE, 1, PRICE)])
		claim = new_claim(sales_invoice=invoice.name, remedy="Coupon", coupon_code="SORRY-10")
		self.review_twice(claim.name)
		self.approve_as_inspector(claim.name)
		with acting_as(CLERK), self.assertRaises(RemedyError) as refused:
			api_run("Compensation Claim", claim.name, "make_reissue")
		self.assertIn("The remedy is Coupon, not Reissue", str(refused.exception))
		# A coupon needs its code.
		self.assertRaises(RemedyError, new_claim, remedy="Coupon")
