"""The shipped fixtures agree with the names the code keys on, without a site."""

import json
from pathlib import Path

import pytest

from aftersales_module import hooks
from aftersales_module.core import claims, exchange_postings, mail_in, repairs, schema, spare_postings
from aftersales_module.core.stages import Stage

FIXTURES = Path(__file__).resolve().parents[1] / "aftersales_module" / "fixtures"


def load(name: str) -> dict[str, dict]:
	records = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
	names = [record["name"] for record in records]
	assert len(names) == len(set(names)), f"{name}.json names a record twice"
	return {record["name"]: record for record in records}


CUSTOM_FIELDS = load("custom_field")
STOCK_ENTRY_TYPES = load("stock_entry_type")


def field(doctype: str, fieldname: str) -> dict:
	name = f"{doctype}-{fieldname}"
	assert name in CUSTOM_FIELDS, f"custom_field.json has no {name}"
	record = CUSTOM_FIELDS[name]
	assert (record["doctype"], record["dt"], record["fieldname"]) == ("Custom Field", doctype, fieldname)
	return record


def test_the_fixtures_hold_exactly_the_records_the_hook_names():
	filters = {fixture["dt"]: fixture["filters"] for fixture in hooks.fixtures}
	assert filters == {
		"Custom Field": [["name", "in", schema.CUSTOM_FIELD_NAMES]],
		"Stock Entry Type": [["name", "in", list(schema.STOCK_ENTRY_TYPES)]],
	}
	assert set(CUSTOM_FIELDS) == set(schema.CUSTOM_FIELD_NAMES)
	assert set(STOCK_ENTRY_TYPES) == set(schema.STOCK_ENTRY_TYPES)


@pytest.mark.parametrize(
	("doctype", "fieldname"),
	[(doctype, link) for doctype, links in schema.BACK_LINKS.items() for link in links],
)
def test_each_back_link_is_a_server_owned_link_to_its_case(doctype, fieldname):
	record = field(doctype, fieldname)
	assert record["fieldtype"] == "Link"
	assert record["options"] == schema.LINKED_CASE[fieldname]
	assert record["read_only"] == 1
	assert record["no_copy"] == 1
	assert record["allow_on_submit"] == 0
	assert record["search_index"] == 1


@pytest.mark.parametrize("doctype", schema.ALL_POSTED_DOCTYPES)
def test_each_posted_doctype_carries_a_server_owned_posting_key(doctype):
	record = field(doctype, schema.POSTING_KEY)
	assert record["fieldtype"] == "Data"
	assert record["read_only"] == 1
	assert record["no_copy"] == 1
	assert record["allow_on_submit"] == 0


def test_the_stage_select_offers_exactly_the_stages():
	record = field("Workflow Document State", schema.STAGE_FIELD)
	assert record["fieldtype"] == "Select"
	assert record["options"].split("\n") == ["", *(stage.value for stage in Stage)]


def test_the_requested_qty_is_kept_by_the_server_on_submitted_invoices():
	record = field("Sales Invoice Item", schema.REQUESTED_QTY_FIELD)
	assert record["fieldtype"] == "Float"
	assert record["read_only"] == 1
	assert record["no_copy"] == 1
	# Submitting and cancelling return requests moves it while the invoice stays submitted.
	assert record["allow_on_submit"] == 1


def test_fields_placed_after_our_own_fields_find_them_on_the_same_doctype():
	ours = {(record["dt"], record["fieldname"]) for record in CUSTOM_FIELDS.values()}
	for record in CUSTOM_FIELDS.values():
		if record["insert_after"].startswith("aftersales_"):
			assert (record["dt"], record["insert_after"]) in ours, record["name"]


def test_the_stock_entry_types_post_as_the_core_declares():
	declared = {
		**exchange_postings.STOCK_ENTRY_TYPES,
		**spare_postings.STOCK_ENTRY_TYPES,
		**repairs.STOCK_ENTRY_TYPES,
		**claims.STOCK_ENTRY_TYPES,
		**mail_in.STOCK_ENTRY_TYPES,
	}
	assert schema.STOCK_ENTRY_TYPES == declared
	assert {name: record["purpose"] for name, record in STOCK_ENTRY_TYPES.items()} == declared
	for record in STOCK_ENTRY_TYPES.values():
		assert record["doctype"] == "Stock Entry Type"
		assert record["is_standard"] == 0
		assert record["add_to_transit"] == 0
