# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A quality fault's unit is received, then tested, then decided (seed 003, 先進行檢測): a phone sent in
with no fault found goes back whole to the customer, who accepted the test report and pays the freight
both ways (全套退回, 往返運費由您個人承擔); a unit with a confirmed fault is taken back the usual way."""

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	CARRIER,
	COST,
	PRICE,
	ReturnFlowTestCase,
	act,
	back_linked,
	cancel_as_manager,
	edit_lines,
	gl_balance,
	postings,
	receive_all,
	receive_for_testing,
	save_as,
	stock_moves,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request import ReturnStepError
from aftersales_module.controllers.mail_in import MailInError
from aftersales_module.controllers.shipments import case_shipments, record_shipment
from aftersales_module.setup.roles import CUSTOMER_SERVICE, QUALITY_INSPECTOR, WAREHOUSE
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	company_value,
	make_sales_invoice,
	make_serial_item,
	make_stock,
	make_supplier,
)
from aftersales_module.tests.role_users import acting_as, user_of

MAIL_IN_PHONE = "_Test Aftersales Mail-in Phone"


def party_balance(vouchers, party_type: str, party: str) -> float:
	return frappe.db.sql(
		"""select coalesce(sum(debit - credit), 0) from `tabGL Entry`
		where voucher_no in %s and is_cancelled = 0 and party_type = %s and party = %s""",
		(tuple(vouchers), party_type, party),
	)[0][0]


class TestMailInTesting(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_serial_item(MAIL_IN_PHONE, item_group="Mobile Phones")
		make_supplier(CARRIER)

	def sell_phone(self):
		imei = f"_TAM-{frappe.generate_hash(length=8)}"
		make_stock(MAIL_IN_PHONE, qty=1, rate=COST, posting_date=add_days(nowdate(), -10), serial_nos=[imei])
		invoice = make_sales_invoice(
			[
				{
					"item_code": MAIL_IN_PHONE,
					"qty": 1,
					"rate": PRICE,
					"serial_no": imei,
					"use_serial_batch_fields": 1,
				}
			],
			posting_date=add_days(nowdate(), -3),
		)
		return invoice, imei

	def mail_in_case(self, **fields):
		invoice, imei = self.sell_phone()
		with acting_as(CUSTOMER_SERVICE):
			request = frappe.get_doc(
				{
					"doctype": "Return Request",
					"company": TEST_COMPANY,
					"customer": invoice.customer,
					"request_type": "Return and Refund",
					"reason_category": "Quality Problem",
					"sales_invoice": invoice.name,
					"original_packaging": 1,
					"appearance_intact": 1,
					"accessories_intact": 1,
					"resellable": 1,
					**fields,
				}
			)
			request.get_items()
			request.insert()
		request = act(request, "Submit")
		return act(request, "Send to Quality Inspection"), imei

	def test_the_unit_is_tested_only_once_it_is_received(self):
		request, _imei = self.mail_in_case()
		with self.assertRaises(MailInError) as refused:
			edit_lines(request, QUALITY_INSPECTOR, inspection_result="Defect Found")
		self.assertIn("Receive for Testing", str(refused.exception))
		self.assertEqual(postings(request, "Quality Inspection"), [])

		with acting_as(QUALITY_INSPECTOR), self.assertRaises(frappe.PermissionError):
			request.reload()
			request.receive_for_testing()  # the warehouse's step, not the inspector's
		self.assertEqual(postings(request, "Test Unit In"), [])

		with self.assertRaises(ReturnStepError) as refused:
			receive_for_testing(request, {request.items[0].name: "_TAM-NOT-THEIRS"})
		self.assertIn("Only the customer's own unit", str(refused.exception))
		self.assertEqual(postings(request, "Test Unit In"), [])

	def test_a_mail_in_phone_with_no_fault_found_is_shipped_back_with_freight_charged(self):
		request, imei = self.mail_in_case(shipping_cost=15, carrier=CARRIER, shipping_payer="Split Half-Half")
		pool = self.settings.consignment_repair_warehouse

		request = receive_for_testing(request)
		[unit_in] = postings(request, "Test Unit In")
		self.assertEqual(request.test_unit_status, "In for Testing")
		self.assertEqual(request.test_unit_entry, unit_in)
		self.assertEqual(stock_moves(unit_in), ((pool, 1.0, 0.0),))
		self.assertEqual(frappe.db.get_value("Serial No", imei, "warehouse"), pool)
		self.assertEqual(gl_balance([unit_in]), {})

		edit_lines(
			request, inspection_result="No Defect Found", inspection_notes="Boots and charges normally"
		)
		request = act(request, "No Defect Found")
		self.assertEqual(
			(request.status, request.shipping_payer, request.customer_shipping),
			("Customer Service Review", "Customer", 15),
		)

		with acting_as(WAREHOUSE), self.assertRaises(MailInError):
			request.reload()
			request.ship_unit_back()  # not rejected yet, and the customer has not accepted the report
		with acting_as(CUSTOMER_SERVICE):
			request.reload()
			request.accept_test_report()
		request.reload()
		self.assertEqual(request.test_report_accepted_by, user_of(CUSTOMER_SERVICE))
		self.assertTrue(request.test_report_accepted_on)

		save_as(
			request, CUSTOMER_SERVICE, rejection_reason="No fault found; the customer accepts the test report"
		)
		request = act(request, "Reject")
		self.assertRaises(ReturnStepError, act, request, "Close")

		with acting_as(WAREHOUSE):
			request.reload()
			shipped = request.ship_unit_back(carrier=CARRIER, freight=15)
			record_shipment(shipped, carrier=CARRIER, tracking_no="SF-MAILIN-1", shipped_on=nowdate())
		request.reload()
		self.assertEqual(request.test_unit_status, "Shipped Back")
		self.assertEqual(postings(request, "Test Unit Shipped Back"), [shipped])
		self.assertEqual(stock_moves(shipped), ((pool, -1.0, 0.0),))
		self.assertIsNone(frappe.db.get_value("Serial No", imei, "warehouse"))
		with acting_as(CUSTOMER_SERVICE):
			[shown] = case_shipments("Return Request", request.name)
		self.assertEqual((shown.name, shown.aftersales_tracking_no), (shipped, "SF-MAILIN-1"))

		# Both ways on the customer: the carrier is owed each leg, the customer is charged each.
		[freight] = postings(request, "Freight")
		[freight_back] = postings(request, "Freight Back")
		payable = company_value("default_payable_account")
		self.assertEqual(gl_balance([freight]), {payable: -15, self.receivable: 15})
		self.assertEqual(gl_balance([freight_back]), {payable: -15, self.receivable: 15})
		self.assertEqual(party_balance([freight, freight_back], "Customer", request.customer), 30)
		self.assertEqual(party_balance([freight, freight_back], "Supplier", CARRIER), -30)
		self.assertEqual((request.customer_shipping, request.company_shipping), (15, 0))
		self.assertEqual(postings(request, "Credit Note") + postings(request, "Goods In"), [])

		request = act(request, "Close")
		self.assertEqual(request.status, "Closed")
		self.assert_books_reconcile()

		posted = back_linked(request.name)
		cancel_as_manager(request)
		self.assert_all_cancelled(posted)
		self.assertEqual(gl_balance([name for _doctype, name in posted]), {})
		self.assertIsNone(frappe.db.get_value("Serial No", imei, "warehouse"))
		self.assert_books_reconcile()

	def test_a_tested_unit_with_a_fault_is_taken_back_into_the_return_warehouse(self):
		request, imei = self.mail_in_case()
		request = receive_for_testing(request)
		edit_lines(request, inspection_result="Defect Found", inspection_notes="Screen flickers")
		request = receive_all(act(request, "Approve"))
		[taken_over] = postings(request, "Test Unit Taken Over")
		[credit_note] = postings(request, "Goods In")
		pool = self.settings.consignment_repair_warehouse
		self.assertEqual(stock_moves(taken_over), ((pool, -1.0, 0.0),))
		self.assertEqual(stock_moves(credit_note), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		self.assertEqual(frappe.db.get_value("Serial No", imei, "warehouse"), self.settings.return_warehouse)
		self.assertEqual(request.test_unit_status, "Taken Over")
		self.assert_books_reconcile()
