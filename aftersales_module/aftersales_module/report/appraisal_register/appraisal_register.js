// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Appraisal Register"] = {
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("No appraisals match these filters. Widen the dates or clear a filter; a claim is listed once its Compensation Claim is appraised.")}</p></div>`;
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
			fieldname: "liable_party_type",
			label: __("Liable Party Type"),
			fieldtype: "Select",
			options: ["", "Carrier", "Supplier", "Internal", "Customer"].map((value) => ({
				value,
				label: __(value),
			})),
		},
		{
			fieldname: "liable_supplier",
			label: __("Liable Carrier or Supplier"),
			fieldtype: "Link",
			options: "Supplier",
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Draft", "In Review", "Disputed", "Ready to Approve", "Approved", "Cancelled"].map(
				(value) => ({ value, label: __(value) })
			),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && column.fieldname === "status" && data.status === __("Disputed")) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
