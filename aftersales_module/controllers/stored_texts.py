"""Sentences the server composes and keeps on a case (the warranty decision, the remedies the policy
allows, the refund's explanation, what was found short on receipt), shown in the reader's language.

A case keeps each such sentence twice: in its field in English, the source language of every
translation (so the database never holds one saver's language), and language-neutral in `stored_texts`
(JSON): each sentence its template and arguments, amounts and dates as values. Opening, printing or
saving the case renders them with `_()` in the reader's language, amounts and dates in the reader's
format; before a save the English comes back, so what a reader's form sends never reaches the
database.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import frappe
from frappe import _
from frappe.utils import flt, fmt_money, format_datetime, formatdate

from aftersales_module.core.messages import Amount, Message

STORE_FIELD = "stored_texts"
# The keys kept (composed) in this save: their English comes from the sentences, not the database.
KEPT_FLAG = "aftersales_kept_texts"
# A `db_set` is under way: its on_change is not the end of a save.
DB_SET_FLAG = "aftersales_db_set"
SOURCE_LANGUAGE = "en"


# ---- composing ---------------------------------------------------------------------------------------


def keep(doc, fieldname: str, *sentences, sep: str = " ", row=None) -> None:
	"""Set the field (of `row`, a line of `doc`, if given) to the sentences, in English, and remember
	them language-neutral on `doc`."""
	key = text_key(fieldname, row)
	texts = stored(doc)
	texts[key] = {"sep": sep, "s": [neutral(sentence) for sentence in sentences]}
	(row or doc).set(fieldname, render(texts[key], SOURCE_LANGUAGE))
	write(doc, texts)
	doc.flags.setdefault(KEPT_FLAG, set()).add(key)


def forget_rows(doc, table: str, fieldname: str) -> None:
	"""Drop what was kept for a field of every line of `table`, before the lines are decided again."""
	texts = stored(doc)
	write(doc, {key: value for key, value in texts.items() if not _is_row_key(key, table, fieldname)})


def shown(doc, fieldname: str) -> str:
	"""A kept field in the current user's language (for a message to them)."""
	value = stored(doc).get(fieldname)
	return render(value, frappe.local.lang) if value else doc.get(fieldname) or ""


def neutral(sentence) -> dict:
	if isinstance(sentence, Message):
		return {"t": sentence.template, "a": [neutral_argument(arg) for arg in sentence.args]}
	if isinstance(sentence, Enum):
		return {"t": str(sentence.value), "a": []}
	return as_written(str(sentence))


def as_written(text: str) -> dict:
	"""A sentence without arguments: translated where it is one of the app's, else shown as written."""
	return {"t": text.replace("{", "{{").replace("}", "}}"), "a": []}


def neutral_argument(arg):
	if isinstance(arg, Message | Enum):
		return neutral(arg)
	if isinstance(arg, Amount):
		return {"m": str(arg.value)}
	if isinstance(arg, datetime):
		return {"dt": arg.isoformat()}
	if isinstance(arg, date):
		return {"d": arg.isoformat()}
	if isinstance(arg, bool | int | float):
		return arg
	return str(arg)


# ---- rendering ---------------------------------------------------------------------------------------


def render(value: dict, language: str) -> str:
	return value["sep"].join(render_sentence(sentence, language) for sentence in value["s"])


def render_sentence(sentence: dict, language: str) -> str:
	template = _(sentence["t"], lang=language) if sentence["t"].strip() else sentence["t"]
	return template.format(*(render_argument(arg, language) for arg in sentence["a"]))


def render_argument(arg, language: str):
	if not isinstance(arg, dict):
		return arg
	if "t" in arg:
		return render_sentence(arg, language)
	if "m" in arg:
		return fmt_money(flt(Decimal(arg["m"]), 2), precision=2)
	if "dt" in arg:
		return format_datetime(arg["dt"])
	return formatdate(arg["d"])


# ---- document events ---------------------------------------------------------------------------------


def put_back_english(doc, method=None) -> None:
	"""doc_events before_validate, before_update_after_submit, before_cancel: the fields hold English
	again. What this save composed is rendered from its sentences; everything else is taken from the
	database, whatever the reader's form sent (its language, or a forged `stored_texts`)."""
	kept = doc.flags.get(KEPT_FLAG) or set()
	before = None if doc.is_new() else doc.get_doc_before_save()
	saved = stored(before) if before else {}
	texts = {key: value for key, value in saved.items() if key not in kept}
	texts.update({key: value for key, value in stored(doc).items() if key in kept})
	for key in texts:
		target, fieldname = locate(doc, key)
		if target is None:
			continue
		if key in kept:
			target.set(fieldname, render(texts[key], SOURCE_LANGUAGE))
		else:
			source, _fieldname = locate(before, key, by_name=target.name)
			target.set(fieldname, source.get(fieldname) if source is not None else target.get(fieldname))
	write(doc, texts)


def mark_db_set(doc, method=None) -> None:
	"""doc_events before_change, which Frappe runs only in `db_set` (ahead of its on_change)."""
	doc.flags[DB_SET_FLAG] = True


def show_in_reader_language(doc, method=None, *args, **kwargs) -> None:
	"""doc_events onload, before_print, and on_change after a save (the form shows the document the save
	sends back; its Version was taken before): the kept fields in the reader's language. In memory only."""
	doc.flags.pop(KEPT_FLAG, None)
	language = frappe.local.lang
	if language == SOURCE_LANGUAGE:
		return
	# Printed (a notification's attachment) or read in the middle of its own save, or a `db_set` of a
	# step after the save (it runs on_change too): the Version the save is about to take must compare
	# English with English.
	if doc.flags.pop(DB_SET_FLAG, None):
		return
	if method != "on_change" and (doc.doctype, doc.name) in (frappe.flags.currently_saving or []):
		return
	for key, value in stored(doc).items():
		target, fieldname = locate(doc, key)
		# A field someone wrote beyond its sentences is shown as it was written.
		if target is not None and target.get(fieldname) == render(value, SOURCE_LANGUAGE):
			target.set(fieldname, render(value, language))


# ---- storage -----------------------------------------------------------------------------------------


def stored(doc) -> dict:
	value = doc.get(STORE_FIELD)
	if isinstance(value, str):
		try:
			value = json.loads(value or "{}")
		except ValueError:
			return {}
	return dict(value) if isinstance(value, dict) else {}


def write(doc, texts: dict) -> None:
	doc.set(STORE_FIELD, json.dumps(texts, ensure_ascii=False, sort_keys=True) if texts else None)


def text_key(fieldname: str, row=None) -> str:
	return f"{row.parentfield}:{row.name}:{fieldname}" if row is not None else fieldname


def _is_row_key(key: str, table: str, fieldname: str) -> bool:
	parts = key.split(":")
	return len(parts) == 3 and parts[0] == table and parts[2] == fieldname


def locate(doc, key: str, by_name: str | None = None):
	"""The document or line a key names, and its field; a line is found by its name."""
	parts = key.split(":")
	if len(parts) != 3:
		return doc, key
	table, name, fieldname = parts
	wanted = by_name or name
	row = next((row for row in doc.get(table) or [] if row.name == wanted), None)
	return row, fieldname
