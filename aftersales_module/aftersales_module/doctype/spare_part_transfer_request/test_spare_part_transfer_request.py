# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Spare-part transfer requests walked by their roles: the repair point manager raises, the
after-sales manager approves, the central warehouse transfers, in the desk and over the API;
each repair point sees its own requests only, and no client writes what the server decides."""

import frappe
from frappe.client import get_value

from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import (
	PART_COST,
	SCREEN,
	make_repair_point,
	make_transfer_request,
)
from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order_roles import (
	RepairRolesTestCase,
	call_api,
	client_rows,
	count_over_api,
	press,
	save_as_client,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	gl_balance,
	stock_moves,
)
from aftersales_module.aftersales_module.report.part_request_register import part_request_register
from aftersales_module.aftersales_module.report.parts_issue_register import parts_issue_register
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.setup.roles import REPAIR_POINT_MANAGER
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, make_stock, stock_balance
from aftersales_module.tests.role_users import acting_as, make_role_user
from aftersales_module.tests.utils import listed

test_ignore = [*IGNORE_TEST_RECORDS, "Repair Point", "Repair Order", "Spare Part Transfer Request"]

OTHER_POINT_MANAGER = "as-point-manager-other-point@example.com"


class TransferRolesTestCase(RepairRolesTestCase):
	def setUp(self):
		super().setUp()
		self.other_point_manager = make_role_user(OTHER_POINT_MANAGER, REPAIR_POINT_MANAGER, "Stock User")
		self.other_point.manager = self.other_point_manager
		self.other_point.save()
		make_stock(SCREEN, qty=20, rate=PART_COST)

	def raise_request(self, manager=None, repair_point=None, qty=5, submit=True):
		with acting_as(manager or self.point_manager):
			return make_transfer_request(repair_point or self.point.name, self.stores, qty=qty, submit=submit)


class TestTransferRequestSteps(TransferRolesTestCase):
	def test_raised_approved_and_transferred_each_by_its_role(self):
		request = self.raise_request(qty=5)
		row = request.items[0].name
		self.assertEqual((request.status, request.owner), ("Pending Approval", self.point_manager))

		with acting_as(self.point_manager):
			self.assertRaises(StepPermissionError, press, request, "approve")
		with acting_as(self.warehouse_user):
			self.assertRaises(frappe.ValidationError, press, request, "transfer")
		with acting_as(self.manager):
			request = press(request, "approve", approved_qtys={row: 4})
		self.assertEqual((request.status, request.approved_by), ("Approved", self.manager))
		self.assertEqual((request.items[0].approved_qty, request.items[0].pending_qty), (4, 4))

		with acting_as(self.point_manager):
			self.assertRaises(StepPermissionError, press, request, "transfer")
		with acting_as(self.warehouse_user):
			# The Transfer button, then the rest over the REST API.
			request = press(request, "transfer", quantities={row: 3})
			self.assertEqual(request.status, "Partly Transferred")
			request = call_api(request, "transfer")
		self.assertEqual(request.status, "Transferred")
		self.assertEqual((request.items[0].transferred_qty, request.items[0].pending_qty), (4, 0))

		entries = [name for _doctype, name in request.posted_documents()]
		self.assertEqual(request.transfers.split("\n"), entries)
		for entry, qty in zip(entries, (3, 1), strict=True):
			self.assertEqual(
				set(stock_moves(entry)),
				{(self.stores, -qty, -qty * PART_COST), (self.point_warehouse, qty, qty * PART_COST)},
			)
		self.assertEqual(gl_balance(entries), {})
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 14)
		self.assert_books_reconcile()

		with acting_as(self.warehouse_user):
			self.assertRaises(frappe.PermissionError, press, request, "close")
		with acting_as(self.manager):
			request = press(request, "close")
		self.assertEqual(request.status, "Closed")

	def test_only_a_repair_point_raises_a_request(self):
		with acting_as(self.warehouse_user):
			draft = frappe.get_doc("Spare Part Transfer Request", self.raise_request(submit=False).name)
			self.assertRaises(StepPermissionError, draft.submit)


class TestTransferRequestIsolation(TransferRolesTestCase):
	def test_a_point_sees_its_own_requests_lines_and_parts_only(self):
		mine = self.raise_request(qty=2)
		theirs = self.raise_request(self.other_point_manager, self.other_point.name, qty=3)
		for request in (mine, theirs):
			with acting_as(self.manager):
				press(request, "approve")
			with acting_as(self.warehouse_user):
				press(frappe.get_doc(request.doctype, request.name), "transfer")

		for user, own, other in (
			(self.point_manager, mine, theirs),
			(self.technician, mine, theirs),
			(self.other_point_manager, theirs, mine),
		):
			with acting_as(user):
				self.assertEqual(listed("Spare Part Transfer Request", {mine.name, theirs.name}), {own.name})
				self.assertFalse(frappe.get_doc(other.doctype, other.name).has_permission("read"))
				self.assertRaises(
					frappe.PermissionError, frappe.get_doc(other.doctype, other.name).check_permission, "read"
				)
				_columns, lines = part_request_register.execute({})
				ours = {mine.name, theirs.name}
				self.assertEqual({line["request"] for line in lines} & ours, {own.name})
				_columns, moves = parts_issue_register.execute({})
				self.assertEqual({move["source_name"] for move in moves} & ours, {own.name})

		with acting_as(self.other_point_manager):
			other = frappe.get_doc("Spare Part Transfer Request", mine.name)
			self.assertRaises(frappe.PermissionError, other.cancel)
		with acting_as(self.warehouse_user):
			self.assertEqual(
				listed("Spare Part Transfer Request", {mine.name, theirs.name}), {mine.name, theirs.name}
			)

	def test_a_point_reads_its_own_requests_item_rows_only(self):
		mine = self.raise_request(qty=2)
		theirs = self.raise_request(self.other_point_manager, self.other_point.name, qty=3)
		rows = {mine.items[0].name, theirs.items[0].name}
		parent = "Spare Part Transfer Request"

		for user, own, other in (
			(self.point_manager, mine, theirs),
			(self.technician, mine, theirs),
			(self.other_point_manager, theirs, mine),
		):
			with acting_as(user):
				self.assertEqual(
					client_rows("Spare Part Transfer Request Item", parent, rows), {own.items[0].name}
				)
				self.assertEqual(
					get_value(
						"Spare Part Transfer Request Item",
						"requested_qty",
						filters={"parent": other.name},
						parent=parent,
					),
					{},
				)
				self.assertEqual(
					count_over_api("Spare Part Transfer Request Item", {"parent": other.name}), 0
				)
				self.assertEqual(count_over_api("Spare Part Transfer Request Item", {"parent": own.name}), 1)

		with acting_as(self.warehouse_user):
			self.assertEqual(client_rows("Spare Part Transfer Request Item", parent, rows), rows)

	def test_a_point_manager_cannot_raise_a_request_for_another_point(self):
		self.assertRaises(
			frappe.PermissionError,
			self.raise_request,
			self.point_manager,
			self.other_point.name,
			submit=False,
		)
		point = make_repair_point("_Test Guanggu", manager=self.point_manager)
		self.raise_request(self.point_manager, point.name, submit=False)


class TestTransferRequestServerFields(TransferRolesTestCase):
	def test_forged_approvals_and_transferred_quantities_are_reset(self):
		with acting_as(self.point_manager):
			draft = frappe.get_doc(
				{
					"doctype": "Spare Part Transfer Request",
					"company": self.point.company,
					"repair_point": self.point.name,
					"source_warehouse": self.stores,
					"required_by": frappe.utils.add_days(frappe.utils.nowdate(), 3),
					"purpose": "Screens",
					"approved_by": self.point_manager,
					"items": [
						{"item_code": SCREEN, "requested_qty": 2, "approved_qty": 2, "transferred_qty": 2}
					],
				}
			).insert()
		self.assertFalse(draft.approved_by)
		self.assertEqual((draft.items[0].approved_qty, draft.items[0].transferred_qty), (0, 0))

		with acting_as(self.point_manager):
			draft.submit()
		with acting_as(self.manager):
			request = press(draft, "approve")
		with acting_as(self.warehouse_user):
			request = press(request, "transfer", quantities={request.items[0].name: 1})

		for user in (self.point_manager, self.warehouse_user):
			with acting_as(user):
				request = frappe.get_doc("Spare Part Transfer Request", request.name)
				request.items[0].transferred_qty = 2
				request.items[0].pending_qty = 0
				request.approved_by = user
				request.transfers = ""
				request.status = "Transferred"
				request = save_as_client(request)
			self.assertEqual(request.status, "Partly Transferred")
			self.assertEqual(request.approved_by, self.manager)
			self.assertEqual((request.items[0].transferred_qty, request.items[0].pending_qty), (1, 1))
			self.assertTrue(request.transfers)

		with acting_as(self.warehouse_user):
			request = press(request, "transfer")
		self.assertEqual(request.status, "Transferred")
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 12)
