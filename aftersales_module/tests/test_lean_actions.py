"""A workflow action that moves only the stage of a return keeps the credit figures of its last save
instead of reading the invoices again; a save that changes what they are worked out from works them
out again, as the desk shows them."""

from unittest.mock import patch

from frappe.utils import flt

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	open_request,
	save_as,
	sell,
)
from aftersales_module.controllers import return_credit

NO_REASON = "Personal Reason (7-day No Reason)"
FIGURES = ("goods_amount", "total_deductions", "credit_tax", "refund_amount", "base_refund_amount")


def figures_of(request) -> dict:
	request.reload()
	return {field: flt(request.get(field)) for field in FIGURES}


class TestLeanActions(ReturnFlowTestCase):
	def test_an_action_that_moves_only_the_stage_keeps_the_figures_and_a_changed_fee_works_them_out(self):
		request = act(open_request(sell(qty=2), reason=NO_REASON), "Submit")
		figures = figures_of(request)
		self.assertGreater(figures["refund_amount"], 0)
		with patch.object(
			return_credit, "set_credit_figures", wraps=return_credit.set_credit_figures
		) as worked_out:
			request = act(request, "Send to Sales Approval")
			self.assertEqual(worked_out.call_count, 0)
			self.assertEqual(figures_of(request), figures)

			request = save_as(request, handling_fee=10)
			self.assertEqual(worked_out.call_count, 1)
		changed = figures_of(request)
		self.assertEqual(changed["total_deductions"], figures["total_deductions"] + 10)
		self.assertEqual(changed["refund_amount"], figures["refund_amount"] - 10)
