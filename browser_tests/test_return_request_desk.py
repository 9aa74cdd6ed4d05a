"""A quality return walked through the real desk, one role user after another.

Customer service opens a new Return Request, picks the paid invoice, clicks Get Items, saves and
takes the workflow actions Submit and Send to Quality Inspection; the warehouse receives the unit for
testing; the quality inspector records a defect on the line and approves; the warehouse takes Receive Goods;
the accounts user takes Refund. Every click is on the form's own buttons, link dropdowns, grid row
editor and workflow Actions menu. Any error dialog, browser console error or uncaught page error
fails the test.
"""

import json
import re
import warnings

from playwright.sync_api import Page, expect

DOCTYPE = "Return Request"

# True once the desk is idle: no freeze overlay, no request in flight.
IDLE = """() => !!(window.frappe && frappe.dom && frappe.request)
	&& !frappe.dom.freeze_count && !frappe.request.ajax_count"""

# Records every error message box the desk shows, even ones closed again before we look.
WATCH_ERRORS = """() => {
	if (window.__aftersales_errors) return;
	window.__aftersales_errors = [];
	const msgprint = frappe.msgprint;
	frappe.msgprint = function (...args) {
		const dialog = msgprint.apply(this, args);
		const shown = frappe.msg_dialog;
		if (shown && shown.indicator && shown.indicator.hasClass && shown.indicator.hasClass("red")) {
			window.__aftersales_errors.push(
				`${shown.$wrapper.find(".modal-title").text()}: ${shown.$wrapper.find(".msgprint").text()}`
			);
		}
		return dialog;
	};
}"""

# JS: is an error on screen or recorded? Waits stop on it, so that check() reports it at once.
ERROR_SHOWN = """(window.__aftersales_errors || []).length > 0
	|| !!document.querySelector(".modal.show .modal-header .indicator.red")"""

SHOWN_ERRORS = """() => [
	...(window.__aftersales_errors || []),
	...[...document.querySelectorAll(".modal.show")]
		.filter((modal) => modal.querySelector(".modal-header .indicator.red"))
		.map((modal) => modal.innerText.trim()),
]"""


# Another process on the same site (a `bench run-tests`, a worker) may hold the rows a step writes.
# Frappe then shows one of these dialogs and asks the user to try again; so does this test, twice at
# most and with a warning, when that dialog and the failed request's own console lines are all the
# step produced. Anything else is a failure.
LOCK_CONFLICT = re.compile(r"^\s*(Deadlock Occurred|Request Timeout|Please try again)\b")
LOCK_CONFLICT_CONSOLE = re.compile(
	r"Failed to load resource: the server responded with a status of 5\d\d"
	r"|QueryDeadlockError|QueryTimeoutError|Deadlock found|Lock wait timeout"
)
LOCK_RETRIES = 3


class Desk:
	"""One user's browser session on the desk."""

	def __init__(self, page: Page, user: dict):
		self.page = page
		self.user = user["email"]
		self.form = page.locator(f'[id="page-{DOCTYPE}"]')
		page.goto("/login")
		page.fill("#login_email", user["email"])
		page.fill("#login_password", user["password"])
		with page.expect_response(lambda response: response.request.method == "POST") as login:
			page.locator("form.form-login button.btn-login").first.click()
		assert login.value.ok, f"{self.user} could not log in: {login.value.status} {login.value.text()}"
		page.wait_for_url(re.compile(r"/app(/|$)"))
		self.settle()

	# --- waiting and checking -----------------------------------------------------------------

	def settle(self):
		"""Wait until the desk is idle, then fail on any error shown or logged so far."""
		self.page.wait_for_function(IDLE)
		self.page.evaluate(WATCH_ERRORS)
		self.check()

	def wait_until(self, condition: str, arg=None):
		"""Wait for a JS condition (on `arg`) or for an error, then for an idle desk; fail on errors."""
		self.page.wait_for_function(
			f"(arg) => {{ try {{ if ({condition}) return true; }} catch (e) {{}} return {ERROR_SHOWN}; }}",
			arg=arg,
		)
		self.check()
		self.settle()

	def check(self):
		errors = self.page.evaluate(SHOWN_ERRORS)
		assert not errors, f"{self.user} got an error dialog: {errors}"
		assert not self.page.problems, f"{self.user}'s browser reported: {self.page.problems}"

	def attempt(self, what: str, step):
		"""Run a step that writes; try it again if it only met another process's locks."""
		for attempt in range(1, LOCK_RETRIES + 1):
			seen = len(self.page.problems)
			try:
				return step()
			except AssertionError:
				errors = self.page.evaluate(SHOWN_ERRORS)
				conflict = (
					errors
					and all(LOCK_CONFLICT.match(error) for error in errors)
					and all(LOCK_CONFLICT_CONSOLE.search(line) for line in self.page.problems[seen:])
				)
				if not conflict or attempt == LOCK_RETRIES:
					raise
				warnings.warn(
					f"{self.user}: {what} met a lock conflict ({errors[0][:80]}); tried again", stacklevel=3
				)
				del self.page.problems[seen:]
				self.page.evaluate(
					"() => { window.__aftersales_errors = []; frappe.hide_msgprint(true); $('.modal.show').modal('hide'); }"
				)
				self.page.wait_for_function("() => !document.querySelector('.modal.show')")
				self.settle()

	def wait_for_form(self, name: str | None = None):
		"""Wait until the Return Request form (a new one, or `name`) is rendered and idle."""
		self.wait_until(
			"""window.cur_frm && cur_frm.doctype === arg[0] && cur_frm.doc
				&& (arg[1] ? cur_frm.docname === arg[1] : cur_frm.is_new())
				&& cur_frm.layout && $(cur_frm.wrapper).is(":visible")""",
			[DOCTYPE, name],
		)

	def doc(self) -> dict:
		return self.page.evaluate("() => cur_frm.doc")

	def wait_for_doc(self, condition: str, arg=None):
		"""Wait for a JS condition on `doc` (the open form's document) and an idle desk."""
		self.wait_until(f"(window.cur_frm && cur_frm.doc) && ((doc) => {condition})(cur_frm.doc)", arg)

	# --- the form --------------------------------------------------------------------------------

	def open(self, name: str):
		self.page.goto(f"/app/{DOCTYPE.lower().replace(' ', '-')}/{name}")
		self.wait_for_form(name)

	def new(self):
		self.page.goto(f"/app/{DOCTYPE.lower().replace(' ', '-')}/new")
		self.wait_for_form()

	def control(self, fieldname: str, scope=None):
		return (scope or self.form).locator(f'.frappe-control[data-fieldname="{fieldname}"]').first

	def set_link(self, fieldname: str, value: str, search: str | None = None):
		"""Type into a link field and pick the value from its dropdown."""
		field = self.control(fieldname)
		box = field.locator("input")
		box.click()
		box.fill("")
		box.press_sequentially(search or value, delay=20)
		# each option is a <div role="option"> whose first <p> is titled with the value
		field.locator(f"ul[role=listbox] [role=option]:has(> p[title={json.dumps(value)}])").first.click()
		self.wait_for_doc(f"doc[{fieldname!r}] === arg", value)

	def set_select(self, fieldname: str, value: str, scope=None):
		self.control(fieldname, scope).locator("select").select_option(value)

	def click_button(self, label: str):
		self.form.locator(".page-actions").get_by_role("button", name=label, exact=True).click()

	def get_items(self, item_code: str):
		"""The form's Get Items button: the invoice's lines come into the items table."""

		def step():
			self.click_button("Get Items")
			self.wait_for_doc("(doc.items || []).some((row) => row.item_code === arg)", item_code)

		self.attempt("Get Items", step)

	def save(self):
		"""Ctrl+S, as a user saves a form."""

		def step():
			self.form.locator(".page-title").click()  # focus on the form, outside any input
			self.page.keyboard.press("Control+s")
			self.wait_for_doc("!doc.__islocal && !doc.__unsaved")

		self.attempt("Save", step)

	def update(self):
		"""The Update button of a submitted form with unsaved changes."""

		def step():
			self.form.locator(".page-actions .primary-action").filter(has_text="Update").click()
			self.wait_for_doc("!doc.__unsaved")

		self.attempt("Update", step)

	def act(self, action: str, next_state: str):
		"""Take a workflow action from the Actions menu; confirm if asked."""
		self.attempt(action, lambda: self.take_action(action, next_state))

	def take_action(self, action: str, next_state: str):
		menu = self.form.locator(".page-actions .actions-btn-group")
		item = menu.locator(".dropdown-menu .menu-item-label").filter(has_text=re.compile(f"^{action}$"))
		item.wait_for(state="attached")
		menu.locator("> button").click()
		item.click()
		confirm = self.page.locator(".modal.show .btn-modal-primary").filter(has_text="Yes")
		self.page.wait_for_function(
			f"""(state) => (window.cur_frm && cur_frm.doc.status === state)
				|| !!document.querySelector(".modal.show .btn-modal-primary") || {ERROR_SHOWN}""",
			arg=next_state,
		)
		self.check()
		if confirm.count():
			confirm.first.click()
		self.wait_for_doc("doc.status === arg && !doc.__unsaved", next_state)

	def press(self, group: str, label: str, done: str):
		"""A button of the form's button group (e.g. Actions); `done` is true of the doc once it worked."""

		def step():
			menu = self.form.locator(f'.page-actions .inner-group-button[data-label="{group}"]')
			menu.locator("> button").click()
			menu.locator(".dropdown-menu .dropdown-item").filter(
				has_text=re.compile(f"^\\s*{label}\\s*$")
			).click()
			self.wait_for_doc(done)

		self.attempt(label, step)

	def delete_blank_lines(self):
		"""Tick the lines without an item in the items grid and click its Delete button."""
		grid = self.control("items")
		blank = [row["idx"] for row in self.doc()["items"] if not row.get("item_code")]
		if not blank:
			return
		for idx in blank:
			grid.locator(f'.grid-body .grid-row[data-idx="{idx}"] .grid-row-check').first.check()
		grid.locator(".grid-remove-rows").click()
		self.wait_for_doc("doc.items.every((row) => row.item_code)")

	def edit_line(self, idx: int, selects: dict | None = None, values: dict | None = None):
		"""Open a line of the items grid in its row editor, fill it in and close the editor."""
		grid = self.control("items")
		grid.locator(f'.grid-body .grid-row[data-idx="{idx}"] .btn-open-row').first.click()
		editor = grid.locator(".grid-row-open")
		expect(editor).to_be_visible()
		for fieldname, value in (selects or {}).items():
			self.set_select(fieldname, value, scope=editor)
		for fieldname, value in (values or {}).items():
			box = self.control(fieldname, editor).locator("input, textarea").first
			box.fill(str(value))
			box.press("Tab")
		# the heading closes the editor (its collapse button is hidden on a submitted form)
		editor.locator(".grid-form-heading .panel-title").first.click()
		expect(editor).to_have_count(0)
		self.settle()

	def set_cell(self, idx: int, fieldname: str, value, select: bool = False):
		"""Type a line's value into the grid's own column, as a clerk does, without opening the row."""
		row = self.control("items").locator(f'.grid-body .grid-row[data-idx="{idx}"]').first
		cell = row.locator(f'.grid-static-col[data-fieldname="{fieldname}"]').first
		cell.click()
		if select:
			cell.locator("select").select_option(str(value))
		else:
			box = cell.locator("input").first
			box.fill(str(value))
			box.dispatch_event("change")
		self.wait_for_doc("String(doc.items[arg[0] - 1][arg[1]]) === String(arg[2])", [idx, fieldname, value])

	def expect_status(self, state: str):
		expect(self.form.locator(".page-head .indicator-pill").first).to_have_text(state)


def test_quality_return_from_new_form_to_refunded(new_page, browser_data):
	data = browser_data
	users = data["users"]

	# Customer service: a new case from the invoice, submitted and sent to quality inspection.
	desk = Desk(new_page(), users["customer_service"])
	desk.new()
	desk.set_link("company", data["company"])
	desk.set_link("customer", data["customer"])
	desk.set_select("reason_category", "Quality Problem")
	desk.set_link("sales_invoice", data["invoice"])
	desk.get_items(data["item"])
	# A new form starts its table with a blank line, which Get Items keeps: the user deletes it.
	desk.delete_blank_lines()
	desk.save()
	assert [row["item_code"] for row in desk.doc()["items"]] == [data["item"]]
	case = desk.doc()["name"]
	assert case.startswith("RET-"), case
	desk.act("Submit", "Customer Service Review")
	desk.act("Send to Quality Inspection", "Quality Inspection")
	desk.expect_status("Quality Inspection")
	desk.check()

	# Warehouse: the customer's unit is received before it is tested (seed 003, 先進行檢測).
	desk = Desk(new_page(), users["warehouse"])
	desk.open(case)
	desk.press("Actions", "Receive for Testing", "doc.test_unit_status === 'In for Testing'")
	desk.check()

	# Quality inspector: a defect on the line, saved, then Approve.
	desk = Desk(new_page(), users["inspector"])
	desk.open(case)
	desk.edit_line(
		1, selects={"inspection_result": "Defect Found"}, values={"inspection_notes": "Screen flickers"}
	)
	desk.update()
	desk.act("Approve", "Approved")
	desk.expect_status("Approved")
	desk.check()

	# Warehouse: the unit received for testing is taken back; Receive Goods posts the credit note.
	desk = Desk(new_page(), users["warehouse"])
	desk.open(case)
	row = desk.doc()["items"][0]
	assert (row["received_qty"], row["received_condition"]) == (data["qty"], "Good"), row
	desk.act("Receive Goods", "Goods Received")
	desk.expect_status("Goods Received")
	desk.check()

	# Accounts: Refund pays the money back.
	desk = Desk(new_page(), users["accounts"])
	desk.open(case)
	desk.act("Refund", "Refunded")
	desk.expect_status("Refunded")
	desk.check()

	# What was posted, read over the REST API as the accounts user (who may read both).
	def posted(doctype: str, fields: list[str]) -> list[dict]:
		response = desk.page.request.get(
			f"/api/resource/{doctype}",
			params={
				"filters": f'[["aftersales_return_request", "=", "{case}"], ["docstatus", "=", 1]]',
				"fields": str(fields).replace("'", '"'),
			},
		)
		assert response.ok, f"{doctype}: {response.status} {response.text()}"
		return response.json()["data"]

	[credit_note] = posted("Sales Invoice", ["name", "is_return", "return_against", "customer"])
	assert credit_note["is_return"] == 1
	assert credit_note["return_against"] == data["invoice"]
	assert credit_note["customer"] == data["customer"]
	[payment] = posted("Payment Entry", ["name", "payment_type", "party", "paid_amount"])
	assert payment["payment_type"] == "Pay"
	assert payment["party"] == data["customer"]
	assert payment["paid_amount"] > 0
	desk.check()
