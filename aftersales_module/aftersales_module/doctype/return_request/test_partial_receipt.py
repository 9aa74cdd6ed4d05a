# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Fewer serialised units arrive than were asked for: the case goes on with exactly those units."""

import frappe
from frappe.utils import add_days, flt, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	as_role,
	open_request,
	postings,
	receive_payment,
	stock_moves,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	make_sales_invoice,
	make_serial_item,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

ITEM = "_Test Aftersales Partial Phone"
UNITS = ["_TAC-PART-0001", "_TAC-PART-0002"]


def sell_two_units():
	make_serial_item(ITEM, item_group="Mobile Phones")
	make_stock(ITEM, qty=2, rate=COST, posting_date=add_days(nowdate(), -30), serial_nos=UNITS)
	return make_sales_invoice(
		[
			{
				"item_code": ITEM,
				"qty": 2,
				"rate": PRICE,
				"serial_no": "\n".join(UNITS),
				"use_serial_batch_fields": 1,
			}
		]
	)


def receive_second_unit_only(request):
	with acting_as(WAREHOUSE):
		request.reload()
		request.items[0].update(
			{"received_qty": 1, "received_condition": "Good", "received_serial_no": UNITS[1]}
		)
		request.save()
	request = act(request, "Receive Goods")
	as_role(CUSTOMER_SERVICE, request.resolve_discrepancy, "Only the second unit was sent back")
	request.reload()
	return request


class TestPartialSerialReceipt(ReturnFlowTestCase):
	def test_one_of_two_serials_arrives_and_is_credited_and_refunded_alone(self):
		invoice = sell_two_units()
		receive_payment(invoice.name)
		request = receive_second_unit_only(approve_quality_return(open_request(invoice)))
		self.assertTrue(request.has_discrepancy)

		[credit_note] = postings(request, "Goods In")
		self.assertEqual(stock_moves(credit_note), ((self.settings.return_warehouse, 1.0, 1.0 * COST),))
		self.assertEqual(
			frappe.db.get_value("Serial No", UNITS[1], "warehouse"), self.settings.return_warehouse
		)
		self.assertIsNone(frappe.db.get_value("Serial No", UNITS[0], "warehouse"))

		request = act(request, "Refund")
		[payment] = postings(request, "Refund")
		credited = -flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total"))
		self.assertEqual(
			(credited, flt(frappe.db.get_value("Payment Entry", payment, "paid_amount"))), (PRICE, PRICE)
		)
		self.assert_books_reconcile()

	def test_an_exchange_takes_in_and_sends_back_only_the_serial_that_arrived(self):
		request = open_request(sell_two_units(), request_type="Exchange Same Item")
		request = receive_second_unit_only(approve_quality_return(request))
		consignment = self.settings.consignment_repair_warehouse
		[goods_in] = postings(request, "Goods In", "Stock Entry")
		self.assertEqual(stock_moves(goods_in), ((consignment, 1.0, 0.0),))
		self.assertEqual(frappe.db.get_value("Serial No", UNITS[1], "warehouse"), consignment)
		self.assertIsNone(frappe.db.get_value("Serial No", UNITS[0], "warehouse"))

		as_role(WAREHOUSE, request.ship_replacements)
		[shipped] = postings(request, "Replacement")
		self.assertEqual(stock_moves(shipped), ((consignment, -1.0, 0.0),))
		self.assertIsNone(frappe.db.get_value("Serial No", UNITS[1], "warehouse"))
		self.assert_books_reconcile()
