# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt
"""The two measures that are not a share of cases: complaints per thousand orders, and the after-sales
cost against its budget. Both read ERPNext's own records, not a ledger of the app's.

Complaints: every Aftersales Complaint received in the period counts, malicious ones included — seed
003 calls a malicious complaint an escalated ordinary one (恶意投诉均为普通投诉升级) and seed 004 counts
all complaints (客戶投訴數量) over all orders (總訂單數量); the flag says how a complaint was handled,
not that it was none. Orders are the company's submitted Sales Orders of the period, or its submitted
Sales Invoices (Count Orders From, per company). A complaint has no person of the team behind it, so the
rate is given by month and department only.

Cost: GL entries on expense accounts booked to the company's after-sales cost center (Aftersales
Company Settings, else the company's default) and the cost centers below it, against the submitted
ERPNext Budgets on those cost centers, each month's budget taken by the budget's monthly distribution.
Where the site has ERPNext Accounting Dimensions, the cost can be kept to one value of a dimension or
split by its values (Cost Dimension, Cost Dimension Value): the GL entries' dimension column says which
value a cost was booked to, and the budget is then ERPNext's Budget against that dimension's value (a
cost center's budget cannot be split by a dimension), so a value the company does not budget shows
what was spent with no budget.
"""

from collections import defaultdict
from decimal import Decimal

import frappe
from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import get_accounting_dimensions
from frappe import _
from frappe.utils import flt, getdate

from aftersales_module.controllers.argument_checks import link_argument, refuse
from aftersales_module.core.kpis import budget_by_month, complaint_rate, cost_against_budget

COMPLAINT = "Aftersales Complaint"
MONTH_NAMES = (
	"January",
	"February",
	"March",
	"April",
	"May",
	"June",
	"July",
	"August",
	"September",
	"October",
	"November",
	"December",
)


def period_of(filters) -> dict:
	return {"company": filters.company, "from_date": filters.from_date, "to_date": filters.to_date}


def company_setting(company: str, fieldname: str):
	"""A company's row of Aftersales Settings, from the cache."""
	settings = frappe.get_cached_doc("Aftersales Settings")
	row = next((row for row in settings.company_settings if row.company == company), None)
	return row.get(fieldname) if row else None


# ---- complaints per thousand orders ---------------------------------------------------------------


def complaints_in(filters) -> list:
	complaints = frappe.get_all(
		COMPLAINT,
		filters={
			"company": filters.company,
			"posting_date": ("between", (filters.from_date, filters.to_date)),
		},
		fields=["name as case_name", "posting_date as counted_on", "owner as person", "is_malicious"],
	)
	for complaint in complaints:
		complaint.case_doctype = COMPLAINT
	return complaints


def orders_by_month(filters) -> dict[str, int]:
	doctype = company_setting(filters.company, "complaint_orders_from") or "Sales Order"
	date_field = "transaction_date" if doctype == "Sales Order" else "posting_date"
	extra = "" if doctype == "Sales Order" else "and is_return = 0"
	return {
		month: count
		for month, count in frappe.db.sql(
			f"""select date_format({date_field}, '%%Y-%%m') as month, count(*)
			from `tab{doctype}`
			where company = %(company)s and docstatus = 1 {extra}
				and {date_field} between %(from_date)s and %(to_date)s
			group by month""",
			period_of(filters),
		)
	}


def complaints_by_month(filters) -> dict[str, int]:
	return dict(
		frappe.db.sql(
			f"""select date_format(posting_date, '%%Y-%%m') as month, count(*) from `tab{COMPLAINT}`
			where company = %(company)s and posting_date between %(from_date)s and %(to_date)s
			group by month""",
			period_of(filters),
		)
	)


def complaint_rates(filters, group_of_month) -> dict:
	"""{group: Rate}: complaints over orders, grouped as `group_of_month` maps each month."""
	complaints, orders = defaultdict(int), defaultdict(int)
	for month, count in complaints_by_month(filters).items():
		complaints[group_of_month(month)] += count
	for month, count in orders_by_month(filters).items():
		orders[group_of_month(month)] += count
	return {
		group: complaint_rate(complaints[group], orders[group]) for group in set(complaints) | set(orders)
	}


# ---- after-sales cost against budget ----------------------------------------------------------------


def cost_centers(company: str) -> list[str]:
	center = company_setting(company, "cost_center") or frappe.get_cached_value(
		"Company", company, "cost_center"
	)
	if not center:
		return []
	lft, rgt = frappe.db.get_value("Cost Center", center, ["lft", "rgt"])
	return frappe.get_all(
		"Cost Center", filters={"lft": (">=", lft), "rgt": ("<=", rgt), "company": company}, pluck="name"
	)


def check_cost_dimension(filters) -> None:
	"""The accounting dimension the cost is kept to or split by: one of the site's enabled dimensions,
	and the value, if given, an existing record of the dimension's document type."""
	filters.dimension = None
	if not filters.get("cost_dimension"):
		filters.cost_dimension_value = None
		return
	enabled = [each for each in get_accounting_dimensions(as_list=False) if not each.disabled]
	dimension = next((each for each in enabled if each.label == filters.cost_dimension), None)
	if not dimension:
		refuse(
			_("Cost Dimension: {0} is not an enabled Accounting Dimension; give one of: {1}.").format(
				frappe.bold(str(filters.cost_dimension)[:140]),
				", ".join(each.label for each in enabled) or _("none on this site"),
			),
			_("Invalid Link"),
		)
	filters.dimension = dimension
	filters.cost_dimension_value = link_argument(
		filters.get("cost_dimension_value"),
		dimension.document_type,
		_("Cost Dimension Value"),
		required=False,
	)


def dimension_column(filters, alias: str) -> str:
	"""The dimension's value column on the GL entry or the budget; NULL without a dimension."""
	return f"{alias}.`{filters.dimension.fieldname}`" if filters.get("dimension") else "null"


def cost_params(filters, centers: list[str]) -> dict:
	return {**period_of(filters), "centers": centers, "dimension_value": filters.get("cost_dimension_value")}


def cost_entries_sql(filters) -> str:
	kept_to = (
		f" and {dimension_column(filters, 'gle')} = %(dimension_value)s"
		if filters.get("cost_dimension_value")
		else ""
	)
	return f"""from `tabGL Entry` gle
	join `tabAccount` account on account.name = gle.account
	where gle.company = %(company)s and gle.is_cancelled = 0 and account.root_type = 'Expense'
		and gle.cost_center in %(centers)s and gle.posting_date between %(from_date)s and %(to_date)s{kept_to}"""


def cost_by_month(filters, centers: list[str]) -> dict[tuple, Decimal]:
	"""{(month, dimension value or None): spent}."""
	return {
		(month, value): Decimal(str(amount or 0))
		for month, value, amount in frappe.db.sql(
			f"""select date_format(gle.posting_date, '%%Y-%%m') as month, {dimension_column(filters, "gle")}
				as dimension_value, sum(gle.debit - gle.credit)
			{cost_entries_sql(filters)} group by month, dimension_value""",
			cost_params(filters, centers),
		)
	}


def cost_entries(filters) -> list:
	"""The GL entries that make up the after-sales cost of the period, net of reversals."""
	centers = cost_centers(filters.company)
	if not centers:
		return []
	entries = frappe.db.sql(
		f"""select gle.voucher_type, gle.voucher_no, {dimension_column(filters, "gle")} as dimension_value,
			gle.posting_date as counted_on, gle.owner as person, sum(gle.debit - gle.credit) as amount
		{cost_entries_sql(filters)}
		group by gle.voucher_type, gle.voucher_no, dimension_value, gle.posting_date, gle.owner""",
		cost_params(filters, centers),
		as_dict=True,
	)
	return [entry for entry in entries if flt(entry.amount)]


def budget_against(filters) -> str:
	"""Which submitted budgets count: those on the after-sales cost centers or, with a dimension,
	those against the dimension's values (the one value asked for)."""
	if not filters.get("dimension"):
		return "budget.budget_against = 'Cost Center' and budget.cost_center in %(centers)s"
	column = dimension_column(filters, "budget")
	value = f" and {column} = %(dimension_value)s" if filters.get("cost_dimension_value") else ""
	return f"budget.budget_against = {frappe.db.escape(filters.dimension.document_type)} and {column} is not null{value}"


def budget_of_months(filters, centers: list[str]) -> dict[tuple, Decimal]:
	"""{(month, dimension value or None): the month's share of the submitted budgets that count}."""
	budgets = frappe.db.sql(
		f"""select budget.name, budget.monthly_distribution, year.year_start_date, year.year_end_date,
			{dimension_column(filters, "budget")} as dimension_value, sum(line.budget_amount) as amount
		from `tabBudget` budget
		join `tabBudget Account` line on line.parent = budget.name
		join `tabAccount` account on account.name = line.account
		join `tabFiscal Year` year on year.name = budget.fiscal_year
		where budget.docstatus = 1 and budget.company = %(company)s and {budget_against(filters)}
			and account.root_type = 'Expense'
			and year.year_start_date <= %(to_date)s and year.year_end_date >= %(from_date)s
		group by budget.name, budget.monthly_distribution, year.year_start_date, year.year_end_date,
			dimension_value""",
		cost_params(filters, centers),
		as_dict=True,
	)
	months = months_between(getdate(filters.from_date), getdate(filters.to_date))
	by_month: dict[tuple, Decimal] = defaultdict(Decimal)
	for budget in budgets:
		in_year = [
			(year, month)
			for year, month in months
			if getdate(budget.year_start_date)
			<= getdate(f"{year}-{month:02d}-01")
			<= getdate(budget.year_end_date)
		]
		spread = budget_by_month(
			Decimal(str(budget.amount)), {month for _year, month in in_year}, distribution(budget)
		)
		for year, month in in_year:
			by_month[(f"{year:04d}-{month:02d}", budget.dimension_value)] += spread[month]
	return by_month


def distribution(budget) -> dict[int, Decimal] | None:
	if not budget.monthly_distribution:
		return None
	return {
		MONTH_NAMES.index(row.month) + 1: Decimal(str(row.percentage_allocation))
		for row in frappe.get_all(
			"Monthly Distribution Percentage",
			filters={"parent": budget.monthly_distribution, "parenttype": "Monthly Distribution"},
			fields=["month", "percentage_allocation"],
		)
		if row.month in MONTH_NAMES
	}


def months_between(start, end) -> list[tuple[int, int]]:
	months, year, month = [], start.year, start.month
	while (year, month) <= (end.year, end.month):
		months.append((year, month))
		year, month = (year + 1, 1) if month == 12 else (year, month + 1)
	return months


def cost_rates(filters, group_of_month) -> dict:
	"""{(group, dimension value or None): (actual, budget, per cent used)} grouped as `group_of_month`
	maps each month."""
	actual, budget = defaultdict(Decimal), defaultdict(Decimal)
	centers = cost_centers(filters.company)
	if not centers:
		return {}
	for (month, value), amount in cost_by_month(filters, centers).items():
		actual[(group_of_month(month), value)] += amount
	for (month, value), amount in budget_of_months(filters, centers).items():
		budget[(group_of_month(month), value)] += amount
	return {
		group: (actual[group], budget[group], cost_against_budget(actual[group], budget[group]))
		for group in set(actual) | set(budget)
	}
