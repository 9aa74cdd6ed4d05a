# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""A request being submitted locks its own invoice lines, not the invoice tables: while its
transaction is open, another user on another connection saves an unrelated invoice without waiting."""

import threading

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales_module.aftersales_module.doctype.return_request.test_concurrent_holds import (
	remove_committed,
)
from aftersales_module.aftersales_module.doctype.return_request.test_return_request import (
	make_return_request,
	sell_phones,
	setup_stock,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.role_users import user_of

LOCK_WAIT_SECONDS = 3


class TestLockFootprint(FrappeTestCase):
	def test_an_open_submit_does_not_block_an_unrelated_invoice(self):
		setup_stock()
		mine, unrelated = sell_phones(qty=2), sell_phones(qty=1)
		request = make_return_request(mine, qty=1).name
		frappe.db.commit()  # nosemgrep: the other connections must see the invoices and the draft
		self.addCleanup(remove_committed, [("Return Request", request)])

		submitted, outcomes, done = threading.Event(), {}, threading.Event()
		site, sites_path = frappe.local.site, frappe.local.sites_path

		def submit_and_hold():
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			try:
				frappe.set_user(user_of(CUSTOMER_SERVICE))
				frappe.get_doc("Return Request", request).submit()
				outcomes["submit"] = "submitted, transaction open"
				submitted.set()
				done.wait(timeout=60)
			except Exception as error:
				outcomes["submit"] = f"{type(error).__name__}: {error}"
			finally:
				frappe.db.rollback()
				submitted.set()
				frappe.destroy()

		def write_unrelated_invoice():
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			try:
				submitted.wait(timeout=60)
				frappe.db.sql(f"set session innodb_lock_wait_timeout = {LOCK_WAIT_SECONDS}")
				line = unrelated.items[0].name
				frappe.db.sql(
					"update `tabSales Invoice Item` set description = %s where name = %s", ("re-read", line)
				)
				frappe.db.sql(
					"update `tabSales Invoice` set remarks = %s where name = %s", ("re-read", unrelated.name)
				)
				outcomes["unrelated invoice"] = "written"
			except Exception as error:
				outcomes["unrelated invoice"] = f"{type(error).__name__}: {error}"
			finally:
				frappe.db.rollback()
				done.set()
				frappe.destroy()

		threads = [threading.Thread(target=submit_and_hold), threading.Thread(target=write_unrelated_invoice)]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(timeout=120)
		self.assertEqual(outcomes, {"submit": "submitted, transaction open", "unrelated invoice": "written"})
