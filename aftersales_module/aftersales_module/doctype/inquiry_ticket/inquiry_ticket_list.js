// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Inquiry Ticket"] = {
	hide_name_column: true, // the title carries the case number
	add_fields: ["status", "sla_status"],
	get_indicator(doc) {
		if (["Resolved", "Closed"].includes(doc.status)) {
			return [__(doc.status), doc.sla_status === "Breached" ? "orange" : "green", `status,=,${doc.status}`];
		}
		const colour = { "On Time": "blue", "At Risk": "orange", Breached: "red" }[doc.sla_status] || "blue";
		return [`${__(doc.status)} · ${__(doc.sla_status)}`, colour, `sla_status,=,${doc.sla_status}`];
	},
	onload(listview) {
		aftersales_module.case_list.explain_empty(listview);
	},
};
