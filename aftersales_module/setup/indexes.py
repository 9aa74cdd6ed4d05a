"""Database indexes for what the app looks up, on ERPNext's tables and its own.

Added at install and after every migrate (a schema sync of ERPNext's doctypes may drop an index its
JSON does not declare), each only if missing; ERPNext's tables lose them again at uninstall.
"""

import frappe

# (doctype, columns, index name)
ERPNEXT_INDEXES = (
	# The over-return guard reads a line's credit notes with a locking read: without an index it scans
	# and locks every invoice line of the site.
	("Sales Invoice Item", ("sales_invoice_item",), "aftersales_sales_invoice_item"),
)


def install_indexes() -> None:
	for doctype, columns, index_name in ERPNEXT_INDEXES:
		frappe.db.add_index(doctype, list(columns), index_name)


def drop_indexes() -> None:
	for doctype, _columns, index_name in ERPNEXT_INDEXES:
		table = f"tab{doctype}"
		if frappe.db.has_index(table, index_name):
			frappe.db.sql_ddl(f"alter table `{table}` drop index `{index_name}`")
