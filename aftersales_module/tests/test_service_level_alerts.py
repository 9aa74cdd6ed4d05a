"""A run of the service-level check that moves more tickets than one batch (a first run, a run after
an outage) tells staff in background jobs, one batch each, so the check itself stays short: each
ticket is told once of the state it moved into, one that has moved on since is not told of the old
state, and one that cannot be told is logged while the others are told."""

from unittest.mock import patch

import frappe
from frappe.utils import add_days, now_datetime

from aftersales_module.aftersales_module.doctype.inquiry_ticket.inquiry_ticket import ACTIVE_STATUSES
from aftersales_module.aftersales_module.doctype.inquiry_ticket.test_inquiry_ticket import open_ticket
from aftersales_module.controllers import notifications
from aftersales_module.controllers.service_levels import sweep_service_levels
from aftersales_module.setup.notifications import install_case_notifications
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE
from aftersales_module.tests.factories import make_customer
from aftersales_module.tests.notification_test_utils import QueuedMails, queued_mails
from aftersales_module.tests.role_users import make_role_users, user_of
from aftersales_module.tests.utils import AftersalesTestCase


class TestServiceLevelAlertsInBatches(QueuedMails, AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()
		make_role_users()
		install_case_notifications()

	def setUp(self):
		super().setUp()
		settings = frappe.get_single("Aftersales Settings")
		settings.set("working_hours", [])
		settings.holiday_list = None
		settings.save()
		self.tickets = [open_ticket() for _ in range(3)]
		self.names = {ticket.name for ticket in self.tickets}
		self.later = add_days(now_datetime(), 10)

	def run_check(self) -> list:
		"""The check at a clock when every ticket is late, two tickets a batch; the jobs it queued, of ours."""
		jobs = []
		with (
			patch.object(notifications, "NOTIFY_BATCH", 2),
			patch("frappe.enqueue", lambda method, **kwargs: jobs.append((method, kwargs))),
		):
			sweep_service_levels(ACTIVE_STATUSES, now=self.later)
		ours = []
		for method, kwargs in jobs:
			moved = [(name, state) for name, state in kwargs["moved"] if name in self.names]
			self.assertEqual((kwargs["queue"], kwargs["enqueue_after_commit"]), ("long", True))
			self.assertLessEqual(len(kwargs["moved"]), 2)
			if moved:
				ours.append((method, moved))
		return ours

	def told(self, ticket) -> list[str]:
		return [mail.subject for mail in queued_mails("Inquiry Ticket", ticket.name)]

	def test_a_run_that_moves_many_tickets_tells_staff_in_background_jobs_once_each(self):
		jobs = self.run_check()
		self.assertTrue(jobs)
		self.assertEqual({name for _method, moved in jobs for name, _state in moved}, self.names)
		self.assertEqual([self.told(ticket) for ticket in self.tickets], [[], [], []])  # not in the run

		for method, moved in jobs:
			method(moved=moved)
		for ticket in self.tickets:
			[late] = queued_mails("Inquiry Ticket", ticket.name)
			self.assertEqual(late.subject, f"Inquiry {ticket.name} has missed its deadline")
			self.assertLessEqual({user_of(CUSTOMER_SERVICE), user_of(AFTERSALES_MANAGER)}, late.recipients)

		self.assertEqual(self.run_check(), [])  # still late a run later: nothing new to tell

	def test_a_ticket_moved_on_is_not_told_and_one_that_fails_does_not_stop_the_others(self):
		jobs = self.run_check()
		answered, failing, told = self.tickets
		frappe.db.set_value("Inquiry Ticket", answered.name, "sla_status", "On Time")
		send = notifications.send

		def failing_send(notification, doc, can_send=None):
			if doc.name == failing.name:
				raise frappe.ValidationError("the template cannot be rendered")
			send(notification, doc, can_send)

		with patch.object(notifications, "send", failing_send):
			for method, moved in jobs:
				method(moved=moved)
		self.assertEqual(self.told(answered), [])
		self.assertEqual(self.told(failing), [])
		self.assertTrue(frappe.db.exists("Error Log", {"reference_name": failing.name}))
		self.assertEqual(self.told(told), [f"Inquiry {told.name} has missed its deadline"])
