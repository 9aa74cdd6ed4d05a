"""Mail-in testing of a quality fault (seed 003, 先進行檢測), as ERPNext documents.

The warehouse receives the customer's unit at quantity only into the consignment-repair warehouse
(Test Unit In), the inspector tests it, and only then is it decided on. A unit the company takes
back leaves that warehouse just before the usual goods-in (Test Unit Taken Over); a unit with no
fault found, or damaged by the customer, goes back whole to the customer (Test Unit Shipped Back,
whose carrier and tracking number the warehouse records like any shipment), once customer service
recorded that the customer accepts the test report, and the freight of both ways is charged to the
customer on the return shipping entries.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.case_stages import stage_of
from aftersales_module.controllers.claim_vouchers import journal_entry, party_line
from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.return_documents import find_posting, submit_posting
from aftersales_module.controllers.return_postings import make_freight_entry
from aftersales_module.controllers.steps import acting_user, differs
from aftersales_module.controllers.stock_entries import item_row, new_stock_entry
from aftersales_module.core import mail_in as rules
from aftersales_module.core.enums import InspectionResult, ShippingPayer
from aftersales_module.core.spare_postings import split_serials
from aftersales_module.core.stages import Stage

FREIGHT_BACK = "Freight Back"


class MailInError(frappe.ValidationError):
	pass


def test_unit(case) -> rules.UnitForTesting:
	return rules.UnitForTesting(
		mail_in=rules.is_mail_in(case.reason_category, case.request_type),
		status=case.get("test_unit_status") or None,
		report_accepted=bool(case.get("test_report_accepted_on")),
	)


def case_facts(case) -> dict:
	"""The facts of the case's unit for testing that the stage moves are checked against."""
	unit = test_unit(case)
	return {"test_unit_awaited": unit.awaited, "test_unit_held": unit.held}


def refuse(message, title: str | None = None) -> None:
	if message:
		frappe.throw(translate(message), MailInError, title=title or _("Not Now"))


def clear_server_fields(case) -> None:
	"""A draft (or an amended copy) has no unit in and no acceptance, whatever a client sent."""
	for fieldname in (
		"test_unit_status",
		"test_unit_entry",
		"test_report_accepted_by",
		"test_report_accepted_on",
	):
		case.set(fieldname, None)


# ---- the order: received, tested, decided ---------------------------------------------------------------


def check_test_order(case) -> None:
	"""before_update_after_submit: a test result is entered only for a unit that came in."""
	before = case.get_doc_before_save()
	if before is None:
		return
	old = {row.name: row.inspection_result for row in before.items}
	if any(differs(row.inspection_result, old.get(row.name)) for row in case.items if row.inspection_result):
		refuse(rules.result_refusal(test_unit(case)), _("Receive the Unit First"))


def after_decision(case, from_stage: Stage, to_stage: Stage) -> None:
	"""No fault found, or a rejected unit: the customer pays the freight both ways (seed 003)."""
	if not test_unit(case).received or from_stage == to_stage:
		return
	no_fault = any(row.inspection_result == InspectionResult.NO_DEFECT_FOUND for row in case.items)
	if (to_stage == Stage.REVIEW and no_fault) or to_stage == Stage.REJECTED:
		case.shipping_payer = ShippingPayer.CUSTOMER.value
		case.set_refund()  # the shares of the return shipping, as the form shows them


# ---- the postings ----------------------------------------------------------------------------------------


def receive_for_testing(case, received_serials: dict[str, str]) -> None:
	"""The customer's unit comes in to be tested: at quantity only, it is still the customer's."""
	refuse(rules.receipt_refusal(test_unit(case), stage_of(case)))
	for row in case.items:
		row.received_qty = row.qty
		row.received_condition = row.received_condition or "Good"
		if received_serials.get(row.name):
			# the units that arrived: a serial number each
			serials = split_serials(received_serials[row.name])
			row.received_serial_no = "\n".join(serials)
			row.received_qty = len(serials)
	case.validate_received_serial_nos()
	entry = unit_entry(case, rules.TEST_UNIT_IN, _("Received for testing under {0}").format(case.name))
	submit_posting(case, entry, rules.TEST_UNIT_IN)
	case.test_unit_entry = entry.name
	case.test_unit_status = rules.IN_FOR_TESTING


def take_over_test_unit(case) -> None:
	"""Before the goods come back the usual way, the unit held for testing leaves the customer's pool."""
	if not test_unit(case).held or find_posting(case, rules.TEST_UNIT_TAKEN_OVER, "Stock Entry"):
		return
	entry = unit_entry(
		case, rules.TEST_UNIT_TAKEN_OVER, _("Taken back after testing under {0}").format(case.name)
	)
	submit_posting(case, entry, rules.TEST_UNIT_TAKEN_OVER)
	case.test_unit_status = rules.TAKEN_OVER


def record_report_acceptance(case) -> None:
	no_fault = any(row.inspection_result == InspectionResult.NO_DEFECT_FOUND for row in case.items)
	refuse(rules.acceptance_refusal(test_unit(case), stage_of(case), no_fault))
	case.test_report_accepted_by = acting_user()
	case.test_report_accepted_on = now_datetime()


def ship_unit_back(case, carrier: str | None, freight_back: Decimal) -> str:
	"""The whole set goes back to the customer, who pays the freight both ways."""
	refuse(rules.ship_back_refusal(test_unit(case), stage_of(case)))
	if freight_back and not carrier:
		refuse(_("Name the carrier who takes the unit back (Carrier): the freight is owed to them."))
	entry = unit_entry(
		case, rules.TEST_UNIT_SHIPPED_BACK, _("Shipped back after testing under {0}").format(case.name)
	)
	submit_posting(case, entry, rules.TEST_UNIT_SHIPPED_BACK)
	case.test_unit_status = rules.SHIPPED_BACK
	case.shipping_payer = ShippingPayer.CUSTOMER.value
	case.set_refund()  # the customer's and the company's shares of the return shipping, as the form shows them
	make_freight_entry(case)
	if freight_back:
		charge_freight_back(case, carrier, freight_back)
	return entry.name


def unit_entry(case, entry_type: str, remarks: str):
	"""The customer's units, at quantity only, into the consignment-repair warehouse as the lines say they
	came, or out of it exactly as they came in."""
	settings = get_company_settings(case.company)
	entry = new_stock_entry(case.company, entry_type, remarks)
	incoming = entry_type == rules.TEST_UNIT_IN
	for item_code, qty, serial_no, batch_no in units_received(case) if incoming else units_in(case):
		entry.append(
			"items",
			{
				**item_row(item_code, qty, serial_no, quantity_only=True, batch_no=batch_no),
				"t_warehouse" if incoming else "s_warehouse": settings.consignment_repair_warehouse,
				"basic_rate": 0,
				"expense_account": settings.warranty_expense_account,
				"cost_center": settings.cost_center,
			},
		)
	if not entry.items:
		refuse(_("None of the lines is a stock item that can be received for testing."))
	return entry


def units_received(case) -> list[tuple]:
	return [
		(row.item_code, row.received_qty, row.received_serial_no or row.serial_no, row.batch_no)
		for row in case.items
		if flt(row.received_qty) > 0 and frappe.get_cached_value("Item", row.item_code, "is_stock_item")
	]


def units_in(case) -> list[tuple]:
	"""What the Test Unit In entry brought in, line by line, with its serial numbers and batch."""
	units = []
	for item in frappe.get_doc("Stock Entry", case.test_unit_entry).items:
		serial_no, batch_no = item.serial_no, item.batch_no
		if item.serial_and_batch_bundle:
			entries = frappe.get_all(
				"Serial and Batch Entry",
				filters={"parent": item.serial_and_batch_bundle},
				fields=["serial_no", "batch_no"],
			)
			serial_no = "\n".join(row.serial_no for row in entries if row.serial_no) or None
			batch_no = next((row.batch_no for row in entries if row.batch_no), None)
		units.append((item.item_code, item.qty, serial_no, batch_no))
	return units


def charge_freight_back(case, carrier: str, amount: Decimal) -> None:
	"""The freight of sending the unit back, owed to the carrier and charged to the customer."""
	if find_posting(case, FREIGHT_BACK, "Journal Entry"):
		return
	settings = get_company_settings(case.company)
	entry = journal_entry(
		case,
		_("Freight of shipping the tested unit back for Return Request {0}").format(case.name),
		[
			{"account": settings.return_shipping_account, "debit_in_account_currency": flt(amount)},
			party_line(case, "Supplier", carrier, "credit", amount),
			party_line(case, "Customer", case.customer, "debit", amount),
			{"account": settings.return_shipping_account, "credit_in_account_currency": flt(amount)},
		],
	)
	submit_posting(case, entry, FREIGHT_BACK, None, flt(amount))
