// The cases that move on by their status (compensation claim, inquiry ticket, spare-part transfer
// request): the form leaves editable only what this user sets at the case's status, as the server
// checks it on save (controllers/status_inputs.py); the other stages' entries are read-only, and the
// fields of stages the case has not reached are hidden.
frappe.provide("aftersales_module.stage_fields");

Object.assign(aftersales_module.stage_fields, {
	refresh(frm) {
		const inputs = (frm.doc.__onload || {}).stage_inputs;
		if (!inputs || frm.is_new()) return;
		const { lock_fields, lock_columns, hide_unreached } = aftersales_module.stage_fields;
		lock_fields(frm, inputs);
		lock_columns(frm, inputs);
		hide_unreached(frm, inputs);
	},

	lock_fields(frm, inputs) {
		inputs.every_field.forEach((fieldname) => {
			const field = frm.fields_dict[fieldname];
			if (!field) return;
			const editable = inputs.fields.includes(fieldname);
			if (field.df.fieldtype === "Table") {
				// rows of a table another stage fills in are kept as they are, but for its own columns
				const own_columns = (inputs.columns[fieldname] || []).length > 0;
				frm.set_df_property(fieldname, "read_only", editable || own_columns ? 0 : 1);
				frm.set_df_property(fieldname, "cannot_add_rows", editable ? 0 : 1);
				frm.set_df_property(fieldname, "cannot_delete_rows", editable ? 0 : 1);
			} else {
				frm.set_df_property(fieldname, "read_only", editable ? 0 : 1);
			}
		});
	},

	lock_columns(frm, inputs) {
		Object.entries(inputs.every_column).forEach(([table, columns]) => {
			const grid = frm.fields_dict[table] && frm.fields_dict[table].grid;
			if (!grid) return;
			const own = inputs.columns[table] || [];
			if (frm.doc.docstatus === 1) frm.set_df_property(table, "allow_on_submit", own.length ? 1 : 0);
			columns.forEach((column) =>
				grid.update_docfield_property(column, "read_only", own.includes(column) ? 0 : 1)
			);
		});
	},

	hide_unreached(frm, inputs) {
		(inputs.hidden || []).forEach((field) => {
			const [table, column] = field.split(".");
			if (!column) {
				frm.set_df_property(table, "hidden", 1);
				return;
			}
			const grid = frm.fields_dict[table] && frm.fields_dict[table].grid;
			if (grid) {
				grid.update_docfield_property(column, "hidden", 1);
				grid.update_docfield_property(column, "in_list_view", 0);
				grid.reset_grid();
			}
		});
	},
});

// The status at which a case is submitted, by the roles the server names for it (stage_forms.STATUS_STEPS):
// no Submit, and no "Submit this document to confirm", at another status or for another role, which
// the server would refuse (a claim before its reviews, a transfer request by the warehouse).
const SUBMITTED_AT = { "Compensation Claim": "Ready to Approve", "Spare Part Transfer Request": "Draft" };

Object.assign(aftersales_module.stage_fields, {
	may_submit(frm) {
		const next = (frm.doc.__onload || {}).next_step;
		return frm.doc.status === SUBMITTED_AT[frm.doctype] && !!next && next.can_act;
	},

	guard_submit(frm) {
		const toolbar = frm.toolbar;
		if (!SUBMITTED_AT[frm.doctype] || !toolbar || toolbar.__aftersales_submit_guarded) return;
		toolbar.__aftersales_submit_guarded = true;
		const { may_submit } = aftersales_module.stage_fields;
		const can_submit = toolbar.can_submit.bind(toolbar);
		toolbar.can_submit = () => can_submit() && may_submit(toolbar.frm);
		const show_submit_message = frm.show_submit_message.bind(frm);
		frm.show_submit_message = () => may_submit(frm) && show_submit_message();
	},
});

["Spare Part Transfer Request", "Compensation Claim", "Inquiry Ticket"].forEach((doctype) =>
	frappe.ui.form.on(doctype, {
		setup: (frm) => aftersales_module.stage_fields.guard_submit(frm),
		refresh: (frm) => aftersales_module.stage_fields.refresh(frm),
	})
);
