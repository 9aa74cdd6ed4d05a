// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Spare Part Transfer Request"] = {
	hide_name_column: true, // the title carries the case number
	add_fields: ["status", "emergency"],
	get_indicator(doc) {
		const colours = {
			Draft: "gray",
			"Pending Approval": doc.emergency ? "red" : "orange",
			Approved: "blue",
			"Partly Transferred": "yellow",
			Transferred: "green",
			Rejected: "red",
			Closed: "darkgrey",
			Cancelled: "red",
		};
		const label = doc.emergency && doc.status === "Pending Approval" ? __("Emergency") : __(doc.status);
		return [label, colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
	onload(listview) {
		aftersales_module.case_list.explain_empty(listview);
	},
};
