// Shared by the after-sales case forms (hooks.py doctype_js): what the user fills in at the case's
// stage, whom the case waits for, and no button the server would refuse. The server tells the form
// (controllers/stage_forms.py, in __onload) from the same rules it applies when the case is saved.
frappe.provide("aftersales_module.case_form");

// A case's postings name ERPNext's document types; Frappe translates such a name only for users who
// may read DocType, so the others (every after-sales role) would read it in English.
frappe.form.link_formatters["DocType"] =
	frappe.form.link_formatters["DocType"] || ((value) => (value ? __(value) : value));

Object.assign(aftersales_module.case_form, {
	onload(frm, key) {
		return (frm.doc.__onload || {})[key];
	},

	// At a submitted case's stage, only the fields this user's step fills in stay editable.
	lock_other_steps(frm, table) {
		const inputs = aftersales_module.case_form.onload(frm, "stage_inputs");
		if (!inputs || frm.doc.docstatus !== 1) return;
		inputs.every_field.forEach((fieldname) =>
			frm.set_df_property(fieldname, "read_only", inputs.fields.includes(fieldname) ? 0 : 1)
		);
		const grid = table && frm.fields_dict[table] && frm.fields_dict[table].grid;
		if (!grid) return;
		// A step with line inputs works them in the grid itself; its lines stay the case's lines.
		const works_lines = inputs.item_fields.length > 0;
		frm.set_df_property(table, "allow_on_submit", works_lines ? 1 : 0);
		frm.set_df_property(table, "cannot_add_rows", 1);
		frm.set_df_property(table, "cannot_delete_rows", 1);
		inputs.every_item_field.forEach((fieldname) =>
			grid.update_docfield_property(
				fieldname,
				"read_only",
				inputs.item_fields.includes(fieldname) ? 0 : 1
			)
		);
	},

	// The grid shows these line fields as columns (widths from the doctype), so a clerk works every
	// line without opening it.
	show_columns(frm, table, fieldnames) {
		const grid = frm.fields_dict[table] && frm.fields_dict[table].grid;
		if (!grid) return;
		const wanted = fieldnames.join(",");
		if (grid.__aftersales_columns === wanted) return;
		grid.__aftersales_columns = wanted;
		grid.docfields.forEach((df) => {
			if (!frappe.model.layout_fields.includes(df.fieldtype)) {
				grid.update_docfield_property(df.fieldname, "in_list_view", fieldnames.includes(df.fieldname) ? 1 : 0);
			}
		});
		grid.reset_grid();
	},

	// A line a new form starts with, before Get Items filled the table, is not a line of the case.
	drop_blank_rows(frm, table, key) {
		const rows = frm.doc[table] || [];
		const kept = rows.filter((row) => row[key]);
		if (kept.length === rows.length) return;
		frm.doc[table] = kept;
		kept.forEach((row, index) => (row.idx = index + 1));
		frm.refresh_field(table);
	},

	// Who acts next, for a user who has no action on the case now.
	next_step_message(frm) {
		const next = aftersales_module.case_form.onload(frm, "next_step");
		if (!next || !next.roles.length || next.can_act) return null;
		return __("At the {0} stage this case waits for {1} ({2}).", [
			next.stage,
			next.roles.join(" / "),
			next.actions.join(", "),
		]);
	},

	show_next_step(frm) {
		const message = aftersales_module.case_form.next_step_message(frm);
		if (message) frm.set_intro(frappe.utils.escape_html(message), "blue");
	},

	// A role with workflow actions loses the Actions menu while the form has unsaved changes: say so.
	explain_hidden_actions(frm) {
		if (frm.__aftersales_dirty_watched) return;
		frm.__aftersales_dirty_watched = true;
		frm.$wrapper.on("dirty", () => {
			const next = aftersales_module.case_form.onload(frm, "next_step");
			// once per change of the loaded case: the form fires "dirty" on every edit
			if (frm.doc.docstatus === 1 && next && next.can_act && frm.__aftersales_told !== frm.doc) {
				frm.__aftersales_told = frm.doc;
				frm.set_intro(__("Save to see the actions ({0}).", [next.actions.join(", ")]), "yellow");
			}
		});
	},

	// A draft of a submittable case is its creators' step: a role that may not create one (a technician
	// on a repair order being opened) reads it, with no Save and nothing to type into.
	no_save_without_create(frm) {
		if (
			!frm.is_new() &&
			frm.doc.docstatus === 0 &&
			frm.meta.is_submittable &&
			!frappe.model.can_create(frm.doctype)
		) {
			frm.disable_form();
		}
	},

	// Everything a case form does on refresh for its stage.
	refresh(frm) {
		const form = aftersales_module.case_form;
		form.no_save_without_create(frm);
		form.hide_refused_cancel(frm);
		form.show_next_step(frm);
	},

	setup(frm) {
		aftersales_module.case_form.hide_refused_cancel(frm);
	},

	// No Cancel the server would refuse (it would cancel postings this user may not cancel): the
	// toolbar asks can_cancel() for each case it shows, and is told no for those.
	hide_refused_cancel(frm) {
		const toolbar = frm.toolbar;
		if (!toolbar || toolbar.__aftersales_cancel_checked) return;
		toolbar.__aftersales_cancel_checked = true;
		const can_cancel = toolbar.can_cancel.bind(toolbar);
		toolbar.can_cancel = () =>
			can_cancel() && !aftersales_module.case_form.onload(toolbar.frm, "cancel_refused");
	},

	// The headline messages of a case, most important first, in one box.
	show_messages(frm, messages) {
		const shown = messages.filter((message) => message && message.html);
		if (!shown.length) return;
		frm.set_intro(shown.map((message) => message.html).join("<br>"), shown[0].color || "blue");
	},
});

// Before any case is shown, so that the toolbar never offers a Cancel the server would refuse.
["Return Request", "Repair Order", "Spare Part Transfer Request", "Compensation Claim", "Inquiry Ticket"].forEach(
	(doctype) => frappe.ui.form.on(doctype, { setup: (frm) => aftersales_module.case_form.setup(frm) })
);
