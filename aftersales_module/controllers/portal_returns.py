"""A customer files a return on the portal: from one of their own submitted invoices, only the lines
still returnable, the request types the warranty policy allows for each, photos of the goods.

The request is the one the desk makes (Get Items, the over-return guard, the warranty decision, the
workflow), made by the app for the customer: the portal user has no desk rights. Only what the
customer decides is taken from the client; the invoice's facts and everything the server owns come
from the invoice and the request's own checks."""

import base64
import binascii
import io
import re

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow, get_transitions, get_workflow_name
from frappe.utils import flt, nowdate

from aftersales_module.controllers.argument_checks import choice_argument, flag_argument, text_argument
from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.portal import (
	RETURN_REQUEST,
	own_record,
	require_customers,
)
from aftersales_module.controllers.steps import as_app
from aftersales_module.controllers.warranty import decide_for_item, get_received_on, get_sale_dates
from aftersales_module.core.enums import Channel, ReasonCategory, RefundMethod, RequestType
from aftersales_module.core.spare_postings import split_serials

# What a customer may ask for; a spare unit or a different item is customer service's offer.
PORTAL_REQUEST_TYPES = (
	RequestType.RETURN_AND_REFUND,
	RequestType.REFUND_ONLY,
	RequestType.EXCHANGE_SAME_ITEM,
	RequestType.REPAIR,
	RequestType.REISSUE,
)
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 3 * 1024 * 1024  # five of them, as base64, stay under the request size Frappe allows
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
TEXT_LIMIT = 2000


class PortalReturnError(frappe.ValidationError):
	pass


def refuse(message: str, title: str) -> None:
	frappe.throw(message, PortalReturnError, title=title)


# ---- what can be returned ----


def customer_invoices(customers: list[str]) -> list[dict]:
	return frappe.get_all(
		"Sales Invoice",
		filters={"customer": ("in", customers), "docstatus": 1, "is_return": 0},
		fields=["name", "posting_date", "grand_total", "currency", "company"],
		order_by="posting_date desc, creation desc",
		limit=100,
	)


def own_invoice(sales_invoice) -> frappe._dict:
	customer = own_record("Sales Invoice", sales_invoice)
	invoice = frappe.db.get_value(
		"Sales Invoice", sales_invoice, ["name", "company", "docstatus", "is_return"], as_dict=True
	)
	if invoice.docstatus != 1 or invoice.is_return:
		refuse(
			_("Invoice {0} is not a submitted sale; choose one of your invoices.").format(sales_invoice),
			_("Invalid Invoice"),
		)
	invoice.customer = customer
	return invoice


def request_from_invoice(invoice, **fields):
	"""An unsaved request with every still-returnable line of the invoice, as Get Items makes it."""
	with as_app():
		request = frappe.get_doc(
			{
				"doctype": RETURN_REQUEST,
				"company": invoice.company,
				"customer": invoice.customer,
				"sales_invoice": invoice.name,
				"channel": Channel.ONLINE_PLATFORM.value,
				"request_date": nowdate(),
				**fields,
			}
		)
		request.get_items(invoice.name)
	return request


def line_options(request, reason: ReasonCategory) -> list[dict]:
	"""Each returnable line with the request types the warranty policy allows for it and why."""
	options = []
	for row in request.items:
		types, rule = allowed_types(request, row, reason)
		options.append(
			{
				"line": row.sales_invoice_item,
				"item_code": row.item_code,
				"item_name": row.item_name,
				"returnable_qty": flt(row.returnable_qty),
				"serial_nos": split_serials(row.serial_no),
				"request_types": [{"value": each.value, "label": _(each.value)} for each in types],
				"rule": rule,
			}
		)
	return options


def allowed_types(request, row, reason: ReasonCategory) -> tuple[list[RequestType], str]:
	delivered_on, invoiced_on = get_sale_dates(row.sales_invoice, row.item_code)
	try:
		decision, _policy = decide_for_item(
			row.item_code,
			requested_on=request.request_date,
			reason=reason,
			delivered_on=delivered_on,
			invoiced_on=invoiced_on,
			received_on=get_received_on(row.sales_invoice, row.item_code),
			original_packaging=request.original_packaging,
			resellable=request.resellable,
			appearance_intact=request.appearance_intact,
			accessories_intact=request.accessories_intact,
		)
	except frappe.ValidationError as error:
		frappe.clear_last_message()
		return [], str(error)
	return [each for each in PORTAL_REQUEST_TYPES if decision.allows(each.remedy)], translate(decision.rule)


@frappe.whitelist()
def return_options(
	sales_invoice: str | None = None,
	reason_category: str | None = None,
	original_packaging: bool | int | str | None = None,
	appearance_intact: bool | int | str | None = None,
	accessories_intact: bool | int | str | None = None,
) -> list[dict]:
	"""The returnable lines of one of the customer's invoices for a reason, as the form shows them."""
	invoice = own_invoice(sales_invoice)
	reason = ReasonCategory(
		choice_argument(reason_category, _("Reason"), [each.value for each in ReasonCategory])
	)
	request = request_from_invoice(
		invoice, **condition_flags(original_packaging, appearance_intact, accessories_intact)
	)
	return line_options(request, reason)


def condition_flags(original_packaging, appearance_intact, accessories_intact) -> dict:
	"""What the customer declares of the goods; staff check it when they arrive."""
	packaging = (
		flag_argument(original_packaging, _("Original Packaging")) if original_packaging is not None else True
	)
	return {
		"original_packaging": int(packaging),
		"resellable": int(packaging),
		"appearance_intact": int(
			flag_argument(appearance_intact, _("Appearance Intact"))
			if appearance_intact is not None
			else True
		),
		"accessories_intact": int(
			flag_argument(accessories_intact, _("Accessories Intact"))
			if accessories_intact is not None
			else True
		),
	}


# ---- filing the return ----


@frappe.whitelist(methods=["POST"])
def create_return(
	sales_invoice: str | None = None,
	request_type: str | None = None,
	reason_category: str | None = None,
	reason_details: str | None = None,
	refund_method: str | None = None,
	lines: list | str | None = None,
	photos: list | str | None = None,
	original_packaging: bool | int | str | None = None,
	appearance_intact: bool | int | str | None = None,
	accessories_intact: bool | int | str | None = None,
) -> str:
	"""File a return of lines of one of the customer's invoices; it enters the workflow at customer
	service's review, as a request customer service submits does."""
	require_customers()
	invoice = own_invoice(sales_invoice)
	fields = {
		"request_type": choice_argument(
			request_type, _("Request Type"), [each.value for each in PORTAL_REQUEST_TYPES]
		),
		"reason_category": choice_argument(
			reason_category, _("Reason"), [each.value for each in ReasonCategory]
		),
		"reason_details": text_argument(reason_details, _("Description"), limit=TEXT_LIMIT),
		"refund_method": choice_argument(
			refund_method or RefundMethod.ORIGINAL_PAYMENT.value,
			_("Refund Method"),
			[each.value for each in RefundMethod],
		),
		**condition_flags(original_packaging, appearance_intact, accessories_intact),
		**contact_of(invoice.customer),
	}
	wanted = lines_argument(lines)
	pictures = photos_argument(photos)
	request = request_from_invoice(invoice, **fields)
	keep_wanted_lines(request, wanted)
	# The customer's user files it (and owns it and its photos); the app's checks above are their right.
	request.insert(ignore_permissions=True)
	request.validate_eligible()
	# the first photo is the case's evidence: attached to that field, so Frappe does not attach it again
	files = [
		attach_photo(request, name, content, "evidence" if not index else None)
		for index, (name, content) in enumerate(pictures)
	]
	if files:
		request.db_set("evidence", files[0].file_url)
	with as_app():
		submit_to_review(request)
	return request.name


def contact_of(customer: str) -> dict:
	"""The user's own Contact for this customer, when they have one."""
	contact = frappe.db.get_value(
		"Contact",
		{"user": frappe.session.user, "name": ("in", linked_contacts(customer) or [""])},
		["name", "phone", "mobile_no"],
		as_dict=True,
	)
	if not contact:
		return {}
	return {"contact_person": contact.name, "contact_phone": contact.mobile_no or contact.phone}


def linked_contacts(customer: str) -> list[str]:
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "link_doctype": "Customer", "link_name": customer},
		pluck="parent",
	)


def lines_argument(lines) -> dict[str, dict]:
	"""Invoice line → {qty, serial_nos} the customer returns, as the form sends them."""
	if isinstance(lines, str):
		try:
			lines = frappe.parse_json(lines)
		except Exception:
			lines = None
	if not isinstance(lines, list) or not lines or len(lines) > 500:
		refuse(_("Choose at least one line of the invoice to return."), _("Nothing to Return"))
	wanted = {}
	for line in lines:
		if not isinstance(line, dict) or not isinstance(line.get("line"), str):
			refuse(_("Each line to return names its invoice line and quantity."), _("Invalid Lines"))
		qty = line.get("qty")
		if isinstance(qty, bool) or not isinstance(qty, int | float | str):
			refuse(_("Enter the quantity to return of each line as a number."), _("Invalid Quantity"))
		serial_nos = line.get("serial_nos") or []
		if not isinstance(serial_nos, list) or not all(isinstance(each, str) for each in serial_nos):
			refuse(_("Choose the serial numbers to return from the list."), _("Invalid Serial Numbers"))
		wanted[line["line"]] = {"qty": qty, "serial_nos": serial_nos}
	return wanted


def keep_wanted_lines(request, wanted: dict[str, dict]) -> None:
	"""The request keeps the lines the customer chose, with their quantity; the request's own checks
	then hold them to what can still be returned."""
	returnable = {row.sales_invoice_item for row in request.items}
	gone = [line for line in wanted if line not in returnable]
	if gone:
		refuse(
			_(
				"A line you chose cannot be returned any more: it was returned or is on another request. Reload the page."
			),
			_("Not Returnable"),
		)
	request.set("items", [row for row in request.items if row.sales_invoice_item in wanted])
	for row in request.items:
		choice = wanted[row.sales_invoice_item]
		row.qty = flt(choice["qty"]) if is_finite(choice["qty"]) else choice["qty"]
		if choice["serial_nos"]:
			row.serial_no = "\n".join(choice["serial_nos"])
		elif split_serials(row.serial_no) and len(split_serials(row.serial_no)) != flt(row.qty):
			refuse(
				_("Choose which serial numbers of {0} you return.").format(row.item_name or row.item_code),
				_("Serial Numbers"),
			)


def is_finite(value) -> bool:
	try:
		return abs(float(value)) < float("inf")
	except (TypeError, ValueError):
		return False


def submit_to_review(request) -> None:
	"""The workflow's submit from the draft state, as customer service would take it."""
	if not get_workflow_name(RETURN_REQUEST):
		request.submit()
		return
	meta_states = {
		state.state: state.doc_status
		for state in frappe.get_doc("Workflow", get_workflow_name(RETURN_REQUEST)).states
	}
	submits = [
		transition.action
		for transition in get_transitions(request)
		if str(meta_states.get(transition.next_state)) == "1"
	]
	if submits:
		apply_workflow(request.as_dict(), submits[0])


# ---- photos ----


def photos_argument(photos) -> list[tuple[str, bytes]]:
	"""(file name, content) of each photo, each checked to be an image of reasonable size."""
	if photos in (None, "", []):
		return []
	if isinstance(photos, str):
		try:
			photos = frappe.parse_json(photos)
		except Exception:
			photos = None
	if not isinstance(photos, list) or len(photos) > MAX_PHOTOS:
		refuse(_("Attach at most {0} photos.").format(MAX_PHOTOS), _("Photos"))
	return [photo_content(photo) for photo in photos]


def photo_content(photo) -> tuple[str, bytes]:
	from PIL import Image

	data = photo.get("content") if isinstance(photo, dict) else None
	if not isinstance(data, str) or len(data) > MAX_PHOTO_BYTES * 4 // 3 + 200:
		refuse(
			_("Each photo must be an image of at most {0} MB.").format(MAX_PHOTO_BYTES // (1024 * 1024)),
			_("Photos"),
		)
	try:
		content = base64.b64decode(data.split(",", 1)[-1], validate=True)
		with Image.open(io.BytesIO(content)) as image:
			image.verify()
			extension = PHOTO_FORMATS.get(image.format)
	except (binascii.Error, ValueError, OSError, SyntaxError):
		extension = None
	if not extension:
		refuse(_("A photo is not a JPEG, PNG, GIF or WebP image."), _("Photos"))
	return f"{photo_stem(photo.get('file_name'))}-{frappe.generate_hash(length=6)}.{extension}", content


def photo_stem(file_name) -> str:
	"""The customer's name of the photo, without its extension and anything but letters, digits, - and _."""
	stem = file_name.rsplit(".", 1)[0] if isinstance(file_name, str) else ""
	return re.sub(r"[^\w-]", "", stem)[:40] or "photo"


def attach_photo(request, file_name: str, content: bytes, fieldname: str | None = None):
	"""A private file on the case, owned by the customer's user who sent it."""
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": RETURN_REQUEST,
			"attached_to_name": request.name,
			"attached_to_field": fieldname,
			"is_private": 1,
			"content": content,
		}
	)
	file.insert(ignore_permissions=True)
	return file
