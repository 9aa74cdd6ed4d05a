"""Warranty policy engine 三包 (SPEC §8).

Given what a policy promises and the facts of one claim, decide which remedies
the customer is entitled to, who pays the return shipping, and which rule
decided, as a sentence the form can show.

Windows count calendar days from the day the customer received the goods (seed
001: 收到商品後七天內): the receipt date recorded for the sale, else the dispatch
(delivery, or invoice when the goods were never delivered separately) plus the
policy's days in transit; a policy may count the 三包 windows of faults from the
purchase instead (seed 003). Received on the 1st with a 7-day window, a request on
the 8th is day 7 and still inside, on the 9th it is day 8 and out. Accessory
periods count calendar months the same way.
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from aftersales_module.core.enums import REMEDY_ORDER, ReasonCategory, Remedy, ShippingPayer, TimeLimit
from aftersales_module.core.messages import Message

DEFAULT_SHIPPING_RULES: Mapping[ReasonCategory, ShippingPayer] = {
	# Seed 003: a verified quality fault within the 7/15-day windows, both ways split half-half.
	ReasonCategory.QUALITY_PROBLEM: ShippingPayer.SPLIT,
	# Our mistakes: the company pays the postage (seed 003 商品不符, seed 004 錯發·損壞).
	ReasonCategory.NOT_AS_DESCRIBED: ShippingPayer.COMPANY,
	ReasonCategory.DAMAGED_IN_TRANSIT: ShippingPayer.COMPANY,
	ReasonCategory.WRONG_ITEM: ShippingPayer.COMPANY,
	ReasonCategory.MISSING_ITEM: ShippingPayer.COMPANY,
	ReasonCategory.UNSHIPPED_CANCELLED: ShippingPayer.COMPANY,
	# Personal reasons: the customer pays both ways.
	ReasonCategory.PERSONAL_REASON: ShippingPayer.CUSTOMER,
	ReasonCategory.OTHER: ShippingPayer.CUSTOMER,
}

# Seed 004 handles a lost, damaged, late or wrong shipment with no time limit; seed 003 holds quality
# faults to the 三包 windows and personal reasons to the 7-day no-reason return.
DEFAULT_TIME_LIMITS: Mapping[ReasonCategory, TimeLimit] = {
	reason: TimeLimit.NO_TIME_LIMIT if reason.is_shipment_fault else TimeLimit.WARRANTY_WINDOWS
	for reason in ReasonCategory
}

NOT_ELIGIBLE_ALTERNATIVES = ("Paid repair", "Coupon", "Goodwill compensation")


@dataclass(frozen=True)
class AccessoryPeriod:
	"""A row of the policy's accessory table: its own warranty in months, or a gift not covered."""

	months: int
	item_code: str | None = None
	item_group: str | None = None
	not_covered: bool = False

	@property
	def label(self) -> str:
		return self.item_code or self.item_group or "accessory"


@dataclass(frozen=True)
class PolicyTerms:
	name: str
	return_days: int = 7
	exchange_days: int = 15
	repair_days: int = 365
	require_original_packaging: bool = True
	require_no_man_made_damage: bool = True
	require_resellable_for_personal_reason: bool = True
	# 三包 as written (seed 003): a return needs the appearance unscratched and the accessories
	# undamaged (外觀無劃傷、附件無損壞); an exchange needs the appearance unscratched.
	require_intact_appearance: bool = True
	shipping_rules: Mapping[ReasonCategory, ShippingPayer] = field(
		default_factory=lambda: dict(DEFAULT_SHIPPING_RULES)
	)

	time_limits: Mapping[ReasonCategory, TimeLimit] = field(default_factory=lambda: dict(DEFAULT_TIME_LIMITS))
	# When no receipt date is recorded, the goods are taken as received this many days after dispatch.
	transit_days: int = 0
	# Seed 003 counts the 三包 windows of a fault from the purchase, not from receipt.
	faults_count_from_purchase: bool = False

	def shipping_payer(self, reason: ReasonCategory) -> ShippingPayer:
		return self.shipping_rules.get(reason) or DEFAULT_SHIPPING_RULES[reason]

	def time_limit(self, reason: ReasonCategory) -> TimeLimit:
		return self.time_limits.get(reason) or DEFAULT_TIME_LIMITS[reason]


@dataclass(frozen=True)
class WarrantyClaim:
	requested_on: date
	reason: ReasonCategory
	delivered_on: date | None = None
	invoiced_on: date | None = None
	# The day the customer received the goods, when the carrier or staff recorded it.
	received_on: date | None = None
	# The accessory row of the policy that matches the item, if the item is an accessory or a gift.
	accessory: AccessoryPeriod | None = None
	original_packaging: bool = True
	man_made_damage: bool = False
	resellable: bool = True
	appearance_intact: bool = True
	accessories_intact: bool = True

	@property
	def sent_on(self) -> date:
		"""The day the goods left: their delivery, or the invoice when it shipped them itself."""
		sent_on = self.delivered_on or self.invoiced_on
		if not sent_on:
			raise ValueError(Message("A warranty claim needs a delivery or invoice date to count from."))
		return sent_on


def counting_from(policy: "PolicyTerms", claim: WarrantyClaim) -> date:
	"""The day a claim's windows start: the purchase for a fault where the policy says so, else the
	day the customer received the goods (recorded, or estimated from dispatch and transit time)."""
	if policy.faults_count_from_purchase and claim.reason.is_fault:
		return claim.invoiced_on or claim.sent_on
	if claim.received_on:
		if claim.received_on < claim.sent_on:
			raise ValueError(
				Message(
					"The goods cannot have been received on {0}, before they were sent on {1}.",
					claim.received_on,
					claim.sent_on,
				)
			)
		return claim.received_on
	return claim.sent_on + timedelta(days=policy.transit_days)


def days_elapsed(policy: "PolicyTerms", claim: WarrantyClaim) -> int:
	"""Calendar days from the start of the windows to the request; a request made before the
	estimated receipt counts as day 0 (the customer evidently has the goods)."""
	if claim.requested_on < claim.sent_on:
		raise ValueError(
			Message(
				"The request date {0} is before the goods were sent on {1}.",
				claim.requested_on,
				claim.sent_on,
			)
		)
	return max((claim.requested_on - counting_from(policy, claim)).days, 0)


@dataclass(frozen=True)
class WarrantyDecision:
	remedies: tuple[Remedy, ...]
	shipping_payer: ShippingPayer
	rule: Message
	days_elapsed: int
	alternatives: tuple[str, ...] = ()

	@property
	def eligible(self) -> bool:
		return bool(self.remedies)

	@property
	def default_remedy(self) -> Remedy | None:
		return self.remedies[0] if self.remedies else None

	def allows(self, remedy: Remedy) -> bool:
		return remedy in self.remedies


def add_months(start: date, months: int) -> date:
	"""The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
	month_index = start.month - 1 + months
	year, month = start.year + month_index // 12, month_index % 12 + 1
	day = min(start.day, calendar.monthrange(year, month)[1])
	return date(year, month, day)


def decide(policy: PolicyTerms, claim: WarrantyClaim) -> WarrantyDecision:
	validate_policy(policy)
	days = days_elapsed(policy, claim)

	if claim.reason is ReasonCategory.UNSHIPPED_CANCELLED:
		return _decision(
			(Remedy.RETURN,),
			ShippingPayer.COMPANY,
			Message("An order cancelled before it shipped is always refunded; no goods come back."),
			days,
		)
	if claim.accessory and claim.accessory.not_covered:
		return _not_covered(
			claim,
			days,
			Message("{0} is a gift and is not covered by policy {1}.", claim.accessory.label, policy.name),
		)
	if claim.man_made_damage and policy.require_no_man_made_damage:
		return _not_covered(
			claim,
			days,
			Message(
				"Man-made damage is not covered by policy {0}; the customer pays shipping both ways.",
				policy.name,
			),
			shipping_payer=ShippingPayer.CUSTOMER,
		)
	if claim.reason.is_fault and policy.time_limit(claim.reason) is TimeLimit.NO_TIME_LIMIT:
		return _decide_without_time_limit(policy, claim, days)
	if claim.reason.is_fault:
		return _decide_fault(policy, claim, days)
	return _decide_personal_reason(policy, claim, days)


def _decide_without_time_limit(policy: PolicyTerms, claim: WarrantyClaim, days: int) -> WarrantyDecision:
	"""The seller's own mistake: refunded or sent again whenever it is reported; goods damaged on the way
	may also be repaired (seed 004)."""
	remedies = (Remedy.RETURN, Remedy.EXCHANGE)
	if claim.reason is ReasonCategory.DAMAGED_IN_TRANSIT:
		remedies += (Remedy.REPAIR,)
	return _decision(
		remedies,
		policy.shipping_payer(claim.reason),
		Message(
			"{0} reported on day {1}: the seller's fault, with no time limit under policy {2}.",
			claim.reason,
			days,
			policy.name,
		),
		days,
	)


def _decide_fault(policy: PolicyTerms, claim: WarrantyClaim, days: int) -> WarrantyDecision:
	payer = policy.shipping_payer(claim.reason)
	if claim.accessory:
		return _decide_accessory(policy, claim, days, payer)

	packaging_ok = claim.original_packaging or not policy.require_original_packaging
	unscratched = claim.appearance_intact or not policy.require_intact_appearance
	accessories_ok = claim.accessories_intact or not policy.require_intact_appearance
	if days <= policy.exchange_days and not unscratched:
		remedies = (Remedy.REPAIR,)
		rule = Message(
			"{0} reported on day {1}: the appearance is scratched, so policy {2} allows neither a return "
			"nor an exchange, only the free repair.",
			claim.reason,
			days,
			policy.name,
		)
	elif days <= policy.return_days and not accessories_ok:
		remedies = (Remedy.EXCHANGE, Remedy.REPAIR)
		rule = Message(
			"{0} reported on day {1}: within the {2}-day return window of policy {3}, "
			"but with damaged accessories it cannot be returned.",
			claim.reason,
			days,
			policy.return_days,
			policy.name,
		)
	elif days <= policy.return_days and packaging_ok:
		remedies = (Remedy.RETURN, Remedy.EXCHANGE, Remedy.REPAIR)
		rule = Message(
			"{0} reported on day {1}: within the {2}-day return window of policy {3}.",
			claim.reason,
			days,
			policy.return_days,
			policy.name,
		)
	elif days <= policy.return_days:
		remedies = (Remedy.EXCHANGE, Remedy.REPAIR)
		rule = Message(
			"{0} reported on day {1}: within the {2}-day return window of policy {3}, "
			"but without the original packaging it cannot be returned.",
			claim.reason,
			days,
			policy.return_days,
			policy.name,
		)
	elif days <= policy.exchange_days:
		remedies = (Remedy.EXCHANGE, Remedy.REPAIR)
		rule = Message(
			"{0} reported on day {1}: past the {2}-day return window, within the {3}-day exchange window of policy {4}.",
			claim.reason,
			days,
			policy.return_days,
			policy.exchange_days,
			policy.name,
		)
	elif days <= policy.repair_days:
		remedies = (Remedy.REPAIR,)
		rule = Message(
			"{0} reported on day {1}: past the {2}-day exchange window, within the {3}-day free repair window of policy {4}.",
			claim.reason,
			days,
			policy.exchange_days,
			policy.repair_days,
			policy.name,
		)
	else:
		return _not_covered(
			claim,
			days,
			Message(
				"Day {0} is past the {1}-day free repair window of policy {2}.",
				days,
				policy.repair_days,
				policy.name,
			),
			shipping_payer=ShippingPayer.CUSTOMER,
		)
	return _decision(remedies, payer, rule, days)


def _decide_accessory(policy: PolicyTerms, claim: WarrantyClaim, days: int, payer) -> WarrantyDecision:
	"""An accessory with a fault is exchanged for the same model within its own period, not returned
	(seed 003: 可更換同種型號移動電話機附件)."""
	accessory = claim.accessory
	ends_on = add_months(counting_from(policy, claim), accessory.months)
	rule = Message(
		"Accessory {0}: exchanged for the same model within its {1}-month warranty until {2} (policy {3}); requested on day {4}.",
		accessory.label,
		accessory.months,
		ends_on,
		policy.name,
		days,
	)
	if claim.requested_on > ends_on:
		return _not_covered(claim, days, rule)
	return _decision((Remedy.EXCHANGE,), payer, rule, days)


def _decide_personal_reason(policy: PolicyTerms, claim: WarrantyClaim, days: int) -> WarrantyDecision:
	payer = policy.shipping_payer(claim.reason)
	if days > policy.return_days:
		return _not_covered(
			claim,
			days,
			Message(
				"Day {0} is past the {1}-day no-reason return window of policy {2}.",
				days,
				policy.return_days,
				policy.name,
			),
			shipping_payer=payer,
		)
	if policy.require_resellable_for_personal_reason and not claim.resellable:
		return _not_covered(
			claim,
			days,
			Message(
				"A return for a personal reason needs goods that can be sold again (policy {0}).", policy.name
			),
			shipping_payer=payer,
		)
	if policy.require_original_packaging and not (claim.original_packaging and claim.accessories_intact):
		return _not_covered(
			claim,
			days,
			Message(
				"A return for a personal reason needs the goods as sold: original packaging, accessories, "
				"manual, warranty card, invoice and labels (policy {0}).",
				policy.name,
			),
			shipping_payer=payer,
		)
	return _decision(
		(Remedy.RETURN, Remedy.EXCHANGE),
		payer,
		Message(
			"{0} on day {1}: within the {2}-day no-reason return window of policy {3}; the customer pays shipping.",
			claim.reason,
			days,
			policy.return_days,
			policy.name,
		),
		days,
	)


def _decision(remedies, payer: ShippingPayer, rule: Message, days: int) -> WarrantyDecision:
	ordered = tuple(remedy for remedy in REMEDY_ORDER if remedy in remedies)
	return WarrantyDecision(remedies=ordered, shipping_payer=payer, rule=rule, days_elapsed=days)


def _not_covered(
	claim: WarrantyClaim, days: int, rule: Message, shipping_payer: ShippingPayer = ShippingPayer.CUSTOMER
) -> WarrantyDecision:
	return WarrantyDecision(
		remedies=(),
		shipping_payer=shipping_payer,
		rule=rule,
		days_elapsed=days,
		alternatives=NOT_ELIGIBLE_ALTERNATIVES,
	)


class PolicyError(ValueError):
	"""The policy itself is inconsistent; the message says what to fix."""


def policy_errors(policy: PolicyTerms, accessories: tuple[AccessoryPeriod, ...] = ()) -> list[Message]:
	"""Everything wrong with a policy, as sentences for the form."""
	errors = []
	for label, days in (
		("Return window", policy.return_days),
		("Exchange window", policy.exchange_days),
		("Free repair window", policy.repair_days),
		("Days in transit", policy.transit_days),
	):
		if days < 0:
			errors.append(Message("{0} cannot be negative ({1} days).", label, days))
	if policy.return_days > policy.exchange_days:
		errors.append(
			Message(
				"The return window ({0} days) cannot be longer than the exchange window ({1} days).",
				policy.return_days,
				policy.exchange_days,
			)
		)
	if policy.exchange_days > policy.repair_days:
		errors.append(
			Message(
				"The exchange window ({0} days) cannot be longer than the free repair window ({1} days).",
				policy.exchange_days,
				policy.repair_days,
			)
		)
	seen = set()
	for row, accessory in enumerate(accessories, start=1):
		if not (accessory.item_code or accessory.item_group):
			errors.append(Message("Accessory row {0}: set an item or an item group.", row))
		if accessory.item_code and accessory.item_group:
			errors.append(Message("Accessory row {0}: set an item or an item group, not both.", row))
		if accessory.months < 0:
			errors.append(
				Message(
					"Accessory row {0}: the warranty cannot be negative ({1} months).", row, accessory.months
				)
			)
		key = (accessory.item_code, accessory.item_group)
		if any(key) and key in seen:
			errors.append(Message("Accessory row {0}: {1} is listed twice.", row, accessory.label))
		seen.add(key)
	return errors


def validate_policy(policy: PolicyTerms, accessories: tuple[AccessoryPeriod, ...] = ()) -> None:
	errors = policy_errors(policy, accessories)
	if errors:
		raise PolicyError(" ".join(errors))


def match_accessory(
	accessories: tuple[AccessoryPeriod, ...], item_code: str, item_group_ancestry: tuple[str, ...]
) -> AccessoryPeriod | None:
	"""The accessory row for an item: its own row first, else the nearest item group.

	`item_group_ancestry` lists the item's group first, then its parents up to the root.
	"""
	for accessory in accessories:
		if accessory.item_code and accessory.item_code == item_code:
			return accessory
	for group in item_group_ancestry:
		for accessory in accessories:
			if accessory.item_group and accessory.item_group == group:
				return accessory
	return None
