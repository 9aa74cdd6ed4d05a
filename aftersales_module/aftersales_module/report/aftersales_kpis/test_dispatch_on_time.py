# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Dispatch on-time rate 發貨及時率: reissues approved and shipped by the role users through the app's
steps — one on time, one late, one never shipped, due across the month's start — give the exact
figure by month, department and person, with the cases behind it, within the company's Dispatch
Within hours; repaired units sent back after the goods were received; and spare units sent ahead
after approval. Only when each step happened is moved into March 2019 afterwards."""

from decimal import Decimal

import frappe
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PRICE,
	ReturnFlowTestCase,
	act,
	approve_quality_return,
	as_role,
	edit_lines,
	open_request,
	postings,
	receive_all,
	sell,
)
from aftersales_module.aftersales_module.report.aftersales_kpis.kpi_test_utils import (
	MONTH,
	at,
	run_report,
	set_targets,
)
from aftersales_module.controllers.stage_log import STAGE_LOG
from aftersales_module.setup.roles import WAREHOUSE
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	make_item,
	make_sales_invoice,
	make_serial_item,
	make_stock,
)
from aftersales_module.tests.role_users import user_of

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

DISPATCH = "Dispatch: shipped on time"
REISSUE_ITEM = "_Test Aftersales Reissue Shoe"
SPARE_PHONE = "_Test Aftersales Dispatch Spare Phone"
CUSTOMER_IMEIS = ("_TAC-DSPT-0001", "_TAC-DSPT-0002")
SPARE_IMEIS = ("_TAC-DSPT-0901", "_TAC-DSPT-0902")
WITHIN_HOURS = 24


def write_dispatch_hours(hours):
	"""Set the test company's Dispatch Within; what it was before."""
	settings = frappe.get_single("Aftersales Settings")
	row = next(row for row in settings.company_settings if row.company == TEST_COMPANY)
	before, row.dispatch_due_hours = row.dispatch_due_hours, hours
	settings.save(ignore_permissions=True)
	return before


class TestDispatchOnTime(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_item(REISSUE_ITEM, item_group="Mobile Phones")

	def setUp(self):
		super().setUp()
		self.set_dispatch_hours(WITHIN_HOURS)
		make_stock(REISSUE_ITEM, qty=10, rate=COST, posting_date=add_days(nowdate(), -30))
		on_time, late, never = (self.reissue(shipped) for shipped in (True, True, False))
		# Only when each step happened is moved, once nothing more is posted (a back-dated stock entry
		# would have ERPNext repost the later ones). Approved on the 10th at noon, due 24 hours later;
		# the third approved on the last evening of February, due on 1 March, never shipped: late, in March.
		self.on_time = self.took_place(on_time, approved_on=at(10), shipped_on=at(11, 11))
		self.late = self.took_place(late, approved_on=at(10), shipped_on=at(11, 13))
		self.never = self.took_place(never, approved_on="2019-02-28 20:00:00", shipped_on=None)

	def set_dispatch_hours(self, hours):
		before = write_dispatch_hours(hours)
		self.addCleanup(write_dispatch_hours, before)

	@staticmethod
	def reissue(shipped: bool):
		invoice = make_sales_invoice([(REISSUE_ITEM, 1, PRICE)], posting_date=nowdate())
		request = open_request(invoice, reason="Missing Item", request_type="Reissue")
		for action in ("Submit", "Send to Sales Approval", "Approve"):
			request = act(request, action)
		if shipped:
			request.reload()
			as_role(WAREHOUSE, request.ship_reissue)
		return request

	def took_place(self, request, approved_on: str, shipped_on: str | None) -> str:
		frappe.db.sql(
			f"""update `tab{STAGE_LOG}` set moved_on = %s
			where reference_doctype = 'Return Request' and reference_name = %s and to_stage = 'Approved'""",
			(approved_on, request.name),
		)
		entries = postings(request, "Reissue", "Stock Entry")
		self.assertEqual(len(entries), 1 if shipped_on else 0)
		for entry in entries:
			day, time = shipped_on.split(" ")
			frappe.db.set_value("Stock Entry", entry, {"posting_date": day, "posting_time": time})
		return request.name

	def figures(self, group_by: str) -> dict:
		return {
			row["group"]: (row["numerator"], row["denominator"], row["value"], row["met"])
			for row in run_report("Aftersales KPIs", group_by=group_by)["result"]
			if row["measure_key"] == DISPATCH
		}

	def test_by_month_department_and_person_against_the_target(self):
		set_targets({DISPATCH: 90})
		self.assertEqual(self.figures("Month"), {MONTH: (1, 3, Decimal("33.33"), "Not Met")})
		self.assertEqual(self.figures("Department"), {"Warehouse": (1, 3, Decimal("33.33"), "Not Met")})
		self.assertEqual(
			self.figures("Person"),
			{user_of(WAREHOUSE): (1, 2, 50, "Not Met"), "Nobody yet": (0, 1, 0, "Not Met")},
		)

	def test_the_companys_hours_decide_what_is_on_time(self):
		self.set_dispatch_hours(26)  # the late one left 25 hours after approval
		self.assertEqual(self.figures("Month")[MONTH][:3], (2, 3, Decimal("66.67")))

	def test_the_cases_behind_the_figure(self):
		result = run_report("Aftersales KPIs", group_by="Month", show_cases=1, measure=DISPATCH, group=MONTH)
		self.assertEqual(
			{row["case_name"]: row["result"] for row in result["result"]},
			{self.on_time: "Counted", self.late: "Not Counted", self.never: "Not Counted"},
		)

	def test_the_month_before_has_nothing_due(self):
		result = run_report("Aftersales KPIs", group_by="Month", from_date="2019-02-01", to_date="2019-02-28")
		self.assertFalse([row for row in result["result"] if row["measure_key"] == DISPATCH])


class TestRepairSentBackOnTime(ReturnFlowTestCase):
	"""A unit the customer sent in for repair (a Repair request) is due back within the hours of its
	receipt: the warehouse ships one back the next morning, the other two days later."""

	def setUp(self):
		super().setUp()
		self.set_dispatch_hours(WITHIN_HOURS)
		requests = [self.repaired_and_shipped() for _ in range(2)]
		# received on the 15th at nine, due back on the 16th at nine
		self.on_time = self.took_place(requests[0], received_on=at(15, 9), shipped_on=at(16, 8))
		self.late = self.took_place(requests[1], received_on=at(15, 9), shipped_on=at(17, 9))

	def set_dispatch_hours(self, hours):
		before = write_dispatch_hours(hours)
		self.addCleanup(write_dispatch_hours, before)

	@staticmethod
	def repaired_and_shipped():
		request = approve_quality_return(open_request(sell(qty=1, paid=False), request_type="Repair"))
		request = receive_all(request)
		as_role(WAREHOUSE, request.ship_replacements)
		return request

	def took_place(self, request, received_on: str, shipped_on: str) -> str:
		frappe.db.sql(
			f"""update `tab{STAGE_LOG}` set moved_on = %s
			where reference_doctype = 'Return Request' and reference_name = %s and to_stage = 'Goods Received'""",
			(received_on, request.name),
		)
		[entry] = postings(request, "Replacement", "Stock Entry")
		self.assertEqual(
			frappe.db.get_value("Stock Entry", entry, "stock_entry_type"), "Repair Done, Shipped"
		)
		day, time = shipped_on.split(" ")
		frappe.db.set_value("Stock Entry", entry, {"posting_date": day, "posting_time": time})
		return request.name

	def test_the_units_sent_back_by_month_and_their_cases(self):
		[figure] = [
			row
			for row in run_report("Aftersales KPIs", group_by="Month")["result"]
			if row["measure_key"] == DISPATCH
		]
		self.assertEqual((figure["group"], figure["numerator"], figure["denominator"]), (MONTH, 1, 2))
		result = run_report("Aftersales KPIs", group_by="Month", show_cases=1, measure=DISPATCH, group=MONTH)
		self.assertEqual(
			{row["case_name"]: row["result"] for row in result["result"]},
			{self.on_time: "Counted", self.late: "Not Counted"},
		)


class TestSpareUnitsSentAhead(ReturnFlowTestCase):
	"""A spare unit is due within the hours of the request's approval: the warehouse ships one the
	next morning, the other two days later."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_serial_item(SPARE_PHONE, item_group="Mobile Phones")

	def setUp(self):
		super().setUp()
		before = write_dispatch_hours(WITHIN_HOURS)
		self.addCleanup(write_dispatch_hours, before)
		make_stock(
			SPARE_PHONE,
			qty=4,
			rate=COST,
			posting_date=add_days(nowdate(), -30),
			serial_nos=[*CUSTOMER_IMEIS, *SPARE_IMEIS],
		)
		on_time, late = (
			self.spare_shipped(*serials) for serials in zip(CUSTOMER_IMEIS, SPARE_IMEIS, strict=True)
		)
		# approved on the 5th at noon, due on the 6th at noon
		self.on_time = self.took_place(on_time, "Spare Unit", approved_on=at(5), shipped_on=at(6, 11))
		self.late = self.took_place(late, "Spare Unit", approved_on=at(5), shipped_on=at(7, 12))

	def spare_shipped(self, customer_serial: str, spare_serial: str):
		invoice = make_sales_invoice(
			[
				{
					"item_code": SPARE_PHONE,
					"qty": 1,
					"rate": PRICE,
					"serial_no": customer_serial,
					"use_serial_batch_fields": 1,
				}
			],
			posting_date=nowdate(),
		)
		request = approve_quality_return(open_request(invoice, request_type="Spare Unit"))
		request = edit_lines(request, replacement_warehouse=self.stores, replacement_serial_no=spare_serial)
		as_role(WAREHOUSE, request.ship_spare_units)
		return request

	def took_place(self, request, posting: str, approved_on: str, shipped_on: str | None) -> str:
		frappe.db.sql(
			f"""update `tab{STAGE_LOG}` set moved_on = %s
			where reference_doctype = 'Return Request' and reference_name = %s and to_stage = 'Approved'""",
			(approved_on, request.name),
		)
		entries = postings(request, posting, "Stock Entry")
		self.assertEqual(len(entries), 1 if shipped_on else 0)
		for entry in entries:
			day, time = shipped_on.split(" ")
			frappe.db.set_value("Stock Entry", entry, {"posting_date": day, "posting_time": time})
		return request.name

	def test_spare_units_by_month_and_their_cases(self):
		[figure] = [
			row
			for row in run_report("Aftersales KPIs", group_by="Month")["result"]
			if row["measure_key"] == DISPATCH
		]
		self.assertEqual((figure["group"], figure["numerator"], figure["denominator"]), (MONTH, 1, 2))
		result = run_report("Aftersales KPIs", group_by="Month", show_cases=1, measure=DISPATCH, group=MONTH)
		self.assertEqual(
			{row["case_name"]: row["result"] for row in result["result"]},
			{self.on_time: "Counted", self.late: "Not Counted"},
		)
