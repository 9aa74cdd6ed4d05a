"""Submitting a Return Request (its over-return guard reads and locks what the invoice lines already
returned) on a site with few invoice lines and on the same site with many, and the rows its open
transaction holds locked."""

import statistics

import frappe

from aftersales_module.benchmarks.case_path import act, as_sent, open_case
from aftersales_module.benchmarks.measure import Series, say, timed
from aftersales_module.benchmarks.site_data import paid_sale
from aftersales_module.setup.roles import CUSTOMER_SERVICE


def invoice_lines_on_site() -> int:
	return frappe.db.sql("select count(*) from `tabSales Invoice Item`")[0][0]


class LockWatcher:
	"""A second connection, as a database user with the PROCESS privilege (InnoDB shows its
	transactions only to those), that reads what this connection's open transaction holds locked."""

	def __init__(self, root_password: str | None):
		self.connection = None
		if root_password:
			import pymysql

			self.connection = pymysql.connect(
				host=frappe.conf.db_host or "127.0.0.1",
				port=int(frappe.conf.db_port or 3306),
				user=frappe.conf.get("root_login") or "root",
				password=root_password,
			)

	def rows_locked(self) -> int | None:
		if not self.connection:
			return None
		thread = frappe.db.sql("select connection_id()")[0][0]
		with self.connection.cursor() as cursor:
			cursor.execute(
				"select trx_rows_locked from information_schema.innodb_trx where trx_mysql_thread_id = %s",
				thread,
			)
			found = cursor.fetchone()
		return int(found[0]) if found else 0

	def close(self) -> None:
		if self.connection:
			self.connection.close()


def measure_submits(n: int, label: str, watcher: LockWatcher) -> tuple[Series, list[int]]:
	series, locked = Series(f"Submit, {label}"), []
	for _ in range(n):
		request = open_case(paid_sale())
		frappe.db.commit()  # nosemgrep: the submit starts from committed records, as in the desk
		timed(series, act, as_sent(request.name), CUSTOMER_SERVICE, "Submit")
		locked.append(watcher.rows_locked())
		frappe.db.commit()  # nosemgrep: as a request would
	return series, locked


def report(series: Series, locked: list[int]) -> None:
	say(series.line())
	if None in locked:
		say("    rows locked: not read (give db_root_password: InnoDB shows locks to the PROCESS privilege)")
		return
	say(
		f"    rows locked by the open submit: median {statistics.median(locked):.0f} (min {min(locked)}, max {max(locked)})"
	)
