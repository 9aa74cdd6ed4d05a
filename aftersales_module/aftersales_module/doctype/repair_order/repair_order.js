// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.provide("aftersales_module.repair_order");

frappe.ui.form.on("Repair Order", {
	setup(frm) {
		frm.set_query("technician", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { role: "Repair Technician" },
		}));
		frm.set_query("return_request", () => ({
			filters: { docstatus: 1, company: frm.doc.company, customer: frm.doc.customer },
		}));
		frm.set_query("sales_invoice", () => ({
			filters: { docstatus: 1, is_return: 0, company: frm.doc.company, customer: frm.doc.customer },
		}));
		// The server keeps parts on the repair point's own warehouse.
		frm.set_query("warehouse", "parts", () => ({ filters: { company: frm.doc.company, is_group: 0 } }));
	},
	refresh(frm) {
		aftersales_module.case_form.refresh(frm);
		aftersales_module.repair_order.show_first_contact(frm);
		aftersales_module.repair_order.lock_finished(frm);
		if (frm.doc.docstatus === 1) {
			aftersales_module.repair_order.add_action_buttons(frm);
		}
	},
});

Object.assign(aftersales_module.repair_order, {
	can(roles) {
		return !!frappe.user.has_role([...roles, "Aftersales Manager", "System Manager"]);
	},

	run(frm, method, args) {
		return frm.call(method, args).then(() => frm.reload_doc());
	},

	// Each role fills in its own step of an open order, as the server tells the form; a finished order
	// takes no more input, but a completed repair still takes the faulty parts brought back, ticked on
	// the rows it has.
	lock_finished(frm) {
		aftersales_module.case_form.lock_other_steps(frm);
		const completed = frm.doc.docstatus === 1 && frm.doc.status === "Completed";
		frm.set_df_property("parts", "cannot_add_rows", completed);
		frm.set_df_property("parts", "cannot_delete_rows", completed);
	},

	show_first_contact(frm) {
		const doc = frm.doc;
		if (doc.docstatus !== 1 || !doc.first_contact_due || doc.first_contact_at) return;
		if (!["Open", "In Repair"].includes(doc.status)) return;
		const overdue = frappe.datetime.now_datetime() > doc.first_contact_due;
		frm.dashboard.set_headline_alert(
			overdue
				? __("First contact overdue since {0}", [frappe.datetime.str_to_user(doc.first_contact_due)])
				: __("Contact the customer by {0}", [frappe.datetime.str_to_user(doc.first_contact_due)]),
			overdue ? "red" : "orange"
		);
	},

	add_action_buttons(frm) {
		const { can, run } = aftersales_module.repair_order;
		const doc = frm.doc;
		const group = __("Actions");
		const repairer = can(["Repair Technician", "Repair Point Manager"]);
		const open = ["Open", "In Repair"].includes(doc.status);

		if (open && repairer && (doc.parts || []).some((row) => !row.issue_entry)) {
			frm.add_custom_button(__("Issue Parts"), () => run(frm, "issue_parts"), group);
		}
		if (
			["Open", "In Repair", "Completed"].includes(doc.status) &&
			repairer &&
			(doc.parts || []).some((row) => row.old_part_returned && !row.old_part_entry)
		) {
			frm.add_custom_button(__("Receive Old Parts"), () => run(frm, "receive_old_parts"), group);
		}
		if (open && repairer) {
			frm.add_custom_button(
				__("Complete"),
				() =>
					frappe.confirm(
						doc.warranty_status === "Out of Warranty"
							? __("Complete the repair and invoice {0} to the customer?", [
									format_currency(doc.total_charge, doc.currency),
							  ])
							: __("Complete the repair?"),
						() => run(frm, "complete")
					),
				group
			);
			frm.add_custom_button(
				__("Unrepairable"),
				() =>
					frappe.prompt(
						{ fieldname: "report", fieldtype: "Small Text", label: __("Unrepairable Report"), reqd: 1 },
						({ report }) => run(frm, "mark_unrepairable", { report }),
						__("Unrepairable"),
						__("Submit Report")
					),
				group
			);
		}
		if (doc.status === "Unrepairable" && can([])) {
			frm.add_custom_button(
				__("Approve Scrap"),
				() => frappe.confirm(__("Approve scrapping this unit?"), () => run(frm, "approve_scrap")),
				group
			);
		}
	},
});
