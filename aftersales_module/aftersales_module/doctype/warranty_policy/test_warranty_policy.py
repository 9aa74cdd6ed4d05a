# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, add_months, getdate, nowdate

from aftersales_module.aftersales_module.doctype.warranty_policy.warranty_policy import (
	InvalidWarrantyPolicyError,
	get_warranty_decision,
)
from aftersales_module.setup.default_policies import PHONE_POLICY, PHONES, STANDARD_POLICY
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	make_customer,
	make_delivery_flow,
	make_item,
	make_sales_invoice,
	make_stock,
)
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = IGNORE_TEST_RECORDS

PHONE = "_Test Aftersales Phone"
BATTERY = "_Test Aftersales Battery"
GIFT = "_Test Aftersales Gift Case"
SHOE = "_Test Aftersales Shoe"


def make_policy(name: str, **fields):
	policy = frappe.get_doc(
		{
			"doctype": "Warranty Policy",
			"policy_name": name,
			"applies_to": "Item Group",
			"item_group": PHONES,
			"return_window_days": 7,
			"exchange_window_days": 15,
			"repair_window_days": 365,
			**fields,
		}
	)
	return policy


class TestWarrantyPolicy(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()
		make_item(PHONE, item_group="Mobile Phones")
		make_item(BATTERY, item_group="Phone Batteries")
		make_item(GIFT, item_group="Phone Gifts")
		make_item(SHOE, item_group="Products")
		# other tests sell the same battery as a phone part; here it is an accessory of its own group
		frappe.db.set_value("Item", BATTERY, "item_group", "Phone Batteries")
		for item in (PHONE, BATTERY, GIFT, SHOE):
			make_stock(item, qty=50, rate=100, posting_date=add_months(nowdate(), -8))

	def sell(self, item_code: str, days_ago: int, **kwargs):
		return make_sales_invoice(
			[(item_code, 1, 300)], posting_date=add_days(nowdate(), -days_ago), **kwargs
		)

	def decision(self, item_code: str, invoice, reason: str = "Quality Problem", **kwargs):
		return get_warranty_decision(
			item_code=item_code, reason_category=reason, sales_invoice=invoice.name, **kwargs
		)

	def test_default_phone_policy_is_installed_editable(self):
		policy = frappe.get_doc("Warranty Policy", PHONE_POLICY)
		self.assertEqual(
			(policy.return_window_days, policy.exchange_window_days, policy.repair_window_days), (7, 15, 365)
		)
		months = {row.item_group: (row.warranty_months, row.not_covered) for row in policy.accessories}
		self.assertEqual(months["Phone Batteries"], (6, 0))
		self.assertEqual(months["Wired Headsets"], (3, 0))
		self.assertEqual(months["Memory Cards"], (3, 0))
		self.assertEqual(months["Chargers"], (12, 0))
		self.assertEqual(months["Phone Gifts"][1], 1)
		self.assertTrue(frappe.db.exists("Warranty Policy", STANDARD_POLICY))

	def test_return_window_edge_on_a_real_invoice(self):
		day_7 = self.decision(PHONE, self.sell(PHONE, 7))
		day_8 = self.decision(PHONE, self.sell(PHONE, 8))

		self.assertEqual(day_7["policy"], PHONE_POLICY)
		self.assertEqual(day_7["remedies"], ["Return", "Exchange", "Repair"])
		self.assertEqual(day_7["shipping_payer"], "Split Half-Half")
		self.assertEqual(day_8["remedies"], ["Exchange", "Repair"])
		self.assertIn(PHONE_POLICY, day_8["rule"])

	def test_exchange_and_repair_window_edges(self):
		self.assertEqual(self.decision(PHONE, self.sell(PHONE, 15))["remedies"], ["Exchange", "Repair"])
		self.assertEqual(self.decision(PHONE, self.sell(PHONE, 16))["remedies"], ["Repair"])
		invoice = self.sell(PHONE, 0)
		self.assertEqual(
			self.decision(PHONE, invoice, request_date=add_days(invoice.posting_date, 365))["remedies"],
			["Repair"],
		)
		late = self.decision(PHONE, invoice, request_date=add_days(invoice.posting_date, 366))
		self.assertFalse(late["eligible"])
		self.assertTrue(late["alternatives"])

	def test_window_counts_from_the_delivery_note(self):
		_order, delivery_note, invoice = make_delivery_flow(
			[(PHONE, 1, 300)], posting_date=add_days(nowdate(), -10)
		)
		frappe.db.set_value("Sales Invoice", invoice.name, "posting_date", nowdate())

		decision = self.decision(PHONE, invoice)

		self.assertEqual(decision["days_elapsed"], 10)
		self.assertEqual(getdate(delivery_note.posting_date), getdate(add_days(nowdate(), -10)))

	def test_accessory_and_gift(self):
		invoice = self.sell(BATTERY, 30)
		self.assertEqual(self.decision(BATTERY, invoice)["remedies"], ["Exchange"])
		self.assertFalse(
			self.decision(BATTERY, invoice, request_date=add_days(add_months(invoice.posting_date, 6), 1))[
				"eligible"
			]
		)
		gift = self.decision(GIFT, self.sell(GIFT, 1))
		self.assertFalse(gift["eligible"])
		self.assertIn("gift", gift["rule"])

	def test_personal_reason_needs_resellable_goods(self):
		invoice = self.sell(PHONE, 3)
		allowed = self.decision(PHONE, invoice, reason="Personal Reason (7-day No Reason)")
		refused = self.decision(PHONE, invoice, reason="Personal Reason (7-day No Reason)", resellable=0)
		self.assertEqual(
			(allowed["remedies"], allowed["shipping_payer"]), (["Return", "Exchange"], "Customer")
		)
		self.assertFalse(refused["eligible"])

	def test_item_policy_beats_item_group_policy(self):
		make_policy(
			"_Test Item Policy",
			applies_to="Item",
			item=PHONE,
			item_group=None,
			return_window_days=10,
			exchange_window_days=20,
		).insert()
		decision = self.decision(PHONE, self.sell(PHONE, 9))
		self.assertEqual(decision["policy"], "_Test Item Policy")
		self.assertIn("Return", decision["remedies"])

	def test_items_outside_phones_fall_back_to_the_standard_policy(self):
		self.assertEqual(self.decision(SHOE, self.sell(SHOE, 2))["policy"], STANDARD_POLICY)

	def test_bad_policies_are_refused_with_a_clear_message(self):
		cases = {
			"negative window": dict(return_window_days=-1),
			"exchange longer than repair": dict(exchange_window_days=400),
			"accessory without item or group": dict(accessories=[{"warranty_months": 3}]),
			"duplicate accessory": dict(
				accessories=[
					{"item_group": "Chargers", "warranty_months": 12},
					{"item_group": "Chargers", "warranty_months": 6},
				]
			),
			"no item group": dict(item_group=None),
		}
		for case, fields in cases.items():
			with self.subTest(case):
				with self.assertRaises(InvalidWarrantyPolicyError) as raised:
					make_policy(f"_Test Bad {case}", **{"item_group": "Chargers", **fields}).insert()
				self.assertTrue(str(raised.exception), case)

	def test_second_enabled_policy_for_the_same_group_is_refused(self):
		self.assertRaises(InvalidWarrantyPolicyError, make_policy("_Test Duplicate").insert)

	def test_decision_needs_read_permission(self):
		invoice = self.sell(PHONE, 1)
		user = make_user("aftersales.nobody@example.com", roles=[])
		frappe.set_user(user)
		try:
			self.assertRaises(frappe.PermissionError, self.decision, PHONE, invoice)
		finally:
			frappe.set_user("Administrator")

	def test_invoice_of_another_customer_is_refused(self):
		invoice = self.sell(PHONE, 1)
		other = make_customer("_Test Aftersales Other Customer").name
		with self.assertRaises(frappe.ValidationError):
			get_warranty_decision(
				item_code=PHONE, reason_category="Quality Problem", customer=other, sales_invoice=invoice.name
			)


def make_user(email: str, roles: list[str]) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		)
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.roles = []
	user.add_roles(*roles)
	return email
