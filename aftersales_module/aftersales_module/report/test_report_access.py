# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Every register opens, through the desk's own report runner, for each role it is listed for."""

import frappe
from frappe.desk.query_report import run
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	PART,
	WAREHOUSE_CLERK,
	ClaimTestCase,
	approve,
	make_employee,
	new_claim,
	old_parts_step,
)
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, TEST_COMPANY
from aftersales_module.tests.role_users import USER_OF_ROLE, acting_as

test_ignore = IGNORE_TEST_RECORDS

FILTERS = {
	"company": TEST_COMPANY,
	"from_date": add_days(nowdate(), -30),
	"to_date": nowdate(),
	"serial_no": "_TAC-NO-SUCH-SERIAL",
}


class TestReportAccess(ClaimTestCase):
	def test_each_listed_after_sales_role_can_run_its_registers(self):
		# Rows to show: links in them are what Frappe checks the user's rights against.
		approve(new_claim(compensation_amount=100))
		internal = approve(
			new_claim(
				liable_party_type="Internal",
				liable_supplier=None,
				employee=make_employee(),
				compensation_amount=50,
				old_parts=[{"item_code": PART, "qty": 1}],
			)
		)
		old_parts_step(internal, WAREHOUSE_CLERK, "receive_old_parts")
		reports = frappe.get_all("Report", filters={"module": "Aftersales Module"}, pluck="name")
		self.assertGreaterEqual(len(reports), 6)
		ran = []
		for report in reports:
			roles = frappe.get_all(
				"Has Role", filters={"parent": report, "parenttype": "Report"}, pluck="role"
			)
			for role in roles:
				if role not in USER_OF_ROLE:
					continue  # an ERPNext role given the report as well: ERPNext's rights decide
				with acting_as(role):
					result = run(report, filters=FILTERS)
				self.assertIn("result", result, f"{report} as {role}")
				ran.append((report, role, len(result["result"])))
		rows = {(report, role): count for report, role, count in ran}
		self.assertGreater(rows[("Compensation Dispatch Register", "Aftersales Customer Service")], 0)
		self.assertGreater(rows[("Appraisal Register", "Aftersales Quality Inspector")], 0)
		self.assertGreater(rows[("Parts Issue Register", "Aftersales Manager")], 0)
		self.assertGreater(rows[("Parts Issue Register", "Aftersales Warehouse")], 0)
