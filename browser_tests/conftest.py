"""Playwright fixtures for desk tests against a running bench web server.

Environment:
  AFTERSALES_URL           the web server (default http://127.0.0.1:8000)
  AFTERSALES_BROWSER_DATA  the JSON line printed by aftersales_module.tests.browser_setup.prepare
                           (or a file holding it); without it, AFTERSALES_BENCH and AFTERSALES_SITE
                           name a bench and site on which prepare is run
  AFTERSALES_CHROMIUM      the browser binary (default /usr/bin/chromium, Debian's package)
  AFTERSALES_SITE          the site, when the server on 127.0.0.1 serves more than one: the browser
                           then asks for it by name (resolved to 127.0.0.1), so the web server and
                           socket.io both pick the site from the host, as they do in production
  AFTERSALES_SCREENSHOTS   a folder for the screenshots the tests take of each step (and of every open
                           page when a test fails), kept as the run's artefacts; without it only a
                           failed test's pages are photographed, into a temporary folder
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}  # wide enough that forms show their custom buttons


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	outcome = yield
	report = outcome.get_result()
	setattr(item, f"report_{report.when}", report)


LOCAL_HOSTS = ("127.0.0.1", "localhost")


def site_host() -> str | None:
	"""The site to reach by name on this machine's own server, if one is set."""
	url = urlsplit(os.environ.get("AFTERSALES_URL", "http://127.0.0.1:8000"))
	site = os.environ.get("AFTERSALES_SITE", "").strip()
	return site if site and url.hostname in LOCAL_HOSTS else None


@pytest.fixture(scope="session")
def base_url() -> str:
	url = os.environ.get("AFTERSALES_URL", "http://127.0.0.1:8000").rstrip("/")
	site = site_host()
	if site:
		parts = urlsplit(url)
		url = parts._replace(netloc=f"{site}:{parts.port}" if parts.port else site).geturl()
	return url


@pytest.fixture(scope="session")
def browser_data() -> dict:
	given = os.environ.get("AFTERSALES_BROWSER_DATA", "").strip()
	if given:
		return json.loads(given if given.startswith("{") else Path(given).read_text())
	bench, site = os.environ.get("AFTERSALES_BENCH"), os.environ.get("AFTERSALES_SITE")
	if not (bench and site):
		pytest.fail("set AFTERSALES_BROWSER_DATA, or AFTERSALES_BENCH and AFTERSALES_SITE")
	out = subprocess.run(
		[
			str(Path(bench) / "env" / "bin" / "bench"),
			"--site",
			site,
			"execute",
			"aftersales_module.tests.browser_setup.prepare",
		],
		cwd=bench,
		capture_output=True,
		text=True,
		check=True,
	).stdout
	return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


@pytest.fixture(scope="session")
def screenshots() -> Path | None:
	"""The artefact folder for screenshots, created; None when the run keeps none."""
	folder = os.environ.get("AFTERSALES_SCREENSHOTS", "").strip()
	if not folder:
		return None
	path = Path(folder)
	path.mkdir(parents=True, exist_ok=True)
	return path


@pytest.fixture(scope="session")
def browser():
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(
			executable_path=os.environ.get("AFTERSALES_CHROMIUM", "/usr/bin/chromium"),
			headless=True,
			args=[
				*CHROMIUM_ARGS,
				*([f"--host-resolver-rules=MAP {site_host()} 127.0.0.1"] if site_host() else []),
			],
		)
		yield browser
		browser.close()


@pytest.fixture
def new_page(request, browser, base_url, screenshots):
	"""new_page() → a page in a fresh browser context (its own cookies, so its own login).

	Console errors and uncaught exceptions of every page are kept in page.problems; when the test
	fails, each page still open is photographed into a temporary folder.
	"""
	contexts = []

	def make():
		context = browser.new_context(base_url=base_url, viewport=VIEWPORT)
		context.set_default_timeout(30_000)
		contexts.append(context)
		page = context.new_page()
		page.problems = []
		page.on(
			"console",
			lambda message: (
				message.type == "error"
				and page.problems.append(f"console error: {message.text} ({message.location.get('url', '')})")
			),
		)
		page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
		return page

	yield make

	failed = any(
		getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call")
	)
	if failed:
		folder = str(screenshots) if screenshots else tempfile.mkdtemp(prefix="aftersales-browser-")
		for number, context in enumerate(contexts, 1):
			for page in context.pages:
				try:
					page.screenshot(path=f"{folder}/{request.node.name}-{number}.png", full_page=True)
				except Exception as error:
					print(f"no screenshot of page {number}: {error}")
		print(f"\nscreenshots of the failed test: {folder}")
	for context in contexts:
		context.close()
