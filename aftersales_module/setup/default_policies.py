"""Warranty policies the app offers, as ordinary records the admin may edit or delete: the standard
policy for every item, installed once, and a sample mobile-phone policy, made only on request."""

import frappe
from frappe.utils.nestedset import get_root_of

from aftersales_module.core.enums import ReasonCategory
from aftersales_module.core.warranty import DEFAULT_SHIPPING_RULES

PHONES = "Phones"
PHONE_ACCESSORY_GROUPS = {
	# item group: (warranty months, gift not covered) — the national mobile-phone 三包 rules (seed 003)
	"Mobile Phones": None,
	"Phone Batteries": (6, False),
	"Wired Headsets": (3, False),
	"Memory Cards": (3, False),
	"Chargers": (12, False),
	"Phone Gifts": (0, True),
}

PHONE_POLICY = "三包 Mobile Phone"
STANDARD_POLICY = "Standard Returns"


def install_default_policies() -> None:
	"""Create the standard policy once per site, as soon as the item group tree exists."""
	if frappe.db.get_single_value("Aftersales Settings", "default_policies_installed"):
		return
	if not frappe.db.exists("Item Group", {"parent_item_group": ("is", "not set"), "is_group": 1}):
		# ERPNext's setup wizard has not made the item group tree yet; setup_wizard_complete runs this again.
		return

	if not frappe.db.exists("Warranty Policy", STANDARD_POLICY):
		create_policy(
			STANDARD_POLICY,
			item_group=get_root_of("Item Group"),
			description="Every item without a more specific policy: 7-day returns, 15-day exchange, 1-year free repair.",
		)
	frappe.db.set_single_value("Aftersales Settings", "default_policies_installed", 1)


def install_phone_policy() -> str:
	"""The sample mobile-phone policy and its item groups, for a shop that sells phones: made when a
	manager asks for it, never by the install. What already exists is kept."""
	create_phone_item_groups()
	if not frappe.db.exists("Warranty Policy", PHONE_POLICY):
		create_policy(
			PHONE_POLICY,
			item_group=PHONES,
			description=(
				"National mobile-phone 三包: return within 7 days and exchange of the host unit within 15 days "
				"for a verified performance fault, free repair for a year; accessories by their own periods; "
				"gifts are not covered."
			),
			accessories=[
				{"item_group": group, "warranty_months": terms[0], "not_covered": int(terms[1])}
				for group, terms in PHONE_ACCESSORY_GROUPS.items()
				if terms
			],
		)
	return PHONE_POLICY


def create_phone_item_groups() -> None:
	if not frappe.db.exists("Item Group", PHONES):
		insert_item_group(PHONES, get_root_of("Item Group"), is_group=1)
	for group in PHONE_ACCESSORY_GROUPS:
		if not frappe.db.exists("Item Group", group):
			insert_item_group(group, PHONES, is_group=0)


def insert_item_group(name: str, parent: str, is_group: int) -> None:
	frappe.get_doc(
		{"doctype": "Item Group", "item_group_name": name, "parent_item_group": parent, "is_group": is_group}
	).insert(ignore_permissions=True)


def create_policy(name: str, item_group: str, description: str, accessories: list | None = None) -> None:
	frappe.get_doc(
		{
			"doctype": "Warranty Policy",
			"policy_name": name,
			"applies_to": "Item Group",
			"item_group": item_group,
			"description": description,
			"return_window_days": 7,
			"exchange_window_days": 15,
			"repair_window_days": 365,
			"accessories": accessories or [],
			"shipping_rules": [
				{"reason_category": reason.value, "shipping_payer": payer.value}
				for reason, payer in DEFAULT_SHIPPING_RULES.items()
			],
		}
	).insert(ignore_permissions=True)
