import frappe
from frappe.tests.utils import FrappeTestCase


class AftersalesTestCase(FrappeTestCase):
	"""Each test runs inside a savepoint and leaves nothing behind for the next one."""

	def setUp(self):
		super().setUp()
		frappe.set_user("Administrator")
		frappe.db.savepoint("aftersales_test")

	def tearDown(self):
		frappe.db.rollback(save_point="aftersales_test")
		frappe.set_user("Administrator")
		frappe.clear_document_cache("Aftersales Settings", "Aftersales Settings")
		super().tearDown()
