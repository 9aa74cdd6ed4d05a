"""The customer portal: a website user sees and acts on the cases of the customers they are a portal
user of, and on nothing else.

A user belongs to a customer the way ERPNext's own portal links them: a row in the customer's Portal
Users table, or a Contact of theirs that links the customer. Portal users have no desk rights on the
case doctypes, so every page and method here checks the customer itself, and answers a case, invoice
or file of another customer exactly as one that does not exist."""

import shutil
from urllib.parse import quote, urlencode

import frappe
from frappe import _
from frappe.utils import flt, fmt_money, get_url

from aftersales_module.core.portal import (
	COMPLAINT_STEPS,
	INQUIRY_STEPS,
	RETURN_STEPS,
	customer_step,
	customer_timeline,
)

RETURN_REQUEST = "Return Request"
INQUIRY_TICKET = "Inquiry Ticket"
COMPLAINT = "Aftersales Complaint"
RETURN_SLIP = "Return Slip"
PORTAL_ROUTE = "/aftersales"

# doctype → (its word in the portal's addresses, its field of dates, the customer's steps)
CASE_KINDS = {
	RETURN_REQUEST: ("return", "request_date", RETURN_STEPS),
	INQUIRY_TICKET: ("inquiry", "opened_on", INQUIRY_STEPS),
	COMPLAINT: ("complaint", "posting_date", COMPLAINT_STEPS),
}
STAGE_FIELDS = {RETURN_REQUEST: "stage", INQUIRY_TICKET: "status", COMPLAINT: "status"}


class NotYourCaseError(frappe.PermissionError):
	pass


# ---- who the user is a customer of ----


def customers_of(user: str | None = None) -> list[str]:
	"""The customers the user is a portal user of: the Portal Users table, or a Contact of the user
	linking the customer."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return []
	portal_user = frappe.qb.DocType("Portal User")
	listed = (
		frappe.qb.from_(portal_user)
		.select(portal_user.parent)
		.where((portal_user.user == user) & (portal_user.parenttype == "Customer"))
	).run(pluck=True)
	contact, link = frappe.qb.DocType("Contact"), frappe.qb.DocType("Dynamic Link")
	linked = (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.select(link.link_name)
		.where((contact.user == user) & (link.link_doctype == "Customer"))
	).run(pluck=True)
	return sorted(set(listed) | set(linked))


def users_of(customer: str) -> set[str]:
	"""The portal users of a customer, both ways."""
	listed = frappe.get_all(
		"Portal User", filters={"parenttype": "Customer", "parent": customer}, pluck="user"
	)
	contacts = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": customer},
		pluck="parent",
	)
	linked = frappe.get_all("Contact", filters={"name": ("in", contacts or [""])}, pluck="user")
	return {user for user in (*listed, *linked) if user}


def require_customers() -> list[str]:
	customers = customers_of()
	if not customers:
		frappe.throw(
			_("Log in with the portal account of a customer to see and file after-sales cases."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	return customers


def refuse_case() -> None:
	"""The one answer to a case, invoice or file that is not the user's, whether it exists or not."""
	frappe.throw(_("This is not one of your cases or orders."), NotYourCaseError, title=_("Not Permitted"))


def case_doctypes() -> list[str]:
	"""The case doctypes on this site; complaints once their doctype is installed."""
	return [doctype for doctype in CASE_KINDS if doctype != COMPLAINT or frappe.db.exists("DocType", doctype)]


def own_record(doctype: str, name, customers: list[str] | None = None) -> str:
	"""The customer of a record of the user's own customers; refused the same whether it is another
	customer's or does not exist."""
	customers = customers if customers is not None else require_customers()
	if not isinstance(name, str) or not name or len(name) > frappe.db.VARCHAR_LEN:
		refuse_case()
	customer = frappe.db.get_value(doctype, name, "customer")
	if not customer or customer not in customers:
		refuse_case()
	return customer


def own_case(doctype, name):
	if doctype not in case_doctypes():
		refuse_case()
	own_record(doctype, name)
	return frappe.get_doc(doctype, name)


def doctype_of_kind(kind) -> str | None:
	return next(
		(doctype for doctype in case_doctypes() if CASE_KINDS[doctype][0] == kind),
		None,
	)


def case_route(doctype: str, name: str) -> str:
	return f"{PORTAL_ROUTE}/{CASE_KINDS[doctype][0]}/{quote(name)}"


# ---- what the customer is shown ----


def list_cases(customers: list[str]) -> list[dict]:
	"""The customers' cases of every kind, newest first."""
	cases = []
	for doctype in case_doctypes():
		date_field = CASE_KINDS[doctype][1]
		for row in frappe.get_all(
			doctype,
			filters={"customer": ("in", customers)},
			fields=["name", "customer", "creation", date_field, STAGE_FIELDS[doctype]],
			order_by="creation desc",
			limit=500,
		):
			cases.append(
				{
					"doctype": doctype,
					"name": row.name,
					"route": case_route(doctype, row.name),
					"kind": _(doctype),
					"date": row.get(date_field),
					"status": _(status_label(doctype, row.get(STAGE_FIELDS[doctype]))),
					"creation": row.creation,
					**case_summary(doctype, row.name),
				}
			)
	return sorted(cases, key=lambda case: case["creation"], reverse=True)


def status_label(doctype: str, stage: str | None) -> str:
	return customer_step(stage, CASE_KINDS[doctype][2]) or stage or ""


def case_summary(doctype: str, name: str) -> dict:
	"""The one line the list shows of a case: what it is about and, for returns, the refund."""
	if doctype == RETURN_REQUEST:
		request = frappe.db.get_value(
			doctype,
			name,
			["request_type", "sales_invoice", "refund_amount", "refunded_amount", "currency"],
			as_dict=True,
		)
		return {
			"about": " · ".join(filter(None, (_(request.request_type), request.sales_invoice))),
			"refund": refund_text(request),
		}
	if doctype == INQUIRY_TICKET:
		ticket = frappe.db.get_value(
			doctype, name, ["inquiry_reason", "sales_order", "sales_invoice", "return_request"], as_dict=True
		)
		about = ticket.sales_order or ticket.sales_invoice or ticket.return_request
		return {"about": " · ".join(filter(None, (_(ticket.inquiry_reason), about))), "refund": ""}
	complaint = frappe.db.get_value(doctype, name, ["category", "sales_invoice"], as_dict=True) or {}
	return {
		"about": " · ".join(
			filter(None, (_(complaint.get("category") or ""), complaint.get("sales_invoice")))
		),
		"refund": "",
	}


def refund_text(request) -> str:
	"""What the customer gets back: what was refunded, or else what the request would refund."""
	if flt(request.refunded_amount):
		return _("Refunded {0}").format(fmt_money(request.refunded_amount, currency=request.currency))
	if flt(request.refund_amount):
		return _("Refund {0}").format(fmt_money(request.refund_amount, currency=request.currency))
	return ""


def timeline(doctype: str, name: str) -> list[dict]:
	moves = frappe.get_all(
		"Aftersales Stage Log",
		filters={"reference_doctype": doctype, "reference_name": name},
		fields=["to_stage", "moved_on"],
		order_by="moved_on asc, creation asc",
	)
	return [
		{"label": _(step.label), "on": step.on}
		for step in customer_timeline(
			((move.to_stage, move.moved_on) for move in moves), CASE_KINDS[doctype][2]
		)
	]


def customer_files(case) -> list[dict]:
	"""The photos and documents the customer's own portal users attached to the case; what staff
	attach is theirs."""
	users = users_of(case.customer)
	return frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": case.doctype,
			"attached_to_name": case.name,
			"owner": ("in", list(users) or [""]),
			"is_folder": 0,
		},
		fields=["name", "file_name", "creation"],
		order_by="creation asc",
	)


def attachment_url(file_name: str) -> str:
	return f"/api/method/aftersales_module.controllers.portal.download_attachment?name={quote(file_name)}"


def slip_url(name: str) -> str:
	return f"/api/method/aftersales_module.controllers.portal.return_slip?name={quote(name)}"


# ---- downloads ----


@frappe.whitelist(methods=["GET"])
def return_slip(name: str | None = None) -> None:
	"""The Return Slip of one of the user's own return requests, as a PDF."""
	request = own_case(RETURN_REQUEST, name)
	# The customer's right to this slip was checked above; Frappe's print check knows desk roles only.
	ignored = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		html = frappe.get_print(RETURN_REQUEST, request.name, RETURN_SLIP, doc=request)
	finally:
		frappe.flags.ignore_print_permissions = ignored
	frappe.local.response.filename = f"{request.name}.pdf"
	frappe.local.response.filecontent = html_to_pdf(html)
	frappe.local.response.type = "pdf"


def html_to_pdf(html: str) -> bytes:
	"""Frappe's PDF (wkhtmltopdf) where the server has it, else WeasyPrint, which Frappe installs."""
	if shutil.which("wkhtmltopdf"):
		from frappe.utils.pdf import get_pdf

		return get_pdf(html)
	from weasyprint import HTML, default_url_fetcher

	def inline_only(url: str):
		# the slip carries its own styles; nothing is fetched from the network, this server included
		if url.startswith("data:"):
			return default_url_fetcher(url)
		raise ValueError(url)

	return HTML(string=html, base_url=get_url(), url_fetcher=inline_only).write_pdf()


@frappe.whitelist(methods=["GET"])
def download_attachment(name: str | None = None) -> None:
	"""A file the customer attached to one of their own cases."""
	if not isinstance(name, str) or not name:
		refuse_case()
	attached = frappe.db.get_value(
		"File", name, ["attached_to_doctype", "attached_to_name", "owner"], as_dict=True
	)
	if not attached or attached.attached_to_doctype not in case_doctypes():
		refuse_case()
	case = own_case(attached.attached_to_doctype, attached.attached_to_name)
	if attached.owner not in users_of(case.customer):
		refuse_case()
	file = frappe.get_doc("File", name)
	frappe.local.response.filename = file.file_name
	frappe.local.response.filecontent = file.get_content()
	frappe.local.response.type = "download"


# ---- the pages ----


def page_context(context, title: str) -> list[str]:
	"""What every portal page starts with: a logged-in user (a guest is sent to log in), the portal's
	sidebar, and the customers the user acts for."""
	if frappe.session.user == "Guest":
		path = frappe.local.request.path if getattr(frappe.local, "request", None) else PORTAL_ROUTE
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": path})
		raise frappe.Redirect
	context.no_cache = 1
	context.show_sidebar = True
	context.title = title
	context.parents = [{"route": PORTAL_ROUTE.strip("/"), "title": _("My Returns")}]
	context.customers = customers_of()
	return context.customers
