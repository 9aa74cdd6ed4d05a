"""Default notifications, created once as ordinary records so that admins can change or disable them."""

import frappe

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
