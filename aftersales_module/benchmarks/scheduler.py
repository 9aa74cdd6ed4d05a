"""The five-minute service-level check over the open inquiry tickets: a first run (no deadlines
stored yet) and steady state (nothing changed since the last run), on the clock of 26 minutes after
the newest ticket was opened, when the unanswered ones are at risk or late (30 minutes to answer):
the first run moves thousands of them and hands telling staff to background jobs, timed here apart
from the run."""

from datetime import timedelta
from unittest.mock import patch

import frappe

from aftersales_module.aftersales_module.doctype.inquiry_ticket.inquiry_ticket import ACTIVE_STATUSES
from aftersales_module.benchmarks.measure import Series, heading, say, timed
from aftersales_module.benchmarks.volume import clear_service_levels
from aftersales_module.controllers.service_levels import sweep_service_levels

# After the newest ticket was opened: most unanswered tickets are past 80% of their 30 minutes.
CLOCK_AFTER_NEWEST = timedelta(minutes=26)


def open_tickets() -> int:
	return frappe.db.count("Inquiry Ticket", {"status": ("in", ("Open", "Replied", "Waiting on Customer"))})


def clock():
	return (
		frappe.db.get_value("Inquiry Ticket", {"status": ("in", ACTIVE_STATUSES)}, "max(opened_on)")
		+ CLOCK_AFTER_NEWEST
	)


def scheduled_run(now, jobs: list) -> None:
	"""One run as the scheduler makes it (`update_service_levels`, at `now`); the background jobs it
	queues are kept to be run apart."""

	def keep(method, **kwargs):
		jobs.append((method, kwargs))

	with patch("frappe.enqueue", keep):
		sweep_service_levels(ACTIVE_STATUSES, now)
	frappe.db.commit()  # nosemgrep: the scheduler commits its job


def run_jobs(jobs: list) -> None:
	"""The queued jobs as a background worker runs them, each committing as a job does."""
	for method, kwargs in jobs:
		kwargs = {key: value for key, value in kwargs.items() if key not in ("queue", "enqueue_after_commit")}
		method(**kwargs)
		frappe.db.commit()  # nosemgrep: a background job commits its work


def measure_scheduler(n: int) -> None:
	heading(f"Inquiry scheduler over {open_tickets()} open tickets (n={n})")
	first, steady = Series("First run (no deadlines stored)"), Series("Steady state (nothing changed)")
	told = Series("Its background jobs telling staff")
	counts, now = [], clock()
	for _ in range(n):
		clear_service_levels()
		jobs = []
		timed(first, scheduled_run, now, jobs)
		counts.append(len(jobs))
		timed(told, run_jobs, jobs)
		timed(steady, scheduled_run, now, [])
	say(first.line())
	say(f"{told.line()}   jobs {max(counts) if counts else 0}")
	say(steady.line())
