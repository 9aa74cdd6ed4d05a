# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Fewer units of a batch arrive than were asked for, or lines of different batches come back: the
case goes on with exactly the units received, each in its own batch."""

import frappe
from frappe.utils import add_days, flt, nowdate, nowtime

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	as_role,
	edit_lines,
	open_request,
	postings,
	receive_for_testing,
	receive_payment,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	default_warehouse,
	make_item,
	make_sales_invoice,
	make_sales_order,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

ITEM = "_Test Aftersales Batch Charger"
FIRST_BATCH, SECOND_BATCH = "_TAC-BATCH-A", "_TAC-BATCH-B"


def batch_qty(batch_no: str, warehouse: str) -> float:
	from erpnext.stock.doctype.batch.batch import get_batch_qty

	return flt(get_batch_qty(batch_no, warehouse))


def stock_in_batches():
	make_item(ITEM, item_group="Mobile Phones", has_batch_no=1, create_new_batch=0)
	for batch_no in (FIRST_BATCH, SECOND_BATCH):
		make_stock(ITEM, qty=5, rate=COST, posting_date=add_days(nowdate(), -30), batch_no=batch_no)


def new_request(invoice):
	request = frappe.get_doc(
		{
			"doctype": "Return Request",
			"company": invoice.company,
			"customer": invoice.customer,
			"request_type": "Return and Refund",
			"reason_category": "Quality Problem",
			"sales_invoice": invoice.name,
			"original_packaging": 1,
			"resellable": 1,
		}
	)
	request.get_items()
	return request


def batch_line(qty: int, batch_no: str) -> dict:
	return {"item_code": ITEM, "qty": qty, "rate": PRICE, "batch_no": batch_no, "use_serial_batch_fields": 1}


def receive(request, received: dict[int, int]):
	"""The warehouse records what arrived per row (by idx), in good condition."""
	with acting_as(WAREHOUSE):
		request.reload()
		for row in request.items:
			row.received_qty = received[row.idx]
			row.received_condition = "Good"
		request.save()
	return act(request, "Receive Goods")


def resolve(request):
	as_role(CUSTOMER_SERVICE, request.resolve_discrepancy, "Only part of the goods were sent back")
	request.reload()
	return request


def bundle_batches(voucher_no: str) -> dict[str, float]:
	"""Batch → quantity the voucher's serial and batch bundles moved."""
	return {
		batch_no: flt(qty)
		for batch_no, qty in frappe.db.sql(
			"""select entry.batch_no, sum(entry.qty) from `tabSerial and Batch Entry` entry
			join `tabSerial and Batch Bundle` bundle on bundle.name = entry.parent
			where bundle.voucher_no = %s and bundle.is_cancelled = 0 and bundle.docstatus = 1
			group by entry.batch_no""",
			voucher_no,
		)
	}


class TestBatchReceipt(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		stock_in_batches()
		self.returns = self.settings.return_warehouse

	def test_a_partial_batch_receipt_of_a_stock_invoice_is_credited_and_refunded_as_received(self):
		invoice = make_sales_invoice([batch_line(2, FIRST_BATCH), batch_line(2, SECOND_BATCH)])
		receive_payment(invoice.name)
		request = receive(approve_quality_return(open_request(invoice)), {1: 1, 2: 2})
		self.assertTrue(request.has_discrepancy)
		request = resolve(request)

		[credit_note] = postings(request, "Goods In")
		self.assertEqual(bundle_batches(credit_note), {FIRST_BATCH: 1.0, SECOND_BATCH: 2.0})
		self.assertEqual(
			(batch_qty(FIRST_BATCH, self.returns), batch_qty(SECOND_BATCH, self.returns)), (1, 2)
		)
		request = act(request, "Refund")
		[payment] = postings(request, "Refund")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), 3 * PRICE)
		self.assert_books_reconcile()

	def test_a_partial_batch_receipt_by_delivery_note_comes_back_on_a_delivery_return(self):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice as invoice_note

		order = make_sales_order([(ITEM, 2, PRICE)])
		delivery_note = make_delivery_note(order.name)
		delivery_note.items[0].update({"batch_no": SECOND_BATCH, "use_serial_batch_fields": 1})
		delivery_note.insert(ignore_permissions=True)
		delivery_note.submit()
		invoice = invoice_note(delivery_note.name)
		invoice.due_date = nowdate()
		invoice.insert(ignore_permissions=True)
		invoice.submit()
		receive_payment(invoice.name)

		request = resolve(receive(approve_quality_return(open_request(invoice)), {1: 1}))
		[delivery_return] = postings(request, "Goods In", "Delivery Note")
		self.assertEqual(bundle_batches(delivery_return), {SECOND_BATCH: 1.0})
		self.assertEqual(batch_qty(SECOND_BATCH, self.returns), 1)
		request = act(request, "Refund")
		[credit_note] = postings(request, "Credit Note")
		self.assertEqual(-flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), PRICE)
		self.assert_books_reconcile()

	def test_an_exchange_takes_in_and_sends_back_the_batch_received(self):
		invoice = make_sales_invoice([batch_line(2, FIRST_BATCH)])
		request = approve_quality_return(open_request(invoice, request_type="Exchange Same Item"))
		request = resolve(receive(request, {1: 1}))
		[goods_in] = postings(request, "Goods In", "Stock Entry")
		consignment = self.settings.consignment_repair_warehouse
		self.assertEqual(bundle_batches(goods_in), {FIRST_BATCH: 1.0})
		self.assertEqual(batch_qty(FIRST_BATCH, consignment), 1)

		as_role(WAREHOUSE, request.ship_replacements)
		[shipped] = postings(request, "Replacement")
		self.assertEqual(bundle_batches(shipped), {FIRST_BATCH: -1.0})
		self.assertEqual(batch_qty(FIRST_BATCH, consignment), 0)
		self.assert_books_reconcile()

	def test_a_spare_unit_case_takes_the_faulty_unit_in_with_its_batch(self):
		invoice = make_sales_invoice([batch_line(1, SECOND_BATCH)])
		request = approve_quality_return(open_request(invoice, request_type="Spare Unit"))
		edit_lines(request, replacement_warehouse=default_warehouse())
		as_role(WAREHOUSE, request.ship_spare_units)
		request = receive(request, {1: 1})

		[faulty_in] = postings(request, "Goods In", "Stock Entry")
		self.assertEqual(bundle_batches(faulty_in), {SECOND_BATCH: 1.0})
		self.assertEqual(batch_qty(SECOND_BATCH, self.returns), 1)
		self.assert_books_reconcile()

	def test_a_line_sold_from_two_batches_comes_back_one_row_per_batch(self):
		from erpnext.stock.doctype.serial_and_batch_bundle.test_serial_and_batch_bundle import (
			make_serial_batch_bundle,
		)

		bundle = make_serial_batch_bundle(
			{
				"item_code": ITEM,
				"warehouse": default_warehouse(),
				"voucher_type": "Sales Invoice",
				"posting_date": nowdate(),
				"posting_time": nowtime(),
				"qty": -3,
				"batches": frappe._dict({FIRST_BATCH: 2, SECOND_BATCH: 1}),
				"type_of_transaction": "Outward",
				"company": TEST_COMPANY,
				"do_not_submit": True,
			}
		)
		invoice = make_sales_invoice(
			[{"item_code": ITEM, "qty": 3, "rate": PRICE, "serial_and_batch_bundle": bundle.name}]
		)
		receive_payment(invoice.name)
		with self.assertRaisesRegex(frappe.ValidationError, "one row per batch"):
			open_request(invoice)

		with acting_as(CUSTOMER_SERVICE):
			request = new_request(invoice)
			line = request.items[0]
			request.items = []
			for batch_no, qty in ((SECOND_BATCH, 1), (FIRST_BATCH, 1)):
				request.append(
					"items", {**line.as_dict(), "name": None, "idx": None, "batch_no": batch_no, "qty": qty}
				)
			request.insert()
		request = act(request, "Submit")
		request = act(request, "Send to Quality Inspection")
		receive_for_testing(request)
		edit_lines(request, inspection_result="Defect Found", inspection_notes="Does not charge")
		request = act(receive(act(request, "Approve"), {1: 1, 2: 1}), "Refund")

		[credit_note] = postings(request, "Goods In")
		self.assertEqual(bundle_batches(credit_note), {FIRST_BATCH: 1.0, SECOND_BATCH: 1.0})
		self.assertEqual(
			(batch_qty(FIRST_BATCH, self.returns), batch_qty(SECOND_BATCH, self.returns)), (1, 1)
		)
		self.assert_books_reconcile()
