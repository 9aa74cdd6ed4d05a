"""Data for the desk browser test (browser_tests/ at the repository root).

`bench --site SITE execute aftersales_module.tests.browser_setup.prepare` gives the four role users
of a quality return a fresh password, makes sure the test company, a customer and a stocked item
exist, sells the item on a fresh paid Sales Invoice (update_stock=1), commits, and prints one JSON
line with what the browser test needs. Safe to run again: each run only adds a new invoice.
"""

import json
import time

import frappe
from frappe.utils import add_days, nowdate
from frappe.utils.password import update_password

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	receive_payment,
)
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	default_warehouse,
	make_customer,
	make_item,
	make_sales_invoice,
	make_stock,
	stock_balance,
)
from aftersales_module.tests.portal_browser_setup import portal_data
from aftersales_module.tests.role_users import ROLE_USERS, make_role_user

CUSTOMER = "_Test Aftersales Browser Customer"
ITEM = "_Test Aftersales Browser Phone"
PRICE = 500
COST = 200
ATTEMPTS = 5  # of preparing the data, when another process's locks get in the way
# lines of the invoices whose returns are worked in the grid (browser_tests/test_stage_grid.py)
GRID_LINES = 20
# the languages of the language walk (browser_tests/test_language.py), each returning its own invoice
LANGUAGES = ("en", "zh", "zh-TW")

# a repair point whose technician finds a repair order still being opened (browser_tests/test_stage_grid.py)
REPAIR_POINT = "_Test Aftersales Browser Point"

# the step each user takes in the browser → that user
BROWSER_USERS = {
	"customer_service": "as-customer-service@example.com",
	"inspector": "as-inspector@example.com",
	"warehouse": "as-warehouse@example.com",
	"accounts": "as-accounts@example.com",
	"technician": "as-technician@example.com",
}


def prepare() -> None:
	# Other runs may hold locks on the same site (a `bench run-tests` in its transaction): retry.
	for attempt in range(ATTEMPTS):
		try:
			data = make_browser_data()
			frappe.db.commit()  # nosemgrep: the browser test reads these over HTTP
			break
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			frappe.db.rollback()
			if attempt == ATTEMPTS - 1:
				raise
			time.sleep(1 + attempt)
	# printed, not returned: `bench execute` would print a returned value a second time
	print(json.dumps(data))


def make_browser_data() -> dict:
	frappe.set_user("Administrator")
	if not frappe.db.exists("Company", TEST_COMPANY):
		from aftersales_module.tests.setup import before_tests

		before_tests()

	users = {}
	for step, email in BROWSER_USERS.items():
		make_role_user(email, *ROLE_USERS[email])
		password = frappe.generate_hash(length=16)
		update_password(email, password)
		users[step] = {"email": email, "password": password}

	make_customer(CUSTOMER)
	make_item(ITEM, item_group="Mobile Phones")
	needed = 1 + 2 * GRID_LINES + len(LANGUAGES)
	if stock_balance(ITEM, default_warehouse()) < needed:
		make_stock(ITEM, qty=needed + 20, rate=COST, posting_date=add_days(nowdate(), -30))
	invoice = make_sales_invoice([(ITEM, 1, PRICE)], customer=CUSTOMER, posting_date=nowdate())
	receive_payment(invoice.name)
	grid_invoices = [
		make_sales_invoice([(ITEM, 1, PRICE)] * GRID_LINES, customer=CUSTOMER, posting_date=nowdate())
		for _case in ("quality", "personal")
	]
	for grid_invoice in grid_invoices:
		receive_payment(grid_invoice.name)
	draft_order = make_draft_repair_order(BROWSER_USERS["technician"])
	portal = portal_data()
	# the portal's walk gives the sales approver their password; the desk's walk signs in with it too
	users["sales_approver"] = portal["sales_approver"]
	language_invoices = {
		language: make_sales_invoice([(ITEM, 1, PRICE)], customer=CUSTOMER, posting_date=nowdate())
		for language in LANGUAGES
	}
	for language_invoice in language_invoices.values():
		receive_payment(language_invoice.name)
	# one case in each role's own queue on the workspace (browser_tests/test_workspace_queues.py)
	from aftersales_module.tests.browser_queue_setup import make_queue_cases

	queues = make_queue_cases()
	return {
		"users": users,
		"company": TEST_COMPANY,
		"customer": CUSTOMER,
		"customer_name": frappe.db.get_value("Customer", CUSTOMER, "customer_name"),
		"invoice": invoice.name,
		"grid_invoices": {"quality": grid_invoices[0].name, "personal": grid_invoices[1].name},
		"draft_repair_order": draft_order,
		"language_invoices": {language: invoice.name for language, invoice in language_invoices.items()},
		"item": ITEM,
		"qty": 1,
		"portal": portal,
		"queues": queues,
	}


def make_draft_repair_order(technician: str) -> str:
	"""A repair order at the technician's repair point that customer service has not opened yet."""
	point = frappe.db.get_value("Repair Point", {"repair_point_name": REPAIR_POINT}) or (
		frappe.get_doc(
			{
				"doctype": "Repair Point",
				"repair_point_name": REPAIR_POINT,
				"company": TEST_COMPANY,
				"members": [{"user": technician}],
			}
		)
		.insert()
		.name
	)
	order = frappe.get_doc(
		{
			"doctype": "Repair Order",
			"company": TEST_COMPANY,
			"repair_point": point,
			"source": "Walk-in",
			"customer": CUSTOMER,
			"item_code": ITEM,
			"fault_description": "Screen stays black",
		}
	).insert()
	return order.name
