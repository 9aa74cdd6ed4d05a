# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""Seed 002: every after-sales shipment carries its transport. A reissue made from an inquiry ticket
is shipped by the warehouse, which records carrier, tracking number and days on the shipment; the
inquiry ticket shows them. Only shippers record it, and impossible days are refused."""

import frappe
from frappe.utils import add_days, getdate, nowdate

from aftersales_module.aftersales_module.doctype.inquiry_ticket.test_inquiry_ticket import open_ticket
from aftersales_module.aftersales_module.doctype.return_request.return_flow_test_utils import (
	CARRIER,
	PHONE,
	PRICE,
	ReturnFlowTestCase,
	act,
	as_role,
	postings,
)
from aftersales_module.controllers.shipments import record_shipment, ticket_shipments
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.tests.factories import make_delivery_flow, make_supplier
from aftersales_module.tests.role_users import acting_as


class TestShipments(ReturnFlowTestCase):
	def test_a_reissue_from_a_ticket_carries_its_transport_to_the_ticket(self):
		make_supplier(CARRIER)
		order, delivery_note, _invoice = make_delivery_flow([(PHONE, 1, PRICE)])
		ticket = open_ticket(
			sales_order=order.name,
			delivery_note=delivery_note.name,
			inquiry_reason="Parcel Lost",
			anomaly="Returned",
		)
		with acting_as(CUSTOMER_SERVICE):
			reissue = frappe.get_doc("Return Request", ticket.make_reissue())
		for action in ("Submit", "Send to Sales Approval", "Approve"):
			reissue = act(reissue, action)
		reissue.reload()
		as_role(WAREHOUSE, reissue.ship_reissue)
		[shipment] = postings(reissue, "Reissue", "Stock Entry")

		self.assertRaises(
			frappe.PermissionError, as_role, CUSTOMER_SERVICE, record_shipment, shipment, CARRIER, "SF123"
		)
		self.assertRaises(
			frappe.ValidationError, as_role, WAREHOUSE, record_shipment, shipment, "No Such Carrier"
		)
		as_role(WAREHOUSE, record_shipment, shipment, CARRIER, "SF123456789", nowdate())
		self.assertRaises(
			frappe.ValidationError,
			as_role,
			WAREHOUSE,
			record_shipment,
			shipment,
			None,
			None,
			None,
			add_days(nowdate(), -3),
		)
		as_role(WAREHOUSE, record_shipment, shipment, None, None, None, nowdate())

		with acting_as(CUSTOMER_SERVICE):
			[shown] = ticket_shipments(ticket.name)
		self.assertEqual(
			(
				shown.return_request,
				shown.aftersales_carrier,
				shown.aftersales_tracking_no,
				getdate(shown.aftersales_delivered_on),
			),
			(reissue.name, CARRIER, "SF123456789", getdate(nowdate())),
		)

	def test_a_document_that_is_no_shipment_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			as_role(WAREHOUSE, record_shipment, "No Such Entry", CARRIER, "X")
