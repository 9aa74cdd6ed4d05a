// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Parts Issue Register"] = {
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("No parts were issued in these dates. Widen the dates or clear a filter; parts are listed once a return, repair, transfer or claim issues them.")}</p></div>`;
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
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "source_doctype",
			label: __("Source Document Type"),
			fieldtype: "Select",
			options: [
				"",
				"Return Request",
				"Repair Order",
				"Spare Part Transfer Request",
				"Compensation Claim",
			].map((value) => ({ value, label: __(value) })),
		},
	],
};
