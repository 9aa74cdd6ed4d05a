"""Rules of compensation claims 賠償·索賠 (SPEC §6).

- A claim names the liable party: the carrier or the supplier (recovered from them 二次追償),
  an internal department or person (a finance deduction), or the customer (nothing is owed).
- Its appraisal 鑑定單 is reviewed twice, by two different people 初審·複審; a claim either
  reviewer disputes is re-ruled by a manager 改判 before it may be approved.
- Nothing is paid, recovered or deducted beyond the value of the goods claimed.
- Approval posts one document per non-zero amount: compensation to the customer, recovery from
  the liable carrier or supplier, deduction from the liable employee or department.
- The remedy decides what the customer is given for the loss, and only that: money (Compensation,
  or a Refund of the price, posted the same way), the goods sent again (Reissue), a coupon, or
  nothing. A loss paid for is not also reissued, and a reissued one not also paid for.
- Old parts 舊件 returned with a claim are received, checked, then restocked when good and
  scrapped or sent back to the supplier when bad.

Framework-free; money is `Decimal`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from aftersales_module.core.enums import Choice
from aftersales_module.core.messages import Message
from aftersales_module.core.returns import ZERO, _decimal, _non_negative, to_cents


class ClaimType(Choice):
	LOST = "Lost"
	DAMAGED = "Damaged"
	DELAYED = "Delayed"
	WRONG_SHIPMENT = "Wrong Shipment"
	QUALITY = "Quality"


class Anomaly(Choice):
	"""What went wrong with a shipment, as an inquiry ticket records it."""

	LOST = "Lost"
	DELAYED = "Delayed"
	RETURNED = "Returned"
	DAMAGED = "Damaged"
	WRONG_ITEM = "Wrong Item"


# A returned parcel is not a loss: the goods are back, so it is reissued rather than compensated.
CLAIM_TYPE_OF_ANOMALY = {
	Anomaly.LOST: ClaimType.LOST,
	Anomaly.DELAYED: ClaimType.DELAYED,
	Anomaly.DAMAGED: ClaimType.DAMAGED,
	Anomaly.WRONG_ITEM: ClaimType.WRONG_SHIPMENT,
}


class LiableParty(Choice):
	CARRIER = "Carrier"
	SUPPLIER = "Supplier"
	INTERNAL = "Internal"
	CUSTOMER = "Customer"


# Liable parties the company recovers from, as ERPNext Suppliers.
RECOVERABLE = (LiableParty.CARRIER, LiableParty.SUPPLIER)


class Verdict(Choice):
	CONFIRMED = "Confirmed"
	DISPUTED = "Disputed"


class Posting(Choice):
	COMPENSATION = "Compensation"
	RECOVERY = "Recovery"
	DEDUCTION = "Deduction"


class PartCondition(Choice):
	GOOD = "Good"
	BAD = "Bad"


class PartHandling(Choice):
	RESTOCK = "Restock"
	SCRAP = "Scrap"
	RETURN_TO_SUPPLIER = "Return to Supplier"


OLD_PART_RESTOCKED = "Old Part Restocked"
OLD_PART_SCRAPPED = "Old Part Scrapped"
OLD_PART_TO_SUPPLIER = "Old Part to Supplier"

# Stock Entry Types of old-part recovery, with their ERPNext purpose. Parts come in through the
# repair orders' "Old Part Received".
STOCK_ENTRY_TYPES = {
	OLD_PART_RESTOCKED: "Material Transfer",
	OLD_PART_SCRAPPED: "Material Issue",
	OLD_PART_TO_SUPPLIER: "Material Issue",
}

ENTRY_TYPE_OF_HANDLING = {
	PartHandling.RESTOCK: OLD_PART_RESTOCKED,
	PartHandling.SCRAP: OLD_PART_SCRAPPED,
	PartHandling.RETURN_TO_SUPPLIER: OLD_PART_TO_SUPPLIER,
}


# ---- appraisal -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
	reviewer: str | None = None
	verdict: Verdict | None = None

	@property
	def done(self) -> bool:
		return bool(self.reviewer and self.verdict)


@dataclass(frozen=True)
class Appraisal:
	findings: str | None
	first: Review = Review()
	second: Review = Review()
	ruled_by: str | None = None
	ruling: str | None = None

	@property
	def disputed(self) -> bool:
		return Verdict.DISPUTED in (self.first.verdict, self.second.verdict)


def check_review(appraisal: Appraisal, reviewer: str) -> Message | None:
	"""Why `reviewer` may not give the next review now; None when they may."""
	if not (appraisal.findings or "").strip():
		return Message("Write the appraisal findings before the claim is reviewed.")
	if not appraisal.first.done:
		return None
	if appraisal.second.done:
		return Message("This claim has had both its reviews.")
	if reviewer == appraisal.first.reviewer:
		return Message(
			"{0} gave the first review; the second review must be given by someone else.", reviewer
		)
	return None


def check_ruling(appraisal: Appraisal, manager: str, ruling: str | None) -> Message | None:
	if not appraisal.second.done:
		return Message("A claim is ruled on after both reviews.")
	if not appraisal.disputed:
		return Message("Only a disputed appraisal needs a manager's ruling.")
	if manager in (appraisal.first.reviewer, appraisal.second.reviewer):
		return Message(
			"{0} reviewed this appraisal; the ruling must come from a manager who did not.", manager
		)
	if not (ruling or "").strip():
		return Message("Write the ruling: what was decided and why.")
	return None


def check_appraisal_complete(appraisal: Appraisal) -> Message | None:
	"""Why the claim may not be approved yet; None when its appraisal is complete."""
	if not appraisal.first.done:
		return Message("The claim needs its first review before it is approved.")
	if not appraisal.second.done:
		return Message("The claim needs its second review, by another person, before it is approved.")
	if appraisal.disputed and not (appraisal.ruled_by and (appraisal.ruling or "").strip()):
		return Message("A reviewer disputed the appraisal; a manager must rule on it before it is approved.")
	return None


# ---- amounts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimLine:
	item_code: str
	qty: Decimal
	rate: Decimal

	@property
	def amount(self) -> Decimal:
		return to_cents(_decimal(self.qty, "Quantity") * _decimal(self.rate, "Value"))


@dataclass(frozen=True)
class Settlement:
	"""What an approved claim pays the customer, recovers and deducts."""

	liable_party: LiableParty
	compensation: Decimal = ZERO
	recovery: Decimal = ZERO
	deduction: Decimal = ZERO


def claimed_value(lines: Iterable[ClaimLine]) -> Decimal:
	total = ZERO
	for line in lines:
		_non_negative(line.qty, f"Item {line.item_code} quantity")
		_non_negative(line.rate, f"Item {line.item_code} value")
		total += line.amount
	return total


# One sentence per amount, so each translates whole.
NEGATIVE_AMOUNT = {
	Posting.COMPENSATION: "The compensation amount cannot be negative.",
	Posting.RECOVERY: "The recovery amount cannot be negative.",
	Posting.DEDUCTION: "The deduction amount cannot be negative.",
}
AMOUNT_OVER_CLAIM = {
	Posting.COMPENSATION: "The compensation amount {0} is more than the value claimed, {1}.",
	Posting.RECOVERY: "The recovery amount {0} is more than the value claimed, {1}.",
	Posting.DEDUCTION: "The deduction amount {0} is more than the value claimed, {1}.",
}


def check_settlement(settlement: Settlement, claimed: Decimal) -> list[Message]:
	"""Every reason the amounts do not fit the claim; empty when they do."""
	problems = []
	amounts = {
		Posting.COMPENSATION: _decimal(settlement.compensation, "Compensation"),
		Posting.RECOVERY: _decimal(settlement.recovery, "Recovery"),
		Posting.DEDUCTION: _decimal(settlement.deduction, "Deduction"),
	}
	claimed_cents = to_cents(_decimal(claimed, "Claimed value"))
	for posting, amount in amounts.items():
		if amount < 0:
			problems.append(Message(NEGATIVE_AMOUNT[posting]))
		elif to_cents(amount) > claimed_cents:
			problems.append(Message(AMOUNT_OVER_CLAIM[posting], to_cents(amount), claimed_cents))
	if settlement.liable_party == LiableParty.CUSTOMER and amounts[Posting.COMPENSATION] > 0:
		problems.append(Message("The customer is liable, so no compensation is owed to them."))
	if amounts[Posting.RECOVERY] > 0 and settlement.liable_party not in RECOVERABLE:
		problems.append(Message("Only a liable carrier or supplier is recovered from."))
	if amounts[Posting.DEDUCTION] > 0 and settlement.liable_party != LiableParty.INTERNAL:
		problems.append(Message("Only an internal department or person is charged a deduction."))
	return problems


def plan_postings(settlement: Settlement) -> list[tuple[Posting, Decimal]]:
	"""The documents approval posts, in order: each purpose with a non-zero amount."""
	planned = [
		(Posting.COMPENSATION, settlement.compensation),
		(Posting.RECOVERY, settlement.recovery),
		(Posting.DEDUCTION, settlement.deduction),
	]
	amounts = [(posting, to_cents(_decimal(amount, posting.value))) for posting, amount in planned]
	return [(posting, amount) for posting, amount in amounts if amount > 0]


def net_cost(compensation: Decimal, recovery: Decimal, deduction: Decimal) -> Decimal:
	"""What the claim costs the company after it has recovered and deducted."""
	return to_cents(
		_decimal(compensation, "Compensation")
		- _decimal(recovery, "Recovery")
		- _decimal(deduction, "Deduction")
	)


# ---- remedy -------------------------------------------------------------------------------------------


class ClaimRemedy(Choice):
	COMPENSATION = "Compensation"
	REFUND = "Refund"
	REISSUE = "Reissue"
	COUPON = "Coupon"
	NONE = "None"


# Remedies that pay the customer money, posted as the compensation document.
PAID_REMEDIES = (ClaimRemedy.COMPENSATION, ClaimRemedy.REFUND)


@dataclass(frozen=True)
class GivenForLoss:
	"""What the customer has already been given for the claimed loss, by name of the live document."""

	paid_by: str | None = None
	reissue: str | None = None


def check_remedy(remedy: ClaimRemedy, compensation: Decimal, coupon_code: str | None) -> list[Message]:
	"""Every reason the amounts and coupon do not fit the remedy; empty when they do."""
	remedy = ClaimRemedy(remedy)
	problems = []
	if remedy not in PAID_REMEDIES and _decimal(compensation, "Compensation") > 0:
		problems.append(
			Message(
				"The remedy is {0}, so nothing is paid to the customer: set Paid to Customer to 0, or choose the remedy Compensation or Refund.",
				remedy,
			)
		)
	if remedy == ClaimRemedy.COUPON and not (coupon_code or "").strip():
		problems.append(Message("The remedy is Coupon: enter the coupon code given to the customer."))
	return problems


def check_payment(remedy: ClaimRemedy, given: GivenForLoss) -> Message | None:
	"""Why the customer may not be paid for the loss now; None when they may."""
	remedy = ClaimRemedy(remedy)
	if remedy not in PAID_REMEDIES:
		return Message("The remedy is {0}: the customer is not paid for the loss.", remedy)
	if given.reissue:
		return Message(
			"Reissue {0} already replaces this loss; the remedy {1} cannot also pay the customer for it.",
			given.reissue,
			remedy,
		)
	return None


def check_reissue(remedy: ClaimRemedy, given: GivenForLoss) -> Message | None:
	"""Why the claimed goods may not be sent again now; None when they may."""
	remedy = ClaimRemedy(remedy)
	if remedy != ClaimRemedy.REISSUE:
		return Message("The remedy is {0}, not Reissue: the goods are not sent again for this loss.", remedy)
	if given.paid_by:
		return Message(
			"{0} already paid the customer for this loss; the remedy {1} cannot also send the goods again.",
			given.paid_by,
			remedy,
		)
	if given.reissue:
		return Message("Reissue {0} already replaces this loss.", given.reissue)
	return None


def plan_remedy_postings(
	settlement: Settlement, remedy: ClaimRemedy, given: GivenForLoss
) -> list[tuple[Posting, Decimal]]:
	"""The documents approval posts under the remedy; raises when the customer would be paid for a
	loss the remedy does not pay, or one already replaced."""
	planned = plan_postings(settlement)
	if any(posting == Posting.COMPENSATION for posting, _amount in planned):
		problem = check_payment(remedy, given)
		if problem:
			raise ValueError(problem)
	return planned


# ---- cost ledger ---------------------------------------------------------------------------------------


class CostCategory(Choice):
	LABOUR = "Labour"
	MATERIAL = "Material"
	FREIGHT = "Freight"
	COMPENSATION = "Compensation"


def cost_ledger(entries: Iterable[tuple[CostCategory, Decimal]]) -> dict[CostCategory, Decimal]:
	"""Sum of each category over the linked documents, every category present."""
	ledger = {category: ZERO for category in CostCategory}
	for category, amount in entries:
		ledger[CostCategory(category)] += to_cents(_decimal(amount, str(category)))
	return ledger


# ---- old parts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OldPart:
	line_key: str
	item_code: str
	received: bool
	condition: PartCondition | None
	handling: PartHandling | None
	handled: bool = False


def default_handling(condition: PartCondition | None) -> PartHandling | None:
	"""A good part is cleaned and restocked; a bad one is scrapped unless the appraisal says otherwise."""
	if condition == PartCondition.GOOD:
		return PartHandling.RESTOCK
	if condition == PartCondition.BAD:
		return PartHandling.SCRAP
	return None


def plan_old_part_handling(parts: Sequence[OldPart]) -> dict[str, list[str]]:
	"""Lines to post per Stock Entry Type; raises when a received part has not been checked or a
	good part would be thrown away or a bad one restocked."""
	plan: dict[str, list[str]] = {}
	for part in parts:
		if not part.received or part.handled:
			continue
		if part.condition is None or part.handling is None:
			raise ValueError(
				Message("Old part {0}: check it (Good or Bad) before it is handled.", part.item_code)
			)
		if part.condition == PartCondition.BAD and part.handling == PartHandling.RESTOCK:
			raise ValueError(Message("Old part {0} is bad and cannot be restocked.", part.item_code))
		if part.condition == PartCondition.GOOD and part.handling != PartHandling.RESTOCK:
			raise ValueError(Message("Old part {0} is good; restock it.", part.item_code))
		plan.setdefault(ENTRY_TYPE_OF_HANDLING[part.handling], []).append(part.line_key)
	return plan
