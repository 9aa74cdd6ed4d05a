# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Repair orders walked by the people whose job each step is: customer service opens, the
technician adds parts, issues them, passes the quality check and completes, the after-sales manager
approves a scrap. Each acts in the desk (save, form button) and over the REST API; Administrator
only sets things up. What a client forges or sends out of turn is reset or refused. (Each at their
own repair point only: test_repair_point_isolation.)"""

import frappe
from frappe.utils import add_to_date, get_datetime, now_datetime

from aftersales_module.aftersales_module.doctype.repair_order.repair_order_inputs import (
	FirstContactTimeError,
	OrderFinishedError,
	PartPostedError,
	WrongReturnRequestError,
	WrongSalesInvoiceError,
)
from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import (
	BATTERY,
	PART_COST,
	SCREEN,
	SCREEN_PRICE,
	RepairTestCase,
	make_repair_order,
	make_repair_point,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	act,
	gl_balance,
	open_request,
	sell,
	stock_moves,
)
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
	WAREHOUSE,
)
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	make_customer,
	make_sales_invoice,
	make_serial_item,
	make_stock,
	stock_balance,
)
from aftersales_module.tests.role_users import acting_as, make_role_user, user_of

test_ignore = [*IGNORE_TEST_RECORDS, "Repair Point", "Repair Order", "Spare Part Transfer Request"]

OTHER_TECHNICIAN = "as-technician-other-point@example.com"
OTHER_CUSTOMER = "_Test Aftersales Repair Other Customer"
SERIAL_PHONE = "_Test Aftersales Repair Serial Phone"
SOLD_IMEI, UNSOLD_IMEI = "_TAC-RO-IMEI-0001", "_TAC-RO-IMEI-0002"
LABOUR_RATE = 40


def press(doc, method: str, **args):
	"""A form button: the form's copy of the document goes to `run_doc_method`, which checks it is
	the latest (and so the user's rights to update it) before the method runs. Returns the document
	as stored afterwards."""
	from frappe.handler import run_doc_method

	with http_request("POST"):
		run_doc_method(method, docs=frappe.as_json(doc.as_dict()), args=args or None)
	return frappe.get_doc(doc.doctype, doc.name)


def call_api(doc, method: str, **form):
	"""POST /api/resource/<doctype>/<name>?run_method=<method>, as a REST client calls an action."""
	from frappe.api.v1 import execute_doc_method

	with http_request("POST", form):
		execute_doc_method(doc.doctype, doc.name, method)
	return frappe.get_doc(doc.doctype, doc.name)


class http_request:
	"""Just enough of an HTTP request for the handlers above."""

	def __init__(self, method: str, form: dict | None = None):
		self.method, self.form = method, form or {}

	def __enter__(self):
		local = frappe.local
		self.saved = (getattr(local, "request", None), local.form_dict, local.response)
		local.request = frappe._dict(method=self.method)
		local.form_dict = frappe._dict(self.form)
		local.response = frappe._dict(docs=[])

	def __exit__(self, *exc):
		frappe.local.request, frappe.local.form_dict, frappe.local.response = self.saved


def save_as_client(doc):
	"""`frappe.client.save`: the whole document as the client sends it."""
	from frappe.client import save

	save(frappe.as_json(doc.as_dict()))
	return frappe.get_doc(doc.doctype, doc.name)


class RepairRolesTestCase(RepairTestCase):
	"""Point A (the test's own) with its manager and technician; point B with another technician."""

	def setUp(self):
		super().setUp()
		self.technician = user_of(REPAIR_TECHNICIAN)
		self.point_manager = user_of(REPAIR_POINT_MANAGER)
		self.customer_service = user_of(CUSTOMER_SERVICE)
		self.warehouse_user = user_of(WAREHOUSE)
		self.manager = user_of(AFTERSALES_MANAGER)
		self.point.manager = self.point_manager
		self.point.append("members", {"user": self.technician})
		self.point.save()

		self.other_technician = make_role_user(OTHER_TECHNICIAN, REPAIR_TECHNICIAN, "Maintenance User")
		self.other_point = make_repair_point("_Test Wuchang Road", members=[{"user": self.other_technician}])
		for warehouse in (self.point_warehouse, self.other_point.warehouse):
			make_stock(SCREEN, qty=10, rate=PART_COST, warehouse=warehouse)
			make_stock(BATTERY, qty=10, rate=PART_COST / 2, warehouse=warehouse)

	def open_order(self, repair_point=None, technician=None, **fields):
		"""Customer service takes the unit in and opens the order."""
		with acting_as(self.customer_service):
			return make_repair_order(
				repair_point or self.point.name, technician=technician or self.technician, **fields
			)


class TestRepairOrderSteps(RepairRolesTestCase):
	def test_each_role_does_its_step_in_the_desk_and_over_the_api(self):
		order = self.open_order(labour_hours=1, labour_rate=LABOUR_RATE)
		self.assertEqual((order.status, order.owner), ("Open", self.customer_service))

		with acting_as(self.technician):
			# A plain save of the open order: the technician adds the part they use.
			order = frappe.get_doc("Repair Order", order.name)
			order.append("parts", {"item_code": SCREEN, "qty": 1, "rate": SCREEN_PRICE})
			order.save()
			# The Issue Parts button.
			order = press(order, "issue_parts")
			self.assertEqual(order.status, "In Repair")
			order.quality_check_passed = 1
			order.save()
			self.assertEqual(order.quality_checked_by, self.technician)
			# Complete over the REST API.
			order = call_api(order, "complete")

		self.assertEqual(order.status, "Completed")
		issue = order.parts[0].issue_entry
		invoice = order.sales_invoice_for_repair
		# Made by the app in the technician's step, who holds no Stock Entry or Sales Invoice rights.
		self.assertFalse(frappe.has_permission("Sales Invoice", "create", user=self.technician))
		self.assertEqual(frappe.db.get_value("Stock Entry", issue, "aftersales_repair_order"), order.name)
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "aftersales_repair_order"), order.name)
		self.assertEqual(stock_moves(issue), ((self.point_warehouse, -1.0, -1.0 * PART_COST),))
		self.assertEqual(gl_balance([issue]), {self.cogs: PART_COST, self.stock_account: -PART_COST})
		charge = SCREEN_PRICE + LABOUR_RATE
		self.assertEqual(gl_balance([invoice]), {self.receivable: charge, self.income: -charge})
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 9)
		self.assert_books_reconcile()

	def test_scrap_is_reported_by_the_technician_and_approved_by_the_manager_only(self):
		returns = self.settings.return_warehouse
		make_stock(PHONE, qty=1, rate=200, warehouse=returns)
		order = self.open_order(unit_warehouse=returns)

		with acting_as(self.technician):
			order = press(order, "mark_unrepairable", report="Mainboard burnt")
			self.assertEqual((order.status, order.unrepairable_report), ("Unrepairable", "Mainboard burnt"))
			self.assertRaises(frappe.PermissionError, press, order, "approve_scrap")
		with acting_as(self.point_manager):
			self.assertRaises(StepPermissionError, frappe.get_doc("Repair Order", order.name).approve_scrap)

		with acting_as(self.manager):
			order = press(frappe.get_doc("Repair Order", order.name), "approve_scrap")
		self.assertEqual((order.status, order.scrap_approved_by), ("Scrapped", self.manager))
		self.assertEqual(stock_moves(order.scrap_entry), ((returns, -1.0, -200.0),))
		self.assertEqual(
			gl_balance([order.scrap_entry]),
			{self.settings.scrap_expense_account: 200, self.stock_account: -200},
		)
		self.assert_books_reconcile()

	def test_a_role_cannot_do_another_roles_step(self):
		with acting_as(self.customer_service):
			draft = make_repair_order(self.point.name, technician=self.technician, submit=False)
		with acting_as(self.technician):
			# A technician works on open orders; opening one is the front desk's.
			self.assertRaises(StepPermissionError, frappe.get_doc("Repair Order", draft.name).submit)

		order = self.open_order(parts=[{"item_code": SCREEN, "qty": 1}])
		with acting_as(self.customer_service):
			order = frappe.get_doc("Repair Order", order.name)
			self.assertRaises(StepPermissionError, order.issue_parts)
			order = frappe.get_doc("Repair Order", order.name)
			order.quality_check_passed = 1
			self.assertRaises(StepPermissionError, order.save)
		with acting_as(self.warehouse_user):
			order = frappe.get_doc("Repair Order", order.name)
			self.assertRaises(frappe.PermissionError, order.complete)
			self.assertRaises(frappe.PermissionError, press, order, "issue_parts")
		with acting_as(self.technician):
			# Assigning the work is the point manager's or the front desk's.
			order = frappe.get_doc("Repair Order", order.name)
			order.technician = self.point_manager
			self.assertRaises(StepPermissionError, order.save)
		with acting_as(self.point_manager):
			order = frappe.get_doc("Repair Order", order.name)
			order.technician = self.point_manager
			order.save()
		self.assertFalse(frappe.db.get_value("Repair Order", order.name, "quality_check_passed"))
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 10)


class TestServerOwnedFields(RepairRolesTestCase):
	def test_forged_postings_approvals_and_statuses_are_reset_on_save(self):
		order = self.open_order(parts=[{"item_code": SCREEN, "qty": 1}])
		with acting_as(self.technician):
			order = press(order, "issue_parts")
		issue = order.parts[0].issue_entry
		self.assertTrue(issue)

		with acting_as(self.technician):
			order = frappe.get_doc("Repair Order", order.name)
			order.status = "Completed"
			order.quality_checked_by = self.manager
			order.scrap_approved_by = self.manager
			order.completion_entry = issue
			order.sales_invoice_for_repair = frappe.db.get_value("Sales Invoice", {"docstatus": 1})
			order.parts[0].issue_entry = None
			order.append("parts", {"item_code": BATTERY, "qty": 1, "issue_entry": issue})
			order = save_as_client(order)

		self.assertEqual(order.status, "In Repair")
		self.assertFalse(order.quality_checked_by)
		self.assertFalse(order.scrap_approved_by or order.completion_entry or order.sales_invoice_for_repair)
		self.assertEqual(order.parts[0].issue_entry, issue)
		self.assertEqual((order.parts[1].item_code, order.parts[1].issue_entry), (BATTERY, None))

		# The battery, never issued, is still issued once; the screen is not issued twice.
		with acting_as(self.technician):
			order = press(order, "issue_parts")
		battery_issue = order.parts[1].issue_entry
		self.assertNotEqual(battery_issue, issue)
		self.assertEqual(stock_moves(battery_issue), ((self.point_warehouse, -1.0, -PART_COST / 2),))
		self.assertEqual(stock_balance(SCREEN, self.point_warehouse), 9)

		# A posted part stays on the order.
		with acting_as(self.technician):
			order = frappe.get_doc("Repair Order", order.name)
			order.parts = order.parts[1:]
			self.assertRaises(frappe.ValidationError, order.save)

	def test_a_draft_carries_no_postings_or_approvals(self):
		receipt = make_stock(SCREEN, qty=1, rate=PART_COST, warehouse=self.point_warehouse).name
		with acting_as(self.customer_service):
			draft = make_repair_order(
				self.point.name,
				submit=False,
				technician=self.technician,
				quality_checked_by=self.manager,
				scrap_approved_by=self.manager,
				completed_on="2026-01-01 10:00:00",
				completion_entry=receipt,
				parts=[{"item_code": SCREEN, "qty": 1, "issue_entry": receipt}],
			)
		self.assertFalse(
			draft.quality_checked_by
			or draft.scrap_approved_by
			or draft.completed_on
			or draft.completion_entry
		)
		self.assertFalse(draft.parts[0].issue_entry)
		self.assertEqual(draft.status, "Draft")


class TestOrderInputsChecked(RepairRolesTestCase):
	"""What a client sends on an order is checked against the documents it names and the order's state."""

	def test_a_return_request_is_the_customers_own_submitted_request_set_once(self):
		make_customer(OTHER_CUSTOMER)
		draft = open_request(sell(qty=1, paid=False), request_type="Repair")
		request = act(open_request(sell(qty=1, paid=False), request_type="Repair"), "Submit")
		self.assertEqual((draft.docstatus, request.docstatus), (0, 1))

		for planted in (
			{"return_request": draft.name},
			{"return_request": request.name, "customer": OTHER_CUSTOMER},
		):
			self.assertRaises(
				WrongReturnRequestError, self.open_order, submit=False, source="Return Request", **planted
			)
		self.assertFalse(
			frappe.db.exists("Repair Order", {"return_request": ("in", [draft.name, request.name])})
		)

		order = self.open_order(submit=False, source="Return Request", return_request=request.name)
		self.assertEqual(order.return_request, request.name)
		with acting_as(self.customer_service):
			# Saved once, the order stays with its request: not moved to another, not cleared.
			order = frappe.get_doc("Repair Order", order.name)
			order.return_request = None
			self.assertRaises(frappe.ValidationError, save_as_client, order)
			walk_in = self.open_order(submit=False)
			walk_in.return_request = request.name
			self.assertRaises(frappe.ValidationError, save_as_client, walk_in)
		self.assertEqual(frappe.db.get_value("Repair Order", order.name, "return_request"), request.name)
		self.assertFalse(frappe.db.get_value("Repair Order", walk_in.name, "return_request"))

	def test_the_warranty_is_read_from_the_customers_own_sale_only(self):
		make_customer(OTHER_CUSTOMER)
		theirs = make_sales_invoice([(PHONE, 1, 500)], customer=OTHER_CUSTOMER)
		unsubmitted = make_sales_invoice([(PHONE, 1, 500)], do_not_submit=True)
		mine = make_sales_invoice([(PHONE, 1, 500)])
		credit_note = make_credit_note(mine.name)
		for invoice in (theirs, unsubmitted, credit_note):
			self.assertRaises(
				WrongSalesInvoiceError, self.open_order, submit=False, sales_invoice=invoice.name
			)

		order = self.open_order(sales_invoice=mine.name)
		self.assertEqual((order.sales_invoice, order.warranty_status), (mine.name, "In Warranty"))

	def test_a_serial_number_is_one_the_linked_sale_sold(self):
		make_serial_item(SERIAL_PHONE, item_group="Mobile Phones")
		make_stock(SERIAL_PHONE, qty=2, rate=200, serial_nos=[SOLD_IMEI, UNSOLD_IMEI])
		invoice = make_sales_invoice(
			[
				{
					"item_code": SERIAL_PHONE,
					"qty": 1,
					"rate": 500,
					"serial_no": SOLD_IMEI,
					"use_serial_batch_fields": 1,
				}
			]
		)
		self.assertRaises(
			WrongSalesInvoiceError,
			self.open_order,
			submit=False,
			item_code=SERIAL_PHONE,
			serial_no=UNSOLD_IMEI,
			sales_invoice=invoice.name,
		)
		order = self.open_order(item_code=SERIAL_PHONE, serial_no=SOLD_IMEI, sales_invoice=invoice.name)
		self.assertEqual(order.sales_invoice, invoice.name)

	def test_first_contact_is_after_the_order_opened_and_not_in_the_future(self):
		order = self.open_order()
		opened = get_datetime(order.opened_on)
		with acting_as(self.technician):
			for wrong in (add_to_date(opened, hours=-1), add_to_date(now_datetime(), hours=1)):
				order = frappe.get_doc("Repair Order", order.name)
				order.first_contact_at = wrong
				self.assertRaises(FirstContactTimeError, save_as_client, order)
			self.assertFalse(frappe.db.get_value("Repair Order", order.name, "first_contact_at"))
			contacted = now_datetime()
			order = frappe.get_doc("Repair Order", order.name)
			order.first_contact_at = contacted
			order = save_as_client(order)
		self.assertEqual(
			get_datetime(order.first_contact_at).replace(microsecond=0), contacted.replace(microsecond=0)
		)

	def test_a_completed_order_takes_no_more_input_but_the_parts_brought_back(self):
		order = self.open_order(
			labour_hours=1,
			labour_rate=LABOUR_RATE,
			parts=[{"item_code": SCREEN, "qty": 1, "rate": SCREEN_PRICE}],
			visits=[{"visit_date": add_to_date(now_datetime(), minutes=-30), "result": "Screen swapped"}],
		)
		with acting_as(self.technician):
			order = press(order, "issue_parts")
			order.quality_check_passed = 1
			order = save_as_client(order)
			order = call_api(order, "complete")
		self.assertEqual(order.status, "Completed")
		stored = stored_order(order.name)

		rewrites = (
			{"labour_hours": 10},
			{"labour_rate": 400},
			{"quality_check_passed": 0},
			{"finished_goods_warehouse": self.stores},
			{"first_contact_at": now_datetime()},
			{"visits": [{"visit_date": now_datetime(), "result": "Another visit"}]},
			{"parts": [{"item_code": BATTERY, "qty": 3, "rate": 25}]},
		)
		with acting_as(self.technician):
			for rewrite in rewrites:
				order = frappe.get_doc("Repair Order", order.name)
				for fieldname, value in rewrite.items():
					if fieldname in ("visits", "parts"):
						for row in value:
							order.append(fieldname, row)
					else:
						order.set(fieldname, value)
				self.assertRaises(OrderFinishedError, save_as_client, order)
		self.assertEqual(stored_order(order.name), stored)

		# The faulty screen the customer brings back later is still received.
		with acting_as(self.technician):
			order = frappe.get_doc("Repair Order", order.name)
			order.parts[0].old_part_returned = 1
			order.parts[0].old_part_fault = "Cracked glass"
			order = save_as_client(order)
			order = press(order, "receive_old_parts")
		self.assertTrue(order.parts[0].old_part_entry)
		self.assertEqual(stored_order(order.name), stored)

	def test_a_passed_quality_check_is_taken_back_by_the_point_manager_only(self):
		order = self.open_order()
		with acting_as(self.technician):
			order = frappe.get_doc("Repair Order", order.name)
			order.quality_check_passed = 1
			order = save_as_client(order)
			order.quality_check_passed = 0
			self.assertRaises(StepPermissionError, save_as_client, order)
		self.assertEqual(
			frappe.db.get_value("Repair Order", order.name, ["quality_check_passed", "quality_checked_by"]),
			(1, self.technician),
		)
		with acting_as(self.point_manager):
			order = frappe.get_doc("Repair Order", order.name)
			order.quality_check_passed = 0
			order = save_as_client(order)
		self.assertEqual((order.quality_check_passed, order.quality_checked_by), (0, None))

	def test_a_posted_part_row_stays_as_posted(self):
		order = self.open_order(parts=[{"item_code": SCREEN, "qty": 1}])
		with acting_as(self.technician):
			order = press(order, "issue_parts")
			order.parts[0].old_part_returned = 1
			order.parts[0].old_part_fault = "Dead pixels"
			order = save_as_client(order)
			order = press(order, "receive_old_parts")
			for field, value in (("old_part_returned", 0), ("old_part_fault", "Scratched"), ("qty", 2)):
				order = frappe.get_doc("Repair Order", order.name)
				order.parts[0].set(field, value)
				self.assertRaises(frappe.ValidationError, save_as_client, order)
			order = frappe.get_doc("Repair Order", order.name)
			order.parts[0].old_part_fault = "Scratched"
			self.assertRaises(PartPostedError, order.save)
		row = frappe.db.get_value(
			"Repair Order Part", order.parts[0].name, ["qty", "old_part_returned", "old_part_fault"]
		)
		self.assertEqual(row, (1, 1, "Dead pixels"))


def stored_order(name: str) -> dict:
	"""What a completed order charged and recorded, as stored."""
	order = frappe.get_doc("Repair Order", name)
	return {
		"labour": (order.labour_hours, order.labour_rate, order.total_charge),
		"quality": (order.quality_check_passed, order.quality_checked_by),
		"finished_goods_warehouse": order.finished_goods_warehouse,
		"first_contact_at": order.first_contact_at,
		"visits": [(row.name, row.result) for row in order.visits],
		"parts": [(row.name, row.item_code, row.qty, row.rate, row.issue_entry) for row in order.parts],
	}


def make_credit_note(sales_invoice: str):
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	credit_note = make_sales_return(sales_invoice)
	credit_note.insert()
	credit_note.submit()
	return credit_note


def client_rows(doctype: str, parent: str, names: set[str]) -> set[str]:
	"""Which of these child rows `frappe.client.get_list` returns to the user."""
	from frappe.client import get_list

	rows = get_list(
		doctype, fields=["name"], filters={"name": ("in", list(names))}, parent=parent, limit_page_length=0
	)
	return {row.name for row in rows}


def count_over_api(doctype: str, filters: dict) -> int:
	"""frappe.client.get_count as a request reaches it: through the apps' overrides of the method."""
	method = "frappe.client.get_count"
	method = (frappe.get_hooks("override_whitelisted_methods", {}).get(method) or [method])[-1]
	return frappe.call(frappe.get_attr(method), doctype=doctype, filters=frappe.as_json(filters))
