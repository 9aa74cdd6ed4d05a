// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Part Request Register"] = {
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("No part requests match these filters. Widen the dates or clear a filter; a repair point asks for parts with a Spare Part Transfer Request.")}</p></div>`;
	},
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -1),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "repair_point",
			label: __("Repair Point"),
			fieldtype: "Link",
			options: "Repair Point",
			get_query() {
				const company = frappe.query_report.get_filter_value("company");
				return { filters: company ? { company } : {} };
			},
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				"Pending Approval",
				"Approved",
				"Partly Transferred",
				"Transferred",
				"Rejected",
				"Closed",
				"Cancelled",
			].map((value) => ({ value, label: __(value) })),
		},
		{ fieldname: "emergency_only", label: __("Emergency Only"), fieldtype: "Check" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.emergency && ["request", "required_by"].includes(column.fieldname)) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
