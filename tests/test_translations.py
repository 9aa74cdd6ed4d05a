"""The zh and zh-TW translation files load in Frappe 15 (CSV: source, translation) and keep every placeholder."""

import csv
import re
from pathlib import Path

import pytest

TRANSLATIONS = Path(__file__).resolve().parents[1] / "aftersales_module" / "translations"
PLACEHOLDER = re.compile(r"\{\d+\}")


@pytest.mark.parametrize("language", ["zh", "zh-TW"])
def test_translation_file_is_well_formed(language):
	with open(TRANSLATIONS / f"{language}.csv", encoding="utf-8", newline="") as f:
		rows = list(csv.reader(f))

	assert rows, f"{language}.csv is empty"
	sources = [row[0] for row in rows]
	assert len(sources) == len(set(sources)), "a source string is translated twice"
	for source, translation, *_context in rows:
		assert translation.strip(), f"{source!r} has no translation"
		assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), source


def test_both_languages_translate_the_same_strings():
	def sources(language):
		with open(TRANSLATIONS / f"{language}.csv", encoding="utf-8", newline="") as f:
			return {row[0] for row in csv.reader(f)}

	assert sources("zh") == sources("zh-TW")
