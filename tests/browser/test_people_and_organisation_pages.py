"""The people and the organisation in headless Chromium: filtered, paged and opened one nämnd
at a time, checked with axe-core at a desktop and a phone width."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from styrmodell.models import Role, RoleAssignment, User

pytestmark = pytest.mark.browser

WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def check_at_both_widths(page, name: str, assert_accessible) -> None:
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        assert_accessible(page, f"{name}-{width}px")


@pytest.fixture
def many_people(municipality):
    """More people in Hemtjänsten than the list shows on a page."""
    people = User.objects.bulk_create(
        User(username=f"hemtjanst{n:03d}", first_name="Hanna", last_name=f"Hemtjänst {n:03d}")
        for n in range(70)
    )
    role = Role.objects.get(code="medarbetare")
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=person, role=role, unit=municipality["hemtjanst"],
                       valid_from=dt.date(2025, 1, 1))
        for person in people
    )
    return municipality


def test_people_are_searched_filtered_and_paged(many_people, login, assert_accessible):
    page = login("revisor")
    page.goto("/personer/")
    expect(page.locator("h1")).to_have_text("Personer")
    expect(page.get_by_text("Visar 1–50 av")).to_be_visible()
    check_at_both_widths(page, "personer", assert_accessible)

    page.get_by_role("navigation", name="Personer: sidor").get_by_role("link", name="Nästa").click()
    expect(page.get_by_text("Sida 2 av 2")).to_be_visible()
    check_at_both_widths(page, "personer-sida-2", assert_accessible)

    page.goto("/personer/")
    page.get_by_label("Namn").fill("ulfsdotter")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("row")).to_have_count(2)  # the heading row and Britt Ulfsdotter
    expect(page.get_by_role("link", name="Britt Ulfsdotter")).to_be_visible()
    check_at_both_widths(page, "personer-namn", assert_accessible)

    page.get_by_role("link", name="Visa alla").click()
    page.get_by_label("Enhet").select_option(str(many_people["sof"].pk))
    page.get_by_label("Roll", exact=True).select_option(label="Medarbetare")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_text("Visar 1–50 av 71")).to_be_visible()  # the 70 and Mats Björk
    expect(page.get_by_role("link", name="Mats Björk")).to_be_visible()
    page.get_by_role("link", name="Sista").click()
    expect(page.get_by_role("link", name="Hanna Hemtjänst 069")).to_be_visible()
    expect(page.get_by_label("Enhet")).to_have_value(str(many_people["sof"].pk))
    check_at_both_widths(page, "personer-enhet-roll", assert_accessible)


def test_the_organisation_opens_one_namnd_and_a_units_holders(municipality, login,
                                                              assert_accessible):
    page = login("revisor")
    page.goto("/organisation/")
    expect(page.locator("h1")).to_have_text("Organisation")
    expect(page.get_by_role("link", name="Ekbackaskolan F–6")).to_have_count(0)
    check_at_both_widths(page, "organisation", assert_accessible)

    page.set_viewport_size(WIDTHS["1366"])
    page.get_by_role("link", name="Visa 3 enheter i Barn- och utbildningsnämnden").click()
    expect(page.get_by_role("heading", name="Barn- och utbildningsnämnden")).to_be_visible()
    expect(page.get_by_label("Nämnd", exact=True)).to_have_value(str(municipality["bun"].pk))
    check_at_both_widths(page, "organisation-bun", assert_accessible)

    page.set_viewport_size(WIDTHS["1366"])
    page.get_by_role("link", name="Ekbackaskolan F–6", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Ekbackaskolan F–6")
    roles = page.get_by_role("region", name="Roller i dag")
    expect(roles.get_by_role("link", name="Eva Hedlund")).to_be_visible()
    check_at_both_widths(page, "organisation-ekbackaskolan", assert_accessible)

    roles.get_by_role("link", name="Sök bland personerna med roll i Ekbackaskolan F–6").click()
    expect(page.get_by_role("link", name="Maja Berg")).to_be_visible()
    expect(page.get_by_role("link", name="Bengt Larsson")).to_have_count(0)
