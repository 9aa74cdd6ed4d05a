"""Timing, statement counts and how the figures are printed."""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import frappe


@dataclass
class Series:
	label: str
	seconds: list[float] = field(default_factory=list)
	statements: list[int] = field(default_factory=list)

	@property
	def median_ms(self) -> float:
		return statistics.median(self.seconds) * 1000 if self.seconds else 0.0

	def spread(self) -> str:
		if not self.seconds:
			return "-"
		low, high = min(self.seconds) * 1000, max(self.seconds) * 1000
		return f"{low:.1f}-{high:.1f}"

	def line(self) -> str:
		statements = f"{statistics.median(self.statements):.0f}" if self.statements else "-"
		return (
			f"  {self.label:<52} median {self.median_ms:9.1f} ms   min-max {self.spread():>17} ms"
			f"   n={len(self.seconds):<3} SQL {statements}"
		)


def statements_so_far() -> int:
	"""Statements this connection has sent to the server (MariaDB's own count)."""
	return int(frappe.db.sql("show session status like 'Questions'")[0][1])


def timed(series: Series, action: Callable, *args, **kwargs):
	before = statements_so_far()
	start = time.perf_counter()
	result = action(*args, **kwargs)
	series.seconds.append(time.perf_counter() - start)
	# the status query itself is one statement
	series.statements.append(statements_so_far() - before - 1)
	return result


def ratio(numerator: Series, denominator: Series) -> str:
	if not denominator.median_ms:
		return "-"
	return f"{numerator.median_ms / denominator.median_ms:.2f}x"


def heading(text: str) -> None:
	print(f"\n== {text}", flush=True)


def say(text: str) -> None:
	print(text, flush=True)
