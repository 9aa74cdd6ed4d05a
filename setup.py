# Kept for tools that still look for setup.py; pyproject.toml is the source of truth.
from setuptools import find_packages, setup

from aftersales_module import __version__ as version

setup(
	name="aftersales_module",
	version=version,
	description="After-sales for ERPNext 15",
	author="Aftersales Module Developers",
	author_email="aftersales@example.com",
	packages=find_packages(exclude=["tests", "tests.*"]),
	zip_safe=False,
	include_package_data=True,
	install_requires=[],
)
