# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Users acting at the same moment on separate database connections never hold more than was sold.

Each worker runs in its own thread with its own connection and commits, so what is tested is what
MariaDB does under REPEATABLE READ with the app's row locks; the committed records are removed after.
"""

import threading
from collections.abc import Callable

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales_module.aftersales_module.doctype.return_request.test_return_request import (
	PHONE,
	make_return_request,
	sell_phones,
	setup_stock,
)
from aftersales_module.controllers.sales_history import find_hold_drift
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import make_delivery_flow
from aftersales_module.tests.role_users import acting_as, user_of

SUBMITTED = "submitted"


class TestConcurrentReturnRequests(FrappeTestCase):
	def setUp(self):
		setup_stock()
		self.committed: list[tuple[str, str]] = []

	def tearDown(self):
		remove_committed(self.committed)

	def drafts(self, invoice, *quantities) -> list[str]:
		names = [make_return_request(invoice, qty=qty).name for qty in quantities]
		self.committed += [("Return Request", name) for name in names]
		frappe.db.commit()  # nosemgrep: the other connections must see the invoice and the drafts
		return names

	def assert_held(self, invoice_line: str, expected: float) -> None:
		frappe.db.rollback()  # a fresh snapshot: see what the other connections committed
		self.assertEqual(
			frappe.db.get_value("Sales Invoice Item", invoice_line, "aftersales_requested_qty"), expected
		)
		self.assertEqual([row for row in find_hold_drift() if row.invoice_line == invoice_line], [])

	def test_exactly_one_of_two_concurrent_submissions_for_the_last_unit_succeeds(self):
		invoice = sell_phones(qty=1)
		outcomes = race(submitting(self.drafts(invoice, 1, 1)))
		self.assertEqual(sorted(outcomes), ["OverReturnError", SUBMITTED], outcomes)
		self.assert_held(invoice.items[0].name, 1)

	def test_two_concurrent_requests_that_fit_both_hold_and_a_third_is_refused(self):
		invoice = sell_phones(qty=4)
		first, second, third = self.drafts(invoice, 2, 2, 1)
		outcomes = race(submitting([first, second]))
		self.assertEqual(outcomes, [SUBMITTED, SUBMITTED])
		self.assert_held(invoice.items[0].name, 4)

		self.assertEqual(race(submitting([third])), ["OverReturnError"])
		self.assert_held(invoice.items[0].name, 4)

	def test_three_and_two_of_four_together_exactly_one_passes(self):
		invoice = sell_phones(qty=4)
		outcomes = race(submitting(self.drafts(invoice, 3, 2)))
		self.assertEqual(sorted(outcomes), ["OverReturnError", SUBMITTED], outcomes)
		held = 3 if outcomes[0] == SUBMITTED else 2
		self.assert_held(invoice.items[0].name, held)

	def test_twenty_requests_of_one_from_four_users_for_a_line_of_ten(self):
		invoice = sell_phones(qty=10)
		requests = self.drafts(invoice, *[1] * 20)
		per_worker = [requests[start::4] for start in range(4)]
		outcomes = race([submitting_in_turn(names) for names in per_worker])
		flat = [outcome for worker in outcomes for outcome in worker]
		self.assertEqual(flat.count(SUBMITTED), 10, outcomes)
		self.assertEqual(flat.count("OverReturnError"), 10, outcomes)
		self.assert_held(invoice.items[0].name, 10)
		self.assertEqual(frappe.db.count("Return Request", {"name": ("in", requests), "docstatus": 1}), 10)

	def test_a_manual_delivery_return_racing_a_submit(self):
		_order, delivery_note, invoice = make_delivery_flow([(PHONE, 4, 500)])
		request = self.drafts(invoice, 3)[0]
		delivery_return = draft_delivery_return(delivery_note.name, qty=2)
		self.committed.append(("Delivery Note", delivery_return))
		frappe.db.commit()  # nosemgrep: the other connection must see the draft return

		outcomes = race([*submitting([request]), submitting_delivery_return(delivery_return)])
		self.assertEqual(outcomes.count(SUBMITTED), 1, outcomes)
		frappe.db.rollback()
		returned = frappe.db.get_value("Delivery Note", delivery_return, "docstatus") == 1
		self.assertEqual(returned, outcomes[1] == SUBMITTED)
		self.assert_held(invoice.items[0].name, 0 if returned else 3)


def submitting(names: list[str]) -> list[Callable[[], str]]:
	return [lambda name=name: attempt(lambda: submit_request(name)) for name in names]


def submitting_in_turn(names: list[str]) -> Callable[[], list[str]]:
	return lambda: [attempt(lambda name=name: submit_request(name)) for name in names]


def submit_request(name: str) -> str:
	frappe.set_user(user_of(CUSTOMER_SERVICE))
	frappe.get_doc("Return Request", name).submit()
	return SUBMITTED


def draft_delivery_return(delivery_note: str, qty: float) -> str:
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	with acting_as(WAREHOUSE):
		delivery_return = make_return_doc("Delivery Note", delivery_note)
		delivery_return.items[0].qty = -qty
		delivery_return.insert()
	return delivery_return.name


def submitting_delivery_return(name: str) -> Callable[[], str]:
	def submit() -> str:
		frappe.set_user(user_of(WAREHOUSE))
		frappe.get_doc("Delivery Note", name).submit()
		return SUBMITTED

	return lambda: attempt(submit)


def attempt(work: Callable[[], str]) -> str:
	"""Run one unit of work in its own transaction: what it returns, or the name of what it raised."""
	try:
		outcome = work()
		frappe.db.commit()
		return outcome
	except Exception as error:
		frappe.db.rollback()
		return type(error).__name__


def race(workers: list[Callable]) -> list:
	"""Start every worker at the same moment, each on its own connection; their outcomes in order."""
	site, sites_path = frappe.local.site, frappe.local.sites_path
	barrier = threading.Barrier(len(workers))
	outcomes: list = [None] * len(workers)

	def run(index: int, work: Callable):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		try:
			barrier.wait(timeout=30)
			outcomes[index] = work()
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run, args=(index, work)) for index, work in enumerate(workers)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=300)
	return outcomes


def remove_committed(records: list[tuple[str, str]]) -> None:
	frappe.set_user("Administrator")
	frappe.db.rollback()
	for doctype, name in reversed(records):
		if not frappe.db.exists(doctype, name):
			continue
		doc = frappe.get_doc(doctype, name)
		if doc.docstatus == 1:
			doc.cancel()
		frappe.delete_doc(doctype, name, force=True)
	frappe.db.commit()  # nosemgrep: clean up what the workers committed
