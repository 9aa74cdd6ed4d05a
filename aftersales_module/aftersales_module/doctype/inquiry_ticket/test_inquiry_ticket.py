# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Inquiry tickets 查件 on a real site: deadlines from Aftersales Settings in working hours and
holidays, states asserted at fixed clocks, the pause while waiting on the customer, the scheduled
check, and escalation to a reissue or a return request linked both ways. Customer service opens the
ticket and takes its steps, the departments add their findings; Administrator only sets up (and is
the scheduler)."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch

import frappe
from frappe.utils import add_days, get_datetime, now_datetime, nowdate

from aftersales_module.aftersales_module.doctype.inquiry_ticket import inquiry_ticket
from aftersales_module.aftersales_module.doctype.inquiry_ticket.inquiry_ticket import update_service_levels
from aftersales_module.controllers.service_levels import sweep_service_levels
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_customer,
	make_delivery_flow,
	make_item,
	make_stock,
)
from aftersales_module.tests.role_users import acting_as, make_role_user
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim"]

ITEM = "_Test Aftersales Inquiry Shoe"
HOLIDAYS = "_Test Aftersales Holidays"
FRIDAY = datetime(2024, 3, 1)
HOLIDAY_MONDAY = datetime(2024, 3, 4)
TUESDAY = datetime(2024, 3, 5)
WEDNESDAY = datetime(2024, 3, 6)


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
	return day.replace(hour=hour, minute=minute)


def open_ticket(**fields):
	"""Customer service opens the ticket."""
	with acting_as(CUSTOMER_SERVICE):
		ticket = frappe.get_doc(
			{
				"doctype": "Inquiry Ticket",
				"company": TEST_COMPANY,
				"customer": TEST_CUSTOMER,
				"channel": "Hotline",
				"inquiry_reason": "Where Is My Order",
				**fields,
			}
		)
		ticket.insert()
	return ticket


@contextmanager
def clock_at(moment: datetime):
	"""The ticket's clock reads `moment`: a step taken then."""
	with patch.object(inquiry_ticket, "now_datetime", return_value=moment):
		yield


def step(ticket, method: str, *args, at: datetime | None = None, role: str = CUSTOMER_SERVICE):
	"""The role presses the ticket's button (at a fixed clock); the ticket as stored afterwards."""
	with acting_as(role):
		doc = frappe.get_doc("Inquiry Ticket", ticket.name)
		if at is None:
			getattr(doc, method)(*args)
		else:
			with clock_at(at):
				getattr(doc, method)(*args)
	return frappe.get_doc("Inquiry Ticket", ticket.name)


def set_office_hours(first_response_minutes=30, result_hours=8):
	"""Monday to Friday 09:00-18:00, Monday 4 March 2024 a holiday."""
	if not frappe.db.exists("Holiday List", HOLIDAYS):
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": HOLIDAYS,
				"from_date": "2024-01-01",
				"to_date": "2024-12-31",
				"holidays": [{"holiday_date": HOLIDAY_MONDAY.date(), "description": "Test holiday"}],
			}
		).insert(ignore_permissions=True)
	settings = frappe.get_single("Aftersales Settings")
	settings.first_response_minutes = first_response_minutes
	settings.result_feedback_hours = result_hours
	settings.sla_at_risk_percent = 80
	settings.holiday_list = HOLIDAYS
	settings.set(
		"working_hours",
		[
			{"weekday": weekday, "start_time": "09:00:00", "end_time": "18:00:00"}
			for weekday in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
		],
	)
	settings.save()


class TestInquiryServiceLevel(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()

	def setUp(self):
		super().setUp()
		set_office_hours()

	def test_deadlines_count_working_hours_and_skip_the_weekend_and_the_holiday(self):
		ticket = open_ticket(opened_on=at(FRIDAY, 17, 45))
		self.assertEqual((ticket.response_minutes, ticket.result_minutes), (30, 480))
		# 15 minutes on Friday, then nothing until Tuesday: the weekend and Monday's holiday don't count.
		self.assertEqual(get_datetime(ticket.response_by), at(TUESDAY, 9, 15))
		self.assertEqual(get_datetime(ticket.result_by), at(TUESDAY, 16, 45))

		ticket.refresh_service_level(at(HOLIDAY_MONDAY, 17))
		self.assertEqual((ticket.response_status, ticket.sla_status), ("On Time", "On Time"))
		ticket.refresh_service_level(at(TUESDAY, 9, 10))  # 25 of 30 minutes used
		self.assertEqual((ticket.response_status, ticket.sla_status), ("At Risk", "At Risk"))
		ticket.refresh_service_level(at(TUESDAY, 9, 16))
		self.assertEqual((ticket.response_status, ticket.sla_status), ("Breached", "Breached"))
		# What the scheduler stores is what the form and the list show.
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", ticket.name, "sla_status"), "Breached")

	def test_a_reply_after_the_deadline_stays_breached_and_a_result_in_time_is_on_time(self):
		ticket = open_ticket(opened_on=at(FRIDAY, 17, 45))
		ticket = step(ticket, "record_first_response", at=at(TUESDAY, 9, 20))
		self.assertEqual((ticket.status, ticket.response_status), ("Replied", "Breached"))

		ticket = step(
			ticket, "send_result", "Phone", "Parcel found at the hub; delivery tomorrow.", at=at(TUESDAY, 16)
		)
		self.assertEqual((ticket.status, ticket.result_status), ("Resolved", "On Time"))
		self.assertEqual(ticket.sla_status, "Breached")
		# Once answered, the clock no longer matters.
		ticket.refresh_service_level(at(WEDNESDAY, 12))
		self.assertEqual((ticket.response_status, ticket.result_status), ("Breached", "On Time"))

		step(ticket, "close", at=at(WEDNESDAY, 12))
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", ticket.name, "status"), "Closed")

	def test_a_result_given_late_is_breached(self):
		ticket = open_ticket(opened_on=at(TUESDAY, 9))
		ticket = step(ticket, "record_first_response", at=at(TUESDAY, 9, 5))
		ticket = step(ticket, "send_result", "SMS", "Delivered.", at=at(TUESDAY, 17, 1))
		self.assertEqual(get_datetime(ticket.result_by), at(TUESDAY, 17))
		self.assertEqual((ticket.response_status, ticket.result_status), ("On Time", "Breached"))

	def test_waiting_on_the_customer_stops_the_result_clock(self):
		ticket = open_ticket(opened_on=at(TUESDAY, 9))
		ticket = step(ticket, "record_first_response", at=at(TUESDAY, 9, 10))
		ticket = step(ticket, "wait_on_customer", at=at(TUESDAY, 10))
		self.assertEqual(ticket.status, "Waiting on Customer")
		# Paused at 10:00 with 420 of 480 minutes left: still On Time whatever the real clock says.
		ticket.refresh_service_level(at(WEDNESDAY, 17))
		self.assertEqual(ticket.result_status, "On Time")

		ticket = step(ticket, "customer_replied", at=at(WEDNESDAY, 10))
		# Tuesday 10:00-18:00 and Wednesday 09:00-10:00 waited: 540 working minutes given back.
		self.assertEqual(ticket.paused_minutes, 540)
		self.assertEqual(get_datetime(ticket.result_by), at(WEDNESDAY, 17))
		ticket = step(
			ticket, "send_result", "Email", "Replacement address confirmed.", at=at(WEDNESDAY, 16, 30)
		)
		self.assertEqual(
			(ticket.status, ticket.result_status, ticket.sla_status), ("Resolved", "On Time", "On Time")
		)

	def test_deadlines_keep_the_allowance_the_ticket_was_opened_with(self):
		ticket = open_ticket(opened_on=at(TUESDAY, 9))
		set_office_hours(first_response_minutes=5, result_hours=1)
		with acting_as(CUSTOMER_SERVICE):
			ticket.reload()
			ticket.save()
		self.assertEqual(get_datetime(ticket.response_by), at(TUESDAY, 9, 30))

	def test_the_scheduled_check_breaches_open_tickets_and_leaves_closed_ones(self):
		settings = frappe.get_single("Aftersales Settings")
		settings.set("working_hours", [])
		settings.holiday_list = None
		settings.save()
		late = open_ticket(opened_on=now_datetime() - timedelta(hours=2))
		answered = open_ticket(opened_on=now_datetime() - timedelta(hours=2))
		answered = step(
			answered, "record_first_response", at=now_datetime() - timedelta(hours=2) + timedelta(minutes=10)
		)
		answered = step(
			answered, "send_result", "Phone", "Delivered today.", at=now_datetime() - timedelta(hours=1)
		)
		step(answered, "close")
		frappe.db.set_value("Inquiry Ticket", late.name, "sla_status", "On Time")

		update_service_levels()
		self.assertEqual(
			frappe.db.get_value("Inquiry Ticket", late.name, ["response_status", "sla_status"]),
			("Breached", "Breached"),
		)
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", answered.name, "sla_status"), "On Time")

	def test_the_scheduled_check_writes_only_what_changed_and_carries_on_past_a_broken_ticket(self):
		settings = frappe.get_single("Aftersales Settings")
		settings.set("working_hours", [])
		settings.holiday_list = None
		settings.save()
		late = open_ticket(opened_on=now_datetime() - timedelta(hours=2))
		broken = open_ticket(opened_on=now_datetime() - timedelta(hours=2))
		fresh = open_ticket(opened_on=now_datetime())
		frappe.db.set_value("Inquiry Ticket", late.name, "sla_status", "On Time")
		# Damaged by hand in the database: the check cannot count a negative allowance.
		frappe.db.set_value("Inquiry Ticket", broken.name, {"response_minutes": -5, "sla_status": "On Time"})
		modified = frappe.db.get_value("Inquiry Ticket", late.name, "modified")

		update_service_levels()
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", late.name, "sla_status"), "Breached")
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", late.name, "modified"), modified)
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", broken.name, "sla_status"), "On Time")
		self.assertTrue(frappe.db.exists("Error Log", {"reference_name": broken.name}))
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", fresh.name, "sla_status"), "On Time")

		# A second run a moment later finds nothing of these to change and writes nothing.
		now = now_datetime()
		with patch("frappe.db.set_value") as set_value:
			sweep_service_levels(inquiry_ticket.ACTIVE_STATUSES, now)
		written = {call.args[1] for call in set_value.call_args_list}
		self.assertFalse(written & {late.name, fresh.name}, written)

	def test_working_hours_that_end_before_they_start_or_overlap_are_refused(self):
		settings = frappe.get_single("Aftersales Settings")
		settings.append(
			"working_hours", {"weekday": "Saturday", "start_time": "14:00:00", "end_time": "10:00:00"}
		)
		self.assertRaises(frappe.ValidationError, settings.save)
		settings.reload()
		settings.append(
			"working_hours", {"weekday": "Monday", "start_time": "17:00:00", "end_time": "20:00:00"}
		)
		self.assertRaises(frappe.ValidationError, settings.save)

	def test_times_before_the_ticket_was_opened_are_refused(self):
		ticket = open_ticket(opened_on=at(TUESDAY, 9))
		self.assertRaises(frappe.ValidationError, step, ticket, "record_first_response", at=at(TUESDAY, 8))

	def test_waiting_needs_a_first_response(self):
		ticket = open_ticket(opened_on=at(TUESDAY, 9))
		self.assertRaises(frappe.ValidationError, step, ticket, "wait_on_customer", at=at(TUESDAY, 10))
		self.assertFalse(frappe.db.get_value("Inquiry Ticket", ticket.name, "paused_since"))

	def test_findings_are_compiled_into_the_inquiry_report(self):
		ticket = open_ticket(
			opened_on=at(TUESDAY, 9),
			tracking_no="SF1234567",
			anomaly="Delayed",
			analysis="Hub backlog after the storm.",
			proposed_solution="Priority delivery tomorrow.",
		)
		# The warehouse, who ship the parcels, add what they found.
		with acting_as(WAREHOUSE) as warehouse_user:
			ticket = frappe.get_doc("Inquiry Ticket", ticket.name)
			ticket.append("findings", {"department": "Logistics", "finding": "Stuck at the Wuhan hub."})
			ticket.append("findings", {"department": "Warehouse", "finding": "Shipped complete on time."})
			ticket.save()
		self.assertEqual([row.checked_by for row in ticket.findings], [warehouse_user] * 2)
		for text in (
			"SF1234567",
			"Stuck at the Wuhan hub.",
			"Shipped complete on time.",
			"Priority delivery",
		):
			self.assertIn(text, ticket.inquiry_report)


class TestTicketEscalation(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()
		make_item(ITEM)
		make_stock(ITEM, qty=50, rate=40, posting_date=add_days(nowdate(), -30))

	def test_reissue_and_return_request_are_made_once_and_linked_both_ways(self):
		order, delivery_note, invoice = make_delivery_flow([(ITEM, 3, 90)])
		ticket = open_ticket(
			sales_order=order.name,
			delivery_note=delivery_note.name,
			inquiry_reason="Parcel Lost",
			anomaly="Returned",
			anomaly_details="Returned to sender: address unknown.",
		)
		# A returned parcel is reissued, not compensated.
		self.assertRaises(frappe.ValidationError, step, ticket, "make_compensation_claim")

		with acting_as(CUSTOMER_SERVICE):
			reissue = frappe.get_doc("Return Request", ticket.make_reissue())
		self.assertEqual(
			(reissue.request_type, reissue.inquiry_ticket, reissue.sales_invoice, reissue.customer),
			("Reissue", ticket.name, invoice.name, TEST_CUSTOMER),
		)
		self.assertEqual([(row.item_code, row.qty) for row in reissue.items], [(ITEM, 3)])
		ticket.reload()
		self.assertEqual(ticket.reissue_request, reissue.name)
		with acting_as(CUSTOMER_SERVICE):
			self.assertEqual(ticket.make_reissue(), reissue.name)
			request = ticket.make_return_request()
		self.assertEqual(frappe.db.get_value("Return Request", request, "request_type"), "Return and Refund")
		self.assertEqual(
			frappe.db.get_value("Inquiry Ticket", ticket.name, "escalated_return_request"), request
		)
		self.assertEqual(
			frappe.db.count("Return Request", {"inquiry_ticket": ticket.name}), 2, "one reissue, one return"
		)
		# An escalated ticket stays with what it became: not even the manager deletes it.
		with acting_as(AFTERSALES_MANAGER):
			self.assertRaises(frappe.LinkExistsError, frappe.delete_doc, "Inquiry Ticket", ticket.name)

	def test_a_ticket_without_an_invoice_says_so(self):
		ticket = open_ticket(anomaly="Returned")
		with self.assertRaises(frappe.ValidationError) as error:
			step(ticket, "make_reissue")
		self.assertIn("Sales Invoice", str(error.exception))

	def test_an_order_of_another_customer_is_refused(self):
		make_customer("_Test Aftersales Other Customer")
		order, _delivery_note, _invoice = make_delivery_flow(
			[(ITEM, 1, 90)], customer="_Test Aftersales Other Customer"
		)
		self.assertRaises(frappe.ValidationError, open_ticket, sales_order=order.name)


CLERK = "as-customer-service@example.com"
INSPECTOR = "as-inspector@example.com"


def api_update(name: str, data: dict):
	"""PUT /api/resource/Inquiry Ticket/<name>, as frappe.api.v1.update_doc does it."""
	ticket = frappe.get_doc("Inquiry Ticket", name, for_update=True)
	ticket.update(data)
	ticket.save()
	return ticket


class TestTicketAsRoleUsers(AftersalesTestCase):
	"""Customer service runs the ticket's clock; other roles add what they found; the service-level
	states, the pause and the escalation links are the server's."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()
		make_role_user(CLERK, "Aftersales Customer Service", "Sales User")
		make_role_user(INSPECTOR, "Aftersales Quality Inspector", "Stock User")

	def setUp(self):
		super().setUp()
		set_office_hours()

	def test_server_owned_fields_are_not_taken_from_clients(self):
		forged = {
			"status": "Closed",
			"sla_status": "On Time",
			"response_status": "On Time",
			"response_minutes": 100000,
			"result_minutes": 100000,
			"paused_since": now_datetime(),
			"paused_minutes": 9999,
		}
		with acting_as(CLERK):
			ticket = open_ticket(opened_on=now_datetime() - timedelta(days=3), **forged)
		# Links are checked before anything else on a new document; on a save they are reset first.
		forged.update(compensation_claim="CLM-FORGED", reissue_request="RR-FORGED")
		self.assertEqual((ticket.response_minutes, ticket.result_minutes), (30, 480))
		self.assertEqual((ticket.status, ticket.sla_status), ("Open", "Breached"))
		self.assertFalse(ticket.paused_since or ticket.paused_minutes)
		self.assertFalse(ticket.compensation_claim or ticket.reissue_request)

		with acting_as(CLERK):
			api_update(ticket.name, {**forged, "analysis": "Hub backlog."})
		stored = frappe.get_doc("Inquiry Ticket", ticket.name)
		self.assertEqual(stored.analysis, "Hub backlog.")
		self.assertEqual(
			(stored.status, stored.sla_status, stored.response_minutes), ("Open", "Breached", 30)
		)
		self.assertFalse(stored.paused_since or stored.compensation_claim or stored.reissue_request)

	def test_answers_and_their_times_come_only_from_customer_services_steps(self):
		with acting_as(CLERK):
			ticket = open_ticket(opened_on=now_datetime() - timedelta(days=3))
		answered = {
			"first_responded_on": ticket.opened_on,
			"feedback_on": ticket.opened_on,
			"feedback_method": "Phone",
			"feedback_text": "done",
		}
		for user in (INSPECTOR, CLERK):
			with acting_as(user):
				api_update(ticket.name, answered)
		stored = frappe.get_doc("Inquiry Ticket", ticket.name)
		self.assertEqual(
			(stored.first_responded_on, stored.feedback_on, stored.feedback_text, stored.status),
			(None, None, None, "Open"),
		)
		self.assertEqual(stored.response_status, "Breached")
		with acting_as(CLERK):
			self.assertRaises(frappe.ValidationError, api_update, ticket.name, {"opened_on": now_datetime()})
			self.assertRaises(
				frappe.ValidationError, open_ticket, opened_on=now_datetime() + timedelta(days=30)
			)

	def test_each_role_does_its_own_steps(self):
		with acting_as(CLERK):
			ticket = open_ticket(opened_on=now_datetime() - timedelta(minutes=5))
		# An inspector adds a finding, stamped with who added it whatever the client says.
		with acting_as(INSPECTOR):
			api_update(
				ticket.name,
				{
					"findings": [
						{
							"department": "Quality",
							"finding": "Carton intact at dispatch.",
							"checked_by": CLERK,
							"checked_on": "2020-01-01 00:00:00",
						}
					]
				},
			)
			self.assertRaises(
				StepPermissionError, frappe.get_doc("Inquiry Ticket", ticket.name).wait_on_customer
			)
		stored = frappe.get_doc("Inquiry Ticket", ticket.name)
		self.assertEqual(stored.findings[0].checked_by, INSPECTOR)
		self.assertGreater(get_datetime(stored.findings[0].checked_on), get_datetime("2020-01-01"))

		with acting_as(CLERK):
			frappe.get_doc("Inquiry Ticket", ticket.name).record_first_response()
			frappe.get_doc("Inquiry Ticket", ticket.name).wait_on_customer()
			self.assertTrue(frappe.db.get_value("Inquiry Ticket", ticket.name, "paused_since"))
			frappe.get_doc("Inquiry Ticket", ticket.name).customer_replied()
			# As the form's Send Result dialog calls it: run_doc_method hands the dialog's values over.
			frappe.get_doc("Inquiry Ticket", ticket.name).run_method(
				"send_result", feedback_method="Phone", text="Found at the hub."
			)
			frappe.get_doc("Inquiry Ticket", ticket.name).close()
		stored = frappe.get_doc("Inquiry Ticket", ticket.name)
		self.assertEqual((stored.status, stored.paused_since), ("Closed", None))
		self.assertEqual(stored.findings[0].checked_by, INSPECTOR)
