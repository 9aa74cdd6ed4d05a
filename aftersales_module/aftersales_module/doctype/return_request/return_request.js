// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Return Request", {
	setup(frm) {
		frm.set_query("sales_invoice", () => ({
			filters: { customer: frm.doc.customer, company: frm.doc.company, docstatus: 1, is_return: 0 },
		}));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Get Items"), () => {
				frm.call("get_items").then(() => frm.refresh_field("items"));
			});
		}
		if (frm.doc.docstatus === 0 && frm.doc.eligibility_rule) {
			frm.dashboard.set_headline(
				`<span class="indicator ${frm.doc.eligible ? "green" : "red"}">${
					frm.doc.eligible ? __("Eligible") : __("Not Eligible")
				}</span> ${frappe.utils.escape_html(frm.doc.eligibility_rule)}`
			);
		}
	},
});
