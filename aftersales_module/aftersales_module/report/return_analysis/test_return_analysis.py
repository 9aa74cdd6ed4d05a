# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Returns and return rate of a known sale: by item, by the item's supplier and by reason, through the
desk's report runner as the after-sales manager, with the chart of the highest rates."""

from frappe.desk.query_report import run
from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	ReturnFlowTestCase,
	act,
	open_request,
)
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE
from aftersales_module.tests.factories import (
	TEST_COMPANY,
	make_item,
	make_sales_invoice,
	make_stock,
	make_supplier,
)
from aftersales_module.tests.role_users import acting_as

FAN = "_Test Aftersales Analysis Fan"
FAN_MAKER = "_Test Aftersales Fan Maker"


class TestReturnAnalysis(ReturnFlowTestCase):
	def setUp(self):
		super().setUp()
		make_supplier(FAN_MAKER)
		item = make_item(FAN, item_group="Mobile Phones")
		if not item.get("supplier_items"):
			item.append("supplier_items", {"supplier": FAN_MAKER})
			item.save(ignore_permissions=True)
		make_stock(FAN, qty=20, rate=COST, posting_date=add_days(nowdate(), -10))
		invoice = make_sales_invoice([(FAN, 10, 80)], posting_date=nowdate())
		request = open_request(invoice)
		request.items[0].qty = 2
		with acting_as(CUSTOMER_SERVICE):
			request.save()
		act(request, "Submit")

	def analysis(self, group_by: str) -> dict:
		with acting_as(AFTERSALES_MANAGER):
			result = run(
				"Return Analysis",
				filters={
					"company": TEST_COMPANY,
					"from_date": nowdate(),
					"to_date": nowdate(),
					"group_by": group_by,
				},
			)
		self.chart = result["chart"]
		return {row["group"]: row for row in result["result"]}

	def test_by_item_and_supplier_returned_over_sold(self):
		for group_by, group in (("Item", FAN), ("Supplier", FAN_MAKER)):
			row = self.analysis(group_by)[group]
			self.assertEqual(
				(row["requests"], row["returned_qty"], row["sold_qty"], row["return_rate"]),
				(1, 2, 10, 20),
				group_by,
			)
		self.analysis("Item")
		self.assertIn(FAN, self.chart["data"]["labels"])

	def test_by_reason_counts_returns_only(self):
		row = self.analysis("Reason")["Quality Problem"]
		self.assertGreaterEqual(row["returned_qty"], 2)
		self.assertIsNone(row["sold_qty"])
		self.assertIsNone(row["return_rate"])
