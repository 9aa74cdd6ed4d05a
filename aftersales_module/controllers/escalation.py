"""One-click escalation: an inquiry ticket becomes a compensation claim, a reissue or a return
request, and a claim becomes a reissue; the facts are carried over and both sides link each other.

Each escalation is made once: asking again opens the document made the first time, unless it was
cancelled. Escalating is a step of customer service (and managers): the ticket is locked and read
again, and its links to what it became are written by the server only. A loss is given one remedy:
once the ticket has a claim, the claim's remedy decides whether its goods are reissued.
"""

import frappe
from frappe import _
from frappe.utils import flt, nowdate

from aftersales_module.controllers.claim_postings import (
	SETTLEMENT_DOCTYPES,
	check_remedy_rule,
	find_claim_posting,
)
from aftersales_module.controllers.steps import finish_step, start_step
from aftersales_module.core.claims import (
	CLAIM_TYPE_OF_ANOMALY,
	Anomaly,
	ClaimRemedy,
	ClaimType,
	GivenForLoss,
	LiableParty,
	Posting,
	check_reissue,
)
from aftersales_module.core.enums import ReasonCategory, RequestType
from aftersales_module.setup.roles import CUSTOMER_SERVICE

REASON_OF_ANOMALY = {
	Anomaly.LOST: ReasonCategory.MISSING_ITEM,
	Anomaly.DAMAGED: ReasonCategory.DAMAGED_IN_TRANSIT,
	Anomaly.WRONG_ITEM: ReasonCategory.WRONG_ITEM,
}
# A claim's reissue is the seller's fault it compensates (seed 004: no time limit), or a quality fault.
REASON_OF_CLAIM_TYPE = {
	ClaimType.LOST: ReasonCategory.MISSING_ITEM,
	ClaimType.DELAYED: ReasonCategory.MISSING_ITEM,
	ClaimType.DAMAGED: ReasonCategory.DAMAGED_IN_TRANSIT,
	ClaimType.WRONG_SHIPMENT: ReasonCategory.WRONG_ITEM,
	ClaimType.QUALITY: ReasonCategory.QUALITY_PROBLEM,
}

# Where the claimed goods are read from, most specific first.
ORDER_SOURCES = (
	("delivery_note", "Delivery Note Item"),
	("sales_invoice", "Sales Invoice Item"),
	("sales_order", "Sales Order Item"),
)


def existing(doctype: str, name: str | None) -> str | None:
	"""The document made by an earlier escalation, unless it has been cancelled."""
	if name and frappe.db.get_value(doctype, name, "docstatus") in (0, 1):
		return name
	return None


def finish(ticket) -> None:
	try:
		finish_step(ticket)
	finally:
		ticket.flags.server_step = False


def make_compensation_claim(ticket) -> str:
	start_step(ticket, CUSTOMER_SERVICE)
	if made := existing("Compensation Claim", ticket.compensation_claim):
		return made
	frappe.has_permission("Compensation Claim", "create", throw=True)
	claim_type = CLAIM_TYPE_OF_ANOMALY.get(Anomaly(ticket.anomaly)) if ticket.anomaly else None
	if not claim_type:
		frappe.throw(
			_(
				"Set the ticket's Anomaly to Lost, Delayed, Damaged or Wrong Item first. A parcel that was returned is reissued instead."
			),
			title=_("No Anomaly to Claim"),
		)
	claim = frappe.get_doc(
		{
			"doctype": "Compensation Claim",
			"company": ticket.company,
			"customer": ticket.customer,
			"claim_type": claim_type.value,
			"posting_date": nowdate(),
			"inquiry_ticket": ticket.name,
			"sales_order": ticket.sales_order,
			"delivery_note": ticket.delivery_note,
			"sales_invoice": ticket.sales_invoice,
			"carrier": ticket.carrier,
			"tracking_no": ticket.tracking_no,
			"incident_details": "\n".join(
				part for part in (ticket.anomaly_details, ticket.inquiry_details, ticket.analysis) if part
			),
			"liable_party_type": LiableParty.CARRIER.value if ticket.carrier else LiableParty.INTERNAL.value,
			"liable_supplier": ticket.carrier,
			# A parcel already reissued from the ticket is not also paid for.
			"remedy": (
				ClaimRemedy.REISSUE
				if existing("Return Request", ticket.reissue_request)
				else ClaimRemedy.COMPENSATION
			).value,
			"items": claimed_lines(ticket),
		}
	)
	if not claim.items:
		frappe.throw(
			_("Link the Sales Order, Delivery Note or Sales Invoice whose goods are claimed first."),
			title=_("No Goods to Claim"),
		)
	# Create permission checked above; the ticket link is server-owned and kept.
	claim.insert(ignore_permissions=True)
	ticket.compensation_claim = claim.name
	finish(ticket)
	return claim.name


def claimed_lines(source) -> list[dict]:
	"""The goods of the most specific order document linked, at their net value."""
	for fieldname, child_doctype in ORDER_SOURCES:
		if not source.get(fieldname):
			continue
		# A Sales Order line has no serial numbers: they are known once the goods are delivered.
		fields = ["item_code", "qty", "net_rate"]
		if frappe.get_meta(child_doctype).has_field("serial_no"):
			fields.append("serial_no")
		return [
			{
				"item_code": line.item_code,
				"qty": flt(line.qty),
				"rate": flt(line.net_rate),
				"serial_no": line.get("serial_no"),
			}
			for line in frappe.get_all(
				child_doctype,
				filters={"parent": source.get(fieldname), "parenttype": child_doctype.removesuffix(" Item")},
				fields=fields,
				order_by="idx",
			)
		]
	return []


def make_return_request(ticket, reissue: bool) -> str:
	"""A draft Return Request (or Reissue) for the ticket's invoice, linked to the ticket."""
	start_step(ticket, CUSTOMER_SERVICE)
	fieldname = "reissue_request" if reissue else "escalated_return_request"
	if made := existing("Return Request", ticket.get(fieldname)):
		return made
	if reissue:
		check_claimed_loss(ticket)
	anomaly = Anomaly(ticket.anomaly) if ticket.anomaly else None
	request = new_return_request(
		ticket,
		RequestType.REISSUE if reissue else RequestType.RETURN_AND_REFUND,
		REASON_OF_ANOMALY.get(anomaly, ReasonCategory.OTHER),
		_("From inquiry ticket {0}: {1}").format(
			ticket.name, ticket.anomaly_details or ticket.inquiry_details or _(ticket.inquiry_reason)
		),
	)
	request.inquiry_ticket = ticket.name
	request.channel = ticket.channel
	request.insert(ignore_permissions=True)  # create right checked in new_return_request
	ticket.set(fieldname, request.name)
	finish(ticket)
	return request.name


def check_claimed_loss(ticket) -> None:
	"""A ticket's loss already in a compensation claim is reissued only under the claim's remedy Reissue,
	and not once the claim has paid the customer for it."""
	claim_name = existing("Compensation Claim", ticket.compensation_claim)
	if not claim_name:
		return
	claim = frappe.get_doc("Compensation Claim", claim_name)
	paid = find_claim_posting(claim.name, Posting.COMPENSATION, SETTLEMENT_DOCTYPES[Posting.COMPENSATION])
	check_remedy_rule(claim, check_reissue, GivenForLoss(paid[1] if paid else None))


def make_claim_reissue(claim) -> str:
	"""A draft Reissue of the claimed goods, linked to the claim: only under the remedy Reissue, and not
	for a loss already paid or reissued from its ticket."""
	claim.check_permission("write")
	if made := existing("Return Request", claim.reissue_request):
		return made
	check_remedy_rule(claim, check_reissue)
	request = new_return_request(
		claim,
		RequestType.REISSUE,
		REASON_OF_CLAIM_TYPE.get(ClaimType(claim.claim_type), ReasonCategory.OTHER),
		_("Reissue for compensation claim {0} ({1})").format(claim.name, _(claim.claim_type)),
	)
	keep_claimed_quantities(request, claim)
	request.compensation_claim = claim.name
	request.inquiry_ticket = claim.inquiry_ticket
	request.insert(ignore_permissions=True)  # create right checked in new_return_request
	claim.db_set("reissue_request", request.name)
	return request.name


def new_return_request(source, request_type: RequestType, reason: ReasonCategory, details: str):
	frappe.has_permission("Return Request", "create", throw=True)
	invoice = invoice_of(source)
	request = frappe.new_doc("Return Request")
	request.update(
		{
			"company": source.company,
			"customer": source.customer,
			"request_date": nowdate(),
			"request_type": request_type.value,
			"reason_category": reason.value,
			"reason_details": details,
			"sales_invoice": invoice,
			"delivery_note": source.delivery_note,
			"sales_order": source.sales_order,
		}
	)
	request.flags.ignore_permissions = True  # checked above: the user may create return requests
	request.get_items(invoice)
	if not request.items:
		frappe.throw(
			_("Every line of invoice {0} is already returned or in a return request.").format(
				frappe.bold(invoice)
			),
			title=_("Nothing Left to Return"),
		)
	return request


def keep_claimed_quantities(request, claim) -> None:
	"""Only the claimed items, each at most the quantity claimed."""
	wanted = {}
	for line in claim.items:
		wanted[line.item_code] = wanted.get(line.item_code, 0) + flt(line.qty)
	kept = []
	for row in request.items:
		qty = min(flt(row.qty), wanted.get(row.item_code, 0))
		if qty > 0:
			row.qty = qty
			wanted[row.item_code] -= qty
			kept.append(row)
	request.set("items", kept)
	if not kept:
		frappe.throw(
			_("None of the claimed items is on the invoice {0}.").format(frappe.bold(request.sales_invoice)),
			title=_("Nothing to Reissue"),
		)


def invoice_of(source) -> str:
	"""The sales invoice linked, or the one that billed the linked delivery note or order."""
	if source.sales_invoice:
		return source.sales_invoice
	for fieldname in ("delivery_note", "sales_order"):
		if not source.get(fieldname):
			continue
		invoice = frappe.db.get_value(
			"Sales Invoice Item",
			{fieldname: source.get(fieldname), "docstatus": 1, "parenttype": "Sales Invoice"},
			"parent",
		)
		if invoice and not frappe.db.get_value("Sales Invoice", invoice, "is_return"):
			return invoice
	frappe.throw(
		_("Link the Sales Invoice first: a return request or reissue starts from the invoiced goods."),
		title=_("No Invoice"),
	)
