"""Default notifications, created once as ordinary records so that admins can change or disable them."""

import frappe

from aftersales_module.setup.notification_templates import (
	CUSTOMER_MESSAGES,
	GREETING,
	SIGNATURE,
	STAFF_MESSAGES,
)
from aftersales_module.setup.roles import WAREHOUSE

EMERGENCY_TRANSFER_NOTIFICATION = "Emergency Spare Part Transfer Request"


def install_emergency_transfer_notification() -> None:
	"""緊急調件: the central warehouse hears of an emergency transfer request the moment it is submitted."""
	if frappe.db.exists("Notification", EMERGENCY_TRANSFER_NOTIFICATION):
		return
	frappe.get_doc(
		{
			"doctype": "Notification",
			"name": EMERGENCY_TRANSFER_NOTIFICATION,
			"subject": "Emergency parts for {{ doc.repair_point }}: {{ doc.name }}",
			"document_type": "Spare Part Transfer Request",
			"event": "Submit",
			"channel": "System Notification",
			"condition": "doc.emergency",
			"enabled": 1,
			"recipients": [{"receiver_by_role": WAREHOUSE}],
			"message": (
				"<p>Repair point {{ doc.repair_point }} needs parts by {{ doc.required_by }}:"
				" {{ doc.purpose }}</p><ul>{% for row in doc.items %}"
				"<li>{{ row.item_code }}: {{ row.requested_qty }}</li>{% endfor %}</ul>"
			),
		}
	).insert(ignore_permissions=True)


def install_case_notifications() -> None:
	"""The customer's and staff's messages at each step (controllers/notifications.py sends them), each
	created if absent: an admin's edits stay as they are after migrate. A message nobody wants is
	disabled, not deleted: a deleted one is created again by the next migrate."""
	for name, (doctype, step, subject, body, sms) in CUSTOMER_MESSAGES.items():
		email_to = [{"receiver_by_document_field": "contact_email"}]
		insert_notification(name, doctype, step, "Email", subject, GREETING + body + SIGNATURE, email_to)
		insert_notification(
			f"{name} (SMS)",
			doctype,
			step,
			"SMS",
			subject,
			sms,
			[{"receiver_by_document_field": "contact_phone"}],
		)
	for name, (doctype, step, subject, message, roles) in STAFF_MESSAGES.items():
		recipients = [{"receiver_by_role": role, "condition": condition} for role, condition in roles]
		insert_notification(name, doctype, step, "Email", subject, message, recipients, in_app=True)


def insert_notification(name, doctype, step, channel, subject, message, recipients, in_app=False) -> None:
	if frappe.db.exists("Notification", name):
		return
	frappe.get_doc(
		{
			"doctype": "Notification",
			"name": name,
			"document_type": doctype,
			"event": "Method",
			"method": step,
			"channel": channel,
			"subject": subject,
			"message": message,
			"message_type": "HTML" if channel == "Email" else "Plain Text",
			"send_system_notification": 1 if in_app else 0,
			"enabled": 1,
			"recipients": recipients,
		}
	).insert(ignore_permissions=True)
