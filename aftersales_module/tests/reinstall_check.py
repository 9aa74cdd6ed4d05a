"""Uninstall and install again on a site with cases, run by .ci/run on its second site (ERPNext's own
tests' site), each step a separate `bench execute`:

1. `prepare` walks a return to its refund as the role users and commits: ERPNext documents now carry
   the app's fields and the case's postings.
2. `bench uninstall-app`, then `check_uninstalled`: the app's doctypes, custom fields, Quality
   Inspection option and workflow are gone; the invoice, credit note and payment are all still there.
3. `bench install-app`, then `check_reinstalled`: the app is back, with its fields, and a company can
   be enabled again without duplicating its warehouses or accounts.

Not a test module: it changes what is installed on the site it runs on.
"""

import json

import frappe

from aftersales_module.core.schema import CUSTOM_FIELD_NAMES

PREFIX = "_Test Reinstall "


def prepare() -> None:
	from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
		COST,
		PHONE,
		act,
		approve_quality_return,
		open_request,
		postings,
		receive_all,
		sell,
	)
	from aftersales_module.tests.factories import TEST_COMPANY, make_customer, make_item, make_stock
	from aftersales_module.tests.setup import before_tests

	before_tests()
	make_customer()
	make_item(PHONE, item_group="Mobile Phones")
	make_stock(PHONE, qty=5, rate=COST)
	invoice = sell(qty=1)
	request = act(receive_all(approve_quality_return(open_request(invoice))), "Refund")
	facts = {
		"company": TEST_COMPANY,
		"invoice": invoice.name,
		"credit_notes": postings(request, "Goods In", "Sales Invoice"),
		"payments": postings(request, "Refund", "Payment Entry"),
	}
	frappe.db.commit()  # nosemgrep: the uninstall that follows runs in another process
	print(json.dumps(facts))


def check_uninstalled(facts: str) -> None:
	facts = json.loads(facts)
	problems = []
	if frappe.db.exists("DocType", "Return Request"):
		problems.append("the Return Request doctype is still there")
	left = frappe.get_all("Custom Field", filters={"name": ("in", CUSTOM_FIELD_NAMES)}, pluck="name")
	if left:
		problems.append(f"custom fields left: {left}")
	if "Return Request" in (frappe.get_meta("Quality Inspection").get_options("reference_type") or ""):
		problems.append("Quality Inspection still offers Return Request")
	for doctype, names in (
		("Sales Invoice", [facts["invoice"], *facts["credit_notes"]]),
		("Payment Entry", facts["payments"]),
	):
		for name in names:
			if frappe.db.get_value(doctype, name, "docstatus") != 1:
				problems.append(f"{doctype} {name} is gone or no longer submitted")
	report(problems, "uninstalled")


def check_reinstalled(facts: str) -> None:
	from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
		enable_company,
	)

	facts = json.loads(facts)
	problems = []
	if "aftersales_module" not in frappe.get_installed_apps():
		problems.append("the app is not installed")
	missing = set(CUSTOM_FIELD_NAMES) - set(frappe.get_all("Custom Field", pluck="name"))
	if missing:
		problems.append(f"custom fields missing: {sorted(missing)}")
	warehouses = frappe.db.count("Warehouse", {"company": facts["company"]})
	accounts = frappe.db.count("Account", {"company": facts["company"]})
	enable_company(facts["company"])
	if (
		frappe.db.count("Warehouse", {"company": facts["company"]}),
		frappe.db.count("Account", {"company": facts["company"]}),
	) != (warehouses, accounts):
		problems.append("enabling the company again made new warehouses or accounts")
	frappe.db.commit()  # nosemgrep: the settings row of the company enabled again
	report(problems, "installed again")


def report(problems: list[str], state: str) -> None:
	if problems:
		raise AssertionError(f"after-sales {state}: " + "; ".join(problems))
	print(f"after-sales {state}: checked")
