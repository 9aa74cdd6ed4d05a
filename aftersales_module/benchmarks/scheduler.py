"""The five-minute service-level check over the open inquiry tickets: a first run (no deadlines
stored yet) and steady state (nothing changed since the last run)."""

import frappe

from aftersales_module.aftersales_module.doctype.inquiry_ticket.inquiry_ticket import update_service_levels
from aftersales_module.benchmarks.measure import Series, heading, say, timed
from aftersales_module.benchmarks.volume import clear_service_levels


def open_tickets() -> int:
	return frappe.db.count("Inquiry Ticket", {"status": ("in", ("Open", "Replied", "Waiting on Customer"))})


def scheduled_run() -> None:
	update_service_levels()
	frappe.db.commit()  # nosemgrep: the scheduler commits its job


def measure_scheduler(n: int) -> None:
	heading(f"Inquiry scheduler over {open_tickets()} open tickets (n={n})")
	first, steady = Series("First run (no deadlines stored)"), Series("Steady state (nothing changed)")
	for _ in range(n):
		clear_service_levels()
		timed(first, scheduled_run)
		timed(steady, scheduled_run)
	say(first.line())
	say(steady.line())
