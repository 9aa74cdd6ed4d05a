# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A known set of cases in a month of their own (March 2019), made by the role users through the
app's own steps; only when each step happened is moved into that month afterwards."""

import frappe
from frappe.desk.query_report import run

from aftersales_module.aftersales_module.doctype.inquiry_ticket.test_inquiry_ticket import open_ticket
from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import (
	edit_order,
	make_repair_point,
	open_order,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	act,
	as_role,
	open_request,
	sell,
)
from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.setup.roles import (
	AFTERSALES_MANAGER,
	CUSTOMER_SERVICE,
	REPAIR_TECHNICIAN,
	WAREHOUSE,
)
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	TEST_CUSTOMER,
	company_value,
	make_sales_order,
)
from aftersales_module.tests.role_users import acting_as, user_of

MONTH = "2019-03"
PHONE = "_Test Aftersales Flow Phone"
BUDGET_A_YEAR, SPENT = 12_000, 800
REPAIR_POINT = "_Test KPI Repair Point"


def at(day: int, hour: int = 12) -> str:
	return f"{MONTH}-{day:02d} {hour:02d}:00:00"


def log_move(doctype: str, name: str, from_stage, to_stage: str, role: str, moved_on: str) -> None:
	"""A move the stage log holds for a step taken on `moved_on`."""
	frappe.get_doc(
		{
			"doctype": STAGE_LOG,
			"reference_doctype": doctype,
			"reference_name": name,
			"company": TEST_COMPANY,
			"from_stage": from_stage,
			"to_stage": to_stage,
			"moved_by": user_of(role),
			"moved_on": moved_on,
		}
	).insert(ignore_permissions=True)


def make_returns() -> dict:
	"""On time, late and reopened return requests: told, reviewed, received, rated and settled."""
	on_time = act(open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit")
	act(on_time, "Send to Sales Approval")
	late = act(open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit")
	reopened = act(open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit")
	frappe.db.set_value(
		"Return Request",
		on_time.name,
		{
			"request_date": f"{MONTH}-01",
			"feedback_due": at(2),
			"customer_told_on": at(1),
			"review_due": at(3),
			"reviewed_on": at(2),
			"satisfaction": "Satisfied",
			"rated_on": at(12),
			"stage": "Closed",
		},
	)
	frappe.db.set_value(
		"Return Request",
		late.name,
		{
			"request_date": f"{MONTH}-01",
			"feedback_due": at(2),
			"customer_told_on": at(5),
			"review_due": at(3),
			"has_discrepancy": 1,
			"satisfaction": "Unsatisfied",
			"rated_on": at(13),
			"stage": "Rejected",
			"rejection_reason": "Goods came back used",
		},
	)
	# Closed, then reopened by the unsatisfied customer: under way again, not yet resolved.
	frappe.db.set_value("Return Request", reopened.name, {"request_date": f"{MONTH}-02", "stage": "Review"})
	for request, day in ((on_time, 10), (late, 11)):
		log_move("Return Request", request.name, "Approved", "Goods Received", WAREHOUSE, at(day))
	log_move("Return Request", reopened.name, "Refunded", "Closed", CUSTOMER_SERVICE, at(14))
	log_move("Return Request", reopened.name, "Closed", "Review", CUSTOMER_SERVICE, at(16))
	return {"on_time": on_time.name, "late": late.name, "reopened": reopened.name}


def make_inquiry() -> str:
	ticket = open_ticket()
	frappe.db.set_value(
		"Inquiry Ticket",
		ticket.name,
		{
			"response_by": at(4, 9),
			"first_responded_on": at(4, 8),
			"result_by": at(4, 17),
			"feedback_on": None,
			"anomaly": "Delayed",
		},
	)
	return ticket.name


def make_repairs() -> dict:
	"""One repair passed its quality check within the time, one found unrepairable too late."""
	point = repair_point()
	technician = user_of(REPAIR_TECHNICIAN)
	passed = open_order(point.name, technician=technician, sales_invoice=sell(qty=1).name)
	passed = edit_order(
		passed,
		REPAIR_TECHNICIAN,
		quality_check_passed=1,
		customer_signature="data:image/png;base64,iVBORw0KGgo=",
		confirmed_by="Customer",
	)
	as_role(REPAIR_TECHNICIAN, passed.complete)
	failed = open_order(point.name, technician=technician, sales_invoice=sell(qty=1).name)
	as_role(REPAIR_TECHNICIAN, failed.mark_unrepairable, "Mainboard burnt; no spare board made any more")
	when = {
		passed.name: {"opened_on": at(19), "first_contact_due": at(20), "first_contact_at": at(19, 13)},
		failed.name: {"opened_on": at(15), "first_contact_due": at(16), "first_contact_at": None},
	}
	finished = {passed.name: at(20), failed.name: at(25)}
	for name, values in when.items():
		frappe.db.set_value("Repair Order", name, values)
		frappe.db.sql(
			f"""update `tab{STAGE_LOG}` set moved_on = %s
			where reference_doctype = 'Repair Order' and reference_name = %s
				and to_stage in ('Completed', 'Unrepairable')""",
			(finished[name], name),
		)
		frappe.db.sql(
			f"""update `tab{STAGE_LOG}` set moved_on = %s
			where reference_doctype = 'Repair Order' and reference_name = %s
				and to_stage not in ('Completed', 'Unrepairable')""",
			(values["opened_on"], name),
		)
	return {"passed": passed.name, "failed": failed.name}


def repair_point():
	name = frappe.db.get_value("Repair Point", {"repair_point_name": REPAIR_POINT})
	point = (
		frappe.get_doc("Repair Point", name) if name else make_repair_point(REPAIR_POINT, region="Hongshan")
	)
	technician = user_of(REPAIR_TECHNICIAN)
	if technician not in [member.user for member in point.members]:
		point.append("members", {"user": technician})
		point.save()
	return point


def make_complaints() -> list[str]:
	"""Three complaints in the month, one of them judged malicious, against two orders."""
	for day in (3, 4):
		make_sales_order([(PHONE, 1, 500)], transaction_date=f"{MONTH}-{day:02d}")
	names = []
	for day in (5, 6, 7):
		with acting_as(CUSTOMER_SERVICE):
			complaint = frappe.get_doc(
				{
					"doctype": "Aftersales Complaint",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"posting_date": f"{MONTH}-{day:02d}",
					"category": "Service Attitude",
					"description": "Nobody called back",
				}
			).insert()
		names.append(complaint.name)
	malicious = frappe.get_doc("Aftersales Complaint", names[0])
	as_role(AFTERSALES_MANAGER, malicious.flag_malicious, "Demands a refund for goods never bought")
	return names


def make_cost_and_budget(cost_center: str, expense_account: str) -> str:
	"""800 spent on the after-sales cost center in March against 12,000 budgeted for the year."""
	year = fiscal_year_of(f"{MONTH}-10")  # a site made this year has no fiscal year of 2019
	entry = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"company": TEST_COMPANY,
			"posting_date": f"{MONTH}-10",
			"accounts": [
				{
					"account": expense_account,
					"cost_center": cost_center,
					"debit_in_account_currency": SPENT,
				},
				{
					"account": company_value("default_cash_account"),
					"credit_in_account_currency": SPENT,
				},
			],
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
	budget = frappe.get_doc(
		{
			"doctype": "Budget",
			"company": TEST_COMPANY,
			"budget_against": "Cost Center",
			"cost_center": cost_center,
			"fiscal_year": year,
			"applicable_on_booking_actual_expenses": 1,
			"action_if_annual_budget_exceeded": "Ignore",
			"action_if_accumulated_monthly_budget_exceeded": "Ignore",
			"accounts": [{"account": expense_account, "budget_amount": BUDGET_A_YEAR}],
		}
	)
	budget.insert(ignore_permissions=True)
	budget.submit()
	return entry.name


def fiscal_year_of(day: str) -> str:
	"""The fiscal year holding `day`, made for the test when the site has none. Read from the
	database: ERPNext's cache of fiscal years outlives a test's rolled-back year."""
	year = frappe.db.get_value(
		"Fiscal Year", {"year_start_date": ("<=", day), "year_end_date": (">=", day), "disabled": 0}
	)
	if not year:
		year = (
			frappe.get_doc(
				{
					"doctype": "Fiscal Year",
					"year": f"_Test Aftersales {day[:4]}",
					"year_start_date": f"{day[:4]}-01-01",
					"year_end_date": f"{day[:4]}-12-31",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	frappe.cache.delete_value("fiscal_years")
	return year


def set_targets(targets: dict[str, float]) -> None:
	settings = frappe.get_single("Aftersales Settings")
	settings.set("kpi_targets", [row for row in settings.kpi_targets if row.company != TEST_COMPANY])
	for measure, target in targets.items():
		settings.append("kpi_targets", {"company": TEST_COMPANY, "measure": measure, "target": target})
	settings.save(ignore_permissions=True)


def run_report(report: str, **filters) -> dict:
	with acting_as(AFTERSALES_MANAGER):
		return run(
			report,
			filters={
				"company": TEST_COMPANY,
				"from_date": f"{MONTH}-01",
				"to_date": f"{MONTH}-31",
				**filters,
			},
		)
