// The activity log of a case says what changed, values included, in the reader's language: stages,
// statuses and workflow states are stored as the server names them, so each value Frappe writes in
// bold ("Stage from Review to Inspection") is shown through __(), as the form shows its Select values.
(() => {
	const translate_values = (content) =>
		typeof content === "string" ? content.replace(/<b>([^<]*)<\/b>/g, (_all, value) => `<b>${__(value)}</b>`) : content;

	const read_values_in_reader_language = (frm) => {
		const timeline = frm.timeline;
		if (!timeline || timeline.__aftersales_translated) return false;
		const versions = timeline.get_version_timeline_contents.bind(timeline);
		timeline.get_version_timeline_contents = () =>
			versions().map((item) => ({ ...item, content: translate_values(item.content) }));
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
