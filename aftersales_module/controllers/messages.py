from enum import Enum

from frappe import _

from aftersales_module.core.messages import Message


def translate(message: str) -> str:
	"""A sentence from core/ in the user's language."""
	if not isinstance(message, Message):
		return _(message)
	return _(message.template).format(*(_translate_arg(arg) for arg in message.args))


def _translate_arg(arg):
	return _(arg.value) if isinstance(arg, Enum) else arg
