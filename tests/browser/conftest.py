"""Browser fixtures: headless Chromium against the live server, logged in through the real form.

One Chromium per test module; the demo municipality committed for each test (the live server
answers from another thread, so data in a rolled-back transaction would be invisible to it);
every page in a fresh browser context, so no cookies leak between tests. `assert_accessible`
saves a full-page screenshot under test-artifacts/screenshots/ and runs axe-core against
WCAG 2.1 A and AA.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from styrmodell import demo
from tests.conftest import BROWSER_ARGS
from tests.demo_snapshot import restore_demo

# Playwright's sync API keeps an event loop in the main thread; the ORM calls made by the
# fixtures below are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORT = {"width": 1280, "height": 800}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"{AXE_PATH} saknas: kör `make browser-tools` (npm ci) först.")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} saknas: kör `make browser-tools` (apt-get install chromium).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def municipality(transactional_db) -> dict:
    """The whole demo (as `make run` loads it), committed so the live server's thread sees it.

    Overrides the `municipality` of tests/conftest.py, whose data would sit in a transaction
    the live server cannot see. pytest-django flushes the database after every test that uses
    the live server, so each test gets the demo back from the copy tests/demo_snapshot.py
    keeps: the same rows with the same ids in every test.
    """
    restore_demo()
    return demo.seed()  # idempotent: only looks the units up by key


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context (own cookies); `javascript=False` turns JS off.

    Uncaught script errors and console errors (a blocked script under the CSP, say) fail the
    test when it ends.
    """
    contexts = []
    problems: list[str] = []

    def open_page(*, javascript: bool = True) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="sv-SE",
            viewport=VIEWPORT,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: script error: {error}"))
        page.on("console", lambda message: note_console_error(page, message))
        return page

    def note_console_error(page: Page, message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"{page.url}: console error: {message.text}")

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "Fel i webbläsaren:\n" + "\n".join(problems)


@pytest.fixture
def login(municipality, new_page, live_server) -> Callable[..., Page]:
    """Log in through the real login form: `page = login("bun.ordforande")`."""

    def as_user(username: str, *, javascript: bool = True) -> Page:
        page = new_page(javascript=javascript)
        page.goto("/logga-in/")
        page.fill("#id_username", username)
        page.fill("#id_password", demo.demo_password())
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        if page.url != f"{live_server.url}/":
            errors = page.locator("#error-summary").all_inner_texts()
            pytest.fail(f"{username} kom inte in, utan till {page.url}: {errors}")
        return page

    return as_user


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe-överträdelse(r) (WCAG 2.1 AA) på {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"        {detail}")
    return "\n".join(lines)


def save_screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


@pytest.fixture
def screenshot() -> Callable[[Page, str], None]:
    """A full-page screenshot in test-artifacts/screenshots/<name>.png."""
    return save_screenshot


@pytest.fixture
def assert_accessible(axe_source) -> Callable[[Page, str], None]:
    """Save a screenshot as <name>.png, then require zero axe violations (WCAG 2.1 A and AA).

    Needs a page with JavaScript on: axe runs in the page.
    """

    def check(page: Page, name: str) -> None:
        save_screenshot(page, name)
        # evaluate() runs outside the page's CSP (script-src 'self'), unlike a <script> tag.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE, WCAG_AA_TAGS)
        assert not violations, format_violations(page.url, violations)

    return check
