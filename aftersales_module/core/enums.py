"""Domain vocabularies shared by the rules in core/ and the doctypes.

The values are the exact option strings of the doctypes' Select fields, so a
controller can pass `doc.reason_category` straight to `ReasonCategory(...)`.
"""

from enum import Enum


class Choice(str, Enum):
	"""A Select option: formats as its value, as Python 3.11's StrEnum does."""

	def __str__(self) -> str:
		return self.value

	def __format__(self, format_spec: str) -> str:
		return format(self.value, format_spec)


class ReasonCategory(Choice):
	QUALITY_PROBLEM = "Quality Problem"
	PERSONAL_REASON = "Personal Reason (7-day No Reason)"
	NOT_AS_DESCRIBED = "Not as Described"
	DAMAGED_IN_TRANSIT = "Damaged in Transit"
	WRONG_ITEM = "Wrong Item"
	MISSING_ITEM = "Missing Item"
	UNSHIPPED_CANCELLED = "Unshipped Order Cancelled"
	OTHER = "Other"

	@property
	def is_fault(self) -> bool:
		"""A fault on the seller's side: the goods or the shipment were not right."""
		return self in FAULT_REASONS

	@property
	def is_shipment_fault(self) -> bool:
		"""The seller sent the wrong thing, too little, or it broke or got lost on the way (seed 004)."""
		return self in SHIPMENT_FAULT_REASONS

	@property
	def needs_quality_inspection(self) -> bool:
		"""Quality-problem returns go to quality inspection, the rest to sales approval (SPEC §1)."""
		return self is ReasonCategory.QUALITY_PROBLEM


FAULT_REASONS = frozenset(
	{
		ReasonCategory.QUALITY_PROBLEM,
		ReasonCategory.NOT_AS_DESCRIBED,
		ReasonCategory.DAMAGED_IN_TRANSIT,
		ReasonCategory.WRONG_ITEM,
		ReasonCategory.MISSING_ITEM,
	}
)


SHIPMENT_FAULT_REASONS = frozenset(
	{
		ReasonCategory.NOT_AS_DESCRIBED,
		ReasonCategory.DAMAGED_IN_TRANSIT,
		ReasonCategory.WRONG_ITEM,
		ReasonCategory.MISSING_ITEM,
	}
)


class TimeLimit(Choice):
	"""Which windows a reason is held to."""

	WARRANTY_WINDOWS = "Warranty Windows"
	NO_TIME_LIMIT = "No Time Limit"


class Remedy(Choice):
	RETURN = "Return"
	EXCHANGE = "Exchange"
	REPAIR = "Repair"


# Most generous first; a decision lists its remedies in this order.
REMEDY_ORDER = (Remedy.RETURN, Remedy.EXCHANGE, Remedy.REPAIR)


class ShippingPayer(Choice):
	COMPANY = "Company"
	CUSTOMER = "Customer"
	SPLIT = "Split Half-Half"


class RequestType(Choice):
	REFUND_ONLY = "Refund Only"
	RETURN_AND_REFUND = "Return and Refund"
	EXCHANGE_SAME_ITEM = "Exchange Same Item"
	EXCHANGE_DIFFERENT_ITEM = "Exchange Different Item"
	REPAIR = "Repair"
	SPARE_UNIT = "Spare Unit"
	REISSUE = "Reissue"

	@property
	def remedy(self) -> Remedy:
		return {
			RequestType.REFUND_ONLY: Remedy.RETURN,
			RequestType.RETURN_AND_REFUND: Remedy.RETURN,
			RequestType.EXCHANGE_SAME_ITEM: Remedy.EXCHANGE,
			RequestType.EXCHANGE_DIFFERENT_ITEM: Remedy.EXCHANGE,
			RequestType.REPAIR: Remedy.REPAIR,
			# A spare sent ahead of the faulty unit, or a reissue of goods that never arrived whole,
			# replaces the goods: the policy must allow an exchange.
			RequestType.SPARE_UNIT: Remedy.EXCHANGE,
			RequestType.REISSUE: Remedy.EXCHANGE,
		}[self]


class Channel(Choice):
	ONLINE_PLATFORM = "Online Platform"
	HOTLINE = "Hotline"
	ONLINE_CHAT = "Online Chat"
	EMAIL = "Email"
	STORE_COUNTER = "Store Counter"


class Disposition(Choice):
	"""What happens to a returned line once it is received and inspected (SPEC §1)."""

	RESTOCK = "Restock"
	REWORK = "Rework"
	RETURN_TO_SUPPLIER = "Return to Supplier"
	SCRAP = "Scrap"


class RefundMethod(Choice):
	ORIGINAL_PAYMENT = "Original Payment Method"
	CASH_AT_STORE = "Cash at Store"


class InspectionResult(Choice):
	DEFECT_FOUND = "Defect Found"
	NO_DEFECT_FOUND = "No Defect Found"
