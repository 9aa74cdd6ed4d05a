# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""What the return request tests share: a sale to return, the case opened and walked by the user
whose job each step is, and what the case posted read back from the ledgers. Not a test module
itself: the tests import from here."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, flt, nowdate

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.case_stages import stage_of
from aftersales_module.core.mail_in import is_mail_in
from aftersales_module.setup.custom_fields import ALL_POSTED_DOCTYPES, POSTING_KEY, RETURN_REQUEST_LINK
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.setup.workflow import RETURN_REQUEST_STEP_INPUTS
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	company_value,
	default_warehouse,
	make_customer,
	make_item,
	make_sales_invoice,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import AftersalesTestCase

PHONE = "_Test Aftersales Flow Phone"
SERIAL_PHONE = "_Test Aftersales Serial Phone"
CARRIER = "_Test Aftersales Return Carrier"
IMEIS = ["_TAC-IMEI-0001", "_TAC-IMEI-0002", "_TAC-IMEI-0003"]
EXCHANGE_IMEI = "_TAC-IMEI-0100"
OTHER_PHONE = "_Test Aftersales Other Phone"
COST = 200
PRICE = 500
POSTED_DOCTYPES = ("Sales Invoice", "Delivery Note", "Payment Entry", "Journal Entry", "Stock Entry")


def sell(qty=2, update_stock=1, paid=True):
	invoice = make_sales_invoice([(PHONE, qty, PRICE)], update_stock=update_stock, posting_date=nowdate())
	if paid:
		receive_payment(invoice.name)
	return invoice


def receive_payment(sales_invoice: str):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", sales_invoice)
	payment.reference_no = sales_invoice
	payment.reference_date = nowdate()
	payment.insert(ignore_permissions=True)
	payment.submit()
	return payment


def open_request(invoice, reason="Quality Problem", request_type="Return and Refund", **fields):
	"""Customer service opens the case from the invoice with Get Items."""
	with acting_as(CUSTOMER_SERVICE):
		request = frappe.get_doc(
			{
				"doctype": "Return Request",
				"company": invoice.company,
				"customer": invoice.customer,
				"request_type": request_type,
				"reason_category": reason,
				"sales_invoice": invoice.name,
				"original_packaging": 1,
				"resellable": 1,
				**fields,
			}
		)
		request.get_items()
		request.insert()
	return request


def transition_role(request, action: str) -> str:
	"""The role the workflow gives this action in the case's present state."""
	workflow = frappe.get_doc("Workflow", {"document_type": "Return Request", "is_active": 1})
	request.reload()
	for transition in workflow.transitions:
		if transition.state == request.status and transition.action == action:
			return transition.allowed
	raise AssertionError(f"no {action} from {request.status}")


def act(request, action: str):
	"""The workflow action, taken by the user whose job it is."""
	with acting_as(transition_role(request, action)):
		return apply_workflow(request.as_dict(), action)


def step_role(request, fields) -> str:
	"""The role that fills these fields in at the case's present stage."""
	stage = stage_of(request)
	for step in RETURN_REQUEST_STEP_INPUTS:
		if stage in step.stages and set(fields) <= step.fields | step.item_fields:
			return sorted(step.roles)[0]
	raise AssertionError(f"nobody fills {fields} in at {stage}")


def save_as(request, role: str | None = None, **values):
	"""Reload the case as the role's user, set the values and save."""
	request.reload()
	with acting_as(role or step_role(request, values)):
		request.reload()
		request.update(values)
		request.save()
	return request


def edit_lines(request, role: str | None = None, **values):
	request.reload()
	with acting_as(role or step_role(request, values)):
		request.reload()
		for row in request.items:
			row.update(values)
		request.save()
	return request


def as_role(role: str, method, *args, **kwargs):
	"""A case step called as the user whose job it is."""
	with acting_as(role):
		return method(*args, **kwargs)


def cancel_as_manager(request):
	with acting_as(AFTERSALES_MANAGER):
		request.reload()
		request.cancel()


def approve_quality_return(request):
	request = act(request, "Submit")
	request = act(request, "Send to Quality Inspection")
	if is_mail_in(request.reason_category, request.request_type):
		receive_for_testing(request)
	edit_lines(request, inspection_result="Defect Found", inspection_notes="Screen flickers")
	return act(request, "Approve")


def receive_for_testing(request, received_serials=None):
	"""The warehouse receives a quality fault's unit before it is tested (seed 003)."""
	with acting_as(WAREHOUSE):
		request.reload()
		request.receive_for_testing(received_serials)
	request.reload()
	return request


def receive_all(request, condition="Good"):
	with acting_as(WAREHOUSE):
		request.reload()
		for row in request.items:
			row.received_qty = row.qty
			row.received_condition = condition
		request.save()
	return act(request, "Receive Goods")


def restock_all(request, warehouse: str):
	edit_lines(request, disposition="Restock", restock_warehouse=warehouse)
	as_role(WAREHOUSE, request.apply_dispositions)


def postings(request, purpose=None, doctype=None) -> list[str]:
	"""What the case posted, as the documents' own back-links and posting keys say, oldest first."""
	request.reload()
	found = []
	for each in ALL_POSTED_DOCTYPES if doctype is None else (doctype,):
		if not frappe.get_meta(each).has_field(RETURN_REQUEST_LINK):
			continue
		filters = {RETURN_REQUEST_LINK: request.name}
		if purpose:
			filters[POSTING_KEY] = ("like", f"{purpose}:%")
		found += frappe.get_all(each, filters=filters, fields=["name", "creation"])
	return [row.name for row in sorted(found, key=lambda row: row.creation)]


def gl_balance(voucher_nos) -> dict[str, float]:
	"""Debit less credit per account over the vouchers, cancelled entries included."""
	rows = frappe.db.sql(
		"""select account, sum(debit - credit) from `tabGL Entry` where voucher_no in %s group by account""",
		[tuple(voucher_nos)],
	)
	return {account: flt(balance, 2) for account, balance in rows if flt(balance, 2)}


def stock_moves(voucher_no) -> list[tuple]:
	return frappe.db.sql(
		"""select warehouse, actual_qty, stock_value_difference from `tabStock Ledger Entry`
		where voucher_no = %s and is_cancelled = 0 order by creation""",
		voucher_no,
	)


def back_linked(request_name: str) -> set[tuple[str, str]]:
	return {
		(doctype, name)
		for doctype in POSTED_DOCTYPES
		for name in frappe.get_all(
			doctype, filters={"aftersales_return_request": request_name, "docstatus": 1}, pluck="name"
		)
	}


def account(name: str) -> str:
	return f"{name} - {company_value('abbr')}"


class ReturnFlowTestCase(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()
		make_item(PHONE, item_group="Mobile Phones")
		make_stock(PHONE, qty=100, rate=COST, posting_date=add_days(nowdate(), -30))

	def setUp(self):
		super().setUp()
		self.settings = get_company_settings(TEST_COMPANY)
		self.stores = default_warehouse()
		self.receivable = company_value("default_receivable_account")
		self.income = company_value("default_income_account")
		self.cogs = company_value("default_expense_account")
		self.stock_account = frappe.db.get_value("Warehouse", self.stores, "account") or company_value(
			"default_inventory_account"
		)

	def assert_all_cancelled(self, voucher_nos):
		for doctype, name in voucher_nos:
			self.assertEqual(frappe.db.get_value(doctype, name, "docstatus"), 2, f"{doctype} {name}")


def make_item_price(item_code: str, rate: float, price_list: str = "Standard Selling"):
	if not frappe.db.exists("Item Price", {"item_code": item_code, "price_list": price_list}):
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": item_code,
				"price_list": price_list,
				"price_list_rate": rate,
			}
		).insert(ignore_permissions=True)


def make_user(email: str, role: str) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": role,
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		)
		user.insert(ignore_permissions=True)
		user.add_roles(role)
	return email
