# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Seed 000: the customer rates how satisfied they were, once per case, through a signed link that
expires and needs no login, or on the phone with customer service; a forged, reused or expired link
rates nothing. The rating counts in the satisfaction measure."""

from urllib.parse import parse_qs, urlparse

import frappe

from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	ReturnFlowTestCase,
	act,
	as_role,
	open_request,
	sell,
)
from aftersales_module.controllers.satisfaction import rate_by_link, rating_link, record_phone_rating
from aftersales_module.controllers.steps import StepPermissionError
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE


def link_args(url: str) -> dict:
	query = parse_qs(urlparse(url).query)
	return {key: values[0] for key, values in query.items()}


def as_guest(method, *args, **kwargs):
	user = frappe.session.user
	frappe.set_user("Guest")
	try:
		return method(*args, **kwargs)
	finally:
		frappe.set_user(user)


class TestSatisfaction(ReturnFlowTestCase):
	def submitted_request(self):
		return act(open_request(sell(qty=1), reason="Missing Item", request_type="Refund Only"), "Submit")

	def test_a_customer_rates_once_through_the_link_without_logging_in(self):
		request = self.submitted_request()
		args = link_args(rating_link(request.name))
		as_guest(rate_by_link, **args, rating="Satisfied", comment="Quick and friendly")
		self.assertEqual(
			frappe.db.get_value(
				"Return Request", request.name, ["satisfaction", "rated_via", "satisfaction_comment"]
			),
			("Satisfied", "Link", "Quick and friendly"),
		)
		self.assertRaises(frappe.ValidationError, as_guest, rate_by_link, **args, rating="Unsatisfied")
		self.assertEqual(frappe.db.get_value("Return Request", request.name, "satisfaction"), "Satisfied")

	def test_the_rating_page_opens_from_the_link_and_refuses_a_forged_one(self):
		from aftersales_module.www.aftersales_rating import get_context

		def open_page(args):
			frappe.local.form_dict = frappe._dict(args)  # the page's query string, as the guest opens it
			return get_context(frappe._dict())

		request = self.submitted_request()
		args = link_args(rating_link(request.name))
		page = as_guest(open_page, args)
		self.assertEqual(
			(page.get("error"), page.already_rated, page.link["case"]), (None, False, request.name)
		)
		self.assertIn("not valid", as_guest(open_page, {**args, "signature": "forged"}).error)

	def test_a_forged_or_expired_link_rates_nothing(self):
		request, other = self.submitted_request(), self.submitted_request()
		forged = {**link_args(rating_link(request.name)), "case": other.name}
		self.assertRaises(frappe.PermissionError, as_guest, rate_by_link, **forged, rating="Satisfied")
		expired = link_args(rating_link(request.name, days=-1))
		self.assertRaises(frappe.PermissionError, as_guest, rate_by_link, **expired, rating="Satisfied")
		bad_rating = link_args(rating_link(request.name))
		self.assertRaises(frappe.ValidationError, as_guest, rate_by_link, **bad_rating, rating="Superb")
		self.assertFalse(frappe.db.get_value("Return Request", request.name, "satisfaction"))
		self.assertFalse(frappe.db.get_value("Return Request", other.name, "satisfaction"))

	def test_customer_service_records_a_rating_taken_on_the_phone(self):
		request = self.submitted_request()
		self.assertRaises(
			StepPermissionError, as_role, WAREHOUSE, record_phone_rating, request.name, "Neutral"
		)
		as_role(CUSTOMER_SERVICE, record_phone_rating, request.name, "Neutral", "Took long")
		self.assertEqual(
			frappe.db.get_value("Return Request", request.name, ["satisfaction", "rated_via"]),
			("Neutral", "Phone"),
		)
