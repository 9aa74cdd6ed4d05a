"""Which warranty policy covers an item, and what it decides for a claim."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate
from frappe.utils.nestedset import get_ancestors_of

from aftersales_module.controllers.invoice_reads import remembered
from aftersales_module.controllers.messages import apply_rule
from aftersales_module.core.enums import ReasonCategory
from aftersales_module.core.schema import RECEIVED_ON_FIELD
from aftersales_module.core.warranty import WarrantyClaim, WarrantyDecision, decide, match_accessory


class NoWarrantyPolicyError(frappe.ValidationError):
	pass


def get_item_group_ancestry(item_group: str) -> tuple[str, ...]:
	"""The item group first, then its parents up to the root (nearest first)."""
	ancestors = get_ancestors_of("Item Group", item_group, order_by="lft desc")
	return (item_group, *ancestors)


def item_ancestry(item_code: str) -> tuple[str, ...]:
	"""The item's group first, then its parents up to the root (nearest first), in one query."""
	return tuple(
		frappe.db.sql_list(
			"""select ancestor.name
			from `tabItem` item
			join `tabItem Group` own on own.name = item.item_group
			join `tabItem Group` ancestor on ancestor.lft <= own.lft and ancestor.rgt >= own.rgt
			where item.name = %s
			order by ancestor.lft desc""",
			item_code,
		)
	)


def find_policy_name(
	item_code: str, item_group: str | None = None, ancestry: tuple[str, ...] | None = None
) -> str | None:
	"""The enabled policy for the item itself, else the one for its nearest item group (the latest
	changed where several apply alike), read in one query."""
	item_group = item_group or frappe.db.get_value("Item", item_code, "item_group")
	ancestry = ancestry or get_item_group_ancestry(item_group)
	policy = frappe.qb.DocType("Warranty Policy")
	candidates = (
		frappe.qb.from_(policy)
		.select(policy.name, policy.applies_to, policy.item_group)
		.where(policy.enabled == 1)
		.where(
			((policy.applies_to == "Item") & (policy.item == item_code))
			| ((policy.applies_to == "Item Group") & policy.item_group.isin(ancestry))
		)
		.orderby(policy.modified, order=frappe.qb.desc)
	).run(as_dict=True)
	for applies, group in (("Item", None), *(("Item Group", each) for each in ancestry)):
		for candidate in candidates:
			if candidate.applies_to == applies and (group is None or candidate.item_group == group):
				return candidate.name
	return None


def get_policy_for_item(
	item_code: str, item_group: str | None = None, ancestry: tuple[str, ...] | None = None
):
	item_group = item_group or frappe.db.get_value("Item", item_code, "item_group")
	policy_name = find_policy_name(item_code, item_group, ancestry)
	if not policy_name:
		frappe.throw(
			_(
				"No enabled Warranty Policy covers item {0} or its item group {1}. Create or enable one."
			).format(frappe.bold(item_code), frappe.bold(item_group)),
			exc=NoWarrantyPolicyError,
			title=_("No Warranty Policy"),
		)
	# read on every save of a case; the document cache is cleared when the policy is saved
	return frappe.get_cached_doc("Warranty Policy", policy_name), item_group


def decide_for_item(
	item_code: str,
	requested_on: date,
	reason: ReasonCategory,
	delivered_on: date | None = None,
	invoiced_on: date | None = None,
	received_on: date | None = None,
	original_packaging: bool = True,
	man_made_damage: bool = False,
	resellable: bool = True,
	appearance_intact: bool = True,
	accessories_intact: bool = True,
) -> tuple[WarrantyDecision, str]:
	# the item's groups are read once for both the policy and the accessory period
	ancestry = item_ancestry(item_code)
	item_group = ancestry[0] if ancestry else frappe.db.get_value("Item", item_code, "item_group")
	ancestry = ancestry or get_item_group_ancestry(item_group)
	policy, _item_group = get_policy_for_item(item_code, item_group, ancestry)
	accessory = match_accessory(policy.accessory_periods(), item_code, ancestry)
	claim = WarrantyClaim(
		requested_on=getdate(requested_on),
		reason=ReasonCategory(reason),
		delivered_on=getdate(delivered_on) if delivered_on else None,
		invoiced_on=getdate(invoiced_on) if invoiced_on else None,
		received_on=getdate(received_on) if received_on else None,
		accessory=accessory,
		original_packaging=bool(original_packaging),
		man_made_damage=bool(man_made_damage),
		resellable=bool(resellable),
		appearance_intact=bool(appearance_intact),
		accessories_intact=bool(accessories_intact),
	)
	return apply_rule(decide, policy.to_terms(), claim, title=_("Warranty")), policy.name


def sale_facts(sales_invoice: str, reads: dict | None = None) -> frappe._dict | None:
	"""An invoice's day of sale, whether it updated stock, and the day of receipt recorded on it."""
	return remembered(
		reads,
		("sale", sales_invoice),
		lambda: frappe.db.get_value(
			"Sales Invoice", sales_invoice, ["posting_date", "update_stock", RECEIVED_ON_FIELD], as_dict=True
		),
	)


def get_sale_dates(
	sales_invoice: str, item_code: str | None = None, reads: dict | None = None
) -> tuple[date | None, date]:
	"""(delivered on, invoiced on) of an invoice: the invoice itself when it updated stock,
	else the first submitted Delivery Note made from it or billed by it."""
	invoice = sale_facts(sales_invoice, reads)
	if invoice.update_stock:
		return invoice.posting_date, invoice.posting_date
	first = first_delivery(sales_invoice, item_code)
	return (getdate(first.posting_date) if first else None), invoice.posting_date


def get_received_on(
	sales_invoice: str, item_code: str | None = None, reads: dict | None = None
) -> date | None:
	"""The day the customer received the goods, as the carrier or staff recorded it on the invoice
	that shipped them or on its first Delivery Note."""
	invoice = sale_facts(sales_invoice, reads)
	received_on = (
		invoice.get(RECEIVED_ON_FIELD)
		if invoice.update_stock
		else (first_delivery(sales_invoice, item_code) or {}).get(RECEIVED_ON_FIELD)
	)
	return getdate(received_on) if received_on else None


def first_delivery(sales_invoice: str, item_code: str | None = None) -> dict | None:
	"""The first submitted Delivery Note made from the invoice or billed by it (of the item)."""
	dn, dn_item = frappe.qb.DocType("Delivery Note"), frappe.qb.DocType("Delivery Note Item")
	si_item = frappe.qb.DocType("Sales Invoice Item")
	query = (
		frappe.qb.from_(dn)
		.join(dn_item)
		.on(dn_item.parent == dn.name)
		.select(dn.name, dn.posting_date, dn[RECEIVED_ON_FIELD])
		.where(dn.docstatus == 1)
		.where(dn.is_return == 0)
		.where(
			(dn_item.against_sales_invoice == sales_invoice)
			| dn.name.isin(
				frappe.qb.from_(si_item)
				.select(si_item.delivery_note)
				.where(si_item.parent == sales_invoice)
				.where(si_item.delivery_note.isnotnull())
			)
		)
		.orderby(dn.posting_date)
		.orderby(dn.posting_time)
		.limit(1)
	)
	if item_code:
		query = query.where(dn_item.item_code == item_code)
	first = query.run(as_dict=True)
	return first[0] if first else None
