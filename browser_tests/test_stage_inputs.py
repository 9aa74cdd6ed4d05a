"""An inquiry ticket at one stage seen by two roles: each may edit only what it sets then.

Customer service opens a ticket in the desk and, while it is open, may edit what it was opened with (but its Opened On),
the order and shipment facts and the analysis; the warehouse, asked what it found, sees the same
ticket with only the findings table editable (it adds a finding in the grid and saves), is told whom
the ticket waits for (with no button of customer service's steps), and cannot type into customer
service's fields. What the form offers is checked
against what the server said this user sets at this stage (controllers/status_inputs.py). Screenshots
go to AFTERSALES_SCREENSHOTS when it is set.
"""

from playwright.sync_api import expect
from test_return_request_desk import Desk

TICKET = "Inquiry Ticket"

# The fields of every stage shown on the form that this user can type into now, and those the server
# says this user sets at the ticket's status; and whether the findings grid takes new rows.
EDITABLE = """() => {
	const frm = cur_frm;
	const inputs = (frm.doc.__onload || {}).stage_inputs;
	const shown = (f) => frm.fields_dict[f] && !frm.fields_dict[f].df.hidden;
	const grid = frm.fields_dict.findings.grid;
	return {
		fields: inputs.every_field
			.filter((f) => f !== "findings" && shown(f) && frm.fields_dict[f].disp_status === "Write")
			.sort(),
		allowed_fields: inputs.fields.filter((f) => f !== "findings" && shown(f)).sort(),
		findings_open: grid.is_editable() && !grid.df.cannot_add_rows
			&& $(grid.wrapper).find(".grid-add-row").is(":visible"),
		findings_allowed: inputs.fields.includes("findings"),
	};
}"""


class TicketDesk(Desk):
	"""Desk on the Inquiry Ticket form."""

	def __init__(self, page, user, shots):
		super().__init__(page, user)
		self.form = page.locator(f'[id="page-{TICKET}"]')
		self.shots = shots

	def wait_for_form(self, name: str | None = None):
		self.wait_until(
			"""window.cur_frm && cur_frm.doctype === arg[0] && cur_frm.doc
				&& (arg[1] ? cur_frm.docname === arg[1] : cur_frm.is_new())
				&& cur_frm.layout && $(cur_frm.wrapper).is(":visible")""",
			[TICKET, name],
		)

	def open(self, name: str):
		self.page.goto(f"/app/inquiry-ticket/{name}")
		self.wait_for_form(name)

	def new(self):
		self.page.goto("/app/inquiry-ticket/new")
		self.wait_for_form()

	def snap(self, name: str):
		if self.shots:
			self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

	def editable(self) -> dict:
		"""What the form leaves editable, checked to be what the server accepts from this user now."""
		found = self.page.evaluate(EDITABLE)
		assert found["fields"] == found["allowed_fields"], found
		assert found["findings_open"] == found["findings_allowed"], found
		return found

	def add_finding(self, department: str, finding: str):
		"""A new row of the findings grid, filled in its own columns."""
		grid = self.control("findings")
		grid.locator(".grid-add-row").click()
		self.wait_for_doc("(doc.findings || []).length > 0")
		row = grid.locator(".grid-body .grid-row").last
		row.locator('.grid-static-col[data-fieldname="department"]').click()
		row.locator('.grid-static-col[data-fieldname="department"] select').select_option(department)
		row.locator('.grid-static-col[data-fieldname="finding"]').click()
		box = row.locator(
			'.grid-static-col[data-fieldname="finding"] textarea, .grid-static-col[data-fieldname="finding"] input'
		).first
		box.fill(finding)
		box.dispatch_event("change")
		self.wait_for_doc("doc.findings.some((row) => row.finding === arg)", finding)


def test_two_roles_at_one_stage_edit_only_their_own_fields(new_page, browser_data, screenshots):
	data, users = browser_data, browser_data["users"]

	desk = TicketDesk(new_page(), users["customer_service"], screenshots)
	desk.new()
	desk.set_link("company", data["company"])
	desk.set_link("customer", data["customer"])
	desk.set_select("inquiry_reason", "Where Is My Order")
	desk.control("analysis").locator("textarea").fill("Asked the warehouse when it left.")
	desk.wait_for_doc("doc.analysis === arg", "Asked the warehouse when it left.")
	desk.save()
	ticket = desk.doc()["name"]
	desk.page.reload()
	desk.wait_for_form(ticket)
	mine = desk.editable()
	assert {"inquiry_reason", "analysis", "proposed_solution"} <= set(mine["fields"]), mine
	assert mine["findings_open"], mine
	expect(desk.form.locator('.page-actions .inner-group-button[data-label="Actions"]')).to_have_count(1)
	desk.snap("ticket-1-customer-service-open")

	desk = TicketDesk(new_page(), users["warehouse"], screenshots)
	desk.open(ticket)
	theirs = desk.editable()
	assert theirs["fields"] == [] and theirs["findings_open"], theirs
	expect(desk.form.locator(".form-message-container")).to_contain_text("Aftersales Customer Service")
	# and no button of customer service's steps, which the server would refuse
	expect(desk.form.locator('.page-actions .inner-group-button[data-label="Actions"]')).to_have_count(0)
	# customer service's analysis is shown to the warehouse, but not to be typed into
	assert desk.page.evaluate("() => cur_frm.fields_dict.analysis.disp_status") == "Read"
	desk.add_finding("Warehouse", "Packed and handed to the carrier on time.")
	desk.save()
	assert [row["finding"] for row in desk.doc()["findings"]] == ["Packed and handed to the carrier on time."]
	desk.snap("ticket-2-warehouse-adds-its-finding")


# The form's primary button, the "Submit this document to confirm" note, and what the user can type into.
CLAIM_VIEW = """() => ({
	primary: $(cur_frm.page.wrapper).find(".page-actions .primary-action:visible").text().trim(),
	submit_note: $(cur_frm.wrapper).find(".form-dashboard").text().includes(__("Submit this document to confirm")),
	writable: cur_frm.doc.__onload.stage_inputs.every_field.filter(
		(f) => cur_frm.fields_dict[f] && cur_frm.fields_dict[f].disp_status === "Write"
	),
})"""


class ClaimDesk(TicketDesk):
	"""Desk on the Compensation Claim form."""

	def __init__(self, page, user, shots):
		super().__init__(page, user, shots)
		self.form = page.locator('[id="page-Compensation Claim"]')

	def open(self, name: str):
		self.page.goto(f"/app/compensation-claim/{name}")
		self.wait_until(
			"window.cur_frm && cur_frm.docname === arg && $(cur_frm.wrapper).is(':visible')", name
		)

	def view(self) -> dict:
		return self.page.evaluate(CLAIM_VIEW)


def test_a_draft_claim_offers_no_submit_before_its_reviews(new_page, browser_data, screenshots):
	"""Customer service files a claim (frappe.client.insert from its desk); the inspector may edit the draft but is
	offered its First Review, not a Submit the server would refuse before the reviews; the warehouse,
	whose step comes after approval, can type into nothing and is told whom the claim waits for."""
	data, users = browser_data, browser_data["users"]
	desk = ClaimDesk(new_page(), users["customer_service"], screenshots)
	claim = desk.page.evaluate(
		"(doc) => frappe.xcall('frappe.client.insert', { doc }).then((saved) => saved.name)",
		{
			"doctype": "Compensation Claim",
			"company": data["company"],
			"customer": data["customer"],
			"claim_type": "Damaged",
			"liable_party_type": "Customer",
			"remedy": "Coupon",
			"coupon_code": "SORRY-10",
			"appraisal_findings": "Dropped by the customer's courier.",
			"items": [{"item_code": data["item"], "qty": 1, "rate": 100}],
		},
	)

	desk = ClaimDesk(new_page(), users["inspector"], screenshots)
	desk.open(claim)
	view = desk.view()
	assert view["primary"] == "Save" and not view["submit_note"], view
	assert "appraisal_findings" in view["writable"], view
	expect(desk.form.locator('.page-actions .inner-group-button[data-label="Appraisal"]')).to_have_count(1)
	desk.snap("claim-1-inspector-draft")

	desk = ClaimDesk(new_page(), users["warehouse"], screenshots)
	desk.open(claim)
	view = desk.view()
	assert (view["primary"], view["submit_note"], view["writable"]) == ("", False, []), view
	expect(desk.form.locator(".form-message-container")).to_contain_text("Aftersales Quality Inspector")
	desk.snap("claim-2-warehouse-draft")
