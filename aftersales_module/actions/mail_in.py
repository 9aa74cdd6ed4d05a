"""The steps of mail-in testing and of the customer's postage on a Return Request, each a checked service
(see actions/return_request.py): the role, the case locked and read again, the posting, the save."""

from decimal import Decimal

import frappe
from frappe import _

from aftersales_module.controllers import mail_in, postage
from aftersales_module.controllers.argument_checks import link_argument, texts_argument
from aftersales_module.controllers.field_checks import as_number
from aftersales_module.controllers.steps import as_app, finish_step, start_step
from aftersales_module.setup.roles import CUSTOMER_SERVICE, WAREHOUSE
from aftersales_module.setup.workflow import ACCOUNTS_USER


class MailInActions:
	@frappe.whitelist()
	def receive_for_testing(self, received_serials: dict | str | None = None):
		"""The customer's unit comes in to be tested (先進行檢測); it stays the customer's."""
		start_step(self, WAREHOUSE)
		received = texts_argument(received_serials, _("Received Serial Nos"), self.items)
		with as_app():
			mail_in.receive_for_testing(self, received)
		finish_step(self)

	@frappe.whitelist()
	def accept_test_report(self):
		"""Customer service records that the customer accepts the company's test report."""
		start_step(self, CUSTOMER_SERVICE)
		mail_in.record_report_acceptance(self)
		finish_step(self)

	@frappe.whitelist()
	def ship_unit_back(self, carrier: str | None = None, freight: float | str | None = None):
		"""The whole set goes back to the customer, who pays the freight both ways."""
		start_step(self, WAREHOUSE)
		carrier = link_argument(carrier, "Supplier", _("Carrier"), required=False)
		freight_back = as_number(freight) if freight not in (None, "") else Decimal(0)
		if freight_back is None or not freight_back.is_finite() or freight_back < 0:
			frappe.throw(
				_("Freight Back must be an amount from 0, like 12.50."),
				mail_in.MailInError,
				title=_("Invalid Number"),
			)
		with as_app():
			entry = mail_in.ship_unit_back(self, carrier, freight_back)
		finish_step(self)
		return entry

	@frappe.whitelist()
	def reimburse_postage(self, amount: float | str | None = None):
		"""Pay back the postage the customer paid, where the company pays the freight."""
		start_step(self, ACCOUNTS_USER)
		if self.docstatus != 1:
			frappe.throw(_("Postage is reimbursed on a submitted request."), title=_("Not Now"))
		with as_app():
			payment = postage.reimburse_postage(self, amount)
		finish_step(self)
		return payment
