// Reopen a closed return request, and close a reopened one again (controllers/reopen.py).
frappe.ui.form.on("Return Request", {
	refresh(frm) {
		if (frm.doc.docstatus !== 1 || !frappe.user.has_role(["Aftersales Customer Service", "Aftersales Manager"])) {
			return;
		}
		const ask = (title, label, method, argument) =>
			frappe.prompt(
				{ fieldname: "text", fieldtype: "Small Text", label, reqd: 1 },
				({ text }) =>
					frappe
						.call(method, { name: frm.doc.name, [argument]: text })
						.then(() => frm.reload_doc()),
				title,
				title
			);
		if (frm.doc.stage === "Closed") {
			frm.add_custom_button(__("Reopen"), () =>
				ask(__("Reopen"), __("Reason for Reopening"), "aftersales_module.controllers.reopen.reopen", "reason")
			);
		}
		if (frm.doc.stage === "Review" && frm.doc.reopen_count) {
			frm.add_custom_button(__("Close Reopened Case"), () =>
				ask(
					__("Close Reopened Case"),
					__("Resolution"),
					"aftersales_module.controllers.reopen.close_reopened",
					"resolution"
				)
			);
		}
	},
});
