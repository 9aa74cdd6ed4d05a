"""Existing Return Request workflows: each state the shipped workflow had names its stage."""

from frappe.utils.fixtures import sync_fixtures

from aftersales_module.setup.workflow import set_missing_stages


def execute():
	# Patches run before the migrate syncs fixtures: the stage field must exist now.
	sync_fixtures("aftersales_module")
	set_missing_stages()
