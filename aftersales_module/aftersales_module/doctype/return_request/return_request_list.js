// The colour follows the stage, so a renamed or added workflow state keeps its meaning.
frappe.listview_settings["Return Request"] = {
	hide_name_column: true, // the title carries the case number
	add_fields: ["status", "stage", "eligible", "docstatus"],
	get_indicator(doc) {
		const colors = {
			Draft: "gray",
			Review: "blue",
			Inspection: "orange",
			"Sales Approval": "orange",
			Approved: "green",
			Rejected: "red",
			"Goods Received": "purple",
			Refunded: "green",
			Closed: "gray",
			Cancelled: "red",
		};
		const status = doc.status || "Draft";
		return [__(status), colors[doc.stage] || "gray", "status,=," + status];
	},
	onload(listview) {
		aftersales_module.case_list.explain_empty(listview);
	},
};
