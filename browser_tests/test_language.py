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
from test_return_request_desk import ERROR_SHOWN, Desk

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
REALTIME_DOWN = re.compile(r"socket\.io")
# A naming series pattern ("RET-.YYYY.-") and a record name ("RET-2026-00001") are data.
SERIES = re.compile(r"\b[A-Z]{2,6}-[.\w]*-?[\w.-]*")


class LanguageDesk(Desk):
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
		self.page.goto("/app")
		self.settle()
		assert self.page.evaluate("() => frappe.boot.lang") == language
		return before

	def check(self):
		# a bench serving the desk without its socket.io server: the realtime link is not what is tested here
		self.page.problems[:] = [
			problem for problem in self.page.problems if not REALTIME_DOWN.search(problem)
		]
		super().check()

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
	desk.set_select("reason_category", "Quality Problem")
	desk.set_link("sales_invoice", data["language_invoices"][desk.language])
	desk.get_items(data["item"])
	desk.delete_blank_lines()
	desk.save()
	desk.case_names.append(desk.doc()["name"])
	desk.wait_until("!!document.querySelector('.form-message')")  # the warranty decision, in the intro
	desk.read("saved-return")
	desk.act("Submit", "Customer Service Review")
	desk.read("submitted-return")

	for doctype in ("repair-order", "compensation-claim"):
		desk.visit(f"/app/{doctype}/new", "window.cur_frm && cur_frm.is_new() && cur_frm.layout")
		desk.read(f"new-{doctype}")
