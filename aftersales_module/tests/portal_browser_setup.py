"""Data for the portal browser test (browser_tests/test_portal.py): two customers, each with a website
user holding a fresh password (the first one's user is also the customer's Contact, so the cases are
mailed there), a fresh paid invoice of a stocked phone for the first, and a mail reader who reads the
Email Queue. The site gets a default outgoing e-mail account if it has none (mail is queued only where
one exists); the site's scheduler stays as it is, so on a test bench nothing is sent. Called by
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
from aftersales_module.tests.portal_users import make_contact_user, make_portal_user
from aftersales_module.tests.role_users import ROLE_USERS, make_role_user

# customer → their website user
PORTAL_CUSTOMERS = {
	"_Test Aftersales Portal Browser Customer": "portal-browser-one@example.com",
	"_Test Aftersales Portal Browser Other": "portal-browser-two@example.com",
}
# The sales approver approves the portal's refund; the other role users are browser_setup's.
SALES_APPROVER = "as-sales-approver@example.com"
# Reads the Email Queue for the test: System Manager is the role that may read it.
MAIL_READER = "as-portal-mail-reader@example.com"
OUTGOING_ACCOUNT = "_Test Aftersales Outgoing"
ITEM = "_Test Aftersales Portal Phone"
PRICE = 400
COST = 150


def portal_data() -> dict:
	customers = []
	for customer, email in PORTAL_CUSTOMERS.items():
		make_customer(customer)
		make_portal_user(email, customer)
		if not customers:
			make_contact_user(email, customer)
		password = frappe.generate_hash(length=16)
		update_password(email, password)
		customers.append({"customer": customer, "email": email, "password": password})

	make_role_user(SALES_APPROVER, *ROLE_USERS[SALES_APPROVER])
	approver_password = frappe.generate_hash(length=16)
	update_password(SALES_APPROVER, approver_password)

	make_role_user(MAIL_READER, "System Manager")
	reader_password = frappe.generate_hash(length=16)
	update_password(MAIL_READER, reader_password)
	make_outgoing_account()

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
		"mail_reader": {"email": MAIL_READER, "password": reader_password},
		"invoice": invoice.name,
		"item": ITEM,
		"line": invoice.items[0].name,
	}


def make_outgoing_account() -> None:
	# Frappe queues mail only through the default outgoing account (or the site config's mail server)
	if frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		return
	if frappe.conf.get("mail_server"):
		return
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": OUTGOING_ACCOUNT,
			"email_id": "aftersales-desk@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "smtp.example.com",
			"no_smtp_authentication": 1,
		}
	)
	account.flags.ignore_permissions = True
	account.insert()
