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


def test_uppdrag_page_and_report_back_form(municipality, login, assert_accessible):
    """G11: the uppdrag with its report-back, read by politicians, written by the förvaltning."""
    from goals.models import Uppdrag

    uppdrag = Uppdrag.objects.get(namnd__short_name="BUN", budget_year__year=2026)
    page = login("bun.ordforande")
    page.goto(uppdrag.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(uppdrag.title)
    expect(page.get_by_role("heading", name="Nämndens återrapport")).to_be_visible()
    assert_accessible(page, "mal-uppdrag")

    page = login("bun.forvaltningschef")
    page.goto(uppdrag.get_absolute_url())
    page.get_by_role("link", name="Skriv återrapport").click()
    expect(page.locator("h1")).to_contain_text("Återrapport")
    assert_accessible(page, "mal-uppdrag-aterrapport")
    page.get_by_label("Vad har gjorts i uppdraget?").fill("Utredningen är klar.")
    page.get_by_label("Uppdraget är genomfört").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("main")).to_contain_text("Utredningen är klar.")
    expect(page.locator("main")).to_contain_text("Uppdraget är genomfört.")


def test_copy_into_a_new_mandate_period_asks_which_overarching_goal(municipality, login,
                                                                    assert_accessible):
    """G2: copying SN's goals into 2027, the first year of a new period, asks for the link."""
    sn = Namndmal.objects.filter(namnd__short_name="SN").first().namnd
    page = login("sn.ordforande")
    page.goto(f"/mal/namnd/{sn.pk}/2027/")
    page.get_by_role("button", name="Kopiera förra årets mål som utkast").click()
    expect(page.locator("h1")).to_contain_text("Kopiera mål från 2026 till 2027")
    assert_accessible(page, "mal-kopiera-valj-overgripande")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("h1")).to_contain_text("Nämndmål 2027")
    expect(page.locator("main")).to_contain_text("Hemtjänsten ger kontinuitet")


def test_kf_reaffirmation_form_as_the_kommunsekreterare(municipality, login, assert_accessible):
    """G2: KF's re-affirmation of the övergripande mål for a year, recorded by its secretary."""
    from styrmodell.models import BudgetYear, MandatePeriod

    BudgetYear.objects.get_or_create(year=2028, defaults={
        "mandate_period": MandatePeriod.objects.get(name="2026–2030")})
    page = login("kommunsekreterare")
    page.goto("/mal/kf/?ar=2028")
    expect(page.locator("main")).to_contain_text("inte fastställt för 2028")
    page.get_by_role("link", name="Registrera KF:s fastställande för 2028").click()
    expect(page.locator("h1")).to_contain_text("fastställande av de övergripande målen för 2028")
    assert_accessible(page, "mal-faststall")


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


def test_a3_a_sent_back_assessment_form_focuses_its_error_summary(municipality, login,
                                                                  assert_accessible):
    goal = _bun_goal()
    goal.assessments.filter(period="okt").delete()
    page = login("bun.forvaltningschef")
    page.goto(f"/mal/namndmal/{goal.pk}/bedomning/okt/")
    page.get_by_label("Delvis").check()
    page.get_by_role("button", name="Spara bedömningen").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    # Every missing answer at once: the three questions Delvis asks besides the conclusion's.
    assert summary.locator("li").count() >= 7
    assert_accessible(page, "mal-bedomning-fel")


def test_the_goal_map_as_a_politician(municipality, login, assert_accessible):
    page = login("bun.ordforande")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/mal/karta/?ar=2026")
        expect(page.locator("h1")).to_have_text("Målkartan")
        page.screenshot(path=f"test-artifacts/screenshots/malkartan-{width}.png",
                        full_page=True)
    assert_accessible(page, "mal-karta")


def test_the_forvaltningschef_finds_the_malansvarig_by_name_and_appoints_her(
        municipality, login, assert_accessible):
    goal = _bun_goal()
    page = login("bun.forvaltningschef")
    page.goto(f"/mal/namndmal/{goal.pk}/ansvarig/")
    expect(page.locator("h1")).to_have_text("Utse målansvarig")
    assert_accessible(page, "mal-utse-ansvarig")
    page.get_by_role("textbox", name="Sök person").fill("berg maj")
    page.get_by_role("button", name="Sök", exact=True).click()
    expect(page.get_by_role("radio")).to_have_count(1)
    page.get_by_label("Maja Berg").check()
    page.get_by_role("button", name="Utse", exact=True).click()
    expect(page.locator("#error-summary")).to_contain_text("Skriv varför personen får ansvaret.")
    expect(page.get_by_label("Maja Berg")).to_be_checked()
    assert_accessible(page, "mal-utse-ansvarig-fel")
    page.get_by_label("Skäl").fill("Driver läsmålet")
    page.get_by_role("button", name="Utse", exact=True).click()
    expect(page.locator("main")).to_contain_text("Maja Berg är ansvarig till och med")


def test_comparison_municipalities_and_their_values_as_the_finance_office(
        municipality, login, assert_accessible):
    from decimal import Decimal

    from goals.models import Jamforelsekommun, Jamforelsevarde, KoladaHamtning

    figure = Nyckeltal.objects.get(kolada_kpi="N00090")
    for code, name, values in (("1490", "Mark", ("8.6", "8.2")),
                               ("1441", "Lerum", ("7.1", "7.4")),
                               ("1489", "Alingsås", ("9.0", "8.8"))):
        kommun = Jamforelsekommun.objects.create(code=code, name=name)
        for period, value in zip((2024, 2025), values, strict=True):
            Jamforelsevarde.objects.create(nyckeltal=figure, kommun=kommun, period=period,
                                           value=Decimal(value))
    KoladaHamtning.objects.create(started_at=timezone.now(), ok=False,
                                  message="Kolada svarade med felkod 500. Inga värden ändrades.")
    page = login("ekonom")
    for name, path, heading in [
        ("jamforelsekommuner", "/mal/nyckeltal/jamforelsekommuner/", "Jämförelsekommuner"),
        ("nyckeltal-lista-kolada", "/mal/nyckeltal/", "Nyckeltal"),
        ("nyckeltal-jamforelse", figure.get_absolute_url(), figure.name),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response}"
        expect(page.locator("h1")).to_contain_text(heading)
        expect(page.get_by_role("button", name="Hämta nu")).to_be_visible()
        assert_accessible(page, f"mal-{name}")
    expect(page.locator("table:has(#tabell-jamforelse)")).to_contain_text("Alingsås")
    expect(page.locator("svg.chart .chart__legend")).to_contain_text("Alingsås")
