# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A batch that comes back far more often than its item's other batch is flagged once by the daily
check and quality is notified once; a batch with a usual return rate is not flagged. Quality confirms
or dismisses the alert, saying what they found, and cannot change the figures."""

from unittest.mock import patch

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PRICE,
	ReturnFlowTestCase,
	act,
	open_request,
)
from aftersales_module.controllers.batch_spikes import ALERT, flag_batch_spikes
from aftersales_module.setup.roles import QUALITY_INSPECTOR
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	make_item,
	make_sales_invoice,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as, user_of

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

ITEM = "_Test Aftersales Spike Cable"
USUAL, SPIKE = "_TAC-SPIKE-USUAL", "_TAC-SPIKE-BAD"
SOLD = 100


def stock_batches():
	make_item(ITEM, item_group="Mobile Phones", has_batch_no=1, create_new_batch=0)
	for batch_no in (USUAL, SPIKE):
		make_stock(ITEM, qty=SOLD, rate=COST, posting_date=add_days(nowdate(), -30), batch_no=batch_no)


class TestBatchReturnAlert(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		stock_batches()
		invoice = make_sales_invoice(
			[
				{
					"item_code": ITEM,
					"qty": SOLD,
					"rate": PRICE,
					"batch_no": batch_no,
					"use_serial_batch_fields": 1,
				}
				for batch_no in (USUAL, SPIKE)
			]
		)
		request = open_request(invoice)
		for row in request.items:
			row.qty = 1 if row.batch_no == USUAL else 30
		with acting_as("Aftersales Customer Service"):
			request.save()
		act(request, "Submit")

	def test_a_spike_is_flagged_and_notified_once_a_usual_batch_is_not(self):
		user_of(QUALITY_INSPECTOR)
		flag_batch_spikes()
		flag_batch_spikes()

		self.assertFalse(frappe.db.exists(ALERT, {"batch_no": USUAL}))
		[alert] = frappe.get_all(ALERT, filters={"batch_no": SPIKE}, pluck="name")
		alert = frappe.get_doc(ALERT, alert)
		self.assertEqual((alert.item_code, alert.sold_qty, alert.returned_qty), (ITEM, SOLD, 30))
		self.assertEqual(alert.batch_rate, 30)
		self.assertLess(alert.p_value, 0.001)
		self.assertEqual(alert.status, "Open")
		self.assertEqual(
			frappe.db.count(
				"Notification Log",
				{"document_type": ALERT, "document_name": alert.name, "for_user": user_of(QUALITY_INSPECTOR)},
			),
			1,
		)

	def test_items_judged_in_rounds_flag_the_same_batches(self):
		"""The daily job reads a round of items at a time: with one item per round the spike is still
		flagged, once."""
		from aftersales_module.controllers import batch_spikes

		with patch.object(batch_spikes, "ITEMS_PER_ROUND", 1):
			flagged = flag_batch_spikes() + flag_batch_spikes()
		batches = [frappe.db.get_value(ALERT, name, "batch_no") for name in flagged]
		# (the site may hold other items' batches: only this test's are compared)
		self.assertEqual((batches.count(SPIKE), batches.count(USUAL)), (1, 0))

	def test_quality_confirms_with_a_finding_and_cannot_change_the_figures(self):
		flag_batch_spikes()
		alert = frappe.get_doc(ALERT, {"batch_no": SPIKE})
		with acting_as(QUALITY_INSPECTOR):
			alert.status = "Dismissed"
			self.assertRaises(frappe.ValidationError, alert.save)
			alert.reload()
			alert.status = "Confirmed"
			alert.resolution_note = "Connector solder defect in the whole batch"
			alert.returned_qty = 0
			alert.save()
		alert.reload()
		self.assertEqual((alert.status, alert.returned_qty), ("Confirmed", 30))
