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


class Amount(str):
	"""An amount in a sentence: written to the cent in English, in the reader's number format when a
	controller shows the sentence."""

	value: object

	def __new__(cls, amount):
		text = super().__new__(cls, format(amount, "f"))
		text.value = amount
		return text


def listing(items: list) -> Message:
	"""'a', 'a and b', 'a, b and c' as a sentence each language can word its own way."""
	if len(items) == 1:
		return Message("{0}", items[0])
	if len(items) == 2:
		return Message("{0} and {1}", *items)
	if len(items) == 3:
		return Message("{0}, {1} and {2}", *items)
	return Message("{0}, {1}", items[0], listing(items[1:]))
