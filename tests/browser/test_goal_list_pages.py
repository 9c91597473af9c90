"""The goal lists that grow with the municipality, in headless Chromium: medarbetarplaner filtered
and paged, the goal tree per nämnd and collapsed below the nämndmål; axe-core on each, at a laptop's
and a phone's width."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from goals.models import DecisionStatus, Enhetsmal, Medarbetarplan, Namndmal
from goals.selectors import ENHETSMAL_SHOWN_FOR_ALL_NAMNDER
from styrmodell.models import BudgetYear, OrganisationUnit, User

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _both_widths(page: Page, name: str, assert_accessible) -> None:
    page.set_viewport_size(PHONE)
    assert_accessible(page, f"{name}-390")
    page.set_viewport_size(LAPTOP)
    assert_accessible(page, f"{name}-1366")


def _many_plans(count: int) -> None:
    chef = User.objects.get(username="enhetschef")
    employees = User.objects.bulk_create(
        User(username=f"larare{number}", first_name="Lärare", last_name=f"Nummer{number:03d}")
        for number in range(count))
    Medarbetarplan.objects.bulk_create(
        Medarbetarplan(employee=employee, chef=chef,
                       enhet=OrganisationUnit.objects.get(name="Ekbackaskolan F–6"),
                       budget_year=BudgetYear.objects.get(year=2026),
                       followed_up_on=dt.date(2026, 10, 1) if number % 2 else None)
        for number, employee in enumerate(employees))


def test_medarbetarplaner_filtered_and_paged_by_the_kommundirektor(municipality, login,
                                                                   assert_accessible):
    _many_plans(120)
    page = login("kommundirektor")
    page.goto("/mal/medarbetarplaner/")
    expect(page.locator("h1")).to_contain_text("Medarbetarplaner")
    expect(page.locator(".pagination__count")).to_contain_text("Visar 1–50 av 122")
    _both_widths(page, "mal-medarbetarplaner", assert_accessible)

    page.get_by_label("Enhet", exact=True).fill("Ekbackaskolan")
    page.get_by_label("Uppföljning", exact=True).select_option(label="Inte uppföljda")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator(".pagination__count")).to_contain_text("Visar 1–50 av 61")
    page.get_by_role("link", name="Nästa").first.click()
    expect(page.locator(".pagination__count")).to_contain_text("Visar 51–61 av 61")
    expect(page.get_by_label("Enhet", exact=True)).to_have_value("Ekbackaskolan")
    expect(page.locator("tbody tr")).to_have_count(11)
    _both_widths(page, "mal-medarbetarplaner-filtrerade-sida-2", assert_accessible)

    page.get_by_label("Medarbetare", exact=True).fill("nummer042")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Lärare Nummer042")
    page.get_by_role("link", name="Visa alla").click()
    expect(page.locator(".pagination__count")).to_contain_text("av 122")


def test_goal_tree_per_namnd_and_collapsed_for_the_whole_city(municipality, login,
                                                              assert_accessible):
    goal = Namndmal.objects.filter(namnd__short_name="BUN", budget_year__year=2026,
                                   status=DecisionStatus.ADOPTED).order_by("pk").first()
    Enhetsmal.objects.bulk_create(
        Enhetsmal(enhet=OrganisationUnit.objects.get(name="Aspaskolan 7–9"), namndmal=goal,
                  title=f"Extra enhetsmål {number}")
        for number in range(ENHETSMAL_SHOWN_FOR_ALL_NAMNDER + 1))
    count = goal.enhet_goals.count()

    page = login("kommundirektor")
    page.goto("/mal/?ar=2026")
    expect(page.locator("h1")).to_contain_text("Målträdet 2026")
    expect(page.locator("main")).not_to_contain_text("Extra enhetsmål")
    expect(page.get_by_role("link", name=f"{count} enhetsmål under {goal.title}")).to_be_visible()
    _both_widths(page, "mal-maltradet-hela-kommunen", assert_accessible)

    page.get_by_label("Nämnd", exact=True).select_option(label=goal.namnd.name)
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("main")).to_contain_text("Extra enhetsmål 0")
    expect(page.locator("main")).not_to_contain_text("Hemtjänsten ger kontinuitet")
    _both_widths(page, "mal-maltradet-en-namnd", assert_accessible)

    page.get_by_label("Nämnd", exact=True).select_option(label="Alla nämnder")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("link", name=f"{count} enhetsmål under {goal.title}").click()
    expect(page.locator("h1")).to_contain_text(goal.title)
    expect(page.locator("#enhetsmal")).to_be_visible()
