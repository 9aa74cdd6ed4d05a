// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

const RELATED_CASE_DOCTYPES = [
	"Return Request",
	"Repair Order",
	"Spare Part Transfer Request",
	"Compensation Claim",
	"Inquiry Ticket",
];

frappe.ui.form.on("Aftersales Complaint", {
	setup(frm) {
		frm.set_query("reference_doctype", () => ({ filters: { name: ["in", RELATED_CASE_DOCTYPES] } }));
		frm.set_query("sales_order", () => ({
			filters: { docstatus: 1, company: frm.doc.company, customer: frm.doc.customer },
		}));
		frm.set_query("sales_invoice", () => ({
			filters: { docstatus: 1, is_return: 0, company: frm.doc.company, customer: frm.doc.customer },
		}));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		const run = (method, args) => frm.call(method, args).then(() => frm.reload_doc());
		if (frm.doc.status === "Open") {
			frm.add_custom_button(__("Resolve"), () => run("resolve"));
		}
		if (frm.doc.status === "Resolved") {
			frm.add_custom_button(__("Close"), () => run("close"));
		}
		if (!frm.doc.is_malicious && frappe.user.has_role("Aftersales Manager")) {
			frm.add_custom_button(__("Flag as Malicious"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Why Malicious"), reqd: 1 },
					({ reason }) => run("flag_malicious", { reason }),
					__("Flag as Malicious"),
					__("Flag")
				);
			});
		}
	},
});
