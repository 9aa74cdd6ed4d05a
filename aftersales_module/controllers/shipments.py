"""The transport of every after-sales shipment to a customer (seed 002): the carrier, tracking number,
and ship and delivery days on the Stock Entry that sent a replacement, a reissue, a spare unit or a
repaired unit, recorded by the warehouse once the parcel is handed over, and shown on the case and on
the inquiry ticket it came from."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from aftersales_module.controllers.notifications import notify_shipment
from aftersales_module.controllers.steps import has_role
from aftersales_module.core.exchange_postings import EXCHANGE_GOODS_OUT, REPAIR_DONE_SHIPPED
from aftersales_module.core.mail_in import TEST_UNIT_SHIPPED_BACK
from aftersales_module.core.schema import BACK_LINKS, LINKED_CASE, SHIPMENT_FIELDS
from aftersales_module.core.spare_postings import REISSUE_OUT, SPARE_UNIT_OUT
from aftersales_module.setup.roles import REPAIR_POINT_MANAGER, REPAIR_TECHNICIAN, WAREHOUSE

SHIPMENT_ENTRY_TYPES = (
	EXCHANGE_GOODS_OUT,
	REISSUE_OUT,
	SPARE_UNIT_OUT,
	REPAIR_DONE_SHIPPED,
	TEST_UNIT_SHIPPED_BACK,
)
SHIPPERS = (WAREHOUSE, REPAIR_POINT_MANAGER, REPAIR_TECHNICIAN)
CARRIER, TRACKING_NO, SHIPPED_ON, DELIVERED_ON = SHIPMENT_FIELDS


@frappe.whitelist(methods=["POST"])
def record_shipment(
	stock_entry: str | None = None,
	carrier: str | None = None,
	tracking_no: str | None = None,
	shipped_on: str | None = None,
	delivered_on: str | None = None,
) -> dict:
	"""The warehouse records how a shipment to the customer travels; later calls add the delivery day."""
	entry = shipment_entry(stock_entry)
	if not has_role(*SHIPPERS):
		frappe.throw(
			_("Only the warehouse or the repair point records a shipment's transport."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	entry.check_permission("read")
	values = {
		CARRIER: checked_carrier(carrier) if carrier else entry.get(CARRIER),
		TRACKING_NO: checked_text(tracking_no, _("Tracking Number"))
		if tracking_no
		else entry.get(TRACKING_NO),
		SHIPPED_ON: checked_day(shipped_on, _("Shipped On")) if shipped_on else entry.get(SHIPPED_ON),
		DELIVERED_ON: checked_day(delivered_on, _("Delivered On"))
		if delivered_on
		else entry.get(DELIVERED_ON),
	}
	check_order_of_days(entry, values)
	frappe.db.set_value("Stock Entry", entry.name, values)
	notify_shipment(entry, values[TRACKING_NO])
	return values


def shipment_entry(stock_entry) -> "frappe.model.document.Document":
	if not isinstance(stock_entry, str) or not frappe.db.exists("Stock Entry", stock_entry):
		frappe.throw(
			_("Stock Entry {0} does not exist.").format(frappe.bold(stock_entry)), title=_("Not Found")
		)
	entry = frappe.get_doc("Stock Entry", stock_entry)
	if entry.docstatus != 1 or entry.stock_entry_type not in SHIPMENT_ENTRY_TYPES or not case_of(entry):
		frappe.throw(
			_("Stock Entry {0} is not an after-sales shipment to a customer.").format(
				frappe.bold(entry.name)
			),
			title=_("Not a Shipment"),
		)
	return entry


def case_of(entry) -> tuple[str, str] | None:
	for link in BACK_LINKS["Stock Entry"]:
		if entry.get(link):
			return LINKED_CASE[link], entry.get(link)
	return None


def checked_carrier(carrier: str) -> str:
	if not isinstance(carrier, str) or not frappe.db.exists("Supplier", carrier):
		frappe.throw(
			_("Carrier {0} is not a Supplier; pick the carrier's Supplier record.").format(
				frappe.bold(carrier)
			),
			title=_("Unknown Carrier"),
		)
	return carrier


def checked_text(value, label: str) -> str:
	if not isinstance(value, str) or len(value.strip()) > 140:
		frappe.throw(_("{0} must be text of at most 140 characters.").format(label), title=_("Invalid Value"))
	return value.strip()


def checked_day(value, label: str):
	try:
		day = getdate(value)
	except Exception:
		day = None
	if not day or day > getdate(nowdate()):
		frappe.throw(
			_("{0} must be a past or today's date written like 2024-03-01, not {1}.").format(label, value),
			title=_("Invalid Date"),
		)
	return day


def check_order_of_days(entry, values) -> None:
	shipped, delivered = values[SHIPPED_ON], values[DELIVERED_ON]
	if shipped and getdate(shipped) < getdate(entry.posting_date):
		frappe.throw(
			_("The parcel cannot leave on {0}, before the goods left stock on {1}.").format(
				shipped, entry.posting_date
			),
			title=_("Invalid Date"),
		)
	if delivered and getdate(delivered) < getdate(shipped or entry.posting_date):
		frappe.throw(
			_("The parcel cannot arrive on {0}, before it was shipped.").format(delivered),
			title=_("Invalid Date"),
		)


@frappe.whitelist()
def case_shipments(doctype: str | None = None, name: str | None = None) -> list[dict]:
	"""The shipments to the customer a case made, with their transport."""
	link = (
		{case: field for field, case in LINKED_CASE.items()}.get(doctype)
		if isinstance(doctype, str)
		else None
	)
	if not link or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} does not exist.").format(doctype, name), title=_("Not Found"))
	frappe.has_permission(doctype, "read", doc=name, throw=True)
	return frappe.get_all(
		"Stock Entry",
		filters={link: name, "docstatus": 1, "stock_entry_type": ("in", SHIPMENT_ENTRY_TYPES)},
		fields=["name", "stock_entry_type", "posting_date", *SHIPMENT_FIELDS],
		order_by="posting_date, creation",
		ignore_permissions=True,  # the case's own shipments, read through the case
	)


@frappe.whitelist()
def ticket_shipments(ticket: str | None = None) -> list[dict]:
	"""What the cases an inquiry ticket became have shipped to the customer."""
	if not isinstance(ticket, str) or not frappe.db.exists("Inquiry Ticket", ticket):
		frappe.throw(_("Inquiry Ticket {0} does not exist.").format(ticket), title=_("Not Found"))
	frappe.has_permission("Inquiry Ticket", "read", doc=ticket, throw=True)
	requests = frappe.get_all(
		"Return Request", filters={"inquiry_ticket": ticket, "docstatus": 1}, pluck="name"
	)
	return [
		frappe._dict(shipment, return_request=request)
		for request in requests
		for shipment in frappe.get_all(
			"Stock Entry",
			filters={
				"aftersales_return_request": request,
				"docstatus": 1,
				"stock_entry_type": ("in", SHIPMENT_ENTRY_TYPES),
			},
			fields=["name", "stock_entry_type", "posting_date", *SHIPMENT_FIELDS],
			order_by="posting_date, creation",
			ignore_permissions=True,  # read through the ticket
		)
	]
