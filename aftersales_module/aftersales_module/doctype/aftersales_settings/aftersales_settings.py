# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from aftersales_module.controllers.argument_checks import names_argument
from aftersales_module.controllers.field_checks import FieldChecks
from aftersales_module.controllers.service_levels import calendar_of
from aftersales_module.controllers.steps import require_role
from aftersales_module.setup.company import (
	AFTERSALES_ACCOUNTS,
	AFTERSALES_WAREHOUSES,
	enable_company,
	fill_company_row,
)
from aftersales_module.setup.default_policies import install_phone_policy
from aftersales_module.setup.roles import AFTERSALES_MANAGER


class AftersalesSettingsError(frappe.ValidationError):
	pass


class AftersalesSettings(FieldChecks, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.aftersales_company_settings.aftersales_company_settings import (
			AftersalesCompanySettings,
		)
		from aftersales_module.aftersales_module.doctype.aftersales_kpi_target.aftersales_kpi_target import (
			AftersalesKPITarget,
		)
		from aftersales_module.aftersales_module.doctype.aftersales_stage_target.aftersales_stage_target import (
			AftersalesStageTarget,
		)
		from aftersales_module.aftersales_module.doctype.aftersales_working_hours.aftersales_working_hours import (
			AftersalesWorkingHours,
		)

		company_settings: DF.Table[AftersalesCompanySettings]
		compensation_posting: DF.Literal["Journal Entry", "Credit Note"]
		default_policies_installed: DF.Check
		first_response_minutes: DF.Int
		holiday_list: DF.Link | None
		kpi_targets: DF.Table[AftersalesKPITarget]
		record_retention_years: DF.Int
		recovery_posting: DF.Literal["Journal Entry", "Debit Note"]
		repair_first_contact_hours: DF.Int
		result_feedback_hours: DF.Int
		sla_at_risk_percent: DF.Percent
		spare_unit_return_days: DF.Int
		stage_targets: DF.Table[AftersalesStageTarget]
		working_hours: DF.Table[AftersalesWorkingHours]
	# end: auto-generated types

	field_error = AftersalesSettingsError

	def before_validate(self):
		# A company added here starts after-sales: the warehouses and accounts left empty are made on save.
		for row in self.changed_company_rows():
			fill_company_row(row, keep_chosen=True)

	def validate(self):
		self.validate_one_row_per_company()
		for row in self.changed_company_rows():
			self.validate_warehouses_belong_to_company(row)
			self.validate_accounts_belong_to_company(row)
		calendar_of(self)  # refuses hours that end before they start or overlap
		self.validate_one_target_each()

	def validate_one_target_each(self):
		"""A company has one target per measure and one per stage of a case type."""
		for table, key in (
			("kpi_targets", ("company", "measure")),
			("stage_targets", ("company", "case_doctype", "stage")),
		):
			seen = set()
			for row in self.get(table):
				if isinstance(row.get("stage"), str):
					row.stage = row.stage.strip()
				values = tuple(row.get(fieldname) for fieldname in key)
				if values in seen:
					frappe.throw(
						_("{0}, row #{1}: {2} has a target for {3} already; keep one.").format(
							_(self.meta.get_label(table)),
							row.idx,
							frappe.bold(row.company),
							frappe.bold(" / ".join(_(str(value)) for value in values[1:])),
						),
						exc=AftersalesSettingsError,
						title=_("Duplicate Target"),
					)
				seen.add(values)

	def changed_company_rows(self) -> list:
		"""Rows added or edited in this save; the others were checked when they were saved."""
		before = self.get_doc_before_save()
		saved = {
			row.company: row.as_dict(no_default_fields=True)
			for row in (before.company_settings if before else [])
		}
		return [
			row
			for row in self.company_settings
			if saved.get(row.company) != row.as_dict(no_default_fields=True)
		]

	def validate_one_row_per_company(self):
		seen = set()
		for row in self.company_settings:
			if row.company in seen:
				frappe.throw(
					_("Row #{0}: company {1} is listed twice.").format(row.idx, frappe.bold(row.company)),
					exc=AftersalesSettingsError,
					title=_("Duplicate Company"),
				)
			seen.add(row.company)

	def validate_warehouses_belong_to_company(self, row):
		for fieldname, *_rest in AFTERSALES_WAREHOUSES:
			warehouse = row.get(fieldname)
			if warehouse and frappe.db.get_value("Warehouse", warehouse, "company") != row.company:
				frappe.throw(
					_("Row #{0}: {1} {2} does not belong to company {3}.").format(
						row.idx,
						_(row.meta.get_label(fieldname)),
						frappe.bold(warehouse),
						frappe.bold(row.company),
					),
					exc=AftersalesSettingsError,
					title=_("Wrong Company"),
				)

	def validate_accounts_belong_to_company(self, row):
		for fieldname, _account_name, root_type, _sibling in AFTERSALES_ACCOUNTS:
			account = row.get(fieldname)
			if not account:
				continue
			values = frappe.db.get_value("Account", account, ["company", "root_type"], as_dict=True) or {}
			if values.get("company") != row.company or values.get("root_type") != root_type:
				frappe.throw(
					_("Row #{0}: {1} must be an account of company {2} of type {3}; {4} is not.").format(
						row.idx,
						_(row.meta.get_label(fieldname)),
						frappe.bold(row.company),
						_(root_type),
						frappe.bold(account),
					),
					exc=AftersalesSettingsError,
					title=_("Wrong Account"),
				)


def get_company_settings(company: str):
	"""The after-sales warehouses and accounts of a company. The first case of a company that does not
	use after-sales yet starts it, as if a manager had added the company in Aftersales Settings."""
	settings = frappe.get_cached_doc("Aftersales Settings")
	row = next((row for row in settings.company_settings if row.company == company), None)
	if row:
		return row
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(
			_("Company {0} does not exist. Pick the company of the case.").format(frappe.bold(company)),
			exc=AftersalesSettingsError,
			title=_("After-sales Not Set Up"),
		)
	return enable_company(company)


@frappe.whitelist()
def enable_companies(companies: list | str | None = None) -> list[str]:
	"""The Enable for Companies button: after-sales starts for each company picked."""
	require_manager()
	companies = names_argument(companies, _("Companies"))
	for company in companies or []:
		if not frappe.db.exists("Company", company):
			frappe.throw(
				_("Company {0} does not exist. Pick an existing company.").format(frappe.bold(company)),
				exc=AftersalesSettingsError,
				title=_("Unknown Company"),
			)
		enable_company(company)
	return list(companies or [])


@frappe.whitelist()
def install_phone_sample_policy() -> str:
	"""The Add Phone Sample Policy button: the mobile-phone 三包 policy and its item groups, if missing."""
	require_manager()
	return install_phone_policy()


def require_manager() -> None:
	require_role(frappe.get_single("Aftersales Settings"), AFTERSALES_MANAGER)
