import frappe
from frappe.utils.fixtures import sync_fixtures

from aftersales_module.setup.company import refresh_enabled_companies
from aftersales_module.setup.custom_fields import allow_quality_inspection_of_returns, delete_custom_fields
from aftersales_module.setup.default_policies import install_default_policies
from aftersales_module.setup.desk import install_repair_kanban
from aftersales_module.setup.indexes import drop_indexes, install_indexes
from aftersales_module.setup.notifications import (
	install_case_notifications,
	install_emergency_transfer_notification,
)
from aftersales_module.setup.roles import create_roles, grant_select_access
from aftersales_module.setup.uninstall import remove_app_records, remove_unused_roles
from aftersales_module.setup.workflow import install_return_request_workflow


def after_install() -> None:
	# Frappe imports an app's fixtures only after its after_install hooks; the defaults below need the
	# custom fields (workflow state stages) and the stock entry types already.
	sync_fixtures("aftersales_module")
	setup_defaults()


def after_migrate() -> None:
	setup_defaults()


def after_setup_wizard(args=None) -> None:
	setup_defaults()


def before_uninstall() -> None:
	drop_indexes()
	delete_custom_fields()
	remove_app_records()


def after_uninstall() -> None:
	remove_unused_roles()
	frappe.clear_cache()


def setup_defaults() -> None:
	"""What admins may change, created if absent; the fixed records are fixtures, synced before this."""
	allow_quality_inspection_of_returns()
	install_indexes()
	create_roles()
	grant_select_access()
	install_return_request_workflow()
	install_emergency_transfer_notification()
	install_case_notifications()
	install_repair_kanban()
	install_default_policies()
	fill_unset_settings()
	refresh_enabled_companies()


def fill_unset_settings() -> None:
	"""Settings an upgrade adds start at their defaults; a value the admin has saved is kept."""
	saved = set(frappe.db.sql_list("select field from `tabSingles` where doctype = 'Aftersales Settings'"))
	for field in frappe.get_meta("Aftersales Settings").fields:
		if field.default and field.fieldname not in saved:
			frappe.db.set_single_value("Aftersales Settings", field.fieldname, field.default)
