# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, nowdate, sbool

from aftersales_module.controllers.argument_checks import (
	choice_argument,
	date_argument,
	flag_argument,
	link_argument,
)
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.warranty import decide_for_item, get_sale_dates
from aftersales_module.core.enums import ReasonCategory, ShippingPayer, TimeLimit
from aftersales_module.core.warranty import AccessoryPeriod, PolicyTerms, policy_errors


class InvalidWarrantyPolicyError(frappe.ValidationError):
	pass


class WarrantyPolicy(FieldChecks, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.warranty_policy_accessory.warranty_policy_accessory import (
			WarrantyPolicyAccessory,
		)
		from aftersales_module.aftersales_module.doctype.warranty_policy_shipping_rule.warranty_policy_shipping_rule import (
			WarrantyPolicyShippingRule,
		)

		accessories: DF.Table[WarrantyPolicyAccessory]
		applies_to: DF.Literal["Item Group", "Item"]
		description: DF.SmallText | None
		enabled: DF.Check
		exchange_window_days: DF.Int
		faults_count_from_purchase: DF.Check
		item: DF.Link | None
		item_group: DF.Link | None
		policy_name: DF.Data
		repair_window_days: DF.Int
		require_no_man_made_damage: DF.Check
		require_intact_appearance: DF.Check
		require_original_packaging: DF.Check
		require_resellable_for_personal_reason: DF.Check
		return_window_days: DF.Int
		shipping_rules: DF.Table[WarrantyPolicyShippingRule]
		transit_days: DF.Int
	# end: auto-generated types

	field_error = InvalidWarrantyPolicyError

	def validate(self):
		self.validate_scope()
		self.validate_terms()
		self.validate_shipping_rules()
		self.validate_one_policy_per_scope()

	def validate_scope(self):
		scope_field = "item" if self.applies_to == "Item" else "item_group"
		if not self.get(scope_field):
			frappe.throw(
				_("Set the {0} this policy applies to.").format(_(self.meta.get_label(scope_field))),
				exc=InvalidWarrantyPolicyError,
				title=_("Invalid Warranty Policy"),
			)
		self.set("item_group" if scope_field == "item" else "item", None)

	def validate_terms(self):
		errors = policy_errors(self.to_terms(), self.accessory_periods())
		if errors:
			frappe.throw(
				"<br>".join(translate(error) for error in errors),
				exc=InvalidWarrantyPolicyError,
				title=_("Invalid Warranty Policy"),
			)

	def validate_shipping_rules(self):
		seen = set()
		for row in self.shipping_rules:
			if row.reason_category in seen:
				frappe.throw(
					_("Row #{0}: the shipping rule for {1} is listed twice.").format(
						row.idx, frappe.bold(_(row.reason_category))
					),
					exc=InvalidWarrantyPolicyError,
					title=_("Invalid Warranty Policy"),
				)
			seen.add(row.reason_category)

	def validate_one_policy_per_scope(self):
		if not self.enabled:
			return
		scope_field = "item" if self.applies_to == "Item" else "item_group"
		other = frappe.db.get_value(
			"Warranty Policy",
			{
				"enabled": 1,
				"applies_to": self.applies_to,
				scope_field: self.get(scope_field),
				"name": ("!=", self.name),
			},
		)
		if other:
			frappe.throw(
				_("Warranty Policy {0} already applies to {1} {2}. Disable it or edit it instead.").format(
					frappe.bold(other), _(self.applies_to), frappe.bold(self.get(scope_field))
				),
				exc=InvalidWarrantyPolicyError,
				title=_("Duplicate Warranty Policy"),
			)

	def to_terms(self) -> PolicyTerms:
		return PolicyTerms(
			name=self.name or self.policy_name,
			return_days=cint(self.return_window_days),
			exchange_days=cint(self.exchange_window_days),
			repair_days=cint(self.repair_window_days),
			require_original_packaging=bool(self.require_original_packaging),
			require_no_man_made_damage=bool(self.require_no_man_made_damage),
			require_resellable_for_personal_reason=bool(self.require_resellable_for_personal_reason),
			shipping_rules={
				ReasonCategory(row.reason_category): ShippingPayer(row.shipping_payer)
				for row in self.shipping_rules
			},
			transit_days=int(self.transit_days or 0),
			require_intact_appearance=bool(self.require_intact_appearance),
			faults_count_from_purchase=bool(self.faults_count_from_purchase),
			time_limits={
				ReasonCategory(row.reason_category): TimeLimit(row.time_limit)
				for row in self.shipping_rules
				if row.time_limit
			},
		)

	def accessory_periods(self) -> tuple[AccessoryPeriod, ...]:
		return tuple(
			AccessoryPeriod(
				months=cint(row.warranty_months),
				item_code=row.item,
				item_group=row.item_group,
				not_covered=bool(row.not_covered),
			)
			for row in self.accessories
		)


@frappe.whitelist()
def get_warranty_decision(
	item_code: str | None = None,
	reason_category: str | None = None,
	customer: str | None = None,
	sales_invoice: str | None = None,
	request_date: str | None = None,
	delivery_date: str | None = None,
	original_packaging: bool | str = True,
	man_made_damage: bool | str = False,
	resellable: bool | str = True,
) -> dict:
	"""What the warranty policy allows for one item of a sale, for the forms to show.

	The sale is the given invoice, or else the customer's latest submitted invoice of the item;
	the window counts from its delivery, or from `delivery_date` when the caller knows it.
	"""
	frappe.has_permission("Warranty Policy", "read", throw=True)
	item_code = link_argument(item_code, "Item", _("Item"))
	frappe.has_permission("Item", "read", doc=item_code, throw=True)
	reason_category = choice_argument(
		reason_category, _("Reason Category"), [reason.value for reason in ReasonCategory]
	)
	customer = link_argument(customer, "Customer", _("Customer"), required=False)
	sales_invoice = link_argument(sales_invoice, "Sales Invoice", _("Sales Invoice"), required=False)
	request_date = date_argument(request_date, _("Request Date"))
	delivery_date = date_argument(delivery_date, _("Delivery Date"))
	original_packaging = flag_argument(original_packaging, _("Original Packaging"))
	man_made_damage = flag_argument(man_made_damage, _("Man-made Damage"))
	resellable = flag_argument(resellable, _("Resellable"))

	if not sales_invoice and customer:
		sales_invoice = get_latest_invoice_of_item(customer, item_code)
	invoiced_on = None
	if sales_invoice:
		invoice = frappe.get_doc("Sales Invoice", sales_invoice)
		invoice.check_permission("read")
		if customer and invoice.customer != customer:
			frappe.throw(
				_("Sales Invoice {0} belongs to {1}, not to {2}.").format(
					frappe.bold(sales_invoice), frappe.bold(invoice.customer), frappe.bold(customer)
				),
				title=_("Wrong Customer"),
			)
		delivered_on, invoiced_on = get_sale_dates(sales_invoice, item_code)
		delivery_date = delivery_date or delivered_on
	if not (delivery_date or invoiced_on):
		frappe.throw(
			_("Give a Sales Invoice or a delivery date so the warranty window can be counted."),
			title=_("Sale Not Found"),
		)

	decision, policy = decide_for_item(
		item_code,
		requested_on=getdate(request_date or nowdate()),
		reason=ReasonCategory(reason_category),
		delivered_on=delivery_date,
		invoiced_on=invoiced_on,
		original_packaging=sbool(original_packaging),
		man_made_damage=sbool(man_made_damage),
		resellable=sbool(resellable),
	)
	return {
		"policy": policy,
		"sales_invoice": sales_invoice,
		"eligible": decision.eligible,
		"remedies": [remedy.value for remedy in decision.remedies],
		"default_remedy": decision.default_remedy.value if decision.default_remedy else None,
		"shipping_payer": decision.shipping_payer.value,
		"days_elapsed": decision.days_elapsed,
		"rule": translate(decision.rule),
		"alternatives": [_(alternative) for alternative in decision.alternatives],
	}


def get_latest_invoice_of_item(customer: str, item_code: str) -> str | None:
	si, si_item = frappe.qb.DocType("Sales Invoice"), frappe.qb.DocType("Sales Invoice Item")
	rows = (
		frappe.qb.from_(si)
		.join(si_item)
		.on(si_item.parent == si.name)
		.select(si.name)
		.where(si.customer == customer)
		.where(si.docstatus == 1)
		.where(si.is_return == 0)
		.where(si_item.item_code == item_code)
		.orderby(si.posting_date, order=frappe.qb.desc)
		.orderby(si.creation, order=frappe.qb.desc)
		.limit(1)
	).run()
	return rows[0][0] if rows else None
