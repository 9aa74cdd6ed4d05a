"""Compensation claims: two reviews, manager rulings, settlement amounts, postings, cost ledger, old parts (SPEC §6)."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales_module.core.claims import (
	CLAIM_TYPE_OF_ANOMALY,
	ENTRY_TYPE_OF_HANDLING,
	OLD_PART_RESTOCKED,
	OLD_PART_SCRAPPED,
	OLD_PART_TO_SUPPLIER,
	PAID_REMEDIES,
	RECOVERABLE,
	STOCK_ENTRY_TYPES,
	Anomaly,
	Appraisal,
	ClaimLine,
	ClaimRemedy,
	ClaimType,
	CostCategory,
	GivenForLoss,
	LiableParty,
	OldPart,
	PartCondition,
	PartHandling,
	Posting,
	Review,
	Settlement,
	Verdict,
	check_appraisal_complete,
	check_payment,
	check_reissue,
	check_remedy,
	check_review,
	check_ruling,
	check_settlement,
	claimed_value,
	cost_ledger,
	default_handling,
	net_cost,
	plan_old_part_handling,
	plan_postings,
	plan_remedy_postings,
)
from aftersales_module.core.messages import Message

FAST = settings(max_examples=200, deadline=None)
CENT = Decimal("0.01")

FINDINGS = "Carton crushed at one corner; screen cracked."
CONFIRMED_BY_ANN = Review("ann@example.com", Verdict.CONFIRMED)
CONFIRMED_BY_BOB = Review("bob@example.com", Verdict.CONFIRMED)
DISPUTED_BY_BOB = Review("bob@example.com", Verdict.DISPUTED)


def cents(amount) -> Decimal:
	return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


class TestVocabulary:
	def test_a_returned_parcel_is_not_a_claim(self):
		assert Anomaly.RETURNED not in CLAIM_TYPE_OF_ANOMALY
		assert set(CLAIM_TYPE_OF_ANOMALY) == set(Anomaly) - {Anomaly.RETURNED}

	def test_anomalies_map_to_claim_types(self):
		assert CLAIM_TYPE_OF_ANOMALY == {
			Anomaly.LOST: ClaimType.LOST,
			Anomaly.DELAYED: ClaimType.DELAYED,
			Anomaly.DAMAGED: ClaimType.DAMAGED,
			Anomaly.WRONG_ITEM: ClaimType.WRONG_SHIPMENT,
		}
		assert CLAIM_TYPE_OF_ANOMALY["Wrong Item"] == "Wrong Shipment"

	def test_carrier_and_supplier_are_recovered_from(self):
		assert set(RECOVERABLE) == {LiableParty.CARRIER, LiableParty.SUPPLIER}

	def test_stock_entry_types_post_as_erpnext_purposes(self):
		assert STOCK_ENTRY_TYPES == {
			OLD_PART_RESTOCKED: "Material Transfer",
			OLD_PART_SCRAPPED: "Material Issue",
			OLD_PART_TO_SUPPLIER: "Material Issue",
		}
		assert set(ENTRY_TYPE_OF_HANDLING) == set(PartHandling)
		assert set(ENTRY_TYPE_OF_HANDLING.values()) == set(STOCK_ENTRY_TYPES)


class TestReview:
	def test_findings_come_first(self):
		for findings in (None, "", "  \n"):
			message = check_review(Appraisal(findings), "ann@example.com")
			assert message == "Write the appraisal findings before the claim is reviewed."

	def test_findings_are_needed_even_after_a_review(self):
		appraisal = Appraisal(" ", first=CONFIRMED_BY_ANN)
		assert "findings" in check_review(appraisal, "bob@example.com")

	def test_anyone_may_give_the_first_review(self):
		assert check_review(Appraisal(FINDINGS), "ann@example.com") is None

	def test_a_review_without_a_verdict_is_not_done(self):
		assert not Review("ann@example.com").done
		assert not Review(None, Verdict.CONFIRMED).done
		assert Review("ann@example.com", Verdict.DISPUTED).done
		# Ann started the first review but gave no verdict: it is still hers or anyone's to give.
		assert check_review(Appraisal(FINDINGS, first=Review("ann@example.com")), "ann@example.com") is None

	def test_the_second_review_by_someone_else(self):
		assert check_review(Appraisal(FINDINGS, first=CONFIRMED_BY_ANN), "bob@example.com") is None

	def test_the_same_user_cannot_review_twice(self):
		message = check_review(Appraisal(FINDINGS, first=CONFIRMED_BY_ANN), "ann@example.com")
		assert (
			message
			== "ann@example.com gave the first review; the second review must be given by someone else."
		)
		assert isinstance(message, Message)
		assert message.args == ("ann@example.com",)

	def test_no_third_review(self):
		appraisal = Appraisal(FINDINGS, first=CONFIRMED_BY_ANN, second=CONFIRMED_BY_BOB)
		for reviewer in ("ann@example.com", "bob@example.com", "carol@example.com"):
			assert check_review(appraisal, reviewer) == "This claim has had both its reviews."

	def test_reviews_in_order(self):
		appraisal = Appraisal(FINDINGS)
		assert check_review(appraisal, "ann@example.com") is None
		appraisal = Appraisal(FINDINGS, first=CONFIRMED_BY_ANN)
		assert check_review(appraisal, "ann@example.com") is not None
		assert check_review(appraisal, "bob@example.com") is None
		appraisal = Appraisal(FINDINGS, first=CONFIRMED_BY_ANN, second=DISPUTED_BY_BOB)
		assert check_review(appraisal, "carol@example.com") is not None


class TestRuling:
	disputed = Appraisal(FINDINGS, first=CONFIRMED_BY_ANN, second=DISPUTED_BY_BOB)

	def test_disputed(self):
		assert Appraisal(FINDINGS, first=Review("ann@example.com", Verdict.DISPUTED)).disputed
		assert self.disputed.disputed
		assert not Appraisal(FINDINGS, first=CONFIRMED_BY_ANN, second=CONFIRMED_BY_BOB).disputed
		assert not Appraisal(FINDINGS).disputed

	def test_a_manager_rules_on_a_disputed_appraisal(self):
		assert (
			check_ruling(self.disputed, "manager@example.com", "Carrier liable; photos show crushing.")
			is None
		)

	def test_not_before_both_reviews(self):
		for appraisal in (
			Appraisal(FINDINGS),
			Appraisal(FINDINGS, first=Review("ann@example.com", Verdict.DISPUTED)),
		):
			assert (
				check_ruling(appraisal, "manager@example.com", "Ruled.")
				== "A claim is ruled on after both reviews."
			)

	def test_only_a_disputed_appraisal(self):
		appraisal = Appraisal(FINDINGS, first=CONFIRMED_BY_ANN, second=CONFIRMED_BY_BOB)
		assert (
			check_ruling(appraisal, "manager@example.com", "Ruled.")
			== "Only a disputed appraisal needs a manager's ruling."
		)

	def test_a_reviewer_cannot_rule(self):
		for reviewer in ("ann@example.com", "bob@example.com"):
			assert check_ruling(self.disputed, reviewer, "Ruled.") == (
				f"{reviewer} reviewed this appraisal; the ruling must come from a manager who did not."
			)

	def test_the_ruling_must_be_written(self):
		for ruling in (None, "", "   "):
			assert (
				check_ruling(self.disputed, "manager@example.com", ruling)
				== "Write the ruling: what was decided and why."
			)


class TestAppraisalComplete:
	def test_confirmed_twice_is_complete(self):
		assert check_appraisal_complete(Appraisal(FINDINGS, CONFIRMED_BY_ANN, CONFIRMED_BY_BOB)) is None

	def test_needs_the_first_review(self):
		assert (
			check_appraisal_complete(Appraisal(FINDINGS))
			== "The claim needs its first review before it is approved."
		)
		# A second review without a first one does not count.
		assert "first review" in check_appraisal_complete(Appraisal(FINDINGS, second=CONFIRMED_BY_BOB))

	def test_needs_the_second_review(self):
		assert (
			check_appraisal_complete(Appraisal(FINDINGS, CONFIRMED_BY_ANN))
			== "The claim needs its second review, by another person, before it is approved."
		)

	def test_disputed_needs_a_ruling(self):
		expected = "A reviewer disputed the appraisal; a manager must rule on it before it is approved."
		disputed = Appraisal(FINDINGS, CONFIRMED_BY_ANN, DISPUTED_BY_BOB)
		assert check_appraisal_complete(disputed) == expected
		no_ruling_text = Appraisal(FINDINGS, CONFIRMED_BY_ANN, DISPUTED_BY_BOB, "manager@example.com", "  ")
		assert check_appraisal_complete(no_ruling_text) == expected
		no_manager = Appraisal(FINDINGS, CONFIRMED_BY_ANN, DISPUTED_BY_BOB, None, "Carrier liable.")
		assert check_appraisal_complete(no_manager) == expected

	def test_disputed_and_ruled_is_complete(self):
		ruled = Appraisal(
			FINDINGS, CONFIRMED_BY_ANN, DISPUTED_BY_BOB, "manager@example.com", "Carrier liable."
		)
		assert check_appraisal_complete(ruled) is None


class TestClaimedValue:
	def test_sum_of_lines_to_the_cent(self):
		lines = [
			ClaimLine("SCREEN", Decimal(2), Decimal("80.50")),
			ClaimLine("CABLE", Decimal(3), Decimal("0.335")),
		]
		assert lines[1].amount == Decimal("1.01")
		assert claimed_value(lines) == Decimal("162.01")

	def test_no_lines_is_zero(self):
		assert claimed_value([]) == 0

	def test_floats_are_read_through_their_text(self):
		assert ClaimLine("CABLE", 3, 0.1).amount == Decimal("0.30")

	def test_negative_quantity_or_value_is_refused(self):
		with pytest.raises(ValueError, match="Item SCREEN quantity cannot be negative"):
			claimed_value([ClaimLine("SCREEN", Decimal(-1), Decimal(80))])
		with pytest.raises(ValueError, match="Item SCREEN value cannot be negative"):
			claimed_value([ClaimLine("SCREEN", Decimal(1), Decimal(-80))])


class TestSettlement:
	claimed = Decimal("100.00")

	def test_within_the_claim_for_each_liable_party(self):
		assert (
			check_settlement(Settlement(LiableParty.CARRIER, Decimal(100), Decimal(100)), self.claimed) == []
		)
		assert (
			check_settlement(Settlement(LiableParty.SUPPLIER, Decimal(60), Decimal(40)), self.claimed) == []
		)
		assert (
			check_settlement(
				Settlement(LiableParty.INTERNAL, Decimal(100), deduction=Decimal(30)), self.claimed
			)
			== []
		)
		assert check_settlement(Settlement(LiableParty.CUSTOMER), self.claimed) == []

	def test_negative_amounts(self):
		problems = check_settlement(
			Settlement(LiableParty.INTERNAL, Decimal(-1), Decimal(-2), Decimal(-3)), self.claimed
		)
		assert problems == [
			"The compensation amount cannot be negative.",
			"The recovery amount cannot be negative.",
			"The deduction amount cannot be negative.",
		]

	def test_more_than_the_claimed_value(self):
		problems = check_settlement(Settlement(LiableParty.CARRIER, Decimal("100.01")), self.claimed)
		assert problems == ["The compensation amount 100.01 is more than the value claimed, 100.00."]
		problems = check_settlement(Settlement(LiableParty.SUPPLIER, recovery=Decimal(150)), Decimal(100))
		assert problems == ["The recovery amount 150.00 is more than the value claimed, 100.00."]
		problems = check_settlement(Settlement(LiableParty.INTERNAL, deduction=Decimal("0.01")), Decimal(0))
		assert problems == ["The deduction amount 0.01 is more than the value claimed, 0.00."]

	def test_exactly_the_claimed_value_is_allowed(self):
		assert (
			check_settlement(Settlement(LiableParty.CARRIER, self.claimed, self.claimed), self.claimed) == []
		)

	def test_the_customer_liable_is_owed_nothing(self):
		problems = check_settlement(Settlement(LiableParty.CUSTOMER, Decimal(10)), self.claimed)
		assert problems == ["The customer is liable, so no compensation is owed to them."]

	def test_recovery_only_from_a_carrier_or_supplier(self):
		for party in (LiableParty.INTERNAL, LiableParty.CUSTOMER):
			problems = check_settlement(Settlement(party, recovery=Decimal(10)), self.claimed)
			assert problems == ["Only a liable carrier or supplier is recovered from."]

	def test_deduction_only_from_internal(self):
		for party in (LiableParty.CARRIER, LiableParty.SUPPLIER, LiableParty.CUSTOMER):
			problems = check_settlement(Settlement(party, deduction=Decimal(10)), self.claimed)
			assert problems == ["Only an internal department or person is charged a deduction."]

	def test_every_problem_is_listed(self):
		problems = check_settlement(
			Settlement(LiableParty.CUSTOMER, Decimal(200), Decimal(5), Decimal(-1)), self.claimed
		)
		assert problems == [
			"The compensation amount 200.00 is more than the value claimed, 100.00.",
			"The deduction amount cannot be negative.",
			"The customer is liable, so no compensation is owed to them.",
			"Only a liable carrier or supplier is recovered from.",
		]
		assert all(isinstance(problem, Message) for problem in problems)

	def test_select_values_work_too(self):
		assert check_settlement(Settlement("Carrier", Decimal(10), Decimal(10)), self.claimed) == []
		assert check_settlement(Settlement("Customer", Decimal(10)), self.claimed) != []

	def test_floats_are_read_through_their_text(self):
		assert check_settlement(Settlement(LiableParty.CARRIER, 0.1, 0.1), Decimal("0.10")) == []

	def test_a_non_finite_amount_is_refused(self):
		with pytest.raises(ValueError, match="Compensation must be a finite number"):
			check_settlement(Settlement(LiableParty.CARRIER, Decimal("NaN")), self.claimed)


class TestPostings:
	def test_in_order_compensation_recovery_deduction(self):
		settlement = Settlement(LiableParty.INTERNAL, Decimal(100), Decimal(60), Decimal(40))
		assert plan_postings(settlement) == [
			(Posting.COMPENSATION, Decimal("100.00")),
			(Posting.RECOVERY, Decimal("60.00")),
			(Posting.DEDUCTION, Decimal("40.00")),
		]

	def test_zero_amounts_post_nothing(self):
		assert plan_postings(Settlement(LiableParty.CARRIER, Decimal(100))) == [
			(Posting.COMPENSATION, Decimal("100.00"))
		]
		assert plan_postings(Settlement(LiableParty.INTERNAL, deduction=Decimal("12.345"))) == [
			(Posting.DEDUCTION, Decimal("12.35"))
		]
		assert plan_postings(Settlement(LiableParty.CUSTOMER)) == []

	def test_an_amount_below_half_a_cent_posts_nothing(self):
		assert plan_postings(Settlement(LiableParty.CARRIER, Decimal("0.004"))) == []

	def test_net_cost(self):
		assert net_cost(Decimal(100), Decimal(60), Decimal(15)) == Decimal("25.00")
		assert net_cost(Decimal(100), Decimal(0), Decimal(0)) == Decimal("100.00")
		assert net_cost(Decimal(0), Decimal(0), Decimal(0)) == Decimal("0.00")
		assert net_cost(Decimal("10.005"), Decimal(0), Decimal(0)) == Decimal("10.01")
		# Recovering more than was paid out (e.g. the goods' value from the carrier) is a gain.
		assert net_cost(Decimal(50), Decimal(80), Decimal(0)) == Decimal("-30.00")

	def test_net_cost_reads_floats_through_their_text(self):
		assert net_cost(0.3, 0.1, 0.1) == Decimal("0.10")


class TestCostLedger:
	def test_every_category_is_present(self):
		assert cost_ledger([]) == {category: 0 for category in CostCategory}
		assert list(cost_ledger([])) == list(CostCategory)

	def test_sums_per_category(self):
		ledger = cost_ledger(
			[
				(CostCategory.LABOUR, Decimal(60)),
				(CostCategory.MATERIAL, Decimal("80.50")),
				(CostCategory.LABOUR, Decimal("20.25")),
				(CostCategory.FREIGHT, Decimal("12.00")),
			]
		)
		assert ledger == {
			CostCategory.LABOUR: Decimal("80.25"),
			CostCategory.MATERIAL: Decimal("80.50"),
			CostCategory.FREIGHT: Decimal("12.00"),
			CostCategory.COMPENSATION: Decimal(0),
		}

	def test_each_entry_is_rounded_to_the_cent(self):
		ledger = cost_ledger(
			[(CostCategory.FREIGHT, Decimal("0.005")), (CostCategory.FREIGHT, Decimal("0.005"))]
		)
		assert ledger[CostCategory.FREIGHT] == Decimal("0.02")

	def test_select_values_and_floats(self):
		ledger = cost_ledger([("Compensation", 0.1), ("Compensation", 0.2)])
		assert ledger[CostCategory.COMPENSATION] == Decimal("0.30")

	def test_an_unknown_category_is_refused(self):
		with pytest.raises(ValueError):
			cost_ledger([("Entertainment", Decimal(10))])


class TestOldParts:
	def part(self, key="row-1", condition=PartCondition.GOOD, handling=PartHandling.RESTOCK, **kwargs):
		fields = {"received": True, "handled": False} | kwargs
		return OldPart(key, f"ITEM-{key}", fields["received"], condition, handling, fields["handled"])

	def test_default_handling(self):
		assert default_handling(PartCondition.GOOD) == PartHandling.RESTOCK
		assert default_handling(PartCondition.BAD) == PartHandling.SCRAP
		assert default_handling(None) is None
		assert default_handling("Good") == PartHandling.RESTOCK
		assert default_handling("Bad") == PartHandling.SCRAP

	def test_grouped_per_stock_entry_type(self):
		plan = plan_old_part_handling(
			[
				self.part("row-1"),
				self.part("row-2", PartCondition.BAD, PartHandling.SCRAP),
				self.part("row-3", PartCondition.BAD, PartHandling.RETURN_TO_SUPPLIER),
				self.part("row-4"),
				self.part("row-5", PartCondition.BAD, PartHandling.SCRAP),
			]
		)
		assert plan == {
			OLD_PART_RESTOCKED: ["row-1", "row-4"],
			OLD_PART_SCRAPPED: ["row-2", "row-5"],
			OLD_PART_TO_SUPPLIER: ["row-3"],
		}

	def test_parts_not_received_or_already_handled_are_skipped(self):
		plan = plan_old_part_handling(
			[
				self.part("row-1", received=False),
				self.part("row-2", handled=True),
				# Not received yet: not checked either, and that is fine.
				self.part("row-3", None, None, received=False),
				self.part("row-4", PartCondition.BAD, PartHandling.SCRAP),
			]
		)
		assert plan == {OLD_PART_SCRAPPED: ["row-4"]}
		assert plan_old_part_handling([]) == {}

	def test_a_received_part_must_be_checked(self):
		for condition, handling in ((None, None), (None, PartHandling.SCRAP), (PartCondition.BAD, None)):
			with pytest.raises(ValueError) as error:
				plan_old_part_handling([self.part("row-1", condition, handling)])
			assert str(error.value) == "Old part ITEM-row-1: check it (Good or Bad) before it is handled."

	def test_a_bad_part_is_never_restocked(self):
		with pytest.raises(ValueError) as error:
			plan_old_part_handling([self.part("row-1", PartCondition.BAD, PartHandling.RESTOCK)])
		assert str(error.value) == "Old part ITEM-row-1 is bad and cannot be restocked."

	def test_a_good_part_is_never_thrown_away(self):
		for handling in (PartHandling.SCRAP, PartHandling.RETURN_TO_SUPPLIER):
			with pytest.raises(ValueError) as error:
				plan_old_part_handling([self.part("row-1", PartCondition.GOOD, handling)])
			assert str(error.value) == "Old part ITEM-row-1 is good; restock it."

	def test_one_wrong_part_refuses_the_whole_plan(self):
		with pytest.raises(ValueError, match="ITEM-row-2 is bad"):
			plan_old_part_handling(
				[self.part("row-1"), self.part("row-2", PartCondition.BAD, PartHandling.RESTOCK)]
			)

	def test_select_values_work_too(self):
		plan = plan_old_part_handling([OldPart("row-1", "SCREEN", True, "Bad", "Return to Supplier")])
		assert plan == {OLD_PART_TO_SUPPLIER: ["row-1"]}


# ---- properties ----------------------------------------------------------------------------------------

parties = st.sampled_from(list(LiableParty))
cent_amounts = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
fine_amounts = st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False)
claimed_values = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


def settlements(amounts):
	return st.builds(Settlement, parties, amounts, amounts, amounts)


@FAST
@given(settlement=settlements(fine_amounts))
def test_postings_are_positive_and_sum_to_the_positive_amounts(settlement):
	planned = plan_postings(settlement)
	assert all(amount > 0 for _posting, amount in planned)
	assert [posting for posting, _amount in planned] == [
		posting
		for posting in (Posting.COMPENSATION, Posting.RECOVERY, Posting.DEDUCTION)
		if posting in dict(planned)
	]
	inputs = (settlement.compensation, settlement.recovery, settlement.deduction)
	assert sum((amount for _posting, amount in planned), Decimal(0)) == sum(
		(cents(amount) for amount in inputs if cents(amount) > 0), Decimal(0)
	)


@FAST
@given(settlement=settlements(cent_amounts))
def test_postings_of_cent_amounts_are_exactly_the_positive_ones(settlement):
	planned = plan_postings(settlement)
	inputs = (settlement.compensation, settlement.recovery, settlement.deduction)
	assert sum((amount for _posting, amount in planned), Decimal(0)) == sum(
		(amount for amount in inputs if amount > 0), Decimal(0)
	)


def settlement_fits(settlement: Settlement, claimed: Decimal) -> bool:
	amounts = (settlement.compensation, settlement.recovery, settlement.deduction)
	return (
		all(0 <= amount <= claimed for amount in amounts)
		and not (settlement.liable_party == LiableParty.CUSTOMER and settlement.compensation > 0)
		and not (settlement.recovery > 0 and settlement.liable_party not in RECOVERABLE)
		and not (settlement.deduction > 0 and settlement.liable_party != LiableParty.INTERNAL)
	)


@FAST
@given(settlement=settlements(cent_amounts), claimed=claimed_values)
def test_a_settlement_passes_exactly_when_it_fits_the_claim(settlement, claimed):
	assert (check_settlement(settlement, claimed) == []) == settlement_fits(settlement, claimed)


@FAST
@given(
	party=parties,
	claimed=claimed_values,
	excess=st.decimals(min_value="0.01", max_value=1000, places=2),
	which=st.sampled_from(["compensation", "recovery", "deduction"]),
)
def test_nothing_is_paid_recovered_or_deducted_beyond_the_claim(party, claimed, excess, which):
	settlement = Settlement(party, **{which: claimed + excess})
	problems = check_settlement(settlement, claimed)
	assert (
		f"The {which} amount {cents(claimed + excess)} is more than the value claimed, {cents(claimed)}."
		in problems
	)


@FAST
@given(settlement=settlements(fine_amounts), claimed=claimed_values)
def test_an_accepted_settlement_never_posts_more_than_the_claim(settlement, claimed):
	if check_settlement(settlement, claimed) == []:
		planned = plan_postings(settlement)
		assert all(amount <= claimed for _posting, amount in planned)
		assert {posting for posting, _amount in planned} <= set(
			{
				LiableParty.CARRIER: (Posting.COMPENSATION, Posting.RECOVERY),
				LiableParty.SUPPLIER: (Posting.COMPENSATION, Posting.RECOVERY),
				LiableParty.INTERNAL: (Posting.COMPENSATION, Posting.DEDUCTION),
				LiableParty.CUSTOMER: (),
			}[settlement.liable_party]
		)


@FAST
@given(
	entries=st.lists(
		st.tuples(st.sampled_from(list(CostCategory)), fine_amounts),
		max_size=12,
	)
)
def test_the_cost_ledger_adds_up_every_entry_to_the_cent(entries):
	ledger = cost_ledger(entries)
	assert set(ledger) == set(CostCategory)
	assert sum(ledger.values(), Decimal(0)) == sum(
		(cents(amount) for _category, amount in entries), Decimal(0)
	)
	for category in CostCategory:
		assert ledger[category] == sum(
			(cents(amount) for entry_category, amount in entries if entry_category == category), Decimal(0)
		)


@FAST
@given(
	parts=st.lists(
		st.tuples(
			st.booleans(),
			st.booleans(),
			st.sampled_from([None, *PartCondition]),
			st.sampled_from([None, *PartHandling]),
		),
		max_size=8,
	)
)
def test_old_part_plan_posts_each_pending_part_once_and_never_restocks_a_bad_one(parts):
	old_parts = [
		OldPart(f"row-{i}", f"ITEM-{i}", received, condition, handling, handled)
		for i, (received, handled, condition, handling) in enumerate(parts)
	]
	pending = [part for part in old_parts if part.received and not part.handled]
	try:
		plan = plan_old_part_handling(old_parts)
	except ValueError:
		assert any(
			part.condition is None
			or part.handling is None
			or (part.handling == PartHandling.RESTOCK) != (part.condition == PartCondition.GOOD)
			for part in pending
		)
		return
	assert sorted(key for keys in plan.values() for key in keys) == sorted(part.line_key for part in pending)
	for part in pending:
		assert part.line_key in plan[ENTRY_TYPE_OF_HANDLING[part.handling]]
		assert (part.condition == PartCondition.GOOD) == (part.handling == PartHandling.RESTOCK)


# ---- remedy: what the customer is given for the loss, and only once --------------------------------------


NOTHING_GIVEN = GivenForLoss()
PAID = GivenForLoss(paid_by="ACC-JV-2026-00001")
REISSUED = GivenForLoss(reissue="RR-2026-00001")


class TestRemedy:
	def test_the_remedy_choices_are_the_claim_form_options(self):
		assert [remedy.value for remedy in ClaimRemedy] == [
			"Compensation",
			"Refund",
			"Reissue",
			"Coupon",
			"None",
		]
		assert set(PAID_REMEDIES) == {ClaimRemedy.COMPENSATION, ClaimRemedy.REFUND}

	def test_money_only_under_a_paying_remedy(self):
		for remedy in PAID_REMEDIES:
			assert check_remedy(remedy, Decimal("100"), None) == []
		for remedy in (ClaimRemedy.REISSUE, ClaimRemedy.NONE):
			problems = check_remedy(remedy, Decimal("0.01"), None)
			assert len(problems) == 1
			assert problems[0].startswith(f"The remedy is {remedy.value}, so nothing is paid")
			assert problems[0].args == (remedy,)
			assert check_remedy(remedy, ZERO_AMOUNT, None) == []

	def test_a_coupon_names_its_code_and_pays_nothing(self):
		assert check_remedy("Coupon", ZERO_AMOUNT, "WELCOME-BACK-10") == []
		assert check_remedy("Coupon", ZERO_AMOUNT, "  ") == [
			"The remedy is Coupon: enter the coupon code given to the customer."
		]
		assert len(check_remedy("Coupon", Decimal("5"), None)) == 2

	def test_payment_refused_unless_the_remedy_pays(self):
		assert check_payment(ClaimRemedy.COMPENSATION, NOTHING_GIVEN) is None
		assert check_payment("Refund", NOTHING_GIVEN) is None
		for remedy in ("Reissue", "Coupon", "None"):
			assert check_payment(remedy, NOTHING_GIVEN) == (
				f"The remedy is {remedy}: the customer is not paid for the loss."
			)

	def test_a_reissued_loss_is_not_also_paid(self):
		message = check_payment(ClaimRemedy.COMPENSATION, REISSUED)
		assert message == (
			"Reissue RR-2026-00001 already replaces this loss; the remedy Compensation cannot also pay"
			" the customer for it."
		)
		assert message.args == ("RR-2026-00001", ClaimRemedy.COMPENSATION)

	def test_reissue_only_under_the_reissue_remedy(self):
		assert check_reissue(ClaimRemedy.REISSUE, NOTHING_GIVEN) is None
		for remedy in ("Compensation", "Refund", "Coupon", "None"):
			assert check_reissue(remedy, NOTHING_GIVEN) == (
				f"The remedy is {remedy}, not Reissue: the goods are not sent again for this loss."
			)

	def test_a_paid_loss_is_not_also_reissued(self):
		assert check_reissue("Reissue", PAID) == (
			"ACC-JV-2026-00001 already paid the customer for this loss; the remedy Reissue cannot also"
			" send the goods again."
		)
		assert check_reissue("Reissue", REISSUED) == "Reissue RR-2026-00001 already replaces this loss."

	def test_postings_under_the_remedy(self):
		settlement = Settlement(LiableParty.CARRIER, Decimal("300"), Decimal("200"))
		assert plan_remedy_postings(settlement, ClaimRemedy.COMPENSATION, NOTHING_GIVEN) == [
			(Posting.COMPENSATION, Decimal("300.00")),
			(Posting.RECOVERY, Decimal("200.00")),
		]
		with pytest.raises(ValueError) as refused:
			plan_remedy_postings(settlement, ClaimRemedy.COMPENSATION, REISSUED)
		assert "already replaces this loss" in refused.value.args[0]
		with pytest.raises(ValueError):
			plan_remedy_postings(settlement, ClaimRemedy.REISSUE, NOTHING_GIVEN)

	def test_recovery_follows_the_liability_whatever_the_remedy(self):
		# The carrier pays back the loss even when the customer's goods are sent again.
		settlement = Settlement(LiableParty.CARRIER, ZERO_AMOUNT, Decimal("400"))
		for remedy in ClaimRemedy:
			assert plan_remedy_postings(settlement, remedy, REISSUED) == [
				(Posting.RECOVERY, Decimal("400.00"))
			]


ZERO_AMOUNT = Decimal("0")


@FAST
@given(
	remedy=st.sampled_from(list(ClaimRemedy)),
	compensation=st.decimals(min_value=0, max_value=10_000, places=2),
	paid=st.booleans(),
	reissued=st.booleans(),
)
def test_no_loss_is_both_paid_and_reissued(remedy, compensation, paid, reissued):
	"""Whatever was given before, a payment and a reissue are never both allowed for one loss."""
	given = GivenForLoss("ACC-JV-1" if paid else None, "RR-1" if reissued else None)
	may_pay = check_payment(remedy, given) is None
	may_reissue = check_reissue(remedy, given) is None
	assert not (may_pay and may_reissue)
	assert not (may_pay and reissued)
	assert not (may_reissue and (paid or reissued))
	if compensation > 0 and not check_remedy(remedy, compensation, "CODE"):
		assert remedy in PAID_REMEDIES
