# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A known set of cases in a month of their own gives exactly the expected figures, by month,
department and person, through the desk's report runner as the after-sales manager."""

import frappe
from frappe.desk.query_report import run

from aftersales_module.aftersales_module.doctype.inquiry_ticket.test_inquiry_ticket import open_ticket
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	open_request,
	sell,
)
from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import TEST_COMPANY
from aftersales_module.tests.role_users import acting_as, user_of

MONTH = "2019-03"


def at(day: int, hour: int = 12) -> str:
	return f"{MONTH}-{day:02d} {hour:02d}:00:00"


class TestAftersalesKpis(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		told_on_time = act(
			open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit"
		)
		act(told_on_time, "Send to Sales Approval")
		late = act(open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit")
		frappe.db.set_value(
			"Return Request",
			told_on_time.name,
			{"feedback_due": at(2), "customer_told_on": at(1), "review_due": at(3), "reviewed_on": at(2)},
		)
		frappe.db.set_value(
			"Return Request",
			late.name,
			{"feedback_due": at(2), "customer_told_on": at(5), "review_due": at(3)},
		)
		frappe.db.set_value("Return Request", late.name, "has_discrepancy", 1)
		for request, day in ((told_on_time, 10), (late, 11)):
			# Received in the month: the stage log says when and by whom.
			frappe.get_doc(
				{
					"doctype": STAGE_LOG,
					"reference_doctype": "Return Request",
					"reference_name": request.name,
					"company": TEST_COMPANY,
					"from_stage": "Approved",
					"to_stage": "Goods Received",
					"moved_by": user_of(WAREHOUSE),
					"moved_on": at(day),
				}
			).insert(ignore_permissions=True)
		ticket = open_ticket()
		frappe.db.set_value(
			"Inquiry Ticket",
			ticket.name,
			{
				"response_by": at(4, 9),
				"first_responded_on": at(4, 8),
				"result_by": at(4, 17),
				"feedback_on": None,
			},
		)

	def kpis(self, group_by: str) -> dict:
		with acting_as(AFTERSALES_MANAGER):
			result = run(
				"Aftersales KPIs",
				filters={
					"company": TEST_COMPANY,
					"from_date": f"{MONTH}-01",
					"to_date": f"{MONTH}-31",
					"group_by": group_by,
				},
			)
		return {
			(row["measure"], row["group"]): (row["numerator"], row["denominator"], row["value"])
			for row in result["result"]
		}

	def test_by_month(self):
		self.assertEqual(
			self.kpis("Month"),
			{
				("Return: customer told on time", MONTH): (1, 2, 50),
				("Return: reviewed on time", MONTH): (1, 2, 50),
				("Return-goods accuracy", MONTH): (1, 2, 50),
				("Inquiry: first response on time", MONTH): (1, 1, 100),
				("Inquiry: result fed back on time", MONTH): (0, 1, 0),
			},
		)

	def test_by_department_and_person(self):
		self.assertEqual(self.kpis("Department")[("Return-goods accuracy", "Warehouse")], (1, 2, 50))
		by_person = self.kpis("Person")
		self.assertEqual(by_person[("Return: reviewed on time", user_of(CUSTOMER_SERVICE))], (1, 2, 50))
		self.assertEqual(by_person[("Return-goods accuracy", user_of(WAREHOUSE))], (1, 2, 50))

	def test_a_period_with_nothing_in_it_shows_nothing(self):
		with acting_as(AFTERSALES_MANAGER):
			result = run(
				"Aftersales KPIs",
				filters={
					"company": TEST_COMPANY,
					"from_date": "1990-01-01",
					"to_date": "1990-01-31",
					"group_by": "Month",
				},
			)
		self.assertEqual(result["result"], [])
