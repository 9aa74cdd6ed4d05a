frappe.listview_settings["Return Request"] = {
	add_fields: ["status", "eligible"],
	get_indicator(doc) {
		const colors = {
			Draft: "red",
			"Customer Service Review": "orange",
			"Quality Inspection": "orange",
			"Sales Approval": "orange",
			Approved: "blue",
			Rejected: "gray",
			"Goods Received": "purple",
			Refunded: "green",
			Closed: "green",
			Cancelled: "red",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
