"""Every page a demo role can reach by following links, at 320 CSS pixels, through axe-core.

Not a fixed list: each role starts on its start page and follows every link on every page it
reaches (breadth first, same site), the way a user clicking around would. What it finds is
bounded by the URL pattern, not by the data: of the many nämndmål or cases that share one
page template, a few are visited per role (`PER_PATTERN`), and different query strings of one
pattern (a filter, a page number) count as different pages.

On each page: the link worked (a page the role is shown a link to must open for it), the page
does not scroll sideways at 320 px (WCAG 1.4.10: only a data table's own region may), and
axe-core finds no WCAG 2.1 A or AA violation.
"""

from __future__ import annotations

import hashlib
import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import Resolver404, resolve

from styrmodell import demo
from tests.browser.conftest import RUN_AXE, WCAG_AA_TAGS, format_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
PER_PATTERN = 2

# Links that are not pages: files, the calendar feed, signing out, the language switch,
# Django's own admin site (the system administrator's tool, not a page of ours) and the API.
NOT_PAGES = {
    "logout",
    "set_language",
    "deadlines_feed",
    "pdf_download",
    "outcome_mappings_export",
    # The open data files (/oppen/data/).
    "data_csv",
    "data_json",
    "datapackage",
}
# The read API answers JSON, and its Swagger UI is the documentation tool's page, not ours.
NOT_PAGES_PREFIXES = ("/admin/", "/static/", "/media/", "/api/v1/")

# What makes the page wider than the viewport, outside a table's own scrolling region: a box
# past the edge, or a box whose text (a long address, say) spills out of it.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const spills = (el) => el.scrollWidth > el.clientWidth + 1
    && getComputedStyle(el).overflowX === 'visible';
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > width + 1 || spills(el))
    .filter((el) => !el.closest('.table-wrap, .chart-scroll'))
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
    .slice(0, 8);
}"""

MAIN_HTML = "() => (document.querySelector('main') || document.body).innerHTML"
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"')
DIGITS = re.compile(r"\d+")

# Pages whose content axe has passed, across the roles this process crawls: two roles shown the
# same content at the same address need it checked once. Numbers are left out of both, as the
# database's ids differ from one role's test to the next (it is seeded anew for each). Each
# role's start page is always checked, and with it the header and menus that role sees.
CHECKED: set[tuple[str, str]] = set()

LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter((a) => !a.hasAttribute('download'))
  .map((a) => a.href)"""


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name


def is_file(name: str) -> bool:
    return name.endswith(("_excel", "_xlsx", "_pdf")) or name in NOT_PAGES


def pattern_of(path: str, query: str) -> tuple[str, tuple[str, ...]] | None:
    """The page's kind: its URL name and which query parameters it was given."""
    if path.startswith(NOT_PAGES_PREFIXES):
        return None
    name = url_name(path)
    keys = {key for key, _ in parse_qsl(query)}
    if name is None or is_file(name) or "format" in keys:  # ?format=xlsx is a download
        return None
    return name, tuple(sorted(keys))


def content_key(page, url: str) -> tuple[str, str]:
    html = DIGITS.sub("0", CSRF_VALUE.sub(r'\1"', page.evaluate(MAIN_HTML)))
    return DIGITS.sub("0", url), hashlib.sha256(html.encode()).hexdigest()


def same_site_links(page, origin: str) -> list[str]:
    found = []
    for href in page.evaluate(LINKS):
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        query = urlencode(sorted(parse_qsl(parts.query)))
        found.append(parts.path + (f"?{query}" if query else ""))
    return found


def crawl(page, origin: str, start: str = "/"):
    """Yield (url, referrer) breadth first, at most PER_PATTERN urls of each pattern."""
    seen = {start}
    per_pattern: dict[tuple, int] = {}
    queue = deque([(start, None)])
    while queue:
        url, referrer = queue.popleft()
        yield url, referrer
        for link in same_site_links(page, origin):
            if link in seen:
                continue
            seen.add(link)
            path, _, query = link.partition("?")
            kind = pattern_of(path, query)
            if kind is None or per_pattern.get(kind, 0) >= PER_PATTERN:
                continue
            per_pattern[kind] = per_pattern.get(kind, 0) + 1
            queue.append((link, url))


@pytest.mark.parametrize("username", demo.DEMO_LOGINS)
def test_every_reachable_page_reflows_and_passes_axe(username, login, live_server, axe_source):
    page = login(username)
    page.set_viewport_size(PHONE)
    problems: list[str] = []
    visited: list[str] = []
    checked = 0
    for url, referrer in crawl(page, live_server.url):
        response = page.goto(url)
        visited.append(url)
        status = response.status if response else None
        if status != 200:
            problems.append(f"{url} (länk från {referrer}) svarade {status}")
            continue
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > PHONE["width"]:
            wide = page.evaluate(OVERFLOWING)
            problems.append(f"{url} är {scroll_width} px bred vid 320 px: {wide}")
        content = content_key(page, url)
        if content in CHECKED and url != "/":
            continue
        page.evaluate(axe_source)
        violations = page.evaluate(RUN_AXE, WCAG_AA_TAGS)
        if violations:
            problems.append(format_violations(url, violations))
        else:
            CHECKED.add(content)
        checked += 1
    print(f"{username}: {len(visited)} sidor, {checked} genom axe")
    assert len(visited) > 3, f"{username} nådde bara {visited}"
    assert not problems, f"{username}, {len(visited)} sidor:\n" + "\n".join(problems)
