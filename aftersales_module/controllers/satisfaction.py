"""How satisfied the customer was with a return (seed 000): rated once per case, through a signed link
that expires and needs no login, or by customer service taking the rating on the phone. The ratings
feed the satisfaction measure: (very satisfied + satisfied) / rated."""

import hmac
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import add_days, get_url, now_datetime, nowdate
from frappe.utils.verified_command import _sign_message

from aftersales_module.controllers.steps import finish_step, start_step
from aftersales_module.setup.roles import CUSTOMER_SERVICE

RETURN_REQUEST = "Return Request"
RATINGS = ("Very Satisfied", "Satisfied", "Neutral", "Unsatisfied")
LINK_DAYS = 30
RATING_PAGE = "/aftersales-rating"


def rating_link(case: str, days: int = LINK_DAYS) -> str:
	"""A link the customer can rate the case with, for `days` days, without logging in (Jinja method
	of the closing notification)."""
	params = urlencode({"case": case, "expires": add_days(nowdate(), days)})
	return get_url(f"{RATING_PAGE}?{params}&signature={_sign_message(params)}")


def checked_link(case, expires, signature) -> str:
	"""The case a link names, when the link is the app's own, unchanged and not expired."""
	params = urlencode({"case": case, "expires": expires})
	# compared as bytes: compare_digest refuses str with non-ASCII characters (a forged link may have them)
	valid = isinstance(signature, str) and hmac.compare_digest(
		signature.encode(), _sign_message(params).encode()
	)
	if not valid or not frappe.db.exists(RETURN_REQUEST, case):
		frappe.throw(
			_("This rating link is not valid. Ask us for a new one."),
			frappe.PermissionError,
			title=_("Invalid Link"),
		)
	if str(expires) < nowdate():
		frappe.throw(
			_("This rating link has expired. Ask us for a new one."),
			frappe.PermissionError,
			title=_("Link Expired"),
		)
	return case


@frappe.whitelist(allow_guest=True, methods=["POST"])
def rate_by_link(
	case: str | None = None,
	expires: str | None = None,
	signature: str | None = None,
	rating: str | None = None,
	comment: str | None = None,
) -> None:
	checked_link(case, expires, signature)
	record_rating(case, rating, comment, "Link")


@frappe.whitelist(methods=["POST"])
def record_phone_rating(
	name: str | None = None, rating: str | None = None, comment: str | None = None
) -> None:
	"""Customer service records a rating the customer gave on the phone."""
	if not isinstance(name, str) or not frappe.db.exists(RETURN_REQUEST, name):
		frappe.throw(_("Return Request {0} does not exist.").format(frappe.bold(name)), title=_("Not Found"))
	request = frappe.get_doc(RETURN_REQUEST, name)
	start_step(request, CUSTOMER_SERVICE)
	set_rating(request, rating, comment, "Phone")
	finish_step(request)


def record_rating(case: str, rating: str, comment: str | None, via: str) -> None:
	frappe.db.get_value(RETURN_REQUEST, case, "name", for_update=True)
	request = frappe.get_doc(RETURN_REQUEST, case)
	set_rating(request, rating, comment, via)
	request.flags.server_step = True
	request.save(ignore_permissions=True)  # the signed link is the customer's right to rate this case


def set_rating(request, rating, comment, via: str) -> None:
	if request.docstatus != 1:
		frappe.throw(_("Only a submitted request is rated."), title=_("Not Submitted"))
	if request.satisfaction:
		frappe.throw(_("This request has been rated already. Thank you."), title=_("Already Rated"))
	if rating not in RATINGS:
		frappe.throw(
			_("Choose one of: {0}.").format(", ".join(_(each) for each in RATINGS)), title=_("Invalid Rating")
		)
	if comment is not None and (not isinstance(comment, str) or len(comment) > 2000):
		frappe.throw(_("The comment must be text of at most 2000 characters."), title=_("Invalid Comment"))
	request.satisfaction, request.satisfaction_comment = rating, (comment or "").strip() or None
	request.rated_on, request.rated_via = now_datetime(), via
