# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The form's money before saving (controllers/live_figures.py) is the money the save stores, asked
for by the users who fill the case in and refused to users who may not read it; and what each form
is told about its stage (controllers/stage_forms.py): the fields its user fills in, who acts next,
and whether its Cancel would go through."""

import json

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	open_request,
	save_as,
	sell,
)
from aftersales_module.controllers.live_figures import return_figures
from aftersales_module.controllers.stage_forms import cancel_refusal, next_step, return_request_inputs
from aftersales_module.setup.roles import (
	CUSTOMER_SERVICE,
	QUALITY_INSPECTOR,
	REPAIR_TECHNICIAN,
	SALES_APPROVER,
)
from aftersales_module.tests.role_users import acting_as

PERSONAL = "Personal Reason (7-day No Reason)"
FIGURES = ("goods_amount", "credit_tax", "total_deductions", "customer_shipping", "refund_amount")


def stored_figures(request) -> dict:
	request.reload()
	return {field: float(request.get(field)) for field in FIGURES} | {"refund_rule": request.refund_rule}


def asked_figures(answer: dict) -> dict:
	return {field: answer[field] for field in FIGURES} | {"refund_rule": answer["refund_rule"]}


class TestLiveFigures(ReturnFlowTestCase):
	def new_draft(self, invoice, **fields):
		with acting_as(CUSTOMER_SERVICE):
			draft = frappe.get_doc(
				{
					"doctype": "Return Request",
					"company": invoice.company,
					"customer": invoice.customer,
					"request_type": "Return and Refund",
					"reason_category": PERSONAL,
					"sales_invoice": invoice.name,
					"original_packaging": 1,
					"resellable": 1,
					**fields,
				}
			)
			draft.get_items()
		return draft

	def at_sales_approval(self):
		request = open_request(sell(qty=2), reason=PERSONAL, shipping_cost=30, shipping_payer="Customer")
		request = act(request, "Submit")
		return act(request, "Send to Sales Approval")

	def test_a_new_unsaved_case_gets_the_figures_its_save_stores(self):
		draft = self.new_draft(sell(qty=2), handling_fee=15, shipping_cost=30, shipping_payer="Customer")
		with acting_as(CUSTOMER_SERVICE):
			answer = return_figures(draft.as_json())
			self.assertFalse(frappe.db.exists("Return Request", {"sales_invoice": draft.sales_invoice}))
			draft.insert()
		self.assertEqual(asked_figures(answer), stored_figures(draft))
		self.assertEqual(answer["total_deductions"], 45)
		self.assertEqual(answer["goods_amount"] - 45, answer["refund_amount"])
		self.assertTrue(answer["refund_rule"])

	def test_the_approvers_depreciation_moves_the_refund_before_saving_and_the_save_agrees(self):
		request = self.at_sales_approval()
		before = stored_figures(request)
		screen = request.as_dict(convert_dates_to_str=True) | {"depreciation_percent": 20}
		with acting_as(SALES_APPROVER):
			answer = return_figures(json.dumps(screen, default=str))
		self.assertEqual(stored_figures(request), before, "asking saves nothing")
		self.assertLess(answer["refund_amount"], before["refund_amount"])
		save_as(request, SALES_APPROVER, depreciation_percent=20)
		self.assertEqual(asked_figures(answer), stored_figures(request))

	def test_a_stored_case_takes_only_the_figure_inputs_from_the_screen(self):
		request = self.at_sales_approval()
		forged = request.as_dict(convert_dates_to_str=True) | {"depreciation_percent": 10}
		forged["items"] = [dict(row, qty=99, rate=10_000) for row in forged["items"]]
		with acting_as(SALES_APPROVER):
			answer = return_figures(json.dumps(forged, default=str))
		save_as(request, SALES_APPROVER, depreciation_percent=10)
		self.assertEqual(asked_figures(answer), stored_figures(request))

	def test_a_user_who_may_not_read_the_case_is_refused(self):
		request = self.at_sales_approval()
		with acting_as(REPAIR_TECHNICIAN), self.assertRaises(frappe.PermissionError):
			return_figures(request.as_json())
		draft = self.new_draft(sell(qty=1))
		with acting_as(REPAIR_TECHNICIAN), self.assertRaises(frappe.PermissionError):
			return_figures(draft.as_json())

	def test_input_the_rules_refuse_comes_back_as_the_saves_message(self):
		request = self.at_sales_approval()
		screen = request.as_dict(convert_dates_to_str=True) | {"depreciation_percent": 150}
		with acting_as(SALES_APPROVER):
			answer = return_figures(json.dumps(screen, default=str))
		self.assertIn("Depreciation", answer["problem"])
		for sent in (
			"abc",
			json.dumps({"doctype": "Item"}),
			json.dumps({"doctype": "Return Request", "items": "x"}),
		):
			with (
				self.subTest(sent=sent),
				acting_as(SALES_APPROVER),
				self.assertRaises(frappe.ValidationError),
			):
				return_figures(sent)


class TestStageForms(ReturnFlowTestCase):
	def test_each_role_is_told_its_own_inputs_and_who_acts_next(self):
		request = act(open_request(sell(qty=1), reason=PERSONAL), "Submit")
		request = act(request, "Send to Sales Approval")
		with acting_as(SALES_APPROVER):
			inputs = return_request_inputs(request)
			step = next_step(request)
		self.assertIn("depreciation_percent", inputs["fields"])
		self.assertNotIn("received_qty", inputs["item_fields"])
		self.assertTrue(step["can_act"])
		with acting_as(QUALITY_INSPECTOR):
			inputs = return_request_inputs(request)
			step = next_step(request)
		self.assertEqual((inputs["fields"], inputs["item_fields"]), ([], []))
		self.assertFalse(step["can_act"])
		self.assertEqual(step["roles"], [SALES_APPROVER])
		self.assertEqual(set(step["actions"]), {"Approve", "Reject"})

	def test_cancel_is_not_offered_to_customer_service_when_the_server_would_refuse_it(self):
		request = self.refunded_case()
		with acting_as(CUSTOMER_SERVICE):
			refusal = cancel_refusal(frappe.get_doc("Return Request", request.name))
			self.assertTrue(refusal)
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Return Request", request.name).cancel()
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "docstatus"), 1)

	def refunded_case(self):
		request = open_request(sell(qty=1), reason=PERSONAL, request_type="Refund Only")
		for action in ("Submit", "Send to Sales Approval", "Approve", "Refund"):
			request = act(request, action)
		return request
