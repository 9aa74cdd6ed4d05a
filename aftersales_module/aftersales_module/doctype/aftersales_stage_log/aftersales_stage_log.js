// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

// The log keeps stages, states and roles as the server names them, the same in every language;
// each reader reads them in their own.
frappe.ui.form.on("Aftersales Stage Log", {
	setup() {
		const fields = frappe.meta.docfield_map["Aftersales Stage Log"] || {};
		for (const fieldname of ["from_stage", "to_stage", "workflow_state"]) {
			if (fields[fieldname]) fields[fieldname].formatter = (value) => (value ? __(value) : value);
		}
		if (fields.roles) {
			fields.roles.formatter = (value) =>
				(value || "")
					.split("\n")
					.map((role) => __(role))
					.join("\n");
		}
	},
});
