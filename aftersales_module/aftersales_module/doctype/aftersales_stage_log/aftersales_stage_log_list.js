// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

// Stages and states are stored as the server names them; the list shows them in the reader's language.
frappe.listview_settings["Aftersales Stage Log"] = {
	formatters: {
		from_stage: (value) => (value ? __(value) : value),
		to_stage: (value) => (value ? __(value) : value),
		workflow_state: (value) => (value ? __(value) : value),
	},
};
