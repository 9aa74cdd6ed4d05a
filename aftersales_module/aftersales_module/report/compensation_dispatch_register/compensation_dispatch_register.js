// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Compensation Dispatch Register"] = {
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("No compensation matches these filters. Widen the dates or clear a filter; a claim is listed once its Compensation Claim is approved.")}</p></div>`;
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
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "remedy",
			label: __("Remedy"),
			fieldtype: "Select",
			options: ["", "Compensation", "Refund", "Reissue", "Coupon", "None"].map((value) => ({
				value,
				label: __(value),
			})),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["Approved", "Cancelled"].map((value) => ({ value, label: __(value) })),
			default: "Approved",
		},
	],
};
