"""The real ERPNext records the measured cases work on: a company with after-sales enabled, a
customer, a stock item with stock, the role users, and paid sales made through the ORM."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from aftersales_module.tests.factories import (
	make_company,
	make_customer,
	make_item,
	make_sales_invoice,
	make_stock,
)
from aftersales_module.tests.role_users import make_role_users

COMPANY = "Benchmark Aftersales Co"
ABBR = "BAC"
CUSTOMER = "Benchmark Customer"
ITEM = "Benchmark Phone"
ITEM_GROUP = "Benchmark Goods"
PRICE = 500
COST = 200
STOCK_FLOOR = 500


def prepare_site() -> None:
	complete_setup()
	make_company(COMPANY, ABBR)
	make_customer(CUSTOMER)
	if not frappe.db.exists("Item Group", ITEM_GROUP):
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": ITEM_GROUP, "parent_item_group": "All Item Groups"}
		).insert(ignore_permissions=True)
	make_item(ITEM, item_group=ITEM_GROUP, valuation_rate=COST)
	make_role_users()
	top_up_stock()
	frappe.db.commit()  # nosemgrep: the benchmark's records outlive the run


def complete_setup() -> None:
	"""The setup wizard, done once, on a site that has no company yet."""
	if frappe.db.a_row_exists("Company"):
		return
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	year = getdate(nowdate()).year
	setup_complete(
		{
			"currency": "USD",
			"full_name": "Benchmark",
			"company_name": COMPANY,
			"timezone": "UTC",
			"company_abbr": ABBR,
			"industry": "Retail",
			"country": "United States",
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"language": "english",
			"company_tagline": "Benchmark",
			"email": "benchmark@example.com",
			"password": "benchmark",
			"chart_of_accounts": "Standard",
		}
	)


def top_up_stock() -> None:
	from aftersales_module.tests.factories import default_warehouse, stock_balance

	warehouse = default_warehouse(COMPANY)
	if stock_balance(ITEM, warehouse) < STOCK_FLOOR:
		make_stock(
			ITEM, qty=2 * STOCK_FLOOR, rate=COST, company=COMPANY, posting_date=add_days(nowdate(), -3)
		)


def paid_sale(qty: int = 2):
	"""A submitted invoice that delivered the goods from stock, and the customer's payment for it."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	invoice = make_sales_invoice([(ITEM, qty, PRICE)], customer=CUSTOMER, company=COMPANY, update_stock=1)
	payment = get_payment_entry("Sales Invoice", invoice.name)
	payment.reference_no = invoice.name
	payment.reference_date = nowdate()
	payment.insert(ignore_permissions=True)
	payment.submit()
	return invoice
