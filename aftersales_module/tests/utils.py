import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import nowdate

from aftersales_module.tests.factories import TEST_COMPANY


class AftersalesTestCase(FrappeTestCase):
	"""Each test runs inside a savepoint and leaves nothing behind for the next one."""

	def setUp(self):
		super().setUp()
		frappe.set_user("Administrator")
		self.mail_muted_before = frappe.flags.mute_emails
		# In a test Frappe sends some mail at once (an assignee's notice) and sending commits, which would
		# end this savepoint: where the site can send, mail is queued only.
		frappe.flags.mute_emails = self.mail_muted_before or can_send_mail()
		frappe.db.savepoint("aftersales_test")

	def tearDown(self):
		frappe.db.rollback(save_point="aftersales_test")
		frappe.flags.mute_emails = self.mail_muted_before
		frappe.local.outgoing_email_account = {}  # Frappe keeps the account it found for the process
		frappe.set_user("Administrator")
		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		# Rolling back to a savepoint leaves the caches of what the test saved; the steps read notifications,
		# warranty policies and settings from them (Frappe clears them itself only on a whole rollback).
		frappe.clear_document_cache("Notification")
		frappe.clear_document_cache("Warranty Policy")
		frappe.clear_document_cache("SMS Settings", "SMS Settings")
		frappe.clear_document_cache("System Settings", "System Settings")
		frappe.cache.delete_value("notifications")
		super().tearDown()

	def assert_books_reconcile(self, company: str = TEST_COMPANY):
		"""ERPNext's own check: stock value per the stock ledger equals the stock accounts in the GL."""
		from erpnext.stock.report.stock_and_account_value_comparison.stock_and_account_value_comparison import (
			execute,
		)

		_columns, differences = execute(frappe._dict(company=company, as_on_date=nowdate()))
		self.assertEqual(differences, [])


def can_send_mail() -> bool:
	return bool(
		frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
		or frappe.conf.get("mail_server")
	)


def listed(doctype: str, among: set[str]) -> set[str]:
	"""Which of these documents the user's list shows; the site may hold other records of the kind."""
	return set(frappe.get_list(doctype, filters={"name": ("in", list(among))}, pluck="name"))
