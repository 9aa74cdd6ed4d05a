"""The app's notifications as shipped: each an ordinary Notification record, created once and then the
admins' (setup/notifications.py). Subject and message are Jinja; `_()` in them renders in the customer's
language for customer messages (controllers/notifications.py sets it while sending)."""

from aftersales_module.controllers import notifications as steps
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE

RETURN_REQUEST, INQUIRY_TICKET, COMPENSATION_CLAIM = "Return Request", "Inquiry Ticket", "Compensation Claim"

GREETING = '<p>{{ _("Dear {0},").format(doc.customer_name or doc.customer) }}</p>\n'
SIGNATURE = '\n<p>{{ _("Your after-sales service") }}</p>'
REFUND_FIGURE = (
	'doc.get_formatted("refunded_amount") if doc.refunded_amount else doc.get_formatted("refund_amount")'
)


def said(sentence: str, *arguments: str) -> str:
	"""`sentence` translated, with its placeholders filled from these Jinja expressions."""
	filled = f".format({', '.join(arguments)})" if arguments else ""
	return '{{ _("' + sentence + '")' + filled + " }}"


def paragraph(sentence: str, *arguments: str) -> str:
	return f"<p>{said(sentence, *arguments)}</p>"


# name → (doctype, step, subject, e-mail body, SMS text or None)
CUSTOMER_MESSAGES = {
	"Aftersales Request Received": (
		RETURN_REQUEST,
		steps.REQUEST_RECEIVED,
		said("We received your return request {0}", "doc.name"),
		paragraph(
			"We received your return request {0} and will review it shortly. We will write to you at each step.",
			"doc.name",
		),
		said(
			"We received your return request {0} and will review it shortly. We will write to you at each step.",
			"doc.name",
		),
	),
	"Aftersales Request Approved": (
		RETURN_REQUEST,
		steps.REQUEST_APPROVED,
		said("Your return request {0} is approved", "doc.name"),
		paragraph("Your return request {0} is approved.", "doc.name")
		+ '\n{% if doc.refund_amount %}<p>{{ _("Refund due: {0}").format(doc.get_formatted("refund_amount")) }}</p>{% endif %}',
		said("Your return request {0} is approved.", "doc.name"),
	),
	"Aftersales Request Rejected": (
		RETURN_REQUEST,
		steps.REQUEST_REJECTED,
		said("Your return request {0} is rejected", "doc.name"),
		paragraph("We are sorry: your return request {0} is rejected.", "doc.name")
		+ "\n"
		+ paragraph("Reason: {0}", "doc.rejection_reason | e"),
		said("We are sorry: your return request {0} is rejected.", "doc.name")
		+ " "
		+ said("Reason: {0}", "doc.rejection_reason"),
	),
	"Aftersales Goods Received": (
		RETURN_REQUEST,
		steps.GOODS_RECEIVED,
		said("We received the goods of your return request {0}", "doc.name"),
		paragraph("We received the goods of your return request {0}.", "doc.name"),
		said("We received the goods of your return request {0}.", "doc.name"),
	),
	"Aftersales Refunded": (
		RETURN_REQUEST,
		steps.REFUNDED,
		said("Your refund for return request {0}", "doc.name"),
		paragraph(
			"We refunded {0} for your return request {1}, by {2}.",
			REFUND_FIGURE,
			"doc.name",
			"_(doc.refund_method)",
		),
		said(
			"We refunded {0} for your return request {1}, by {2}.",
			REFUND_FIGURE,
			"doc.name",
			"_(doc.refund_method)",
		),
	),
	"Aftersales Unit Shipped": (
		RETURN_REQUEST,
		steps.UNIT_SHIPPED,
		said("Your unit for return request {0} is on its way", "doc.name"),
		"{% set shipment = aftersales_shipment(doc.name) %}"
		+ paragraph(
			"We shipped your unit for return request {0} with {1}, tracking number {2}.",
			"doc.name",
			"shipment.carrier",
			"shipment.tracking_no",
		),
		"{% set shipment = aftersales_shipment(doc.name) %}"
		+ said(
			"We shipped your unit for return request {0} with {1}, tracking number {2}.",
			"doc.name",
			"shipment.carrier",
			"shipment.tracking_no",
		),
	),
	"Aftersales Case Closed": (
		RETURN_REQUEST,
		steps.CASE_CLOSED,
		said("Your return request {0} is closed", "doc.name"),
		paragraph("Your return request {0} is closed.", "doc.name")
		+ '\n<p>{{ _("How satisfied are you with how we handled it?") }}'
		+ ' <a href="{{ rating_link(doc.name) }}">{{ _("Rate our service") }}</a></p>',
		said("Your return request {0} is closed.", "doc.name")
		+ ' {{ _("How satisfied are you with how we handled it?") }} {{ rating_link(doc.name) }}',
	),
	"Aftersales Inquiry Answered": (
		INQUIRY_TICKET,
		steps.INQUIRY_ANSWERED,
		said("The answer to your inquiry {0}", "doc.name"),
		paragraph("Here is the result of your inquiry {0}:", "doc.name")
		+ "\n<p>{{ doc.feedback_text | e }}</p>",
		said("Here is the result of your inquiry {0}:", "doc.name") + " {{ doc.feedback_text }}",
	),
}

TICKET_DEADLINES = (
	"doc.name",
	"doc.customer_name or doc.customer",
	'doc.get_formatted("response_by")',
	'doc.get_formatted("result_by")',
)

# name → (doctype, step, subject, message, recipients: [(role, condition)])
STAFF_MESSAGES = {
	"Aftersales Inquiry At Risk": (
		INQUIRY_TICKET,
		steps.INQUIRY_AT_RISK,
		said("Inquiry {0} is at risk of missing its deadline", "doc.name"),
		paragraph("Inquiry {0} of {1} is at risk: answer by {2}, result by {3}.", *TICKET_DEADLINES),
		[(CUSTOMER_SERVICE, None)],
	),
	"Aftersales Inquiry Breached": (
		INQUIRY_TICKET,
		steps.INQUIRY_BREACHED,
		said("Inquiry {0} has missed its deadline", "doc.name"),
		paragraph(
			"Inquiry {0} of {1} has missed its deadline: answer by {2}, result by {3}.", *TICKET_DEADLINES
		),
		[(CUSTOMER_SERVICE, None), (AFTERSALES_MANAGER, None)],
	),
	"Aftersales Claim Disputed": (
		COMPENSATION_CLAIM,
		steps.CLAIM_DISPUTED,
		said("Compensation claim {0} is disputed", "doc.name"),
		paragraph(
			"The inspectors disagree on compensation claim {0} of {1}: it needs your ruling.",
			"doc.name",
			"doc.customer_name or doc.customer",
		),
		[(AFTERSALES_MANAGER, None)],
	),
	"Aftersales Case Reopened": (
		RETURN_REQUEST,
		steps.CASE_REOPENED,
		said("Return request {0} was reopened", "doc.name"),
		paragraph(
			"Return request {0} of {1} was reopened ({2} times so far).",
			"doc.name",
			"doc.customer_name or doc.customer",
			"doc.reopen_count",
		)
		+ "\n"
		+ paragraph("Reason: {0}", "doc.reopen_reason | e"),
		# The second reopening brings in the manager.
		[(CUSTOMER_SERVICE, None), (AFTERSALES_MANAGER, "doc.reopen_count >= 2")],
	),
}
