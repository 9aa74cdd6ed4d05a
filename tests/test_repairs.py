"""Repair orders and spare-part transfer requests: approval, fulfilment, charges, deadlines (SPEC §3, §4)."""

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales_module.core.repairs import (
	APPROVED,
	PARTLY_TRANSFERRED,
	RETURN_TO_STOCK,
	SHIP_TO_CUSTOMER,
	STOCK_ENTRY_TYPES,
	TRANSFERRED,
	RepairPart,
	TransferLine,
	check_approval,
	check_close,
	completion_move,
	first_contact_deadline,
	first_contact_state,
	plan_fulfilment,
	repair_charge,
	transfer_status,
)

CONSIGNMENT = "Consignment Repair - C"
VIRTUAL = "Repair Virtual - C"
RETURNS = "After-sales Returns - C"
FINISHED = "Finished Goods - C"


def line(requested=10, approved=10, transferred=0, key="row-1", item="SCREEN") -> TransferLine:
	return TransferLine(key, item, Decimal(requested), Decimal(approved), Decimal(transferred))


def test_stock_entry_types_post_as_erpnext_purposes():
	assert set(STOCK_ENTRY_TYPES.values()) <= {"Material Issue", "Material Receipt", "Material Transfer"}
	assert STOCK_ENTRY_TYPES["Repair Parts Issue"] == "Material Issue"


class TestApproval:
	def test_approving_up_to_the_request(self):
		check_approval([line(10, 10), line(5, 0, key="row-2")])

	def test_approving_more_than_requested_is_refused(self):
		with pytest.raises(ValueError, match="11 approved but only 10 requested"):
			check_approval([line(10, 11)])

	def test_approving_nothing_is_refused(self):
		with pytest.raises(ValueError, match="reject the request"):
			check_approval([line(10, 0)])

	def test_negative_is_refused(self):
		with pytest.raises(ValueError, match="cannot be negative"):
			check_approval([line(10, -1)])


class TestFulfilment:
	def test_six_then_four_of_ten(self):
		first = plan_fulfilment([line()], {"row-1": 6})
		assert first == {"row-1": Decimal(6)}
		after_first = [line(transferred=6)]
		assert transfer_status(after_first) == PARTLY_TRANSFERRED
		assert plan_fulfilment(after_first, {"row-1": 4}) == {"row-1": Decimal(4)}
		assert transfer_status([line(transferred=10)]) == TRANSFERRED

	def test_over_fulfilment_is_refused_with_the_numbers(self):
		with pytest.raises(ValueError) as error:
			plan_fulfilment([line(transferred=6)], {"row-1": 5})
		assert "10 approved, 6 already transferred, 4 pending" in str(error.value)

	def test_no_quantities_means_everything_pending(self):
		lines = [line(transferred=6), line(5, 5, 5, key="row-2")]
		assert plan_fulfilment(lines, None) == {"row-1": Decimal(4)}

	def test_nothing_pending_is_refused(self):
		with pytest.raises(ValueError, match="Nothing is pending"):
			plan_fulfilment([line(transferred=10)], None)
		with pytest.raises(ValueError, match="Nothing is pending"):
			plan_fulfilment([line()], {"row-1": 0})

	def test_unknown_line_and_negative_quantity_are_refused(self):
		with pytest.raises(ValueError, match="not on this transfer request"):
			plan_fulfilment([line()], {"row-9": 1})
		with pytest.raises(ValueError, match="cannot be negative"):
			plan_fulfilment([line()], {"row-1": -1})

	def test_status_before_any_transfer(self):
		assert transfer_status([line()]) == APPROVED

	@given(
		st.integers(min_value=1, max_value=50),
		st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=8),
	)
	def test_never_transfers_more_than_approved(self, approved, attempts):
		transferred = Decimal(0)
		for attempt in attempts:
			current = line(approved, approved, transferred)
			try:
				plan = plan_fulfilment([current], {"row-1": attempt})
			except ValueError:
				assert attempt == 0 or transferred + attempt > approved
				continue
			transferred += plan["row-1"]
			assert transferred <= approved
		status = transfer_status([line(approved, approved, transferred)])
		assert (status == TRANSFERRED) == (transferred == approved)


class TestClose:
	def test_pending_needs_a_reason(self):
		with pytest.raises(ValueError, match="give the reason"):
			check_close([line(transferred=6)], " ")
		check_close([line(transferred=6)], "Found stock locally")

	def test_fully_transferred_closes_without_a_reason(self):
		check_close([line(transferred=10)], None)


class TestFirstContact:
	opened = datetime(2026, 11, 20, 9, 0)

	def test_deadline_is_hours_after_opening(self):
		assert first_contact_deadline(self.opened, 24) == datetime(2026, 11, 21, 9, 0)
		with pytest.raises(ValueError):
			first_contact_deadline(self.opened, -1)

	def test_states(self):
		due = first_contact_deadline(self.opened, 24)
		assert first_contact_state(due, None, due) == "On Time"
		assert first_contact_state(due, None, due + timedelta(minutes=1)) == "Overdue"
		assert first_contact_state(due, due - timedelta(hours=1), due + timedelta(days=3)) == "On Time"
		assert first_contact_state(due, due + timedelta(hours=1), due + timedelta(days=3)) == "Late"
		assert first_contact_state(None, None, due) == "On Time"


class TestRepairCharge:
	def test_in_warranty_charges_nothing(self):
		assert (
			repair_charge(
				True, [RepairPart("r", "SCREEN", Decimal(1), Decimal(80))], "LABOUR", Decimal(2), Decimal(40)
			)
			is None
		)

	def test_parts_and_labour(self):
		charge = repair_charge(
			False,
			[
				RepairPart("r1", "SCREEN", Decimal(1), Decimal(80)),
				RepairPart("r2", "BATTERY", Decimal(2), Decimal(25)),
			],
			"LABOUR",
			Decimal("1.5"),
			Decimal(40),
		)
		assert [(line.item_code, line.amount) for line in charge.lines] == [
			("SCREEN", Decimal(80)),
			("BATTERY", Decimal(50)),
			("LABOUR", Decimal(60)),
		]
		assert charge.total == Decimal(190)

	def test_an_unpriced_part_is_refused(self):
		with pytest.raises(ValueError, match="enter the price"):
			repair_charge(
				False, [RepairPart("r", "SCREEN", Decimal(1), Decimal(0))], "LABOUR", Decimal(0), Decimal(0)
			)

	def test_nothing_to_charge_is_refused(self):
		with pytest.raises(ValueError, match="needs parts or labour"):
			repair_charge(False, [], "LABOUR", Decimal(0), Decimal(40))

	@given(
		st.lists(
			st.tuples(
				st.integers(min_value=1, max_value=9),
				st.decimals(min_value="0.01", max_value="999", places=2),
			),
			max_size=6,
		),
		st.decimals(min_value=0, max_value=20, places=1),
		st.decimals(min_value=0, max_value=200, places=2),
	)
	def test_total_is_parts_plus_labour_to_the_cent(self, parts, hours, rate):
		repair_parts = [
			RepairPart(f"r{i}", f"P{i}", Decimal(qty), price) for i, (qty, price) in enumerate(parts)
		]
		try:
			charge = repair_charge(False, repair_parts, "LABOUR", hours, rate)
		except ValueError:
			assert not parts and (hours == 0 or rate == 0)
			return
		expected = sum((Decimal(qty) * price for qty, price in parts), Decimal(0))
		if hours > 0 and rate > 0:
			expected += (hours * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
		assert charge.total == expected


class TestCompletionMove:
	customers = (CONSIGNMENT, VIRTUAL)

	def test_customer_unit_ships_back_at_quantity_only(self):
		move = completion_move(SHIP_TO_CUSTOMER, CONSIGNMENT, self.customers, None)
		assert (move.source, move.target, move.quantity_only) == (CONSIGNMENT, None, True)

	def test_company_unit_returns_to_finished_goods_at_value(self):
		move = completion_move(RETURN_TO_STOCK, RETURNS, self.customers, FINISHED)
		assert (move.source, move.target, move.quantity_only) == (RETURNS, FINISHED, False)

	def test_mixing_them_up_is_refused(self):
		with pytest.raises(ValueError, match="the customer's"):
			completion_move(RETURN_TO_STOCK, VIRTUAL, self.customers, FINISHED)
		with pytest.raises(ValueError, match="company stock"):
			completion_move(SHIP_TO_CUSTOMER, RETURNS, self.customers, None)
		with pytest.raises(ValueError, match="finished-goods warehouse"):
			completion_move(RETURN_TO_STOCK, RETURNS, self.customers, None)
		with pytest.raises(ValueError, match="Choose what happens"):
			completion_move("", RETURNS, self.customers, FINISHED)

	def test_on_site_repair_moves_nothing(self):
		assert completion_move(SHIP_TO_CUSTOMER, None, self.customers, None) is None
