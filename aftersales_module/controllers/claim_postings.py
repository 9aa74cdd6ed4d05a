"""The ERPNext documents a Compensation Claim posts, each made once and linked back to the claim.

- Compensation to the customer: a Journal Entry crediting the customer's receivable, or a credit
  note (a Sales Invoice return without goods), as Aftersales Settings says.
- Recovery 二次追償 from the liable carrier or supplier: a Journal Entry debiting the supplier's
  payable, or a debit note (a Purchase Invoice return without goods).
- Deduction from an internal party: a Journal Entry to the staff deductions account, with the
  liable employee as its party.
- Old parts 舊件: received into the old-parts warehouse at quantity only, then restocked, scrapped
  or sent back to the supplier.

Every document carries `aftersales_compensation_claim` back to the claim and, in
`aftersales_posting`, what it was made for; those are how the claim finds what it posted: a retried
approval finds the live document and makes nothing new, and cancelling the claim cancels the live
documents they name, newest first. The claim shows the names (server-owned fields); nothing is
decided from them. Postings are made by the app for the acting user (`as_app`), after the claim's
own role check.

The claim's remedy decides what is posted for the customer: only Compensation or Refund pays them,
and never for a loss a reissue already replaces.
"""

from datetime import date

import frappe
from erpnext.accounts.party import get_party_account
from frappe import _
from frappe.utils import add_years, flt, getdate, nowdate
from frappe.utils.nestedset import get_root_of

from aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings import (
	get_company_settings,
)
from aftersales_module.controllers.claim_vouchers import journal_entry, note_without_goods, party_line
from aftersales_module.controllers.messages import apply_rule, translate
from aftersales_module.controllers.postings import (
	cancel_documents,
	insert_and_submit,
	posted_documents,
	posting_key,
)
from aftersales_module.controllers.stock_entries import item_row, new_stock_entry
from aftersales_module.core.claims import (
	ClaimRemedy,
	CostCategory,
	GivenForLoss,
	OldPart,
	PartCondition,
	PartHandling,
	Posting,
	cost_ledger,
	plan_old_part_handling,
	plan_remedy_postings,
)
from aftersales_module.core.repairs import OLD_PART_RECEIVED
from aftersales_module.setup.custom_fields import (
	COMPENSATION_CLAIM_LINK,
	POSTING_KEY,
	REPAIR_ORDER_LINK,
	RETURN_REQUEST_LINK,
)

CREDIT_NOTE = "Credit Note"
DEBIT_NOTE = "Debit Note"


class RemedyError(frappe.ValidationError):
	"""The customer would be given something the claim's remedy does not give, or twice for one loss."""


SETTLEMENT_DOCTYPES = {
	Posting.COMPENSATION: ("Journal Entry", "Sales Invoice"),
	Posting.RECOVERY: ("Journal Entry", "Purchase Invoice"),
	Posting.DEDUCTION: ("Journal Entry",),
}
OLD_PART_RECEIPT = "Old Part Receipt"
OLD_PART_HANDLING = "Old Part Handling"


def submit(doc, claim, purpose: str) -> str:
	"""Make the document linked back to the claim with what it was made for."""
	doc.set(COMPENSATION_CLAIM_LINK, claim.name)
	doc.set(POSTING_KEY, posting_key(purpose))
	insert_and_submit(doc)
	return doc.name


def is_live(doctype: str | None, name: str | None) -> bool:
	return bool(doctype and name and frappe.db.get_value(doctype, name, "docstatus") == 1)


def find_claim_posting(claim_name: str, purpose: str, doctypes) -> tuple[str, str] | None:
	"""The live document the claim posted for `purpose`, found by its back-link and posting key."""
	for doctype in doctypes:
		name = frappe.db.get_value(
			doctype,
			{COMPENSATION_CLAIM_LINK: claim_name, POSTING_KEY: posting_key(purpose), "docstatus": 1},
			"name",
			order_by="creation asc",
		)
		if name:
			return doctype, name
	return None


# ---- remedy --------------------------------------------------------------------------------------------


def given_for_loss(claim) -> GivenForLoss:
	"""What the customer was already given for the claimed loss: the compensation this claim posted,
	and a live reissue made from the claim or from the inquiry ticket it came from. The ticket row is
	locked, so a reissue from the ticket and this claim's payment are decided one after the other."""
	paid = find_claim_posting(claim.name, Posting.COMPENSATION, SETTLEMENT_DOCTYPES[Posting.COMPENSATION])
	reissue = frappe.db.get_value(
		"Return Request",
		{"compensation_claim": claim.name, "request_type": "Reissue", "docstatus": ("<", 2)},
		"name",
	)
	if not reissue and claim.inquiry_ticket:
		ticket_reissue = frappe.db.get_value(
			"Inquiry Ticket", claim.inquiry_ticket, "reissue_request", for_update=True
		)
		if ticket_reissue and frappe.db.get_value("Return Request", ticket_reissue, "docstatus") in (0, 1):
			reissue = ticket_reissue
	return GivenForLoss(paid[1] if paid else None, reissue)


# ---- settlement ----------------------------------------------------------------------------------------


def check_remedy_rule(claim, rule, given: GivenForLoss | None = None) -> None:
	"""Refuse, naming the remedy, what `rule` (check_payment or check_reissue) does not allow."""
	problem = rule(ClaimRemedy(claim.remedy), given_for_loss(claim) if given is None else given)
	if problem:
		frappe.throw(translate(problem), RemedyError, title=_("Remedy {0}").format(_(claim.remedy)))


def post_settlement(claim) -> None:
	"""Compensation, recovery and deduction of an approved claim, those not posted yet, as its remedy
	allows."""
	settings = frappe.get_cached_doc("Aftersales Settings")
	try:
		plan = plan_remedy_postings(claim.settlement(), ClaimRemedy(claim.remedy), given_for_loss(claim))
	except ValueError as refused:
		frappe.throw(translate(refused.args[0]), RemedyError, title=_("Remedy {0}").format(_(claim.remedy)))
	for posting, amount in plan:
		posted = find_claim_posting(claim.name, posting, SETTLEMENT_DOCTYPES[posting])
		if posting == Posting.COMPENSATION:
			maker = (
				compensation_credit_note
				if settings.compensation_posting == CREDIT_NOTE
				else compensation_entry
			)
			claim.compensation_voucher_type, claim.compensation_voucher = posted or maker(claim, amount)
		elif posting == Posting.RECOVERY:
			maker = recovery_debit_note if settings.recovery_posting == DEBIT_NOTE else recovery_entry
			claim.recovery_voucher_type, claim.recovery_voucher = posted or maker(claim, amount)
		elif posting == Posting.DEDUCTION:
			claim.deduction_entry = posted[1] if posted else deduction_entry(claim, amount)


def compensation_entry(claim, amount) -> tuple[str, str]:
	"""Compensation expense against the customer: it lowers what they owe, or is owed to them."""
	accounts = get_company_settings(claim.company)
	entry = journal_entry(
		claim,
		_("Compensation to {0} under claim {1} ({2})").format(
			claim.customer, claim.name, _(claim.claim_type)
		),
		[
			{"account": accounts.compensation_expense_account, "debit_in_account_currency": flt(amount)},
			party_line(claim, "Customer", claim.customer, "credit", amount),
		],
	)
	return "Journal Entry", submit(entry, claim, Posting.COMPENSATION)


def compensation_credit_note(claim, amount) -> tuple[str, str]:
	"""A credit note without goods: the compensation expense against the customer's receivable."""
	accounts = get_company_settings(claim.company)
	invoice = note_without_goods(
		claim,
		{"doctype": "Sales Invoice", "customer": claim.customer},
		{"income_account": accounts.compensation_expense_account},
		amount,
		_("Compensation under claim {0} ({1})").format(claim.name, _(claim.claim_type)),
	)
	return "Sales Invoice", submit(invoice, claim, Posting.COMPENSATION)


def recovery_entry(claim, amount) -> tuple[str, str]:
	"""What the liable carrier or supplier owes back, debited to their payable account."""
	accounts = get_company_settings(claim.company)
	entry = journal_entry(
		claim,
		_("Recovery from {0} under claim {1} ({2})").format(
			claim.liable_supplier, claim.name, _(claim.claim_type)
		),
		[
			party_line(claim, "Supplier", claim.liable_supplier, "debit", amount),
			{"account": accounts.compensation_recovery_account, "credit_in_account_currency": flt(amount)},
		],
	)
	return "Journal Entry", submit(entry, claim, Posting.RECOVERY)


def recovery_debit_note(claim, amount) -> tuple[str, str]:
	"""A debit note without goods to the liable carrier or supplier."""
	accounts = get_company_settings(claim.company)
	invoice = note_without_goods(
		claim,
		{"doctype": "Purchase Invoice", "supplier": claim.liable_supplier},
		{"expense_account": accounts.compensation_recovery_account},
		amount,
		_("Recovery under claim {0} ({1})").format(claim.name, _(claim.claim_type)),
	)
	return "Purchase Invoice", submit(invoice, claim, Posting.RECOVERY)


def deduction_entry(claim, amount) -> str:
	"""The internal party's share, to the staff deductions account; the employee is its party."""
	accounts = get_company_settings(claim.company)
	liable = claim.employee or claim.department
	debit = {"account": accounts.staff_deduction_account, "debit_in_account_currency": flt(amount)}
	if claim.employee:
		debit.update(party_type="Employee", party=claim.employee)
	entry = journal_entry(
		claim,
		_("Deduction from {0} under claim {1} ({2})").format(liable, claim.name, _(claim.claim_type)),
		[
			debit,
			{"account": accounts.compensation_recovery_account, "credit_in_account_currency": flt(amount)},
		],
	)
	return submit(entry, claim, Posting.DEDUCTION)


# ---- old parts -----------------------------------------------------------------------------------------


def receive_old_parts(claim) -> None:
	"""Parts sent back with the claim enter the old-parts warehouse at quantity only."""
	rows = [row for row in claim.old_parts if not row.receipt_entry and flt(row.qty) > 0]
	if not rows:
		frappe.throw(_("Every old part on this claim is already received."), title=_("Nothing to Receive"))
	accounts = get_company_settings(claim.company)
	entry = new_stock_entry(
		claim.company, OLD_PART_RECEIVED, _("Old parts returned under claim {0}").format(claim.name)
	)
	for row in rows:
		entry.append(
			"items",
			{
				**item_row(row.item_code, row.qty, row.serial_no, quantity_only=True),
				"t_warehouse": accounts.old_parts_warehouse,
				"basic_rate": 0,
				"expense_account": accounts.warranty_expense_account,
				"cost_center": accounts.cost_center,
			},
		)
	name = submit(entry, claim, OLD_PART_RECEIPT)
	for row in rows:
		row.receipt_entry = name


def handle_old_parts(claim) -> None:
	"""Checked parts leave the old-parts warehouse: good ones restocked, bad ones scrapped or sent
	back to the supplier; one Stock Entry per kind of handling."""
	rows = {row.name: row for row in claim.old_parts}
	plan = apply_rule(
		plan_old_part_handling,
		[
			OldPart(
				row.name,
				row.item_code,
				bool(row.receipt_entry),
				PartCondition(row.condition) if row.condition else None,
				PartHandling(row.handling) if row.handling else None,
				bool(row.handling_entry),
			)
			for row in claim.old_parts
		],
		title=_("Old Parts"),
	)
	if not plan:
		frappe.throw(
			_("Receive the old parts and record their condition first."), title=_("Nothing to Handle")
		)
	accounts = get_company_settings(claim.company)
	for entry_type, line_keys in plan.items():
		entry = new_stock_entry(
			claim.company, entry_type, _("{0} under claim {1}").format(_(entry_type), claim.name)
		)
		for key in line_keys:
			row = rows[key]
			entry.append(
				"items",
				{
					**item_row(row.item_code, row.qty, row.serial_no, quantity_only=True),
					"s_warehouse": accounts.old_parts_warehouse,
					"t_warehouse": restock_warehouse(claim, row)
					if row.handling == PartHandling.RESTOCK
					else None,
					"expense_account": accounts.scrap_expense_account,
					"cost_center": accounts.cost_center,
				},
			)
		name = submit(entry, claim, OLD_PART_HANDLING)
		for key in line_keys:
			rows[key].handling_entry = name


def restock_warehouse(claim, row) -> str:
	warehouse = (
		row.restock_warehouse
		or frappe.db.get_value(
			"Item Default", {"parent": row.item_code, "company": claim.company}, "default_warehouse"
		)
		or frappe.db.get_single_value("Stock Settings", "default_warehouse")
	)
	if not warehouse or frappe.db.get_value("Warehouse", warehouse, "company") != claim.company:
		frappe.throw(
			_("Row #{0}: choose the Restock Warehouse of company {1} for {2}.").format(
				row.idx, frappe.bold(claim.company), frappe.bold(row.item_code)
			),
			title=_("Restock Warehouse Needed"),
		)
	return warehouse


# ---- cancellation and records --------------------------------------------------------------------------


def cancel_claim_postings(claim) -> None:
	"""Cancel the live documents that name the claim in their back-link, newest first."""
	cancel_documents(claim, posted_documents(COMPENSATION_CLAIM_LINK, claim.name))


def retention_ends(posting_date) -> date:
	years = frappe.db.get_single_value("Aftersales Settings", "record_retention_years")
	return add_years(getdate(posting_date), 5 if years is None else years)


def check_retention(doctype: str, name: str, posting_date) -> None:
	"""Claim records 賠償鑑定單 and what they posted are kept for the retention period."""
	until = retention_ends(posting_date)
	if getdate(nowdate()) < until:
		frappe.throw(
			_("{0} {1} is a compensation claim record and must be kept until {2}.").format(
				_(doctype), frappe.bold(name), frappe.format(until, "Date")
			),
			frappe.LinkExistsError,
			title=_("Record Kept"),
		)


def keep_claim_records(doc, method=None) -> None:
	"""doc_events on_trash: a document a claim posted stays as long as the claim's records do."""
	claim = doc.get(COMPENSATION_CLAIM_LINK)
	if claim and frappe.db.exists("Compensation Claim", claim):
		posting_date = frappe.db.get_value("Compensation Claim", claim, "posting_date")
		check_retention(doc.doctype, doc.name, posting_date)


# ---- cost ledger ---------------------------------------------------------------------------------------


def cost_entries(claim) -> list[tuple[CostCategory, float]]:
	"""Labour, material, freight and compensation of the claim, read from the documents posted for it,
	for the return requests (reissues) made from it and for their repair orders."""
	entries = []
	if find_claim_posting(claim.name, Posting.COMPENSATION, SETTLEMENT_DOCTYPES[Posting.COMPENSATION]):
		entries.append((CostCategory.COMPENSATION, flt(claim.compensation_amount)))

	requests = frappe.get_all(
		"Return Request", filters={"compensation_claim": claim.name, "docstatus": 1}, pluck="name"
	)
	if not requests:
		return entries
	orders = frappe.get_all(
		"Repair Order",
		filters={"return_request": ("in", requests), "docstatus": 1},
		fields=["name", "labour_hours", "labour_rate"],
	)
	# Labour costs the company its hours whether or not the customer is charged for them.
	entries += [(CostCategory.LABOUR, flt(order.labour_hours) * flt(order.labour_rate)) for order in orders]

	issues = frappe.get_all(
		"Stock Entry",
		filters={"docstatus": 1, "purpose": "Material Issue", RETURN_REQUEST_LINK: ("in", requests)},
		pluck="total_outgoing_value",
	)
	if orders:
		issues += frappe.get_all(
			"Stock Entry",
			filters={
				"docstatus": 1,
				"purpose": "Material Issue",
				REPAIR_ORDER_LINK: ("in", [order.name for order in orders]),
			},
			pluck="total_outgoing_value",
		)
	entries += [(CostCategory.MATERIAL, flt(value)) for value in issues]

	# The return freight the requests posted, found by the journal entries' own back-links.
	freight = frappe.get_all(
		"Journal Entry",
		filters={
			"docstatus": 1,
			RETURN_REQUEST_LINK: ("in", requests),
			POSTING_KEY: ("like", "Freight:%"),
		},
		pluck="total_debit",
	)
	entries += [(CostCategory.FREIGHT, flt(amount)) for amount in freight]
	return entries


def update_cost_ledger(claim) -> dict:
	ledger = cost_ledger(cost_entries(claim))
	values = {
		"labour_cost": flt(ledger[CostCategory.LABOUR]),
		"material_cost": flt(ledger[CostCategory.MATERIAL]),
		"freight_cost": flt(ledger[CostCategory.FREIGHT]),
		"compensation_cost": flt(ledger[CostCategory.COMPENSATION]),
	}
	values["total_cost"] = flt(sum(values.values()), 2)
	claim.update(values)
	return values
