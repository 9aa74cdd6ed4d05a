"""Mail-in testing (seed 003, 先進行檢測) and the customer's postage (从支付宝退邮费客户), without a site."""

from decimal import Decimal

import pytest

from aftersales_module.core.enums import ReasonCategory, RequestType, ShippingPayer
from aftersales_module.core.mail_in import (
	IN_FOR_TESTING,
	SHIPPED_BACK,
	TAKEN_OVER,
	UnitForTesting,
	acceptance_refusal,
	is_mail_in,
	receipt_refusal,
	result_refusal,
	ship_back_refusal,
)
from aftersales_module.core.postage import reimbursable_postage, reimbursement_refusal
from aftersales_module.core.stages import CaseFacts, Stage, check_move

QUALITY = ReasonCategory.QUALITY_PROBLEM


@pytest.mark.parametrize(
	("reason", "request_type", "expected"),
	[
		(QUALITY, RequestType.RETURN_AND_REFUND, True),
		(QUALITY, RequestType.EXCHANGE_SAME_ITEM, True),
		(QUALITY, RequestType.EXCHANGE_DIFFERENT_ITEM, True),
		(QUALITY, RequestType.REPAIR, True),
		# the spare is sent before the faulty unit; refund-only and reissue take nothing back
		(QUALITY, RequestType.SPARE_UNIT, False),
		(QUALITY, RequestType.REFUND_ONLY, False),
		(QUALITY, RequestType.REISSUE, False),
		(ReasonCategory.PERSONAL_REASON, RequestType.RETURN_AND_REFUND, False),
		(ReasonCategory.DAMAGED_IN_TRANSIT, RequestType.RETURN_AND_REFUND, False),
	],
)
def test_quality_faults_whose_goods_come_back_are_tested_first(reason, request_type, expected):
	assert is_mail_in(reason, request_type) is expected


def test_the_unit_is_received_only_once_and_only_at_inspection():
	awaited = UnitForTesting(mail_in=True)
	assert receipt_refusal(awaited, Stage.INSPECTION) is None
	assert receipt_refusal(awaited, Stage.REVIEW).template.startswith("The unit is received for testing")
	assert receipt_refusal(UnitForTesting(mail_in=True, status=IN_FOR_TESTING), Stage.INSPECTION)
	assert receipt_refusal(UnitForTesting(mail_in=False), Stage.INSPECTION)


def test_a_result_is_entered_only_for_a_unit_that_came_in():
	assert result_refusal(UnitForTesting(mail_in=True))
	assert result_refusal(UnitForTesting(mail_in=True, status=IN_FOR_TESTING)) is None
	assert result_refusal(UnitForTesting(mail_in=False)) is None


@pytest.mark.parametrize("decision", [Stage.APPROVED, Stage.REVIEW, Stage.SALES_APPROVAL])
def test_nothing_is_decided_before_the_unit_is_received(decision):
	facts = CaseFacts(RequestType.RETURN_AND_REFUND, test_unit_awaited=True)
	assert check_move(Stage.INSPECTION, decision, facts).template.startswith(
		"The customer's unit has not been"
	)
	assert check_move(Stage.INSPECTION, decision, CaseFacts(RequestType.RETURN_AND_REFUND)) is None


def test_a_case_rejected_before_the_unit_came_may_still_be_rejected():
	facts = CaseFacts(RequestType.RETURN_AND_REFUND, rejection_reason=True, test_unit_awaited=True)
	assert check_move(Stage.INSPECTION, Stage.REJECTED, facts) is None


def test_a_case_does_not_close_on_the_customers_unit():
	held = CaseFacts(RequestType.RETURN_AND_REFUND, test_unit_held=True)
	assert check_move(Stage.REJECTED, Stage.CLOSED, held).template.startswith("The customer's unit sent")
	assert check_move(Stage.REJECTED, Stage.CLOSED, CaseFacts(RequestType.RETURN_AND_REFUND)) is None


@pytest.mark.parametrize(
	("unit", "stage", "no_fault", "refused"),
	[
		(UnitForTesting(True, IN_FOR_TESTING), Stage.REVIEW, True, False),
		(UnitForTesting(True, IN_FOR_TESTING), Stage.REJECTED, False, False),
		(UnitForTesting(True, IN_FOR_TESTING), Stage.REVIEW, False, True),  # a fault was found
		(UnitForTesting(True, IN_FOR_TESTING), Stage.APPROVED, True, True),
		(UnitForTesting(True), Stage.REVIEW, True, True),  # nothing was tested
		(UnitForTesting(True, IN_FOR_TESTING, report_accepted=True), Stage.REVIEW, True, True),  # once
	],
)
def test_the_customer_accepts_the_report_once_the_result_is_known(unit, stage, no_fault, refused):
	assert bool(acceptance_refusal(unit, stage, no_fault)) is refused


@pytest.mark.parametrize(
	("unit", "stage", "refused"),
	[
		(UnitForTesting(True, IN_FOR_TESTING, report_accepted=True), Stage.REJECTED, False),
		(UnitForTesting(True, IN_FOR_TESTING, report_accepted=False), Stage.REJECTED, True),
		(UnitForTesting(True, IN_FOR_TESTING, report_accepted=True), Stage.REVIEW, True),
		(UnitForTesting(True, SHIPPED_BACK, report_accepted=True), Stage.REJECTED, True),
		(UnitForTesting(True, TAKEN_OVER, report_accepted=True), Stage.REJECTED, True),
		(UnitForTesting(True), Stage.REJECTED, True),
	],
)
def test_the_whole_set_goes_back_after_rejection_and_acceptance(unit, stage, refused):
	assert bool(ship_back_refusal(unit, stage)) is refused


@pytest.mark.parametrize(
	("payer", "due"),
	[
		(ShippingPayer.COMPANY, Decimal("12.00")),
		(ShippingPayer.SPLIT, Decimal("6.00")),
		(ShippingPayer.CUSTOMER, Decimal("0.00")),
		(None, Decimal("0.00")),
	],
)
def test_the_company_reimburses_its_share_of_the_postage(payer, due):
	assert reimbursable_postage(Decimal("12"), payer) == due


def test_an_odd_cent_of_split_postage_falls_to_the_company():
	assert reimbursable_postage(Decimal("12.01"), ShippingPayer.SPLIT) == Decimal("6.01")


@pytest.mark.parametrize(
	("amount", "postage", "payer", "reimbursed", "starts"),
	[
		(Decimal("12"), Decimal("12"), ShippingPayer.COMPANY, Decimal(0), None),
		(Decimal("12.01"), Decimal("12"), ShippingPayer.COMPANY, Decimal(0), "The reimbursement"),
		(Decimal("7"), Decimal("12"), ShippingPayer.SPLIT, Decimal(0), "The reimbursement"),
		(Decimal("5"), Decimal("12"), ShippingPayer.CUSTOMER, Decimal(0), "The customer pays"),
		(Decimal("5"), Decimal("0"), ShippingPayer.COMPANY, Decimal(0), "Record the postage"),
		(Decimal("5"), Decimal("12"), ShippingPayer.COMPANY, Decimal("12"), "The postage was already"),
		(Decimal("0"), Decimal("12"), ShippingPayer.COMPANY, Decimal(0), "The reimbursement must"),
	],
)
def test_a_reimbursement_is_refused_beyond_the_companys_share(amount, postage, payer, reimbursed, starts):
	refusal = reimbursement_refusal(amount, postage, payer, reimbursed)
	if starts is None:
		assert refusal is None
	else:
		assert refusal.template.startswith(starts)
