"""A whole return-and-refund case, step by step as the users whose job each step is, against the bare
ERPNext documents it ends in (a credit note that takes the goods back, and the refund payment) made
directly, interleaved on fresh paid sales."""

import frappe
from frappe.model.workflow import apply_workflow

from aftersales_module.benchmarks.measure import Series, heading, ratio, say, timed
from aftersales_module.benchmarks.site_data import COMPANY, paid_sale
from aftersales_module.setup.roles import CUSTOMER_SERVICE, SALES_APPROVER, WAREHOUSE
from aftersales_module.setup.workflow import ACCOUNTS_USER
from aftersales_module.tests.role_users import acting_as

REASON = "Personal Reason (7-day No Reason)"
# (label, role, action): a 7-day no-reason return, approved by sales, received, refunded
WORKFLOW_STEPS = (
	("Submit", CUSTOMER_SERVICE, "Submit"),
	("Send to Sales Approval", CUSTOMER_SERVICE, "Send to Sales Approval"),
	("Approve", SALES_APPROVER, "Approve"),
)
POSTING_LABELS = ("Receive Goods (stock in)", "Refund (credit note + payment)")


def open_case(invoice):
	with acting_as(CUSTOMER_SERVICE):
		request = frappe.get_doc(
			{
				"doctype": "Return Request",
				"company": COMPANY,
				"customer": invoice.customer,
				"request_type": "Return and Refund",
				"reason_category": REASON,
				"sales_invoice": invoice.name,
				"original_packaging": 1,
				"resellable": 1,
			}
		)
		request.get_items()
		request.insert()
	return request


def as_sent(request_name: str) -> dict:
	"""The case as the form holds it and sends it with an action (read before the clock starts)."""
	return frappe.get_doc("Return Request", request_name).as_dict()


def act(request: dict, role: str, action: str):
	with acting_as(role):
		return apply_workflow(request, action)


def received_in_form(request_name: str):
	"""The warehouse enters what arrived in the form; saving it is the measured step."""
	request = frappe.get_doc("Return Request", request_name)
	for row in request.items:
		row.received_qty = row.qty
		row.received_condition = "Good"
	return request


def receive_goods(request, sent_after_save):
	with acting_as(WAREHOUSE):
		request.save()
	return act(sent_after_save(), WAREHOUSE, "Receive Goods")


def new_request() -> None:
	"""Start the next measured action as a web request starts, on either side: Frappe builds a new
	`frappe.local` and database connection per request, so nothing a previous action read is cached
	in the process (what Redis holds stays, as it does between requests)."""
	local = frappe.local
	local.cache, local.new_doc_templates, local.role_permissions, local.valid_columns = {}, {}, {}, {}
	local.user_perms = None
	if getattr(local, "request_cache", None):
		local.request_cache.clear()
	frappe.db.value_cache = {}


def as_new_request(series: Series, action, *args):
	new_request()
	return timed(series, action, *args)


def whole_case(invoice, steps: dict[str, Series]):
	request = as_new_request(steps["Open with Get Items"], open_case, invoice)
	for label, role, action in WORKFLOW_STEPS:
		sent = as_sent(request.name)
		as_new_request(steps[label], act, sent, role, action)
	form = received_in_form(request.name)
	as_new_request(steps[POSTING_LABELS[0]], receive_goods, form, form.as_dict)
	sent = as_sent(request.name)
	as_new_request(steps[POSTING_LABELS[1]], act, sent, ACCOUNTS_USER, "Refund")


def bare_credit_note(invoice):
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	credit_note = make_sales_return(invoice.name)
	credit_note.insert(ignore_permissions=True)
	credit_note.submit()
	return credit_note


def bare_refund(credit_note):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", credit_note.name)
	payment.reference_no = credit_note.name
	payment.reference_date = credit_note.posting_date
	payment.insert(ignore_permissions=True)
	payment.submit()
	return payment


def bare_documents(invoice, bare: dict[str, Series]):
	credit_note = as_new_request(bare["Credit note (goods back)"], bare_credit_note, invoice)
	as_new_request(bare["Refund payment"], bare_refund, credit_note)


def measure_case_path(n: int) -> None:
	heading(f"Return-and-refund case vs the bare ERPNext documents it creates (interleaved, n={n})")
	steps = {
		label: Series(label)
		for label in ("Open with Get Items", *(s[0] for s in WORKFLOW_STEPS), *POSTING_LABELS)
	}
	bare = {label: Series(label) for label in ("Credit note (goods back)", "Refund payment")}
	case_total, bare_total = Series("Whole case (all steps)"), Series("Bare credit note + refund payment")
	posting_total = Series("Case posting steps (receive + refund)")
	for iteration in range(n):
		# alternate which goes first so neither always meets a warm or a cold cache
		order = (whole_case, bare_documents) if iteration % 2 == 0 else (bare_documents, whole_case)
		for run in order:
			invoice = paid_sale()
			frappe.db.commit()  # nosemgrep: each measured action starts from committed records, as in the desk
			run(invoice, steps if run is whole_case else bare)
			frappe.db.commit()  # nosemgrep: as a request would
		for total, parts in ((case_total, steps), (bare_total, bare)):
			total.seconds.append(sum(series.seconds[-1] for series in parts.values()))
			total.statements.append(sum(series.statements[-1] for series in parts.values()))
		posting_total.seconds.append(sum(steps[label].seconds[-1] for label in POSTING_LABELS))
		posting_total.statements.append(sum(steps[label].statements[-1] for label in POSTING_LABELS))
	say("  case steps:")
	for series in steps.values():
		say(series.line())
	say("  bare ERPNext:")
	for series in bare.values():
		say(series.line())
	for series in (case_total, posting_total, bare_total):
		say(series.line())
	say(f"  ratio whole case / bare documents:        {ratio(case_total, bare_total)}")
	say(f"  ratio case posting steps / bare documents: {ratio(posting_total, bare_total)}")
	stage_only = steps["Send to Sales Approval"]
	beyond_moves = Series("Posting steps less two stage-only moves")
	beyond_moves.seconds = [
		posted - 2 * moved for posted, moved in zip(posting_total.seconds, stage_only.seconds, strict=True)
	]
	say(
		f"  ratio posting steps less two stage-only moves (what Frappe does for any workflow action) / bare"
		f" documents: {ratio(beyond_moves, bare_total)}"
	)
	bare_credit = bare["Credit note (goods back)"]
	for label in ("Open with Get Items", *(step[0] for step in WORKFLOW_STEPS)):
		say(f"  {label} / bare credit note: {ratio(steps[label], bare_credit)}")
