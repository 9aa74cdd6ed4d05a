# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Seed 001: the customer hears back within 24 hours of a return request and it is reviewed within
48. The deadlines start at submission, count from when the request was taken, and the scheduled check
keeps each open request On Time, At Risk or Breached."""

from unittest.mock import patch

import frappe
from frappe.utils import add_to_date, get_datetime

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	as_role,
	open_request,
	sell,
)
from aftersales_module.controllers.return_deadlines import record_customer_told, sweep_return_deadlines
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE


def deadlines(request) -> frappe._dict:
	return frappe.db.get_value(
		"Return Request",
		request.name,
		["feedback_due", "review_due", "customer_told_on", "reviewed_on", "deadline_status"],
		as_dict=True,
	)


class TestReturnDeadlines(ReturnFlowTestCase):
	def submitted_request(self):
		return act(open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit")

	def test_submission_sets_the_deadlines_from_when_the_request_was_taken(self):
		request = self.submitted_request()
		taken = get_datetime(request.creation)
		due = deadlines(request)
		self.assertEqual(get_datetime(due.feedback_due), add_to_date(taken, hours=24))
		self.assertEqual(get_datetime(due.review_due), add_to_date(taken, hours=48))
		self.assertEqual(due.deadline_status, "On Time")

	def test_an_unanswered_request_breaches_after_a_day(self):
		request = self.submitted_request()
		taken = get_datetime(request.creation)
		sweep_return_deadlines(add_to_date(taken, hours=20))
		self.assertEqual(deadlines(request).deadline_status, "At Risk")
		sweep_return_deadlines(add_to_date(taken, hours=25))
		self.assertEqual(deadlines(request).deadline_status, "Breached")

	def test_told_and_reviewed_in_time_stays_on_time(self):
		request = self.submitted_request()
		self.assertRaises(StepPermissionError, as_role, WAREHOUSE, record_customer_told, request.name)
		as_role(CUSTOMER_SERVICE, record_customer_told, request.name)
		request.reload()
		request = act(request, "Send to Sales Approval")

		sweep_return_deadlines(add_to_date(get_datetime(request.creation), hours=47))
		due = deadlines(request)
		self.assertTrue(due.customer_told_on)
		self.assertTrue(due.reviewed_on)
		self.assertEqual(due.deadline_status, "On Time")

	def test_nothing_is_rewritten_when_nothing_changed(self):
		request = self.submitted_request()
		at = add_to_date(get_datetime(request.creation), hours=1)
		sweep_return_deadlines(at)
		with patch("frappe.db.set_value") as set_value:
			sweep_return_deadlines(at)
		self.assertNotIn(request.name, {call.args[1] for call in set_value.call_args_list})
