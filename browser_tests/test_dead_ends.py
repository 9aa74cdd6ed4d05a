"""No dead ends: no button the user cannot use, and an empty list says what to do first.

Each role user opens the case lists: the Add button is there only for a role that may create the
case (customer service and the repair point manager open cases; the inspector, approver, warehouse and
accountant work on cases others opened). A list with nothing in it names the first step. The same
checks on a case's form (no Save or Update on a form its user may not edit, no Cancel the server would
refuse) run in the language walk (test_language.py) on the case it takes to Closed.
"""

import re

import pytest
from test_return_request_desk import SHOWN_ERRORS, Desk

REALTIME_DOWN = re.compile(r"socket\.io")


class DeskWithoutRealtime(Desk):
	"""A desk on a bench serving it without its socket.io server: the realtime link is not what these
	tests are about. Its complaints are dropped after the page is asked for its errors, as the browser may
	report another attempt meanwhile."""

	def check(self):
		errors = self.page.evaluate(SHOWN_ERRORS)
		self.page.problems[:] = [
			problem for problem in self.page.problems if not REALTIME_DOWN.search(problem)
		]
		assert not errors, f"{self.user} got an error dialog: {errors}"
		assert not self.page.problems, f"{self.user}'s browser reported: {self.page.problems}"


# The case doctypes, and the role users that may open (create) each.
CREATORS = {
	"Return Request": {"customer_service"},
	"Repair Order": {"customer_service"},
	"Compensation Claim": {"customer_service", "inspector"},
	"Inquiry Ticket": {"customer_service"},
}
ROLES = ("customer_service", "inspector", "warehouse", "accounts", "technician")

# JS: the buttons and menu items of the page's toolbar a user is offered (shown, with their text).
OFFERED = """(scope) => {
	const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
	const root = document.querySelector(scope) || document;
	const texts = [];
	for (const el of root.querySelectorAll(".page-actions button, .page-actions .dropdown-item")) {
		const item = el.closest("li") || el;
		if (el.matches("button") ? shown(el) : getComputedStyle(item).display !== "none") {
			const text = el.innerText.trim();
			if (text) texts.push(text);
		}
	}
	return texts;
}"""

# JS: what the list would say with nothing in it and no filter set, and whether it may say it.
EMPTY_STATE = """() => {
	const html = cur_list.get_no_result_message.call(
		Object.assign(Object.create(cur_list), { filter_area: { get: () => [] } })
	);
	return $("<div>").html(html).text().trim();
}"""


def offered(desk: Desk, scope: str) -> list[str]:
	return desk.page.evaluate(OFFERED, scope)


def route(doctype: str) -> str:
	return "/app/" + doctype.lower().replace(" ", "-")


def open_list(desk: Desk, doctype: str) -> None:
	desk.page.goto(route(doctype))
	desk.wait_until(
		"window.cur_list && cur_list.doctype === arg && !cur_list.list_view_settings_loading", doctype
	)


@pytest.mark.parametrize("role", ROLES)
def test_the_add_button_is_offered_only_to_roles_that_may_open_the_case(new_page, browser_data, role):
	desk = DeskWithoutRealtime(new_page(), browser_data["users"][role])
	for doctype, creators in CREATORS.items():
		can_read = desk.page.evaluate("(doctype) => frappe.model.can_read(doctype)", doctype)
		if not can_read:
			continue
		open_list(desk, doctype)
		may_create = desk.page.evaluate("(doctype) => frappe.model.can_create(doctype)", doctype)
		add = f"Add {doctype}"
		shown = add in offered(desk, f'[id="page-List/{doctype}/List"]')
		assert shown == may_create, f"{desk.user} on {doctype}: Add shown {shown}, may create {may_create}"
		assert may_create == (role in creators), f"{desk.user} may create {doctype}: {may_create}"
	desk.check()


def test_each_empty_case_list_says_what_to_do_first(new_page, browser_data):
	desk = DeskWithoutRealtime(new_page(), browser_data["users"]["customer_service"])
	for doctype in CREATORS:
		open_list(desk, doctype)
		said = desk.page.evaluate(EMPTY_STATE)
		first_step = desk.page.evaluate(
			"(doctype) => aftersales_module.case_list.first_step(doctype)", doctype
		)
		assert first_step and first_step in said, f"{doctype}'s empty list says: {said!r}"
	desk.check()


# The reports each role user opens, and that each says what to do first when it has nothing to show.
REPORTS = {
	"inspector": ("Appraisal Register", "Return Analysis", "Compensation Dispatch Register"),
	"warehouse": ("Outstanding Spare Units", "Part Request Register", "Parts Issue Register"),
}
# (Serial Service History asks for its serial number first, as Frappe asks for any required filter.)


@pytest.mark.parametrize("role", sorted(REPORTS))
def test_each_empty_report_says_what_to_do_first(new_page, browser_data, role):
	desk = DeskWithoutRealtime(new_page(), browser_data["users"][role])
	for report in REPORTS[role]:
		desk.page.goto(f"/app/query-report/{report}")
		desk.wait_until(
			"""window.frappe.query_report && frappe.query_report.report_name === arg
				&& frappe.query_report.report_settings && frappe.query_report.page""",
			report,
		)
		said = desk.page.evaluate(
			"() => $('<div>').html(frappe.query_report.get_no_result_message()).text().trim()"
		)
		assert said and said != "Nothing to show", f"{report}'s empty state says: {said!r}"
	desk.check()
