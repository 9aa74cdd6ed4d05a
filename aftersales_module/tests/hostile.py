"""Hostile input for the fuzz tests: the values a careless or malicious client sends, the fields of a
doctype they can be sent to, and one attempt judged as the site must answer it — done, or refused
with a message (a `frappe.ValidationError` or `frappe.PermissionError`), never a crash, and after a
refusal not a document or ledger row more or less than before. Not a test module itself."""

import math
import traceback

import frappe
from frappe.model import no_value_fields, table_fields
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# What a user is told when the input is bad. FrappeTypeError is Frappe's own check of a whitelisted
# method's typed arguments: an HTTP 417 naming the argument, not a crash.
REFUSALS = (frappe.ValidationError, frappe.PermissionError, frappe.exceptions.FrappeTypeError)

# Counted before and after each refused attempt: the cases, their rows, and what they post.
COUNTED_DOCTYPES = (
	"Return Request",
	"Return Request Item",
	"Repair Order",
	"Repair Order Part",
	"Repair Order Visit",
	"Spare Part Transfer Request",
	"Spare Part Transfer Request Item",
	"Compensation Claim",
	"Compensation Claim Item",
	"Compensation Claim Old Part",
	"Inquiry Ticket",
	"Inquiry Ticket Finding",
	"Warranty Policy",
	"Repair Point",
	"Stock Ledger Entry",
	"GL Entry",
	"Payment Entry",
	"Sales Invoice",
	"Delivery Note",
	"Stock Entry",
	"Journal Entry",
)

HUGE_TEXT = "x" * 100_000
# Stands for a disabled record of the field's link doctype (see HostileCase.disabled_records).
DISABLED = "<a disabled record>"
HOSTILE_VALUES = (
	None,
	"",
	"   ",
	"Bogus",
	"abc",
	"_Test Aftersales Nonexistent 404",
	DISABLED,
	0,
	-1,
	-5.5,
	1e20,
	-1e20,
	2**70,
	float("nan"),
	float("inf"),
	float("-inf"),
	"nan",
	"1e400",
	True,
	"bogus",
	"9999-99-99",
	"0001-01-01",
	"9999-12-31 23:59:59",
	"2024-02-30",
	"25:99:00",
	HUGE_TEXT,
	"x" * 141,
	"'; DROP TABLE `tabItem`; --",
	"%' OR '1'='1",
	"<img src=x onerror=alert(1)>",
	"\\",
	[],
	["a", 1],
	{"a": 1},
	{},
)

hostile_value = st.one_of(
	st.sampled_from(HOSTILE_VALUES),
	st.text(max_size=12),
	st.integers(),
	st.floats(),
)


def fuzz_settings(max_examples: int):
	"""A fixed run: the same examples every time (derandomized, no example database), so CI takes the
	same two to three minutes for the lot and a failure prints an example that fails again."""
	return settings(
		max_examples=max_examples,
		deadline=None,
		derandomize=True,
		database=None,
		phases=(Phase.explicit, Phase.generate, Phase.shrink),
		suppress_health_check=list(HealthCheck),
	)


def input_fields(doctype: str) -> list[str]:
	"""Every field of the doctype that holds a value (tables excluded: they hold rows)."""
	return [
		df.fieldname
		for df in frappe.get_meta(doctype).fields
		if df.fieldtype not in no_value_fields and df.fieldtype not in table_fields
	]


def targets(doctype: str, tables: tuple[str, ...] = ()) -> list[tuple[str | None, str]]:
	"""(table fieldname or None for the document itself, fieldname) for every field of the doctype
	(its tables too: a hostile value in place of the rows), and of the rows of its tables named."""
	meta = frappe.get_meta(doctype)
	found = [(None, fieldname) for fieldname in input_fields(doctype)]
	found += [(None, df.fieldname) for df in meta.get_table_fields()]
	for table in tables:
		found += [(table, fieldname) for fieldname in input_fields(meta.get_field(table).options)]
	return found


def overrides(doctype: str, tables: tuple[str, ...] = (), max_fields: int = 4):
	"""A few fields of the document and its first rows, each set to a hostile value."""
	return st.lists(
		st.tuples(st.sampled_from(targets(doctype, tables)), hostile_value),
		min_size=1,
		max_size=max_fields,
	)


def link_doctype(doctype: str, table: str | None, fieldname: str) -> str | None:
	meta = frappe.get_meta(doctype)
	if table:
		meta = frappe.get_meta(meta.get_field(table).options)
	df = meta.get_field(fieldname)
	return df.options if df and df.fieldtype == "Link" else None


def resolve(value, doctype: str, table: str | None, fieldname: str, disabled_records: dict):
	"""DISABLED becomes a disabled record of the field's link doctype, where the test has one."""
	if value is DISABLED or value == DISABLED:
		return disabled_records.get(link_doctype(doctype, table, fieldname), DISABLED)
	return value


def apply_to_doc(doc, changes, disabled_records: dict):
	for (table, fieldname), value in changes:
		value = resolve(value, doc.doctype, table, fieldname, disabled_records)
		if table is None:
			doc.set(fieldname, value)
		elif doc.get(table):
			doc.get(table)[0].set(fieldname, value)
		else:
			doc.append(table, {fieldname: value})
	return doc


def counts() -> dict[str, int]:
	"""Rows of each counted doctype, in one query."""
	selects = ", ".join(f"(select count(*) from `tab{doctype}`)" for doctype in COUNTED_DOCTYPES)
	return dict(zip(COUNTED_DOCTYPES, frappe.db.sql(f"select {selects}")[0], strict=True))


def shown(value):
	"""The value as a failure message prints it: huge strings shortened."""
	if isinstance(value, str) and len(value) > 60:
		return f"{value[:20]!r}... ({len(value)} chars)"
	if isinstance(value, float) and not math.isfinite(value):
		return f"float({str(value)!r})"
	if isinstance(value, list | tuple):
		return type(value)(shown(each) for each in value)
	if isinstance(value, dict):
		return {key: shown(each) for key, each in value.items()}
	return value


def attempt(case, what: str, action, *, watched: tuple[str, str] | None = None) -> bool:
	"""Run the action in its own savepoint, then undo it. Passes if it succeeds, or is refused with a
	message and leaves every count (and the watched document's `modified`) as it was. Returns
	whether it succeeded."""
	before = counts()
	modified = frappe.db.get_value(*watched, "modified") if watched else None
	frappe.db.savepoint("hostile_attempt")
	user = frappe.session.user
	try:
		action()
		return True
	except REFUSALS:
		after = counts()
		changed = {
			doctype: (before[doctype], after[doctype])
			for doctype in before
			if before[doctype] != after[doctype]
		}
		case.assertEqual(changed, {}, f"refused but half-saved (before, after): {what}")
		if watched:
			case.assertEqual(
				frappe.db.get_value(*watched, "modified"), modified, f"refused but saved: {what}"
			)
		return False
	except Exception:
		case.fail(f"crashed instead of a message: {what}\n{traceback.format_exc(limit=-8)}")
	finally:
		frappe.db.rollback(save_point="hostile_attempt")
		frappe.set_user(user)
		frappe.clear_messages()
