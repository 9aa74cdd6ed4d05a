// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Repair Order"] = {
	hide_name_column: true, // the title carries the case number
	add_fields: ["status", "first_contact_due", "first_contact_at", "technician"],
	get_indicator(doc) {
		const open = ["Open", "In Repair"].includes(doc.status);
		if (open && !doc.first_contact_at && doc.first_contact_due && frappe.datetime.now_datetime() > doc.first_contact_due) {
			return [__("First Contact Overdue"), "red", "first_contact_at,is,not set"];
		}
		const colours = {
			Draft: "gray",
			Open: "orange",
			"In Repair": "blue",
			Completed: "green",
			Unrepairable: "red",
			Scrapped: "darkgrey",
			Cancelled: "red",
		};
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
	onload(listview) {
		aftersales_module.case_list.explain_empty(listview);
		listview.page.add_inner_button(__("My Open Orders"), () => {
			listview.filter_area.clear().then(() =>
				listview.filter_area.add([
					["Repair Order", "technician", "=", frappe.session.user],
					["Repair Order", "status", "in", ["Open", "In Repair"]],
				])
			);
		});
	},
};
