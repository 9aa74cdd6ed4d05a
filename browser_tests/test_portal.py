"""The customer portal in a real browser: a customer's website user logs in, files a return from their
paid invoice with a photo, finds it in My returns and downloads its Return Slip and the photo; the
website user of another customer then asks for that case's page, slip, photo and the first customer's
invoice through the pages and the API, and gets 403 or 404 each time. A second return is moved through
the workflow by the role users in their own sessions; the customer sees each step on its page, and the
Email Queue (read by a mail reader) holds each step's e-mail to the customer once; from the closing
e-mail's rating link, with no session, the customer rates the return once and reopens it.

With AFTERSALES_SCREENSHOTS set to a folder, the pages are photographed into it for the README."""

import email
import html
import json
import os
import re
import struct
import zlib
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from playwright.sync_api import Page, expect

REFUSED = (403, 404)
API = "/api/method/aftersales_module.controllers"


def png_bytes(width: int = 24, height: int = 16) -> bytes:
	"""A small red PNG, made without an imaging library."""

	def chunk(kind: bytes, data: bytes) -> bytes:
		return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

	rows = b"".join(b"\x00" + b"\xc8\x1e\x1e" * width for _ in range(height))
	header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
	return (
		b"\x89PNG\r\n\x1a\n"
		+ chunk(b"IHDR", header)
		+ chunk(b"IDAT", zlib.compress(rows))
		+ chunk(b"IEND", b"")
	)


def photograph(page: Page, name: str) -> None:
	folder = os.environ.get("AFTERSALES_SCREENSHOTS")
	if folder:
		Path(folder).mkdir(parents=True, exist_ok=True)
		page.screenshot(path=str(Path(folder) / f"{name}.png"))


def log_in(page: Page, user: dict) -> None:
	page.goto("/login")
	page.fill("#login_email", user["email"])
	page.fill("#login_password", user["password"])
	with page.expect_response(lambda response: response.request.method == "POST") as login:
		page.locator("form.form-login button.btn-login").first.click()
	assert login.value.ok, f"{user['email']} could not log in: {login.value.status}"
	page.wait_for_url(lambda url: "/login" not in url, wait_until="commit")


def no_problems(page: Page) -> None:
	assert not page.problems, "\n".join(page.problems)


def post_status(page: Page, method: str, args: dict) -> int:
	"""The status of a POST to a whitelisted method, sent from the page with its session and CSRF token."""
	return page.evaluate(
		"""async ([url, args]) => (await fetch(url, {
			method: "POST",
			headers: {"Content-Type": "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token},
			body: JSON.stringify(args),
		})).status""",
		[f"{API}.{method}", args],
	)


def test_a_customer_files_a_return_and_another_customer_sees_none_of_it(new_page, browser_data, tmp_path):
	portal = browser_data["portal"]
	first, second = portal["customers"]
	photo = tmp_path / "damaged-screen.png"
	photo.write_bytes(png_bytes())

	# -- the first customer files a return from their invoice with a photo
	page = new_page()
	page.set_viewport_size({"width": 1100, "height": 800})
	log_in(page, first)
	page.goto("/aftersales")
	expect(page.locator("#aftersales-new-return")).to_be_visible()
	page.click("#aftersales-new-return")
	page.click(f'a[data-invoice="{portal["invoice"]}"]')
	line = page.locator(f'#aftersales-lines tr[data-line="{portal["line"]}"]')
	expect(line).to_be_visible()
	line.locator("input.pick").check()
	line.locator("input.qty").fill("1")
	expect(page.locator("#request_type option")).not_to_have_count(0)
	page.select_option("#request_type", "Return and Refund")
	page.fill("#reason_details", "The screen flickers after a day")
	page.set_input_files("#photos", str(photo))
	photograph(page, "portal-new-return")
	page.click("#aftersales-submit")
	page.wait_for_url(re.compile(r"/aftersales/return/"))
	case_url = page.url
	case = case_url.rsplit("/", 1)[-1]
	expect(page.locator("#aftersales-timeline li").first).to_be_visible()
	expect(page.locator("#aftersales-files a")).to_have_count(1)
	photograph(page, "portal-case")

	# -- it is listed in My returns
	page.goto("/aftersales")
	expect(page.locator(f'#aftersales-case-list tr[data-case="{case}"]')).to_be_visible()
	photograph(page, "portal-my-returns")

	# -- its slip and photo download for the customer
	page.goto(case_url)
	slip_url = page.get_attribute("#aftersales-slip", "href")
	photo_url = page.get_attribute("#aftersales-files a", "href")
	slip = page.request.get(slip_url)
	assert slip.status == 200 and slip.body().startswith(b"%PDF"), slip.status
	assert page.request.get(photo_url).body() == photo.read_bytes()
	no_problems(page)

	# -- the other customer gets nothing of it: page, slip, photo, file, invoice, API calls
	other = new_page()
	log_in(other, second)
	other.goto("/aftersales")
	expect(other.locator(f'tr[data-case="{case}"]')).to_have_count(0)
	private_file = f"/private/files/{photo_url.rsplit('=', 1)[-1]}"
	for url in (
		case_url,
		slip_url,
		photo_url,
		private_file,
		f"/aftersales/new?invoice={portal['invoice']}",
		f"{API}.portal_returns.return_options?sales_invoice={portal['invoice']}&reason_category=Quality+Problem",
		f"/api/resource/Return Request/{case}",
		f"/api/method/frappe.client.get?doctype=Return+Request&name={case}",
		f"/printview?doctype=Return+Request&name={case}&format=Return+Slip",
		f"/api/method/frappe.utils.print_format.download_pdf?doctype=Return+Request&name={case}",
	):
		status = other.request.get(url).status
		assert status in REFUSED, f"{second['email']} got {status} for {url}"
	stolen_line = [{"line": portal["line"], "qty": 1}]
	for method, args in (
		(
			"portal_returns.create_return",
			{
				"sales_invoice": portal["invoice"],
				"request_type": "Return and Refund",
				"reason_category": "Quality Problem",
				"reason_details": "mine now",
				"lines": stolen_line,
			},
		),
		(
			"portal_actions.ask_about_order",
			{
				"reference_doctype": "Return Request",
				"reference_name": case,
				"inquiry_reason": "Return Progress",
				"details": "?",
			},
		),
		("portal_actions.rate_from_portal", {"name": case, "rating": "Unsatisfied"}),
	):
		status = post_status(other, method, args)
		assert status in REFUSED, f"{second['email']} got {status} for {method}"


def call(page: Page, method: str, args: dict | None = None, http: str = "POST") -> dict:
	"""A whitelisted method or resource called from the page with its user's session: status and JSON."""
	return page.evaluate(
		"""async ([url, http, args]) => {
			const response = await fetch(url, {
				method: http,
				headers: {"Content-Type": "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token},
				body: http === "GET" ? undefined : JSON.stringify(args),
			});
			return {status: response.status, json: await response.json().catch(() => null)};
		}""",
		[method if method.startswith("/") else f"/api/method/{method}", http, args or {}],
	)


class Staff:
	"""A role user's desk session, moving the case as the desk's buttons do."""

	def __init__(self, page: Page, user: dict):
		self.page = page
		log_in(page, user)
		# a light website page, not the desk: its session and CSRF token are all the calls need
		page.goto("/me")
		page.wait_for_function("() => !!(window.frappe && frappe.csrf_token)", timeout=60_000)

	def case(self, name: str) -> dict:
		answer = call(self.page, f"/api/resource/Return Request/{name}", http="GET")
		assert answer["status"] == 200, answer
		return answer["json"]["data"]

	def act(self, name: str, action: str) -> None:
		answer = call(
			self.page, "frappe.model.workflow.apply_workflow", {"doc": self.case(name), "action": action}
		)
		assert answer["status"] == 200, f"{action}: {answer}"


def mails_of(reader: Staff, case: str) -> list[dict]:
	"""The case's Email Queue rows as the recipient gets them: recipients, subject and text (HTML unescaped)."""
	rows = call(
		reader.page,
		"/api/resource/Email Queue?"
		+ urlencode(
			{
				"filters": json.dumps(
					[["reference_doctype", "=", "Return Request"], ["reference_name", "=", case]]
				),
				"fields": json.dumps(["name"]),
				"limit_page_length": 0,
			}
		),
		http="GET",
	)
	assert rows["status"] == 200, rows
	mails = []
	for row in rows["json"]["data"]:
		queued = call(reader.page, f"/api/resource/Email Queue/{row['name']}", http="GET")
		assert queued["status"] == 200, queued
		message = email.message_from_string(queued["json"]["data"]["message"])
		parts = [part for part in message.walk() if part.get_content_maintype() == "text"]
		mails.append(
			{
				"recipients": {each["recipient"] for each in queued["json"]["data"]["recipients"]},
				"subject": str(make_header(decode_header(message["Subject"] or ""))),
				"text": html.unescape(
					" ".join(
						part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
						for part in parts
					)
				),
			}
		)
	return mails


def test_the_customer_follows_each_step_is_mailed_then_rates_by_link_and_reopens(new_page, browser_data):
	portal, users = browser_data["portal"], browser_data["users"]
	first = portal["customers"][0]
	customer = new_page()
	log_in(customer, first)
	customer.goto("/aftersales")
	filed = call(
		customer,
		"aftersales_module.controllers.portal_returns.create_return",
		{
			"sales_invoice": portal["invoice"],
			"request_type": "Refund Only",
			"reason_category": "Missing Item",
			"reason_details": "The charger was not in the box",
			"lines": [{"line": portal["line"], "qty": 1}],
		},
	)
	assert filed["status"] == 200, filed
	name = filed["json"]["message"]

	def customer_sees(status: str) -> None:
		customer.goto(f"/aftersales/return/{name}")
		expect(customer.locator("#aftersales-status")).to_have_text(status)
		expect(customer.locator("#aftersales-timeline li").last).to_contain_text(status)

	customer_sees("Under Review")
	service = Staff(new_page(), users["customer_service"])
	service.act(name, "Send to Sales Approval")
	customer_sees("Under Review")
	Staff(new_page(), portal["sales_approver"]).act(name, "Approve")
	customer_sees("Approved")
	Staff(new_page(), users["accounts"]).act(name, "Refund")
	customer_sees("Refunded")
	expect(customer.locator("#aftersales-refund")).to_contain_text("Refunded")
	service.act(name, "Close")
	customer_sees("Closed")
	no_problems(customer)

	# -- each step's e-mail is queued once, to the customer; the refund names its amount
	refunded = service.case(name)["refunded_amount"]
	assert refunded > 0, refunded
	mails = mails_of(Staff(new_page(), portal["mail_reader"]), name)
	expected = {
		f"We received your return request {name}": f"We received your return request {name}",
		f"Your return request {name} is approved": f"Your return request {name} is approved.",
		f"Your refund for return request {name}": f"{refunded:,.2f} for your return request {name}",
		f"Your return request {name} is closed": "/aftersales-rating?",
	}
	subjects = sorted(mail["subject"] for mail in mails)
	assert subjects == sorted(expected), subjects
	for mail in mails:
		assert mail["recipients"] == {first["email"]}, mail
		assert expected[mail["subject"]] in mail["text"], mail
	closing = next(mail for mail in mails if mail["subject"] == f"Your return request {name} is closed")
	link = re.search(r'href="[^"]*?(/aftersales-rating\?[^"]+)"', closing["text"])
	assert link, closing["text"]

	# -- the customer rates through the link with no session, once, and reopens from the rating page
	guest = new_page()
	guest.goto(link.group(1))
	form = guest.locator("#aftersales-rating-form")
	form.locator("input[value='Unsatisfied']").check()
	form.locator("textarea").fill("It took too long")
	form.locator("button").click()
	expect(guest.locator("#aftersales-rating-done")).to_be_visible()
	photograph(guest, "portal-rating-link")
	guest.reload()
	expect(guest.locator("text=This request has been rated already. Thank you.")).to_be_visible()
	expect(guest.locator("#aftersales-rating-form")).to_have_count(0)
	query = dict(parse_qsl(urlsplit(link.group(1)).query))
	# sent past the page (which no longer offers the form), as a replayed link would be
	again = guest.request.post(f"{API}.satisfaction.rate_by_link", data={**query, "rating": "Very Satisfied"})
	assert again.status == 417, again.status
	assert "This request has been rated already." in again.text(), again.text()
	reopen = guest.locator("#aftersales-reopen-form")
	expect(reopen).to_be_visible()
	reopen.locator("textarea").fill("The refund never arrived")
	reopen.locator("button").click()
	expect(guest.locator("#aftersales-reopen-done")).to_be_visible()
	no_problems(guest)

	case = service.case(name)
	assert (case["satisfaction"], case["rated_via"]) == ("Unsatisfied", "Link"), case
	assert (case["reopen_count"], case["stage"]) == (1, "Review"), case
	customer_sees("Under Review")
