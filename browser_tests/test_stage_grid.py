"""Twenty-line returns worked stage by stage in the desk, each role entering its lines in the grid.

A quality refund: customer service opens it from the invoice (no blank first line, Get Items brings
all twenty), the quality inspector records each line's result in the grid's own column and approves,
the accountant refunds. A personal-reason return: the sales approver's depreciation moves the refund
on the form before saving and the saved case has the same figure as the server works out; the
warehouse receives each line in the grid; the accountant refunds. At each stage the form leaves
editable exactly the fields the server accepts from that role at that stage, a user who cannot act
is told who acts next, and no user is shown ERPNext's accounting notes. Screenshots of every step go
to AFTERSALES_SCREENSHOTS (a CI artefact) when it is set.
"""

import json
import re

import pytest
from playwright.sync_api import expect
from test_return_request_desk import DOCTYPE, Desk

# Every message box the desk shows, whatever its colour (ERPNext's notes are blue).
WATCH_MESSAGES = """() => {
	if (window.__aftersales_messages) return;
	window.__aftersales_messages = [];
	const msgprint = frappe.msgprint;
	frappe.msgprint = function (...args) {
		const dialog = msgprint.apply(this, args);
		if (frappe.msg_dialog) window.__aftersales_messages.push(frappe.msg_dialog.$wrapper.find(".msgprint").text());
		return dialog;
	};
}"""

# What the open form lets its user change now (case fields and line fields among all the step inputs,
# those shown on the form), what the server said this user fills in at this stage (of those shown),
# and the line fields the grid shows as columns.
EDITABLE = """() => {
	const frm = cur_frm;
	const none = { fields: [], item_fields: [], every_field: [], every_item_field: [] };
	const inputs = (frm.doc.__onload || {}).stage_inputs || none;
	const grid = frm.fields_dict.items.grid;
	const row = grid.grid_rows[0];
	const shown = (f) => frm.fields_dict[f] && !frm.fields_dict[f].df.hidden_due_to_dependency && !frm.fields_dict[f].df.hidden;
	const writable_line = (f) => {
		const df = row.docfields.find((d) => d.fieldname === f);
		return grid.is_editable() && df && !df.read_only
			&& frappe.perm.get_field_display_status(df, row.doc, frm.perm) === "Write";
	};
	return {
		fields: inputs.every_field.filter((f) => shown(f) && frm.fields_dict[f].disp_status === "Write").sort(),
		item_fields: inputs.every_item_field.filter(writable_line).sort(),
		allowed_fields: inputs.fields.filter(shown).sort(),
		allowed_item_fields: [...inputs.item_fields].sort(),
		columns: grid.visible_columns.map(([df]) => df.fieldname),
	};
}"""


class StageDesk(Desk):
	def __init__(self, page, user, shots):
		super().__init__(page, user)
		self.shots = shots
		page.evaluate(WATCH_MESSAGES)

	def settle(self):
		super().settle()
		self.page.evaluate(WATCH_MESSAGES)

	def snap(self, name: str):
		if self.shots:
			self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

	def editable(self) -> dict:
		"""What the form leaves editable, checked to be what the server accepts from this user now."""
		found = self.page.evaluate(EDITABLE)
		assert found["fields"] == found["allowed_fields"], found
		assert found["item_fields"] == found["allowed_item_fields"], found
		return found

	def expect_intro(self, text: str):
		"""The form's intro says this (it is drawn again after each refresh, so wait for it)."""
		expect(self.form.locator(".form-message-container")).to_contain_text(text)

	def messages(self) -> list[str]:
		return self.page.evaluate("() => window.__aftersales_messages || []")

	def server_case(self, name: str, fields: list[str]) -> dict:
		response = self.page.request.get(f"/api/resource/{DOCTYPE}/{name}")
		assert response.ok, f"{name}: {response.status} {response.text()}"
		data = response.json()["data"]
		return {field: data[field] for field in fields}


def open_from_invoice(desk: StageDesk, data: dict, invoice: str, reason: str, request_type: str) -> str:
	desk.new()
	assert desk.doc()["items"] == [], "a new return starts without a blank line"
	desk.set_link("company", data["company"])
	desk.set_link("customer", data["customer"])
	desk.set_select("reason_category", reason)
	desk.set_select("request_type", request_type)
	desk.set_link("sales_invoice", invoice)
	desk.get_items(data["item"])
	lines = desk.doc()["items"]
	assert len(lines) == 20 and all(row["item_code"] == data["item"] for row in lines), lines
	assert desk.editable()["columns"] == ["sales_invoice", "item_code", "qty", "rate"]
	desk.save()
	name = desk.doc()["name"]
	# the title carries the case number and the customer
	expect(desk.form.locator(".page-head .title-text").first).to_have_text(
		re.compile(re.escape(name) + r".*" + re.escape(data["customer_name"]))
	)
	desk.act("Submit", "Customer Service Review")
	return name


def test_twenty_line_quality_refund_worked_in_the_grid(new_page, browser_data, screenshots):
	data, users = browser_data, browser_data["users"]

	desk = StageDesk(new_page(), users["customer_service"], screenshots)
	case = open_from_invoice(desk, data, data["grid_invoices"]["quality"], "Quality Problem", "Refund Only")
	desk.act("Send to Quality Inspection", "Quality Inspection")
	desk.expect_intro("Aftersales Quality Inspector")
	desk.snap("quality-1-customer-service-waits-for-inspection")

	desk = StageDesk(new_page(), users["inspector"], screenshots)
	desk.open(case)
	editable = desk.editable()
	assert editable["item_fields"] == ["inspection_notes", "inspection_result"], editable
	assert "rejection_reason" in editable["fields"] and "depreciation_percent" not in editable["fields"]
	assert editable["columns"] == ["item_code", "qty", "inspection_result", "inspection_notes"]
	for idx in range(1, 21):
		desk.set_cell(idx, "inspection_result", "Defect Found", select=True)
	desk.expect_intro("Save to see the actions")
	desk.snap("quality-2-inspector-grid-entry")
	desk.update()
	desk.act("Approve", "Approved")
	desk.expect_intro("Accounts User")

	desk = StageDesk(new_page(), users["accounts"], screenshots)
	desk.open(case)
	assert desk.editable()["item_fields"] == []
	desk.act("Refund", "Refunded")
	desk.expect_status("Refunded")
	desk.snap("quality-3-refunded")
	assert not [text for text in desk.messages() if "Outstanding" in text], desk.messages()

	# Customer service may cancel return requests, but not this one's credit note and refund: no Cancel.
	desk = StageDesk(new_page(), users["customer_service"], screenshots)
	desk.open(case)
	expect(
		desk.form.locator(".page-actions button:visible").filter(has_text=re.compile(r"^\s*Cancel\s*$"))
	).to_have_count(0)


def test_twenty_line_return_with_live_refund_and_grid_receipt(new_page, browser_data, screenshots):
	data, users = browser_data, browser_data["users"]

	desk = StageDesk(new_page(), users["customer_service"], screenshots)
	case = open_from_invoice(
		desk,
		data,
		data["grid_invoices"]["personal"],
		"Personal Reason (7-day No Reason)",
		"Return and Refund",
	)
	desk.act("Send to Sales Approval", "Sales Approval")

	# The sales approver's depreciation moves the refund on the form before anything is saved.
	desk = StageDesk(new_page(), users["sales_approver"], screenshots)
	desk.open(case)
	editable = desk.editable()
	assert {"depreciation_percent", "handling_fee", "shipping_payer"} <= set(editable["fields"]), editable
	assert editable["item_fields"] == [], editable
	assert editable["columns"] == ["sales_invoice", "item_code", "qty", "rate", "inspection_result"]
	before, before_rule = desk.doc()["refund_amount"], desk.doc()["refund_rule"]
	box = desk.control("depreciation_percent").locator("input")
	box.fill("20")
	box.dispatch_event("change")
	desk.wait_for_doc("doc.__unsaved && doc.refund_amount !== arg", before)
	live = desk.doc()
	assert live["refund_amount"] < before and live["total_deductions"] > 0, live
	assert live["refund_rule"] != before_rule, live["refund_rule"]
	shown = desk.page.evaluate("(value) => format_number(value, null, 2)", live["refund_amount"])
	expect(desk.control("refund_amount")).to_contain_text(shown)
	desk.snap("personal-1-approver-live-refund-before-saving")
	desk.update()
	saved = desk.doc()
	figures = ["refund_amount", "total_deductions", "goods_amount", "refund_rule"]
	assert {field: saved[field] for field in figures} == {field: live[field] for field in figures}
	assert desk.server_case(case, figures) == {field: live[field] for field in figures}
	desk.act("Approve", "Approved")

	# The warehouse receives each line in the grid.
	desk = StageDesk(new_page(), users["warehouse"], screenshots)
	desk.open(case)
	editable = desk.editable()
	assert not {"depreciation_percent", "rejection_reason"} & set(editable["fields"]), editable
	assert {"received_qty", "received_condition", "received_serial_no"} <= set(editable["item_fields"])
	assert "inspection_result" not in editable["item_fields"]
	assert editable["columns"][-3:] == ["received_qty", "received_condition", "received_serial_no"]
	for idx in range(1, 21):
		desk.set_cell(idx, "received_qty", 1)
		desk.set_cell(idx, "received_condition", "Good", select=True)
	desk.snap("personal-2-warehouse-grid-receipt")
	desk.update()
	desk.act("Receive Goods", "Goods Received")
	assert not [text for text in desk.messages() if "Outstanding" in text], desk.messages()

	desk = StageDesk(new_page(), users["accounts"], screenshots)
	desk.open(case)
	desk.act("Refund", "Refunded")
	desk.expect_status("Refunded")
	assert desk.server_case(case, ["refund_amount"]) == {"refund_amount": live["refund_amount"]}
	desk.snap("personal-3-refunded")


def test_a_technician_reads_a_repair_order_being_opened_without_a_save(new_page, browser_data, screenshots):
	"""Opening an order is customer service's step: the technician of its repair point reads the draft,
	is told whose step it is, and is offered no Save; customer service is."""
	order = browser_data["draft_repair_order"]
	desk = StageDesk(new_page(), browser_data["users"]["technician"], screenshots)
	desk.page.goto(f"/app/repair-order/{order}")
	desk.form = desk.page.locator('[id="page-Repair Order"]')
	desk.wait_until("window.cur_frm && cur_frm.docname === arg && cur_frm.doc.__onload", order)
	desk.expect_intro("Aftersales Customer Service")
	expect(desk.form.locator(".page-actions .primary-action")).to_be_hidden()
	assert desk.page.evaluate("() => cur_frm.fields_dict.fault_description.disp_status") == "Read"
	desk.snap("repair-order-draft-technician")

	desk = StageDesk(new_page(), browser_data["users"]["customer_service"], screenshots)
	desk.page.goto(f"/app/repair-order/{order}")
	desk.form = desk.page.locator('[id="page-Repair Order"]')
	desk.wait_until("window.cur_frm && cur_frm.docname === arg && cur_frm.doc.__onload", order)
	expect(desk.form.locator(".page-actions .primary-action")).to_be_visible()


CASE_DOCTYPES = (
	"Return Request",
	"Repair Order",
	"Compensation Claim",
	"Inquiry Ticket",
	"Spare Part Transfer Request",
)


def test_each_case_prints_on_its_own_format_by_default(new_page, browser_data, screenshots):
	"""The print view of a case opens on the format its doctype names as default, one made for it."""
	desk = StageDesk(new_page(), browser_data["users"]["customer_service"], screenshots)
	checked = []
	for doctype in CASE_DOCTYPES:
		# a cancelled case does not print (Frappe refuses it): one that does
		found = desk.page.request.get(
			f"/api/resource/{doctype}",
			params={"limit_page_length": "1", "filters": json.dumps([["docstatus", "<", 2]])},
		)
		names = [row["name"] for row in found.json().get("data", [])] if found.ok else []
		# the doctype's default, and the formats made for it (Print Format's Document Type)
		default, own = desk.page.evaluate(
			"""(doctype) => frappe.model.with_doctype(doctype).then(() => [
				frappe.get_meta(doctype).default_print_format || "",
				frappe.meta.get_print_formats(doctype),
			])""",
			doctype,
		)
		if not (names and default):
			continue
		assert default in own, f"{doctype}: its default {default} is not one of its own formats {own}"
		desk.page.goto(f"/app/print/{doctype}/{names[0]}")
		selector = desk.page.locator('.print-preview-sidebar [data-fieldname="print_format"] input').first
		expect(selector).to_have_value(default)
		desk.settle()
		desk.snap(f"print-{doctype.lower().replace(' ', '-')}")
		checked.append(doctype)
	if not checked:
		pytest.skip("no case doctype names a default print format yet")
