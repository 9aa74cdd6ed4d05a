"""The records this app ships on ERPNext doctypes, by name.

Their full definitions are the fixtures in `aftersales_module/fixtures/` (custom fields and stock entry
types), re-imported on every migrate so they stay exactly as shipped. Code, the `fixtures` hook and
the tests take the names from here; tests/test_fixtures.py checks the two agree.
"""

from aftersales_module.core import claims, exchange_postings, mail_in, repairs, spare_postings

# Each state of an after-sales workflow names the fixed stage it stands for (Workflow Document State).
STAGE_FIELD = "aftersales_stage"
# How much of a Sales Invoice line submitted return requests hold (Sales Invoice Item).
REQUESTED_QTY_FIELD = "aftersales_requested_qty"

# The day the customer received the goods (Delivery Note, and a Sales Invoice that shipped them itself).
RECEIVED_ON_FIELD = "aftersales_received_on"

# How an after-sales shipment to a customer travels (Stock Entry): carrier, tracking number, days.
SHIPMENT_FIELDS = (
	"aftersales_carrier",
	"aftersales_tracking_no",
	"aftersales_shipped_on",
	"aftersales_delivered_on",
)

RETURN_REQUEST_LINK = "aftersales_return_request"
REPAIR_ORDER_LINK = "aftersales_repair_order"
TRANSFER_REQUEST_LINK = "aftersales_transfer_request"
COMPENSATION_CLAIM_LINK = "aftersales_compensation_claim"
# What a posted document was made for and the original it answers ("Refund:SINV-0001"): with the
# back-link, how a case finds what it posted.
POSTING_KEY = "aftersales_posting"

# The case each back-link points to.
LINKED_CASE = {
	RETURN_REQUEST_LINK: "Return Request",
	REPAIR_ORDER_LINK: "Repair Order",
	TRANSFER_REQUEST_LINK: "Spare Part Transfer Request",
	COMPENSATION_CLAIM_LINK: "Compensation Claim",
}

# Every doctype an after-sales case posts, with the back-links its documents carry.
BACK_LINKS = {
	"Sales Invoice": (RETURN_REQUEST_LINK, REPAIR_ORDER_LINK, COMPENSATION_CLAIM_LINK),
	"Delivery Note": (RETURN_REQUEST_LINK,),
	# A POS sale comes back by a POS return, as ERPNext's own till returns it.
	"POS Invoice": (RETURN_REQUEST_LINK,),
	"Stock Entry": (RETURN_REQUEST_LINK, REPAIR_ORDER_LINK, TRANSFER_REQUEST_LINK, COMPENSATION_CLAIM_LINK),
	"Payment Entry": (RETURN_REQUEST_LINK,),
	"Journal Entry": (RETURN_REQUEST_LINK, COMPENSATION_CLAIM_LINK),
	"Quality Inspection": (RETURN_REQUEST_LINK,),
	"Purchase Invoice": (COMPENSATION_CLAIM_LINK,),
}

ALL_POSTED_DOCTYPES = tuple(BACK_LINKS)

# Every custom field the app ships, by doctype: posted documents carry their back-links and posting key.
CUSTOM_FIELDS = {
	**{doctype: (*links, POSTING_KEY) for doctype, links in BACK_LINKS.items()},
	"Workflow Document State": (STAGE_FIELD,),
	"Sales Invoice Item": (REQUESTED_QTY_FIELD,),
}
CUSTOM_FIELDS["Stock Entry"] = (*CUSTOM_FIELDS["Stock Entry"], *SHIPMENT_FIELDS)
# The documents that ship goods to the customer carry the day they arrived.
for _shipping_document in ("Sales Invoice", "Delivery Note"):
	CUSTOM_FIELDS[_shipping_document] = (*CUSTOM_FIELDS[_shipping_document], RECEIVED_ON_FIELD)

# Custom Field names, "<doctype>-<fieldname>", as Frappe names them.
CUSTOM_FIELD_NAMES = [
	f"{doctype}-{fieldname}" for doctype, fields in CUSTOM_FIELDS.items() for fieldname in fields
]

# Every Stock Entry Type this app adds, with the ERPNext purpose it posts as.
STOCK_ENTRY_TYPES = {
	**exchange_postings.STOCK_ENTRY_TYPES,
	**spare_postings.STOCK_ENTRY_TYPES,
	**repairs.STOCK_ENTRY_TYPES,
	**claims.STOCK_ENTRY_TYPES,
	**mail_in.STOCK_ENTRY_TYPES,
}
