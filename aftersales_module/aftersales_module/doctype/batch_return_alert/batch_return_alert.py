# Copyright (c) 2026, Aftersales Module Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

# What the daily check decides; quality only confirms or dismisses the alert.
FIGURES = (
	"batch_no",
	"item_code",
	"flagged_on",
	"sold_qty",
	"returned_qty",
	"batch_rate",
	"baseline_rate",
	"p_value",
	"reason",
)


class BatchReturnAlert(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		baseline_rate: DF.Percent
		batch_no: DF.Link | None
		batch_rate: DF.Percent
		flagged_on: DF.Datetime | None
		item_code: DF.Link | None
		p_value: DF.Float
		reason: DF.SmallText | None
		resolution_note: DF.SmallText | None
		returned_qty: DF.Float
		sold_qty: DF.Float
		status: DF.Literal["Open", "Confirmed", "Dismissed"]
	# end: auto-generated types

	def validate(self):
		self.keep_figures()
		if self.status != "Open" and not (self.resolution_note or "").strip():
			frappe.throw(
				_(
					"Write the finding in {0}: the cause when confirmed, why it is no problem when dismissed."
				).format(_(self.meta.get_label("resolution_note"))),
				title=_("Finding Needed"),
			)

	def keep_figures(self):
		"""The figures are the daily check's; a user's save keeps them as they were."""
		before = self.get_doc_before_save()
		if before is None or self.flags.from_check:
			return
		for fieldname in FIGURES:
			self.set(fieldname, before.get(fieldname))
