"""Every string the app marks for translation has a zh translation (and so a zh-TW one, by test_translations).

Read from the source without Frappe: the literal first argument of `_()` in the app's Python, the
templates core/ hands to `Message()` (literal or taken from a module-level dict), the values of the
Select vocabularies in core/ (controllers translate them as `_(choice.value)`), and the literal first
argument of `__()` in the app's JavaScript.
"""

import ast
import csv
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "aftersales_module"
CORE = APP / "core"
# A plain quoted literal, called alone: `__("text")` or `__("text", [args])`; template literals and
# concatenations are not collected.
JS_CALL = re.compile(r"""\b__\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')\s*[,)]""")


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
			if in_core and name == "Message":
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


def marked_strings() -> dict[str, str]:
	found = {}
	for path in app_files("*.py"):
		found.update(python_strings(path))
	for path in app_files("*.js"):
		found.update(javascript_strings(path))
	return {source: where for source, where in found.items() if source.strip()}


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


def test_every_marked_string_is_translated():
	translated = translated_sources()
	missing = [
		f"{where}: {source!r}"
		for source, where in sorted(marked_strings().items(), key=lambda item: item[1])
		if source not in translated
	]
	assert not missing, "Add these to translations/zh.csv and zh-TW.csv:\n" + "\n".join(missing)
