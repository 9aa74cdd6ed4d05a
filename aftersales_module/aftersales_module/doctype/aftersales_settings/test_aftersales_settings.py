# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	AftersalesSettingsError,
	get_company_settings,
)
from aftersales_module.setup.company import AFTERSALES_ACCOUNTS, AFTERSALES_WAREHOUSES, setup_all_companies
from aftersales_module.setup.install import setup_defaults
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	default_warehouse,
	make_company,
)
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = IGNORE_TEST_RECORDS


def count(doctype: str, company: str) -> int:
	return frappe.db.count(doctype, {"company": company})


class TestAftersalesSettings(AftersalesTestCase):
	def test_every_company_has_its_aftersales_warehouses_and_accounts(self):
		for company in frappe.get_all("Company", pluck="name"):
			row = get_company_settings(company)
			group = row.aftersales_warehouse
			self.assertEqual(frappe.db.get_value("Warehouse", group, ["company", "is_group"]), (company, 1))
			for fieldname, _name, is_group, parent_field in AFTERSALES_WAREHOUSES[1:]:
				warehouse = frappe.db.get_value(
					"Warehouse", row.get(fieldname), ["company", "is_group", "parent_warehouse"], as_dict=True
				)
				self.assertEqual(warehouse.company, company, fieldname)
				self.assertEqual(warehouse.is_group, is_group, fieldname)
				self.assertEqual(warehouse.parent_warehouse, row.get(parent_field), fieldname)
			for fieldname, _name, root_type, sibling in AFTERSALES_ACCOUNTS:
				sibling_account = frappe.db.get_value("Company", company, sibling)
				if not frappe.db.get_value("Account", sibling_account or "", "parent_account"):
					# No perpetual inventory, or a chart without the account to sit beside: left for the admin.
					self.assertFalse(row.get(fieldname), fieldname)
					continue
				account = frappe.db.get_value(
					"Account", row.get(fieldname), ["company", "root_type"], as_dict=True
				)
				self.assertEqual((account.company, account.root_type), (company, root_type), fieldname)
			if frappe.db.exists("Cost Center", frappe.db.get_value("Company", company, "cost_center") or ""):
				self.assertEqual(frappe.db.get_value("Cost Center", row.cost_center, "company"), company)

	def test_running_setup_again_creates_nothing(self):
		before = (count("Warehouse", TEST_COMPANY), count("Account", TEST_COMPANY))
		row_before = get_company_settings(TEST_COMPANY).as_dict(no_default_fields=True)

		setup_defaults()
		setup_all_companies()

		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		self.assertEqual((count("Warehouse", TEST_COMPANY), count("Account", TEST_COMPANY)), before)
		self.assertEqual(get_company_settings(TEST_COMPANY).as_dict(no_default_fields=True), row_before)

	def test_deleted_warehouse_is_recreated_once(self):
		scrap = get_company_settings(TEST_COMPANY).scrap_warehouse
		# The settings link blocks a plain delete; an admin who forces it must still get a working setup.
		frappe.delete_doc("Warehouse", scrap, force=True)
		warehouses = count("Warehouse", TEST_COMPANY)

		setup_all_companies()
		setup_all_companies()

		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		self.assertEqual(count("Warehouse", TEST_COMPANY), warehouses + 1)
		self.assertTrue(frappe.db.exists("Warehouse", get_company_settings(TEST_COMPANY).scrap_warehouse))

	def test_warehouse_chosen_by_admin_is_kept(self):
		settings = frappe.get_single("Aftersales Settings")
		row = next(row for row in settings.company_settings if row.company == TEST_COMPANY)
		row.return_warehouse = default_warehouse(TEST_COMPANY)
		settings.save()

		setup_all_companies()

		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		self.assertEqual(get_company_settings(TEST_COMPANY).return_warehouse, default_warehouse(TEST_COMPANY))

	def test_company_created_later_gets_its_own_warehouses(self):
		company = make_company("_Test Aftersales Later Company", "_TALC")

		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		row = get_company_settings(company.name)
		self.assertEqual(frappe.db.get_value("Warehouse", row.return_warehouse, "company"), company.name)
		self.assertEqual(frappe.db.get_value("Warehouse", row.spare_unit_warehouse, "company"), company.name)
		self.assertTrue(row.scrap_expense_account)

	def test_warehouse_of_another_company_is_refused(self):
		other = next(name for name in frappe.get_all("Company", pluck="name") if name != TEST_COMPANY)
		settings = frappe.get_single("Aftersales Settings")
		row = next(row for row in settings.company_settings if row.company == TEST_COMPANY)
		row.return_warehouse = default_warehouse(other)
		self.assertRaises(AftersalesSettingsError, settings.save)

	def test_company_listed_twice_is_refused(self):
		settings = frappe.get_single("Aftersales Settings")
		settings.append("company_settings", {"company": TEST_COMPANY})
		self.assertRaises(AftersalesSettingsError, settings.save)

	def test_missing_company_row_says_how_to_fix(self):
		with self.assertRaises(AftersalesSettingsError) as raised:
			get_company_settings("No Such Company")
		self.assertIn("Aftersales Settings", str(raised.exception))
