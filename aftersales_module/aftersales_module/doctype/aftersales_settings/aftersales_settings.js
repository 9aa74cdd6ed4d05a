// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

const SETTINGS_METHODS = "aftersales_module.aftersales_module.doctype.aftersales_settings.aftersales_settings";

frappe.ui.form.on("Aftersales Settings", {
	refresh(frm) {
		frm.add_custom_button(__("Enable for Companies"), () => enable_companies(frm));
		frm.add_custom_button(__("Add Phone Sample Policy"), () => add_phone_policy());
	},
});

function enable_companies(frm) {
	const enabled = (frm.doc.company_settings || []).map((row) => row.company);
	const dialog = new frappe.ui.Dialog({
		title: __("Start after-sales for companies"),
		fields: [
			{
				fieldname: "companies",
				fieldtype: "MultiSelectList",
				label: __("Companies"),
				reqd: 1,
				get_data: (txt) =>
					frappe.db.get_link_options("Company", txt, { name: ["not in", enabled] }),
			},
			{
				fieldtype: "HTML",
				options: `<p class="text-muted">${__(
					"Each company gets its after-sales warehouses and accounts. Companies left out get nothing."
				)}</p>`,
			},
		],
		primary_action_label: __("Enable"),
		primary_action({ companies }) {
			frappe.call(`${SETTINGS_METHODS}.enable_companies`, { companies }).then(() => {
				dialog.hide();
				frm.reload_doc();
			});
		},
	});
	dialog.show();
}

function add_phone_policy() {
	frappe.confirm(
		__("Add the sample mobile-phone warranty policy and the item group Phones with its accessory groups?"),
		() =>
			frappe.call(`${SETTINGS_METHODS}.install_phone_sample_policy`).then(({ message }) => {
				frappe.show_alert({ message: __("Warranty Policy {0} is ready.", [message]), indicator: "green" });
			})
	);
}
