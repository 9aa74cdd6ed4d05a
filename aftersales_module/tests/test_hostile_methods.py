"""Hostile arguments to every whitelisted method of the app, called as the role user whose button it
is, on a case in the state where the method works: done, or refused with a message, never a crash,
and nothing half-posted (hostile.py). A whitelisted method added without an entry here fails
test_every_whitelisted_method_is_fuzzed."""

import importlib
import json
import pkgutil

import frappe
from hypothesis import given
from hypothesis import strategies as st

import aftersales_module
from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	INSPECTOR,
	SECOND_INSPECTOR,
	review,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PHONE,
	open_request,
)
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_sales_order,
)
from aftersales_module.tests.hostile import HOSTILE_VALUES, attempt, fuzz_settings, hostile_value, shown
from aftersales_module.tests.hostile_setup import CARRIER, SCREEN, HostileTestCase
from aftersales_module.tests.portal_users import make_portal_user
from aftersales_module.tests.role_users import acting_as

test_ignore = [
	*IGNORE_TEST_RECORDS,
	"Return Request",
	"Repair Point",
	"Repair Order",
	"Spare Part Transfer Request",
	"Compensation Claim",
	"Inquiry Ticket",
	"Aftersales Complaint",
]

EXAMPLES = 150
ROW = "<the case's first row>"
# A mapping of a case's rows to quantities, as the forms send it (a dict, or its JSON).
row_mapping = st.one_of(
	hostile_value,
	st.builds(lambda value: {ROW: value}, hostile_value),
	st.builds(lambda value: json.dumps({ROW: value}, default=str), hostile_value),
)

# qualified name → (case the method runs on, who presses it, its arguments: name → values)
DOCUMENT_METHODS = {
	"ReturnRequestActions.resolve_discrepancy": (
		"draft request",
		"customer_service",
		{"resolution": hostile_value},
	),
	"ReturnRequestActions.ship_replacements": ("draft request", "warehouse_user", {}),
	"ReturnRequestActions.ship_spare_units": ("draft request", "warehouse_user", {}),
	"ReturnRequestActions.receive_spare_back": (
		"draft request",
		"warehouse_user",
		{"returned_serials": row_mapping},
	),
	"ReturnRequestActions.check_reissue_stock": ("draft request", "customer_service", {}),
	"ReturnRequestActions.ship_reissue": ("draft request", "warehouse_user", {}),
	"ReturnRequestActions.approve_scrap": ("draft request", "manager", {}),
	"ReturnRequestActions.apply_dispositions": ("draft request", "warehouse_user", {}),
	"ReturnRequestActions.get_items": ("draft request", "customer_service", {"sales_invoice": hostile_value}),
	"MailInActions.receive_for_testing": (
		"draft request",
		"warehouse_user",
		{"received_serials": row_mapping},
	),
	"MailInActions.accept_test_report": ("draft request", "customer_service", {}),
	"MailInActions.ship_unit_back": (
		"draft request",
		"warehouse_user",
		{"carrier": hostile_value, "freight": hostile_value},
	),
	"MailInActions.reimburse_postage": ("draft request", "manager", {"amount": hostile_value}),
	"InquiryTicket.record_first_response": ("open ticket", "customer_service", {}),
	"InquiryTicket.wait_on_customer": ("answered ticket", "customer_service", {}),
	"InquiryTicket.customer_replied": ("answered ticket", "customer_service", {}),
	"InquiryTicket.send_result": (
		"open ticket",
		"customer_service",
		{"feedback_method": hostile_value | st.just("Phone"), "text": hostile_value},
	),
	"InquiryTicket.close": ("open ticket", "customer_service", {}),
	"InquiryTicket.make_compensation_claim": ("open ticket", "customer_service", {}),
	"InquiryTicket.make_reissue": ("open ticket", "customer_service", {}),
	"InquiryTicket.make_return_request": ("open ticket", "customer_service", {}),
	"RepairOrder.issue_parts": ("open order", "technician", {}),
	"RepairOrder.receive_old_parts": ("open order", "technician", {}),
	"RepairOrder.complete": ("open order", "technician", {}),
	"RepairOrder.mark_unrepairable": ("open order", "technician", {"report": hostile_value}),
	"RepairOrder.approve_scrap": ("open order", "manager", {}),
	"SparePartTransferRequest.approve": ("pending transfer", "manager", {"approved_qtys": row_mapping}),
	"SparePartTransferRequest.reject": ("pending transfer", "manager", {"reason": hostile_value}),
	"SparePartTransferRequest.transfer": ("approved transfer", "warehouse_user", {"quantities": row_mapping}),
	"SparePartTransferRequest.close": ("approved transfer", "manager", {"reason": hostile_value}),
	"CompensationClaim.review": (
		"draft claim",
		"inspector",
		{"verdict": hostile_value | st.just("Confirmed"), "notes": hostile_value},
	),
	"CompensationClaim.rule": ("disputed claim", "manager", {"ruling": hostile_value}),
	"CompensationClaim.receive_old_parts": ("draft claim", "inspector", {}),
	"CompensationClaim.handle_old_parts": ("draft claim", "inspector", {}),
	"CompensationClaim.make_reissue": ("draft claim", "customer_service", {}),
	"CompensationClaim.refresh_cost_ledger": ("draft claim", "customer_service", {}),
	"AftersalesComplaint.resolve": ("open complaint", "customer_service", {}),
	"AftersalesComplaint.close": ("open complaint", "customer_service", {}),
	"AftersalesComplaint.flag_malicious": ("open complaint", "manager", {"reason": hostile_value}),
}

# qualified name → (module, who calls it, its arguments: name → values)
MODULE_FUNCTIONS = {
	"get_count": (
		"aftersales_module.controllers.repair_point_access",
		"technician",
		{
			"doctype": hostile_value | st.sampled_from(["Repair Order", "Repair Order Part", "Item"]),
			"filters": hostile_value | st.builds(lambda value: {"status": value}, hostile_value),
		},
	),
	"repair_held_quantities": ("aftersales_module.controllers.sales_history", "manager", {}),
	"search_invoices": (
		"aftersales_module.actions.return_request",
		"customer_service",
		{
			"doctype": hostile_value | st.just("Sales Invoice"),
			"txt": hostile_value,
			"searchfield": hostile_value | st.just("name"),
			"start": hostile_value | st.just(0),
			"page_len": hostile_value | st.just(20),
			"filters": hostile_value
			| st.builds(lambda value: {"customer": value, "company": TEST_COMPANY}, hostile_value),
		},
	),
	**{
		method: (
			"aftersales_module.controllers.uninvoiced_items",
			"customer_service",
			{
				"doctype": hostile_value | st.just(doctype),
				"txt": hostile_value,
				"searchfield": hostile_value | st.just("name"),
				"start": hostile_value | st.just(0),
				"page_len": hostile_value | st.just(20),
				"filters": hostile_value
				| st.builds(lambda value: {"customer": value, "company": TEST_COMPANY}, hostile_value),
			},
		)
		for method, doctype in (("search_deliveries", "Delivery Note"), ("search_orders", "Sales Order"))
	},
	"get_warranty_decision": (
		"aftersales_module.aftersales_module.doctype.warranty_policy.warranty_policy",
		"customer_service",
		{
			"item_code": hostile_value | st.just(PHONE),
			"reason_category": hostile_value | st.just("Quality Problem"),
			"customer": hostile_value | st.just(TEST_CUSTOMER),
			"sales_invoice": hostile_value,
			"request_date": hostile_value,
			"delivery_date": hostile_value,
			"original_packaging": hostile_value,
			"man_made_damage": hostile_value,
			"resellable": hostile_value,
		},
	),
	"enable_companies": (
		"aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings",
		"manager",
		{"companies": hostile_value | st.builds(lambda value: [value], hostile_value)},
	),
	"record_customer_told": (
		"aftersales_module.controllers.return_deadlines",
		"customer_service",
		{"name": hostile_value},
	),
	"headline_figure": (
		"aftersales_module.aftersales_module.report.aftersales_kpis.kpi_cards",
		"manager",
		{
			"filters": hostile_value
			| st.builds(
				lambda measure, day: {"measure": measure, "company": TEST_COMPANY, "date": day},
				hostile_value | st.just("Return: customer satisfied"),
				hostile_value,
			)
		},
	),
	"get": (
		"aftersales_module.aftersales_module.dashboard_chart_source.aftersales_kpi_by_month.aftersales_kpi_by_month",
		"manager",
		{
			"chart_name": hostile_value | st.just("Customer Satisfaction by Month"),
			"filters": hostile_value
			| st.builds(
				lambda measure, day: {"measure": measure, "company": TEST_COMPANY, "date": day},
				hostile_value | st.just("After-sales cost against budget"),
				hostile_value,
			),
		},
	),
	"record_shipment": (
		"aftersales_module.controllers.shipments",
		"warehouse_user",
		{
			"stock_entry": hostile_value,
			"carrier": hostile_value,
			"tracking_no": hostile_value,
			"shipped_on": hostile_value,
			"delivered_on": hostile_value,
		},
	),
	"case_shipments": (
		"aftersales_module.controllers.shipments",
		"customer_service",
		{"doctype": hostile_value | st.just("Return Request"), "name": hostile_value},
	),
	"ticket_shipments": (
		"aftersales_module.controllers.shipments",
		"customer_service",
		{"ticket": hostile_value},
	),
	"rate_by_link": (
		"aftersales_module.controllers.satisfaction",
		"customer_service",
		{
			"case": hostile_value,
			"expires": hostile_value,
			"signature": hostile_value,
			"rating": hostile_value | st.just("Satisfied"),
			"comment": hostile_value,
		},
	),
	"record_phone_rating": (
		"aftersales_module.controllers.satisfaction",
		"customer_service",
		{"name": hostile_value, "rating": hostile_value | st.just("Satisfied"), "comment": hostile_value},
	),
	"reopen": (
		"aftersales_module.controllers.reopen",
		"customer_service",
		{"name": hostile_value, "reason": hostile_value},
	),
	"close_reopened": (
		"aftersales_module.controllers.reopen",
		"customer_service",
		{"name": hostile_value, "resolution": hostile_value},
	),
	"reopen_by_link": (
		"aftersales_module.controllers.reopen",
		"customer_service",
		{
			"case": hostile_value,
			"expires": hostile_value,
			"signature": hostile_value,
			"reason": hostile_value,
		},
	),
	"return_figures": (
		"aftersales_module.controllers.live_figures",
		"customer_service",
		{
			"doc": hostile_value
			| st.builds(
				lambda value: json.dumps(
					{"doctype": "Return Request", "depreciation_percent": value, "handling_fee": value},
					default=str,
				),
				hostile_value,
			)
		},
	),
	"install_phone_sample_policy": (
		"aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings",
		"manager",
		{},
	),
	# The customer portal's methods, called by a website user of the test customer.
	"return_slip": ("aftersales_module.controllers.portal", "portal_customer", {"name": hostile_value}),
	"download_attachment": (
		"aftersales_module.controllers.portal",
		"portal_customer",
		{"name": hostile_value},
	),
	"return_options": (
		"aftersales_module.controllers.portal_returns",
		"portal_customer",
		{
			"sales_invoice": hostile_value,
			"reason_category": hostile_value | st.just("Quality Problem"),
			"original_packaging": hostile_value,
			"appearance_intact": hostile_value,
			"accessories_intact": hostile_value,
		},
	),
	"create_return": (
		"aftersales_module.controllers.portal_returns",
		"portal_customer",
		{
			"sales_invoice": hostile_value,
			"request_type": hostile_value | st.just("Return and Refund"),
			"reason_category": hostile_value | st.just("Quality Problem"),
			"reason_details": hostile_value,
			"refund_method": hostile_value,
			"lines": hostile_value | st.builds(lambda value: [{"line": value, "qty": 1}], hostile_value),
			"photos": hostile_value | st.builds(lambda value: [{"content": value}], hostile_value),
			"original_packaging": hostile_value,
		},
	),
	"ask_about_order": (
		"aftersales_module.controllers.portal_actions",
		"portal_customer",
		{
			"reference_doctype": hostile_value | st.just("Sales Invoice"),
			"reference_name": hostile_value,
			"inquiry_reason": hostile_value | st.just("Where Is My Order"),
			"details": hostile_value,
		},
	),
	"rate_from_portal": (
		"aftersales_module.controllers.portal_actions",
		"portal_customer",
		{"name": hostile_value, "rating": hostile_value | st.just("Satisfied"), "comment": hostile_value},
	),
	"reopen_from_portal": (
		"aftersales_module.controllers.portal_actions",
		"portal_customer",
		{
			"doctype": hostile_value | st.just("Return Request"),
			"name": hostile_value,
			"reason": hostile_value,
		},
	),
}


# Frappe's search box always sends all six arguments, and its search decorator reads them before the
# function is called.
CALLED_WITH_EVERY_ARGUMENT = {"search_invoices", "search_deliveries", "search_orders"}


def calls(table: dict):
	"""(method, arguments) with each argument drawn from its values."""
	return st.sampled_from(sorted(table)).flatmap(
		lambda method: st.tuples(st.just(method), st.fixed_dictionaries(table[method][-1]))
	)


def app_whitelisted() -> set[str]:
	"""The qualified names of the app's whitelisted functions and document methods."""
	for module in pkgutil.walk_packages(aftersales_module.__path__, "aftersales_module."):
		if ".test" not in module.name and ".patches" not in module.name:
			importlib.import_module(module.name)
	return {
		function.__qualname__
		for function in frappe.whitelisted
		if function.__module__.startswith("aftersales_module.")
	}


class TestHostileMethodArguments(HostileTestCase):
	@property
	def portal_customer(self) -> str:
		"""A website user of the test customer, who calls the portal's methods."""
		return make_portal_user("as-portal-customer@example.com", TEST_CUSTOMER)

	def test_every_whitelisted_method_is_fuzzed(self):
		self.assertEqual(app_whitelisted(), {*DOCUMENT_METHODS, *MODULE_FUNCTIONS})

	def test_each_document_method_with_each_hostile_value(self):
		"""Every method with no arguments at all, then with each listed value in all its arguments."""
		for method, (_state, _role, arguments) in sorted(DOCUMENT_METHODS.items()):
			self.press(method, {})
			for value in HOSTILE_VALUES if arguments else ():
				self.press(method, {name: value for name in arguments})

	def test_each_module_function_with_each_hostile_value(self):
		for name, (_module, _role, arguments) in sorted(MODULE_FUNCTIONS.items()):
			if name not in CALLED_WITH_EVERY_ARGUMENT:
				self.call(name, {})
			for value in HOSTILE_VALUES if arguments else ():
				self.call(name, {argument: value for argument in arguments})

	@given(call=calls(DOCUMENT_METHODS))
	@fuzz_settings(EXAMPLES)
	def test_document_methods(self, call):
		self.press(*call)

	@given(call=calls(MODULE_FUNCTIONS))
	@fuzz_settings(EXAMPLES)
	def test_module_functions(self, call):
		self.call(*call)

	def press(self, method: str, arguments: dict):
		"""The method's button on its case, as the REST API runs it: the stored case, its own rights."""
		case_state, role, _arguments = DOCUMENT_METHODS[method]
		doc = self.case(case_state)
		row = doc.get("items")[0].name if doc.get("items") else None
		arguments = {name: with_row(value, row) for name, value in arguments.items()}
		name = method.split(".")[-1]

		def run():
			with acting_as(getattr(self, role)):
				case = frappe.get_doc(doc.doctype, doc.name)
				case.is_whitelisted(name)
				getattr(case, name)(**arguments)

		what = f"{method} on {doc.doctype} {doc.name} ({case_state}) as {role} with {shown(arguments)}"
		self.tally(method, attempt(self, what, run, watched=(doc.doctype, doc.name)))

	def call(self, name: str, arguments: dict):
		module, role, _arguments = MODULE_FUNCTIONS[name]
		function = getattr(importlib.import_module(module), name)
		self.tally(name, self.try_call(getattr(self, role), name, function, **arguments))

	def test_a_claim_from_a_ticket_of_a_sales_order_only_takes_the_orders_goods(self):
		order = make_sales_order([(PHONE, 2, 500)])
		ticket = self.make_ticket(sales_order=order.name, sales_invoice=None, anomaly="Lost")
		with acting_as(self.customer_service):
			name = frappe.get_doc("Inquiry Ticket", ticket.name).make_compensation_claim()
		claim = frappe.get_doc("Compensation Claim", name)
		self.assertEqual([(row.item_code, row.qty, row.rate) for row in claim.items], [(PHONE, 2, 500)])

	def test_reported_arguments_get_a_message_naming_the_argument(self):
		from aftersales_module.actions.return_request import search_invoices
		from aftersales_module.aftersales_module.doctype.warranty_policy.warranty_policy import (
			get_warranty_decision,
		)

		transfer = self.case("approved transfer")
		order = self.case("open order")
		row = transfer.items[0].name
		for user, action, named in (
			(
				self.warehouse_user,
				lambda: frappe.get_doc(transfer.doctype, transfer.name).transfer({row: "abc"}),
				"Quantities to Transfer",
			),
			(
				self.warehouse_user,
				lambda: frappe.get_doc(transfer.doctype, transfer.name).transfer(json.dumps({row: "abc"})),
				"Quantities to Transfer",
			),
			(
				self.customer_service,
				lambda: get_warranty_decision("_Test No Such Item", "Quality Problem"),
				"Item",
			),
			(self.customer_service, lambda: get_warranty_decision(PHONE, "Bogus"), "Reason Category"),
			(
				self.customer_service,
				lambda: search_invoices("Sales Invoice", "", "name", 0, 20, "abc"),
				"Filters",
			),
			(
				self.technician,
				lambda: frappe.get_doc(order.doctype, order.name).mark_unrepairable(None),
				"report",
			),
		):
			with self.subTest(named), acting_as(user), self.assertRaises(frappe.ValidationError) as refused:
				action()
			self.assertIn(named, str(refused.exception))

	# ---- the cases, in the state each method works on ----

	def case(self, state: str):
		self.cases = getattr(self, "cases", {})
		if state not in self.cases:
			self.cases[state] = getattr(self, "make_" + state.replace(" ", "_"))()
		return self.cases[state]

	def make_draft_request(self):
		return open_request(self.invoice)

	def make_ticket(self, **fields):
		with acting_as(self.customer_service):
			return frappe.get_doc(
				{
					"doctype": "Inquiry Ticket",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"inquiry_reason": "Where Is My Order",
					"sales_invoice": self.invoice.name,
					"carrier": CARRIER,
					"anomaly": "Damaged",
					**fields,
				}
			).insert()

	def make_open_ticket(self):
		return self.make_ticket()

	def make_answered_ticket(self):
		ticket = self.make_ticket()
		with acting_as(self.customer_service):
			frappe.get_doc("Inquiry Ticket", ticket.name).record_first_response()
		return frappe.get_doc("Inquiry Ticket", ticket.name)

	def make_open_complaint(self):
		with acting_as(self.customer_service):
			return frappe.get_doc(
				{
					"doctype": "Aftersales Complaint",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"category": "Delivery and Logistics",
					"description": "The parcel came two weeks late.",
					"handling": "Apologised and sent a voucher.",
					"result": "Customer accepted.",
				}
			).insert()

	def make_open_order(self):
		with acting_as(self.customer_service):
			order = frappe.get_doc(
				{
					"doctype": "Repair Order",
					"company": TEST_COMPANY,
					"repair_point": self.point.name,
					"source": "Walk-in",
					"customer": TEST_CUSTOMER,
					"item_code": PHONE,
					"fault_description": "Screen stays black",
					"technician": self.technician,
					"parts": [{"item_code": SCREEN, "qty": 1, "rate": 80}],
				}
			).insert()
			order.submit()
		return order

	def make_pending_transfer(self):
		with acting_as(self.point_manager):
			request = frappe.get_doc(
				{
					"doctype": "Spare Part Transfer Request",
					"company": TEST_COMPANY,
					"repair_point": self.point.name,
					"source_warehouse": self.stores,
					"required_by": self.tomorrow,
					"purpose": "Screens",
					"items": [{"item_code": SCREEN, "requested_qty": 3}],
				}
			).insert()
			request.submit()
		return request

	def make_approved_transfer(self):
		request = self.make_pending_transfer()
		with acting_as(self.manager):
			frappe.get_doc(request.doctype, request.name).approve()
		return frappe.get_doc(request.doctype, request.name)

	def make_draft_claim(self):
		with acting_as(self.customer_service):
			return frappe.get_doc(
				{
					"doctype": "Compensation Claim",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"claim_type": "Damaged",
					"liable_party_type": "Carrier",
					"liable_supplier": CARRIER,
					"appraisal_findings": "Box crushed in transit.",
					"remedy": "Compensation",
					"compensation_amount": 500,
					"items": [{"item_code": PHONE, "qty": 1, "rate": 500}],
				}
			).insert()

	def make_disputed_claim(self):
		claim = self.make_draft_claim()
		review(claim, INSPECTOR, "Confirmed")
		return review(claim, SECOND_INSPECTOR, "Disputed")

	@property
	def inspector(self):
		return INSPECTOR


def with_row(value, row: str | None):
	"""ROW, in a mapping or its JSON, becomes the name of the case's first row."""
	if isinstance(value, dict) and ROW in value:
		return {row or ROW: value[ROW]}
	if isinstance(value, str) and ROW in value:
		return value.replace(ROW, row or ROW)
	return value
