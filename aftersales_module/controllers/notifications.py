"""Who is told what, when (seed 000, 002, 004): the customer at each step of their case, in their own
language, by e-mail and, where ERPNext's SMS Settings are filled in, by SMS; staff of what needs them.

The messages are ordinary ERPNext Notification records (setup/notifications.py creates them once;
admins edit, disable or add to them). Each has the event "Method" and names one of the steps below:
the app sends it at that step, once, instead of Frappe testing a condition on every save. Sending
from the step is also what renders it in the customer's language: subject and message are Jinja
templates whose `_()` translate into the language in force while they render, and the step sets
that to the customer's (Customer.language, else the system's) for customer messages and to the
system's for staff ones. One record per step in every language, rather than one per language with a
condition on the customer's, keeps one place for an admin to change each message.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import frappe
from frappe.email.doctype.notification.notification import get_context

from aftersales_module.core.stages import Stage

# Customer steps of a return request, by the stage it moved into.
REQUEST_RECEIVED = "aftersales_request_received"
REQUEST_APPROVED = "aftersales_request_approved"
REQUEST_REJECTED = "aftersales_request_rejected"
GOODS_RECEIVED = "aftersales_goods_received"
REFUNDED = "aftersales_refunded"
UNIT_SHIPPED = "aftersales_unit_shipped"
CASE_CLOSED = "aftersales_case_closed"
INQUIRY_ANSWERED = "aftersales_inquiry_answered"
# Staff steps.
INQUIRY_AT_RISK = "aftersales_inquiry_at_risk"
INQUIRY_BREACHED = "aftersales_inquiry_breached"
CLAIM_DISPUTED = "aftersales_claim_disputed"
CASE_REOPENED = "aftersales_case_reopened"

CUSTOMER_STEPS = frozenset(
	{
		REQUEST_RECEIVED,
		REQUEST_APPROVED,
		REQUEST_REJECTED,
		GOODS_RECEIVED,
		REFUNDED,
		UNIT_SHIPPED,
		CASE_CLOSED,
		INQUIRY_ANSWERED,
	}
)

REQUEST_STAGE_STEPS = {
	Stage.REVIEW: REQUEST_RECEIVED,
	Stage.APPROVED: REQUEST_APPROVED,
	Stage.REJECTED: REQUEST_REJECTED,
	Stage.GOODS_RECEIVED: GOODS_RECEIVED,
	Stage.REFUNDED: REFUNDED,
	Stage.CLOSED: CASE_CLOSED,
}
# (doctype, field) → {value it moved to: step}
FIELD_STEPS = {
	("Return Request", "stage"): {stage.value: step for stage, step in REQUEST_STAGE_STEPS.items()},
	("Inquiry Ticket", "status"): {"Resolved": INQUIRY_ANSWERED},
	("Inquiry Ticket", "sla_status"): {"At Risk": INQUIRY_AT_RISK, "Breached": INQUIRY_BREACHED},
	("Compensation Claim", "status"): {"Disputed": CLAIM_DISPUTED},
}
SENT_FLAG = "aftersales_notified"


# ---- doc_events ------------------------------------------------------------------------------------------


def notify_case_step(doc, method=None) -> None:
	"""doc_events of the case doctypes: a field of FIELD_STEPS moved to a value that is a step."""
	before = doc.get_doc_before_save()
	for (doctype, fieldname), steps in FIELD_STEPS.items():
		if doctype != doc.doctype:
			continue
		value = doc.get(fieldname)
		if value in steps and (before is None or before.get(fieldname) != value):
			if doc.doctype == "Return Request" and value == Stage.REVIEW.value and doc.get("reopen_count"):
				continue  # a reopened case comes back to review: the reopen has its own message
			notify(doc, steps[value])


def fill_contact_email(doc, method=None) -> None:
	"""doc_events before_validate: a case with no e-mail of its own is told at its contact's, else its customer's."""
	if doc.get("contact_email") or not doc.get("customer"):
		return
	email = None
	if doc.get("contact_person"):
		email = frappe.db.get_value("Contact", doc.contact_person, "email_id")
	doc.contact_email = email or frappe.db.get_value("Customer", doc.customer, "email_id")


def notify_service_level(name: str, before: str | None, after: str | None) -> None:
	"""The scheduled check moved an inquiry ticket's deadline state (it writes without saving)."""
	step = FIELD_STEPS[("Inquiry Ticket", "sla_status")].get(after)
	if step and after != before:
		notify(frappe.get_doc("Inquiry Ticket", name), step)


# ---- sending ---------------------------------------------------------------------------------------------


def notify(doc, step: str) -> None:
	"""Send the enabled notifications of the step for this case, once per step and request."""
	sent = doc.flags.setdefault(SENT_FLAG, set())
	if step in sent:
		return
	sent.add(step)
	names = frappe.get_all(
		"Notification",
		filters={"enabled": 1, "event": "Method", "method": step, "document_type": doc.doctype},
		pluck="name",
		order_by="name",
	)
	if not names:
		return
	with language(customer_language(doc) if step in CUSTOMER_STEPS else system_language()):
		for name in names:
			send(frappe.get_doc("Notification", name), doc)


def send(notification, doc) -> None:
	if notification.channel == "SMS" and not sms_configured():
		return  # no gateway: ERPNext would only log an error for every message
	if notification.channel == "Email" and not email_configured(notification.sender):
		return  # no account to send through: likewise
	if notification.condition and not frappe.safe_eval(notification.condition, None, get_context(doc)):
		return
	notification.send(doc)


def sms_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def email_configured(sender_account: str | None = None) -> bool:
	"""Frappe sends a notification through its own sender account, else only through the default
	outgoing account (or the site's mail server); another outgoing account is not used."""
	if sender_account and frappe.db.get_value("Email Account", sender_account, "enable_outgoing"):
		return True
	return bool(
		frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
		or frappe.conf.get("mail_server")
	)


def customer_language(doc) -> str:
	language = doc.get("customer") and frappe.db.get_value("Customer", doc.customer, "language")
	return language or system_language()


def system_language() -> str:
	return frappe.db.get_single_value("System Settings", "language") or "en"


@contextmanager
def language(lang: str) -> Iterator[None]:
	"""Render in this language: `_()` in a template translates into `frappe.local.lang`."""
	previous = getattr(frappe.local, "lang", None)
	frappe.local.lang = lang
	try:
		yield
	finally:
		frappe.local.lang = previous


# ---- what the templates read (Jinja methods) ---------------------------------------------------------


def aftersales_shipment(case: str) -> dict:
	"""The latest shipment to the customer recorded on a return request: carrier and tracking number."""
	from aftersales_module.controllers.shipments import SHIPMENT_ENTRY_TYPES

	shipment = frappe.get_all(
		"Stock Entry",
		filters={
			"aftersales_return_request": case,
			"docstatus": 1,
			"stock_entry_type": ("in", SHIPMENT_ENTRY_TYPES),
			"aftersales_tracking_no": ("is", "set"),
		},
		fields=["name", "aftersales_carrier as carrier", "aftersales_tracking_no as tracking_no"],
		order_by="modified desc",
		limit=1,
	)
	return shipment[0] if shipment else frappe._dict(name=None, carrier=None, tracking_no=None)


def notify_shipment(entry, tracking_no: str | None) -> None:
	"""A shipment to the customer got its tracking number: the customer is told, once."""
	case = entry.get("aftersales_return_request")
	if case and tracking_no and not entry.get("aftersales_tracking_no"):
		notify(frappe.get_doc("Return Request", case), UNIT_SHIPPED)
