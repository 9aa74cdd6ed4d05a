"""Sentences that core/ hands to the forms, translatable after the fact.

A `Message` is the English sentence itself (a `str`), and it also keeps its
template and arguments so that a controller can show `_(template).format(...)`
in the user's language.
"""


class Message(str):
	template: str
	args: tuple

	def __new__(cls, template: str, *args):
		message = super().__new__(cls, template.format(*args))
		message.template = template
		message.args = args
		return message
