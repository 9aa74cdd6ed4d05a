"""The benchmark writes tens of thousands of records: on a site not marked as throwaway it is
refused before it writes anything."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales_module.benchmarks import run
from aftersales_module.benchmarks.runner import SITE_FLAG


class TestBenchmarkGuard(FrappeTestCase):
	def test_a_site_not_marked_throwaway_is_refused_before_anything_is_written(self):
		before = {doctype: frappe.db.count(doctype) for doctype in ("Company", "Return Request", "Item")}
		with (
			patch.dict(frappe.local.conf, {SITE_FLAG: 0}),
			self.assertRaises(frappe.ValidationError) as refused,
		):
			run(n=1)
		self.assertIn(SITE_FLAG, str(refused.exception))
		self.assertEqual({doctype: frappe.db.count(doctype) for doctype in before}, before)
