"""One run of the benchmark: the site's own records first, then the volume, then each measurement."""

import time

import frappe
from frappe import _

from aftersales_module.benchmarks import volume
from aftersales_module.benchmarks.case_path import measure_case_path
from aftersales_module.benchmarks.guard import LockWatcher, invoice_lines_on_site, measure_submits, report
from aftersales_module.benchmarks.kpi import measure_kpis
from aftersales_module.benchmarks.measure import heading, ratio, say
from aftersales_module.benchmarks.profile import profile_case
from aftersales_module.benchmarks.queries import measure_queries
from aftersales_module.benchmarks.scheduler import measure_scheduler
from aftersales_module.benchmarks.site_data import prepare_site

SITE_FLAG = "aftersales_benchmark_site"
SECTIONS = ("guard", "case", "queries", "scheduler")


def run(
	n: int = 15,
	invoice_lines: int = 200_000,
	cases: int = 100_000,
	tickets: int = 10_000,
	repair_orders: int = 20_000,
	claims: int = 10_000,
	scheduler_runs: int = 3,
	db_root_password: str | None = None,
	sections: str = ",".join(SECTIONS),
) -> None:
	"""Build the data if it is not there yet and print every figure. Writes to the site: only on a
	site whose site_config says `aftersales_benchmark_site: 1`. The rows a submit locks are read as
	the database's root user (`db_root_password`, else the site config's `root_password`).
	`sections` runs some of guard, case, queries, scheduler (comma-separated); `profile`, asked for
	alone, lists what each step of one case sends to the database more than once; `kpi` times the KPI
	reports against hand-written SQL (benchmarks/kpi.py)."""
	if not frappe.conf.get(SITE_FLAG):
		frappe.throw(
			_(
				"The benchmark writes thousands of records: run it only on a throwaway site, after {0}."
			).format(f"bench --site {frappe.local.site} set-config {SITE_FLAG} 1"),
			title=_("Not a Benchmark Site"),
		)
	started = time.perf_counter()
	frappe.set_user("Administrator")
	say(f"Aftersales benchmark on {frappe.local.site}: n={n}")
	prepare_site()
	ensure_history(cases, tickets, invoice_lines, repair_orders, claims)

	wanted = {section.strip() for section in sections.split(",")}
	if "guard" in wanted:
		measure_guard(n, invoice_lines, db_root_password)
	elif not volume.invoice_lines_present():
		volume.add_invoice_lines(invoice_lines)
	if "case" in wanted:
		measure_case_path(n)
	if "queries" in wanted:
		measure_queries(n)
	if "scheduler" in wanted:
		measure_scheduler(scheduler_runs)
	if "profile" in wanted:
		profile_case()
	if "kpi" in wanted:
		measure_kpis(n)
	say(f"\nWhole run: {time.perf_counter() - started:.0f} s")


def measure_guard(n: int, invoice_lines: int, db_root_password: str | None) -> None:
	"""The same submit on the site's own invoice lines, then with the bulk lines added."""
	heading("Submit of a Return Request: the over-return guard as the invoice lines grow")
	watcher = LockWatcher(db_root_password or frappe.conf.get("root_password"))
	volume.remove_invoice_lines()
	small_lines = invoice_lines_on_site()
	small, small_locked = measure_submits(n, f"{small_lines} invoice lines on the site", watcher)
	volume.add_invoice_lines(invoice_lines)
	large_lines = invoice_lines_on_site()
	large, large_locked = measure_submits(n, f"{large_lines} invoice lines on the site", watcher)
	watcher.close()
	report(small, small_locked)
	report(large, large_locked)
	say(f"  ratio large / small: {ratio(large, small)}")


def ensure_history(cases: int, tickets: int, invoice_lines: int, repair_orders: int, claims: int) -> None:
	"""The bulk cases and tickets, written once and kept for the next run."""
	invoices = invoice_lines // volume.LINES_PER_INVOICE
	if volume.cases_present() != cases:
		say(f"  writing {cases} return requests with their lines ...")
		volume.add_cases(cases, invoices)
		volume.add_serials(cases)
	if not volume.serials_present():
		volume.add_serials(cases)
	if volume.repair_orders_present() != repair_orders:
		say(f"  writing {repair_orders} repair orders ...")
		volume.add_repair_orders(repair_orders)
	if volume.claims_present() != claims:
		say(f"  writing {claims} compensation claims ...")
		volume.add_claims(claims)
	if volume.tickets_present() != tickets:
		say(f"  writing {tickets} open inquiry tickets ...")
		volume.add_tickets(tickets)
