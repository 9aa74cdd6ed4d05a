# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The activity log of a case is read in the reader's language: a workflow move taken in Chinese is
logged as the state's own name, which the timeline shows through each reader's translation."""

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	open_request,
	sell,
)
from aftersales_module.controllers.reader_language import composed_in
from aftersales_module.controllers.reopen import close_reopened, reopen
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.role_users import acting_as

STATE = "Customer Service Review"


def workflow_comments(name: str) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Return Request", "reference_name": name, "comment_type": "Workflow"},
		pluck="content",
		order_by="creation",
	)


def timeline_notes(name: str) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Return Request", "reference_name": name, "comment_type": "Info"},
		pluck="content",
		order_by="creation",
	)


class TestActivityLanguage(ReturnFlowTestCase):
	def test_a_move_taken_in_chinese_is_logged_as_the_state_and_read_in_each_language(self):
		for language in ("zh", "zh-TW"):
			with composed_in(language):
				self.assertNotEqual(frappe._(STATE), STATE)  # the state has a translation to lose
				request = act(open_request(sell(qty=1)), "Submit")
			self.assertEqual(request.status, STATE)
			self.assertEqual(workflow_comments(request.name), [STATE])

	def test_a_reopening_noted_in_chinese_is_kept_in_english(self):
		request = open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only")
		for action in ("Submit", "Send to Sales Approval", "Approve", "Refund", "Close"):
			request = act(request, action)
		with acting_as(CUSTOMER_SERVICE), composed_in("zh"):
			self.assertNotEqual(frappe._("Closed again by {0}: {1}"), "Closed again by {0}: {1}")
			reopen(request.name, "退款未到账")
			close_reopened(request.name, "已补发退款")
		reopened, closed = timeline_notes(request.name)
		self.assertTrue(reopened.startswith("Reopened (Staff) by "), reopened)
		self.assertTrue(reopened.endswith(": 退款未到账"), reopened)
		self.assertTrue(closed.startswith("Closed again by "), closed)
		self.assertTrue(closed.endswith(": 已补发退款"), closed)
