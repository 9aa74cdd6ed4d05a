# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AftersalesStageLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link | None
		from_stage: DF.Data | None
		moved_by: DF.Link | None
		moved_on: DF.Datetime | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		roles: DF.SmallText | None
		to_stage: DF.Data | None
		workflow_state: DF.Data | None
	# end: auto-generated types

	pass
