# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Each person's queue on the Aftersales workspace: the cases assigned to them, the repair orders they
repair (of their own repair points only), what is past its deadline first, and one shortcut per case
doctype that opens its open or overdue cases. Counted as the desk counts them: the number card's filters
with its dynamic filters evaluated for the user, through Frappe's own count with the user's
permissions."""

import json
from unittest.mock import patch

import frappe
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.desk.form.assign_to import add as assign

from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import (
	OTHER_POINT_MANAGER,
	RepairTestCase,
	make_repair_point,
	open_order,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	act,
	open_request,
	sell,
)
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
)
from aftersales_module.tests.factories import TEST_COMPANY
from aftersales_module.tests.role_users import acting_as, make_role_user, user_of

WORKSPACE = "Aftersales"
CASE_DOCTYPES = (
	"Return Request",
	"Repair Order",
	"Inquiry Ticket",
	"Compensation Claim",
	"Spare Part Transfer Request",
)
OTHER_TECHNICIAN = "as-technician-other@example.com"


def dynamic_value(expression: str, user: str):
	"""The values the desk computes for the cards' dynamic filters; any other expression fails the test."""
	return {
		'frappe.defaults.get_user_default("Company")': TEST_COMPANY,
		"frappe.session.user": user,
		"'%' + frappe.session.user + '%'": f"%{user}%",
	}[expression]


def queue(card: str, user: str, among: list[str]) -> set[str]:
	"""The records of `among` the card counts for `user`."""
	doc = frappe.get_doc("Number Card", card)
	filters = json.loads(doc.filters_json)
	filters += [
		[*row[:3], dynamic_value(row[3], user)] for row in json.loads(doc.dynamic_filters_json or "[]")
	]
	counted = set()
	with acting_as(user):
		for name in among:  # one count per record: only this test's records are compared
			if get_result(doc.as_json(), json.dumps([*filters, [doc.document_type, "name", "=", name]])):
				counted.add(name)
	return counted


class TestWorkQueues(RepairTestCase):
	def setUp(self):
		super().setUp()
		# Frappe mails an assignee at once in a test, and sending commits, which would end the test's
		# savepoint on a site with an outgoing e-mail account; the queues don't depend on that mail.
		muted = patch("frappe.desk.form.assign_to.notify_assignment")
		muted.start()
		self.addCleanup(muted.stop)

	def test_a_return_assigned_to_me_is_in_my_queue_only(self):
		clerk = user_of(CUSTOMER_SERVICE)
		colleague = make_role_user("as-customer-service-2@example.com", CUSTOMER_SERVICE, "Sales User")
		mine, theirs = open_request(sell(qty=1)), open_request(sell(qty=1))
		for request in (mine, theirs):
			act(request, "Submit")
		assign({"doctype": "Return Request", "name": mine.name, "assign_to": [clerk]})
		assign({"doctype": "Return Request", "name": theirs.name, "assign_to": [colleague]})

		cases = [mine.name, theirs.name]
		self.assertEqual(queue("Returns Assigned to Me", clerk, cases), {mine.name})
		self.assertEqual(queue("Returns Assigned to Me", colleague, cases), {theirs.name})

	def test_a_technician_sees_the_orders_they_repair_of_their_own_point(self):
		technician = user_of(REPAIR_TECHNICIAN)
		other = make_role_user(OTHER_TECHNICIAN, REPAIR_TECHNICIAN, "Maintenance User")
		self.point.append("members", {"user": technician})
		self.point.manager = user_of(REPAIR_POINT_MANAGER)
		self.point.save()
		other_point = make_repair_point(
			"_Test Xudong Road",
			manager=make_role_user(OTHER_POINT_MANAGER, REPAIR_POINT_MANAGER, "Stock User"),
		)
		other_point.append("members", {"user": other})
		other_point.save()
		mine = open_order(self.point.name, technician=technician)
		theirs = open_order(other_point.name, technician=other)

		orders = [mine.name, theirs.name]
		self.assertEqual(queue("My Repair Orders", technician, orders), {mine.name})
		self.assertEqual(queue("My Repair Orders", other, orders), {theirs.name})
		# the point's queue holds its own point's orders only
		self.assertEqual(queue("Open Repair Orders", user_of(REPAIR_POINT_MANAGER), orders), {mine.name})

	def test_the_workspace_puts_my_work_and_overdue_cases_first(self):
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		cards = [
			block["data"]["number_card_name"]
			for block in json.loads(workspace.content)
			if block["type"] == "number_card"
		]
		self.assertEqual(
			cards[:6],
			[
				"Returns Assigned to Me",
				"My Repair Orders",
				"Inquiries Assigned to Me",
				"Claims Assigned to Me",
				"Returns Past Their Deadlines",
				"Inquiries Past Their Deadlines",
			],
		)
		for card in cards[:4]:
			dynamic = json.loads(frappe.db.get_value("Number Card", card, "dynamic_filters_json"))
			self.assertIn("frappe.session.user", json.dumps(dynamic), card)

	def test_one_shortcut_per_case_doctype_opens_its_open_cases(self):
		request = open_request(sell(qty=1))
		act(request, "Submit")
		frappe.db.set_value("Return Request", request.name, "deadline_status", "Breached")
		shortcuts = frappe.get_doc("Workspace", WORKSPACE).shortcuts
		lists = [row for row in shortcuts if row.type == "DocType"]
		self.assertEqual([row.link_to for row in lists], list(CASE_DOCTYPES))
		for row in lists:
			filters = json.loads(row.stats_filter)
			self.assertIn("{}", row.format)
			with acting_as(AFTERSALES_MANAGER):
				frappe.get_list(row.link_to, filters=filters, limit=1)  # a filter the list accepts
		overdue = json.loads(lists[0].stats_filter)
		self.assertTrue(frappe.get_all("Return Request", filters=[*overdue, ["name", "=", request.name]]))
		new_case = {row.url for row in shortcuts if row.type == "URL"}
		self.assertEqual(
			new_case, {f"/app/{doctype.lower().replace(' ', '-')}/new" for doctype in CASE_DOCTYPES}
		)
