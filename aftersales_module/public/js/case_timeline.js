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

	// What the server notes on a case's timeline, kept in English (controllers/reopen.py): each reader
	// reads it through their own translation, the values it names as they were written.
	const INFO_TEMPLATES = ["Reopened ({0}) by {1}: {2}", "Closed again by {0}: {1}"].map((template) => ({
		template,
		pattern: new RegExp(
			"^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\d\}/g, "([\\s\\S]*?)") + "$"
		),
	}));
	const translate_info = (content) => {
		for (const { template, pattern } of INFO_TEMPLATES) {
			const found = typeof content === "string" && content.match(pattern);
			if (found) return __(template, found.slice(1).map((value) => __(value)));
		}
		return content;
	};
	const with_translated_infos = (timeline, build) => {
		const logs = (timeline.doc_info && timeline.doc_info.info_logs) || [];
		const written = logs.map((log) => log.content);
		logs.forEach((log) => (log.content = translate_info(log.content)));
		try {
			return build();
		} finally {
			logs.forEach((log, index) => (log.content = written[index]));
		}
	};

	const read_values_in_reader_language = (frm) => {
		const timeline = frm.timeline;
		if (!timeline || timeline.__aftersales_translated) return false;
		const infos = timeline.get_info_timeline_contents.bind(timeline);
		timeline.get_info_timeline_contents = () => with_translated_infos(timeline, infos);
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
