// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Outstanding Spare Units"] = {
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("No spare unit is out with a customer. A spare unit shipped on a Return Request is listed here until it comes back.")}</p></div>`;
	},
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "as_on", label: __("As On"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "overdue_only", label: __("Overdue Only"), fieldtype: "Check" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.overdue && ["due_date", "days_out"].includes(column.fieldname)) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
