"""Tests of the 三包 warranty engine (aftersales_module.core.warranty), framework-free.

The default policy is China's mobile-phone 三包: return within 7 days, exchange within 15 days
(host unit only), free repair within 365 days; accessories by their own months; gifts not covered.
Days count calendar days from delivery (or the invoice date): delivered 2026-01-01, a request on
2026-01-08 is day 7, on 2026-01-09 day 8.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.enums import REMEDY_ORDER, ReasonCategory, Remedy, ShippingPayer, TimeLimit
from aftersales_module.core.warranty import (
	DEFAULT_SHIPPING_RULES,
	NOT_ELIGIBLE_ALTERNATIVES,
	AccessoryPeriod,
	PolicyError,
	PolicyTerms,
	WarrantyClaim,
	add_months,
	counting_from,
	days_elapsed,
	decide,
	match_accessory,
	policy_errors,
	validate_policy,
)

RETURN, EXCHANGE, REPAIR = Remedy.RETURN, Remedy.EXCHANGE, Remedy.REPAIR
QUALITY = ReasonCategory.QUALITY_PROBLEM
PERSONAL = ReasonCategory.PERSONAL_REASON
UNSHIPPED = ReasonCategory.UNSHIPPED_CANCELLED

POLICY_NAME = "Mobile Phone 三包"
POLICY = PolicyTerms(name=POLICY_NAME)
DELIVERED = date(2026, 1, 1)

BATTERY = AccessoryPeriod(months=6, item_group="Battery")
HEADSET = AccessoryPeriod(months=3, item_group="Wired Headset")
MEMORY_CARD = AccessoryPeriod(months=3, item_group="Memory Card")
CHARGER = AccessoryPeriod(months=12, item_group="Charger")
GIFT = AccessoryPeriod(months=0, item_group="Gift", not_covered=True)
PHONE_ACCESSORIES = (BATTERY, HEADSET, MEMORY_CARD, CHARGER, GIFT)


def claim_on_day(days: int, reason: ReasonCategory = QUALITY, **facts) -> WarrantyClaim:
	"""A claim for goods delivered on DELIVERED, requested `days` calendar days later."""
	return WarrantyClaim(
		requested_on=DELIVERED + timedelta(days=days), reason=reason, delivered_on=DELIVERED, **facts
	)


def assert_not_eligible(decision) -> None:
	assert decision.remedies == ()
	assert not decision.eligible
	assert decision.default_remedy is None
	assert decision.alternatives == NOT_ELIGIBLE_ALTERNATIVES
	assert decision.rule.strip()


# ---- 1. host unit, quality problem: every window edge of the default policy ---------------------------

HOST_EDGES = [
	pytest.param(0, (RETURN, EXCHANGE, REPAIR), ShippingPayer.SPLIT, id="day-0-delivery-day"),
	pytest.param(7, (RETURN, EXCHANGE, REPAIR), ShippingPayer.SPLIT, id="day-7-last-return-day"),
	pytest.param(8, (EXCHANGE, REPAIR), ShippingPayer.SPLIT, id="day-8-first-exchange-only-day"),
	pytest.param(15, (EXCHANGE, REPAIR), ShippingPayer.SPLIT, id="day-15-last-exchange-day"),
	pytest.param(16, (REPAIR,), ShippingPayer.SPLIT, id="day-16-first-repair-only-day"),
	pytest.param(365, (REPAIR,), ShippingPayer.SPLIT, id="day-365-last-free-repair-day"),
	pytest.param(366, (), ShippingPayer.CUSTOMER, id="day-366-out-of-warranty"),
]


@pytest.mark.parametrize(("days", "remedies", "payer"), HOST_EDGES)
def test_host_unit_quality_problem_at_window_edges(days, remedies, payer):
	decision = decide(POLICY, claim_on_day(days))

	assert decision.remedies == remedies
	assert decision.shipping_payer is payer
	assert decision.days_elapsed == days
	assert decision.eligible == bool(remedies)
	assert decision.alternatives == (() if remedies else NOT_ELIGIBLE_ALTERNATIVES)


@pytest.mark.parametrize(("days", "remedies", "payer"), HOST_EDGES)
def test_host_unit_rule_names_the_policy_and_the_day(days, remedies, payer):
	rule = decide(POLICY, claim_on_day(days)).rule

	assert POLICY_NAME in rule
	assert f"day {days}" in rule.lower()


@pytest.mark.parametrize(
	("requested_on", "days", "remedies"),
	[
		pytest.param(date(2026, 1, 8), 7, (RETURN, EXCHANGE, REPAIR), id="jan-8-is-day-7-inside"),
		pytest.param(date(2026, 1, 9), 8, (EXCHANGE, REPAIR), id="jan-9-is-day-8-outside"),
		pytest.param(date(2026, 1, 16), 15, (EXCHANGE, REPAIR), id="jan-16-is-day-15-inside"),
		pytest.param(date(2026, 1, 17), 16, (REPAIR,), id="jan-17-is-day-16-outside"),
	],
)
def test_days_are_calendar_days_from_delivery(requested_on, days, remedies):
	claim = WarrantyClaim(requested_on=requested_on, reason=QUALITY, delivered_on=date(2026, 1, 1))
	decision = decide(POLICY, claim)

	assert days_elapsed(POLICY, claim) == days
	assert decision.days_elapsed == days
	assert decision.remedies == remedies


def test_invoice_date_is_the_fallback_when_never_delivered():
	claim = WarrantyClaim(
		requested_on=date(2026, 1, 9), reason=QUALITY, delivered_on=None, invoiced_on=date(2026, 1, 1)
	)
	decision = decide(POLICY, claim)

	assert counting_from(POLICY, claim) == date(2026, 1, 1)
	assert decision.days_elapsed == 8
	assert decision.remedies == (EXCHANGE, REPAIR)


def test_delivery_date_wins_over_invoice_date():
	claim = WarrantyClaim(
		requested_on=date(2026, 1, 9),
		reason=QUALITY,
		delivered_on=date(2026, 1, 5),
		invoiced_on=date(2026, 1, 1),
	)

	assert counting_from(POLICY, claim) == date(2026, 1, 5)
	assert decide(POLICY, claim).days_elapsed == 4


def test_claim_with_neither_delivery_nor_invoice_date_is_rejected():
	claim = WarrantyClaim(requested_on=date(2026, 1, 9), reason=QUALITY)

	with pytest.raises(ValueError, match="delivery or invoice date"):
		decide(POLICY, claim)


def test_request_before_delivery_is_rejected():
	with pytest.raises(ValueError, match="before the goods were sent"):
		decide(POLICY, claim_on_day(-1))


# ---- when the windows start: receipt, or purchase for faults where the policy says so -------------------

SENT = date(2026, 1, 1)


def test_the_no_reason_week_counts_from_receipt():
	"""Seed 001: 收到商品後七天內. Sent on the 1st and received on the 4th, a request on the 10th is
	day 9 after dispatch, out of the week, but day 6 after receipt, inside it."""
	received = WarrantyClaim(
		requested_on=date(2026, 1, 10), reason=PERSONAL, delivered_on=SENT, received_on=date(2026, 1, 4)
	)
	assert decide(POLICY, received).days_elapsed == 6
	assert decide(POLICY, received).remedies == (RETURN, EXCHANGE)
	assert not decide(
		POLICY, WarrantyClaim(requested_on=date(2026, 1, 10), reason=PERSONAL, delivered_on=SENT)
	).eligible


def test_without_a_receipt_date_the_policy_transit_time_is_added_to_dispatch():
	policy = PolicyTerms(name="Three days on the road", transit_days=3)
	claim = WarrantyClaim(requested_on=date(2026, 1, 10), reason=PERSONAL, delivered_on=SENT)
	assert counting_from(policy, claim) == date(2026, 1, 4)
	assert decide(policy, claim).days_elapsed == 6


def test_a_request_before_the_estimated_receipt_is_day_zero():
	policy = PolicyTerms(name="Slow post", transit_days=5)
	claim = WarrantyClaim(requested_on=date(2026, 1, 2), reason=QUALITY, delivered_on=SENT)
	assert decide(policy, claim).days_elapsed == 0


def test_a_policy_may_count_the_fault_windows_from_the_purchase():
	policy = PolicyTerms(name="三包 from purchase", faults_count_from_purchase=True)
	claim = WarrantyClaim(
		requested_on=date(2026, 1, 16),
		reason=QUALITY,
		invoiced_on=SENT,
		delivered_on=date(2026, 1, 3),
		received_on=date(2026, 1, 5),
	)
	assert decide(policy, claim).days_elapsed == 15
	assert decide(POLICY, claim).days_elapsed == 11
	# The no-reason week still counts from receipt.
	personal = WarrantyClaim(
		requested_on=date(2026, 1, 12), reason=PERSONAL, invoiced_on=SENT, received_on=date(2026, 1, 5)
	)
	assert decide(policy, personal).days_elapsed == 7


def test_a_receipt_before_dispatch_is_refused():
	claim = WarrantyClaim(
		requested_on=date(2026, 1, 9), reason=QUALITY, delivered_on=SENT, received_on=date(2025, 12, 30)
	)
	with pytest.raises(ValueError, match="before they were sent"):
		decide(POLICY, claim)


@pytest.mark.parametrize(
	"reason",
	[
		ReasonCategory.NOT_AS_DESCRIBED,
		ReasonCategory.DAMAGED_IN_TRANSIT,
		ReasonCategory.WRONG_ITEM,
		ReasonCategory.MISSING_ITEM,
	],
	ids=lambda reason: reason.name,
)
def test_seller_faults_have_no_time_limit_and_the_company_pays(reason):
	"""Seed 004: a lost, damaged or wrong shipment is reissued or refunded whenever it is reported,
	with the company paying the freight both ways."""
	for days in (3, 10, 100, 400, 2000):
		decision = decide(POLICY, claim_on_day(days, reason))
		assert RETURN in decision.remedies and EXCHANGE in decision.remedies, (days, decision.remedies)
		assert decision.shipping_payer is ShippingPayer.COMPANY
		assert "no time limit" in decision.rule


def test_only_goods_damaged_on_the_way_may_also_be_repaired():
	assert decide(POLICY, claim_on_day(40, ReasonCategory.DAMAGED_IN_TRANSIT)).remedies == (
		RETURN,
		EXCHANGE,
		REPAIR,
	)
	assert decide(POLICY, claim_on_day(40, ReasonCategory.WRONG_ITEM)).remedies == (RETURN, EXCHANGE)


def test_a_policy_can_hold_a_seller_fault_to_the_warranty_windows():
	policy = PolicyTerms(
		name="Strict",
		time_limits={ReasonCategory.NOT_AS_DESCRIBED: TimeLimit.WARRANTY_WINDOWS},
	)
	assert decide(policy, claim_on_day(10, ReasonCategory.NOT_AS_DESCRIBED)).remedies == (EXCHANGE, REPAIR)
	assert decide(policy, claim_on_day(10, ReasonCategory.WRONG_ITEM)).remedies == (RETURN, EXCHANGE)


def test_quality_faults_keep_the_warranty_windows():
	assert decide(POLICY, claim_on_day(10, QUALITY)).remedies == (EXCHANGE, REPAIR)
	assert decide(POLICY, claim_on_day(100, QUALITY)).remedies == (REPAIR,)


# ---- 2. personal reason: 7-day no-reason return ---------------------------------------------------------


@pytest.mark.parametrize("days", [0, 7], ids=["day-0", "day-7-last-day"])
def test_personal_reason_inside_seven_days(days):
	decision = decide(POLICY, claim_on_day(days, PERSONAL))

	assert decision.remedies == (RETURN, EXCHANGE)
	assert decision.shipping_payer is ShippingPayer.CUSTOMER
	assert decision.alternatives == ()
	assert POLICY_NAME in decision.rule
	assert f"day {days}" in decision.rule


@pytest.mark.parametrize(
	("days", "facts", "rule_mentions"),
	[
		pytest.param(8, {}, "day 8", id="day-8-past-window"),
		pytest.param(30, {}, "day 30", id="day-30-past-window"),
		pytest.param(3, {"resellable": False}, "sold again", id="not-resellable"),
		pytest.param(3, {"original_packaging": False}, "original packaging", id="no-original-packaging"),
	],
)
def test_personal_reason_not_eligible(days, facts, rule_mentions):
	decision = decide(POLICY, claim_on_day(days, PERSONAL, **facts))

	assert_not_eligible(decision)
	assert decision.shipping_payer is ShippingPayer.CUSTOMER
	assert rule_mentions in decision.rule.lower()
	assert POLICY_NAME in decision.rule


def test_personal_reason_conditions_can_be_switched_off_by_the_policy():
	lenient = PolicyTerms(
		name="Lenient", require_original_packaging=False, require_resellable_for_personal_reason=False
	)
	claim = claim_on_day(5, PERSONAL, resellable=False, original_packaging=False)

	assert decide(lenient, claim).remedies == (RETURN, EXCHANGE)


# ---- 3. fault without packaging, man-made damage, unshipped cancellation --------------------------------


@pytest.mark.parametrize("days", [0, 7], ids=["day-0", "day-7"])
def test_fault_without_original_packaging_cannot_be_returned(days):
	decision = decide(POLICY, claim_on_day(days, original_packaging=False))

	assert decision.remedies == (EXCHANGE, REPAIR)
	assert not decision.allows(RETURN)
	assert decision.default_remedy is EXCHANGE
	assert "packaging" in decision.rule


def test_missing_packaging_does_not_matter_once_past_the_return_window():
	assert decide(POLICY, claim_on_day(8, original_packaging=False)).remedies == (EXCHANGE, REPAIR)
	assert decide(POLICY, claim_on_day(16, original_packaging=False)).remedies == (REPAIR,)


def test_fault_without_packaging_can_be_returned_when_the_policy_does_not_require_it():
	policy = PolicyTerms(name="No packaging needed", require_original_packaging=False)

	assert decide(policy, claim_on_day(3, original_packaging=False)).remedies == (RETURN, EXCHANGE, REPAIR)


@pytest.mark.parametrize("days", [0, 7, 15, 365], ids=lambda days: f"day-{days}")
@pytest.mark.parametrize(
	"reason", [QUALITY, PERSONAL, ReasonCategory.WRONG_ITEM], ids=lambda reason: reason.name
)
def test_man_made_damage_is_not_covered_and_the_customer_pays(days, reason):
	decision = decide(POLICY, claim_on_day(days, reason, man_made_damage=True))

	assert_not_eligible(decision)
	assert decision.shipping_payer is ShippingPayer.CUSTOMER
	assert "man-made damage" in decision.rule.lower()
	assert POLICY_NAME in decision.rule


def test_man_made_damage_is_covered_when_the_policy_does_not_exclude_it():
	policy = PolicyTerms(name="Accident cover", require_no_man_made_damage=False)

	assert decide(policy, claim_on_day(3, man_made_damage=True)).remedies == (RETURN, EXCHANGE, REPAIR)


@pytest.mark.parametrize(
	("days", "facts"),
	[
		pytest.param(0, {}, id="day-0"),
		pytest.param(8, {}, id="day-8"),
		pytest.param(400, {}, id="day-400"),
		pytest.param(400, {"man_made_damage": True, "original_packaging": False}, id="day-400-damaged"),
		pytest.param(3, {"accessory": GIFT}, id="gift"),
		pytest.param(3, {"resellable": False}, id="not-resellable"),
	],
)
def test_unshipped_cancelled_order_is_always_refunded_at_company_cost(days, facts):
	decision = decide(POLICY, claim_on_day(days, UNSHIPPED, **facts))

	assert decision.remedies == (RETURN,)
	assert decision.shipping_payer is ShippingPayer.COMPANY
	assert decision.alternatives == ()
	assert decision.rule


# ---- 4. accessories and gifts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
	("start", "months", "expected"),
	[
		pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="jan-31+1-clamps-to-feb-28"),
		pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="leap-year-jan-31+1-is-feb-29"),
		pytest.param(date(2026, 1, 31), 6, date(2026, 7, 31), id="jan-31+6-is-jul-31"),
		pytest.param(date(2026, 3, 31), 1, date(2026, 4, 30), id="mar-31+1-clamps-to-apr-30"),
		pytest.param(date(2026, 2, 28), 1, date(2026, 3, 28), id="feb-28+1-keeps-the-day"),
		pytest.param(date(2026, 1, 15), 0, date(2026, 1, 15), id="zero-months"),
		pytest.param(date(2026, 3, 15), 12, date(2027, 3, 15), id="12-months-next-year"),
		pytest.param(date(2026, 11, 30), 3, date(2027, 2, 28), id="nov-30+3-across-year-clamps"),
		pytest.param(date(2027, 2, 28), 12, date(2028, 2, 28), id="feb-28+12-into-leap-year"),
		pytest.param(date(2028, 2, 29), 12, date(2029, 2, 28), id="leap-day+12-clamps"),
		pytest.param(date(2026, 12, 31), 14, date(2028, 2, 29), id="dec-31+14-two-years-leap-clamp"),
		pytest.param(date(2026, 1, 31), -1, date(2025, 12, 31), id="minus-one-month"),
	],
)
def test_add_months(start, months, expected):
	assert add_months(start, months) == expected


@pytest.mark.parametrize(
	("accessory", "delivered_on", "last_day"),
	[
		pytest.param(BATTERY, date(2026, 1, 31), date(2026, 7, 31), id="battery-6-months"),
		pytest.param(HEADSET, date(2026, 1, 1), date(2026, 4, 1), id="headset-3-months"),
		pytest.param(MEMORY_CARD, date(2026, 11, 30), date(2027, 2, 28), id="memory-card-3-months-clamped"),
		pytest.param(CHARGER, date(2026, 1, 1), date(2027, 1, 1), id="charger-12-months"),
	],
)
def test_accessory_warranty_ends_after_its_months(accessory, delivered_on, last_day):
	def on(requested_on):
		claim = WarrantyClaim(
			requested_on=requested_on, reason=QUALITY, delivered_on=delivered_on, accessory=accessory
		)
		return decide(POLICY, claim)

	inside = on(last_day)
	assert inside.remedies == (EXCHANGE,)
	assert inside.shipping_payer is ShippingPayer.SPLIT
	assert accessory.label in inside.rule
	assert str(last_day) in inside.rule
	assert POLICY_NAME in inside.rule
	assert f"day {(last_day - delivered_on).days}" in inside.rule

	assert_not_eligible(on(last_day + timedelta(days=1)))


@pytest.mark.parametrize("days", [0, 7, 8, 16, 150], ids=lambda days: f"day-{days}")
@pytest.mark.parametrize("packaging", [True, False], ids=["packaged", "unpackaged"])
def test_an_accessory_is_exchanged_for_the_same_model_never_returned(days, packaging):
	"""Seed 003: 移動電話機附件在三包有效期內…可更換同種型號移動電話機附件."""
	decision = decide(POLICY, claim_on_day(days, accessory=BATTERY, original_packaging=packaging))

	assert decision.remedies == (EXCHANGE,)
	assert "same model" in decision.rule


# ---- 三包 as written: reason × day × condition, each row citing its seed -----------------------------------

INTACT = {}
SCRATCHED = {"appearance_intact": False}
ACCESSORY_DAMAGED = {"accessories_intact": False}
MAN_MADE = {"man_made_damage": True}
LOST, DAMAGED, WRONG = (
	ReasonCategory.MISSING_ITEM,
	ReasonCategory.DAMAGED_IN_TRANSIT,
	ReasonCategory.WRONG_ITEM,
)
SEED_TABLE = [
	# Seed 003 三包: 7 日內 退換 (fault verified, 外觀無劃傷附件無損壞); 15 日內 換同種型號主機
	# (外觀無劃傷); 一年內 免費保修; 人為損壞 not covered.
	(QUALITY, 1, INTACT, (RETURN, EXCHANGE, REPAIR), ShippingPayer.SPLIT, "003"),
	(QUALITY, 7, INTACT, (RETURN, EXCHANGE, REPAIR), ShippingPayer.SPLIT, "003"),
	(QUALITY, 8, INTACT, (EXCHANGE, REPAIR), ShippingPayer.SPLIT, "003"),
	(QUALITY, 15, INTACT, (EXCHANGE, REPAIR), ShippingPayer.SPLIT, "003"),
	(QUALITY, 16, INTACT, (REPAIR,), ShippingPayer.SPLIT, "003"),
	(QUALITY, 365, INTACT, (REPAIR,), ShippingPayer.SPLIT, "003"),
	(QUALITY, 366, INTACT, (), ShippingPayer.CUSTOMER, "003"),
	(QUALITY, 1, SCRATCHED, (REPAIR,), ShippingPayer.SPLIT, "003"),
	(QUALITY, 15, SCRATCHED, (REPAIR,), ShippingPayer.SPLIT, "003"),
	(QUALITY, 1, ACCESSORY_DAMAGED, (EXCHANGE, REPAIR), ShippingPayer.SPLIT, "003"),
	(QUALITY, 8, ACCESSORY_DAMAGED, (EXCHANGE, REPAIR), ShippingPayer.SPLIT, "003"),
	(QUALITY, 1, MAN_MADE, (), ShippingPayer.CUSTOMER, "003"),
	# Seed 001/003: 7-day no-reason return, goods as sold, customer pays postage both ways.
	(PERSONAL, 1, INTACT, (RETURN, EXCHANGE), ShippingPayer.CUSTOMER, "001"),
	(PERSONAL, 7, INTACT, (RETURN, EXCHANGE), ShippingPayer.CUSTOMER, "001"),
	(PERSONAL, 8, INTACT, (), ShippingPayer.CUSTOMER, "001"),
	(PERSONAL, 1, ACCESSORY_DAMAGED, (), ShippingPayer.CUSTOMER, "003"),
	# Seed 004: lost, damaged, wrong shipments: reissue or refund whenever reported, company pays freight.
	*[
		(reason, days, INTACT, remedies, ShippingPayer.COMPANY, "004")
		for reason, remedies in (
			(LOST, (RETURN, EXCHANGE)),
			(DAMAGED, (RETURN, EXCHANGE, REPAIR)),
			(WRONG, (RETURN, EXCHANGE)),
		)
		for days in (1, 7, 8, 15, 16, 365, 366)
	],
	(WRONG, 366, SCRATCHED, (RETURN, EXCHANGE), ShippingPayer.COMPANY, "004"),
]


@pytest.mark.parametrize(
	("reason", "days", "condition", "remedies", "payer", "seed"),
	SEED_TABLE,
	ids=[
		f"seed-{seed}-{reason.name}-day-{days}-{'-'.join(condition) or 'intact'}"
		for reason, days, condition, _r, _p, seed in SEED_TABLE
	],
)
def test_the_seed_policies(reason, days, condition, remedies, payer, seed):
	decision = decide(POLICY, claim_on_day(days, reason, **condition))

	assert decision.remedies == remedies, decision.rule
	assert decision.shipping_payer is payer


def test_the_appearance_and_accessory_conditions_can_be_switched_off():
	policy = PolicyTerms(name="Lenient", require_intact_appearance=False)
	assert decide(policy, claim_on_day(3, QUALITY, **SCRATCHED)).remedies == (RETURN, EXCHANGE, REPAIR)
	assert decide(policy, claim_on_day(3, QUALITY, **ACCESSORY_DAMAGED)).remedies == (
		RETURN,
		EXCHANGE,
		REPAIR,
	)


@pytest.mark.parametrize("days", [0, 7, 100], ids=lambda days: f"day-{days}")
def test_gift_is_not_covered(days):
	decision = decide(POLICY, claim_on_day(days, accessory=GIFT))

	assert_not_eligible(decision)
	assert "gift" in decision.rule.lower()
	assert GIFT.label in decision.rule
	assert POLICY_NAME in decision.rule


def test_out_of_warranty_accessory_customer_pays_like_the_host_unit():
	host = decide(POLICY, claim_on_day(366))
	accessory = decide(
		POLICY,
		WarrantyClaim(
			requested_on=date(2026, 8, 1), reason=QUALITY, delivered_on=date(2026, 1, 31), accessory=BATTERY
		),
	)

	assert host.remedies == accessory.remedies == ()
	assert accessory.shipping_payer is host.shipping_payer is ShippingPayer.CUSTOMER


# ---- 5. shipping rules ----------------------------------------------------------------------------------


def test_every_reason_has_a_default_shipping_payer():
	assert set(DEFAULT_SHIPPING_RULES) == set(ReasonCategory)
	for reason in ReasonCategory:
		assert isinstance(DEFAULT_SHIPPING_RULES[reason], ShippingPayer)
		assert POLICY.shipping_payer(reason) is DEFAULT_SHIPPING_RULES[reason]


@pytest.mark.parametrize(
	("reason", "payer"),
	[
		(QUALITY, ShippingPayer.SPLIT),
		(PERSONAL, ShippingPayer.CUSTOMER),
		(ReasonCategory.OTHER, ShippingPayer.CUSTOMER),
		(ReasonCategory.NOT_AS_DESCRIBED, ShippingPayer.COMPANY),
		(ReasonCategory.DAMAGED_IN_TRANSIT, ShippingPayer.COMPANY),
		(ReasonCategory.WRONG_ITEM, ShippingPayer.COMPANY),
		(ReasonCategory.MISSING_ITEM, ShippingPayer.COMPANY),
		(UNSHIPPED, ShippingPayer.COMPANY),
	],
	ids=lambda value: value.name,
)
def test_default_shipping_payers(reason, payer):
	assert DEFAULT_SHIPPING_RULES[reason] is payer
	assert decide(POLICY, claim_on_day(3, reason)).shipping_payer is payer


def test_custom_shipping_rules_override_the_default():
	generous = PolicyTerms(
		name="Generous",
		shipping_rules={QUALITY: ShippingPayer.COMPANY, PERSONAL: ShippingPayer.SPLIT},
	)

	assert decide(generous, claim_on_day(3)).shipping_payer is ShippingPayer.COMPANY
	assert decide(generous, claim_on_day(100)).shipping_payer is ShippingPayer.COMPANY
	assert decide(generous, claim_on_day(3, PERSONAL)).shipping_payer is ShippingPayer.SPLIT
	# Reasons the mapping leaves out fall back to the default.
	assert (
		decide(generous, claim_on_day(3, ReasonCategory.WRONG_ITEM)).shipping_payer is ShippingPayer.COMPANY
	)
	assert generous.shipping_payer(ReasonCategory.OTHER) is ShippingPayer.CUSTOMER


def test_each_policy_gets_its_own_copy_of_the_default_rules():
	policy = PolicyTerms(name="Copy")

	assert policy.shipping_rules == DEFAULT_SHIPPING_RULES
	assert policy.shipping_rules is not DEFAULT_SHIPPING_RULES
	assert policy.shipping_rules is not PolicyTerms(name="Other").shipping_rules


# ---- 6. policy_errors / validate_policy -----------------------------------------------------------------


def test_default_phone_policy_has_no_errors():
	assert policy_errors(POLICY, PHONE_ACCESSORIES) == []
	validate_policy(POLICY, PHONE_ACCESSORIES)


def test_zero_windows_are_valid():
	assert policy_errors(PolicyTerms(name="Nothing", return_days=0, exchange_days=0, repair_days=0)) == []


@pytest.mark.parametrize(
	("policy", "accessories", "message"),
	[
		pytest.param(
			PolicyTerms(name="P", return_days=-1),
			(),
			"Return window cannot be negative (-1 days)",
			id="negative-return-window",
		),
		pytest.param(
			PolicyTerms(name="P", return_days=0, exchange_days=0, repair_days=-5),
			(),
			"Free repair window cannot be negative (-5 days)",
			id="negative-repair-window",
		),
		pytest.param(
			PolicyTerms(name="P", exchange_days=400, repair_days=365),
			(),
			"exchange window (400 days) cannot be longer than the free repair window (365 days)",
			id="exchange-longer-than-repair",
		),
		pytest.param(
			PolicyTerms(name="P", return_days=20, exchange_days=15),
			(),
			"return window (20 days) cannot be longer than the exchange window (15 days)",
			id="return-longer-than-exchange",
		),
		pytest.param(
			POLICY,
			(AccessoryPeriod(months=6),),
			"Accessory row 1: set an item or an item group.",
			id="accessory-with-neither-item-nor-group",
		),
		pytest.param(
			POLICY,
			(BATTERY, AccessoryPeriod(months=6, item_code="BAT-1", item_group="Battery")),
			"Accessory row 2: set an item or an item group, not both.",
			id="accessory-with-item-and-group",
		),
		pytest.param(
			POLICY,
			(BATTERY, CHARGER, AccessoryPeriod(months=9, item_group="Battery")),
			"Accessory row 3: Battery is listed twice.",
			id="duplicate-accessory-group",
		),
		pytest.param(
			POLICY,
			(AccessoryPeriod(months=6, item_code="BAT-1"), AccessoryPeriod(months=3, item_code="BAT-1")),
			"Accessory row 2: BAT-1 is listed twice.",
			id="duplicate-accessory-item",
		),
		pytest.param(
			POLICY,
			(AccessoryPeriod(months=-1, item_group="Battery"),),
			"Accessory row 1: the warranty cannot be negative (-1 months).",
			id="negative-accessory-months",
		),
	],
)
def test_policy_errors(policy, accessories, message):
	errors = policy_errors(policy, accessories)

	assert any(message in error for error in errors), errors
	with pytest.raises(PolicyError) as raised:
		validate_policy(policy, accessories)
	assert message in str(raised.value)
	assert isinstance(raised.value, ValueError)


def test_policy_errors_lists_every_problem():
	policy = PolicyTerms(name="P", return_days=-1, exchange_days=500, repair_days=365)
	accessories = (AccessoryPeriod(months=-2), BATTERY, BATTERY)

	errors = policy_errors(policy, accessories)

	assert len(errors) == 5, errors
	with pytest.raises(PolicyError, match="Return window cannot be negative") as raised:
		validate_policy(policy, accessories)
	for error in errors:
		assert error in str(raised.value)


def test_decide_refuses_an_inconsistent_policy():
	with pytest.raises(PolicyError, match="cannot be longer"):
		decide(PolicyTerms(name="P", return_days=30, exchange_days=15), claim_on_day(3))


# ---- 7. match_accessory ---------------------------------------------------------------------------------

ANCESTRY = ("Phone Battery", "Battery", "Accessories", "All Item Groups")


def test_item_row_beats_group_row():
	own = AccessoryPeriod(months=9, item_code="BAT-X1")
	table = (AccessoryPeriod(months=6, item_group="Phone Battery"), BATTERY, own)

	assert match_accessory(table, "BAT-X1", ANCESTRY) is own


def test_nearest_group_in_ancestry_wins():
	accessories = AccessoryPeriod(months=3, item_group="Accessories")
	table = (accessories, BATTERY, AccessoryPeriod(months=9, item_code="BAT-OTHER"))

	assert match_accessory(table, "BAT-Y", ANCESTRY) is BATTERY
	assert match_accessory(table, "CASE-1", ("Phone Case", "Accessories", "All Item Groups")) is accessories


@pytest.mark.parametrize(
	("item_code", "ancestry"),
	[
		pytest.param("PHONE-1", ("Phones", "Products", "All Item Groups"), id="unrelated-groups"),
		pytest.param("BAT-Y", (), id="no-ancestry"),
	],
)
def test_no_matching_row(item_code, ancestry):
	table = (BATTERY, CHARGER, AccessoryPeriod(months=9, item_code="BAT-X1"))

	assert match_accessory(table, item_code, ancestry) is None
	assert match_accessory((), item_code, ancestry) is None


# ---- 8. properties --------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)


@st.composite
def policies(draw):
	return_days, exchange_days, repair_days = sorted(
		draw(st.lists(st.integers(0, 2000), min_size=3, max_size=3))
	)
	shipping_rules = draw(
		st.one_of(
			st.just(dict(DEFAULT_SHIPPING_RULES)),
			st.dictionaries(st.sampled_from(ReasonCategory), st.sampled_from(ShippingPayer)),
		)
	)
	return PolicyTerms(
		name=draw(st.sampled_from(["Phone", "Tablet 三包", "Lenient"])),
		return_days=return_days,
		exchange_days=exchange_days,
		repair_days=repair_days,
		require_original_packaging=draw(st.booleans()),
		require_no_man_made_damage=draw(st.booleans()),
		require_resellable_for_personal_reason=draw(st.booleans()),
		shipping_rules=shipping_rules,
		time_limits=draw(st.dictionaries(st.sampled_from(ReasonCategory), st.sampled_from(TimeLimit))),
		transit_days=draw(st.integers(0, 10)),
		require_intact_appearance=draw(st.booleans()),
		faults_count_from_purchase=draw(st.booleans()),
	)


accessories = st.one_of(
	st.none(),
	st.builds(
		AccessoryPeriod,
		months=st.integers(0, 36),
		item_group=st.sampled_from(["Battery", "Charger", "Gift"]),
		not_covered=st.booleans(),
	),
)


@st.composite
def claim_pairs(draw):
	"""The same facts requested on two dates, the second no earlier than the first."""
	start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
	first = start + timedelta(days=draw(st.integers(0, 2500)))
	later = first + timedelta(days=draw(st.integers(0, 2500)))
	by_invoice = draw(st.booleans())
	facts = {
		"reason": draw(st.sampled_from(ReasonCategory)),
		"delivered_on": None if by_invoice else start,
		"invoiced_on": start if by_invoice else draw(st.none() | st.just(start - timedelta(days=3))),
		"accessory": draw(accessories),
		"original_packaging": draw(st.booleans()),
		"man_made_damage": draw(st.booleans()),
		"resellable": draw(st.booleans()),
		"appearance_intact": draw(st.booleans()),
		"accessories_intact": draw(st.booleans()),
		"received_on": draw(st.none() | st.integers(0, 20).map(lambda days: start + timedelta(days=days))),
	}
	return WarrantyClaim(requested_on=first, **facts), WarrantyClaim(requested_on=later, **facts)


@PROPERTY_SETTINGS
@given(policies(), claim_pairs())
def test_property_a_later_request_never_allows_more(policy, claims):
	earlier, later = claims

	assert set(decide(policy, later).remedies) <= set(decide(policy, earlier).remedies)


@PROPERTY_SETTINGS
@given(policies(), claim_pairs())
def test_property_b_c_d_e_shape_of_every_decision(policy, claims):
	claim = claims[1]
	decision = decide(policy, claim)

	# (b) every decision says which rule decided.
	assert isinstance(decision.rule, str)
	assert decision.rule.strip()
	# (c) remedies are unique and most generous first.
	assert len(set(decision.remedies)) == len(decision.remedies)
	assert list(decision.remedies) == [remedy for remedy in REMEDY_ORDER if remedy in decision.remedies]
	# (d) not eligible exactly when alternatives are offered.
	if claim.reason is UNSHIPPED:
		assert decision.remedies == (RETURN,)
		assert decision.alternatives == ()
	else:
		assert (not decision.eligible) == bool(decision.alternatives)
	# (e) days are calendar days from the start of the windows, never negative.
	assert decision.days_elapsed == max((claim.requested_on - counting_from(policy, claim)).days, 0)


@PROPERTY_SETTINGS
@given(policies(), claim_pairs())
def test_property_eligible_decisions_use_the_policy_shipping_rule(policy, claims):
	claim = claims[0]
	decision = decide(policy, claim)

	if decision.eligible and claim.reason is not UNSHIPPED:
		assert decision.shipping_payer is policy.shipping_payer(claim.reason)


@PROPERTY_SETTINGS
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)), st.integers(0, 1200))
def test_property_add_months_lands_in_the_right_month(start, months):
	result = add_months(start, months)

	assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
	assert result.day == start.day or (result.day < start.day and (result + timedelta(days=1)).day == 1)
	assert result >= start
