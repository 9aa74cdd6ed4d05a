from aftersales_module.core import schema

app_name = "aftersales_module"
app_title = "Aftersales Module"
app_publisher = "Aftersales Module Developers"
app_description = "After-sales for ERPNext 15: returns, exchanges, repairs, inquiries and compensation claims"
app_email = "aftersales@example.com"
app_license = "mit"

# "org/repo" rather than the bare "erpnext": Frappe resolves a bare name by asking GitHub,
# which fails on benches without internet access even when ERPNext is installed.
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Fixtures
# --------
# Records that must stay exactly as shipped, re-imported on every migrate: the back-link and stage
# custom fields on ERPNext doctypes and the stock entry types. What admins may change is created once
# in setup/install.py instead.
fixtures = [
	{"dt": "Custom Field", "filters": [["name", "in", schema.CUSTOM_FIELD_NAMES]]},
	{"dt": "Stock Entry Type", "filters": [["name", "in", list(schema.STOCK_ENTRY_TYPES)]]},
]

# Installation
# ------------
after_install = "aftersales_module.setup.install.after_install"
after_migrate = "aftersales_module.setup.install.after_migrate"
before_uninstall = "aftersales_module.setup.install.before_uninstall"
after_uninstall = "aftersales_module.setup.install.after_uninstall"
setup_wizard_complete = "aftersales_module.setup.install.after_setup_wizard"

# Desk
# ----
doctype_js = {"Serial No": "public/js/serial_no.js", "Return Request": "public/js/return_request_reopen.js"}
# The case forms and lists share what each stage shows its user (controllers/stage_forms.py).
CASE_DOCTYPES = (
	"Return Request",
	"Repair Order",
	"Spare Part Transfer Request",
	"Compensation Claim",
	"Inquiry Ticket",
)
for _doctype in CASE_DOCTYPES:  # after any form script of the doctype's own listed above
	doctype_js[_doctype] = [*filter(None, [doctype_js.get(_doctype)]), "public/js/case_form.js"]
	# the activity log's values in the reader's language
	doctype_js[_doctype].append("public/js/case_timeline.js")
# the cases moved on by their status lock their fields per status (controllers/status_inputs.py)
for _doctype in ("Spare Part Transfer Request", "Compensation Claim", "Inquiry Ticket"):
	doctype_js[_doctype].append("public/js/stage_fields.js")
doctype_list_js = {doctype: "public/js/case_list.js" for doctype in CASE_DOCTYPES}

# Customer portal
# ---------------
# A customer's portal users follow and file their cases at /aftersales (controllers/portal.py).
standard_portal_menu_items = [
	{
		"title": "My Returns",
		"route": "/aftersales",
		"reference_doctype": "Return Request",
		"role": "Customer",
	},
]
website_route_rules = [{"from_route": "/aftersales/<kind>/<path:name>", "to_route": "aftersales/case"}]

# Testing
# -------
before_tests = "aftersales_module.tests.setup.before_tests"

# ERPNext's Delete Company Transactions keeps a company's masters; repair points are masters too.
company_data_to_be_ignored = ["Repair Point"]

# The closing message can carry the customer's rating link: {{ rating_link(doc.name) }}.
# The shipped-unit message reads the shipment's carrier and tracking: {{ aftersales_shipment(doc.name) }}.
jinja = {
	"methods": [
		"aftersales_module.controllers.satisfaction.rating_link",
		"aftersales_module.controllers.notifications.aftersales_shipment",
	]
}

# Document Events
# ---------------
GUARD_POSTED_DOCUMENT = "aftersales_module.controllers.postings.guard_posted_document"
REFUSE_FORGED_BACK_LINK = "aftersales_module.controllers.postings.refuse_forged_back_link"
KEEP_CLAIM_RECORDS = "aftersales_module.controllers.claim_postings.keep_claim_records"

LOG_STAGE_MOVE = "aftersales_module.controllers.stage_log.log_stage_move"

doc_events = {
	# a workflow move is logged as the state's own name, read in each reader's language
	"Comment": {"before_insert": "aftersales_module.controllers.reader_language.workflow_comment_in_english"},
	"Company": {
		"on_update": "aftersales_module.setup.company.on_company_update",
		"on_trash": "aftersales_module.setup.company.on_company_trash",
	},
	"Sales Invoice": {
		"validate": [
			"aftersales_module.controllers.sales_history.start_without_holds",
			"aftersales_module.controllers.sales_history.validate_manual_return",
			REFUSE_FORGED_BACK_LINK,
		],
		"before_submit": "aftersales_module.controllers.sales_history.lock_manual_return",
		"before_update_after_submit": "aftersales_module.controllers.sales_history.keep_requested_qty",
		"before_cancel": GUARD_POSTED_DOCUMENT,
		"on_trash": KEEP_CLAIM_RECORDS,
	},
	**{
		doctype: {"validate": REFUSE_FORGED_BACK_LINK, "before_cancel": GUARD_POSTED_DOCUMENT}
		for doctype in ("Payment Entry", "Quality Inspection")
	},
	"Delivery Note": {
		"validate": [
			REFUSE_FORGED_BACK_LINK,
			"aftersales_module.controllers.sales_history.validate_manual_delivery_return",
			"aftersales_module.controllers.uninvoiced_sales.validate_manual_delivery_return",
		],
		"before_submit": [
			"aftersales_module.controllers.sales_history.lock_manual_delivery_return",
			"aftersales_module.controllers.uninvoiced_sales.lock_manual_delivery_return",
		],
		"before_cancel": GUARD_POSTED_DOCUMENT,
	},
	# A return at the till is checked against holds on the consolidated invoice line, as a credit note is.
	"POS Invoice": {
		"validate": [
			"aftersales_module.controllers.sales_history.validate_manual_pos_return",
			REFUSE_FORGED_BACK_LINK,
		],
		"before_submit": "aftersales_module.controllers.sales_history.lock_manual_pos_return",
		"before_cancel": GUARD_POSTED_DOCUMENT,
	},
	# Every move of a case into a stage is logged, with who moved it and when.
	**{
		doctype: {
			event: LOG_STAGE_MOVE
			for event in ("on_update", "on_submit", "on_update_after_submit", "on_cancel")
		}
		| {"on_trash": "aftersales_module.controllers.stage_log.delete_stage_log"}
		for doctype in (
			"Return Request",
			"Repair Order",
			"Spare Part Transfer Request",
			"Compensation Claim",
			"Inquiry Ticket",
			"Aftersales Complaint",
		)
	},
	# Documents a compensation claim posts are also kept as long as its records are.
	**{
		doctype: {
			"validate": REFUSE_FORGED_BACK_LINK,
			"before_cancel": GUARD_POSTED_DOCUMENT,
			"on_trash": KEEP_CLAIM_RECORDS,
		}
		for doctype in ("Stock Entry", "Journal Entry", "Purchase Invoice")
	},
}

# A return request's answer and review deadlines start when it is submitted.
doc_events["Return Request"]["before_submit"] = (
	"aftersales_module.controllers.return_deadlines.set_return_deadlines"
)
doc_events["Return Request"]["on_submit"] = [LOG_STAGE_MOVE]

# Each case form learns from the server what its user fills in at the case's stage, and who acts next;
# its title carries its number and whom it is for, in the form, the list and link searches.
for _case_doctype in CASE_DOCTYPES:
	for _event, _method in (("onload", "set_stage_onload"), ("validate", "set_case_title")):
		_handlers = doc_events[_case_doctype].get(_event) or []
		doc_events[_case_doctype][_event] = [
			*([_handlers] if isinstance(_handlers, str) else _handlers),
			f"aftersales_module.controllers.stage_forms.{_method}",
		]

# The customer hears of each step of their case, staff of what needs them (controllers/notifications.py);
# a reopened request leaves review only by Close Reopened Case (controllers/reopen.py).
NOTIFY_CASE_STEP = "aftersales_module.controllers.notifications.notify_case_step"
FILL_CONTACT_EMAIL = "aftersales_module.controllers.notifications.fill_contact_email"
doc_events["Return Request"]["before_validate"] = FILL_CONTACT_EMAIL
doc_events["Return Request"]["on_submit"].append(NOTIFY_CASE_STEP)
doc_events["Return Request"]["on_update_after_submit"] = [LOG_STAGE_MOVE, NOTIFY_CASE_STEP]
doc_events["Return Request"]["before_update_after_submit"] = (
	"aftersales_module.controllers.reopen.refuse_moves_of_reopened"
)
doc_events["Inquiry Ticket"]["before_validate"] = FILL_CONTACT_EMAIL
doc_events["Inquiry Ticket"]["on_update"] = [LOG_STAGE_MOVE, NOTIFY_CASE_STEP]
for _event in ("on_update", "on_update_after_submit"):
	doc_events["Compensation Claim"][_event] = [LOG_STAGE_MOVE, NOTIFY_CASE_STEP]

# The sentences the server keeps on a case are read in the reader's language (controllers/stored_texts.py):
# English goes back before each save; the reader's language comes on opening, printing and after a save.
STORED_TEXTS = "aftersales_module.controllers.stored_texts"
for _case_doctype in ("Return Request", "Repair Order"):
	for _event, _method in (
		("before_validate", "put_back_english"),
		("before_update_after_submit", "put_back_english"),
		("before_cancel", "put_back_english"),
		("onload", "show_in_reader_language"),
		("before_print", "show_in_reader_language"),
		# after the save's Version is taken, so the activity log compares English with English
		("on_change", "show_in_reader_language"),
		("before_change", "mark_db_set"),
	):
		_handlers = doc_events[_case_doctype].get(_event) or []
		doc_events[_case_doctype][_event] = [
			*([_handlers] if isinstance(_handlers, str) else _handlers),
			f"{STORED_TEXTS}.{_method}",
		]

# The sentences a case composes afresh on each save: kept in English, shown in the reader's language.
for _event, _method in (
	("validate", "compose_in_english"),
	("onload", "compose_in_reader_language"),
	("before_print", "compose_in_reader_language"),
):
	_handlers = doc_events["Inquiry Ticket"].get(_event) or []
	doc_events["Inquiry Ticket"][_event] = [
		*([_handlers] if isinstance(_handlers, str) else _handlers),
		f"aftersales_module.controllers.reader_language.{_method}",
	]

# Permissions
# -----------
# Technicians and repair point managers see and act on their own repair points only.
REPAIR_POINT_QUERY = "aftersales_module.controllers.repair_point_access.permission_query_conditions"
REPAIR_POINT_PERMISSION = "aftersales_module.controllers.repair_point_access.has_permission"
REPAIR_POINT_CHILD_QUERY = "aftersales_module.controllers.repair_point_access.child_query_conditions"
REPAIR_POINT_CHILD_PERMISSION = "aftersales_module.controllers.repair_point_access.has_child_permission"

# frappe.client.get_count applies no permissions: the repair-point doctypes are counted per point.
override_whitelisted_methods = {
	"frappe.client.get_count": "aftersales_module.controllers.repair_point_access.get_count",
}

REPAIR_POINT_STOCK_QUERY = "aftersales_module.controllers.repair_point_access.stock_query_conditions"
REPAIR_POINT_STOCK_PERMISSION = "aftersales_module.controllers.repair_point_access.has_stock_permission"

permission_query_conditions = {
	"Repair Point": REPAIR_POINT_QUERY,
	"Repair Order": REPAIR_POINT_QUERY,
	"Spare Part Transfer Request": REPAIR_POINT_QUERY,
	# Their child tables follow the row's parent document.
	"Repair Order Part": REPAIR_POINT_CHILD_QUERY,
	"Repair Order Visit": REPAIR_POINT_CHILD_QUERY,
	"Spare Part Transfer Request Item": REPAIR_POINT_CHILD_QUERY,
	"Repair Point Member": REPAIR_POINT_CHILD_QUERY,
	# Technicians and point managers see the stock of their own points' warehouses only.
	"Bin": REPAIR_POINT_STOCK_QUERY,
	"Stock Ledger Entry": REPAIR_POINT_STOCK_QUERY,
}

has_permission = {
	"Repair Point": REPAIR_POINT_PERMISSION,
	"Repair Order": REPAIR_POINT_PERMISSION,
	"Spare Part Transfer Request": REPAIR_POINT_PERMISSION,
	"Repair Order Part": REPAIR_POINT_CHILD_PERMISSION,
	"Repair Order Visit": REPAIR_POINT_CHILD_PERMISSION,
	"Spare Part Transfer Request Item": REPAIR_POINT_CHILD_PERMISSION,
	"Repair Point Member": REPAIR_POINT_CHILD_PERMISSION,
	"Bin": REPAIR_POINT_STOCK_PERMISSION,
	"Stock Ledger Entry": REPAIR_POINT_STOCK_PERMISSION,
}

scheduler_events = {
	# Open requests' holds and the invoice lines' held quantities should always agree.
	"daily": ["aftersales_module.controllers.sales_history.report_hold_drift"],
	# Batches returned far more often than their item's others are flagged for quality.
	"daily_long": ["aftersales_module.controllers.batch_spikes.flag_batch_spikes"],
	"cron": {
		# Inquiry deadlines are counted in minutes; a five-minute check keeps their states current.
		"*/5 * * * *": [
			"aftersales_module.aftersales_module.doctype.inquiry_ticket.inquiry_ticket.update_service_levels",
			"aftersales_module.controllers.return_deadlines.sweep_return_deadlines",
		],
	},
}
