"""Data for the portal browser test (browser_tests/test_portal.py): two customers, each with a website
user holding a fresh password, and a fresh paid invoice of a stocked phone for the first. Called by
browser_setup.prepare, which commits and prints it under "portal". Safe to run again: each run only adds
a new invoice."""

import frappe
from frappe.utils import add_days, nowdate
from frappe.utils.password import update_password

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	receive_payment,
)
from aftersales_module.tests.factories import (
	default_warehouse,
	make_customer,
	make_item,
	make_sales_invoice,
	make_stock,
	stock_balance,
)
from aftersales_module.tests.portal_users import make_portal_user
from aftersales_module.tests.role_users import ROLE_USERS, make_role_user

# customer → their website user
PORTAL_CUSTOMERS = {
	"_Test Aftersales Portal Browser Customer": "portal-browser-one@example.com",
	"_Test Aftersales Portal Browser Other": "portal-browser-two@example.com",
}
# The sales approver approves the portal's refund; the other role users are browser_setup's.
SALES_APPROVER = "as-sales-approver@example.com"
ITEM = "_Test Aftersales Portal Phone"
PRICE = 400
COST = 150


def portal_data() -> dict:
	customers = []
	for customer, email in PORTAL_CUSTOMERS.items():
		make_customer(customer)
		make_portal_user(email, customer)
		password = frappe.generate_hash(length=16)
		update_password(email, password)
		customers.append({"customer": customer, "email": email, "password": password})

	make_role_user(SALES_APPROVER, *ROLE_USERS[SALES_APPROVER])
	approver_password = frappe.generate_hash(length=16)
	update_password(SALES_APPROVER, approver_password)

	make_item(ITEM, item_group="Mobile Phones")
	if stock_balance(ITEM, default_warehouse()) < 2:
		make_stock(ITEM, qty=20, rate=COST, posting_date=add_days(nowdate(), -30))
	invoice = make_sales_invoice(
		[(ITEM, 2, PRICE)], customer=customers[0]["customer"], posting_date=nowdate()
	)
	receive_payment(invoice.name)
	return {
		"customers": customers,
		"sales_approver": {"email": SALES_APPROVER, "password": approver_password},
		"invoice": invoice.name,
		"item": ITEM,
		"line": invoice.items[0].name,
	}
