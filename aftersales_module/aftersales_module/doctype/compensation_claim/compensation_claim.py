# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from aftersales_module.aftersales_module.doctype.compensation_claim.claim_inputs import CLAIM_INPUTS
from aftersales_module.controllers import claim_postings, escalation
from aftersales_module.controllers.argument_checks import choice_argument, text_argument
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.messages import translate
from aftersales_module.controllers.postings import begin_cancel, whole_cancel
from aftersales_module.controllers.status_inputs import check_status_inputs
from aftersales_module.controllers.steps import as_app, finish_step, require_role, start_step
from aftersales_module.core.claims import (
	RECOVERABLE,
	Appraisal,
	ClaimLine,
	ClaimRemedy,
	LiableParty,
	Review,
	Settlement,
	Verdict,
	check_appraisal_complete,
	check_payment,
	check_remedy,
	check_review,
	check_ruling,
	check_settlement,
	claimed_value,
	default_handling,
	net_cost,
)
from aftersales_module.setup.custom_fields import COMPENSATION_CLAIM_LINK
from aftersales_module.setup.roles import AFTERSALES_MANAGER, CUSTOMER_SERVICE, QUALITY_INSPECTOR, WAREHOUSE

DRAFT = "Draft"
IN_REVIEW = "In Review"
DISPUTED = "Disputed"
READY_TO_APPROVE = "Ready to Approve"
APPROVED = "Approved"
CANCELLED = "Cancelled"

# Changing any of these after a review means the reviewers did not see what would be approved.
APPRAISED_FIELDS = (
	"appraisal_findings",
	"liable_party_type",
	"liable_supplier",
	"department",
	"employee",
	"claimed_value",
	"compensation_amount",
	"recovery_amount",
	"deduction_amount",
	"remedy",
)
REVIEW_FIELDS = (
	"first_reviewer",
	"first_verdict",
	"first_review_notes",
	"first_reviewed_on",
	"second_reviewer",
	"second_verdict",
	"second_review_notes",
	"second_reviewed_on",
	"ruled_by",
	"ruling",
	"ruled_on",
)
# What approval and the steps after it post and read from the ledgers; a draft has none of it.
POSTED_FIELDS = (
	"compensation_voucher_type",
	"compensation_voucher",
	"recovery_voucher_type",
	"recovery_voucher",
	"deduction_entry",
	"reissue_request",
	"labour_cost",
	"material_cost",
	"freight_cost",
	"compensation_cost",
	"total_cost",
)
OLD_PART_POSTED_FIELDS = ("receipt_entry", "handling_entry")


class CompensationClaim(FieldChecks, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.compensation_claim_item.compensation_claim_item import (
			CompensationClaimItem,
		)
		from aftersales_module.aftersales_module.doctype.compensation_claim_old_part.compensation_claim_old_part import (
			CompensationClaimOldPart,
		)

		amended_from: DF.Link | None
		appraisal_findings: DF.Text | None
		carrier: DF.Link | None
		claim_type: DF.Literal["Lost", "Damaged", "Delayed", "Wrong Shipment", "Quality"]
		claimed_value: DF.Currency
		company: DF.Link
		compensation_amount: DF.Currency
		compensation_cost: DF.Currency
		compensation_voucher: DF.DynamicLink | None
		compensation_voucher_type: DF.Link | None
		coupon_code: DF.Data | None
		currency: DF.Link | None
		customer: DF.Link
		customer_name: DF.Data | None
		deduction_amount: DF.Currency
		deduction_entry: DF.Link | None
		delivery_note: DF.Link | None
		department: DF.Link | None
		employee: DF.Link | None
		evidence: DF.AttachImage | None
		evidence_2: DF.AttachImage | None
		first_review_notes: DF.SmallText | None
		first_reviewed_on: DF.Datetime | None
		first_reviewer: DF.Link | None
		first_verdict: DF.Literal["", "Confirmed", "Disputed"]
		freight_cost: DF.Currency
		incident_details: DF.SmallText | None
		inquiry_ticket: DF.Link | None
		items: DF.Table[CompensationClaimItem]
		labour_cost: DF.Currency
		liability_notes: DF.SmallText | None
		liable_party_type: DF.Literal["Carrier", "Supplier", "Internal", "Customer"]
		liable_supplier: DF.Link | None
		material_cost: DF.Currency
		naming_series: DF.Literal["CLM-.YYYY.-"]
		net_cost: DF.Currency
		old_parts: DF.Table[CompensationClaimOldPart]
		posting_date: DF.Date
		recovery_amount: DF.Currency
		recovery_voucher: DF.DynamicLink | None
		recovery_voucher_type: DF.Link | None
		reissue_request: DF.Link | None
		remedy: DF.Literal["Compensation", "Refund", "Reissue", "Coupon", "None"]
		ruled_by: DF.Link | None
		ruled_on: DF.Datetime | None
		ruling: DF.SmallText | None
		sales_invoice: DF.Link | None
		sales_order: DF.Link | None
		second_review_notes: DF.SmallText | None
		second_reviewed_on: DF.Datetime | None
		second_reviewer: DF.Link | None
		second_verdict: DF.Literal["", "Confirmed", "Disputed"]
		status: DF.Literal["Draft", "In Review", "Disputed", "Ready to Approve", "Approved", "Cancelled"]
		total_cost: DF.Currency
		tracking_no: DF.Data | None
	# end: auto-generated types

	step_inputs = CLAIM_INPUTS

	def validate(self):
		self.keep_server_values()
		check_status_inputs(self, CLAIM_INPUTS)
		self.currency = frappe.get_cached_value("Company", self.company, "default_currency")
		self.set_amounts()
		self.validate_liable_party()
		self.validate_settlement()
		self.validate_remedy()
		self.set_old_part_handling()
		self.clear_reviews_if_changed()
		self.set_status()

	def before_submit(self):
		require_role(self, QUALITY_INSPECTOR)
		problem = check_appraisal_complete(self.appraisal())
		if problem:
			frappe.throw(translate(problem), title=_("Appraisal Incomplete"))
		if flt(self.compensation_amount) > 0:
			claim_postings.check_remedy_rule(self, check_payment)

	def on_submit(self):
		self.status = APPROVED
		with as_app():
			claim_postings.post_settlement(self)
		claim_postings.update_cost_ledger(self)
		self.db_update()

	def before_update_after_submit(self):
		check_status_inputs(self, CLAIM_INPUTS)
		self.set_old_part_handling()

	def before_cancel(self):
		# Cancelling the claim cancels what it posted: only a user ERPNext lets cancel each of them
		# (or an after-sales manager) may.
		begin_cancel(self, COMPENSATION_CLAIM_LINK)

	def on_cancel(self):
		with whole_cancel(self), as_app():
			claim_postings.cancel_claim_postings(self)
		self.db_set("status", CANCELLED)

	def on_trash(self):
		if self.docstatus != 0:
			claim_postings.check_retention(self.doctype, self.name, self.posting_date)

	# ---- figures ------------------------------------------------------------------------------------

	def lines(self) -> list[ClaimLine]:
		return [ClaimLine(row.item_code, flt(row.qty), flt(row.rate)) for row in self.items]

	def settlement(self) -> Settlement:
		return Settlement(
			LiableParty(self.liable_party_type),
			flt(self.compensation_amount),
			flt(self.recovery_amount),
			flt(self.deduction_amount),
		)

	def set_amounts(self):
		for row in self.items:
			row.amount = flt(flt(row.qty) * flt(row.rate), row.precision("amount"))
		self.claimed_value = flt(claimed_value(self.lines()))
		self.net_cost = flt(
			net_cost(self.compensation_amount or 0, self.recovery_amount or 0, self.deduction_amount or 0)
		)

	def validate_liable_party(self):
		party = LiableParty(self.liable_party_type)
		if party in RECOVERABLE and not self.liable_supplier:
			frappe.throw(
				_("Choose the liable {0} (a Supplier) in Liable Carrier or Supplier.").format(
					_(party.value).lower()
				),
				title=_("Liable Party Missing"),
			)
		if party == LiableParty.INTERNAL and not (self.department or self.employee):
			frappe.throw(
				_("Name the liable department or employee for an internal liability."),
				title=_("Liable Party Missing"),
			)
		if party not in RECOVERABLE:
			self.liable_supplier = None
		if party != LiableParty.INTERNAL:
			self.department = self.employee = None
		if self.employee and frappe.db.get_value("Employee", self.employee, "company") != self.company:
			frappe.throw(
				_("Employee {0} does not work for {1}.").format(frappe.bold(self.employee), self.company),
				title=_("Wrong Company"),
			)

	def validate_settlement(self):
		problems = check_settlement(self.settlement(), self.claimed_value)
		if problems:
			frappe.throw(
				"<br>".join(translate(problem) for problem in problems), title=_("Settlement Not Valid")
			)

	def validate_remedy(self):
		if ClaimRemedy(self.remedy) != ClaimRemedy.COUPON:
			self.coupon_code = None
		problems = check_remedy(ClaimRemedy(self.remedy), flt(self.compensation_amount), self.coupon_code)
		if problems:
			frappe.throw(
				"<br>".join(translate(problem) for problem in problems),
				claim_postings.RemedyError,
				title=_("Remedy {0}").format(_(self.remedy)),
			)

	def set_old_part_handling(self):
		for row in self.old_parts:
			if row.condition and not row.handling:
				row.handling = default_handling(row.condition)

	# ---- appraisal ----------------------------------------------------------------------------------

	def appraisal(self) -> Appraisal:
		return Appraisal(
			self.appraisal_findings,
			Review(self.first_reviewer, Verdict(self.first_verdict) if self.first_verdict else None),
			Review(self.second_reviewer, Verdict(self.second_verdict) if self.second_verdict else None),
			self.ruled_by,
			self.ruling,
		)

	def keep_server_values(self):
		"""What the server decides is never taken from the client. Permission levels reset it for users;
		this also holds for a new claim and for users who bypass them. Validate runs only while the
		claim is a draft or being approved, when nothing is posted yet."""
		for fieldname in POSTED_FIELDS:
			self.set(fieldname, None)
		for row in self.old_parts:
			for fieldname in OLD_PART_POSTED_FIELDS:
				row.set(fieldname, None)
		if self.flags.server_step:
			return
		before = None if self.is_new() else self.get_doc_before_save()
		for fieldname in REVIEW_FIELDS:
			self.set(fieldname, before.get(fieldname) if before else None)

	def clear_reviews_if_changed(self):
		if self.is_new() or self.flags.reviewing or not self.first_reviewer:
			return
		if any(self.has_value_changed(fieldname) for fieldname in APPRAISED_FIELDS):
			for fieldname in REVIEW_FIELDS:
				self.set(fieldname, None)
			frappe.msgprint(
				_("The appraisal or settlement changed after it was reviewed, so both reviews start again."),
				alert=True,
			)

	def set_status(self):
		if self.docstatus == 1:
			self.status = APPROVED
			return
		appraisal = self.appraisal()
		if not appraisal.first.done:
			self.status = DRAFT
		elif appraisal.disputed and appraisal.second.done and not self.ruled_by:
			self.status = DISPUTED
		elif check_appraisal_complete(appraisal) is None:
			self.status = READY_TO_APPROVE
		else:
			self.status = IN_REVIEW

	@frappe.whitelist()
	def review(self, verdict: str | None = None, notes: str | None = None):
		"""The next review of the appraisal: the first, or the second by somebody else."""
		start_step(self, QUALITY_INSPECTOR)
		self.ensure_draft()
		choice_argument(verdict, _("Verdict"), [verdict.value for verdict in Verdict])
		text_argument(notes, _("Review Notes"), required=False)
		user = frappe.session.user
		problem = check_review(self.appraisal(), user)
		if problem:
			frappe.throw(translate(problem), title=_("Review Not Allowed"))
		stage = "second" if self.first_reviewer else "first"
		self.update(
			{
				f"{stage}_reviewer": user,
				f"{stage}_verdict": Verdict(verdict).value,
				f"{stage}_review_notes": notes,
				f"{stage}_reviewed_on": now_datetime(),
			}
		)
		self.finish_review()

	@frappe.whitelist()
	def rule(self, ruling: str | None = None):
		"""The manager's ruling 改判 on a disputed appraisal."""
		start_step(self, AFTERSALES_MANAGER)
		self.ensure_draft()
		text_argument(ruling, _("Ruling"), required=False)
		problem = check_ruling(self.appraisal(), frappe.session.user, ruling)
		if problem:
			frappe.throw(translate(problem), title=_("Ruling Not Allowed"))
		self.update({"ruled_by": frappe.session.user, "ruling": ruling, "ruled_on": now_datetime()})
		self.finish_review()

	def finish_review(self):
		self.flags.reviewing = True
		try:
			self.finish()
		finally:
			self.flags.reviewing = False

	def finish(self):
		"""Save what a step decided, then treat the document as a client's again."""
		try:
			finish_step(self)
		finally:
			self.flags.server_step = False

	def ensure_draft(self):
		if self.docstatus != 0:
			frappe.throw(_("The claim is already approved or cancelled."), title=_("Not a Draft"))

	# ---- after approval -----------------------------------------------------------------------------

	def ensure_approved(self):
		if self.docstatus != 1:
			frappe.throw(_("Approve the claim first."), title=_("Not Approved"))

	@frappe.whitelist()
	def receive_old_parts(self):
		start_step(self, QUALITY_INSPECTOR, WAREHOUSE)
		self.ensure_approved()
		with as_app():
			claim_postings.receive_old_parts(self)
		self.finish()

	@frappe.whitelist()
	def handle_old_parts(self):
		start_step(self, QUALITY_INSPECTOR, WAREHOUSE)
		self.ensure_approved()
		self.set_old_part_handling()
		with as_app():
			claim_postings.handle_old_parts(self)
		self.finish()

	@frappe.whitelist()
	def make_reissue(self) -> str:
		"""The claimed goods sent again: only under the remedy Reissue, never for a loss already paid."""
		start_step(self, CUSTOMER_SERVICE)
		self.flags.server_step = False
		self.ensure_approved()
		return escalation.make_claim_reissue(self)

	@frappe.whitelist()
	def refresh_cost_ledger(self):
		"""The cost ledger read again from the documents; any reader may ask, so the claim is read
		from the database first and nothing the client sent counts."""
		self.check_permission("read")
		if not self.is_new():
			self.load_from_db()
		values = claim_postings.update_cost_ledger(self)
		if self.docstatus == 1:
			self.db_set(values)
		return values
