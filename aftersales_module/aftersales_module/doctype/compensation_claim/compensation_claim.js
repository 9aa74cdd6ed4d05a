// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.provide("aftersales_module.compensation_claim");

frappe.ui.form.on("Compensation Claim", {
	setup(frm) {
		const of_customer = () => ({
			filters: { docstatus: 1, company: frm.doc.company, customer: frm.doc.customer },
		});
		["sales_order", "delivery_note"].forEach((field) => frm.set_query(field, of_customer));
		frm.set_query("sales_invoice", () => ({
			filters: { docstatus: 1, is_return: 0, company: frm.doc.company, customer: frm.doc.customer },
		}));
		frm.set_query("employee", () => ({ filters: { company: frm.doc.company, status: "Active" } }));
		frm.set_query("department", () => ({ filters: { company: frm.doc.company } }));
		frm.set_query("restock_warehouse", "old_parts", () => ({
			filters: { company: frm.doc.company, is_group: 0 },
		}));
	},
	refresh(frm) {
		aftersales_module.case_form.refresh(frm);
		if (!frm.is_new()) aftersales_module.compensation_claim.add_buttons(frm);
	},
	remedy(frm) {
		// Only Compensation and Refund pay the customer; the server refuses an amount under any other.
		if (!["Compensation", "Refund"].includes(frm.doc.remedy) && frm.doc.compensation_amount) {
			frm.set_value("compensation_amount", 0);
		}
	},
});

Object.assign(aftersales_module.compensation_claim, {
	can(roles) {
		return !!frappe.user.has_role([...roles, "Aftersales Manager", "System Manager"]);
	},

	run(frm, method, args) {
		return frm.call(method, args).then(() => frm.reload_doc());
	},

	add_buttons(frm) {
		const { can, run } = aftersales_module.compensation_claim;
		const doc = frm.doc;
		const group = __("Appraisal");

		if (doc.docstatus === 0 && !frm.is_dirty() && can(["Aftersales Quality Inspector"])) {
			const next = !doc.first_reviewer ? __("First Review") : !doc.second_reviewer ? __("Second Review") : null;
			if (next && doc.first_reviewer !== frappe.session.user) {
				frm.add_custom_button(next, () => aftersales_module.compensation_claim.review(frm, next), group);
			}
		}
		if (doc.docstatus === 0 && doc.status === "Disputed" && can([])) {
			frm.add_custom_button(
				__("Rule"),
				() =>
					frappe.prompt(
						{ fieldname: "ruling", fieldtype: "Small Text", label: __("Manager's Ruling"), reqd: 1 },
						(values) => run(frm, "rule", values),
						__("Rule on the Disputed Appraisal")
					),
				group
			);
		}
		if (doc.docstatus !== 1) return;

		const actions = __("Actions");
		const stock = can(["Aftersales Quality Inspector", "Aftersales Warehouse"]);
		const parts = doc.old_parts || [];
		if (stock && parts.some((row) => !row.receipt_entry)) {
			frm.add_custom_button(__("Receive Old Parts"), () => run(frm, "receive_old_parts"), actions);
		}
		if (stock && parts.some((row) => row.receipt_entry && !row.handling_entry)) {
			frm.add_custom_button(__("Handle Old Parts"), () => run(frm, "handle_old_parts"), actions);
		}
		if (doc.remedy === "Reissue" && can(["Aftersales Customer Service"])) {
			frm.add_custom_button(
				doc.reissue_request ? __("Open Reissue") : __("Make Reissue"),
				() => frm.call("make_reissue").then((r) => frappe.set_route("Form", "Return Request", r.message)),
				actions
			);
		}
		frm.add_custom_button(__("Refresh Cost Ledger"), () => run(frm, "refresh_cost_ledger"), actions);
	},

	review(frm, title) {
		frappe.prompt(
			[
				{
					fieldname: "verdict",
					fieldtype: "Select",
					label: __("Verdict"),
					options: [
						{ value: "Confirmed", label: __("Confirmed") },
						{ value: "Disputed", label: __("Disputed") },
					],
					default: "Confirmed",
					reqd: 1,
				},
				{ fieldname: "notes", fieldtype: "Small Text", label: __("Notes") },
			],
			(values) => aftersales_module.compensation_claim.run(frm, "review", values),
			title
		);
	},
});
