"""API-nycklar in headless Chromium: reached from the user box, a token made and shown once,
then revoked; checked with axe-core at a desktop and a phone width (320 px reflow)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from api import tokens

pytestmark = pytest.mark.browser

WIDTHS = {"1366": {"width": 1366, "height": 900}, "320": {"width": 320, "height": 640}}


def check_at_both_widths(page, name: str, assert_accessible) -> None:
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        assert_accessible(page, f"{name}-{width}px")
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_token_is_made_shown_once_and_revoked(login, assert_accessible):
    page = login("bun.ledamot")
    page.get_by_role("link", name="API-nycklar").click()
    expect(page.locator("h1")).to_have_text("API-nycklar")
    expect(page.get_by_text("Du har inga API-nycklar.")).to_be_visible()
    check_at_both_widths(page, "api-nycklar-tom", assert_accessible)

    page.set_viewport_size(WIDTHS["1366"])
    page.get_by_label("Namn").fill("Power BI")
    page.get_by_role("button", name="Skapa nyckel").click()
    secret = page.get_by_label("Nyckel", exact=True).input_value()
    assert tokens.authenticate(secret) is not None
    expect(page.get_by_text("Den visas bara den här gången")).to_be_visible()
    check_at_both_widths(page, "api-nycklar-ny", assert_accessible)

    page.reload()  # the page after the redirect: reloading it makes no second token
    assert secret not in page.content()
    expect(page.get_by_role("button", name="Återkalla Power BI")).to_have_count(1)

    page.set_viewport_size(WIDTHS["1366"])
    page.get_by_role("button", name="Återkalla Power BI").click()
    expect(page.get_by_text("Nyckeln ”Power BI” är återkallad.")).to_be_visible()
    expect(page.get_by_role("cell", name="Återkallad")).to_be_visible()
    assert tokens.authenticate(secret) is None
    check_at_both_widths(page, "api-nycklar-aterkallad", assert_accessible)


def test_bad_input_is_told_on_the_page(login, assert_accessible):
    page = login("bun.ledamot")
    page.goto("/api-nycklar/")
    page.get_by_label("Gäller till och med").fill("2020-01-01")
    page.get_by_role("button", name="Skapa nyckel").click()
    expect(page.get_by_text("Ge nyckeln ett namn").first).to_be_visible()
    expect(page.get_by_text("Sista giltighetsdag kan inte ligga före i dag.").first).to_be_visible()
    check_at_both_widths(page, "api-nycklar-fel", assert_accessible)


def test_the_api_documentation_renders_under_the_csp(login):
    """Swagger UI from our own static files, no inline script or style: the schema's title and
    its endpoints show."""
    page = login("ekonom")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/api/v1/docs/")
    expect(page.get_by_role("heading", name="Styrmodell API")).to_be_visible()
    expect(page.get_by_text("/api/v1/utfall/").first).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e]
