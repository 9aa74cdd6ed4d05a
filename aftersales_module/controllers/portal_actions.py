"""What a customer does on their cases from the portal besides filing a return: ask about an order
(查件), rate a closed return, reopen a closed case. Each checks first that the record is one of the
customer's own; the app then acts for them, as it does for the desk's role users."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from aftersales_module.controllers.argument_checks import choice_argument, text_argument
from aftersales_module.controllers.portal import (
	RETURN_REQUEST,
	own_case,
	own_record,
	refuse_case,
	require_customers,
)
from aftersales_module.controllers.satisfaction import record_rating
from aftersales_module.core.enums import Channel

INQUIRY_TICKET = "Inquiry Ticket"
PORTAL_CHANNEL = "Portal"
REOPEN_SERVICE = "aftersales_module.controllers.reopen.reopen_case"
TEXT_LIMIT = 2000
# What a customer can ask about → the ticket's field that names it.
ASKED_ABOUT = {
	"Sales Order": "sales_order",
	"Sales Invoice": "sales_invoice",
	"Delivery Note": "delivery_note",
	"Return Request": "return_request",
}


def inquiry_reasons() -> list[str]:
	return (frappe.get_meta(INQUIRY_TICKET).get_field("inquiry_reason").options or "").split("\n")


def askable(customers: list[str]) -> list[dict]:
	"""The customer's submitted orders, invoices, deliveries and returns they may ask about."""
	found = []
	for doctype in ASKED_ABOUT:
		for name in frappe.get_all(
			doctype,
			filters={"customer": ("in", customers), "docstatus": 1},
			pluck="name",
			order_by="creation desc",
			limit=50,
		):
			found.append({"doctype": doctype, "name": name, "label": f"{_(doctype)} {name}"})
	return found


@frappe.whitelist(methods=["POST"])
def ask_about_order(
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	inquiry_reason: str | None = None,
	details: str | None = None,
) -> str:
	"""Open an inquiry ticket on one of the customer's orders or cases."""
	customers = require_customers()
	if reference_doctype not in ASKED_ABOUT:
		refuse_case()
	customer = own_record(reference_doctype, reference_name, customers)
	if frappe.db.get_value(reference_doctype, reference_name, "docstatus") != 1:
		refuse_case()
	values = {
		"inquiry_reason": choice_argument(inquiry_reason, _("Inquiry Reason"), inquiry_reasons()),
		"inquiry_details": text_argument(details, _("Your Question"), limit=TEXT_LIMIT),
	}
	user = frappe.session.user
	ticket = frappe.get_doc(
		{
			"doctype": INQUIRY_TICKET,
			"company": frappe.db.get_value(reference_doctype, reference_name, "company"),
			"customer": customer,
			"channel": Channel.ONLINE_PLATFORM.value,
			"contact_email": frappe.db.get_value("User", user, "email"),
			"opened_on": now_datetime(),
			ASKED_ABOUT[reference_doctype]: reference_name,
			**values,
		}
	)
	# The customer's user opens it; the checks above are their right to.
	ticket.insert(ignore_permissions=True)
	return ticket.name


# ---- rating and reopening ----


def can_rate(case) -> bool:
	return case.doctype == RETURN_REQUEST and case.stage == "Closed" and not case.satisfaction


@frappe.whitelist(methods=["POST"])
def rate_from_portal(name: str | None = None, rating: str | None = None, comment: str | None = None) -> None:
	"""The customer rates their closed return once, as through the closing message's link."""
	case = own_case(RETURN_REQUEST, name)
	if case.stage != "Closed":
		frappe.throw(_("A return is rated once it is closed."), title=_("Not Closed"))
	record_rating(case.name, rating, comment, PORTAL_CHANNEL)


def reopen_service():
	"""The reopen service, on sites that have it; without it the portal offers no reopening."""
	try:
		return frappe.get_attr(REOPEN_SERVICE)
	except (ImportError, AttributeError):
		return None


def can_reopen(case) -> bool:
	closed = (case.get("stage") or case.get("status")) == "Closed"
	return closed and reopen_service() is not None


@frappe.whitelist(methods=["POST"])
def reopen_from_portal(doctype: str | None = None, name: str | None = None, reason: str | None = None):
	"""Reopen the customer's closed case with their reason, through the reopen service."""
	case = own_case(doctype, name)
	service = reopen_service()
	if service is None:
		frappe.throw(_("Reopening a case is not available; ask us instead."), title=_("Not Available"))
	reason = text_argument(reason, _("Reason"), limit=TEXT_LIMIT)
	return service(case.doctype, case.name, reason, PORTAL_CHANNEL)
