// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Serial Service History"] = {
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("Nothing is recorded for this serial number yet. Check the number; its sales, returns and repairs are listed once they are submitted.")}</p></div>`;
	},
	filters: [
		{
			fieldname: "serial_no",
			label: __("Serial No"),
			fieldtype: "Link",
			options: "Serial No",
			reqd: 1,
		},
	],
};
