# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Spare units sent ahead of the faulty unit, spares coming back, and reissues, on a real company:
the stock ledger, the general ledger, the outstanding-spares list, serial history and cancelling."""

import frappe
from frappe.model.workflow import WorkflowTransitionError
from frappe.utils import add_days, getdate, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	as_role,
	back_linked,
	cancel_as_manager,
	edit_lines,
	gl_balance,
	open_request,
	postings,
	sell,
	stock_moves,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request import ReturnStepError
from aftersales_module.aftersales_module.report.outstanding_spare_units import outstanding_spare_units
from aftersales_module.aftersales_module.report.serial_service_history import serial_service_history
from aftersales_module.setup.roles import WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	make_item,
	make_purchase_order,
	make_sales_invoice,
	make_serial_item,
	make_stock,
	stock_balance,
)

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Purchase Order", "Supplier"]

SPARE_PHONE = "_Test Aftersales Spare Phone"
CUSTOMER_IMEI = "_TAC-SPARE-0001"
SPARE_IMEI = "_TAC-SPARE-0900"
OTHER_IMEI = "_TAC-SPARE-0002"
REISSUE_ITEM = "_Test Aftersales Reissue Shoe"


def sell_serial(serial_no: str):
	return make_sales_invoice(
		[
			{
				"item_code": SPARE_PHONE,
				"qty": 1,
				"rate": PRICE,
				"serial_no": serial_no,
				"use_serial_batch_fields": 1,
			}
		],
		posting_date=nowdate(),
	)


def outstanding(**filters) -> list[dict]:
	_columns, data = outstanding_spare_units.execute({"company": TEST_COMPANY, **filters})
	return data


def history(serial_no: str) -> list[dict]:
	_columns, data = serial_service_history.execute({"serial_no": serial_no})
	return data


class TestSpareUnit(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_serial_item(SPARE_PHONE, item_group="Mobile Phones")

	def setUp(self):
		super().setUp()
		make_stock(
			SPARE_PHONE,
			qty=3,
			rate=COST,
			posting_date=add_days(nowdate(), -30),
			serial_nos=[CUSTOMER_IMEI, OTHER_IMEI, SPARE_IMEI],
		)
		self.spares = self.settings.spare_unit_warehouse
		self.returns = self.settings.return_warehouse
		self.warranty = self.settings.warranty_expense_account

	def open_spare_case(self, invoice, **fields):
		request = approve_quality_return(open_request(invoice, request_type="Spare Unit", **fields))
		return edit_lines(request, replacement_warehouse=self.stores, replacement_serial_no=SPARE_IMEI)

	def test_spare_ships_first_at_cost_and_the_faulty_unit_comes_back_at_cost(self):
		invoice = sell_serial(CUSTOMER_IMEI)
		request = self.open_spare_case(
			invoice, reason_details="Customer needs a phone while theirs is checked"
		)
		self.assertRaises(ReturnStepError, act, request, "Receive Goods")

		as_role(WAREHOUSE, request.ship_spare_units)
		[shipped] = postings(request, "Spare Unit", "Stock Entry")
		self.assertEqual(frappe.db.get_value("Stock Entry", shipped, "stock_entry_type"), "Spare Unit Out")
		self.assertEqual(
			set(stock_moves(shipped)), {(self.stores, -1.0, -1.0 * COST), (self.spares, 1.0, 1.0 * COST)}
		)
		self.assertEqual(gl_balance([shipped]), {})
		self.assertEqual(frappe.db.get_value("Serial No", SPARE_IMEI, "warehouse"), self.spares)
		row = request.items[0]
		self.assertEqual((row.spare_status, row.replacement_entry), ("Out", shipped))
		self.assertEqual(getdate(row.spare_due_date), getdate(add_days(nowdate(), 30)))

		# Shipping twice sends nothing more.
		self.assertRaises(frappe.ValidationError, as_role, WAREHOUSE, request.ship_spare_units)
		self.assertEqual(postings(request, "Spare Unit"), [shipped])

		[out] = [line for line in outstanding() if line["return_request"] == request.name]
		self.assertEqual((out["spare_serial_no"], out["faulty_serial_no"]), (SPARE_IMEI, CUSTOMER_IMEI))
		self.assertEqual((out["days_out"], out["overdue"]), (0, 0))
		self.assertEqual(outstanding(overdue_only=1), [])
		[late] = outstanding(overdue_only=1, as_on=add_days(nowdate(), 31))
		self.assertEqual((late["return_request"], late["days_out"], late["overdue"]), (request.name, 31, 1))

		# The unit that arrives must be the customer's own.
		edit_lines(request, received_qty=1, received_condition="Good", received_serial_no=OTHER_IMEI)
		with self.assertRaises(ReturnStepError) as refused:
			act(request, "Receive Goods")
		self.assertIn(OTHER_IMEI, str(refused.exception))
		self.assertIn(CUSTOMER_IMEI, str(refused.exception))

		edit_lines(request, received_serial_no=CUSTOMER_IMEI)
		request = act(request, "Receive Goods")
		[faulty_in] = postings(request, "Goods In", "Stock Entry")
		[_shipped, kept] = postings(request, "Spare Unit", "Stock Entry")
		self.assertEqual(
			frappe.db.get_value("Stock Entry", faulty_in, "stock_entry_type"), "Spare Unit Faulty In"
		)
		self.assertEqual(stock_moves(faulty_in), ((self.returns, 1.0, 1.0 * COST),))
		self.assertEqual(stock_moves(kept), ((self.spares, -1.0, -1.0 * COST),))
		# At cost, against warranty cost: no income and no receivable move.
		self.assertEqual(gl_balance([faulty_in]), {self.stock_account: COST, self.warranty: -COST})
		self.assertEqual(gl_balance([kept]), {self.warranty: COST, self.stock_account: -COST})
		self.assertEqual(frappe.db.get_value("Serial No", CUSTOMER_IMEI, "warehouse"), self.returns)
		self.assertIsNone(frappe.db.get_value("Serial No", SPARE_IMEI, "warehouse"))
		request.reload()
		self.assertEqual(request.items[0].spare_status, "Kept by Customer")
		self.assertEqual(request.items[0].held_qty, 0)
		self.assertFalse([line for line in outstanding() if line["return_request"] == request.name])

		request = act(request, "Close")
		self.assert_books_reconcile()
		self.assertEqual(
			back_linked(request.name),
			{("Stock Entry", shipped), ("Stock Entry", faulty_in), ("Stock Entry", kept)},
		)
		[customer_unit] = history(CUSTOMER_IMEI)
		self.assertEqual(customer_unit["return_request"], request.name)
		self.assertEqual(customer_unit["serial_role"], "Customer's unit, Unit received")
		self.assertEqual(customer_unit["replacement_serial_no"], SPARE_IMEI)
		[spare_unit] = history(SPARE_IMEI)
		self.assertEqual(spare_unit["serial_role"], "Unit sent to the customer")
		self.assertEqual(spare_unit["faulty_serial_no"], CUSTOMER_IMEI)

		cancel_as_manager(request)
		self.assert_all_cancelled(
			{("Stock Entry", shipped), ("Stock Entry", faulty_in), ("Stock Entry", kept)}
		)
		self.assertEqual(gl_balance([shipped, faulty_in, kept]), {})
		self.assertEqual(stock_balance(SPARE_PHONE, self.spares), 0)
		self.assertEqual(stock_balance(SPARE_PHONE, self.returns), 0)
		self.assertEqual(frappe.db.get_value("Serial No", SPARE_IMEI, "warehouse"), self.stores)
		self.assert_books_reconcile()

	def test_a_spare_sent_back_enters_returns_at_cost_and_only_the_unit_sent_is_taken(self):
		invoice = sell_serial(CUSTOMER_IMEI)
		request = self.open_spare_case(invoice, unit_category="Inspection Unit")
		as_role(WAREHOUSE, request.ship_spare_units)
		[shipped] = postings(request, "Spare Unit", "Stock Entry")
		self.assertRaises(ReturnStepError, act, request, "Close")

		row_name = request.items[0].name
		with self.assertRaises(frappe.ValidationError) as refused:
			as_role(WAREHOUSE, request.receive_spare_back, {row_name: OTHER_IMEI})
		self.assertIn(SPARE_IMEI, str(refused.exception))
		request.reload()
		self.assertEqual(request.items[0].spare_status, "Out")

		as_role(WAREHOUSE, request.receive_spare_back, {row_name: SPARE_IMEI})
		[_shipped, back] = postings(request, "Spare Unit", "Stock Entry")
		self.assertEqual(frappe.db.get_value("Stock Entry", back, "stock_entry_type"), "Spare Unit Back")
		self.assertEqual(
			set(stock_moves(back)), {(self.spares, -1.0, -1.0 * COST), (self.returns, 1.0, 1.0 * COST)}
		)
		self.assertEqual(gl_balance([shipped, back]), {})
		self.assertEqual(frappe.db.get_value("Serial No", SPARE_IMEI, "warehouse"), self.returns)
		self.assertRaises(
			frappe.ValidationError, as_role, WAREHOUSE, request.receive_spare_back, {row_name: SPARE_IMEI}
		)

		request = act(request, "Close")
		self.assertEqual(request.status, "Closed")
		self.assertEqual(request.items[0].spare_status, "Returned")
		self.assert_books_reconcile()

		cancel_as_manager(request)
		self.assert_all_cancelled({("Stock Entry", shipped), ("Stock Entry", back)})
		self.assertEqual(stock_balance(SPARE_PHONE, self.returns), 0)
		self.assertEqual(frappe.db.get_value("Serial No", SPARE_IMEI, "warehouse"), self.stores)

	def test_a_spare_never_returned_stays_outstanding(self):
		invoice = sell_serial(CUSTOMER_IMEI)
		request = self.open_spare_case(invoice)
		as_role(WAREHOUSE, request.ship_spare_units)
		later = add_days(nowdate(), 45)
		[line] = [row for row in outstanding(as_on=later) if row["return_request"] == request.name]
		self.assertEqual((line["customer"], line["days_out"], line["overdue"]), (invoice.customer, 45, 1))
		self.assertRaises(ReturnStepError, act, request, "Close")


class TestReissue(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_item(REISSUE_ITEM, item_group="Mobile Phones")

	def test_reissue_checks_stock_then_ships_without_price_at_cost(self):
		make_stock(REISSUE_ITEM, qty=1, rate=COST, posting_date=add_days(nowdate(), -30))
		invoice = make_sales_invoice([(REISSUE_ITEM, 1, PRICE)], posting_date=nowdate())
		expected_on = add_days(nowdate(), 10)
		make_purchase_order([(REISSUE_ITEM, 3, COST)], schedule_date=expected_on)

		request = open_request(invoice, reason="Missing Item", request_type="Reissue")
		request = act(request, "Submit")
		request = act(request, "Send to Sales Approval")
		request = act(request, "Approve")
		self.assertRaises(WorkflowTransitionError, act, request, "Receive Goods")

		request.reload()
		[line] = as_role(WAREHOUSE, request.check_reissue_stock)
		self.assertEqual((line["warehouse"], line["available_qty"]), (self.stores, 0))
		self.assertEqual(getdate(line["expected_restock_date"]), getdate(expected_on))
		with self.assertRaises(frappe.ValidationError) as short:
			as_role(WAREHOUSE, request.ship_reissue)
		self.assertIn(str(getdate(expected_on)), str(short.exception))
		self.assertEqual(postings(request), [])
		self.assertRaises(ReturnStepError, act, request, "Close")

		make_stock(REISSUE_ITEM, qty=2, rate=COST)
		request.reload()
		as_role(WAREHOUSE, request.ship_reissue)
		[reissued] = postings(request, "Reissue", "Stock Entry")
		self.assertEqual(frappe.db.get_value("Stock Entry", reissued, "stock_entry_type"), "Reissue Out")
		self.assertEqual(stock_moves(reissued), ((self.stores, -1.0, -1.0 * COST),))
		# Without price: warranty cost against stock, no income and no receivable.
		self.assertEqual(
			gl_balance([reissued]), {self.settings.warranty_expense_account: COST, self.stock_account: -COST}
		)
		request.reload()
		self.assertEqual(request.items[0].replacement_entry, reissued)
		self.assertEqual(request.items[0].held_qty, 0)
		self.assertRaises(frappe.ValidationError, as_role, WAREHOUSE, request.ship_reissue)
		self.assertEqual(postings(request, "Reissue"), [reissued])

		request = act(request, "Close")
		self.assertEqual(back_linked(request.name), {("Stock Entry", reissued)})
		self.assert_books_reconcile()

		cancel_as_manager(request)
		self.assert_all_cancelled({("Stock Entry", reissued)})
		self.assertEqual(stock_balance(REISSUE_ITEM, self.stores), 2)
		self.assert_books_reconcile()

	def test_reissue_of_a_phone_line_ships_from_another_warehouse_with_stock(self):
		invoice = sell(qty=1, paid=False)
		request = open_request(invoice, reason="Damaged in Transit", request_type="Reissue")
		request = act(request, "Submit")
		request = act(request, "Send to Sales Approval")
		request = act(request, "Approve")
		request.reload()
		[line] = as_role(WAREHOUSE, request.check_reissue_stock)
		self.assertIn(self.stores, line["stock_by_warehouse"])
		self.assertGreaterEqual(line["available_qty"], 1)
		request.reload()
		as_role(WAREHOUSE, request.ship_reissue)
		[reissued] = postings(request, "Reissue", "Stock Entry")
		self.assertEqual(stock_moves(reissued), ((self.stores, -1.0, -1.0 * COST),))
		self.assertEqual(
			frappe.db.get_value("Stock Entry", reissued, "aftersales_return_request"), request.name
		)
		self.assertEqual(PHONE, frappe.db.get_value("Stock Entry Detail", {"parent": reissued}, "item_code"))
