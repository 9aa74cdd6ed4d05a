"""Data for the workspace queue browser test (browser_tests/test_workspace_queues.py), made by
browser_setup.prepare: one fresh case in each role's own queue on the Aftersales workspace — a return
in review, in quality inspection, awaiting sales approval, approved and waiting for the goods, received
and waiting for the refund, and a repair order of the technician — each moved there by the role users'
own workflow steps. The role users' default company is the test company (the workspace counts the
reader's company's cases) and the after-sales manager, who reads the KPI charts, gets a fresh password.
"""

import json

import frappe
from frappe.utils import add_days, nowdate
from frappe.utils.password import update_password

from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import open_order
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PRICE,
	act,
	approve_quality_return,
	open_request,
	receive_all,
	receive_payment,
)
from aftersales_module.tests.browser_setup import BROWSER_USERS, ITEM, REPAIR_POINT
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	default_warehouse,
	make_customer,
	make_item,
	make_sales_invoice,
	make_stock,
	stock_balance,
)
from aftersales_module.tests.role_users import ROLE_USERS, make_role_user

MANAGER = "as-manager@example.com"
SALES_APPROVER = "as-sales-approver@example.com"
# the browser user (browser_setup's key) → the number card of their own stage's queue
QUEUE_CARDS = {
	"customer_service": "Returns in Review",
	"inspector": "Returns in Inspection",
	"sales_approver": "Returns Awaiting Sales Approval",
	"warehouse": "Returns to Receive",
	"accounts": "Returns to Refund",
	"technician": "My Repair Orders",
}
QUEUE_USERS = {**BROWSER_USERS, "sales_approver": SALES_APPROVER}


def make_queue_cases() -> dict:
	frappe.set_user("Administrator")
	if not frappe.db.exists("Company", TEST_COMPANY):
		from aftersales_module.tests.setup import before_tests

		before_tests()
	for email in (*QUEUE_USERS.values(), MANAGER):
		make_role_user(email, *ROLE_USERS[email])
		frappe.defaults.set_user_default("company", TEST_COMPANY, email)
	password = frappe.generate_hash(length=16)
	update_password(MANAGER, password)

	make_customer()
	# The browser's own item: these cases stay on the site, and the integration tests count the stock
	# of their items in the returns warehouse.
	make_item(ITEM, item_group="Mobile Phones")
	if stock_balance(ITEM, default_warehouse()) < len(QUEUE_CARDS):
		make_stock(ITEM, qty=20, rate=200, posting_date=add_days(nowdate(), -30))
	cases = {
		"customer_service": act(open_request(sell()), "Submit"),
		"inspector": act(act(open_request(sell()), "Submit"), "Send to Quality Inspection"),
		"sales_approver": act(
			act(open_request(sell(), reason="Personal Reason (7-day No Reason)"), "Submit"),
			"Send to Sales Approval",
		),
		"warehouse": approve_quality_return(open_request(sell())),
		"accounts": receive_all(approve_quality_return(open_request(sell()))),
		"technician": open_order(repair_point(), technician=QUEUE_USERS["technician"]),
	}
	return {
		"manager": {"email": MANAGER, "password": password},
		"company": TEST_COMPANY,
		"cards": {step: card_of(card) for step, card in QUEUE_CARDS.items()},
		"cases": {step: case.name for step, case in cases.items()},
	}


def repair_point() -> str:
	"""The browser tests' repair point, with the technician among its members."""
	technician = QUEUE_USERS["technician"]
	name = frappe.db.get_value("Repair Point", {"repair_point_name": REPAIR_POINT})
	point = (
		frappe.get_doc("Repair Point", name)
		if name
		else frappe.get_doc(
			{"doctype": "Repair Point", "repair_point_name": REPAIR_POINT, "company": TEST_COMPANY}
		)
	)
	if technician not in {row.user for row in point.members}:
		point.append("members", {"user": technician})
	if name:
		point.save()
	else:
		point.insert()
	return point.name


def card_of(card: str) -> dict:
	"""The card's name and filters, which the browser test evaluates as the desk does for its user."""
	doc = frappe.get_doc("Number Card", card)
	return {
		"name": doc.name,
		"document_type": doc.document_type,
		"filters": json.loads(doc.filters_json or "[]"),
		"dynamic_filters": json.loads(doc.dynamic_filters_json or "[]"),
	}


def sell():
	"""One of the browser's item, sold and paid today."""
	invoice = make_sales_invoice([(ITEM, 1, PRICE)], posting_date=nowdate())
	receive_payment(invoice.name)
	return invoice
