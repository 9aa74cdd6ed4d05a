// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.provide("aftersales_module.transfer_request");

frappe.ui.form.on("Spare Part Transfer Request", {
	setup(frm) {
		frm.set_query("repair_point", () => ({ filters: { company: frm.doc.company, disabled: 0 } }));
		frm.set_query("source_warehouse", () => ({ filters: { company: frm.doc.company, is_group: 0 } }));
	},
	refresh(frm) {
		aftersales_module.case_form.refresh(frm);
		if (frm.doc.emergency && frm.doc.docstatus === 1 && !["Transferred", "Closed", "Rejected"].includes(frm.doc.status)) {
			frm.dashboard.set_headline_alert(__("Emergency request"), "red");
		}
		if (frm.doc.docstatus === 1) {
			aftersales_module.transfer_request.add_action_buttons(frm);
		}
	},
});

Object.assign(aftersales_module.transfer_request, {
	can(role) {
		return !!frappe.user.has_role([role, "Aftersales Manager", "System Manager"]);
	},

	run(frm, method, args) {
		return frm.call(method, args).then(() => frm.reload_doc());
	},

	quantity_dialog(frm, title, field_of, method, arg) {
		const { run } = aftersales_module.transfer_request;
		const dialog = new frappe.ui.Dialog({
			title,
			fields: frm.doc.items.map((row) => ({
				fieldtype: "Float",
				fieldname: row.name,
				label: __("Row #{0}: {1}", [row.idx, row.item_code]),
				default: field_of(row),
			})),
			primary_action_label: title,
			primary_action(values) {
				dialog.hide();
				run(frm, method, { [arg]: values });
			},
		});
		dialog.show();
	},

	add_action_buttons(frm) {
		const { can, run, quantity_dialog } = aftersales_module.transfer_request;
		const doc = frm.doc;
		const group = __("Actions");
		if (doc.status === "Pending Approval" && can("Aftersales Manager")) {
			frm.add_custom_button(
				__("Approve"),
				() => quantity_dialog(frm, __("Approve"), (row) => row.requested_qty, "approve", "approved_qtys"),
				group
			);
			frm.add_custom_button(
				__("Reject"),
				() =>
					frappe.prompt(
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Rejection Reason"), reqd: 1 },
						({ reason }) => run(frm, "reject", { reason }),
						__("Reject")
					),
				group
			);
		}
		if (["Approved", "Partly Transferred"].includes(doc.status) && can("Aftersales Warehouse")) {
			frm.add_custom_button(
				__("Transfer"),
				() => quantity_dialog(frm, __("Transfer"), (row) => row.pending_qty, "transfer", "quantities"),
				group
			);
		}
		if (["Approved", "Partly Transferred", "Transferred"].includes(doc.status) && can("Aftersales Manager")) {
			frm.add_custom_button(
				__("Close"),
				() =>
					frappe.prompt(
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Close Reason") },
						({ reason }) => run(frm, "close", { reason }),
						__("Close")
					),
				group
			);
		}
	},
});
