"""The records the hostile-input tests start from: a sale, a repair point with its people and parts,
and a disabled record of each kind a case links to. Administrator sets them up; the role users act.
Not a test module itself."""

from collections import Counter

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	CARRIER,
	ensure_role_users,
)
from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import (
	SCREEN,
	RepairTestCase,
	make_repair_point,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import PHONE, sell
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_POINT_MANAGER,
	REPAIR_TECHNICIAN,
	WAREHOUSE,
)
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_customer,
	make_item,
	make_stock,
	make_supplier,
)
from aftersales_module.tests.hostile import apply_to_doc, attempt, shown
from aftersales_module.tests.role_users import acting_as, make_role_user, user_of

DISABLED_NAME = "_Test Aftersales Hostile Disabled"
DISABLED_USER = "as-hostile-disabled@example.com"


def disabled_records(company: str = TEST_COMPANY) -> dict[str, str]:
	"""A disabled record of each doctype a case links to that can be disabled, by doctype."""
	item = make_item(f"{DISABLED_NAME} Item")
	customer = make_customer(f"{DISABLED_NAME} Customer")
	supplier = make_supplier(f"{DISABLED_NAME} Supplier")
	point = make_repair_point(f"{DISABLED_NAME} Point")
	user = make_role_user(DISABLED_USER, REPAIR_TECHNICIAN)
	for doc in (item, customer, supplier, point):
		frappe.db.set_value(doc.doctype, doc.name, "disabled", 1)
	frappe.db.set_value("Warehouse", point.warehouse, "disabled", 1)
	frappe.db.set_value("User", user, "enabled", 0)
	return {
		"Item": item.name,
		"Customer": customer.name,
		"Supplier": supplier.name,
		"Repair Point": point.name,
		"Warehouse": point.warehouse,
		"User": user,
	}


def editable(values: dict) -> dict:
	"""A document's values as a client sends them for a new one: no names or stamps."""
	drop = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "parent"}
	kept = {
		key: [{k: v for k, v in row.items() if k not in drop} for row in value]
		if isinstance(value, list)
		else value
		for key, value in values.items()
		if key not in drop
	}
	return {"doctype": values.get("doctype"), **kept}


class HostileTestCase(RepairTestCase):
	"""A paid sale of PHONE, the test's repair point with a manager and technician and parts in the
	central stores, the role users, and the disabled records."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_supplier(CARRIER)
		ensure_role_users()

	def setUp(self):
		super().setUp()
		make_customer()
		self.customer_service = user_of(CUSTOMER_SERVICE)
		self.technician = user_of(REPAIR_TECHNICIAN)
		self.point_manager = user_of(REPAIR_POINT_MANAGER)
		self.warehouse_user = user_of(WAREHOUSE)
		self.manager = user_of(AFTERSALES_MANAGER)
		self.point.manager = self.point_manager
		self.point.append("members", {"user": self.technician})
		self.point.save()
		make_stock(SCREEN, qty=20, rate=30)
		make_stock(SCREEN, qty=5, rate=30, warehouse=self.point_warehouse)
		self.invoice = sell(qty=2)
		self.disabled = disabled_records()
		self.tomorrow = add_days(nowdate(), 1)

	def tally(self, mode: str, done: bool):
		"""Count what became of the attempts; tearDown prints it, so a run shows how many got through."""
		self.outcomes = getattr(self, "outcomes", Counter())
		self.outcomes[f"{mode} {'saved' if done else 'refused'}"] += 1

	def tearDown(self):
		if getattr(self, "outcomes", None):
			print(f"\n{self._testMethodName}: {dict(sorted(self.outcomes.items()))}")
		super().tearDown()

	def try_insert(self, user: str, values: dict, changes) -> bool:
		what = f"insert {values['doctype']} as {user} with {shown(changes)}"

		def insert():
			with acting_as(user):
				doc = frappe.get_doc(values)
				apply_to_doc(doc, changes, self.disabled)
				doc.insert()

		return attempt(self, what, insert)

	def try_save(self, user: str, doctype: str, name: str, changes, submit: bool = False) -> bool:
		what = f"{'submit' if submit else 'save'} {doctype} {name} as {user} with {shown(changes)}"

		def save():
			with acting_as(user):
				doc = frappe.get_doc(doctype, name)
				apply_to_doc(doc, changes, self.disabled)
				doc.submit() if submit else doc.save()

		return attempt(self, what, save, watched=(doctype, name))

	def try_call(self, user: str, what: str, method, *args, **kwargs) -> bool:
		def call():
			with acting_as(user):
				method(*args, **kwargs)

		return attempt(self, f"{what} as {user} with {shown((args, kwargs))}", call)
