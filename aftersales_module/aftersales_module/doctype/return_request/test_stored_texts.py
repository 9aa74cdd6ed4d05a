# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The sentences the server keeps on a case (warranty decision, allowed remedies, refund explanation)
read in the language of whoever opens the case, not of whoever saved it; a reader's save in another
language never writes that language into the case, and a forged sentence is not kept."""

import json
import re

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	open_request,
	sell,
)
from aftersales_module.controllers.live_figures import return_figures
from aftersales_module.controllers.reader_language import composed_in as reading_in
from aftersales_module.controllers.stored_texts import STORE_FIELD
from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.role_users import acting_as

CJK = re.compile(r"[\u3400-\u9fff]")
KEPT_FIELDS = ("eligibility_rule", "allowed_remedies", "refund_rule")


def opened(name: str):
	"""The case as the form receives it."""
	doc = frappe.get_doc("Return Request", name)
	doc.run_method("onload")
	return doc


def wording(text: str) -> str:
	"""The sentence without the names of records it quotes (a policy may be named in Chinese)."""
	for policy in frappe.get_all("Warranty Policy", pluck="name"):
		text = text.replace(policy, "")
	return text


def saved_values(name: str) -> dict:
	return frappe.db.get_value("Return Request", name, [*KEPT_FIELDS, STORE_FIELD], as_dict=True)


class TestStoredTexts(ReturnFlowTestCase):
	def test_each_reader_reads_the_decision_in_their_language(self):
		request = open_request(sell(qty=1))
		english = saved_values(request.name)
		for fieldname in KEPT_FIELDS:
			self.assertTrue(english[fieldname], fieldname)
			self.assertFalse(CJK.search(wording(english[fieldname])), fieldname)

		shown = {}
		for language in ("zh", "zh-TW"):
			with acting_as(CUSTOMER_SERVICE), reading_in(language):
				doc = opened(request.name)
			shown[language] = doc
			for fieldname in KEPT_FIELDS:
				self.assertTrue(
					CJK.search(wording(doc.get(fieldname))),
					f"{fieldname} in {language}: {doc.get(fieldname)}",
				)
			self.assertTrue(CJK.search(wording(doc.items[0].warranty_rule)), language)
		self.assertNotEqual(shown["zh"].eligibility_rule, shown["zh-TW"].eligibility_rule)

		with reading_in("en"):
			self.assertEqual(opened(request.name).eligibility_rule, english["eligibility_rule"])
		self.assertEqual(saved_values(request.name), english)

	def test_a_reader_in_chinese_saves_without_writing_chinese(self):
		request = open_request(sell(qty=1))
		english = saved_values(request.name)
		with acting_as(CUSTOMER_SERVICE), reading_in("zh"):
			draft = opened(request.name)
			draft.reason_details = "Screen flickers"
			draft.save()
			self.assertTrue(
				CJK.search(draft.eligibility_rule), "the saved form reads in the reader's language"
			)
		self.assertEqual(saved_values(request.name), english)

		act(request, "Submit")
		english = saved_values(request.name)
		with acting_as(CUSTOMER_SERVICE), reading_in("zh-TW"):
			submitted = opened(request.name)
			submitted.save()  # update after submit: the sentences it holds are in Chinese
		self.assertEqual(saved_values(request.name), english)

	def test_a_forged_sentence_is_not_kept(self):
		request = open_request(sell(qty=1))
		act(request, "Submit")
		english = saved_values(request.name)
		with acting_as(CUSTOMER_SERVICE):
			doc = frappe.get_doc("Return Request", request.name)
			doc.set(
				STORE_FIELD, json.dumps({"eligibility_rule": {"sep": "", "s": [{"t": "Forged", "a": []}]}})
			)
			doc.save()
		self.assertEqual(saved_values(request.name), english)
		with reading_in("zh"):
			self.assertNotIn("Forged", opened(request.name).eligibility_rule)

	def test_the_forms_live_explanation_reads_in_the_readers_language(self):
		request = open_request(sell(qty=1))
		with acting_as(CUSTOMER_SERVICE):
			form = frappe.get_doc("Return Request", request.name).as_dict()
			form["handling_fee"] = 5
			english = return_figures(form)["refund_rule"]
			with reading_in("zh-TW"):
				chinese = return_figures(form)["refund_rule"]
		self.assertIn("handling fee", english)
		self.assertFalse(CJK.search(english))
		self.assertIn("手續費", chinese)
		self.assertNotIn("handling fee", chinese)
