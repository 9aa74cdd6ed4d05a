"""The indexes the app installs for what users filter and sort by are there after install and
migrate, with their columns in order, and installing them again changes nothing."""

import frappe
from frappe.tests.utils import FrappeTestCase

from aftersales_module.setup.indexes import APP_INDEXES, ERPNEXT_INDEXES, install_indexes


def index_columns(doctype: str, index_name: str) -> list[str]:
	rows = frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", index_name, as_dict=True)
	return [row.Column_name for row in sorted(rows, key=lambda row: row.Seq_in_index)]


class TestIndexes(FrappeTestCase):
	def test_each_index_is_installed_once_with_its_columns(self):
		install_indexes()
		install_indexes()
		for doctype, columns, index_name in ERPNEXT_INDEXES + APP_INDEXES:
			self.assertEqual(index_columns(doctype, index_name), list(columns), f"{doctype}: {index_name}")

	def test_a_filtered_list_sorts_through_its_index(self):
		"""What the desk sends for a page of cases in one status reads the status-and-creation index."""
		query = frappe.get_list(
			"Return Request",
			filters={"status": "Sales Approval"},
			order_by="`tabReturn Request`.`creation` desc",
			limit_page_length=20,
			run=0,
		)
		plan = frappe.db.sql(f"explain {query}", as_dict=True)
		self.assertIn("aftersales_status_creation", (plan[0].possible_keys or "").split(","))
