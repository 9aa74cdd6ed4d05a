// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

const AFTERSALES_MEASURES = [
	"Return: customer told on time",
	"Return: reviewed on time",
	"Return-goods accuracy",
	"Return: customer satisfied",
	"Return: problem resolved",
	"Inquiry: first response on time",
	"Inquiry: result fed back on time",
	"Inquiry: shipping anomaly followed up on time",
	"Repair: customer contacted on time",
	"Repair: passed",
	"Repair: finished on time",
	"Dispatch: shipped on time",
	"Complaints per thousand orders",
	"After-sales cost against budget",
];

frappe.query_reports["Aftersales KPIs"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_end(),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Month", "Department", "Person"].map((value) => ({ value, label: __(value) })),
			default: "Month",
			reqd: 1,
		},
		{
			fieldname: "show_cases",
			label: __("Show Cases"),
			fieldtype: "Check",
		},
		{
			fieldname: "measure",
			label: __("Measure"),
			fieldtype: "Select",
			options: [{ value: "", label: "" }].concat(
				AFTERSALES_MEASURES.map((value) => ({ value, label: __(value) }))
			),
			depends_on: "show_cases",
		},
		{
			fieldname: "group",
			label: __("Group"),
			fieldtype: "Data",
			depends_on: "show_cases",
		},
		{
			// the after-sales cost kept to, or split by, an ERPNext accounting dimension, by its name:
			// text, since the manager may not read Accounting Dimension; a wrong name is told the names
			fieldname: "cost_dimension",
			label: __("Cost Dimension"),
			fieldtype: "Data",
		},
		{
			fieldname: "cost_dimension_value",
			label: __("Cost Dimension Value"),
			fieldtype: "Data",
			depends_on: "cost_dimension",
		},
	],
	// A figure's count opens the cases behind it.
	formatter(value, row, column, data, default_formatter) {
		const shown = default_formatter(value, row, column, data);
		if (column.fieldname !== "numerator" || !data || !data.measure_key) {
			return shown;
		}
		return `<a class="aftersales-kpi-cases" data-measure="${encodeURIComponent(
			data.measure_key
		)}" data-group="${encodeURIComponent(
			data.group_key || ""
		)}" data-dimension-value="${encodeURIComponent(data.dimension_value || "")}" title="${__(
			"Show the cases behind this figure"
		)}">${shown}</a>`;
	},
	onload(report) {
		report.page.wrapper.on("click", ".aftersales-kpi-cases", (event) => {
			const link = event.currentTarget;
			const dimension_value = decodeURIComponent(link.dataset.dimensionValue);
			report.set_filter_value({
				measure: decodeURIComponent(link.dataset.measure),
				group: decodeURIComponent(link.dataset.group),
				...(dimension_value ? { cost_dimension_value: dimension_value } : {}),
				show_cases: 1,
			});
		});
	},
};
