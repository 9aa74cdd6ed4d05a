"""What a customer is shown of their cases on the portal: the steps they care about, in their words,
not the desk's internal stages. Pure functions over the stage log's moves."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# Where a return request stands, as the customer is told it. Two internal stages can be one step for
# the customer (review and sales approval are both "under review").
RETURN_STEPS = {
	"Draft": "Request Filed",
	"Review": "Under Review",
	"Inspection": "Quality Inspection",
	"Sales Approval": "Under Review",
	"Approved": "Approved",
	"Rejected": "Rejected",
	"Goods Received": "Goods Received",
	"Refunded": "Refunded",
	"Closed": "Closed",
	"Cancelled": "Cancelled",
}

INQUIRY_STEPS = {
	"Open": "Question Received",
	"Replied": "Answered",
	"Waiting on Customer": "Waiting for Your Reply",
	"Resolved": "Resolved",
	"Closed": "Closed",
}

COMPLAINT_STEPS = {
	"Open": "Complaint Received",
	"Resolved": "Resolved",
	"Closed": "Closed",
}


@dataclass(frozen=True)
class CustomerStep:
	label: str
	on: datetime


def customer_step(stage: str | None, steps: dict[str, str]) -> str | None:
	"""The customer's name of a stage; a stage the customer is not told of (an admin's own) is None."""
	return steps.get(stage or "")


def customer_timeline(moves: Iterable[tuple[str, datetime]], steps: dict[str, str]) -> list[CustomerStep]:
	"""The customer's steps, oldest first, from the case's moves (stage, when): each step once where
	several internal stages follow one another under the same name."""
	timeline: list[CustomerStep] = []
	for stage, on in sorted(moves, key=lambda move: move[1]):
		label = customer_step(stage, steps)
		if label is None or (timeline and timeline[-1].label == label):
			continue
		timeline.append(CustomerStep(label, on))
	return timeline
