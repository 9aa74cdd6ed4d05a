# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""三包 as written (seed 003): within 7 days a fault is returned only unscratched with its accessories
undamaged (外觀無劃傷、附件無損壞), within 15 days exchanged only unscratched; a scratched unit is
repaired."""

from frappe.utils import add_days, nowdate

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	COST,
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	open_request,
)
from aftersales_module.aftersales_module.doctype.return_request.return_request_intake import (
	NotEligibleError,
)
from aftersales_module.tests.factories import make_sales_invoice, make_stock


class TestThreeGuarantees(ReturnFlowTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_stock(PHONE, qty=10, rate=COST, posting_date=add_days(nowdate(), -60))

	def sold_three_days_ago(self):
		return make_sales_invoice([(PHONE, 1, PRICE)], posting_date=add_days(nowdate(), -3))

	def test_a_scratched_unit_is_repaired_not_returned_or_exchanged(self):
		invoice = self.sold_three_days_ago()
		for request_type in ("Return and Refund", "Exchange Same Item"):
			request = open_request(invoice, request_type=request_type, appearance_intact=0)
			self.assertEqual(request.eligible, 0, request_type)
			self.assertIn("scratched", request.eligibility_rule)
			self.assertRaises(NotEligibleError, act, request, "Submit")
		self.assertEqual(open_request(invoice, request_type="Repair", appearance_intact=0).eligible, 1)

	def test_damaged_accessories_allow_an_exchange_not_a_return(self):
		invoice = self.sold_three_days_ago()
		refund = open_request(invoice, accessories_intact=0)
		self.assertEqual(refund.eligible, 0)
		self.assertIn("damaged accessories", refund.eligibility_rule)
		self.assertEqual(
			open_request(invoice, request_type="Exchange Same Item", accessories_intact=0).eligible, 1
		)
