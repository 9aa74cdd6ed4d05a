# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The filters the KPI, Slow Steps and Return Analysis reports are run with, checked as the app's
method arguments are: a company that exists, a real period, a known grouping; anything else gets a
message naming the filter and what to give."""

import frappe
from frappe import _

from aftersales_module.controllers.argument_checks import (
	choice_argument,
	date_argument,
	flag_argument,
	link_argument,
	text_argument,
)


def check_period(filters, group_bys: tuple[str, ...], default_group_by: str):
	filters.company = link_argument(filters.company, "Company", _("Company"))
	start = date_argument(filters.from_date, _("From Date"))
	end = date_argument(filters.to_date, _("To Date"))
	if not (start and end) or start > end:
		frappe.throw(_("Give a From Date on or before the To Date."), title=_("Period Needed"))
	filters.from_date, filters.to_date = start.isoformat(), end.isoformat()
	filters.group_by = choice_argument(filters.group_by or default_group_by, _("Group By"), group_bys)
	return filters


def check_drill_down(filters, label: str) -> bool:
	"""Show Cases ticked or not; the group a drill-down keeps to, as text."""
	filters.show_cases = flag_argument(filters.show_cases or 0, _(label))
	filters.group = text_argument(filters.get("group"), _("Group"), required=False)
	return filters.show_cases
