# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReturnRequestPosting(Document):
	pass
