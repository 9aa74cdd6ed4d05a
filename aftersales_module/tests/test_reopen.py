"""Reopening a closed return request: customer service, or the unsatisfied customer through their signed
link or the portal, within the days Aftersales Settings allow after closing, with a reason. It goes back
to customer service review, the count is kept, the stage log and the timeline say who, when and why,
staff are told and a second reopening tells the Aftersales Manager; nothing it posted is posted again."""

import re

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import ensure_role_users
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	as_role,
	back_linked,
	open_request,
	save_as,
	sell,
)
from aftersales_module.aftersales_module.doctype.return_request.test_satisfaction import as_guest, link_args
from aftersales_module.controllers.reopen import close_reopened, reopen, reopen_by_link, reopen_case
from aftersales_module.controllers.satisfaction import rate_by_link, rating_link
from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.setup.notifications import install_case_notifications
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.notification_test_utils import QueuedMails, queued_mails, with_subject
from aftersales_module.tests.role_users import acting_as, user_of

REOPENED = "was reopened"


def open_rating_page(args: dict):
	"""The rating page as the customer opens it from the link."""
	from aftersales_module.www.aftersales_rating import get_context

	frappe.local.form_dict = frappe._dict(args)
	return get_context(frappe._dict())


class TestReopen(QueuedMails, ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		install_case_notifications()
		ensure_role_users()

	def refunded_and_closed(self):
		request = open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only")
		for action in ("Submit", "Send to Sales Approval", "Approve", "Refund", "Close"):
			request = act(request, action)
		return request

	def rejected_and_closed(self):
		request = act(open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit")
		save_as(request, CUSTOMER_SERVICE, rejection_reason="No proof of purchase")
		return act(act(request, "Reject"), "Close")

	def test_customer_service_reopens_a_refunded_case_without_posting_again(self):
		request = self.refunded_and_closed()
		posted = back_linked(request.name)
		self.assertEqual(
			as_role(CUSTOMER_SERVICE, reopen, request.name, "Customer says the refund never arrived"), 1
		)

		request.reload()
		self.assertEqual(
			(request.status, request.stage, request.reopen_count, request.reopen_reason),
			("Customer Service Review", "Review", 1, "Customer says the refund never arrived"),
		)
		self.assertEqual(back_linked(request.name), posted)
		[log] = frappe.get_all(
			STAGE_LOG,
			filters={
				"reference_doctype": "Return Request",
				"reference_name": request.name,
				"to_stage": "Review",
			},
			fields=["from_stage", "moved_by"],
			order_by="moved_on desc",
			limit=1,
		)
		self.assertEqual((log.from_stage, log.moved_by), ("Closed", user_of(CUSTOMER_SERVICE)))
		comment = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Return Request",
				"reference_name": request.name,
				"comment_type": "Info",
			},
			pluck="content",
		)
		self.assertTrue(any("the refund never arrived" in text for text in comment))

		[told] = with_subject(queued_mails("Return Request", request.name), REOPENED)
		self.assertIn(user_of(CUSTOMER_SERVICE), told.recipients)
		self.assertNotIn(user_of(AFTERSALES_MANAGER), told.recipients)

		# the workflow does not run it again: its refund stays the only one
		with acting_as(CUSTOMER_SERVICE), self.assertRaises(frappe.ValidationError):
			apply_workflow(frappe.get_doc("Return Request", request.name).as_dict(), "Send to Sales Approval")
		self.assertEqual(back_linked(request.name), posted)

	def test_a_second_reopening_tells_the_manager(self):
		request = self.rejected_and_closed()
		as_role(CUSTOMER_SERVICE, reopen, request.name, "Proof of purchase found")
		as_role(
			CUSTOMER_SERVICE, close_reopened, request.name, "Told the customer the proof is for another order"
		)
		request.reload()
		self.assertEqual((request.stage, request.status, request.reopen_count), ("Closed", "Closed", 1))
		self.assertEqual(as_role(CUSTOMER_SERVICE, reopen, request.name, "Still disagrees"), 2)
		first, second = with_subject(queued_mails("Return Request", request.name), REOPENED)
		self.assertNotIn(user_of(AFTERSALES_MANAGER), first.recipients)
		self.assertIn(user_of(AFTERSALES_MANAGER), second.recipients)
		self.assertIn("Still disagrees", second.text)

	def test_only_a_closed_case_within_the_period_with_a_reason(self):
		open_case = act(
			open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit"
		)
		self.assertRaises(
			frappe.ValidationError, as_role, CUSTOMER_SERVICE, reopen, open_case.name, "Too early"
		)

		request = self.rejected_and_closed()
		for reason in (None, "", "   ", "x" * 2001):
			with self.subTest(reason=reason):
				self.assertRaises(
					frappe.ValidationError, as_role, CUSTOMER_SERVICE, reopen, request.name, reason
				)
		self.assertRaises(frappe.PermissionError, as_role, WAREHOUSE, reopen, request.name, "Not my job")
		self.assertRaises(
			frappe.ValidationError,
			as_role,
			CUSTOMER_SERVICE,
			reopen_case,
			"Inquiry Ticket",
			request.name,
			"x",
			"Staff",
		)

		frappe.db.set_single_value("Aftersales Settings", "reopen_days", 5)
		frappe.db.set_value(
			STAGE_LOG,
			{"reference_doctype": "Return Request", "reference_name": request.name, "to_stage": "Closed"},
			"moved_on",
			add_days(now_datetime(), -6),
		)
		with self.assertRaises(frappe.ValidationError) as refused:
			as_role(CUSTOMER_SERVICE, reopen, request.name, "Late")
		self.assertIn("5", str(refused.exception))
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "reopen_count"), 0)

	def test_the_unsatisfied_customer_reopens_through_the_rating_link(self):
		request = self.rejected_and_closed()
		args = link_args(rating_link(request.name))
		as_guest(rate_by_link, **args, rating="Unsatisfied", comment="Nobody listened")
		page = as_guest(open_rating_page, args)
		self.assertEqual((page.already_rated, page.closed, page.unsatisfied), (True, True, True))
		self.assertEqual(as_guest(reopen_by_link, **args, reason="I have the receipt now"), 1)
		request.reload()
		self.assertEqual((request.stage, request.reopen_count), ("Review", 1))
		self.assertFalse(as_guest(open_rating_page, args).closed)  # no second reopening from the page

		for signature in ("forged", "\x80偽造"):
			forged = {**args, "signature": signature}
			self.assertRaises(frappe.PermissionError, as_guest, reopen_by_link, **forged, reason="again")
		expired = link_args(rating_link(request.name, days=-1))
		self.assertRaises(frappe.PermissionError, as_guest, reopen_by_link, **expired, reason="again")
		# the expiry day is part of what was signed: a later day with the same signature is refused
		stretched = {
			**link_args(rating_link(request.name, days=-1)),
			"expires": add_days(now_datetime(), 30).date().isoformat(),
		}
		self.assertRaises(frappe.PermissionError, as_guest, rate_by_link, **stretched, rating="Satisfied")

	def test_the_rating_page_offers_reopening_only_to_an_unsatisfied_customer_of_a_closed_case(self):
		from urllib.parse import urlparse

		from aftersales_module.tests.test_portal import rendered

		unsatisfied, satisfied = self.rejected_and_closed(), self.rejected_and_closed()
		for request, rating in ((unsatisfied, "Unsatisfied"), (satisfied, "Satisfied")):
			as_guest(rate_by_link, **link_args(rating_link(request.name)), rating=rating)
		pages = {}
		for request in (unsatisfied, satisfied):
			link = urlparse(rating_link(request.name))
			status, html = as_guest(rendered, f"{link.path}?{link.query}")
			self.assertEqual(status, 200)
			pages[request.name] = html
		[form_tag] = re.findall(r'<form id="aftersales-reopen-form"[^>]*>', pages[unsatisfied.name])
		self.assertNotIn("hidden", form_tag)  # shown at once: the customer rated it unsatisfied
		self.assertNotIn("aftersales-reopen-form", pages[satisfied.name])

	def test_a_portal_user_reopens_only_their_customers_case(self):
		request = self.rejected_and_closed()
		stranger = "stranger-h4@example.com"
		if not frappe.db.exists("User", stranger):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": stranger,
					"first_name": "Stranger",
					"user_type": "Website User",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		with acting_as(stranger), self.assertRaises(frappe.PermissionError):
			reopen_case("Return Request", request.name, "Let me in", "Portal")
		customer = frappe.get_doc("Customer", request.customer)
		customer.append("portal_users", {"user": stranger})
		customer.save(ignore_permissions=True)
		with acting_as(stranger):
			self.assertEqual(reopen_case("Return Request", request.name, "It broke again", "Portal"), 1)
