# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""What the tests of returns against sales not yet invoiced share: a delivery made from an order and
never invoiced, an order paid in advance, and the case opened from them with Get Items. Not a test
module itself."""

import frappe
from frappe.utils import nowdate

from aftersales_module.setup.roles import CUSTOMER_SERVICE
from aftersales_module.tests.factories import TEST_COMPANY, TEST_CUSTOMER, make_sales_order
from aftersales_module.tests.role_users import acting_as

UNSHIPPED = "Unshipped Order Cancelled"


def deliver(items):
	"""A Sales Order delivered by a Delivery Note, and no invoice."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	order = make_sales_order(items)
	delivery_note = make_delivery_note(order.name)
	delivery_note.posting_date = nowdate()
	delivery_note.set_posting_time = 1
	delivery_note.insert(ignore_permissions=True)
	delivery_note.submit()
	return delivery_note


def invoice_delivery(delivery_note, qty):
	"""Bill `qty` of the delivery's first line by an invoice made from it."""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	invoice = make_sales_invoice(delivery_note.name)
	invoice.items[0].qty = qty
	invoice.posting_date = invoice.due_date = nowdate()
	invoice.set_posting_time = 1
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return invoice


def pay_in_advance(order, amount=None, bank_account=None):
	"""The customer pays the order (or `amount` of it) before it ships."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Order", order.name, party_amount=amount, bank_account=bank_account)
	payment.reference_no = order.name
	payment.reference_date = nowdate()
	payment.insert(ignore_permissions=True)
	payment.submit()
	return payment


def open_from(sale, reason="Quality Problem", request_type="Return and Refund", qty=None, **fields):
	"""Customer service opens the case from a Delivery Note or Sales Order with Get Items."""
	with acting_as(CUSTOMER_SERVICE):
		request = frappe.get_doc(
			{
				"doctype": "Return Request",
				"company": TEST_COMPANY,
				"customer": TEST_CUSTOMER,
				"request_type": request_type,
				"reason_category": reason,
				"delivery_note" if sale.doctype == "Delivery Note" else "sales_order": sale.name,
				"original_packaging": 1,
				"resellable": 1,
				**fields,
			}
		)
		request.get_items()
		if qty is not None:
			for row in request.items:
				row.qty = qty
		request.insert()
	return request
