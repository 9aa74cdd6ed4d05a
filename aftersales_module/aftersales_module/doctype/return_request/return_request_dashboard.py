from frappe import _


def get_data():
	return {
		"fieldname": "aftersales_return_request",
		"transactions": [
			{"label": _("Goods and Credit"), "items": ["Sales Invoice", "Delivery Note"]},
			{"label": _("Refund"), "items": ["Payment Entry", "Journal Entry"]},
			{"label": _("Inspection and Disposition"), "items": ["Quality Inspection", "Stock Entry"]},
		],
	}
