# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	AftersalesSettingsError,
	enable_companies,
	get_company_settings,
	install_phone_sample_policy,
)
from aftersales_module.setup.company import (
	AFTERSALES_ACCOUNTS,
	AFTERSALES_WAREHOUSES,
	enable_company,
	refresh_enabled_companies,
)
from aftersales_module.setup.custom_fields import allow_quality_inspection_of_returns
from aftersales_module.setup.default_policies import PHONE_ACCESSORY_GROUPS, PHONE_POLICY, PHONES
from aftersales_module.setup.install import setup_defaults
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	default_warehouse,
	make_company,
)
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = IGNORE_TEST_RECORDS

UNUSED_COMPANY = ("_Test Aftersales Unused Company", "_TAUC")
LATER_COMPANY = ("_Test Aftersales Later Company", "_TALC")


def count(doctype: str, company: str) -> int:
	return frappe.db.count(doctype, {"company": company})


def aftersales_records(company: str) -> tuple[int, int]:
	"""How many of the app's warehouses and accounts a company has, found by their names."""
	warehouse_names = [name for _field, name, *_rest in AFTERSALES_WAREHOUSES]
	account_names = [name for _field, name, *_rest in AFTERSALES_ACCOUNTS]
	return (
		frappe.db.count("Warehouse", {"company": company, "warehouse_name": ("in", warehouse_names)}),
		frappe.db.count("Account", {"company": company, "account_name": ("in", account_names)}),
	)


def settings_row(settings, company: str):
	return next(row for row in settings.company_settings if row.company == company)


def reload_settings():
	frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
	return frappe.get_single("Aftersales Settings")


class TestAftersalesSettings(AftersalesTestCase):
	def assert_company_set_up(self, company: str):
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
		for fieldname, _name, root_type, _sibling in AFTERSALES_ACCOUNTS:
			account = frappe.db.get_value(
				"Account", row.get(fieldname), ["company", "root_type"], as_dict=True
			)
			self.assertEqual((account.company, account.root_type), (company, root_type), fieldname)
		self.assertEqual(frappe.db.get_value("Cost Center", row.cost_center, "company"), company)

	def test_enabled_company_has_its_aftersales_warehouses_and_accounts(self):
		self.assert_company_set_up(TEST_COMPANY)

	def test_company_that_is_not_enabled_gets_nothing(self):
		company = make_company(*UNUSED_COMPANY, aftersales=False).name
		company_doc = frappe.get_doc("Company", company)
		company_doc.save()  # a company save after install made the warehouses of every company before
		refresh_enabled_companies()  # as after a migrate

		self.assertEqual(aftersales_records(company), (0, 0))
		self.assertNotIn(company, [row.company for row in reload_settings().company_settings])

	def test_manager_enables_one_company_of_two(self):
		enabled = make_company("_Test Aftersales Enabled Company", "_TAEC", aftersales=False).name
		left_out = make_company(*UNUSED_COMPANY, aftersales=False).name

		with acting_as(AFTERSALES_MANAGER):
			enable_companies([enabled])

		self.assertEqual(aftersales_records(enabled), (len(AFTERSALES_WAREHOUSES), len(AFTERSALES_ACCOUNTS)))
		self.assertEqual(aftersales_records(left_out), (0, 0))
		self.assert_company_set_up(enabled)
		self.assertNotIn(left_out, [row.company for row in reload_settings().company_settings])

	def test_company_added_in_the_settings_is_filled_on_save(self):
		company = make_company(*LATER_COMPANY, aftersales=False).name
		with acting_as(AFTERSALES_MANAGER):
			settings = frappe.get_doc("Aftersales Settings")
			settings.append("company_settings", {"company": company})
			settings.save()

		self.assert_company_set_up(company)

	def test_first_case_of_a_company_enables_it(self):
		company = make_company(*LATER_COMPANY, aftersales=False).name

		row = get_company_settings(company)

		self.assertEqual(frappe.db.get_value("Warehouse", row.return_warehouse, "company"), company)
		self.assertEqual(aftersales_records(company), (len(AFTERSALES_WAREHOUSES), len(AFTERSALES_ACCOUNTS)))

	def test_only_managers_enable_companies(self):
		company = make_company(*UNUSED_COMPANY, aftersales=False).name
		with acting_as(CUSTOMER_SERVICE), self.assertRaises(frappe.PermissionError):
			enable_companies([company])
		self.assertEqual(aftersales_records(company), (0, 0))

	def test_unknown_company_is_refused_by_name(self):
		with acting_as(AFTERSALES_MANAGER), self.assertRaises(AftersalesSettingsError) as raised:
			enable_companies(["No Such Company"])
		self.assertIn("No Such Company", str(raised.exception))

	def test_running_setup_again_creates_nothing(self):
		before = (count("Warehouse", TEST_COMPANY), count("Account", TEST_COMPANY))
		row_before = get_company_settings(TEST_COMPANY).as_dict(no_default_fields=True)

		setup_defaults()
		refresh_enabled_companies()
		enable_company(TEST_COMPANY)

		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		self.assertEqual((count("Warehouse", TEST_COMPANY), count("Account", TEST_COMPANY)), before)
		self.assertEqual(get_company_settings(TEST_COMPANY).as_dict(no_default_fields=True), row_before)

	def test_deleted_warehouse_is_recreated_once(self):
		scrap = get_company_settings(TEST_COMPANY).scrap_warehouse
		# The settings link blocks a plain delete; an admin who forces it must still get a working setup.
		frappe.delete_doc("Warehouse", scrap, force=True)
		warehouses = count("Warehouse", TEST_COMPANY)

		refresh_enabled_companies()
		refresh_enabled_companies()

		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		self.assertEqual(count("Warehouse", TEST_COMPANY), warehouses + 1)
		self.assertTrue(frappe.db.exists("Warehouse", get_company_settings(TEST_COMPANY).scrap_warehouse))

	def test_warehouse_chosen_by_admin_is_kept(self):
		settings = frappe.get_single("Aftersales Settings")
		settings_row(settings, TEST_COMPANY).return_warehouse = default_warehouse(TEST_COMPANY)
		settings.save()

		refresh_enabled_companies()

		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		self.assertEqual(get_company_settings(TEST_COMPANY).return_warehouse, default_warehouse(TEST_COMPANY))

	def test_warehouse_of_another_company_is_refused(self):
		other = make_company(*LATER_COMPANY, aftersales=False).name
		settings = frappe.get_single("Aftersales Settings")
		settings_row(settings, TEST_COMPANY).return_warehouse = default_warehouse(other)
		self.assertRaises(AftersalesSettingsError, settings.save)

	def test_account_of_another_company_is_refused_with_company_and_type_in_place(self):
		other = make_company(*LATER_COMPANY, aftersales=False).name
		foreign = frappe.db.get_value("Company", other, "stock_adjustment_account")
		settings = frappe.get_single("Aftersales Settings")
		settings_row(settings, TEST_COMPANY).scrap_expense_account = foreign

		with self.assertRaises(AftersalesSettingsError) as raised:
			settings.save()

		self.assertIn(f"of company <strong>{TEST_COMPANY}</strong> of type Expense", str(raised.exception))
		self.assertIn(foreign, str(raised.exception))

	def test_missing_account_is_refused_not_crashed(self):
		settings = frappe.get_single("Aftersales Settings")
		settings_row(settings, TEST_COMPANY).scrap_expense_account = "No Such Account"
		settings.flags.ignore_links = True  # as a row saved before the account was deleted by force
		self.assertRaises(AftersalesSettingsError, settings.save)

	def test_only_changed_rows_are_checked(self):
		other = make_company(*LATER_COMPANY).name
		# A row made wrong behind the settings' back, e.g. by an older version, does not block other edits.
		row_name = settings_row(frappe.get_single("Aftersales Settings"), other).name
		frappe.db.set_value(
			"Aftersales Company Settings", row_name, "return_warehouse", default_warehouse(TEST_COMPANY)
		)
		settings = reload_settings()
		settings_row(settings, TEST_COMPANY).return_warehouse = default_warehouse(TEST_COMPANY)

		settings.save()

		self.assertEqual(get_company_settings(TEST_COMPANY).return_warehouse, default_warehouse(TEST_COMPANY))

	def test_migrate_drops_rows_of_companies_deleted_behind_its_back(self):
		company = make_company(*LATER_COMPANY).name
		frappe.db.delete("Company", {"name": company})  # as an older version's forced deletion left it

		refresh_enabled_companies()

		settings = reload_settings()
		self.assertNotIn(company, [row.company for row in settings.company_settings])
		settings.save()  # the other rows still save

	def test_company_listed_twice_is_refused(self):
		settings = frappe.get_single("Aftersales Settings")
		settings.append("company_settings", {"company": TEST_COMPANY})
		self.assertRaises(AftersalesSettingsError, settings.save)

	def test_case_of_a_company_that_does_not_exist_says_so(self):
		with self.assertRaises(AftersalesSettingsError) as raised:
			get_company_settings("No Such Company")
		self.assertIn("No Such Company", str(raised.exception))


class TestSamplePolicy(AftersalesTestCase):
	def test_manager_adds_the_phone_sample_policy_once(self):
		with acting_as(AFTERSALES_MANAGER):
			self.assertEqual(install_phone_sample_policy(), PHONE_POLICY)
			install_phone_sample_policy()

		self.assertEqual(frappe.db.count("Warranty Policy", {"name": PHONE_POLICY}), 1)
		self.assertEqual(frappe.db.get_value("Warranty Policy", PHONE_POLICY, "item_group"), PHONES)
		for group in PHONE_ACCESSORY_GROUPS:
			self.assertEqual(frappe.db.get_value("Item Group", group, "parent_item_group"), PHONES)

	def test_only_managers_add_sample_data(self):
		with acting_as(CUSTOMER_SERVICE), self.assertRaises(frappe.PermissionError):
			install_phone_sample_policy()

	def test_setup_makes_no_sample_data(self):
		frappe.delete_doc("Warranty Policy", PHONE_POLICY, force=True)
		frappe.db.set_single_value("Aftersales Settings", "default_policies_installed", 0)

		setup_defaults()

		self.assertFalse(frappe.db.exists("Warranty Policy", PHONE_POLICY))
		self.assertTrue(frappe.db.get_single_value("Aftersales Settings", "default_policies_installed"))


class TestQualityInspectionOptions(AftersalesTestCase):
	def tearDown(self):
		super().tearDown()
		frappe.clear_cache(doctype="Quality Inspection")

	def reference_types(self) -> list[str]:
		frappe.clear_cache(doctype="Quality Inspection")
		return frappe.get_meta("Quality Inspection").get_field("reference_type").options.split("\n")

	def test_return_request_follows_erpnext_own_options(self):
		standard = frappe.db.get_value(
			"DocField", {"parent": "Quality Inspection", "fieldname": "reference_type"}, "options"
		)
		self.assertEqual(self.reference_types(), [*standard.split("\n"), "Return Request"])

	def test_option_a_later_erpnext_adds_shows_after_migrate(self):
		field = {"parent": "Quality Inspection", "fieldname": "reference_type"}
		standard = frappe.db.get_value("DocField", field, "options")
		frappe.db.set_value("DocField", field, "options", f"{standard}\nJob Card Operation")

		allow_quality_inspection_of_returns()

		self.assertEqual(self.reference_types()[-2:], ["Job Card Operation", "Return Request"])
