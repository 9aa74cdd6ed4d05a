# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Each move of a case into a stage is logged once by the server, with the user who moved it, their
after-sales roles and the stage it came from; nobody writes the log by hand."""

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	cancel_as_manager,
	open_request,
	sell,
)
from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, SALES_APPROVER
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import ACCOUNTS_USER, acting_as, user_of

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]


def logged_moves(case) -> list[tuple]:
	return [
		(row.from_stage, row.to_stage, row.moved_by)
		for row in frappe.get_all(
			STAGE_LOG,
			filters={"reference_doctype": case.doctype, "reference_name": case.name},
			fields=["from_stage", "to_stage", "moved_by"],
			order_by="moved_on asc, creation asc",
		)
	]


class TestStageLog(ReturnFlowTestCase):
	def test_each_move_of_a_return_is_logged_once_with_who_moved_it(self):
		request = open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only")
		for action in ("Submit", "Send to Sales Approval", "Approve", "Refund"):
			request = act(request, action)
		cancel_as_manager(request)

		self.assertEqual(
			logged_moves(request),
			[
				(None, "Draft", user_of(CUSTOMER_SERVICE)),
				("Draft", "Review", user_of(CUSTOMER_SERVICE)),
				("Review", "Sales Approval", user_of(CUSTOMER_SERVICE)),
				("Sales Approval", "Approved", user_of(SALES_APPROVER)),
				("Approved", "Refunded", user_of(ACCOUNTS_USER)),
				("Refunded", "Cancelled", user_of(AFTERSALES_MANAGER)),
			],
		)
		roles = frappe.get_all(
			STAGE_LOG,
			filters={"reference_name": request.name, "to_stage": "Approved"},
			pluck="roles",
		)
		self.assertEqual(roles, [SALES_APPROVER])

	def test_nobody_writes_the_log_by_hand(self):
		for role in (CUSTOMER_SERVICE, AFTERSALES_MANAGER):
			with acting_as(role), self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{"doctype": STAGE_LOG, "reference_doctype": "Return Request", "to_stage": "Closed"}
				).insert()
