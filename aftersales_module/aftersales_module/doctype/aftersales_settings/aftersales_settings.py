# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from aftersales_module.controllers.service_levels import calendar_of
from aftersales_module.setup.company import AFTERSALES_ACCOUNTS, AFTERSALES_WAREHOUSES


class AftersalesSettingsError(frappe.ValidationError):
	pass


class AftersalesSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from aftersales_module.aftersales_module.doctype.aftersales_company_settings.aftersales_company_settings import (
			AftersalesCompanySettings,
		)
		from aftersales_module.aftersales_module.doctype.aftersales_working_hours.aftersales_working_hours import (
			AftersalesWorkingHours,
		)

		company_settings: DF.Table[AftersalesCompanySettings]
		compensation_posting: DF.Literal["Journal Entry", "Credit Note"]
		default_policies_installed: DF.Check
		first_response_minutes: DF.Int
		holiday_list: DF.Link | None
		record_retention_years: DF.Int
		recovery_posting: DF.Literal["Journal Entry", "Debit Note"]
		repair_first_contact_hours: DF.Int
		result_feedback_hours: DF.Int
		sla_at_risk_percent: DF.Percent
		spare_unit_return_days: DF.Int
		working_hours: DF.Table[AftersalesWorkingHours]
	# end: auto-generated types

	def validate(self):
		self.validate_one_row_per_company()
		self.validate_warehouses_belong_to_company()
		self.validate_accounts_belong_to_company()
		calendar_of(self)  # refuses hours that end before they start or overlap

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

	def validate_warehouses_belong_to_company(self):
		for row in self.company_settings:
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

	def validate_accounts_belong_to_company(self):
		for row in self.company_settings:
			for fieldname, _account_name, root_type, _sibling in AFTERSALES_ACCOUNTS:
				account = row.get(fieldname)
				if not account:
					continue
				values = frappe.db.get_value("Account", account, ["company", "root_type"], as_dict=True)
				if values.company != row.company or values.root_type != root_type:
					frappe.throw(
						_("Row #{0}: {1} must be an account of company {2} of type {3}; {4} is not.").format(
							row.idx,
							_(row.meta.get_label(fieldname)),
							_(root_type),
							frappe.bold(row.company),
							frappe.bold(account),
						),
						exc=AftersalesSettingsError,
						title=_("Wrong Account"),
					)


def get_company_settings(company: str):
	"""The after-sales warehouses and accounts of a company; tells the user how to fix it when missing."""
	settings = frappe.get_cached_doc("Aftersales Settings")
	row = next((row for row in settings.company_settings if row.company == company), None)
	if not row:
		frappe.throw(
			_(
				"Company {0} has no row in Aftersales Settings. Add it there, or save the company once."
			).format(frappe.bold(company)),
			exc=AftersalesSettingsError,
			title=_("After-sales Not Set Up"),
		)
	return row
