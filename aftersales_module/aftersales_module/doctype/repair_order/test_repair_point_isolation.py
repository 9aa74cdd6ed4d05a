# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Each repair point's people at their own point only: the orders, the points, the stock and the
child rows of another point are neither listed, read, counted nor acted on, in the desk or over
the REST API; the roles that serve every point see them all."""

import frappe
import frappe.client
from frappe.desk.search import search_link

from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import SCREEN
from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order_roles import (
	RepairRolesTestCase,
	call_api,
	client_rows,
	count_over_api,
	press,
)
from aftersales_module.controllers.repair_postings import PartsWarehouseError
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, stock_balance
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import listed

test_ignore = [*IGNORE_TEST_RECORDS, "Repair Point", "Repair Order", "Spare Part Transfer Request"]


class TestRepairPointIsolation(RepairRolesTestCase):
	def test_a_technician_sees_and_acts_on_their_own_point_only(self):
		mine = self.open_order(parts=[{"item_code": SCREEN, "qty": 1}])
		theirs = self.open_order(
			self.other_point.name, technician=self.other_technician, parts=[{"item_code": SCREEN, "qty": 1}]
		)

		ours, points = {mine.name, theirs.name}, {self.point.name, self.other_point.name}
		with acting_as(self.technician):
			self.assertEqual(listed("Repair Order", ours), {mine.name})
			self.assertEqual(listed("Repair Point", points), {self.point.name})
			self.assertEqual(
				{row["value"] for row in search_link("Repair Point", "_Test")} & points, {self.point.name}
			)
			self.assertTrue(frappe.get_doc("Repair Order", mine.name).has_permission("read"))
			other = frappe.get_doc("Repair Order", theirs.name)
			self.assertFalse(other.has_permission("read"))
			self.assertFalse(frappe.has_permission("Repair Order", "write", theirs.name))
			self.assertRaises(frappe.PermissionError, other.issue_parts)
			self.assertRaises(frappe.PermissionError, press, other, "issue_parts")
			self.assertRaises(frappe.PermissionError, call_api, other, "complete")
			other.quality_check_passed = 1
			self.assertRaises(frappe.PermissionError, other.save)

			# Counting over the API tells nothing about another point either.
			self.assertEqual(count_over_api("Repair Order", {"name": theirs.name}), 0)
			self.assertEqual(count_over_api("Repair Order", {"name": mine.name}), 1)

		with acting_as(self.other_technician):
			self.assertEqual(listed("Repair Order", ours), {theirs.name})
			self.assertFalse(frappe.get_doc("Repair Order", mine.name).has_permission("read"))

		# The roles that serve every point see both.
		for role in (AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE):
			with acting_as(role):
				self.assertEqual(listed("Repair Order", ours), ours, role)
		self.assertFalse(frappe.db.get_value("Repair Order Part", {"parent": theirs.name}, "issue_entry"))

	def test_a_point_manager_sees_the_stock_of_their_own_points_warehouses(self):
		both = {self.point_warehouse, self.other_point.warehouse}
		with acting_as(self.point_manager):  # Stock User: may read stock, here only their point's
			self.assertEqual(
				set(frappe.get_list("Bin", filters={"item_code": SCREEN}, pluck="warehouse")) & both,
				{self.point_warehouse},
			)
			self.assertEqual(
				set(frappe.get_list("Stock Ledger Entry", filters={"item_code": SCREEN}, pluck="warehouse"))
				& both,
				{self.point_warehouse},
			)
			other_bin = frappe.db.get_value(
				"Bin", {"item_code": SCREEN, "warehouse": self.other_point.warehouse}, "name"
			)
			self.assertFalse(frappe.has_permission("Bin", "read", other_bin))
		with acting_as(self.technician):  # Maintenance User: ERPNext shows them no stock at all
			self.assertFalse(frappe.has_permission("Bin", "read"))
		with acting_as(self.warehouse_user):
			self.assertEqual(
				set(frappe.get_list("Bin", filters={"item_code": SCREEN}, pluck="warehouse")) & both, both
			)

	def test_a_technician_is_assigned_only_at_their_own_point(self):
		self.assertRaises(
			frappe.ValidationError, self.open_order, self.other_point.name, technician=self.technician
		)

	def test_parts_leave_only_the_orders_own_repair_point_warehouse(self):
		order = self.open_order()
		with acting_as(self.technician):
			order = frappe.get_doc("Repair Order", order.name)
			order.append("parts", {"item_code": SCREEN, "qty": 1, "warehouse": self.other_point.warehouse})
			self.assertRaises(PartsWarehouseError, order.save)

		# A line that names another warehouse however it got there is refused when it is posted.
		order = self.open_order(parts=[{"item_code": SCREEN, "qty": 1}])
		frappe.db.set_value("Repair Order Part", order.parts[0].name, "warehouse", self.other_point.warehouse)
		with acting_as(self.technician):
			self.assertRaises(PartsWarehouseError, frappe.get_doc("Repair Order", order.name).issue_parts)
		self.assertEqual(stock_balance(SCREEN, self.other_point.warehouse), 10)
		self.assertFalse(
			frappe.db.exists(
				"Stock Entry", {"aftersales_repair_order": order.name, "creation": (">=", order.creation)}
			)
		)


class TestChildTablesPerPoint(RepairRolesTestCase):
	"""frappe.client reads a child table through its parent doctype's rights alone: the rows of another
	point's orders and of another point's members are not among what a point's people read."""

	def test_a_points_people_read_the_parts_visits_and_members_of_their_own_point_only(self):
		visit = {"visit_date": "2026-01-05 10:00:00", "result": "Screen replaced"}
		mine = self.open_order(parts=[{"item_code": SCREEN, "qty": 1}], visits=[visit])
		theirs = self.open_order(
			self.other_point.name,
			technician=self.other_technician,
			parts=[{"item_code": SCREEN, "qty": 1}],
			visits=[visit],
		)
		parts = {mine.parts[0].name, theirs.parts[0].name}
		visits = {mine.visits[0].name, theirs.visits[0].name}
		members = {row.name for point in (self.point, self.other_point) for row in point.members}
		own_members = {row.name for row in self.point.members}

		for user in (self.technician, self.point_manager):
			with acting_as(user):
				self.assertEqual(
					client_rows("Repair Order Part", "Repair Order", parts), {mine.parts[0].name}
				)
				self.assertEqual(
					client_rows("Repair Order Visit", "Repair Order", visits), {mine.visits[0].name}
				)
				self.assertEqual(client_rows("Repair Point Member", "Repair Point", members), own_members)
				self.assertEqual(client_value("Repair Order Part", "Repair Order", theirs.name), {})
				self.assertEqual(
					client_value("Repair Order Part", "Repair Order", mine.name).get("item_code"), SCREEN
				)
				self.assertEqual(count_over_api("Repair Order Part", {"parent": theirs.name}), 0)
				self.assertEqual(count_over_api("Repair Order Part", {"parent": mine.name}), 1)
				self.assertEqual(count_over_api("Repair Order Visit", {"parent": theirs.name}), 0)
				self.assertEqual(count_over_api("Repair Point Member", {"parent": self.other_point.name}), 0)
				self.assertEqual(
					count_over_api("Repair Point Member", {"parent": self.point.name}), len(own_members)
				)
				# One row read on its own, as GET /api/resource/<child>/<name> and frappe.client.get do.
				for doctype, parent, row in (
					("Repair Order Part", "Repair Order", theirs.parts[0].name),
					("Repair Order Visit", "Repair Order", theirs.visits[0].name),
				):
					self.assertRaises(frappe.PermissionError, frappe.client.get, doctype, row, parent=parent)
				self.assertEqual(
					frappe.client.get("Repair Order Part", mine.parts[0].name, parent="Repair Order")["name"],
					mine.parts[0].name,
				)

		# The roles that serve every point read every point's rows.
		for role in (AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE):
			with acting_as(role):
				self.assertEqual(client_rows("Repair Order Part", "Repair Order", parts), parts, role)
				self.assertEqual(count_over_api("Repair Order Part", {"parent": theirs.name}), 1, role)


def client_value(doctype: str, parent: str, parent_name: str) -> dict:
	"""`frappe.client.get_value` of a child row, found by its parent document."""
	from frappe.client import get_value

	return get_value(doctype, ["name", "item_code"], filters={"parent": parent_name}, parent=parent)
