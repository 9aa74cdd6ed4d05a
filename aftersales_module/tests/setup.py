"""`before_tests` for `bench run-tests --app aftersales_module` on a fresh ERPNext site."""

import frappe
from frappe.utils import add_years, get_first_day, getdate, nowdate

from aftersales_module.setup.default_policies import install_phone_policy
from aftersales_module.tests.factories import TEST_COMPANY, make_company


def before_tests():
	from erpnext.setup.utils import before_tests as complete_erpnext_setup

	# ERPNext's own hook does not run for our app: it completes the setup wizard for a first company.
	complete_erpnext_setup()
	make_fiscal_year_for_last_year()
	make_company(TEST_COMPANY)
	# The tests sell phones and their accessories under the sample policy a manager may add.
	install_phone_policy()
	frappe.db.commit()  # nosemgrep: test records must outlive each test's rollback


def make_fiscal_year_for_last_year():
	"""Warranty tests post sales dated weeks or months ago, which in January falls in last year."""
	from erpnext.accounts.utils import get_fiscal_year

	start = get_first_day(add_years(nowdate(), -1)).replace(month=1, day=1)
	try:
		get_fiscal_year(start)
	except Exception:
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(start.year),
				"year_start_date": start,
				"year_end_date": getdate(f"{start.year}-12-31"),
			}
		).insert(ignore_permissions=True)
