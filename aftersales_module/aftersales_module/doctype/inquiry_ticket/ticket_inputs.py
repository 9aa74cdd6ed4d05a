"""What each role sets on an inquiry ticket at each of its statuses (checked on every save by
controllers/status_inputs.py, and shown to the form by controllers/stage_forms.py).

Customer service opens the ticket and, while it is open, records the order and shipment facts, the
analysis and the solution; the departments asked (warehouse, sales, quality) add their findings. The
answers and their times are customer service's steps; once the result is given, the ticket is what
the customer was told, and nobody edits it.
"""

from aftersales_module.controllers.status_inputs import inputs
from aftersales_module.setup.roles import CUSTOMER_SERVICE, QUALITY_INSPECTOR, SALES_APPROVER, WAREHOUSE

OPEN = ("Open",)
ACTIVE = ("Open", "Replied", "Waiting on Customer")
CHECKERS = (CUSTOMER_SERVICE, WAREHOUSE, SALES_APPROVER, QUALITY_INSPECTOR)

# what the ticket was opened with (Opened On, where its deadlines count from, is set only once)
OPENING = ("company", "customer", "channel", "inquiry_reason")
FACTS = (
	"contact_person",
	"contact_phone",
	"contact_email",
	"inquiry_details",
	"sales_order",
	"delivery_note",
	"sales_invoice",
	"return_request",
	"carrier",
	"tracking_no",
	"shipped_on",
	"eta",
	"logistics_status",
	"anomaly",
	"anomaly_details",
	"analysis",
	"proposed_solution",
)

TICKET_INPUTS = (
	inputs(OPEN, (CUSTOMER_SERVICE,), OPENING),
	inputs(ACTIVE, (CUSTOMER_SERVICE,), FACTS),
	inputs(ACTIVE, CHECKERS, ("findings",)),
)
