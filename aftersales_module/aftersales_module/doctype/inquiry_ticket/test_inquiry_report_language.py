# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The inquiry report 查件情況報告 the ticket composes on each save is kept in English and read in
the language of whoever opens or prints the ticket, not of whoever saved it."""

import re

import frappe

from aftersales_module.aftersales_module.doctype.inquiry_ticket.test_inquiry_ticket import open_ticket
from aftersales_module.controllers.reader_language import composed_in
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import IGNORE_TEST_RECORDS, make_customer
from aftersales_module.tests.role_users import acting_as
from aftersales_module.tests.utils import AftersalesTestCase

test_ignore = [*IGNORE_TEST_RECORDS, "Return Request", "Compensation Claim"]

CJK = re.compile(r"[\u3400-\u9fff]")


def opened(name: str):
	"""The ticket as the form receives it."""
	doc = frappe.get_doc("Inquiry Ticket", name)
	doc.run_method("onload")
	return doc


class TestInquiryReportLanguage(AftersalesTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_customer()

	def test_a_report_saved_in_chinese_is_kept_in_english_and_read_in_each_reader_language(self):
		with composed_in("zh"):
			ticket = open_ticket(analysis="Parcel held at the depot")
		saved = frappe.db.get_value("Inquiry Ticket", ticket.name, "inquiry_report")
		self.assertIn("Reason: ", saved)
		self.assertFalse(CJK.search(saved), saved)

		shown = {}
		for language in ("zh", "zh-TW"):
			with acting_as(CUSTOMER_SERVICE), composed_in(language):
				shown[language] = opened(ticket.name).inquiry_report
			self.assertTrue(CJK.search(shown[language]), f"{language}: {shown[language]}")
			self.assertNotIn("Reason: ", shown[language])
			self.assertIn("Parcel held at the depot", shown[language])
		self.assertNotEqual(shown["zh"], shown["zh-TW"])
		with acting_as(CUSTOMER_SERVICE), composed_in("en"):
			self.assertEqual(opened(ticket.name).inquiry_report, saved)
		self.assertEqual(frappe.db.get_value("Inquiry Ticket", ticket.name, "inquiry_report"), saved)

	def test_a_save_from_a_chinese_form_writes_english(self):
		ticket = open_ticket()
		with acting_as(CUSTOMER_SERVICE), composed_in("zh"):
			doc = opened(ticket.name)
			self.assertTrue(CJK.search(doc.inquiry_report))
			doc.analysis = "Carrier lost the parcel"
			doc.save()
		saved = frappe.db.get_value("Inquiry Ticket", ticket.name, "inquiry_report")
		self.assertFalse(CJK.search(saved), saved)
		self.assertIn("Analysis: Carrier lost the parcel", saved)
