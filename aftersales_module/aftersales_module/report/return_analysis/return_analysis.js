// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Return Analysis"] = {
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("No returns in these dates. Widen the dates; a return is counted once its Return Request is submitted.")}</p></div>`;
	},
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
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Item", "Item Group", "Batch", "Supplier", "Reason", "Channel"].map((value) => ({
				value,
				label: __(value),
			})),
			default: "Item",
			reqd: 1,
		},
	],
};
