# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Each case prints on its own paper by default: the return slip, the repair intake and pick-up slip and
the claim appraisal sheet, read in English, Simplified and Traditional Chinese, with people and items by
name instead of their ids. The role whose paper it is prints it."""

import re

import frappe

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	CARRIER,
	ensure_role_users,
	new_claim,
)
from aftersales_module.aftersales_module.doctype.compensation_claim.claim_test_utils import (
	PHONE as CLAIM_PHONE,
)
from aftersales_module.aftersales_module.doctype.repair_order.test_repair_order import (
	RepairTestCase,
	open_order,
	raise_request,
)
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	open_request,
	sell,
)
from aftersales_module.setup.roles import CUSTOMER_SERVICE, REPAIR_POINT_MANAGER, REPAIR_TECHNICIAN
from aftersales_module.tests.factories import (
	IGNORE_TEST_RECORDS,
	TEST_COMPANY,
	TEST_CUSTOMER,
	make_item,
	make_supplier,
)
from aftersales_module.tests.role_users import acting_as, user_of

test_ignore = [
	*IGNORE_TEST_RECORDS,
	"Repair Point",
	"Repair Order",
	"Compensation Claim",
	"Spare Part Transfer Request",
	"Inquiry Ticket",
]

CJK = re.compile(r"[\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
JINJA_CALL = re.compile(r"""\b_\(\s*"([^"\\\n]*)"\s*\)""")

PAPERS = {
	"Return Request": "Return Slip",
	"Repair Order": "Repair Slip",
	"Compensation Claim": "Claim Appraisal Sheet",
	"Spare Part Transfer Request": "Part Transfer Slip",
	"Inquiry Ticket": "Inquiry Record",
}
TITLES = {"Repair Slip": "Repair Intake and Pick-up Slip"}
# who prints each paper: customer service, except the part transfer the point manager asks for
PRINTED_BY = {"Spare Part Transfer Request": REPAIR_POINT_MANAGER}


def printed(doctype: str, name: str, language: str) -> str:
	"""The case's default print, as a reader in `language` sees it (tags stripped)."""
	previous = frappe.local.lang
	frappe.local.lang = language
	try:
		html = frappe.get_print(doctype, name, print_format=frappe.get_meta(doctype).default_print_format)
	finally:
		frappe.local.lang = previous
	html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
	return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def labels_of(print_format: str) -> set[str]:
	return set(JINJA_CALL.findall(frappe.db.get_value("Print Format", print_format, "html")))


class TestPrintFormats(RepairTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_supplier(CARRIER)
		make_item(CLAIM_PHONE)
		ensure_role_users()

	def cases(self) -> dict[str, str]:
		invoice = sell()
		request = open_request(invoice)
		self.point.append("members", {"user": user_of(REPAIR_TECHNICIAN)})
		self.point.save()
		order = open_order(self.point.name, technician=user_of(REPAIR_TECHNICIAN))
		claim = new_claim()
		self.point.manager = user_of(REPAIR_POINT_MANAGER)
		self.point.save()
		transfer = raise_request(self.point.name, self.stores)
		with acting_as(CUSTOMER_SERVICE):
			ticket = frappe.get_doc(
				{
					"doctype": "Inquiry Ticket",
					"company": TEST_COMPANY,
					"customer": TEST_CUSTOMER,
					"inquiry_reason": "Parcel Lost",
					"inquiry_details": "No scan for a week.",
				}
			).insert()
		return {
			"Return Request": request.name,
			"Repair Order": order.name,
			"Compensation Claim": claim.name,
			"Spare Part Transfer Request": transfer.name,
			"Inquiry Ticket": ticket.name,
		}

	def test_each_case_prints_its_own_paper_by_default(self):
		for doctype, paper in PAPERS.items():
			self.assertEqual(frappe.get_meta(doctype).default_print_format, paper)
			self.assertEqual(frappe.db.get_value("Print Format", paper, "doc_type"), doctype)

	def test_the_papers_read_in_one_language_at_a_time(self):
		cases = self.cases()
		for doctype, name in cases.items():
			with acting_as(PRINTED_BY.get(doctype, CUSTOMER_SERVICE)):
				paper = PAPERS[doctype]
				english = printed(doctype, name, "en")
				self.assertIn(TITLES.get(paper, paper), english)
				self.assertFalse(CJK.findall(english), f"{paper} in English shows Chinese")
				doc = frappe.get_doc(doctype, name)
				data = {
					doc.get("customer_name"),
					doc.company,
					doc.get("item_name"),
					doc.get("carrier"),
					doc.get("liable_supplier"),
					doc.get("repair_point"),
					*(row.item_name for row in doc.get("items") or []),
				}
				for language in ("zh", "zh-TW"):
					chinese = printed(doctype, name, language)
					for value in filter(None, data):  # record names and data are not labels
						chinese = chinese.replace(value, " ")
					# every label of the paper is translated, so none is left in English
					left = [
						label
						for label in labels_of(paper)
						if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", chinese)
						and frappe._(label, lang=language) != label
					]
					self.assertEqual(left, [], f"{paper} in {language} keeps English labels")
					self.assertTrue(CJK.search(chinese), f"{paper} in {language}")

	def test_the_papers_name_people_and_lines_not_their_ids(self):
		cases = self.cases()
		request = frappe.get_doc("Return Request", cases["Return Request"])
		with acting_as(CUSTOMER_SERVICE):
			slip = printed("Return Request", request.name, "en")
			repair = printed("Repair Order", cases["Repair Order"], "en")
		for row in request.items:
			self.assertNotIn(row.sales_invoice_item, slip)
			self.assertIn(row.item_name, slip)
		technician = user_of(REPAIR_TECHNICIAN)
		self.assertNotIn(technician, repair)
		self.assertIn(frappe.db.get_value("User", technician, "full_name"), repair)
		self.assertNotIn("Unit Category", slip)
