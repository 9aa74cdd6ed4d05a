"""One language at a time: the same desk walk in English, Simplified and Traditional Chinese.

Customer service, with the desk in the language set on their User, opens the Aftersales workspace, the
Return Request list, a new return from the paid invoice (Get Items, save: the warranty decision the
server keeps on the case shows in the intro), submits it (Actions menu), and opens new Repair Order and
Compensation Claim forms. On every page the labels, section heads, descriptions, Select options,
buttons, menu items, indicators, list headers, workspace cards and messages are read: in Chinese none
may be English, in English none may be Chinese. Record names and other data (company, customer, item,
invoice, policy names, e-mails, naming series) are taken out first. Screenshots of each page are kept
as the run's artefacts.
"""

import re

import pytest
from playwright.sync_api import expect
from test_dead_ends import DeskWithoutRealtime, offered
from test_return_request_desk import ERROR_SHOWN

# Everything on a page that is a label, heading, button, menu item, indicator or message.
READ_PAGE = """() => {
	const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
	const texts = [];
	const selectors = [
		".control-label", ".section-head", ".help-box", ".form-message", ".form-dashboard .headline",
		".btn", ".dropdown-item", ".widget-title", ".ce-header", ".link-item", ".list-row-head",
		".grid-heading-row .static-area", ".indicator-pill", ".sidebar-label", ".msgprint", ".modal-title",
		".no-result", ".list-empty-state", ".page-head .title-text", ".frappe-control .like-disabled-input.for-description",
	];
	for (const el of document.querySelectorAll(selectors.join(", "))) {
		if (!shown(el)) continue;
		// a link field's value and a record's title are data, not labels
		if (el.closest(".control-value, .link-btn, .list-row-col .ellipsis a, .ql-editor")) continue;
		const text = el.innerText.trim();
		if (text) texts.push(text);
	}
	// the form's activity log: what each step wrote, less the names of the users who took it (data)
	for (const item of document.querySelectorAll(".form-timeline .timeline-content, .new-timeline .timeline-content")) {
		// an e-mail card is the message as it was sent, in its recipients' language: data
		if (!shown(item) || item.classList.contains("frappe-card")) continue;
		const copy = item.cloneNode(true);
		copy.querySelectorAll("a[href*='/app/user/'], .frappe-timestamp, .avatar").forEach((el) => el.remove());
		const text = copy.innerText.trim();
		if (text) texts.push(text);
	}
	for (const option of document.querySelectorAll(".frappe-control[data-fieldtype=Select] select option")) {
		if (shown(option.parentElement) && option.textContent.trim()) texts.push(option.textContent.trim());
	}
	for (const input of document.querySelectorAll("input[placeholder]")) {
		if (shown(input) && input.placeholder.trim()) texts.push(input.placeholder.trim());
	}
	return texts;
}"""

CJK = re.compile(r"[\u3400-\u9fff]")
# An English word: three letters or more.
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# Not English words but names every language keeps: products, keys, file types, currencies and time zones.
KEPT_NAMES = re.compile(
	r"\b(?:ERPNext|Frappe|ERP|CRM|POS|SKU|PDF|CSV|Ctrl|Shift|Enter|Esc|Tab|[A-Z]{3}|[A-Z][a-z]+/[A-Za-z_]+)\b"
)
# A naming series pattern ("RET-.YYYY.-") and a record name ("RET-2026-00001") are data.
# (Chinese characters are word characters too: a name right after one has no \b before it.)
SERIES = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,6}-[.A-Za-z0-9_]*-?[A-Za-z0-9_.-]*")


# A return without a fault to inspect: customer service sends it to sales approval.
PERSONAL_REASON = "Personal Reason (7-day No Reason)"


class LanguageDesk(DeskWithoutRealtime):
	"""Customer service's desk, in the language set on their User."""

	def use_language(self, language: str) -> str:
		"""Set the user's own language on their User and load the desk again; returns the one before."""
		before = self.page.evaluate(
			"() => frappe.xcall('frappe.client.get_value', {doctype: 'User', filters: frappe.session.user,"
			" fieldname: 'language'}).then((r) => r.language || 'en')"
		)
		self.page.evaluate(
			"(language) => frappe.xcall('frappe.client.set_value', {doctype: 'User', name: frappe.session.user,"
			" fieldname: 'language', value: language})",
			language,
		)
		# the desk may still boot from the language it cached a moment ago: load it again until it follows
		for _attempt in range(3):
			self.page.goto("/app")
			self.settle()
			if self.page.evaluate("() => frappe.boot.lang") == language:
				break
		assert self.page.evaluate("() => frappe.boot.lang") == language
		return before

	def tr(self, text: str) -> str:
		"""The desk's word for `text` in the user's language."""
		return self.page.evaluate("(text) => __(text)", text)

	def click_button(self, label: str):
		super().click_button(self.tr(label))

	def take_action(self, action: str, next_state: str):
		"""Desk.take_action with the Actions menu and its confirmation in the user's language."""
		menu = self.form.locator(".page-actions .actions-btn-group")
		wording = re.compile(f"^{re.escape(self.tr(action))}$")
		item = menu.locator(".dropdown-menu .menu-item-label").filter(has_text=wording)
		item.wait_for(state="attached")
		menu.locator("> button").click()
		self.read("actions")  # the menu is open: its actions are read too
		item.click()
		confirm = self.page.locator(".modal.show .btn-modal-primary").filter(has_text=self.tr("Yes"))
		self.page.wait_for_function(
			f"""(state) => (window.cur_frm && cur_frm.doc.status === state)
				|| !!document.querySelector(".modal.show .btn-modal-primary") || {ERROR_SHOWN}""",
			arg=next_state,
		)
		self.check()
		if confirm.count():
			confirm.first.click()
		self.wait_for_doc("doc.status === arg && !doc.__unsaved", next_state)

	def update(self):
		"""The Update button of a submitted form with unsaved changes, in the user's language."""

		def step():
			self.form.locator(".page-actions .primary-action").filter(has_text=self.tr("Update")).click()
			self.wait_for_doc("!doc.__unsaved")

		self.attempt("Update", step)

	def set_value(self, fieldname: str, value):
		box = self.control(fieldname).locator("input").first
		box.fill(str(value))
		box.dispatch_event("change")
		self.wait_for_doc("doc.__unsaved && String(doc[arg[0]]) === String(arg[1])", [fieldname, value])

	def read_activity(self, step: str):
		"""The page, once the form's activity log shows the case's present state."""
		self.page.locator(".form-timeline, .new-timeline").first.scroll_into_view_if_needed()
		self.read(step)

	def visit(self, route: str, ready: str):
		self.page.goto(route)
		self.wait_until(ready)

	def read(self, step: str) -> list[str]:
		self.settle()
		texts = self.page.evaluate(READ_PAGE)
		self.pages[step] = texts
		if self.screenshots:
			self.page.screenshot(
				path=str(self.screenshots / f"language-{self.language}-{step}.png"), full_page=True
			)
		return texts


def without_data(text: str, data: list[str]) -> str:
	for value in sorted(data, key=len, reverse=True):
		text = text.replace(value, " ")
	return KEPT_NAMES.sub(" ", SERIES.sub(" ", text))


def wrong_language(language: str, texts: list[str], data: list[str]) -> list[str]:
	"""The texts that are not in `language`."""
	wrong = []
	for text in texts:
		words = without_data(text, data)
		if language == "en" and CJK.search(words):
			wrong.append(text)
		if language != "en" and ENGLISH_WORD.search(words):
			wrong.append(text)
	return wrong


@pytest.mark.parametrize("language", ["en", "zh", "zh-TW"])
def test_the_desk_speaks_one_language_at_a_time(new_page, browser_data, screenshots, language):
	data = browser_data
	desk = LanguageDesk(new_page(), data["users"]["customer_service"])
	desk.language, desk.screenshots, desk.pages = language, screenshots, {}
	desk.new_page, desk.data = new_page, data
	before = desk.use_language(language)
	try:
		walk(desk, data)
	finally:
		desk.use_language(before)

	names = desk.page.evaluate(
		"() => frappe.xcall('frappe.client.get_list', {doctype: 'Warranty Policy', fields: ['name'],"
		" limit_page_length: 0}).then((rows) => rows.map((row) => row.name))"
	)
	record_data = [
		*names,
		data["company"],
		data["customer"],
		data["customer_name"],
		*data["language_invoices"].values(),
		data["item"],
		*desk.case_names,
		*(user["email"] for user in data["users"].values()),
	]
	wrong = {
		step: found
		for step, texts in desk.pages.items()
		if (found := wrong_language(language, texts, record_data))
	}
	assert all(desk.pages.values()), (
		f"a page showed nothing to read: {[s for s, t in desk.pages.items() if not t]}"
	)
	assert not wrong, f"In {language}, these are in another language: {wrong}"


def walk(desk: LanguageDesk, data: dict):
	desk.case_names = []
	desk.visit("/app/aftersales", "document.querySelectorAll('.widget .widget-title').length > 5")
	desk.read("workspace")

	desk.visit("/app/return-request", "window.cur_list && cur_list.doctype === 'Return Request'")
	desk.read("return-list")

	desk.new()
	desk.read("new-return")
	desk.set_link("company", data["company"])
	desk.set_link("customer", data["customer"])
	desk.set_select("reason_category", PERSONAL_REASON)
	desk.set_select("request_type", "Return and Refund")
	desk.set_link("sales_invoice", data["language_invoices"][desk.language])
	desk.get_items(data["item"])
	desk.delete_blank_lines()
	desk.save()
	desk.case_names.append(desk.doc()["name"])
	desk.wait_until("!!document.querySelector('.form-message')")  # the warranty decision, in the intro
	desk.read("saved-return")
	desk.act("Submit", "Customer Service Review")
	desk.read("submitted-return")
	walk_through_the_steps(desk, data)

	for doctype in ("repair-order", "compensation-claim"):
		desk.visit(f"/app/{doctype}/new", "window.cur_frm && cur_frm.is_new() && cur_frm.layout")
		desk.read(f"new-{doctype}")


def as_role(desk: LanguageDesk, role: str, work):
	"""Another role's user, in the same language, does their step on the case; their pages are read too."""
	other = LanguageDesk(desk.new_page(), desk.data["users"][role])
	other.language, other.screenshots, other.pages = desk.language, desk.screenshots, desk.pages
	before = other.use_language(desk.language)
	try:
		other.open(desk.case_names[0])
		work(other)
	finally:
		other.use_language(before)


def approve(desk: LanguageDesk):
	desk.set_value("depreciation_percent", 10)
	desk.update()
	desk.act("Approve", "Approved")
	desk.read_activity("approved")


def receive(desk: LanguageDesk):
	desk.set_cell(1, "received_qty", 1)
	desk.set_cell(1, "received_condition", "Good", select=True)
	desk.update()
	desk.act("Receive Goods", "Goods Received")
	desk.read_activity("goods-received")


def refund(desk: LanguageDesk):
	"""The accountant chooses the refund method at Goods Received (his step's field) and refunds."""
	desk.set_select("refund_method", "Cash at Store")
	desk.wait_for_doc("doc.__unsaved && doc.refund_method === 'Cash at Store'")
	desk.control("receipt_signed").locator("input[data-fieldname=receipt_signed]").check()
	desk.wait_for_doc("doc.receipt_signed === 1")
	desk.update()
	desk.act("Refund", "Refunded")
	desk.read_activity("refunded")


def walk_through_the_steps(desk: LanguageDesk, data: dict):
	"""The case goes on to Closed, each step by its own role in the same language; each step's activity
	log entries (changed fields and line fields, their values, the workflow's moves) are read."""
	desk.act("Send to Sales Approval", "Sales Approval")
	desk.read_activity("sales-approval")
	as_role(desk, "sales_approver", approve)
	as_role(desk, "warehouse", receive)
	as_role(desk, "accounts", refund)
	desk.open(desk.case_names[0])
	desk.act("Close", "Closed")
	desk.read_activity("closed")
	# customer service may cancel returns, but not this one's refund: no Cancel is offered
	assert desk.tr("Cancel") not in offered(desk, FORM), offered(desk, FORM)
	as_role(desk, "inspector", reads_the_closed_case)
	# reopened: the note the server adds to the timeline reads in the reader's language too
	desk.page.evaluate(
		"(name) => frappe.xcall('aftersales_module.controllers.reopen.reopen', {name, reason: arg_reason})".replace(
			"arg_reason", repr(REOPEN_REASON)
		),
		desk.case_names[0],
	)
	desk.open(desk.case_names[0])
	expect(desk.form.locator(".timeline-content", has_text=REOPEN_REASON)).not_to_have_count(0)
	desk.read_activity("reopened")


FORM = '[id="page-Return Request"]'
# a reason for reopening that reads as a record's number in any language (data, not a label)
REOPEN_REASON = "RMA-2026-7"


def reads_the_closed_case(desk: LanguageDesk):
	"""Another role reads the closed case and its log: nothing to save, nothing to cancel."""
	buttons = offered(desk, FORM)
	assert not {desk.tr("Save"), desk.tr("Update"), desk.tr("Cancel")} & set(buttons), buttons
	desk.read_activity("inspector-reads-closed")
