# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Companies come and go as in ERPNext alone: deleting one, clearing ERPNext's demo data and creating
companies afterwards work with the app installed, whether the company used after-sales or not."""

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	enable_companies,
	get_company_settings,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PHONE,
	PRICE,
	approve_quality_return,
	cancel_as_manager,
	open_request,
)
from aftersales_module.setup.company import AFTERSALES_WAREHOUSES
from aftersales_module.setup.roles import AFTERSALES_MANAGER
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_CUSTOMER,
	default_warehouse,
	make_company,
	make_customer,
	make_item,
	make_sales_invoice,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = IGNORE_TEST_RECORDS

USED_COMPANY = ("_Test Aftersales Closing Company", "_TACC")
UNUSED_COMPANY = ("_Test Aftersales Never Used Company", "_TANU")
DEMO_COMPANY = ("_Test Aftersales Company (Demo)", "_TACD")


def settings_rows(company: str) -> int:
	return frappe.db.count(
		"Aftersales Company Settings", {"parenttype": "Aftersales Settings", "company": company}
	)


def delete_company_transactions(company: str) -> str:
	"""ERPNext's Delete Company Transactions, run in this transaction as the demo data clean-up runs it."""
	record = frappe.new_doc("Transaction Deletion Record")
	record.company = company
	record.process_in_single_transaction = True
	record.insert()
	record.submit()
	record.start_deletion_tasks()
	return frappe.db.get_value("Transaction Deletion Record", record.name, "status")


class TestCompanyLifecycle(AftersalesTestCase):
	def assert_company_gone(self, company: str):
		self.assertFalse(frappe.db.exists("Company", company))
		self.assertEqual(settings_rows(company), 0)
		self.assertEqual(frappe.db.count("Warehouse", {"company": company}), 0)
		self.assertEqual(frappe.db.count("Account", {"company": company}), 0)

	def assert_new_companies_work(self):
		"""A company created afterwards, enabled by a manager, and a settings save all go through."""
		later = make_company("_Test Aftersales After Deletion", "_TAAD", aftersales=False).name
		with acting_as(AFTERSALES_MANAGER):
			enable_companies([later])
			settings = frappe.get_doc("Aftersales Settings")
			settings.first_response_minutes = (settings.first_response_minutes or 0) + 1
			settings.save()
		self.assertEqual(
			frappe.db.get_value("Warehouse", get_company_settings(later).return_warehouse, "company"), later
		)

	def test_company_that_never_used_aftersales_is_deleted(self):
		company = make_company(*UNUSED_COMPANY, aftersales=False).name
		self.assertTrue(frappe.db.count("Warehouse", {"company": company}))

		frappe.delete_doc("Company", company)

		self.assert_company_gone(company)
		self.assert_new_companies_work()

	def test_enabled_company_without_cases_is_deleted_with_its_aftersales_setup(self):
		company = make_company(*UNUSED_COMPANY).name
		self.assertEqual(settings_rows(company), 1)
		opened_before = frappe.get_doc("Aftersales Settings")

		frappe.delete_doc("Company", company)

		self.assert_company_gone(company)
		# A settings form opened before the deletion cannot save the company's row back.
		self.assertRaises(frappe.TimestampMismatchError, opened_before.save)
		self.assert_new_companies_work()

	def test_company_that_used_aftersales_is_deleted_after_its_cases_are_cancelled(self):
		company = make_company(*USED_COMPANY).name
		make_customer()
		make_item(PHONE, item_group="Mobile Phones")
		make_stock(PHONE, qty=5, rate=COST, company=company, posting_date=add_days(nowdate(), -10))
		invoice = make_sales_invoice([(PHONE, 1, PRICE)], customer=TEST_CUSTOMER, company=company)
		with acting_as(AFTERSALES_MANAGER):
			point = frappe.get_doc(
				{"doctype": "Repair Point", "repair_point_name": "_Test Closing Point", "company": company}
			).insert()
		request = approve_quality_return(open_request(invoice))
		self.assertEqual(request.status, "Approved")
		cancel_as_manager(request)
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "docstatus"), 2)
		warehouse_names = {name for _field, name, *_rest in AFTERSALES_WAREHOUSES}
		self.assertEqual(
			len(
				frappe.get_all(
					"Warehouse", {"company": company, "warehouse_name": ("in", list(warehouse_names))}
				)
			),
			len(warehouse_names),
		)

		# As in ERPNext alone: a company with transactions has them deleted first, then goes itself.
		self.assertEqual(delete_company_transactions(company), "Completed")
		self.assertFalse(frappe.db.exists("Return Request", {"company": company}))
		# The company's masters stay until it goes itself.
		self.assertEqual(settings_rows(company), 1)
		self.assertTrue(frappe.db.exists("Repair Point", point.name))
		frappe.delete_doc("Company", company)

		self.assert_company_gone(company)
		self.assertFalse(frappe.db.exists("Repair Point", point.name))
		self.assertTrue(frappe.db.exists("Item", PHONE))
		self.assertTrue(frappe.db.exists("Warehouse", default_warehouse()))
		self.assert_new_companies_work()

	def test_clear_demo_data_removes_a_demo_company_that_used_aftersales(self):
		from erpnext.setup.demo import clear_demo_data

		company = make_company(*DEMO_COMPANY).name
		frappe.db.set_single_value("Global Defaults", "demo_company", company)

		clear_demo_data()

		self.assert_company_gone(company)
		self.assert_new_companies_work()
