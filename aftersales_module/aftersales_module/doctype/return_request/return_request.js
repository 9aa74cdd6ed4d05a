// Copyright (c) 2026, Aftersales Module Developers and contributors
// For license information, please see license.txt

// Helpers live in a namespace, not in top-level consts: Frappe evaluates this file as a global
// script and may evaluate it again, which would redeclare them.
frappe.provide("aftersales_module.return_request");

frappe.ui.form.on("Return Request", {
	setup(frm) {
		// Customer service may not read Sales Invoice in ERPNext: the case lists the customer's sales.
		frm.set_query("sales_invoice", () => ({
			query: "aftersales_module.actions.return_request.search_invoices",
			filters: { customer: frm.doc.customer, company: frm.doc.company },
		}));
		// A delivery not yet invoiced, or an order paid in advance and not shipped: Get Items takes
		// their lines when no invoice is picked.
		for (const [field, method] of [
			["delivery_note", "search_deliveries"],
			["sales_order", "search_orders"],
		]) {
			frm.set_query(field, () => ({
				query: `aftersales_module.controllers.uninvoiced_items.${method}`,
				filters: { customer: frm.doc.customer, company: frm.doc.company },
			}));
		}
		frm.set_query("restock_warehouse", "items", () => ({
			filters: { company: frm.doc.company, is_group: 0 },
		}));
	},
	refresh(frm) {
		const form = aftersales_module.case_form;
		const request = aftersales_module.return_request;
		if (frm.is_new()) form.drop_blank_rows(frm, "items", "item_code");
		if (frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Get Items"), () => {
				form.drop_blank_rows(frm, "items", "item_code");
				frm.call("get_items").then(() => frm.refresh_field("items"));
			});
		}
		form.show_columns(frm, "items", request.columns_at(frm.doc));
		form.lock_other_steps(frm, "items");
		form.no_save_without_create(frm);
		form.hide_refused_cancel(frm);
		form.explain_hidden_actions(frm);
		form.show_messages(frm, [
			request.headline(frm),
			{ html: frappe.utils.escape_html(form.next_step_message(frm) || ""), color: "blue" },
		]);
		request.figures_asked = (request.figures_asked || 0) + 1; // answers to earlier questions are stale
		if (frm.doc.docstatus === 1) {
			request.add_action_buttons(frm);
		}
	},
	// A workflow action answers with the case alone: read it again for what its new stage shows whom.
	after_workflow_action: (frm) => frm.reload_doc(),
	// The money follows what the user types, worked out by the server before anything is saved.
	depreciation_percent: (frm) => aftersales_module.return_request.ask_figures(frm),
	handling_fee: (frm) => aftersales_module.return_request.ask_figures(frm),
	shipping_cost: (frm) => aftersales_module.return_request.ask_figures(frm),
	shipping_payer: (frm) => aftersales_module.return_request.ask_figures(frm),
	items_remove: (frm) => aftersales_module.return_request.ask_figures(frm),
});

frappe.ui.form.on("Return Request Item", {
	qty: (frm) => aftersales_module.return_request.ask_figures(frm),
});

Object.assign(aftersales_module.return_request, {
	// The line fields worked at each stage, as grid columns; earlier stages' entries stay in the row.
	COLUMNS: {
		Draft: ["sales_invoice", "item_code", "qty", "rate"],
		Review: ["sales_invoice", "item_code", "qty", "rate"],
		Inspection: ["item_code", "qty", "inspection_result", "inspection_notes"],
		"Sales Approval": ["sales_invoice", "item_code", "qty", "rate", "inspection_result"],
		Approved: [
			"item_code",
			"qty",
			"inspection_result",
			"received_qty",
			"received_condition",
			"received_serial_no",
		],
		"Goods Received": [
			"item_code",
			"qty",
			"received_qty",
			"received_condition",
			"received_serial_no",
			"accepted_qty",
			"disposition",
		],
	},
	FIGURES: [
		"goods_amount",
		"credit_tax",
		"total_deductions",
		"customer_shipping",
		"company_shipping",
		"refund_amount",
		"base_refund_amount",
		"refund_rule",
		"credit_breakdown",
		"taxes_included",
	],
	FIGURES_DELAY: 300, // ms after the last keystroke

	columns_at(doc) {
		const { COLUMNS } = aftersales_module.return_request;
		const stage = doc.stage || "Draft";
		const columns = COLUMNS[stage] || (["Refunded", "Closed"].includes(stage) ? COLUMNS["Goods Received"] : COLUMNS.Draft);
		return doc.request_type === "Spare Unit" ? [...columns, "spare_status"] : columns;
	},

	ask_figures(frm) {
		const request = aftersales_module.return_request;
		clearTimeout(request.figures_timer);
		request.figures_timer = setTimeout(() => request.fetch_figures(frm), request.FIGURES_DELAY);
	},

	fetch_figures(frm) {
		const request = aftersales_module.return_request;
		const doc = frm.doc;
		if (doc.docstatus > 1 || !(doc.items || []).some((row) => row.sales_invoice_item)) return;
		const asked = (request.figures_asked = (request.figures_asked || 0) + 1);
		frappe
			.call({
				method: "aftersales_module.controllers.live_figures.return_figures",
				args: { doc },
			})
			.then(({ message }) => {
				if (asked !== request.figures_asked || !message || frm.doc !== doc) return;
				request.show_figures(frm, message);
			});
	},

	show_figures(frm, figures) {
		const { FIGURES } = aftersales_module.return_request;
		frm.set_df_property(
			"refund_amount",
			"description",
			figures.problem ? `<span class="text-danger">${frappe.utils.escape_html(figures.problem)}</span>` : ""
		);
		if (figures.problem) return;
		FIGURES.forEach((fieldname) => {
			if (frm.doc[fieldname] !== figures[fieldname]) {
				frm.doc[fieldname] = figures[fieldname];
				frm.refresh_field(fieldname);
			}
		});
		const grid = frm.fields_dict.items.grid;
		(frm.doc.items || []).forEach((row) => {
			if (row.name in figures.items && row.amount !== figures.items[row.name]) {
				row.amount = figures.items[row.name];
				const grid_row = grid.get_row(row.name);
				grid_row && grid_row.refresh_field("amount");
			}
		});
	},

	// Stages in which the goods are back in the company's hands.
	AFTER_RECEIPT: ["Goods Received", "Refunded", "Closed"],
	// Roles that may always use the actions.
	ALWAYS_ALLOWED: ["Aftersales Manager", "System Manager"],

	can(role) {
		return !!frappe.user.has_role([role, ...aftersales_module.return_request.ALWAYS_ALLOWED]);
	},

	run(frm, method, args) {
		return frm.call(method, args).then(() => frm.reload_doc());
	},

	as_html(text) {
		return frappe.utils.escape_html(text || "").replace(/\n/g, "<br>");
	},

	// The case's own news (a spare unit out, a discrepancy, eligibility) for the headline.
	headline(frm) {
		const { as_html } = aftersales_module.return_request;
		const doc = frm.doc;
		const spares_out = (doc.items || []).filter((row) => row.spare_status === "Out");
		if (doc.docstatus === 1 && spares_out.length) {
			const today = frappe.datetime.get_today();
			const lines = spares_out.map((row) =>
				__("{0} {1} with {2} since {3}, due back {4}", [
					row.replacement_item || row.item_code,
					row.replacement_serial_no || "",
					doc.customer_name || doc.customer,
					frappe.datetime.str_to_user(row.spare_shipped_on),
					frappe.datetime.str_to_user(row.spare_due_date),
				])
			);
			const overdue = spares_out.some((row) => row.spare_due_date && row.spare_due_date < today);
			return {
				html: `<b>${overdue ? __("Spare unit overdue") : __("Spare unit out")}</b><br>${lines
					.map((line) => frappe.utils.escape_html(line))
					.join("<br>")}`,
				color: overdue ? "red" : "orange",
			};
		}
		if (doc.docstatus === 1 && doc.has_discrepancy && !doc.discrepancy_resolved) {
			return {
				html: `<b>${__("Discrepancy found on receipt")}</b><br>${as_html(doc.discrepancy_summary)}`,
				color: "red",
			};
		}
		if (doc.docstatus === 0 && doc.eligibility_rule && !doc.eligible) {
			let html = `<b>${__("Not Eligible")}</b>: ${as_html(doc.eligibility_rule)}`;
			if (doc.alternatives) {
				html += `<br><b>${__("Alternatives")}</b>: ${as_html(doc.alternatives)}`;
			}
			return { html, color: "orange" };
		}
		if (doc.docstatus === 0 && doc.eligibility_rule) {
			return {
				html: `<span class="indicator green">${__("Eligible")}</span> ${as_html(doc.eligibility_rule)}`,
				color: "green",
			};
		}
		return null;
	},

	// The warehouse records how a shipment to the customer travels: carrier, tracking and days.
	record_shipment(frm) {
		const dialog = new frappe.ui.Dialog({
			title: __("Record Shipment"),
			fields: [
				{
					fieldname: "stock_entry",
					label: __("Shipment"),
					fieldtype: "Link",
					options: "Stock Entry",
					reqd: 1,
					get_query: () => ({
						filters: { aftersales_return_request: frm.doc.name, docstatus: 1 },
					}),
				},
				{ fieldname: "carrier", label: __("Carrier"), fieldtype: "Link", options: "Supplier" },
				{ fieldname: "tracking_no", label: __("Tracking Number"), fieldtype: "Data" },
				{ fieldname: "shipped_on", label: __("Shipped On"), fieldtype: "Date" },
				{ fieldname: "delivered_on", label: __("Delivered On"), fieldtype: "Date" },
			],
			primary_action_label: __("Save"),
			primary_action(values) {
				frappe
					.call("aftersales_module.controllers.shipments.record_shipment", values)
					.then(() => {
						dialog.hide();
						frm.reload_doc();
					});
			},
		});
		dialog.show();
	},

	add_action_buttons(frm) {
		const { AFTER_RECEIPT, can, run, resolve_discrepancy } = aftersales_module.return_request;
		const doc = frm.doc;
		const items = doc.items || [];
		const group = __("Actions");

		if (can("Aftersales Warehouse")) {
			frm.add_custom_button(
				__("Record Shipment"),
				() => aftersales_module.return_request.record_shipment(frm),
				group
			);
		}
		if (
			!doc.customer_told_on &&
			!["Closed", "Cancelled", "Rejected"].includes(doc.stage) &&
			can("Aftersales Customer Service")
		) {
			frm.add_custom_button(
				__("Customer Told"),
				() =>
					frappe
						.call("aftersales_module.controllers.return_deadlines.record_customer_told", {
							name: doc.name,
						})
						.then(() => frm.reload_doc()),
				group
			);
		}
		if (
			doc.stage === "Goods Received" &&
			doc.has_discrepancy &&
			!doc.discrepancy_resolved &&
			can("Aftersales Customer Service")
		) {
			frm.add_custom_button(__("Resolve Discrepancy"), () => resolve_discrepancy(frm), group);
		}

		if (
			AFTER_RECEIPT.includes(doc.stage) &&
			!doc.scrap_approved_by &&
			items.some((row) => row.disposition === "Scrap") &&
			can("Aftersales Manager")
		) {
			frm.add_custom_button(
				__("Approve Scrap"),
				() =>
					frappe.confirm(__("Approve scrapping the lines marked Scrap?"), () =>
						run(frm, "approve_scrap")
					),
				group
			);
		}

		// Lines with nothing accepted are skipped by the server, so they do not count as pending.
		if (
			AFTER_RECEIPT.includes(doc.stage) &&
			items.some((row) => row.disposition && !row.disposition_entry && flt(row.accepted_qty) > 0) &&
			can("Aftersales Warehouse")
		) {
			frm.add_custom_button(__("Apply Dispositions"), () => run(frm, "apply_dispositions"), group);
		}

		const exchange_types = ["Exchange Same Item", "Exchange Different Item", "Repair"];
		if (
			doc.stage === "Goods Received" &&
			exchange_types.includes(doc.request_type) &&
			items.some((row) => row.goods_in_entry && !row.replacement_entry) &&
			can("Aftersales Warehouse")
		) {
			frm.add_custom_button(__("Ship to Customer"), () => run(frm, "ship_replacements"), group);
		}

		aftersales_module.return_request.add_spare_and_reissue_buttons(frm, group);
		aftersales_module.return_request.add_mail_in_buttons(frm, group);
	},

	add_spare_and_reissue_buttons(frm, group) {
		const { can, run, receive_spare_back, check_reissue_stock } = aftersales_module.return_request;
		const doc = frm.doc;
		const items = doc.items || [];
		const warehouse = can("Aftersales Warehouse");

		if (doc.request_type === "Spare Unit") {
			if (doc.stage === "Approved" && warehouse && items.some((row) => !row.spare_status)) {
				frm.add_custom_button(__("Ship Spare Units"), () => run(frm, "ship_spare_units"), group);
			}
			if (
				["Approved", "Goods Received"].includes(doc.stage) &&
				warehouse &&
				items.some((row) => row.spare_status === "Out")
			) {
				frm.add_custom_button(__("Spare Unit Came Back"), () => receive_spare_back(frm), group);
			}
		}
		if (doc.request_type === "Reissue" && doc.stage === "Approved") {
			frm.add_custom_button(__("Check Stock"), () => check_reissue_stock(frm), group);
			if (warehouse && items.some((row) => !row.replacement_entry)) {
				frm.add_custom_button(__("Ship Reissue"), () => run(frm, "ship_reissue"), group);
			}
		}
	},

	receive_spare_back(frm) {
		const { run } = aftersales_module.return_request;
		const out = (frm.doc.items || []).filter((row) => row.spare_status === "Out");
		const dialog = new frappe.ui.Dialog({
			title: __("Spare Unit Came Back"),
			fields: out.map((row) => ({
				fieldtype: "Small Text",
				fieldname: row.name,
				label: __("Row #{0}: serial numbers received for {1}", [
					row.idx,
					row.replacement_item || row.item_code,
				]),
				description: __("Sent: {0}", [row.replacement_serial_no || __("no serial number")]),
			})),
			primary_action_label: __("Take Back"),
			primary_action(values) {
				dialog.hide();
				run(frm, "receive_spare_back", { returned_serials: values });
			},
		});
		dialog.show();
	},

	check_reissue_stock(frm) {
		frm.call("check_reissue_stock").then(({ message: lines }) => {
			const rows = (lines || [])
				.map(
					(line) => `<tr>
						<td>${line.idx}</td>
						<td>${frappe.utils.escape_html(line.item_code)}</td>
						<td>${line.qty}</td>
						<td>${frappe.utils.escape_html(line.warehouse || "")}: ${line.available_qty}</td>
						<td>${aftersales_module.return_request.as_html(line.stock_by_warehouse)}</td>
						<td>${line.expected_restock_date ? frappe.datetime.str_to_user(line.expected_restock_date) : ""}</td>
					</tr>`
				)
				.join("");
			frappe.msgprint({
				title: __("Stock for the Reissue"),
				message: `<table class="table table-bordered"><thead><tr>
					<th>#</th><th>${__("Item")}</th><th>${__("Needed")}</th><th>${__("Ship From")}</th>
					<th>${__("Stock by Warehouse")}</th><th>${__("Expected Restock")}</th>
				</tr></thead><tbody>${rows}</tbody></table>`,
				wide: true,
			});
			frm.reload_doc();
		});
	},

	resolve_discrepancy(frm) {
		const { as_html, run } = aftersales_module.return_request;
		const dialog = new frappe.ui.Dialog({
			title: __("Resolve Discrepancy"),
			fields: [
				{
					fieldtype: "HTML",
					fieldname: "summary",
					options: `<p class="text-muted">${as_html(frm.doc.discrepancy_summary)}</p>`,
				},
				{
					fieldtype: "Small Text",
					fieldname: "resolution",
					label: __("Resolution"),
					reqd: 1,
				},
			],
			primary_action_label: __("Resolve"),
			primary_action({ resolution }) {
				dialog.hide();
				run(frm, "resolve_discrepancy", { resolution });
			},
		});
		dialog.show();
	},
});

// Mail-in testing (received, tested, then decided) and the postage the customer paid.
Object.assign(aftersales_module.return_request, {
	add_mail_in_buttons(frm, group) {
		const { can, run } = aftersales_module.return_request;
		const doc = frm.doc;
		const mail_in_types = [
			"Return and Refund",
			"Exchange Same Item",
			"Exchange Different Item",
			"Repair",
		];
		const mail_in =
			doc.reason_category === "Quality Problem" && mail_in_types.includes(doc.request_type);
		if (
			mail_in &&
			doc.stage === "Inspection" &&
			!doc.test_unit_status &&
			can("Aftersales Warehouse")
		) {
			frm.add_custom_button(
				__("Receive for Testing"),
				() => aftersales_module.return_request.receive_for_testing(frm),
				group
			);
		}
		const no_fault = (doc.items || []).some((row) => row.inspection_result === "No Defect Found");
		if (
			doc.test_unit_status &&
			!doc.test_report_accepted_on &&
			(doc.stage === "Rejected" || (doc.stage === "Review" && no_fault)) &&
			can("Aftersales Customer Service")
		) {
			frm.add_custom_button(
				__("Customer Accepts Test Report"),
				() =>
					frappe.confirm(__("Record that the customer accepts the company's test report?"), () =>
						run(frm, "accept_test_report")
					),
				group
			);
		}
		if (
			doc.test_unit_status === "In for Testing" &&
			doc.stage === "Rejected" &&
			doc.test_report_accepted_on &&
			can("Aftersales Warehouse")
		) {
			frm.add_custom_button(
				__("Ship Unit Back"),
				() => aftersales_module.return_request.ship_unit_back(frm),
				group
			);
		}
		if (
			flt(doc.customer_postage) > 0 &&
			!doc.postage_payment &&
			!["Rejected", "Cancelled"].includes(doc.stage) &&
			can("Accounts User")
		) {
			frm.add_custom_button(
				__("Reimburse Postage"),
				() => aftersales_module.return_request.reimburse_postage(frm),
				group
			);
		}
	},

	// The serial numbers that arrived, per line; a line without serial numbers comes in as requested.
	receive_for_testing(frm) {
		const { run } = aftersales_module.return_request;
		const serialised = (frm.doc.items || []).filter((row) => row.serial_no);
		if (!serialised.length) {
			run(frm, "receive_for_testing");
			return;
		}
		const dialog = new frappe.ui.Dialog({
			title: __("Receive for Testing"),
			fields: serialised.map((row) => ({
				fieldtype: "Small Text",
				fieldname: row.name,
				label: __("Row #{0}: serial numbers received for {1}", [row.idx, row.item_code]),
				default: row.serial_no,
			})),
			primary_action_label: __("Receive for Testing"),
			primary_action(values) {
				dialog.hide();
				run(frm, "receive_for_testing", { received_serials: values });
			},
		});
		dialog.show();
	},

	ship_unit_back(frm) {
		const dialog = new frappe.ui.Dialog({
			title: __("Ship Unit Back"),
			fields: [
				{ fieldtype: "Link", fieldname: "carrier", options: "Supplier", label: __("Carrier") },
				{
					fieldtype: "Currency",
					fieldname: "freight",
					label: __("Freight Back"),
					description: __("Owed to the carrier and charged to the customer, with the return freight"),
				},
			],
			primary_action_label: __("Ship"),
			primary_action(values) {
				frm.call("ship_unit_back", values).then(() => {
					dialog.hide();
					frm.reload_doc();
				});
			},
		});
		dialog.show();
	},

	reimburse_postage(frm) {
		frappe.prompt(
			{
				fieldtype: "Currency",
				fieldname: "amount",
				label: __("Amount to Reimburse"),
				description: __("Empty reimburses the company's whole share of the postage"),
			},
			(values) => aftersales_module.return_request.run(frm, "reimburse_postage", values),
			__("Reimburse Postage"),
			__("Reimburse")
		);
	},
});
