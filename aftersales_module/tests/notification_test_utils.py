"""What the app's notifications put in the Email Queue for a case, read back as the recipient gets it."""

import email
from email.header import decode_header, make_header

import frappe

OUTGOING_ACCOUNT = "_Test Aftersales Outgoing"


class QueuedMails:
	"""Mixed into a test case: the site gets an outgoing e-mail account for the test (a site needs one
	for any mail to be queued), and mail is queued, not sent."""

	def setUp(self):
		super().setUp()
		self.muted_before = frappe.flags.mute_emails
		frappe.flags.mute_emails = True
		if not frappe.db.exists("Email Account", OUTGOING_ACCOUNT):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": OUTGOING_ACCOUNT,
					"email_id": "aftersales-desk@example.com",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "localhost",
					"no_smtp_authentication": 1,
				}
			).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.flags.mute_emails = self.muted_before
		super().tearDown()
		# Frappe keeps the outgoing account it found for the rest of the process: a later test would still
		# send through this rolled-back account, and sending commits.
		frappe.local.outgoing_email_account = {}


def queued_mails(doctype: str, name: str) -> list[frappe._dict]:
	"""Each Email Queue row of the case, oldest first: recipients, subject and text, decoded."""
	mails = []
	for row in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": doctype, "reference_name": name},
		fields=["name", "message"],
		order_by="creation asc",
	):
		message = email.message_from_string(row.message)
		mails.append(
			frappe._dict(
				recipients=set(
					frappe.get_all("Email Queue Recipient", filters={"parent": row.name}, pluck="recipient")
				),
				subject=str(make_header(decode_header(message["Subject"] or ""))),
				text=body_text(message),
			)
		)
	return mails


def body_text(message) -> str:
	parts = []
	for part in message.walk():
		if part.get_content_maintype() == "text":
			payload = part.get_payload(decode=True) or b""
			parts.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
	return "\n".join(parts)


def with_subject(mails, words: str) -> list:
	return [mail for mail in mails if words in mail.subject]
