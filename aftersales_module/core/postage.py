"""The postage a customer paid to send the goods back, and what of it the company reimburses.

Seed 003 has the shop pay the postage back (从支付宝退邮费客户) when the fault is the shop's; the
policy's freight rule says who pays: the company all of it, half of it on a split, none of it when
the customer pays. Framework-free; money is `Decimal`.
"""

from decimal import Decimal

from aftersales_module.core.enums import ShippingPayer
from aftersales_module.core.messages import Message
from aftersales_module.core.returns import split_shipping


def reimbursable_postage(postage: Decimal, payer: ShippingPayer | str | None) -> Decimal:
	"""The company's share of the postage the customer paid."""
	if not payer:
		return Decimal("0.00")
	_customer_part, company_part = split_shipping(Decimal(postage), ShippingPayer(payer))
	return company_part


def reimbursement_refusal(
	amount: Decimal, postage: Decimal, payer: ShippingPayer | str | None, reimbursed: Decimal
) -> Message | None:
	"""Why this reimbursement cannot be paid; None when it can."""
	if Decimal(postage) <= 0:
		return Message("Record the postage the customer paid (Postage Paid by Customer) first.")
	due = reimbursable_postage(postage, payer)
	if due <= 0:
		return Message(
			"The customer pays the return freight on this case ({0}): no postage is reimbursed.", payer
		)
	if Decimal(reimbursed) > 0:
		return Message("The postage was already reimbursed ({0}).", Decimal(reimbursed))
	if Decimal(amount) <= 0:
		return Message("The reimbursement must be more than 0.")
	if Decimal(amount) > due:
		return Message(
			"The reimbursement {0} is more than the company's share of the postage the customer paid, {1}.",
			Decimal(amount),
			due,
		)
	return None
