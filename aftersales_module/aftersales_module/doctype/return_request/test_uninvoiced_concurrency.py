# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Two users submitting at the same moment, on separate connections, never hold more of a delivery not
invoiced, or of an unshipped prepaid order, than can still come back: the delivery or order line is
locked first and the other requests' holds are read as committed."""

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales_module.aftersales_module.doctype.return_request.test_concurrent_holds import (
	SUBMITTED,
	race,
	remove_committed,
	submitting,
)
from aftersales_module.aftersales_module.doctype.return_request.test_return_request import (
	PHONE,
	setup_stock,
)
from aftersales_module.aftersales_module.doctype.return_request.uninvoiced_test_utils import (
	UNSHIPPED,
	deliver,
	open_from,
	pay_in_advance,
)
from aftersales_module.tests.factories import make_sales_order


class TestUninvoicedConcurrency(FrappeTestCase):
	def setUp(self):
		setup_stock()
		self.committed: list[tuple[str, str]] = []

	def tearDown(self):
		remove_committed(self.committed)

	def drafts(self, sale, count: int, **fields) -> list[str]:
		names = [open_from(sale, qty=1, **fields).name for _ in range(count)]
		self.committed += [("Return Request", name) for name in names]
		frappe.db.commit()  # nosemgrep: the other connections must see the sale and the drafts
		return names

	def held(self, field: str, line: str) -> float:
		frappe.db.rollback()  # a fresh snapshot: see what the other connections committed
		return frappe.db.sql(
			f"""select coalesce(sum(held_qty), 0) from `tabReturn Request Item`
			where docstatus = 1 and {field} = %s""",
			line,
		)[0][0]

	def test_one_of_two_submissions_for_the_last_delivered_unit_succeeds(self):
		delivery_note = deliver([(PHONE, 1, 500)])
		self.committed += [("Sales Order", delivery_note.items[0].against_sales_order)]
		self.committed += [("Delivery Note", delivery_note.name)]
		outcomes = race(submitting(self.drafts(delivery_note, 2)))
		self.assertEqual(sorted(outcomes), ["OverReturnError", SUBMITTED], outcomes)
		self.assertEqual(self.held("dn_detail", delivery_note.items[0].name), 1)

	def test_one_of_two_cancellations_for_the_last_unshipped_unit_succeeds(self):
		order = make_sales_order([(PHONE, 1, 500)])
		self.committed += [("Sales Order", order.name)]
		self.committed += [("Payment Entry", pay_in_advance(order).name)]
		outcomes = race(submitting(self.drafts(order, 2, reason=UNSHIPPED, request_type="Refund Only")))
		self.assertEqual(sorted(outcomes), ["OverReturnError", SUBMITTED], outcomes)
		self.assertEqual(self.held("sales_order_item", order.items[0].name), 1)
