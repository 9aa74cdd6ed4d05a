from enum import Enum

import frappe
from frappe import _

from aftersales_module.core.messages import Message


def translate(message: str) -> str:
	"""A sentence from core/ in the user's language."""
	if not isinstance(message, Message):
		return _(message)
	return _(message.template).format(*(_translate_arg(arg) for arg in message.args))


def _translate_arg(arg):
	if isinstance(arg, Message):
		return translate(arg)
	return _(arg.value) if isinstance(arg, Enum) else arg


def apply_rule(rule, *args, title: str):
	"""Run a rule of core/; a ValueError it raises becomes a translated message for the user."""
	try:
		return rule(*args)
	except ValueError as error:
		frappe.throw(translate(error.args[0] if error.args else str(error)), title=title)
