frappe.listview_settings["Aftersales Complaint"] = {
	add_fields: ["status", "is_malicious"],
	get_indicator(doc) {
		if (doc.is_malicious) return [__("Malicious"), "red", "is_malicious,=,1"];
		const colors = { Open: "orange", Resolved: "blue", Closed: "green" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
