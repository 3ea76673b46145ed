"""Real-browser tests: Playwright drives Debian's headless Chromium against a live server.

Every page a test loads must pass an axe-core check (no serious or critical
WCAG 2.1 A/AA violation): `page` records each load, `assert_accessible`
checks the current page, and the fixture fails the test if a loaded page was
never checked.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the test code's ORM
# calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class A11yTracker:
    def __init__(self):
        self.loaded: list[str] = []
        self.checked: set[str] = set()

    def unchecked(self) -> list[str]:
        return [url for url in self.loaded if url not in self.checked]


@pytest.fixture
def a11y():
    return A11yTracker()


@pytest.fixture
def page(chromium, live_server, a11y):
    context = chromium.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.on("load", lambda p: a11y.loaded.append(p.url))
    yield pg
    context.close()
    missed = a11y.unchecked()
    assert not missed, f"pages loaded without an accessibility check: {missed}"


@pytest.fixture
def assert_accessible(page, a11y):
    def _check():
        page.wait_for_load_state("load")
        results = _axe.run(page, options=AXE_OPTIONS)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        a11y.checked.add(page.url)
        assert not bad, f"{page.url}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )

    return _check


@pytest.fixture
def log_in(page, assert_accessible):
    """Log in through the real login form, keyboard-first."""

    def _log_in(user, password="test-password-123"):
        page.goto("/login/")
        assert_accessible()
        page.get_by_label("E-post (arbete)").fill(user.email)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_label("Lösenord").press("Enter")
        page.wait_for_url("**/")
        assert_accessible()

    return _log_in
