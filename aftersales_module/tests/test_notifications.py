"""The customer hears of each step of their return or inquiry once, at the step, in their language, at
their e-mail (and by SMS where ERPNext's SMS Settings are filled in); staff hear of deadlines at risk
or missed, disputed claims and reopened cases. Read from the Email Queue, as the role users move the
cases; Administrator only sets up."""

from unittest.mock import patch

import frappe
from frappe.utils import add_days, now_datetime

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	CARRIER as CLAIM_CARRIER,
)
from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	INSPECTOR,
	MANAGER,
	SECOND_INSPECTOR,
	ensure_role_users,
	new_claim,
	review,
)
from aftersales_module.aftersales_module.doctype.inquiry_ticket.inquiry_ticket import ACTIVE_STATUSES
from aftersales_module.aftersales_module.doctype.inquiry_ticket.test_inquiry_ticket import (
	FRIDAY,
	TUESDAY,
	at,
	clock_at,
	open_ticket,
	set_office_hours,
	step,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	CARRIER,
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	as_role,
	open_request,
	postings,
	save_as,
	sell,
)
from aftersales_module.controllers.service_levels import sweep_service_levels
from aftersales_module.controllers.shipments import record_shipment
from aftersales_module.setup.notification_templates import CUSTOMER_MESSAGES, STAFF_MESSAGES
from aftersales_module.setup.notifications import install_case_notifications
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import TEST_CUSTOMER, make_delivery_flow, make_supplier
from aftersales_module.tests.notification_test_utils import QueuedMails, queued_mails, with_subject
from aftersales_module.tests.role_users import acting_as, user_of

BUYER = "buyer-h4@example.com"


def translated(text: str, lang: str) -> str:
	return frappe._(text, lang=lang)


class TestNotifications(QueuedMails, ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		install_case_notifications()
		ensure_role_users()

	def setUp(self):
		super().setUp()
		frappe.db.set_value("Customer", TEST_CUSTOMER, {"language": "zh-TW", "email_id": BUYER})

	def refund_only_request(self, **fields):
		return open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only", **fields)

	def test_each_step_of_a_refund_is_told_once_in_the_customers_language(self):
		request = self.refund_only_request()
		self.assertEqual(request.contact_email, BUYER)  # the customer's, as the case has none
		expected = []
		for action, subject in (
			("Submit", "We received your return request {0}"),
			("Send to Sales Approval", None),
			("Approve", "Your return request {0} is approved"),
			("Refund", "Your refund for return request {0}"),
			("Close", "Your return request {0} is closed"),
		):
			request = act(request, action)
			if subject:
				expected.append(translated(subject, "zh-TW").format(request.name))
			mails = queued_mails("Return Request", request.name)
			self.assertEqual([mail.subject for mail in mails], expected, action)
		self.assertTrue(all(mail.recipients == {BUYER} for mail in mails))

		request.reload()
		refunded = mails[2].text
		self.assertIn(request.get_formatted("refunded_amount"), refunded)
		self.assertIn(translated("Original Payment Method", "zh-TW"), refunded)
		self.assertIn("/aftersales-rating?case=" + request.name, mails[3].text.replace("%2F", "/"))
		self.assertIn(translated("How satisfied are you with how we handled it?", "zh-TW"), mails[3].text)

		# a save that moves nothing tells nobody anything
		save_as(request, CUSTOMER_SERVICE)
		self.assertEqual(len(queued_mails("Return Request", request.name)), 4)

	def test_a_rejection_says_why_in_simplified_chinese_at_the_cases_own_address(self):
		frappe.db.set_value("Customer", TEST_CUSTOMER, "language", "zh")
		request = act(self.refund_only_request(contact_email="desk-h4@example.com"), "Submit")
		save_as(request, CUSTOMER_SERVICE, rejection_reason="Bought more than 90 days ago")
		request = act(request, "Reject")
		[rejected] = with_subject(
			queued_mails("Return Request", request.name),
			translated("Your return request {0} is rejected", "zh").format(request.name),
		)
		self.assertEqual(rejected.recipients, {"desk-h4@example.com"})
		self.assertIn("Bought more than 90 days ago", rejected.text)
		self.assertIn(translated("Reason: {0}", "zh").format(""), rejected.text)
		self.assertNotEqual(translated("Reason: {0}", "zh"), "Reason: {0}")

	def test_a_customer_without_a_language_is_written_to_in_the_systems(self):
		frappe.db.set_value("Customer", TEST_CUSTOMER, "language", None)
		request = act(self.refund_only_request(), "Submit")
		[received] = queued_mails("Return Request", request.name)
		self.assertEqual(received.subject, f"We received your return request {request.name}")

	def test_an_answered_inquiry_is_told_once(self):
		ticket = open_ticket(contact_email=BUYER)
		ticket = step(ticket, "send_result", "Email", "Your parcel is at the depot; it leaves tomorrow.")
		step(ticket, "close")
		[answered] = queued_mails("Inquiry Ticket", ticket.name)
		self.assertEqual(
			answered.subject, translated("The answer to your inquiry {0}", "zh-TW").format(ticket.name)
		)
		self.assertIn("Your parcel is at the depot", answered.text)
		self.assertEqual(answered.recipients, {BUYER})

	def test_a_shipped_unit_is_told_with_carrier_and_tracking_once(self):
		make_supplier(CARRIER)
		order, delivery_note, _invoice = make_delivery_flow([(PHONE, 1, PRICE)])
		ticket = open_ticket(
			sales_order=order.name, delivery_note=delivery_note.name, inquiry_reason="Parcel Lost"
		)
		with acting_as(CUSTOMER_SERVICE):
			reissue = frappe.get_doc("Return Request", ticket.make_reissue())
		for action in ("Submit", "Send to Sales Approval", "Approve"):
			reissue = act(reissue, action)
		reissue.reload()
		as_role(WAREHOUSE, reissue.ship_reissue)
		[shipment] = postings(reissue, "Reissue", "Stock Entry")
		as_role(WAREHOUSE, record_shipment, shipment, CARRIER, "SF123456789")
		as_role(WAREHOUSE, record_shipment, shipment, None, None, None, frappe.utils.nowdate())
		subject = translated("Your unit for return request {0} is on its way", "zh-TW").format(reissue.name)
		[shipped] = with_subject(queued_mails("Return Request", reissue.name), subject)
		self.assertIn("SF123456789", shipped.text)
		self.assertIn(CARRIER, shipped.text)

	def test_an_sms_goes_out_only_where_sms_settings_are_filled_in(self):
		with patch("frappe.email.doctype.notification.notification.send_sms") as send_sms:
			act(self.refund_only_request(contact_phone="+886900000001"), "Submit")
			send_sms.assert_not_called()
			frappe.db.set_single_value("SMS Settings", "sms_gateway_url", "https://sms.example.com/send")
			request = act(self.refund_only_request(contact_phone="+886900000002"), "Submit")
		send_sms.assert_called_once()
		self.assertEqual(send_sms.call_args.kwargs["receiver_list"], ["+886900000002"])
		self.assertIn(
			translated(
				"We received your return request {0} and will review it shortly. We will write to you at each step.",
				"zh-TW",
			).format(request.name),
			send_sms.call_args.kwargs["msg"],
		)

	def test_staff_hear_of_a_missed_inquiry_deadline_once(self):
		ticket = open_ticket()
		later = add_days(now_datetime(), 10)
		self.assertEqual(sweep_service_levels(ACTIVE_STATUSES, now=later) >= 1, True)
		sweep_service_levels(ACTIVE_STATUSES, now=add_days(later, 1))
		[breached] = queued_mails("Inquiry Ticket", ticket.name)
		self.assertEqual(breached.subject, f"Inquiry {ticket.name} has missed its deadline")
		self.assertLessEqual({user_of(CUSTOMER_SERVICE), user_of(AFTERSALES_MANAGER)}, breached.recipients)
		self.assertNotIn(BUYER, breached.recipients)

	def test_customer_service_hears_first_that_an_inquiry_is_at_risk_then_with_the_manager_that_it_is_late(
		self,
	):
		set_office_hours()
		with clock_at(at(FRIDAY, 17, 45)):  # opened then: the answer is due Tuesday 9:15 in working hours
			ticket = open_ticket(opened_on=at(FRIDAY, 17, 45))
		sweep_service_levels(ACTIVE_STATUSES, now=at(TUESDAY, 9, 10))
		[at_risk] = queued_mails("Inquiry Ticket", ticket.name)
		self.assertEqual(at_risk.subject, f"Inquiry {ticket.name} is at risk of missing its deadline")
		self.assertIn(user_of(CUSTOMER_SERVICE), at_risk.recipients)
		self.assertNotIn(user_of(AFTERSALES_MANAGER), at_risk.recipients)
		sweep_service_levels(ACTIVE_STATUSES, now=at(TUESDAY, 9, 12))  # still at risk: nothing new
		sweep_service_levels(ACTIVE_STATUSES, now=at(TUESDAY, 9, 16))
		at_risk_again, late = queued_mails("Inquiry Ticket", ticket.name)
		self.assertEqual(at_risk_again, at_risk)
		self.assertEqual(late.subject, f"Inquiry {ticket.name} has missed its deadline")
		self.assertLessEqual({user_of(CUSTOMER_SERVICE), user_of(AFTERSALES_MANAGER)}, late.recipients)

	def test_the_manager_hears_of_a_disputed_claim(self):
		make_supplier(CLAIM_CARRIER)
		claim = new_claim(items=((PHONE, 1, PRICE),))
		review(claim, INSPECTOR, "Confirmed")
		review(claim, SECOND_INSPECTOR, "Disputed")
		[disputed] = queued_mails("Compensation Claim", claim.name)
		self.assertEqual(disputed.subject, f"Compensation claim {claim.name} is disputed")
		self.assertIn(MANAGER, disputed.recipients)

	def test_an_admins_edit_of_a_message_survives_the_next_migrate(self):
		notification = frappe.get_doc("Notification", "Aftersales Request Received")
		notification.subject = "Got it: {{ doc.name }}"
		notification.save()
		install_case_notifications()
		self.assertEqual(
			frappe.db.get_value("Notification", "Aftersales Request Received", "subject"),
			"Got it: {{ doc.name }}",
		)
		request = act(self.refund_only_request(), "Submit")
		self.assertEqual(
			[mail.subject for mail in queued_mails("Return Request", request.name)],
			[f"Got it: {request.name}"],
		)

	def test_every_text_of_the_shipped_messages_is_translated(self):
		import re

		sources = set()
		for fields in (*CUSTOMER_MESSAGES.values(), *STAFF_MESSAGES.values()):
			for template in fields[2:]:
				if isinstance(template, str):
					sources |= set(re.findall(r'_\("([^"]+)"\)', template))
		self.assertGreater(len(sources), 20)
		for lang in ("zh", "zh-TW"):
			untranslated = sorted(source for source in sources if translated(source, lang) == source)
			self.assertEqual(untranslated, [], lang)
