# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""What the repair order form is told by the server (controllers/stage_forms.py): each role's own
inputs on an open order, none once it is finished but the old parts of a completed repair, and who
acts next."""

import frappe

from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order_roles import (
	RepairRolesTestCase,
)
from aftersales_module.controllers.stage_forms import next_step, repair_order_inputs
from aftersales_module.tests.role_users import acting_as


class TestRepairOrderForm(RepairRolesTestCase):
	def inputs(self, user, order) -> set[str]:
		with acting_as(user):
			return set(repair_order_inputs(frappe.get_doc("Repair Order", order.name))["fields"])

	def test_each_role_is_told_its_own_inputs_on_an_open_order(self):
		order = self.open_order()
		technician = self.inputs(self.technician, order)
		customer_service = self.inputs(self.customer_service, order)
		self.assertTrue({"parts", "visits", "outcome", "quality_check_passed"} <= technician)
		self.assertNotIn("technician", technician)
		self.assertTrue({"technician", "first_contact_at", "customer_signature"} <= customer_service)
		self.assertFalse({"parts", "outcome", "quality_check_passed"} & customer_service)

	def test_who_acts_next_on_an_open_order(self):
		order = self.open_order()
		with acting_as(self.customer_service):
			told = next_step(frappe.get_doc("Repair Order", order.name))
		self.assertFalse(told["can_act"])
		self.assertEqual(set(told["roles"]), {"Repair Technician", "Repair Point Manager"})
		with acting_as(self.technician):
			self.assertTrue(next_step(frappe.get_doc("Repair Order", order.name))["can_act"])

	def test_a_finished_order_takes_only_the_old_parts_of_a_completed_repair(self):
		order = self.open_order(labour_hours=1, labour_rate=50)
		with acting_as(self.technician):
			order = frappe.get_doc("Repair Order", order.name)
			order.quality_check_passed = 1
			order.outcome = "Ship to Customer"
			order.save()
			order.complete()
		self.assertEqual(self.inputs(self.technician, order), {"parts"})
		self.assertEqual(self.inputs(self.customer_service, order), set())
