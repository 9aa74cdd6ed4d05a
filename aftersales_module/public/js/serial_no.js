// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

// One click from a Serial No to every after-sales case that touched it.
frappe.ui.form.on("Serial No", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Service History"), () => {
			frappe.set_route("query-report", "Serial Service History", { serial_no: frm.doc.name });
		});
	},
});
