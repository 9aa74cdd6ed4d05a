"""Guards on the app's layout that hold without a site."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "aftersales_module"


def test_core_never_imports_frappe():
	for path in (APP / "core").rglob("*.py"):
		tree = ast.parse(path.read_text(encoding="utf-8"))
		for node in ast.walk(tree):
			names = []
			if isinstance(node, ast.Import):
				names = [alias.name for alias in node.names]
			elif isinstance(node, ast.ImportFrom):
				names = [node.module or ""]
			for name in names:
				assert name.split(".")[0] not in {"frappe", "erpnext"}, f"{path.name} imports {name}"


def test_every_patch_in_patches_txt_exists():
	text = (APP / "patches.txt").read_text(encoding="utf-8")
	assert "[pre_model_sync]" in text and "[post_model_sync]" in text
	for line in text.splitlines():
		line = line.strip()
		if not line or line.startswith(("#", "[")):
			continue
		module = line.split()[0]
		if module.startswith("execute:"):
			continue
		assert module.startswith("aftersales_module.patches."), module
		assert (APP.parent / (module.replace(".", "/") + ".py")).is_file(), f"{module} has no file"


def test_every_doctype_folder_has_its_controller():
	for schema in (APP / "aftersales_module" / "doctype").glob("*/*.json"):
		assert schema.with_suffix(".py").is_file(), f"{schema.name} has no controller"
		assert (schema.parent / "__init__.py").is_file(), f"{schema.parent.name} is not a package"
