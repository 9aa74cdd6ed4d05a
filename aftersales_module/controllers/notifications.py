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
from frappe import _
from frappe.core.doctype.role.role import get_info_based_on_role
from frappe.email.doctype.notification.notification import (
	Notification,
	get_assignees,
	get_context,
	get_emails_from_template,
)
from frappe.utils import validate_email_address

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


# ---- the scheduled check's deadline states --------------------------------------------------------------

SERVICE_LEVEL_STEPS = FIELD_STEPS[("Inquiry Ticket", "sla_status")]
# Tickets told per run of tell_service_levels: a run of the check that moves more is told in background
# jobs of this many (a first run or one after an outage moves thousands), so the check itself stays short.
NOTIFY_BATCH = 200


def notify_service_levels(moved: list[tuple[str, str]]) -> None:
	"""The scheduled check moved these tickets into these deadline states (it writes without saving):
	staff are told, once per ticket and state."""
	moved = [(name, state) for name, state in moved if state in SERVICE_LEVEL_STEPS]
	if len(moved) <= NOTIFY_BATCH:
		tell_service_levels(moved)
		return
	for start in range(0, len(moved), NOTIFY_BATCH):
		frappe.enqueue(
			tell_service_levels,
			queue="long",
			enqueue_after_commit=True,
			moved=moved[start : start + NOTIFY_BATCH],
		)


def tell_service_levels(moved: list[tuple[str, str]]) -> None:
	"""Staff hear of each ticket's new deadline state. The tickets are read in one query, and the step's
	notifications, whether their channel can send and the staff of each role once for all of them. A
	ticket that has moved on since is told of its new state by the run that moved it; one that cannot
	be told is logged and the others are told."""
	states = dict(moved)
	notifications, role_emails = {}, {}
	for state in set(states.values()):
		notifications[state] = []
		for notification in step_notifications("Inquiry Ticket", SERVICE_LEVEL_STEPS[state]):
			if channel_ready(notification):
				notifications[state].append(RunNotification(notification.as_dict()))
				notifications[state][-1].role_emails = role_emails
	with language(system_language()):
		for ticket in documents_of("Inquiry Ticket", list(states)):
			if ticket.sla_status != states[ticket.name]:
				continue
			try:
				for notification in notifications[ticket.sla_status]:
					send(notification, ticket, can_send=True)
			except Exception:
				frappe.log_error(
					title=_("Staff could not be told of the deadline of inquiry ticket {0}").format(
						ticket.name
					),
					reference_doctype="Inquiry Ticket",
					reference_name=ticket.name,
				)


def documents_of(doctype: str, names: list[str]) -> list:
	"""The documents as saved, with their rows, read one query a table rather than one load each."""
	if not names:
		return []
	rows, tables = {}, frappe.get_meta(doctype).get_table_fields()
	for df in tables:
		for row in frappe.get_all(
			df.options,
			filters={"parent": ("in", names), "parenttype": doctype, "parentfield": df.fieldname},
			fields=["*"],
			order_by="idx asc",
		):
			rows.setdefault((row.parent, df.fieldname), []).append(row)
	return [
		frappe.get_doc(
			{
				"doctype": doctype,
				**values,
				**{df.fieldname: rows.get((values.name, df.fieldname), []) for df in tables},
			}
		)
		for values in frappe.get_all(doctype, filters={"name": ("in", names)}, fields=["*"], order_by="name")
	]


class RunNotification(Notification):
	"""A notification sent for many documents in one run: the staff of a role it is addressed to are
	looked up once for the run (`role_emails`), not once for every document. Otherwise Frappe's own
	`get_list_of_recipients`."""

	role_emails: dict

	def get_list_of_recipients(self, doc, context):
		recipients, cc, bcc = [], [], []
		for recipient in self.recipients:
			if recipient.condition and not frappe.safe_eval(recipient.condition, None, context):
				continue
			if recipient.receiver_by_document_field:
				fields = recipient.receiver_by_document_field.split(",")
				if len(fields) > 1:
					recipients += [
						row.get(fields[0])
						for row in doc.get(fields[1])
						if validate_email_address(row.get(fields[0]))
					]
				elif validate_email_address(doc.get(fields[0])):
					recipients += doc.get(fields[0]).replace(",", "\n").split("\n")
			cc.extend(get_emails_from_template(recipient.cc, context))
			bcc.extend(get_emails_from_template(recipient.bcc, context))
			if recipient.receiver_by_role:
				recipients += self.staff_of(recipient.receiver_by_role)
		if self.send_to_all_assignees:
			recipients += get_assignees(doc)
		return list(set(recipients)), list(set(cc)), list(set(bcc))

	def staff_of(self, role: str) -> list[str]:
		if role not in self.role_emails:
			emails = []
			for email in get_info_based_on_role(role, "email", ignore_permissions=True):
				emails += email.split("\n")
			self.role_emails[role] = emails
		return self.role_emails[role]


# ---- sending ---------------------------------------------------------------------------------------------


def notify(doc, step: str) -> None:
	"""Send the enabled notifications of the step for this case, once per step and request."""
	sent = doc.flags.setdefault(SENT_FLAG, set())
	if step in sent:
		return
	sent.add(step)
	notifications = step_notifications(doc.doctype, step)
	if not notifications:
		return
	with language(customer_language(doc) if step in CUSTOMER_STEPS else system_language()):
		for notification in notifications:
			send(notification, doc)


def step_notifications(doctype: str, step: str) -> list:
	"""The step's enabled notifications, by name. The names come from Frappe's own cache of a doctype's
	enabled notifications (the same query and key as its save events use; a Notification's save or
	deletion clears it), each record from the document cache: a step reads no Notification row."""
	rows = frappe.cache.hget("notifications", doctype, lambda: enabled_notifications(doctype)) or ()
	found = []
	for name in sorted(
		row.get("name") for row in rows if row.get("event") == "Method" and row.get("method") == step
	):
		try:
			notification = frappe.get_cached_doc("Notification", name)
		except frappe.DoesNotExistError:
			continue  # deleted since the names were cached
		if notification.enabled:
			found.append(notification)
	return found


def enabled_notifications(doctype: str) -> list:
	"""Frappe's own query for its cache of the doctype's notifications (Document.run_notifications)."""
	return frappe.get_all(
		"Notification", fields=["name", "event", "method"], filters={"enabled": 1, "document_type": doctype}
	)


def send(notification, doc, can_send=None) -> None:
	"""`can_send`: the answer of `channel_ready` for this notification, when the caller already has it."""
	if not (channel_ready(notification) if can_send is None else can_send):
		return  # no gateway or account: ERPNext would only log an error for every message
	if notification.condition and not frappe.safe_eval(notification.condition, None, get_context(doc)):
		return
	notification.send(doc)


def channel_ready(notification) -> bool:
	if notification.channel == "SMS":
		return sms_configured()
	if notification.channel == "Email":
		return email_configured(notification.sender)
	return True


def sms_configured() -> bool:
	# the document cache, cleared when the settings are saved: a step that tells the customer reads none
	return bool(frappe.get_cached_value("SMS Settings", "SMS Settings", "sms_gateway_url"))


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
	return frappe.get_system_settings("language") or "en"


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
