"""What each role sets on a spare-part transfer request at each of its statuses (checked on every save
by controllers/status_inputs.py, and shown to the form by controllers/stage_forms.py).

The repair point's manager writes the request while it is a draft; after that the approval, the
transfers and the closing are the steps' own (Approve, Transfer, Close), and the request's own fields
stay as raised. The approved, transferred and pending quantities show once the request is approved.
"""

from aftersales_module.controllers.status_inputs import inputs
from aftersales_module.setup.roles import REPAIR_POINT_MANAGER

DRAFT = ("Draft",)
REQUEST = (
	"company",
	"repair_point",
	"source_warehouse",
	"required_by",
	"emergency",
	"purpose",
	"items",
)
APPROVED_ON = ("Approved", "Partly Transferred", "Transferred", "Closed", "Cancelled")

TRANSFER_REQUEST_INPUTS = (inputs(DRAFT, (REPAIR_POINT_MANAGER,), REQUEST),)

# The fields of the steps after approval, hidden before the request reaches them.
SHOWN_FROM = {
	"items.approved_qty": APPROVED_ON,
	"items.transferred_qty": APPROVED_ON,
	"items.pending_qty": APPROVED_ON,
}
