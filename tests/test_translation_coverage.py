"""Every string the app shows has a zh translation (and so a zh-TW one, by test_translations), and every
English source string says English only.

Read from the source without Frappe: the literal first argument of `_()` in the app's Python and in the
Jinja of its pages and print formats, the templates core/ hands to `Message()` (literal or taken from a
module-level dict), the values of the Select vocabularies in core/ (controllers translate them as
`_(choice.value)`), the literal first argument of `__()` in the app's JavaScript, and the texts Frappe
translates itself from the app's records: doctype names, labels, descriptions and Select options,
custom fields, workflow states and actions, roles, reports and their filters, number cards, charts,
print formats and the workspace.
"""

import ast
import csv
import json
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "aftersales_module"
CORE = APP / "core"
# A plain quoted literal, called alone: `__("text")` or `__("text", [args])`; template literals and
# concatenations are not collected.
JS_CALL = re.compile(r"""\b__\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')\s*[,)]""")
# `_("text")` in Jinja: pages, templates and print formats.
JINJA_CALL = re.compile(r"""\b_\(\s*(?:"([^"\\\n]*)"|'([^'\\\n]*)')\s*[,)]""")
# A text with words to translate ("{0}: {1}" has none).
WORDS = re.compile(r"[^\W\d_]")
# Chinese, Japanese and Korean characters and their punctuation.
CJK = re.compile(r"[\u2e80-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def app_files(pattern: str) -> list[Path]:
	return sorted(
		path
		for path in APP.rglob(pattern)
		if not path.name.startswith("test_") and "tests" not in path.relative_to(APP).parts
	)


def literal(node) -> str | None:
	return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def called_name(call: ast.Call) -> str | None:
	if isinstance(call.func, ast.Name):
		return call.func.id
	if isinstance(call.func, ast.Attribute):
		return call.func.attr
	return None


def python_strings(path: Path) -> dict[str, str]:
	tree = ast.parse(path.read_text(encoding="utf-8"))
	where = str(path.relative_to(APP.parent))
	found = {}
	in_core = path.parent == CORE
	module_dicts = {
		node.targets[0].id: node.value
		for node in tree.body
		if isinstance(node, ast.Assign)
		and len(node.targets) == 1
		and isinstance(node.targets[0], ast.Name)
		and isinstance(node.value, ast.Dict)
	}
	for node in ast.walk(tree):
		if isinstance(node, ast.Call) and node.args:
			name, first = called_name(node), node.args[0]
			if name == "_" and literal(first):
				found[literal(first)] = f"{where}:{node.lineno} _()"
			if name == "Message":
				if literal(first):
					found[literal(first)] = f"{where}:{node.lineno} Message()"
				elif (
					isinstance(first, ast.Subscript)
					and isinstance(first.value, ast.Name)
					and first.value.id in module_dicts
				):
					for value in module_dicts[first.value.id].values:
						if literal(value):
							found[literal(value)] = f"{where}:{node.lineno} Message({first.value.id}[...])"
		if (
			in_core
			and isinstance(node, ast.ClassDef)
			and any(isinstance(base, ast.Name) and base.id == "Choice" for base in node.bases)
		):
			for statement in node.body:
				if isinstance(statement, ast.Assign) and literal(statement.value):
					found[literal(statement.value)] = f"{where}:{statement.lineno} {node.name}"
	return found


def javascript_strings(path: Path) -> dict[str, str]:
	text = path.read_text(encoding="utf-8")
	where = str(path.relative_to(APP.parent))
	found = {}
	for match in JS_CALL.finditer(text):
		source = match.group(1) if match.group(1) is not None else match.group(2)
		if "\\" in source:
			continue  # escapes: the literal's value is not its text
		found[source] = f"{where}:{text.count(chr(10), 0, match.start()) + 1} __()"
	return found


def jinja_strings(text: str, where: str) -> dict[str, str]:
	return {
		(match.group(1) if match.group(1) is not None else match.group(2)): f"{where} _()"
		for match in JINJA_CALL.finditer(text)
	}


def options(text: str | None) -> list[str]:
	return [option for option in (text or "").split("\n") if option.strip()]


def field_strings(field: dict, where: str) -> dict[str, str]:
	found = {field[key]: f"{where} {key}" for key in ("label", "description") if field.get(key)}
	# A naming series' options are patterns, not words.
	if field.get("fieldtype") == "Select" and field.get("fieldname") != "naming_series":
		found.update({option: f"{where} option" for option in options(field.get("options"))})
	return found


def workspace_strings(workspace: dict, where: str) -> dict[str, str]:
	found = {workspace["label"]: where}
	for table in ("links", "shortcuts", "charts", "number_cards", "quick_lists"):
		found.update(
			{row["label"]: f"{where} {table}" for row in workspace.get(table, []) if row.get("label")}
		)
	# a shortcut's count is shown through its format, "{} Open"
	found.update(
		{row["format"]: f"{where} format" for row in workspace.get("shortcuts", []) if row.get("format")}
	)
	for block in json.loads(workspace.get("content") or "[]"):
		text = re.sub(r"<[^>]+>", "", block["data"].get("text", "")).replace("&amp;", "&").strip()
		if text:
			found[text] = f"{where} header"
	return found


def record_strings(record: dict, where: str) -> dict[str, str]:
	"""The texts Frappe translates when it shows one of the app's records."""
	doctype = record.get("doctype")
	if doctype == "DocType":
		found = {record["name"]: where}
		for field in record.get("fields", []):
			found.update(field_strings(field, f"{where}:{field['fieldname']}"))
		return found
	if doctype == "Custom Field":
		return field_strings(record, f"{where}:{record['name']}")
	if doctype == "Workspace":
		return workspace_strings(record, where)
	if doctype == "Print Format":
		return {record["name"]: where, **jinja_strings(record.get("html") or "", where)}
	if doctype == "Report":
		found = {record["name"]: where}
		found.update(
			{row["label"]: f"{where} column" for row in record.get("columns", []) if row.get("label")}
		)
		found.update(
			{row["label"]: f"{where} filter" for row in record.get("filters", []) if row.get("label")}
		)
		return found
	if doctype in ("Number Card", "Dashboard Chart"):
		return {record[key]: where for key in ("label", "chart_name", "name") if record.get(key)}
	return {}


def json_strings() -> dict[str, str]:
	found = {}
	for path in sorted(APP.rglob("*.json")):
		records = json.loads(path.read_text(encoding="utf-8"))
		for record in records if isinstance(records, list) else [records]:
			if isinstance(record, dict):
				found.update(record_strings(record, str(path.relative_to(APP.parent))))
	return found


def constant_strings(path: Path, table: str, positions: tuple[int, ...] | None = None) -> dict[str, str]:
	"""The strings of a module-level tuple of setup/ (workflow states and actions, roles), literal or
	a module-level constant; of a tuple of rows, those at `positions`."""
	tree = ast.parse(path.read_text(encoding="utf-8"))
	where = str(path.relative_to(APP.parent))
	constants = {
		node.targets[0].id: literal(node.value)
		for node in tree.body
		if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and literal(node.value)
	}
	rows = next(
		node.value.elts
		for node in tree.body
		if isinstance(node, ast.Assign)
		and isinstance(node.targets[0], ast.Name)
		and node.targets[0].id == table
	)
	leaves = [row.elts[i] for row in rows for i in positions] if positions else rows
	return {
		text: f"{where}:{leaf.lineno} {table}"
		for leaf in leaves
		if (text := literal(leaf) or (constants.get(leaf.id) if isinstance(leaf, ast.Name) else None))
	}


def setup_strings() -> dict[str, str]:
	workflow = APP / "setup" / "workflow.py"
	return {
		**constant_strings(workflow, "STATES", (0,)),
		**constant_strings(workflow, "TRANSITIONS", (0, 1, 2)),
		**constant_strings(APP / "setup" / "roles.py", "AFTERSALES_ROLES"),
	}


def page_strings() -> dict[str, str]:
	found = {}
	for path in sorted([*APP.rglob("*.html"), *(APP / "templates").rglob("*.md")]):
		found.update(jinja_strings(path.read_text(encoding="utf-8"), str(path.relative_to(APP.parent))))
	return found


def marked_strings() -> dict[str, str]:
	found = {}
	for path in app_files("*.py"):
		found.update(python_strings(path))
	for path in app_files("*.js"):
		found.update(javascript_strings(path))
	return {source: where for source, where in found.items() if source.strip()}


def shown_strings() -> dict[str, str]:
	"""Everything the app shows in English and translates: marked in code, and read from its records."""
	found = {**json_strings(), **setup_strings(), **page_strings(), **marked_strings()}
	return {source: where for source, where in found.items() if WORDS.search(source)}


def translated_sources() -> set[str]:
	with open(APP / "translations" / "zh.csv", encoding="utf-8", newline="") as f:
		return {row[0] for row in csv.reader(f) if row}


def test_the_extraction_finds_the_app_strings():
	"""A guard against an extraction that silently finds nothing."""
	found = marked_strings()
	assert len(found) > 300
	assert "Only a user with the role {0} can do this." in found  # _() in controllers
	assert "Receive the goods before closing the request." in found  # Message() in core
	assert "The recovery amount cannot be negative." in found  # Message(NEGATIVE_AMOUNT[...])
	assert "Goods Received" in found  # a Stage


def test_the_extraction_finds_the_records_texts():
	"""Each kind of record is read: a guard against a reader that silently finds nothing."""
	found = shown_strings()
	assert len(found) > len(marked_strings()) + 300
	assert "Return Request" in found  # a doctype
	assert "Depreciation (%)" in found  # a field label
	assert "Return and Refund" in found  # a Select option
	assert "Send to Quality Inspection" in found  # a workflow action
	assert "Customer Service Review" in found  # a workflow state
	assert "Aftersales Customer Service" in found  # a role
	assert "Return Slip" in found  # a print format
	assert "Returns in Review" in found  # a number card
	assert "Work Waiting by Stage" in found  # a workspace heading
	assert "{} Overdue" in found  # a workspace shortcut's count
	assert "How did we do?" in found  # Jinja in a page


def test_every_marked_string_is_translated():
	translated = translated_sources()
	missing = [
		f"{where}: {source!r}"
		for source, where in sorted(shown_strings().items(), key=lambda item: item[1])
		if source not in translated
	]
	assert not missing, "Add these to translations/zh.csv and zh-TW.csv:\n" + "\n".join(missing)


def test_english_source_strings_say_english_only():
	"""Chinese belongs in the translations: an English label with its Chinese in brackets shows both
	halves in every language."""
	mixed = [
		f"{where}: {source!r}"
		for source, where in sorted(shown_strings().items(), key=lambda item: item[1])
		if CJK.search(source)
	]
	assert not mixed, "Write these in English and put the Chinese in zh.csv and zh-TW.csv:\n" + "\n".join(
		mixed
	)


def test_every_translation_is_in_chinese():
	"""A translation that kept the English sentence shows English in the Chinese desk."""
	for language in ("zh", "zh-TW"):
		with open(APP / "translations" / f"{language}.csv", encoding="utf-8", newline="") as f:
			untranslated = [row[0] for row in csv.reader(f) if row and not CJK.search(row[1])]
		assert not untranslated, f"{language}.csv keeps these in English: {untranslated}"
