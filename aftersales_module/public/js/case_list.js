// Shared by the after-sales case lists (hooks.py doctype_list_js): an empty list says what to do first.
frappe.provide("aftersales_module.case_list");

Object.assign(aftersales_module.case_list, {
	first_step(doctype) {
		return {
			"Return Request": __(
				"No return requests here yet. Start one with Add Return Request: choose the customer and the sales invoice, then Get Items brings its lines."
			),
			"Repair Order": __(
				"No repair orders here yet. Customer service or the repair point manager opens one for a walk-in, a field-service call or a return request; technicians then work on it."
			),
			"Compensation Claim": __(
				"No compensation claims here yet. Open one from an inquiry ticket about a lost, damaged or late parcel, or add one for the customer and order."
			),
			"Inquiry Ticket": __(
				"No inquiry tickets here yet. Record the customer's question with Add Inquiry Ticket: the order, the reason and how they reached you."
			),
			"Spare Part Transfer Request": __(
				"No spare part transfer requests here yet. A repair point manager asks for parts with Add Spare Part Transfer Request; the warehouse fulfils approved ones."
			),
		}[doctype];
	},

	explain_empty(listview) {
		const original = listview.get_no_result_message.bind(listview);
		listview.get_no_result_message = () => {
			const html = original();
			const filters = listview.filter_area && listview.filter_area.get();
			const message = aftersales_module.case_list.first_step(listview.doctype);
			if ((filters && filters.length) || !message) return html;
			return html.replace(/<p>[^<]*<\/p>/, `<p>${frappe.utils.escape_html(message)}</p>`);
		};
	},
});
