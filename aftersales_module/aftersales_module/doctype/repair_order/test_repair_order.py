# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Repair points, spare-part transfer requests and repair orders on a real company: warehouses,
user permissions, Material Transfers and Issues, the repair invoice, GL, and cancelling. Each step
is taken by the person whose job it is — customer service opens the order, the technician repairs,
the point manager raises part requests, the after-sales manager approves and cancels, the central
warehouse transfers; Administrator only sets up repair points, users and stock. Who may not do
what: test_repair_order_roles."""

import frappe
from frappe.utils import add_days, add_to_date, flt, get_datetime, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	as_role,
	cancel_as_manager,
	gl_balance,
	stock_moves,
)
from aftersales_module.aftersales_module.report.serial_service_history import serial_service_history
from aftersales_module.controllers.postings import PostingCancelError
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
	WAREHOUSE,
)
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	make_item,
	make_sales_invoice,
	make_stock,
	stock_balance,
)
from aftersales_module.tests.role_users import acting_as, make_role_user, user_of
from aftersales_module.tests.utils import listed

test_ignore = [*IGNORE_TEST_RECORDS, "Repair Point", "Repair Order", "Spare Part Transfer Request"]

SCREEN = "_Test Aftersales Screen"
BATTERY = "_Test Aftersales Battery"
WASHER = "_Test Aftersales Washer"
PART_COST = 30
SCREEN_PRICE = 80
OTHER_POINT_MANAGER = "as-point-manager-other-point@example.com"
SUCCESSOR_POINT_MANAGER = "as-point-manager-successor@example.com"


def make_repair_point(name: str, manager: str | None = None, **fields):
	point = frappe.get_doc(
		{
			"doctype": "Repair Point",
			"repair_point_name": name,
			"company": TEST_COMPANY,
			"manager": manager,
			**fields,
		}
	)
	point.insert()
	return point


def make_transfer_request(repair_point, source_warehouse, qty=10, emergency=0, submit=True):
	request = frappe.get_doc(
		{
			"doctype": "Spare Part Transfer Request",
			"company": TEST_COMPANY,
			"repair_point": repair_point,
			"source_warehouse": source_warehouse,
			"required_by": add_days(nowdate(), 3),
			"purpose": "Screens for warranty repairs",
			"emergency": emergency,
			"items": [{"item_code": SCREEN, "requested_qty": qty}],
		}
	)
	request.insert()
	if submit:
		request.submit()
	return request


def raise_request(repair_point, source_warehouse, qty=10, emergency=0, manager=None):
	"""The repair point's manager raises the request."""
	with acting_as(manager or REPAIR_POINT_MANAGER):
		return make_transfer_request(repair_point, source_warehouse, qty=qty, emergency=emergency)


def edit_order(order, role: str, **values):
	"""The role's user fills these in on the order and saves."""
	with acting_as(role):
		order = frappe.get_doc("Repair Order", order.name)
		order.update(values)
		order.save()
	return order


class RepairTestCase(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_item(SCREEN, item_group="Mobile Phones")
		make_item(BATTERY, item_group="Mobile Phones")

	def setUp(self):
		super().setUp()
		self.point = make_repair_point("_Test Hongshan Road", region="Hongshan")
		self.point_warehouse = self.point.warehouse


class TestRepairPoint(RepairTestCase):
	def test_creating_a_point_creates_its_warehouse_and_disabling_disables_it(self):
		warehouse = frappe.db.get_value(
			"Warehouse", self.point_warehouse, ["company", "parent_warehouse", "disabled"], as_dict=True
		)
		self.assertEqual(warehouse.company, TEST_COMPANY)
		self.assertEqual(warehouse.parent_warehouse, self.settings.repair_points_warehouse)
		self.assertEqual(warehouse.disabled, 0)
		self.point.disabled = 1
		self.point.save()
		self.assertEqual(frappe.db.get_value("Warehouse", self.point_warehouse, "disabled"), 1)

	def test_a_manager_sees_only_their_own_points_requests_and_orders(self):
		manager = user_of(REPAIR_POINT_MANAGER)
		mine = make_repair_point("_Test Yulan Road", manager=manager)
		other_manager = make_role_user(OTHER_POINT_MANAGER, REPAIR_POINT_MANAGER, "Stock User")
		self.point.manager = other_manager
		self.point.save()
		# Access follows the point's Manager and Members, not User Permissions.
		self.assertFalse(frappe.db.exists("User Permission", {"user": manager, "allow": "Repair Point"}))
		make_stock(SCREEN, qty=20, rate=PART_COST)
		own_request = raise_request(mine.name, self.stores, manager=manager)
		other_request = raise_request(self.point.name, self.stores, manager=other_manager)
		own_order = open_order(mine.name)
		other_order = open_order(self.point.name)

		frappe.set_user(manager)
		self.assertTrue(frappe.has_permission("Spare Part Transfer Request", "read", own_request.name))
		self.assertFalse(frappe.has_permission("Spare Part Transfer Request", "read", other_request.name))
		self.assertTrue(frappe.has_permission("Repair Order", "read", own_order.name))
		self.assertFalse(frappe.has_permission("Repair Order", "read", other_order.name))
		requests, orders = {own_request.name, other_request.name}, {own_order.name, other_order.name}
		self.assertEqual(listed("Spare Part Transfer Request", requests), {own_request.name})
		self.assertEqual(listed("Repair Order", orders), {own_order.name})
		self.assertEqual(listed("Repair Point", {mine.name, self.point.name}), {mine.name})
		self.assertRaises(
			frappe.PermissionError, frappe.get_doc("Repair Order", other_order.name).check_permission, "read"
		)
		frappe.set_user("Administrator")

		# A new manager takes over; the old one loses the point.
		successor = make_role_user(SUCCESSOR_POINT_MANAGER, REPAIR_POINT_MANAGER, "Stock User")
		mine.reload()
		mine.manager = successor
		mine.save()
		frappe.set_user(manager)
		self.assertFalse(frappe.has_permission("Repair Order", "read", own_order.name))
		self.assertEqual(listed("Repair Order", orders), set())
		frappe.set_user(successor)
		self.assertTrue(frappe.has_permission("Repair Order", "read", own_order.name))
		frappe.set_user("Administrator")

	def test_members_need_a_repair_point_role(self):
		clerk = user_of(CUSTOMER_SERVICE)
		self.point.append("members", {"user": clerk})
		self.assertRaises(frappe.ValidationError, self.point.save)

	def test_a_manager_needs_the_role(self):
		clerk = user_of(CUSTOMER_SERVICE)
		self.assertRaises(frappe.ValidationError, make_repair_point, "_Test Zhongshan Road", manager=clerk)


class TestSparePartTransferRequest(RepairTestCase):
	def setUp(self):
		super().setUp()
		self.point.manager = user_of(REPAIR_POINT_MANAGER)
		self.point.save()

	def test_approved_ten_fulfilled_six_then_four_with_two_transfers(self):
		make_stock(SCREEN, qty=20, rate=PART_COST)
		request = raise_request(self.point.name, self.stores, qty=12)
		self.assertEqual(request.status, "Pending Approval")
		self.assertRaises(frappe.ValidationError, as_role, WAREHOUSE, request.transfer)

		row = request.items[0].name
		self.assertRaises(frappe.ValidationError, as_role, AFTERSALES_MANAGER, request.approve, {row: 13})
		request.reload()
		as_role(AFTERSALES_MANAGER, request.approve, {row: 10})
		self.assertEqual(
			(request.status, request.items[0].approved_qty, request.items[0].pending_qty),
			("Approved", 10, 10),
		)

		first = as_role(WAREHOUSE, request.transfer, {row: 6})
		self.assertEqual(request.status, "Partly Transferred")
		self.assertEqual((request.items[0].transferred_qty, request.items[0].pending_qty), (6, 4))
		self.assertRaises(frappe.ValidationError, as_role, WAREHOUSE, request.transfer, {row: 5})
		request.reload()
		second = as_role(WAREHOUSE, request.transfer, {row: 4})
		self.assertEqual(request.status, "Transferred")
		self.assertEqual((request.items[0].transferred_qty, request.items[0].pending_qty), (10, 0))
		self.assertRaises(frappe.ValidationError, as_role, WAREHOUSE, request.transfer)

		for entry, qty in ((first, 6), (second, 4)):
			self.assertEqual(frappe.db.get_value("Stock Entry", entry, "purpose"), "Material Transfer")
			self.assertEqual(
				frappe.db.get_value("Stock Entry", entry, "aftersales_transfer_request"), request.name
			)
			self.assertEqual(
				set(stock_moves(entry)),
				{(self.stores, -qty, -qty * PART_COST), (self.point_warehouse, qty, qty * PART_COST)},
			)
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 10)
		self.assertEqual(gl_balance([first, second]), {})
		self.assert_books_reconcile()

		# A transfer is undone only through its request, even by the warehouse that made it.
		with acting_as(WAREHOUSE):
			self.assertRaises(PostingCancelError, frappe.get_doc("Stock Entry", second).cancel)
		self.assertEqual(frappe.db.get_value("Stock Entry", second, "docstatus"), 1)
		cancel_as_manager(request)
		self.assertEqual(frappe.db.get_value("Stock Entry", first, "docstatus"), 2)
		self.assertEqual(frappe.db.get_value("Stock Entry", second, "docstatus"), 2)
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 0)
		self.assert_books_reconcile()

	def test_closing_with_pending_quantity_needs_a_reason(self):
		make_stock(SCREEN, qty=5, rate=PART_COST)
		request = raise_request(self.point.name, self.stores, qty=4)
		as_role(AFTERSALES_MANAGER, request.approve)
		as_role(WAREHOUSE, request.transfer, {request.items[0].name: 1})
		self.assertRaises(frappe.ValidationError, as_role, AFTERSALES_MANAGER, request.close)
		request.reload()
		as_role(AFTERSALES_MANAGER, request.close, "The repair point found two screens in its own stock")
		self.assertEqual(request.status, "Closed")
		self.assertEqual(request.items[0].pending_qty, 3)

	def test_emergency_requests_sort_first_and_notify_the_central_warehouse(self):
		keeper = user_of(WAREHOUSE)
		normal = raise_request(self.point.name, self.stores, qty=1)
		urgent = raise_request(self.point.name, self.stores, qty=1, emergency=1)
		with acting_as(keeper):
			names = frappe.get_list(
				"Spare Part Transfer Request",
				filters={"name": ("in", [normal.name, urgent.name])},
				pluck="name",
			)
		self.assertEqual(names, [urgent.name, normal.name])
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{
					"for_user": keeper,
					"document_type": "Spare Part Transfer Request",
					"document_name": urgent.name,
				},
			)
		)
		self.assertFalse(
			frappe.db.exists("Notification Log", {"for_user": keeper, "document_name": normal.name})
		)


def make_repair_order(repair_point: str, submit=True, **fields):
	order = frappe.get_doc(
		{
			"doctype": "Repair Order",
			"company": TEST_COMPANY,
			"repair_point": repair_point,
			"source": "Walk-in",
			"customer": fields.pop("customer", "_Test Aftersales Customer"),
			"item_code": fields.pop("item_code", "_Test Aftersales Flow Phone"),
			"fault_description": "Screen stays black",
			**fields,
		}
	)
	order.insert()
	if submit:
		order.submit()
	return order


def open_order(repair_point: str, submit=True, **fields):
	"""Customer service takes the unit in and opens the order."""
	with acting_as(CUSTOMER_SERVICE):
		return make_repair_order(repair_point, submit=submit, **fields)


class TestRepairOrder(RepairTestCase):
	def setUp(self):
		super().setUp()
		make_stock(SCREEN, qty=10, rate=PART_COST, warehouse=self.point_warehouse)
		make_stock(BATTERY, qty=10, rate=PART_COST / 2, warehouse=self.point_warehouse)
		self.warranty = self.settings.warranty_expense_account
		self.technician = user_of(REPAIR_TECHNICIAN)
		self.point.manager = user_of(REPAIR_POINT_MANAGER)
		self.point.append("members", {"user": self.technician})
		self.point.save()

	def test_in_warranty_repair_issues_parts_at_cost_without_an_invoice(self):
		invoice = make_sales_invoice([("_Test Aftersales Flow Phone", 1, 500)], posting_date=nowdate())
		technician = self.technician
		order = open_order(
			self.point.name,
			sales_invoice=invoice.name,
			technician=technician,
			serial_no="_TAC-RO-SERIAL-1",
			parts=[{"item_code": SCREEN, "qty": 1}],
		)
		self.assertEqual(order.warranty_status, "In Warranty")
		self.assertEqual(order.status, "Open")
		self.assertEqual(order.parts[0].warehouse, self.point_warehouse)
		self.assertEqual(
			get_datetime(order.first_contact_due), add_to_date(get_datetime(order.opened_on), hours=24)
		)
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{
					"allocated_to": technician,
					"reference_type": "Repair Order",
					"reference_name": order.name,
					"status": "Open",
				},
			)
		)

		as_role(REPAIR_TECHNICIAN, order.issue_parts)
		issue = order.parts[0].issue_entry
		self.assertEqual(
			frappe.db.get_value("Stock Entry", issue, ["stock_entry_type", "owner"]),
			("Repair Parts Issue", technician),
		)
		self.assertEqual(stock_moves(issue), ((self.point_warehouse, -1.0, -1.0 * PART_COST),))
		self.assertEqual(gl_balance([issue]), {self.warranty: PART_COST, self.stock_account: -PART_COST})
		self.assertRaises(frappe.ValidationError, as_role, REPAIR_TECHNICIAN, order.issue_parts)

		self.assertRaises(frappe.ValidationError, as_role, REPAIR_TECHNICIAN, order.complete)
		order = edit_order(
			order,
			REPAIR_TECHNICIAN,
			quality_check_passed=1,
			customer_signature="data:image/png;base64,iVBORw0KGgo=",
			confirmed_by="Customer",
		)
		as_role(REPAIR_TECHNICIAN, order.complete)
		self.assertEqual(order.status, "Completed")
		self.assertFalse(order.sales_invoice_for_repair)
		# Only invoices made since this order: the site may keep another run's order of the same name.
		self.assertFalse(
			frappe.db.exists(
				"Sales Invoice", {"aftersales_repair_order": order.name, "creation": (">=", order.creation)}
			)
		)
		self.assert_books_reconcile()
		with acting_as(CUSTOMER_SERVICE):
			_columns, history = serial_service_history.execute({"serial_no": "_TAC-RO-SERIAL-1"})
		self.assertEqual(
			[(row["document_type"], row["return_request"], row["status"]) for row in history],
			[("Repair Order", order.name, "Completed")],
		)

		cancel_as_manager(order)
		self.assertEqual(frappe.db.get_value("Stock Entry", issue, "docstatus"), 2)
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 10)
		self.assert_books_reconcile()

	def test_man_made_damage_found_on_diagnosis_ends_the_free_repair(self):
		invoice = make_sales_invoice([("_Test Aftersales Flow Phone", 1, 500)], posting_date=nowdate())
		order = open_order(self.point.name, sales_invoice=invoice.name, technician=self.technician)
		self.assertEqual(order.warranty_status, "In Warranty")

		order = edit_order(
			order,
			REPAIR_TECHNICIAN,
			man_made_damage=1,
			parts=[{"item_code": SCREEN, "qty": 1, "rate": SCREEN_PRICE}],
		)
		self.assertEqual(order.warranty_status, "Out of Warranty")
		self.assertIn("Man-made damage", order.warranty_rule)
		self.assertEqual(order.total_charge, SCREEN_PRICE)

		order = edit_order(order, REPAIR_TECHNICIAN, man_made_damage=0)
		self.assertEqual((order.warranty_status, order.total_charge), ("In Warranty", 0))

	def test_out_of_warranty_repair_invoices_parts_and_labour(self):
		order = open_order(self.point.name, technician=self.technician)
		self.assertEqual(order.warranty_status, "Out of Warranty")
		# The technician puts down the parts and the labour of the repair.
		order = edit_order(
			order,
			REPAIR_TECHNICIAN,
			parts=[
				{"item_code": SCREEN, "qty": 1, "rate": SCREEN_PRICE},
				{"item_code": BATTERY, "qty": 2, "rate": 25},
			],
			labour_hours=1.5,
			labour_rate=40,
		)
		self.assertEqual((order.parts_amount, order.labour_amount, order.total_charge), (130, 60, 190))
		order = edit_order(order, REPAIR_TECHNICIAN, quality_check_passed=1)
		as_role(REPAIR_TECHNICIAN, order.complete)

		invoice = frappe.get_doc("Sales Invoice", order.sales_invoice_for_repair)
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual(invoice.aftersales_repair_order, order.name)
		self.assertEqual(flt(invoice.grand_total), 190)
		self.assertEqual(
			sorted((row.item_code, row.qty, row.rate) for row in invoice.items),
			sorted([(SCREEN, 1, SCREEN_PRICE), (BATTERY, 2, 25), ("AFTERSALES-REPAIR-LABOUR", 1.5, 40)]),
		)
		issue = order.parts[0].issue_entry
		self.assertEqual(order.parts[1].issue_entry, issue)
		parts_cost = PART_COST + 2 * PART_COST / 2
		self.assertEqual(gl_balance([issue]), {self.cogs: parts_cost, self.stock_account: -parts_cost})
		self.assertEqual(gl_balance([invoice.name]), {self.receivable: 190, self.income: -190})
		self.assert_books_reconcile()

		cancel_as_manager(order)
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice.name, "docstatus"), 2)
		self.assertEqual(gl_balance([issue, invoice.name]), {})
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 10)
		self.assertEqual(stock_balance(BATTERY, self.point_warehouse), 10)

	def test_overriding_the_warranty_needs_a_reason(self):
		order = open_order(self.point.name, submit=False)
		self.assertEqual(order.warranty_status, "Out of Warranty")
		with acting_as(CUSTOMER_SERVICE):
			order.warranty_override = 1
			order.override_warranty_status = "In Warranty"
			self.assertRaises(frappe.ValidationError, order.save)
			order.reload()
			order.warranty_override = 1
			order.override_warranty_status = "In Warranty"
			order.override_reason = "Goodwill for a key account"
			order.save()
		self.assertEqual(order.warranty_status, "In Warranty")

	def test_unrepairable_unit_is_scrapped_only_after_manager_approval(self):
		returns = self.settings.return_warehouse
		make_stock("_Test Aftersales Flow Phone", qty=1, rate=200, warehouse=returns)
		order = open_order(self.point.name, unit_warehouse=returns, technician=self.technician)
		self.assertRaises(frappe.ValidationError, as_role, AFTERSALES_MANAGER, order.approve_scrap)
		order.reload()
		self.assertRaises(frappe.ValidationError, as_role, REPAIR_TECHNICIAN, order.mark_unrepairable, "")
		order.reload()
		as_role(REPAIR_TECHNICIAN, order.mark_unrepairable, "Mainboard burnt; no spare board made any more")
		self.assertFalse(order.scrap_entry)
		# (Only the after-sales manager approves the scrap: test_repair_order_roles.)

		order.reload()
		as_role(AFTERSALES_MANAGER, order.approve_scrap)
		self.assertEqual(order.status, "Scrapped")
		scrap = order.scrap_entry
		self.assertEqual(stock_moves(scrap), ((returns, -1.0, -200.0),))
		self.assertEqual(
			gl_balance([scrap]), {self.settings.scrap_expense_account: 200, self.stock_account: -200}
		)
		self.assert_books_reconcile()
		cancel_as_manager(order)
		self.assertEqual(stock_balance("_Test Aftersales Flow Phone", returns), 1)

	def test_completed_customer_unit_leaves_consignment_at_quantity_only_and_old_parts_come_back(self):
		consignment = self.settings.consignment_repair_warehouse
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Consignment Repair In",
				"purpose": "Material Receipt",
				"company": TEST_COMPANY,
				"items": [
					{
						"item_code": "_Test Aftersales Flow Phone",
						"qty": 1,
						"t_warehouse": consignment,
						"basic_rate": 0,
						"allow_zero_valuation_rate": 1,
						"conversion_factor": 1,
					}
				],
			}
		)
		entry.insert()
		entry.submit()
		order = open_order(
			self.point.name,
			technician=self.technician,
			unit_warehouse=consignment,
			source="Field Service",
			site_name="Harbour Office",
			contact_name="Mr Lin",
			contact_phone="+886-2-5555-0100",
			warranty_override=1,
			override_warranty_status="In Warranty",
			override_reason="Under the service contract",
		)
		# On site the technician finds the battery swollen, swaps it and brings the old one back.
		order = edit_order(
			order,
			REPAIR_TECHNICIAN,
			parts=[
				{"item_code": BATTERY, "qty": 1, "old_part_returned": 1, "old_part_fault": "Swollen cell"}
			],
			visits=[{"visit_date": add_to_date(None, hours=2), "result": "Battery swollen", "fixed": 0}],
		)
		as_role(REPAIR_TECHNICIAN, order.receive_old_parts)
		old = order.parts[0].old_part_entry
		self.assertEqual(stock_moves(old), ((self.settings.old_parts_warehouse, 1.0, 0.0),))
		self.assertIn(
			"Swollen cell", frappe.db.get_value("Stock Entry Detail", {"parent": old}, "description")
		)

		order = edit_order(
			order,
			REPAIR_TECHNICIAN,
			quality_check_passed=1,
			outcome="Return to Finished Goods",
			finished_goods_warehouse=self.stores,
		)
		self.assertRaises(frappe.ValidationError, as_role, REPAIR_TECHNICIAN, order.complete)
		order = edit_order(order, REPAIR_TECHNICIAN, outcome="Ship to Customer")
		as_role(REPAIR_TECHNICIAN, order.complete)
		shipped = order.completion_entry
		self.assertEqual(
			frappe.db.get_value("Stock Entry", shipped, "stock_entry_type"), "Repair Done, Shipped"
		)
		self.assertEqual(stock_moves(shipped), ((consignment, -1.0, 0.0),))
		self.assertEqual(gl_balance([shipped, old]), {})
		self.assert_books_reconcile()
		cancel_as_manager(order)
		self.assertEqual(stock_balance("_Test Aftersales Flow Phone", consignment), 1)
		self.assertEqual(stock_balance(BATTERY, self.settings.old_parts_warehouse), 0)
