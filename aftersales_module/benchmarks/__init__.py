"""The app at a real company's size, measured on a throwaway site (see README, Performance):

    bench --site <site> set-config aftersales_benchmark_site 1
    bench --site <site> execute aftersales_module.benchmarks.run --kwargs "{'n': 15}"

It builds its own data on the site it runs on and leaves it there for the next run.
"""

from aftersales_module.benchmarks.runner import run

__all__ = ["run"]
