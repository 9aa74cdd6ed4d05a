"""Reopening a closed return request (seed 000): within the days Aftersales Settings allow after it was
closed, the unsatisfied customer (through their signed rating link or on the portal) or customer service
sends it back to customer service review, with the reason. The server counts the reopenings; a second
one brings in the Aftersales Manager (the "Case Reopened" notification).

A reopened case is reviewed, not run again. What it posted — credit notes, refunds, stock moved, units
shipped — stays as it is, and the invoice lines it held stay released: nothing is posted or held again.
Customer service answers the customer and closes it again (Close Reopened Case); anything more the
customer is owed is a new case of its own (a return request, a compensation claim, a complaint), so a
refund already made can never be made twice. The workflow's own moves are refused on a reopened case.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, format_datetime, get_datetime, now_datetime

from aftersales_module.controllers.argument_checks import choice_argument, text_argument
from aftersales_module.controllers.case_stages import workflow_stages
from aftersales_module.controllers.notifications import CASE_CLOSED, CASE_REOPENED, notify
from aftersales_module.controllers.reader_language import composed_in
from aftersales_module.controllers.stage_log import STAGE_LOG, log_stage_move
from aftersales_module.controllers.steps import acting_user, require_role
from aftersales_module.controllers.stored_texts import SOURCE_LANGUAGE
from aftersales_module.core.stages import DEFAULT_STATE_STAGES, Stage
from aftersales_module.setup.roles import CUSTOMER_SERVICE

RETURN_REQUEST = "Return Request"
REOPENABLE = (RETURN_REQUEST,)
STAFF, LINK, PORTAL = "Staff", "Link", "Portal"
CHANNELS = (STAFF, LINK, PORTAL)
DEFAULT_REOPEN_DAYS = 30
REASON_CHARACTERS = 2000


class ReopenError(frappe.ValidationError):
	pass


def reopen_case(doctype, name, reason, channel) -> int:
	"""Send a closed case back to customer service review; returns how often it has been reopened.

	`channel` says who asks: Staff (customer service, checked here), Portal (the customer's own portal
	user, checked here) or Link (the customer through the signed rating link, which the caller has
	checked: `reopen_by_link`)."""
	case = reopenable_case(doctype, name)
	choice_argument(channel, _("Channel"), CHANNELS)
	reason = text_argument(reason, _("Reason for Reopening"), limit=REASON_CHARACTERS).strip()
	check_who_reopens(case, channel)
	stage, closed_state = locked_stage(case)
	if stage != Stage.CLOSED.value:
		refuse(_("Only a closed request can be reopened; {0} is {1}.").format(case.name, _(closed_state)))
	check_within_period(case)
	move(case, review_state(case.doctype), Stage.REVIEW, from_stage=Stage.CLOSED, reopen_reason=reason)
	case.reload()
	who = (
		acting_user()
		if channel == STAFF
		else f"{case.customer_name or case.customer} ({frappe.session.user})"
	)
	with composed_in(SOURCE_LANGUAGE):  # each reader's timeline shows it in theirs (case_timeline.js)
		record(case, _("Reopened ({0}) by {1}: {2}").format(_(channel), who, reason))
	notify(case, CASE_REOPENED)
	return cint(case.reopen_count)


@frappe.whitelist(methods=["POST"])
def reopen(name: str | None = None, reason: str | None = None) -> int:
	"""Customer service reopens a closed return request (the desk's Reopen button)."""
	return reopen_case(RETURN_REQUEST, name, reason, STAFF)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def reopen_by_link(
	case: str | None = None,
	expires: str | None = None,
	signature: str | None = None,
	reason: str | None = None,
) -> int:
	"""The unsatisfied customer reopens their request from the rating page, without logging in."""
	from aftersales_module.controllers.satisfaction import checked_link

	checked_link(case, expires, signature)
	return reopen_case(RETURN_REQUEST, case, reason, LINK)


@frappe.whitelist(methods=["POST"])
def close_reopened(name: str | None = None, resolution: str | None = None) -> None:
	"""Customer service closes a reopened request again, with what the customer was told."""
	case = reopenable_case(RETURN_REQUEST, name)
	require_role(case, CUSTOMER_SERVICE)
	resolution = text_argument(resolution, _("Resolution"), limit=REASON_CHARACTERS).strip()
	stage, state = locked_stage(case)
	if not cint(case.reopen_count) or stage != Stage.REVIEW.value:
		refuse(
			_("Only a reopened request under review is closed this way; {0} is {1}.").format(
				case.name, _(state)
			)
		)
	move(case, closed_state(case.doctype), Stage.CLOSED, from_stage=Stage.REVIEW)
	case.reload()
	with composed_in(SOURCE_LANGUAGE):
		record(case, _("Closed again by {0}: {1}").format(acting_user(), resolution))
	notify(case, CASE_CLOSED)


def refuse_moves_of_reopened(doc, method=None) -> None:
	"""doc_events before_update_after_submit: a reopened request leaves review only by Close Reopened Case."""
	before = doc.get_doc_before_save()
	if (
		before
		and cint(before.get("reopen_count"))
		and before.status != doc.status
		and not doc.flags.server_step
	):
		if before.get("stage") == Stage.REVIEW.value:
			refuse(
				_(
					"Request {0} was reopened: it is not run again, so that nothing it posted is posted twice. Answer the customer and use Close Reopened Case; open a new request or a compensation claim for anything more."
				).format(doc.name)
			)


# ---- the steps -------------------------------------------------------------------------------------------


def reopenable_case(doctype, name):
	if doctype not in REOPENABLE:
		refuse(
			_("Only a {0} can be reopened, not {1}.").format(
				" / ".join(_(each) for each in REOPENABLE), frappe.bold(str(doctype)[:140])
			)
		)
	if not isinstance(name, str) or not name or not frappe.db.exists(doctype, name):
		frappe.throw(
			_("{0} {1} does not exist.").format(_(doctype), frappe.bold(str(name)[:140])),
			frappe.DoesNotExistError,
			title=_("Not Found"),
		)
	return frappe.get_doc(doctype, name)


def check_who_reopens(case, channel: str) -> None:
	if channel == STAFF:
		require_role(case, CUSTOMER_SERVICE)
	elif channel == PORTAL and not is_customers_user(case.customer, frappe.session.user):
		frappe.throw(
			_("You can reopen only your own requests."), frappe.PermissionError, title=_("Not Permitted")
		)


def is_customers_user(customer: str, user: str) -> bool:
	"""The website user acts for the customer: a portal user of it, or the user of one of its contacts."""
	if user in ("Guest", "Administrator") or not customer:
		return False
	if frappe.db.exists("Portal User", {"parenttype": "Customer", "parent": customer, "user": user}):
		return True
	contacts = frappe.get_all("Contact", filters={"user": user}, pluck="name")
	return bool(
		contacts
		and frappe.db.exists(
			"Dynamic Link",
			{
				"parenttype": "Contact",
				"parent": ("in", contacts),
				"link_doctype": "Customer",
				"link_name": customer,
			},
		)
	)


def locked_stage(case) -> tuple[str, str]:
	"""The case's stage and state as stored now: a locking read sees the latest, whatever was read before."""
	stored = frappe.db.get_value(
		case.doctype,
		case.name,
		["stage", "status", "docstatus", "reopen_count"],
		as_dict=True,
		for_update=True,
	)
	case.reopen_count = stored.reopen_count
	return (stored.stage if stored.docstatus == 1 else None), stored.status


def check_within_period(case) -> None:
	days = cint(frappe.db.get_single_value("Aftersales Settings", "reopen_days")) or DEFAULT_REOPEN_DAYS
	closed_on = (
		frappe.db.get_value(
			STAGE_LOG,
			{"reference_doctype": case.doctype, "reference_name": case.name, "to_stage": Stage.CLOSED.value},
			"moved_on",
			order_by="moved_on desc, creation desc",
		)
		or case.modified
	)
	if get_datetime(add_days(closed_on, days)) < now_datetime():
		refuse(
			_("{0} was closed on {1}; a request can be reopened within {2} days of closing.").format(
				case.name, format_datetime(closed_on), days
			),
			_("Reopen Period Over"),
		)


def move(case, state: str, stage: Stage, from_stage: Stage, reopen_reason: str | None = None) -> None:
	"""One atomic write, on the stage the case was locked in; the workflow's moves do not go back."""
	table = f"tab{case.doctype}"
	reopening = stage == Stage.REVIEW
	values = {
		"status": state,
		"stage": stage.value,
		"modified": now_datetime(),
		"modified_by": acting_user(),
		"name": case.name,
		"from_stage": from_stage.value,
		"reason": reopen_reason,
	}
	counted = (
		", reopen_count = reopen_count + 1, reopened_on = %(modified)s, reopen_reason = %(reason)s"
		if reopening
		else ""
	)
	frappe.db.sql(
		f"""update `{table}` set status = %(status)s, stage = %(stage)s, modified = %(modified)s,
		modified_by = %(modified_by)s{counted}
		where name = %(name)s and stage = %(from_stage)s and docstatus = 1""",
		values,
	)


def record(case, text: str) -> None:
	"""The stage log has who moved the case and when; the timeline keeps why."""
	log_stage_move(case)
	case.add_comment("Info", text)


def review_state(doctype: str) -> str:
	return state_of_stage(doctype, Stage.REVIEW)


def closed_state(doctype: str) -> str:
	return state_of_stage(doctype, Stage.CLOSED)


def state_of_stage(doctype: str, stage: Stage) -> str:
	"""The workflow state standing for the stage (admins may rename states), else the shipped one."""
	for state, mapped in workflow_stages(doctype).items():
		if mapped == stage.value:
			return state
	return next(state for state, shipped in DEFAULT_STATE_STAGES.items() if shipped == stage)


def refuse(message: str, title: str | None = None) -> None:
	frappe.throw(message, ReopenError, title=title or _("Cannot Reopen"))
