"""After-sales warehouses and accounts of the companies that use after-sales, kept in Aftersales Settings.

A company uses after-sales once it has a row there: added by a manager, or by the first case that
needs its warehouses or accounts. Nothing is made for any other company. For an enabled company the
setup only fills what is missing, after every migrate and whenever the company is saved: a warehouse
or account the admin picked is kept, one that was deleted is made again once, and a second run
creates nothing.
"""

import frappe
from frappe import _

# (settings field, warehouse name, is group, parent settings field)
AFTERSALES_WAREHOUSES = (
	("aftersales_warehouse", "After-sales", 1, None),
	("return_warehouse", "After-sales Returns", 0, "aftersales_warehouse"),
	("consignment_repair_warehouse", "Consignment Repair", 0, "aftersales_warehouse"),
	("repair_virtual_warehouse", "Repair Virtual", 0, "aftersales_warehouse"),
	("spare_unit_warehouse", "Spare Units", 0, "aftersales_warehouse"),
	("scrap_warehouse", "Scrap", 0, "aftersales_warehouse"),
	("old_parts_warehouse", "Old Parts", 0, "aftersales_warehouse"),
	("repair_points_warehouse", "Repair Points", 1, "aftersales_warehouse"),
)

# (settings field, account name, root type, company account whose parent group the new account goes under)
AFTERSALES_ACCOUNTS = (
	("scrap_expense_account", "After-sales Scrap Loss", "Expense", "stock_adjustment_account"),
	("warranty_expense_account", "After-sales Warranty Cost", "Expense", "stock_adjustment_account"),
	("return_shipping_account", "After-sales Return Shipping", "Expense", "stock_adjustment_account"),
	("return_deduction_account", "After-sales Return Deductions", "Income", "default_income_account"),
	("freight_payable_account", "After-sales Freight Payable", "Liability", "default_payable_account"),
	("compensation_expense_account", "After-sales Compensation", "Expense", "stock_adjustment_account"),
	(
		"compensation_recovery_account",
		"After-sales Compensation Recovered",
		"Income",
		"default_income_account",
	),
	# Not a Receivable account, so an employee (a Payable party type) can be its party.
	("staff_deduction_account", "After-sales Staff Deductions", "Asset", "default_receivable_account"),
)


def on_company_update(doc, method=None) -> None:
	"""A company that uses after-sales gets what it still lacks, e.g. accounts its chart did not have yet."""
	if is_enabled(doc.name):
		enable_company(doc.name)


def on_company_trash(doc, method=None) -> None:
	"""The company's after-sales rows go before Frappe checks what still links to the company.

	ERPNext's own `on_trash` has already deleted the company's warehouses and accounts by then; if a
	case still links to the company, the deletion fails and its transaction is rolled back whole."""
	delete_company_rows(doc.name)
	for repair_point in frappe.get_all("Repair Point", {"company": doc.name}, pluck="name"):
		frappe.delete_doc("Repair Point", repair_point, ignore_permissions=True)


def delete_company_rows(company: str) -> None:
	if not is_enabled(company):
		return
	frappe.db.delete("Aftersales Company Settings", {"parenttype": "Aftersales Settings", "company": company})
	# A settings form opened before is then refused as outdated instead of saving the row back.
	frappe.db.set_single_value("Aftersales Settings", "modified", frappe.utils.now())
	frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")


def is_enabled(company: str) -> bool:
	return bool(
		frappe.db.exists(
			"Aftersales Company Settings", {"parenttype": "Aftersales Settings", "company": company}
		)
	)


def enable_company(company: str):
	"""Start after-sales for a company: its row in Aftersales Settings with the warehouses and accounts
	it still lacks. Enabling again creates nothing; a record the admin picked is kept."""
	# Two first cases of one company at once must not both create its warehouses.
	frappe.db.get_value("Company", company, "name", for_update=True)
	settings = frappe.get_single("Aftersales Settings")
	row = get_company_row(settings, company)
	before = row.as_dict(no_default_fields=True) if row else None
	row = row or settings.append("company_settings", {"company": company})
	fill_company_row(row)
	if row.as_dict(no_default_fields=True) != before:
		settings.flags.ignore_permissions = True
		settings.save()
	return get_company_row(settings, company)


def refresh_enabled_companies() -> None:
	"""After a migrate: rows of deleted companies go, enabled companies get what they lack."""
	companies = set(frappe.get_all("Company", pluck="name"))
	for company in frappe.get_all(
		"Aftersales Company Settings", {"parenttype": "Aftersales Settings"}, pluck="company"
	):
		if company in companies:
			enable_company(company)
		else:
			delete_company_rows(company)


def get_company_row(settings, company: str):
	return next((row for row in settings.company_settings if row.company == company), None)


def fill_company_row(row, keep_chosen: bool = False) -> None:
	"""The warehouses and accounts a row lacks, made or found for its company. With `keep_chosen`, a
	value already in the row stays even if it is unusable, for the settings' validation to refuse."""
	ensure_warehouses(row, row.company, keep_chosen)
	ensure_accounts(row, row.company, keep_chosen)


def ensure_warehouses(row, company: str, keep_chosen: bool = False) -> None:
	for fieldname, warehouse_name, is_group, parent_field in AFTERSALES_WAREHOUSES:
		if (keep_chosen and row.get(fieldname)) or warehouse_is_usable(row.get(fieldname), company, is_group):
			continue
		parent = row.get(parent_field) if parent_field else get_root_warehouse(company)
		row.set(fieldname, get_or_create_warehouse(company, _(warehouse_name), is_group, parent))


def warehouse_is_usable(warehouse: str | None, company: str, is_group: int) -> bool:
	if not warehouse:
		return False
	# A disabled warehouse is still the admin's choice; postings into it fail with ERPNext's own message.
	values = frappe.db.get_value("Warehouse", warehouse, ["company", "is_group"], as_dict=True)
	return bool(values and values.company == company and values.is_group == is_group)


def get_root_warehouse(company: str) -> str | None:
	return frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 1, "parent_warehouse": ("is", "not set")}, "name"
	)


def get_or_create_warehouse(company: str, warehouse_name: str, is_group: int, parent: str | None) -> str:
	identity = {"company": company, "warehouse_name": warehouse_name, "is_group": is_group}
	return get_or_create("Warehouse", identity, parent_warehouse=parent)


def ensure_accounts(row, company: str, keep_chosen: bool = False) -> None:
	sibling_fields = sorted({sibling for *_account, sibling in AFTERSALES_ACCOUNTS})
	company_doc = frappe.db.get_value("Company", company, [*sibling_fields, "cost_center"], as_dict=True)

	for fieldname, account_name, _root_type, sibling_field in AFTERSALES_ACCOUNTS:
		if (keep_chosen and row.get(fieldname)) or account_is_usable(row.get(fieldname), company):
			continue
		sibling = company_doc.get(sibling_field)
		parent_account = sibling and frappe.db.get_value("Account", sibling, "parent_account")
		if not parent_account:
			# The chart of accounts is not there yet (company still being set up); a later run fills this.
			row.set(fieldname, None)
			continue
		row.set(fieldname, get_or_create_account(company, _(account_name), parent_account))

	if keep_chosen and row.cost_center:
		return
	if not row.cost_center or frappe.db.get_value("Cost Center", row.cost_center, "company") != company:
		row.cost_center = (
			company_doc.cost_center
			if frappe.db.exists("Cost Center", company_doc.cost_center or "")
			else None
		)


def account_is_usable(account: str | None, company: str) -> bool:
	if not account:
		return False
	values = frappe.db.get_value("Account", account, ["company", "is_group"], as_dict=True)
	return bool(values and values.company == company and not values.is_group)


def get_or_create_account(company: str, account_name: str, parent_account: str) -> str:
	identity = {"company": company, "account_name": account_name, "is_group": 0}
	return get_or_create("Account", identity, parent_account=parent_account)


def get_or_create(doctype: str, identity: dict, **values) -> str:
	"""The record matching `identity`, or a new one made from it and `values`."""
	existing = frappe.db.get_value(doctype, identity, "name")
	if existing:
		return existing
	record = frappe.get_doc({"doctype": doctype, **identity, **values})
	record.flags.ignore_permissions = True
	record.insert()
	return record.name
