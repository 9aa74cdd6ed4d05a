// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Compensation Claim"] = {
	hide_name_column: true, // the title carries the case number
	add_fields: ["status"],
	get_indicator(doc) {
		const colour = {
			Draft: "red",
			"In Review": "orange",
			Disputed: "red",
			"Ready to Approve": "blue",
			Approved: "green",
			Cancelled: "grey",
		}[doc.status];
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
	onload(listview) {
		aftersales_module.case_list.explain_empty(listview);
	},
};
