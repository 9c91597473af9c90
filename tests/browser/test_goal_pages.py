"""The goal pages in headless Chromium: they load for the roles that use them and pass axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from goals.models import DecisionStatus, Medarbetarplan, Namndmal, Nyckeltal

pytestmark = pytest.mark.browser


def _bun_goal() -> Namndmal:
    return Namndmal.objects.filter(namnd__short_name="BUN", budget_year__year=2026,
                                   status=DecisionStatus.ADOPTED).first()


def test_goal_pages_as_a_politician(municipality, login, assert_accessible):
    goal = _bun_goal()
    figure = Nyckeltal.objects.filter(values__isnull=False).distinct().first()
    page = login("bun.ordforande")
    for name, path, heading in [
        ("maltradet", "/mal/?ar=2026", "Målträdet 2026"),
        ("kf-mal", "/mal/kf/?ar=2026", "KF:s mål och uppdrag 2026"),
        ("namndmal-lista", f"/mal/namnd/{goal.namnd_id}/2026/", "Nämndmål 2026"),
        ("namndmal", goal.get_absolute_url(), goal.title),
        ("verksamhetsplan", f"/mal/verksamhetsplan/{goal.namnd_id}/2026/", "Verksamhetsplan"),
        ("nyckeltal-lista", "/mal/nyckeltal/", "Nyckeltal"),
        ("nyckeltal", figure.get_absolute_url(), figure.name),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        expect(page.locator("h1")).to_contain_text(heading)
        assert_accessible(page, f"mal-{name}")


def test_goal_forms_as_the_officials_who_write_them(municipality, login, assert_accessible):
    goal = _bun_goal()
    page = login("bun.forvaltningschef")
    page.goto(f"/mal/namndmal/{goal.pk}/bedomning/aug/")
    expect(page.locator("h1")).to_contain_text("Bedömning av måluppfyllelse")
    assert_accessible(page, "mal-bedomning")
    page.get_by_label("Slutsats").fill("")
    page.get_by_role("button", name="Spara bedömningen").click()
    expect(page.locator("#error-summary")).to_contain_text("slutsatsen")
    assert_accessible(page, "mal-bedomning-fel")

    plan = Medarbetarplan.objects.get(employee__username="medarbetare")
    page.goto(plan.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("Medarbetarplan")
    assert_accessible(page, "mal-medarbetarplan")


def test_namndmal_form_as_the_namnd_chair(municipality, login, assert_accessible):
    goal = _bun_goal()
    page = login("bun.ordforande")
    page.goto(f"/mal/namnd/{goal.namnd_id}/2027/nytt/")
    expect(page.locator("h1")).to_contain_text("Nytt nämndmål 2027")
    assert_accessible(page, "mal-nytt-namndmal")


def test_p3_a_politician_writes_in_an_assessments_thread_where_it_is_read(municipality, login,
                                                                         assert_accessible):
    goal = _bun_goal()
    page = login("bun.ordforande")
    page.goto(goal.get_absolute_url())
    thread = page.locator("#dialog-bedomning-feb")
    thread.get_by_label("Ditt inlägg").fill("Varför saknas speciallärare?")
    thread.get_by_role("button", name="Skicka inlägg").click()
    expect(page.locator("#dialog-bedomning-feb")).to_contain_text("Varför saknas speciallärare?")
    expect(page.locator("#dialog")).not_to_contain_text("Varför saknas speciallärare?")
    assert_accessible(page, "mal-bedomning-dialog")


def test_a7_the_chef_records_the_follow_up_of_a_medarbetarplan(municipality, login,
                                                               assert_accessible):
    plan = Medarbetarplan.objects.get(employee__username="medarbetare", budget_year__year=2026)
    page = login("enhetschef")
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Följ upp planen").click()
    expect(page.locator("h1")).to_contain_text("Uppföljning vid medarbetarsamtal")
    assert_accessible(page, "mal-medarbetarplan-uppfoljning")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#error-summary")).to_contain_text("Ange datum för medarbetarsamtalet")
    expect(page.locator("#error-summary")).to_contain_text("Skriv vad som kom fram")
    assert_accessible(page, "mal-medarbetarplan-uppfoljning-fel")
    today = timezone.localdate()
    page.get_by_label("Datum för medarbetarsamtalet").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("Uppföljning vid medarbetarsamtalet").fill("Målen är nådda.")
    page.get_by_role("button", name="Spara").click()
    follow_up = page.get_by_role("region", name="Uppföljning vid medarbetarsamtal")
    expect(follow_up).to_contain_text("Målen är nådda.")
    with translation.override("sv"):
        expect(follow_up).to_contain_text(date_format(today, "j F Y"))
    assert_accessible(page, "mal-medarbetarplan-uppfoljd")
