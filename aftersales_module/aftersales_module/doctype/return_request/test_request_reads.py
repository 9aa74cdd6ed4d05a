# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""One action reads what a submitted invoice never changes once, however often the case's figures, its
credit plan and its posting ask; the next action reads it again."""

import frappe
from frappe.utils import flt

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	PRICE,
	ReturnFlowTestCase,
	act,
	open_request,
	postings,
	sell,
)
from aftersales_module.benchmarks.profile import statements_sent
from aftersales_module.setup.roles import WAREHOUSE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS
from aftersales_module.tests.role_users import acting_as

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request"]

PERSONAL = "Personal Reason (7-day No Reason)"
# The app's own reads of an invoice's taxes and of a line's tax rates (ERPNext's credit note reads the
# whole invoice its own way).
TAX_ROWS = "`charge_type`, `account_head`, `rate`, `included_in_print_rate` from `tabSales Taxes and Charges`"
LINE_TAXES = "SELECT `item_tax_rate`,`rate`,`parent`,`net_amount`,`qty` FROM `tabSales Invoice Item`"


def reads_of(seen: list, query: str) -> int:
	return sum(1 for sent, _values in seen if query in sent)


class TestRequestReads(ReturnFlowTestCase):
	def approved_and_received(self, qty: int = 2):
		request = open_request(sell(qty=qty), reason=PERSONAL)
		for action in ("Submit", "Send to Sales Approval", "Approve"):
			request = act(request, action)
		with acting_as(WAREHOUSE):
			request.reload()
			for row in request.items:
				row.received_qty, row.received_condition = row.qty, "Good"
			request.save()
		return request

	def test_receive_goods_reads_the_invoice_taxes_once(self):
		request = self.approved_and_received()
		with statements_sent() as seen:
			request = act(request, "Receive Goods")
		# the figures on the case and the credit note's plan both needed them; one read served both
		self.assertEqual((reads_of(seen, TAX_ROWS), reads_of(seen, LINE_TAXES)), (1, 1))
		[credit_note] = postings(request, "Goods In", "Sales Invoice")
		self.assertEqual(-flt(frappe.db.get_value("Sales Invoice", credit_note, "grand_total")), 2 * PRICE)
		self.assertEqual(flt(request.refund_amount), 2 * PRICE)

	def test_the_next_action_reads_them_again(self):
		request = act(self.approved_and_received(qty=1), "Receive Goods")
		with statements_sent() as seen:
			request = act(request, "Refund")
		self.assertEqual(reads_of(seen, TAX_ROWS), 1)
		[payment] = postings(request, "Refund")
		self.assertEqual(flt(frappe.db.get_value("Payment Entry", payment, "paid_amount")), PRICE)
