"""What a customer is told of their case's progress: the customer's words for the stages, each step once."""

from datetime import datetime

from aftersales_module.core.portal import INQUIRY_STEPS, RETURN_STEPS, customer_step, customer_timeline


def at(hour: int) -> datetime:
	return datetime(2026, 11, 30, hour)


def test_internal_stages_of_one_customer_step_show_once_in_time_order():
	moves = [("Sales Approval", at(11)), ("Draft", at(9)), ("Review", at(10)), ("Approved", at(12))]
	assert [(step.label, step.on) for step in customer_timeline(moves, RETURN_STEPS)] == [
		("Request Filed", at(9)),
		("Under Review", at(10)),
		("Approved", at(12)),
	]


def test_a_case_sent_back_shows_the_step_again():
	moves = [("Review", at(9)), ("Inspection", at(10)), ("Review", at(11))]
	assert [step.label for step in customer_timeline(moves, RETURN_STEPS)] == [
		"Under Review",
		"Quality Inspection",
		"Under Review",
	]


def test_a_stage_an_admin_added_is_not_shown():
	assert customer_step("Waiting for Parts", RETURN_STEPS) is None
	assert [
		step.label for step in customer_timeline([("Open", at(9)), ("Custom", at(10))], INQUIRY_STEPS)
	] == ["Question Received"]
