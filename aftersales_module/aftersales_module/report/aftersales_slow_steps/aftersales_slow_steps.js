// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Aftersales Slow Steps"] = {
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
			options: ["Stage", "Person"].map((value) => ({ value, label: __(value) })),
			default: "Stage",
			reqd: 1,
		},
		{
			fieldname: "case_doctype",
			label: __("Case Type"),
			fieldtype: "Select",
			options: [
				"",
				"Return Request",
				"Repair Order",
				"Spare Part Transfer Request",
				"Compensation Claim",
				"Inquiry Ticket",
			].map((value) => ({ value, label: value ? __(value) : "" })),
		},
		{
			fieldname: "stage",
			label: __("Stage"),
			fieldtype: "Data",
		},
		{
			fieldname: "show_cases",
			label: __("Show Cases Over Target"),
			fieldtype: "Check",
		},
	],
	// A stage's count over target opens the cases that stayed too long.
	formatter(value, row, column, data, default_formatter) {
		const shown = default_formatter(value, row, column, data);
		if (column.fieldname !== "over_target" || !data || !data.stage || !value) {
			return shown;
		}
		return `<a class="aftersales-slow-cases" data-doctype="${encodeURIComponent(
			data.case_doctype
		)}" data-stage="${encodeURIComponent(data.stage)}" title="${__(
			"Show the cases over target"
		)}">${shown}</a>`;
	},
	onload(report) {
		report.page.wrapper.on("click", ".aftersales-slow-cases", (event) => {
			const link = event.currentTarget;
			report.set_filter_value({
				case_doctype: decodeURIComponent(link.dataset.doctype),
				stage: decodeURIComponent(link.dataset.stage),
				show_cases: 1,
			});
		});
	},
};
