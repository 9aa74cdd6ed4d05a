"""Database indexes for what the app looks up, on ERPNext's tables and its own.

Single columns users filter by are declared in the doctype JSON (`search_index`). The indexes here
are those a JSON cannot declare: on ERPNext's tables, and over two columns (a filter and the list's
sort, so a page of a long list reads its 20 rows instead of sorting every match). Each is added at
install and after every migrate (a schema sync of ERPNext's doctypes may drop an index its JSON
does not declare; a table created fresh lacks the `creation` index a sort by it needs), only if
missing; ERPNext's tables lose theirs again at uninstall, the app's go with its tables.
"""

import frappe

# (doctype, columns, index name)
ERPNEXT_INDEXES = (
	# The over-return guard reads a line's credit notes with a locking read: without an index it scans
	# and locks every invoice line of the site.
	("Sales Invoice Item", ("sales_invoice_item",), "aftersales_sales_invoice_item"),
)

# The list's default sort, and each common filter followed by that sort; and what the workspace's
# cards and charts count (submitted cases by stage, status or month), read from the index alone.
APP_INDEXES = (
	("Return Request", ("creation",), "creation"),
	("Return Request", ("status", "creation"), "aftersales_status_creation"),
	("Return Request", ("stage", "creation"), "aftersales_stage_creation"),
	("Return Request", ("company", "creation"), "aftersales_company_creation"),
	("Return Request", ("customer", "creation"), "aftersales_customer_creation"),
	("Inquiry Ticket", ("status", "opened_on"), "aftersales_status_opened_on"),
	("Repair Order", ("creation",), "creation"),
	("Repair Order", ("status", "creation"), "aftersales_status_creation"),
	("Repair Order", ("repair_point", "creation"), "aftersales_repair_point_creation"),
	("Compensation Claim", ("status", "posting_date"), "aftersales_status_posting_date"),
	("Return Request", ("stage", "docstatus"), "aftersales_stage_docstatus"),
	("Return Request", ("request_date", "docstatus"), "aftersales_request_date_docstatus"),
	("Repair Order", ("status", "docstatus"), "aftersales_status_docstatus"),
	("Inquiry Ticket", ("sla_status", "status"), "aftersales_sla_status_status"),
	# The complaint rate counts a company's complaints received in a period.
	("Aftersales Complaint", ("company", "posting_date"), "aftersales_company_posting_date"),
	# The KPI reports read the steps due, rated or moved in a period (benchmarks/kpi.py).
	("Return Request", ("feedback_due",), "aftersales_feedback_due"),
	("Return Request", ("review_due",), "aftersales_review_due"),
	("Return Request", ("rated_on",), "aftersales_rated_on"),
	# the dispatch on-time rate reads the tested units due back in a period by the acceptance time
	("Return Request", ("test_report_accepted_on",), "aftersales_test_report_accepted_on"),
	("Inquiry Ticket", ("response_by",), "aftersales_response_by"),
	("Inquiry Ticket", ("result_by",), "aftersales_result_by"),
	("Repair Order", ("first_contact_due",), "aftersales_first_contact_due"),
	("Aftersales Stage Log", ("reference_doctype", "to_stage", "moved_on"), "aftersales_to_stage_moved_on"),
	# Slow Steps finds a company's requests sitting in a stage now, and when each entered it, from
	# these indexes alone
	("Return Request", ("company", "stage", "docstatus"), "aftersales_company_stage_docstatus"),
	(
		"Aftersales Stage Log",
		("reference_name", "reference_doctype", "to_stage", "moved_on"),
		"aftersales_case_to_stage_moved_on",
	),
	# The over-return guard reads what submitted requests hold on a delivery or order line not invoiced
	# with a locking read: by these, it locks their rows only, never a draft being submitted at once.
	("Return Request Item", ("dn_detail", "docstatus"), "aftersales_dn_detail_docstatus"),
	("Return Request Item", ("sales_order_item", "docstatus"), "aftersales_sales_order_item_docstatus"),
)


def install_indexes() -> None:
	for doctype, columns, index_name in ERPNEXT_INDEXES:
		frappe.db.add_index(doctype, list(columns), index_name)
	for doctype, columns, index_name in APP_INDEXES:
		# not frappe.db.add_index: outside install and migrate it would also set `search_index` on the
		# first column by a property setter, which `creation` is not a field to take
		table = f"tab{doctype}"
		if not frappe.db.has_index(table, index_name):
			column_list = ", ".join(f"`{column}`" for column in columns)
			frappe.db.sql_ddl(f"alter table `{table}` add index if not exists `{index_name}` ({column_list})")


def drop_indexes() -> None:
	for doctype, _columns, index_name in ERPNEXT_INDEXES:
		table = f"tab{doctype}"
		if frappe.db.has_index(table, index_name):
			frappe.db.sql_ddl(f"alter table `{table}` drop index `{index_name}`")
