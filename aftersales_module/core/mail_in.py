"""Mail-in testing of a quality fault (seed 003, 先進行檢測): received, then tested, then decided.

The customer's unit comes in first, at quantity only into the consignment-repair warehouse: it is
still the customer's, so it carries no value and never mixes with the company's valued stock. Only
then is it tested, and only a tested unit is decided on. When the company takes it back (a confirmed
fault, or a return the sales approver grants) it leaves that warehouse to be taken back the usual
way. When no fault is found, or the damage is the customer's own, the whole set goes back to the
customer, who has accepted the company's test report and pays the freight both ways
(全套退回, 往返運費由您個人承擔).

Framework-free.
"""

from dataclasses import dataclass

from aftersales_module.core.enums import ReasonCategory, RequestType
from aftersales_module.core.messages import Message
from aftersales_module.core.stages import Stage

TEST_UNIT_IN = "Test Unit In"
TEST_UNIT_SHIPPED_BACK = "Test Unit Shipped Back"
TEST_UNIT_TAKEN_OVER = "Test Unit Taken Over"

# Stock Entry Types this module adds, with the ERPNext purpose each one posts as.
STOCK_ENTRY_TYPES = {
	TEST_UNIT_IN: "Material Receipt",
	TEST_UNIT_SHIPPED_BACK: "Material Issue",
	TEST_UNIT_TAKEN_OVER: "Material Issue",
}

# Where the customer's unit is while a case is open (the case's Unit for Testing field).
IN_FOR_TESTING = "In for Testing"
SHIPPED_BACK = "Shipped Back"
TAKEN_OVER = "Taken Over"

# Cases whose goods come back to be decided on; a spare unit ships before the faulty unit arrives,
# a refund-only or reissue takes nothing back.
MAIL_IN_TYPES = frozenset(
	{
		RequestType.RETURN_AND_REFUND,
		RequestType.EXCHANGE_SAME_ITEM,
		RequestType.EXCHANGE_DIFFERENT_ITEM,
		RequestType.REPAIR,
	}
)
# The customer's unit goes back once the company will not take it: the case was rejected.
SHIP_BACK_STAGES = frozenset({Stage.REJECTED})
# Customer service records the customer's acceptance of the test report once the result is known.
ACCEPTANCE_STAGES = frozenset({Stage.REVIEW, Stage.REJECTED})


def is_mail_in(reason: str, request_type: str) -> bool:
	"""A quality fault whose goods come back is tested first."""
	return (
		ReasonCategory(reason) is ReasonCategory.QUALITY_PROBLEM
		and RequestType(request_type) in MAIL_IN_TYPES
	)


@dataclass(frozen=True)
class UnitForTesting:
	"""Where a case's unit for testing is."""

	mail_in: bool
	status: str | None = None
	report_accepted: bool = False

	@property
	def received(self) -> bool:
		return bool(self.status)

	@property
	def awaited(self) -> bool:
		"""A mail-in case whose unit has not come in yet: nothing can be tested or decided."""
		return self.mail_in and not self.received

	@property
	def held(self) -> bool:
		"""The customer's unit is here, neither taken back by the company nor shipped back."""
		return self.status == IN_FOR_TESTING


def receipt_refusal(unit: UnitForTesting, stage: Stage) -> Message | None:
	"""Why the unit cannot be received for testing now; None when it can."""
	if not unit.mail_in:
		return Message("Only a quality-problem case whose goods come back is received for testing.")
	if unit.received:
		return Message("The customer's unit was already received for testing.")
	if stage != Stage.INSPECTION:
		return Message(
			"The unit is received for testing while the case is at the {0} stage.", Stage.INSPECTION
		)
	return None


def result_refusal(unit: UnitForTesting) -> Message | None:
	"""A test result is entered only for a unit that is here."""
	if unit.awaited:
		return Message(
			"Receive the customer's unit for testing (Receive for Testing) before entering a test result."
		)
	return None


def acceptance_refusal(unit: UnitForTesting, stage: Stage, no_fault_found: bool) -> Message | None:
	"""Why the customer's acceptance of the test report cannot be recorded now."""
	if not unit.received:
		return Message("No unit of the customer's was received for testing.")
	if unit.report_accepted:
		return Message("The customer's acceptance of the test report is already recorded.")
	if stage not in ACCEPTANCE_STAGES or (stage == Stage.REVIEW and not no_fault_found):
		return Message(
			"The customer accepts the test report once the test found no fault, or the case was rejected."
		)
	return None


def ship_back_refusal(unit: UnitForTesting, stage: Stage) -> Message | None:
	"""Why the customer's unit cannot be shipped back now."""
	if not unit.held:
		return Message("No unit of the customer's is here to ship back.")
	if stage not in SHIP_BACK_STAGES:
		return Message(
			"The unit goes back to the customer once the request is rejected (no fault found, or damage by the customer)."
		)
	if not unit.report_accepted:
		return Message(
			"Record the customer's acceptance of the test report first (Customer Accepts Test Report)."
		)
	return None
