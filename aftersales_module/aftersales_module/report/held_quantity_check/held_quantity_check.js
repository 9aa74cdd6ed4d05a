// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Held Quantity Check"] = {
	filters: [],
	onload(report) {
		// an empty report says what to do first
		report.get_no_result_message = () =>
			`<div class="msg-box no-border"><p>${__("Every invoice line holds what its open return requests hold: there is nothing to repair.")}</p></div>`;
		report.page.add_inner_button(__("Repair Held Quantities"), () =>
			frappe.confirm(
				__("Set each line's held quantity to what its open return requests hold?"),
				() =>
					frappe
						.call("aftersales_module.controllers.sales_history.repair_held_quantities")
						.then(({ message }) => {
							frappe.show_alert({
								message: __("{0} line(s) repaired", [message || 0]),
								indicator: "green",
							});
							report.refresh();
						})
			)
		);
	},
};
