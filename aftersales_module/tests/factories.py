"""Small factories for integration tests: real, submitted ERPNext documents on the test company.

Each takes the values that matter to a test and fills the rest from the company's defaults.
`do_not_save` / `do_not_submit` return the document unsaved or as a draft.
"""

import frappe
from frappe.utils import flt, nowdate

from aftersales_module.setup.company import enable_company

TEST_COMPANY = "_Test Aftersales Company"
TEST_COMPANY_ABBR = "_TAC"
TEST_CUSTOMER = "_Test Aftersales Customer"
TEST_SUPPLIER = "_Test Aftersales Supplier"

# Link doctypes whose ERPNext `test_records.json` graph must not be built on our site.
# Test modules set `test_ignore = IGNORE_TEST_RECORDS`; our own factories make what a test needs.
IGNORE_TEST_RECORDS = [
	"Account",
	"Company",
	"Cost Center",
	"Customer",
	"Delivery Note",
	"Item",
	"Item Group",
	"Sales Invoice",
	"Sales Invoice Item",
	# A case's POS return links a POS Invoice; ERPNext's POS test records need the payments app.
	"POS Invoice",
	"Sales Order",
	"Serial No",
	"Batch",
	"Warehouse",
	"Contact",
	"User",
	"DocType",
	"Quality Inspection",
	"Stock Entry",
	"Payment Entry",
	"Journal Entry",
]


def make_company(
	name: str = TEST_COMPANY, abbr: str = TEST_COMPANY_ABBR, currency: str = "USD", aftersales: bool = True
):
	"""A company with perpetual inventory; `aftersales` also starts after-sales for it (its warehouses
	and accounts), as a manager would in Aftersales Settings."""
	if frappe.db.exists("Company", name):
		company = frappe.get_doc("Company", name)
	else:
		company = frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": abbr,
				"default_currency": currency,
				"country": "United States",
				"chart_of_accounts": "Standard",
				"create_chart_of_accounts_based_on": "Standard Template",
				"enable_perpetual_inventory": 1,
			}
		)
		company.insert(ignore_permissions=True)
	if aftersales:
		enable_company(company.name)
	return company


def company_value(fieldname: str, company: str = TEST_COMPANY):
	return frappe.get_cached_value("Company", company, fieldname)


def default_warehouse(company: str = TEST_COMPANY) -> str:
	return frappe.db.get_value(
		"Warehouse", {"company": company, "warehouse_name": "Stores", "is_group": 0}, "name"
	)


def make_item(
	item_code: str,
	item_group: str = "Mobile Phones",
	is_stock_item: int = 1,
	has_serial_no: int = 0,
	valuation_rate: float = 100,
	**fields,
):
	if frappe.db.exists("Item", item_code):
		return frappe.get_doc("Item", item_code)
	item = frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": item_code,
			"item_name": item_code,
			"item_group": item_group,
			"stock_uom": "Nos",
			"is_stock_item": is_stock_item,
			"has_serial_no": has_serial_no,
			"serial_no_series": f"{item_code}-.#####" if has_serial_no else None,
			"valuation_rate": valuation_rate,
			**fields,
		}
	)
	item.insert(ignore_permissions=True)
	return item


def make_serial_item(item_code: str, **fields):
	return make_item(item_code, has_serial_no=1, **fields)


def make_customer(name: str = TEST_CUSTOMER):
	if frappe.db.exists("Customer", name):
		return frappe.get_doc("Customer", name)
	customer = frappe.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Individual"})
	customer.insert(ignore_permissions=True)
	return customer


def make_stock(
	item_code: str,
	qty: float,
	rate: float,
	warehouse: str | None = None,
	company: str = TEST_COMPANY,
	posting_date=None,
	serial_nos: list[str] | None = None,
	batch_no: str | None = None,
):
	"""A submitted Material Receipt; returns the Stock Entry. A `batch_no` is made if missing."""
	if batch_no and not frappe.db.exists("Batch", batch_no):
		frappe.get_doc({"doctype": "Batch", "batch_id": batch_no, "item": item_code}).insert(
			ignore_permissions=True
		)
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"posting_date": posting_date or nowdate(),
			"set_posting_time": 1,
			"items": [
				{
					"item_code": item_code,
					"qty": qty,
					"basic_rate": rate,
					"t_warehouse": warehouse or default_warehouse(company),
					"conversion_factor": 1,
					"serial_no": "\n".join(serial_nos) if serial_nos else None,
					"batch_no": batch_no,
					"use_serial_batch_fields": 1 if (serial_nos or batch_no) else 0,
				}
			],
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	return entry


def _item_rows(items, warehouse: str | None, company: str):
	"""items: [(item_code, qty, rate)] or dicts with extra fields."""
	rows = []
	for item in items:
		row = (
			dict(item)
			if isinstance(item, dict)
			else dict(zip(("item_code", "qty", "rate"), item, strict=True))
		)
		row.setdefault("warehouse", warehouse or default_warehouse(company))
		row.setdefault("uom", "Nos")
		row.setdefault("conversion_factor", 1)
		rows.append(row)
	return rows


def make_sales_invoice(
	items,
	customer: str = TEST_CUSTOMER,
	company: str = TEST_COMPANY,
	update_stock: int = 1,
	posting_date=None,
	warehouse: str | None = None,
	do_not_save: bool = False,
	do_not_submit: bool = False,
):
	"""A Sales Invoice that, with update_stock, also delivers the goods from stock."""
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company,
			"customer": customer,
			"posting_date": posting_date or nowdate(),
			"set_posting_time": 1,
			"due_date": posting_date or nowdate(),
			"update_stock": update_stock,
			"currency": company_value("default_currency", company),
			"debit_to": company_value("default_receivable_account", company),
			"cost_center": company_value("cost_center", company),
			"items": [
				{
					**row,
					"income_account": company_value("default_income_account", company),
					"cost_center": company_value("cost_center", company),
				}
				for row in _item_rows(items, warehouse, company)
			],
		}
	)
	if do_not_save:
		return invoice
	invoice.insert(ignore_permissions=True)
	if not do_not_submit:
		invoice.submit()
	return invoice


def make_sales_order(
	items,
	customer: str = TEST_CUSTOMER,
	company: str = TEST_COMPANY,
	transaction_date=None,
	do_not_submit: bool = False,
):
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": company,
			"customer": customer,
			"transaction_date": transaction_date or nowdate(),
			"delivery_date": transaction_date or nowdate(),
			"currency": company_value("default_currency", company),
			"items": _item_rows(items, None, company),
		}
	)
	order.insert(ignore_permissions=True)
	if not do_not_submit:
		order.submit()
	return order


def make_delivery_flow(items, customer: str = TEST_CUSTOMER, company: str = TEST_COMPANY, posting_date=None):
	"""Sales Order → Delivery Note (stock out) → Sales Invoice (billing), all submitted, as ERPNext maps them."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice as make_invoice_from_dn

	order = make_sales_order(items, customer=customer, company=company, transaction_date=posting_date)
	delivery_note = make_delivery_note(order.name)
	delivery_note.posting_date = posting_date or nowdate()
	delivery_note.set_posting_time = 1
	delivery_note.insert(ignore_permissions=True)
	delivery_note.submit()

	invoice = make_invoice_from_dn(delivery_note.name)
	invoice.posting_date = posting_date or nowdate()
	invoice.set_posting_time = 1
	invoice.due_date = invoice.posting_date
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return order, delivery_note, invoice


def stock_balance(item_code: str, warehouse: str) -> float:
	return flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"))


def make_supplier(name: str = TEST_SUPPLIER):
	if frappe.db.exists("Supplier", name):
		return frappe.get_doc("Supplier", name)
	supplier = frappe.get_doc({"doctype": "Supplier", "supplier_name": name})
	supplier.insert(ignore_permissions=True)
	return supplier


def make_purchase_order(items, schedule_date, supplier: str = TEST_SUPPLIER, company: str = TEST_COMPANY):
	"""A submitted Purchase Order; items: [(item_code, qty, rate)]."""
	make_supplier(supplier)
	order = frappe.get_doc(
		{
			"doctype": "Purchase Order",
			"company": company,
			"supplier": supplier,
			"transaction_date": nowdate(),
			"schedule_date": schedule_date,
			"items": [
				{**row, "schedule_date": schedule_date}
				for row in _item_rows(items, default_warehouse(company), company)
			],
		}
	)
	order.insert(ignore_permissions=True)
	order.submit()
	return order
