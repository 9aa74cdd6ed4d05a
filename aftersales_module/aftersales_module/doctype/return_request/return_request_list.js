frappe.listview_settings["Return Request"] = {
	add_fields: ["status", "eligible", "docstatus"],
	get_indicator(doc) {
		const colors = {
			Draft: "gray",
			"Customer Service Review": "blue",
			"Quality Inspection": "orange",
			"Sales Approval": "orange",
			Approved: "green",
			Rejected: "red",
			"Goods Received": "purple",
			Refunded: "green",
			Closed: "gray",
			Cancelled: "red",
		};
		const status = doc.status || "Draft";
		return [__(status), colors[status] || "gray", "status,=," + status];
	},
};
