"""What each role sets on a compensation claim at each of its statuses (checked on every save by
controllers/status_inputs.py, and shown to the form by controllers/stage_forms.py).

While the claim is a draft, customer service and the quality inspectors write it up and appraise it
(a change after a review starts the reviews again); the reviews, the ruling and the approval are the
steps' own. Once approved, the inspector checks the old parts brought back and decides their handling,
and the warehouse names where the good ones are put away.
"""

from aftersales_module.controllers.status_inputs import inputs
from aftersales_module.setup.roles import CUSTOMER_SERVICE, QUALITY_INSPECTOR, WAREHOUSE

DRAFT_STATUSES = ("Draft", "In Review", "Disputed", "Ready to Approve")
APPROVED = ("Approved",)
WRITERS = (CUSTOMER_SERVICE, QUALITY_INSPECTOR)

CLAIM_FACTS = (
	"company",
	"claim_type",
	"customer",
	"posting_date",
	"sales_order",
	"delivery_note",
	"sales_invoice",
	"carrier",
	"tracking_no",
	"incident_details",
	"evidence",
	"evidence_2",
	"items",
)
APPRAISAL = (
	"liable_party_type",
	"liable_supplier",
	"department",
	"employee",
	"liability_notes",
	"appraisal_findings",
	"remedy",
	"compensation_amount",
	"coupon_code",
	"recovery_amount",
	"deduction_amount",
	"old_parts",
)
PART_CHECK = (("old_parts", "condition"), ("old_parts", "handling"))
PUT_AWAY = (("old_parts", "restock_warehouse"),)

CLAIM_INPUTS = (
	inputs(DRAFT_STATUSES, WRITERS, CLAIM_FACTS),
	inputs(DRAFT_STATUSES, WRITERS, APPRAISAL, (*PART_CHECK, *PUT_AWAY)),
	inputs(APPROVED, (QUALITY_INSPECTOR,), columns=PART_CHECK),
	inputs(APPROVED, (WAREHOUSE,), columns=PUT_AWAY),
)
