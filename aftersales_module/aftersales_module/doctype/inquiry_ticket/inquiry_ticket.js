// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

frappe.provide("aftersales_module.inquiry_ticket");

frappe.ui.form.on("Inquiry Ticket", {
	setup(frm) {
		const of_customer = () => ({
			filters: { docstatus: 1, company: frm.doc.company, customer: frm.doc.customer },
		});
		["sales_order", "delivery_note", "return_request"].forEach((field) => frm.set_query(field, of_customer));
		frm.set_query("sales_invoice", () => ({
			filters: { docstatus: 1, is_return: 0, company: frm.doc.company, customer: frm.doc.customer },
		}));
	},
	refresh(frm) {
		aftersales_module.case_form.refresh(frm);
		aftersales_module.inquiry_ticket.show_service_level(frm);
		if (!frm.is_new()) {
			aftersales_module.inquiry_ticket.add_buttons(frm);
			aftersales_module.inquiry_ticket.show_shipments(frm);
		}
	},
});

Object.assign(aftersales_module.inquiry_ticket, {
	// What the cases this ticket became have shipped to the customer, with carrier and tracking.
	show_shipments(frm) {
		frappe
			.call("aftersales_module.controllers.shipments.ticket_shipments", { ticket: frm.doc.name })
			.then(({ message }) => {
				(message || []).forEach((shipment) => {
					frm.dashboard.add_comment(
						__("{0} shipped {1} by {2}, tracking {3}{4}", [
							shipment.return_request,
							frappe.datetime.str_to_user(shipment.aftersales_shipped_on || shipment.posting_date),
							shipment.aftersales_carrier || __("an unrecorded carrier"),
							shipment.aftersales_tracking_no || __("not recorded"),
							shipment.aftersales_delivered_on
								? __(", delivered {0}", [
										frappe.datetime.str_to_user(shipment.aftersales_delivered_on),
								  ])
								: "",
						]),
						"blue",
						true
					);
				});
			});
	},

	run(frm, method, args) {
		return frm.call(method, args).then(() => frm.reload_doc());
	},

	open(frm, method, doctype) {
		return frm.call(method).then((r) => frappe.set_route("Form", doctype, r.message));
	},

	show_service_level(frm) {
		const doc = frm.doc;
		if (frm.is_new() || !["Open", "Replied", "Waiting on Customer"].includes(doc.status)) return;
		const colour = { "On Time": "blue", "At Risk": "orange", Breached: "red" }[doc.sla_status];
		const due = doc.first_responded_on ? doc.result_by : doc.response_by;
		const what = doc.first_responded_on ? __("Result due {0}") : __("First response due {0}");
		const paused = doc.status === "Waiting on Customer" ? " " + __("(clock paused)") : "";
		frm.dashboard.set_headline_alert(
			`${__(doc.sla_status)}: ${what.replace("{0}", frappe.datetime.str_to_user(due))}${paused}`,
			colour
		);
	},

	add_buttons(frm) {
		const { run, open } = aftersales_module.inquiry_ticket;
		const doc = frm.doc;
		// the ticket's steps and escalations are customer service's: other roles are shown none of them
		// (the intro says whom the ticket waits for), only the cases it already became
		if (!frappe.user.has_role(["Aftersales Customer Service", "Aftersales Manager", "System Manager"])) {
			aftersales_module.inquiry_ticket.add_made_cases(frm);
			return;
		}
		const active = ["Open", "Replied", "Waiting on Customer"].includes(doc.status);
		const group = __("Actions");

		if (active && !doc.first_responded_on) {
			frm.add_custom_button(__("Record First Response"), () => run(frm, "record_first_response"), group);
		}
		if (doc.status === "Replied") {
			frm.add_custom_button(__("Wait on Customer"), () => run(frm, "wait_on_customer"), group);
		}
		if (doc.status === "Waiting on Customer") {
			frm.add_custom_button(__("Customer Replied"), () => run(frm, "customer_replied"), group);
		}
		if (active) {
			frm.add_custom_button(__("Send Result"), () => aftersales_module.inquiry_ticket.send_result(frm), group);
		}
		if (doc.status === "Resolved") {
			frm.add_custom_button(__("Close"), () => run(frm, "close"), group);
		}

		const escalate = __("Escalate");
		if (doc.anomaly && doc.anomaly !== "Returned") {
			frm.add_custom_button(
				doc.compensation_claim ? __("Open Compensation Claim") : __("Compensation Claim"),
				() => open(frm, "make_compensation_claim", "Compensation Claim"),
				escalate
			);
		}
		frm.add_custom_button(
			doc.reissue_request ? __("Open Reissue") : __("Reissue"),
			() => open(frm, "make_reissue", "Return Request"),
			escalate
		);
		frm.add_custom_button(
			doc.escalated_return_request ? __("Open Return Request") : __("Return Request"),
			() => open(frm, "make_return_request", "Return Request"),
			escalate
		);
	},

	add_made_cases(frm) {
		const made = [
			["compensation_claim", "Compensation Claim", __("Open Compensation Claim")],
			["reissue_request", "Return Request", __("Open Reissue")],
			["escalated_return_request", "Return Request", __("Open Return Request")],
		];
		made.filter(([field]) => frm.doc[field]).forEach(([field, doctype, label]) =>
			frm.add_custom_button(label, () => frappe.set_route("Form", doctype, frm.doc[field]), __("Escalate"))
		);
	},

	send_result(frm) {
		const dialog = new frappe.ui.Dialog({
			title: __("Send Result"),
			fields: [
				{
					fieldname: "feedback_method",
					fieldtype: "Select",
					label: __("Feedback Method"),
					options: ["Phone", "SMS", "Email", "Platform Message"],
					default: frm.doc.feedback_method || "Phone",
					reqd: 1,
				},
				{
					fieldname: "text",
					fieldtype: "Small Text",
					label: __("Result Given"),
					default: frm.doc.proposed_solution,
					reqd: 1,
				},
			],
			primary_action_label: __("Send Result"),
			primary_action(values) {
				dialog.hide();
				aftersales_module.inquiry_ticket.run(frm, "send_result", values);
			},
		});
		dialog.show();
	},
});
