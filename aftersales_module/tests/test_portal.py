"""The customer portal, used by the website users of two customers: each files a return from their own
invoice with a photo, follows it in My returns, downloads its slip, asks about an order and rates the
closed return; neither sees or touches anything of the other's, whatever name they put in an address
or a call."""

import base64
import io

import frappe
from frappe.utils import flt

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	receive_payment,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import OverReturnError
from aftersales_module.controllers.portal import (
	NotYourCaseError,
	customers_of,
	download_attachment,
	return_slip,
)
from aftersales_module.controllers.portal_actions import (
	ask_about_order,
	can_reopen,
	rate_from_portal,
	reopen_from_portal,
	reopen_service,
)
from aftersales_module.controllers.portal_returns import (
	PortalReturnError,
	create_return,
	return_options,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, make_customer, make_sales_invoice
from aftersales_module.tests.portal_users import make_contact_user, make_portal_user
from aftersales_module.tests.role_users import acting_as

test_ignore = IGNORE_TEST_RECORDS

FIRST_CUSTOMER = "_Test Aftersales Portal Customer One"
SECOND_CUSTOMER = "_Test Aftersales Portal Customer Two"
FIRST_USER = "portal-one@example.com"
SECOND_USER = "portal-two@example.com"
CONTACT_USER = "portal-one-contact@example.com"


def png_photo() -> dict:
	from PIL import Image

	buffer = io.BytesIO()
	Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
	return {
		"file_name": "screen.png",
		"content": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
	}


def page(module: str, **query) -> frappe._dict:
	"""A portal page's context, as the page's address gives its query."""
	frappe.local.form_dict = frappe._dict(query)
	context = frappe._dict()
	frappe.get_attr(f"aftersales_module.www.aftersales.{module}.get_context")(context)
	return context


def rendered(path: str) -> tuple[int, str]:
	"""A portal page as the website serves it to the session's user: its status and HTML."""
	from frappe.utils import set_request
	from frappe.website.serve import get_response

	address, _, query = path.partition("?")
	set_request(method="GET", path=address, query_string=query)
	frappe.local.form_dict = frappe._dict(frappe.local.request.args)
	response = get_response(address)
	return response.status_code, response.get_data(as_text=True)


class TestPortal(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for customer in (FIRST_CUSTOMER, SECOND_CUSTOMER):
			make_customer(customer)
		make_portal_user(FIRST_USER, FIRST_CUSTOMER)
		make_portal_user(SECOND_USER, SECOND_CUSTOMER)
		make_contact_user(CONTACT_USER, FIRST_CUSTOMER)

	def setUp(self):
		super().setUp()
		self.first_invoice = self.sell_to(FIRST_CUSTOMER)
		self.second_invoice = self.sell_to(SECOND_CUSTOMER)

	def sell_to(self, customer: str, qty: int = 2):
		invoice = make_sales_invoice([(PHONE, qty, PRICE)], customer=customer)
		receive_payment(invoice.name)
		return invoice

	def file_return(self, user=FIRST_USER, invoice=None, qty=1, **fields):
		invoice = invoice or self.first_invoice
		with acting_as(user):
			return create_return(
				sales_invoice=invoice.name,
				request_type=fields.pop("request_type", "Return and Refund"),
				reason_category=fields.pop("reason_category", "Quality Problem"),
				reason_details=fields.pop("reason_details", "The screen flickers"),
				refund_method="Original Payment Method",
				lines=fields.pop("lines", [{"line": invoice.items[0].name, "qty": qty}]),
				photos=fields.pop("photos", [png_photo()]),
				**fields,
			)

	def refused(self, user: str, call, *args, **kwargs) -> str:
		with acting_as(user), self.assertRaises(frappe.PermissionError) as refusal:
			call(*args, **kwargs)
		return str(refusal.exception)

	def test_portal_users_act_for_the_customers_erpnext_links_them_to(self):
		self.assertEqual(customers_of(FIRST_USER), [FIRST_CUSTOMER])
		self.assertEqual(customers_of(CONTACT_USER), [FIRST_CUSTOMER])
		self.assertEqual(customers_of(SECOND_USER), [SECOND_CUSTOMER])
		self.assertEqual(customers_of("Guest"), [])

	def test_a_customer_files_a_return_with_a_photo_that_enters_customer_service_review(self):
		with acting_as(FIRST_USER):
			options = return_options(self.first_invoice.name, "Quality Problem")
		self.assertEqual(
			[(line["line"], line["returnable_qty"]) for line in options],
			[(self.first_invoice.items[0].name, 2)],
		)
		self.assertIn("Return and Refund", [each["value"] for each in options[0]["request_types"]])
		self.assertTrue(options[0]["rule"])

		name = self.file_return()
		request = frappe.get_doc("Return Request", name)
		self.assertEqual(
			(request.customer, request.channel, request.docstatus, request.status, request.owner),
			(FIRST_CUSTOMER, "Online Platform", 1, "Customer Service Review", FIRST_USER),
		)
		self.assertEqual(
			[(row.sales_invoice_item, row.qty, flt(row.rate), row.held_qty) for row in request.items],
			[(self.first_invoice.items[0].name, 1, PRICE, 1)],
		)
		photo = frappe.get_doc("File", {"attached_to_doctype": "Return Request", "attached_to_name": name})
		self.assertEqual((photo.is_private, photo.owner, request.evidence), (1, FIRST_USER, photo.file_url))

		with acting_as(FIRST_USER):
			self.assertEqual(
				return_options(self.first_invoice.name, "Quality Problem")[0]["returnable_qty"], 1
			)
			case = page("case", kind="return", name=name)
		self.assertEqual([step["label"] for step in case.timeline], ["Request Filed", "Under Review"])
		self.assertEqual(case.status, "Under Review")
		self.assertEqual([file["name"] for file in case.files], [photo.file_name])

	def test_my_returns_lists_the_customers_own_cases_only(self):
		first = self.file_return()
		second = self.file_return(SECOND_USER, self.second_invoice)
		for user, own, other in (
			(FIRST_USER, first, second),
			(CONTACT_USER, first, second),
			(SECOND_USER, second, first),
		):
			with acting_as(user):
				listed = {case["name"] for case in page("index").cases}
			self.assertIn(own, listed, user)
			self.assertNotIn(other, listed, user)

	def test_complaints_are_listed_with_their_customers_cases(self):
		if not frappe.db.exists("DocType", "Aftersales Complaint"):
			self.skipTest("this site has no complaints")
		complaint = frappe.get_doc(
			{
				"doctype": "Aftersales Complaint",
				"company": self.first_invoice.company,
				"customer": FIRST_CUSTOMER,
				"category": "Product Quality",
				"description": "The screen broke twice",
				"sales_invoice": self.first_invoice.name,
			}
		).insert()
		for user, listed in ((FIRST_USER, True), (SECOND_USER, False)):
			with acting_as(user):
				self.assertEqual(complaint.name in {case["name"] for case in page("index").cases}, listed)
		with acting_as(FIRST_USER):
			self.assertEqual(page("case", kind="complaint", name=complaint.name).status, "Complaint Received")

	def test_the_pages_render_in_the_customers_language_and_refuse_another_customer(self):
		name = self.file_return()
		with acting_as(FIRST_USER):
			ticket = ask_about_order("Sales Invoice", self.first_invoice.name, "Where Is My Order", "Where?")
			for path, shown in (
				("/aftersales", name),
				("/aftersales/new", self.first_invoice.name),
				(f"/aftersales/new?invoice={self.first_invoice.name}", PHONE),
				("/aftersales/ask", self.first_invoice.name),
				(f"/aftersales/return/{name}", "Download Return Slip"),
				(f"/aftersales/inquiry/{ticket}", "Question Received"),
			):
				status, html = rendered(path)
				self.assertEqual((status, shown in html), (200, True), path)
			frappe.local.lang = "zh"
			try:
				status, html = rendered(f"/aftersales/return/{name}")
			finally:
				frappe.local.lang = "en"
			self.assertIn("下载退货单", html)
		with acting_as(SECOND_USER):
			status, html = rendered(f"/aftersales/return/{name}")
		self.assertEqual(status, 403)
		self.assertNotIn(self.first_invoice.name, html)

	def test_the_other_customer_gets_nothing_of_a_case_whatever_the_name(self):
		name = self.file_return()
		photo = frappe.get_doc("File", {"attached_to_doctype": "Return Request", "attached_to_name": name})
		before = frappe.db.count("Return Request"), frappe.db.count("Inquiry Ticket")

		answers = {
			self.refused(SECOND_USER, page, "case", kind="return", name=name),
			self.refused(SECOND_USER, page, "case", kind="return", name="RET-NO-SUCH-CASE"),
			self.refused(SECOND_USER, return_slip, name),
			self.refused(SECOND_USER, return_slip, "RET-NO-SUCH-CASE"),
			self.refused(SECOND_USER, download_attachment, photo.name),
			self.refused(SECOND_USER, return_options, self.first_invoice.name, "Quality Problem"),
			self.refused(SECOND_USER, page, "new", invoice=self.first_invoice.name),
			self.refused(SECOND_USER, self.file_return, SECOND_USER, self.first_invoice),
			self.refused(
				SECOND_USER,
				ask_about_order,
				"Sales Invoice",
				self.first_invoice.name,
				"Where Is My Order",
				"?",
			),
			self.refused(SECOND_USER, ask_about_order, "Return Request", name, "Return Progress", "?"),
			self.refused(SECOND_USER, rate_from_portal, name, "Unsatisfied"),
		}
		# one answer, the same for another customer's records and for names that do not exist
		self.assertEqual(len(answers), 1, answers)
		self.assertEqual((frappe.db.count("Return Request"), frappe.db.count("Inquiry Ticket")), before)
		self.assertFalse(frappe.has_permission("File", doc=photo, user=SECOND_USER))
		self.assertFalse(frappe.has_permission("Return Request", "read", doc=name, user=SECOND_USER))

	def test_the_customer_downloads_their_slip_and_photos(self):
		name = self.file_return()
		photo = frappe.get_doc("File", {"attached_to_doctype": "Return Request", "attached_to_name": name})
		for user in (FIRST_USER, CONTACT_USER):
			with acting_as(user):
				return_slip(name)
				self.assertEqual(frappe.local.response.type, "pdf")
				self.assertTrue(frappe.local.response.filecontent.startswith(b"%PDF"))
				download_attachment(photo.name)
				self.assertEqual(frappe.local.response.filecontent, photo.get_content())

	def test_only_what_the_customer_decides_is_taken_from_the_call(self):
		with self.assertRaises(OverReturnError):
			self.file_return(qty=3)
		other_line = self.second_invoice.items[0].name
		with self.assertRaises(PortalReturnError):
			self.file_return(lines=[{"line": other_line, "qty": 1}])
		with self.assertRaises(frappe.ValidationError):
			self.file_return(request_type="Spare Unit")
		with self.assertRaises(PortalReturnError):
			self.file_return(
				photos=[{"file_name": "a.png", "content": base64.b64encode(b"<script>").decode()}]
			)

		name = self.file_return(
			lines=[{"line": self.first_invoice.items[0].name, "qty": 1, "rate": 1, "held_qty": 9}]
		)
		request = frappe.get_doc("Return Request", name)
		self.assertEqual((flt(request.items[0].rate), request.items[0].held_qty), (PRICE, 1))

	def test_a_customer_asks_about_their_order(self):
		with acting_as(FIRST_USER):
			name = ask_about_order(
				"Sales Invoice", self.first_invoice.name, "Where Is My Order", "Not here yet"
			)
			listed = {case["name"] for case in page("index").cases}
		ticket = frappe.get_doc("Inquiry Ticket", name)
		self.assertEqual(
			(ticket.customer, ticket.sales_invoice, ticket.channel, ticket.status, ticket.owner),
			(FIRST_CUSTOMER, self.first_invoice.name, "Online Platform", "Open", FIRST_USER),
		)
		self.assertIn(name, listed)

	def test_a_customer_follows_their_return_to_the_refund_and_rates_it_once(self):
		name = self.file_return(reason_category="Missing Item", request_type="Refund Only")
		request = frappe.get_doc("Return Request", name)
		for action in ("Send to Sales Approval", "Approve", "Refund", "Close"):
			request = act(request, action)

		with acting_as(FIRST_USER):
			case = page("case", kind="return", name=name)
			self.assertTrue(case.can_rate)
			self.assertEqual(case.can_reopen, reopen_service() is not None)
			rate_from_portal(name, "Satisfied", "Fast")
			self.assertRaises(frappe.ValidationError, rate_from_portal, name, "Unsatisfied")
		self.assertEqual(
			[step["label"] for step in case.timeline],
			["Request Filed", "Under Review", "Approved", "Refunded", "Closed"],
		)
		self.assertIn("Refunded", case.refund)
		self.assertEqual(
			frappe.db.get_value("Return Request", name, ["satisfaction", "rated_via"]),
			("Satisfied", "Portal"),
		)
		self.assertEqual(can_reopen(frappe.get_doc("Return Request", name)), reopen_service() is not None)

	def test_a_customer_reopens_their_closed_return_and_no_one_else_can(self):
		if reopen_service() is None:
			self.skipTest("this site has no reopen service; the portal offers no Reopen button")
		name = self.file_return(reason_category="Missing Item", request_type="Refund Only")
		request = frappe.get_doc("Return Request", name)
		for action in ("Send to Sales Approval", "Approve", "Refund", "Close"):
			request = act(request, action)
		self.refused(SECOND_USER, reopen_from_portal, "Return Request", name, "Mine now")
		with acting_as(FIRST_USER):
			self.assertEqual(reopen_from_portal("Return Request", name, "The refund never arrived"), 1)
			case = page("case", kind="return", name=name)
		self.assertEqual(frappe.db.get_value("Return Request", name, "stage"), "Review")
		self.assertEqual(case.timeline[-1]["label"], "Under Review")
		self.assertFalse(case.can_reopen)

	def test_an_open_return_cannot_be_rated_yet(self):
		name = self.file_return()
		with acting_as(FIRST_USER), self.assertRaises(frappe.ValidationError):
			rate_from_portal(name, "Satisfied")
		self.assertFalse(frappe.db.get_value("Return Request", name, "satisfaction"))

	def test_a_guest_is_sent_to_log_in(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.Redirect):
			page("index")
		self.assertRaises(frappe.PermissionError, return_options, self.first_invoice.name, "Quality Problem")
		self.assertIsInstance(NotYourCaseError(), frappe.PermissionError)
