"""The Aftersales workspace as each role sees it: its own queue's count, and the manager's KPI charts.

Each role user (customer service, quality inspector, sales approver, warehouse, accounts, repair
technician) signs in and opens /app/aftersales. The number card of the user's own stage shows the count
of the cases waiting there that this user may read in their company: the number read off the page is the
count of frappe.get_list, called as that user with the card's filters (its dynamic filters evaluated in
the user's desk, as the card evaluates them), and that list holds the case the setup brought into this
queue. The after-sales manager sees the four monthly KPI charts drawn: twelve months each, from the
chart source's answer, with no error. Screenshots of each page go to AFTERSALES_SCREENSHOTS when set.
"""

import re

import pytest
from test_return_request_desk import Desk

WORKSPACE = "/app/aftersales"
# the monthly KPI chart → the measure it draws, and the card of the same measure this month (if any)
HEADLINE_CHARTS = {
	"Returns Reviewed on Time by Month": ("Return: reviewed on time", "Returns Reviewed on Time This Month"),
	"Customer Satisfaction by Month": ("Return: customer satisfied", "Customer Satisfaction This Month"),
	"Complaints per Thousand Orders by Month": (
		"Complaints per thousand orders",
		"Complaints per Thousand Orders This Month",
	),
	"After-sales Cost against Budget by Month": ("After-sales cost against budget", None),
}
CHART_SOURCE_METHOD = "aftersales_kpi_by_month.get"

# The card's filters with its dynamic filters evaluated in the user's desk, as the card itself does
# (frappe.dashboard_utils.get_all_filters), then frappe.get_list as this user through the REST API.
QUEUE_OF_USER = """async (card) => {
	const dynamic = card.dynamic_filters.map(([doctype, field, operator, expression]) =>
		[doctype, field, operator, eval(expression)]);
	const names = await frappe.xcall("frappe.client.get_list", {
		doctype: card.document_type,
		filters: [...card.filters, ...dynamic],
		fields: ["name"],
		limit_page_length: 0,
	});
	return names.map((row) => row.name);
}"""

# The workspace's widget titled so (its data-widget-name is the workspace row's id, not the card's name).
WIDGET = """(title) => [...document.querySelectorAll(".widget")].find(
	(widget) => (widget.querySelector(".widget-title") || {}).textContent?.trim() === title)"""

# The number a card shows once loaded, or null while it loads.
CARD_NUMBER = f"""(title) => {{
	const widget = ({WIDGET})(title);
	const number = widget && widget.querySelector(".number");
	return number ? number.textContent.trim() : null;
}}"""

# What a chart widget drew once loaded: its svg, or Frappe's "No Data"; null while it loads. The widget
# holds two such states, in this order: "Loading..." and "No Data".
CHART_DRAWN = f"""(title) => {{
	const widget = ({WIDGET})(title);
	if (!widget) return null;
	const [loading, empty] = [...widget.querySelectorAll(".chart-loading-state")].map(
		(state) => state.offsetParent !== null);
	const drawn = {{ svg: !!widget.querySelector(".frappe-chart svg, svg.frappe-chart"), empty }};
	return !loading && (drawn.svg || drawn.empty) ? drawn : null;
}}"""


def frappe_scrub(name: str) -> str:
	return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def snap(page, screenshots, name: str):
	if screenshots:
		page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def open_workspace(desk: Desk):
	desk.page.goto(WORKSPACE)
	desk.page.wait_for_selector(".workspace-skeleton", state="detached")
	desk.settle()


def card_text(desk: Desk, card: str) -> str:
	"""What the card shows, once it has loaded."""
	return desk.page.wait_for_function(CARD_NUMBER, arg=card).json_value()


def card_number(desk: Desk, card: str) -> int:
	text = card_text(desk, card)
	assert text.isdigit(), f"{card} shows {text!r}, not a count"
	return int(text)


@pytest.mark.parametrize(
	"step", ["customer_service", "inspector", "sales_approver", "warehouse", "accounts", "technician"]
)
def test_each_role_sees_its_own_queue_count(new_page, browser_data, screenshots, step):
	queues = browser_data["queues"]
	card, case = queues["cards"][step], queues["cases"][step]
	desk = Desk(new_page(), browser_data["users"][step])
	open_workspace(desk)
	shown = card_number(desk, card["name"])
	snap(desk.page, screenshots, f"workspace-queue-{step}")
	queue = desk.page.evaluate(QUEUE_OF_USER, card)
	assert case in queue, f"{card['name']} of {desk.user} does not count {case}: {queue}"
	assert shown == len(queue), f"{card['name']} shows {shown} to {desk.user}, who has {len(queue)} waiting"
	desk.check()


def test_the_manager_sees_the_monthly_kpi_charts(new_page, browser_data, screenshots):
	page = new_page()
	desk = Desk(page, browser_data["queues"]["manager"])
	answers = []
	page.on(
		"response",
		lambda response: CHART_SOURCE_METHOD in response.url and answers.append(response),
	)
	open_workspace(desk)
	for chart in HEADLINE_CHARTS:
		drawn = page.wait_for_function(CHART_DRAWN, arg=chart).json_value()
		assert drawn == {"svg": True, "empty": False}, f"{chart}: {drawn}"
		if screenshots:
			title = page.locator(".widget-title", has_text=re.compile(f"^{re.escape(chart)}$"))
			widget = page.locator(".widget.dashboard-widget-box", has=title)
			widget.screenshot(path=str(screenshots / f"workspace-manager-chart-{frappe_scrub(chart)}.png"))
	desk.settle()
	snap(page, screenshots, "workspace-manager-kpi-charts")
	drawn = {}
	for answer in answers:
		assert answer.ok, f"{answer.url}: {answer.status} {answer.text()}"
		data = answer.json()["message"]
		(dataset,) = data["datasets"]
		assert len(data["labels"]) == len(dataset["values"]) == 12, data
		assert all(isinstance(value, int | float) for value in dataset["values"]), data
		drawn[dataset["name"]] = dataset["values"]
	assert set(drawn) == {measure for measure, _card in HEADLINE_CHARTS.values()}, drawn
	# this month's point of a chart is the figure of the card of the same measure
	for measure, card in HEADLINE_CHARTS.values():
		if card:
			assert float(card_text(desk, card)) == drawn[measure][-1], (card, drawn[measure])
	desk.check()
