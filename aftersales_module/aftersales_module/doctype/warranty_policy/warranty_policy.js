// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Warranty Policy", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Check an Item's Warranty"), () => check_item(frm));
		}
	},
});

function check_item(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Check the warranty of an item"),
		fields: [
			{ fieldname: "item_code", fieldtype: "Link", options: "Item", label: __("Item"), reqd: 1 },
			{
				fieldname: "reason_category",
				fieldtype: "Select",
				label: __("Reason Category"),
				options: frm.fields_dict.shipping_rules.grid.get_docfield("reason_category").options,
				default: "Quality Problem",
				reqd: 1,
			},
			{ fieldname: "delivery_date", fieldtype: "Date", label: __("Delivered On"), reqd: 1 },
			{ fieldname: "request_date", fieldtype: "Date", label: __("Requested On"), default: "Today" },
			{ fieldname: "original_packaging", fieldtype: "Check", label: __("Original Packaging"), default: 1 },
			{ fieldname: "man_made_damage", fieldtype: "Check", label: __("Man-made Damage") },
			{ fieldname: "resellable", fieldtype: "Check", label: __("Resellable"), default: 1 },
		],
		primary_action_label: __("Check"),
		primary_action(values) {
			frappe
				.call("aftersales_module.aftersales_module.doctype.warranty_policy.warranty_policy.get_warranty_decision", values)
				.then(({ message }) => {
					const remedies = message.remedies.map((r) => __(r)).join(", ") || __("None");
					frappe.msgprint({
						title: message.eligible ? __("Eligible") : __("Not Eligible"),
						indicator: message.eligible ? "green" : "red",
						message: `<p>${message.rule}</p>
							<p>${__("Remedies")}: <b>${remedies}</b></p>
							<p>${__("Return shipping paid by")}: <b>${__(message.shipping_payer)}</b></p>
							${message.alternatives.length ? `<p>${__("Alternatives")}: ${message.alternatives.join(", ")}</p>` : ""}
							<p class="text-muted">${__("Policy")}: ${message.policy}</p>`,
					});
				});
		},
	});
	dialog.show();
}
