// The activity log of a case says what changed, values included, in the reader's language: stages,
// statuses and workflow states are stored as the server names them, so each value Frappe writes in
// bold ("Stage from Review to Inspection") is shown through __(), as the form shows its Select values.
(() => {
	// A value that was never set reaches the log as null: shown as Frappe shows an empty one.
	const shown_value = (value) => (value === "null" ? '""' : __(value));
	const translate_values = (content) =>
		typeof content === "string"
			? content.replace(/<b>([^<]*)<\/b>/g, (_all, value) => `<b>${shown_value(value)}</b>`)
			: content;

	// Frappe names a changed line's field ("Received Qty from 0 to 1 in row #1") by its label untranslated.
	const with_translated_labels = (build) => {
		const get_label = frappe.meta.get_label;
		frappe.meta.get_label = (...args) => __(get_label.apply(frappe.meta, args));
		try {
			return build();
		} finally {
			frappe.meta.get_label = get_label;
		}
	};

	const read_values_in_reader_language = (frm) => {
		const timeline = frm.timeline;
		if (!timeline || timeline.__aftersales_translated) return false;
		const versions = timeline.get_version_timeline_contents.bind(timeline);
		timeline.get_version_timeline_contents = () =>
			with_translated_labels(versions).map((item) => ({ ...item, content: translate_values(item.content) }));
		timeline.__aftersales_translated = true;
		return true;
	};

	for (const doctype of [
		"Return Request",
		"Repair Order",
		"Spare Part Transfer Request",
		"Compensation Claim",
		"Inquiry Ticket",
	]) {
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				// the first rendering happened before the form's scripts could wrap it: render it once more
				if (read_values_in_reader_language(frm) && frappe.boot.lang !== "en") frm.timeline.refresh();
			},
		});
	}
})();
