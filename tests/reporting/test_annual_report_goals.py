"""What KF's årsredovisning reports of the nämnder's goals (G8) and KF's uppdrag (G11), on the
page and in the PDF, beside what the nämnd's own årsrapport (its section) holds."""

import datetime as dt

import pytest
from django.urls import reverse

from goals import services
from goals.models import Namndmal, Nyckeltal, NyckeltalVarde, Uppdrag
from reporting import pdf_jobs
from reporting.models import Rapportperiod
from reporting.pdf import render_pdf
from reporting.pdf_documents import REPORT_PERIOD, REPORT_SECTION
from styrmodell.models import BudgetYear, User
from styrmodell.versioning import current_version

from .test_pdf import pdftotext

OWN_GOAL = "Alla elever i åk 4 kan simma"
OWN_FIGURE = "Simkunniga elever i åk 4"
ONLY_OWN_COMMON = "Besök i simhallen per invånare"
COMMON_FIGURE = "Läsande elever i åk 3"
DEMO_NAMND_FIGURE = "behöriga till ett yrkesprogram"  # the demo's BUN nämndnyckeltal (N15436)
REGULAR_GOAL = "Ökad läsförmåga i lågstadiet"


@pytest.fixture
def annual(municipality):
    return Rapportperiod.objects.select_related("budget_year").get(budget_year__year=2025,
                                                                   code="ar")


@pytest.fixture
def own_goal(annual, unit):
    """BUN's own goal for 2025 with its nämndnyckeltal, a common figure linked only to the own
    goal, and a common figure linked to a nämndmål KF follows up."""
    bun, year = unit("bun"), annual.budget_year
    goal = services.create_namndmal(
        namnd=bun, budget_year=year, overgripande_mal=None, title=OWN_GOAL, own_goal=True,
        what="Simundervisning för alla", how_measured="Simtest", target="100 %",
        by_when=dt.date(2025, 12, 31)).obj
    goal = services.adopt_namndmal(goal=goal, decided_on=dt.date(2024, 12, 10), paragraph="90")
    own_figure = Nyckeltal.objects.create(name=OWN_FIGURE, namnd=bun, unit_label="%")
    only_own = Nyckeltal.objects.create(name=ONLY_OWN_COMMON)
    goal.key_figures.set([own_figure, only_own])
    common = Nyckeltal.objects.create(name=COMMON_FIGURE, unit_label="%")
    Namndmal.objects.get(namnd=bun, budget_year=year, title=REGULAR_GOAL).key_figures.add(common)
    for figure in (own_figure, only_own, common):
        NyckeltalVarde.objects.create(nyckeltal=figure, unit=bun, period=2025, value=71)
    return goal


def _section_url(annual, namnd):
    return reverse("reporting:section", args=[annual.budget_year.year, annual.code, namnd.pk])


def _pdf_text(kind, object_id, tmp_path) -> str:
    document = pdf_jobs.build_document(kind, object_id)
    return pdftotext(render_pdf(document.html, title=document.title), tmp_path)


def test_g8_own_goals_and_namndnyckeltal_are_left_out_of_the_arsredovisning_page(
        annual, own_goal, login, client):
    login("kf.ordforande")
    page = client.get(annual.get_absolute_url()).content.decode()
    assert REGULAR_GOAL in page and COMMON_FIGURE in page
    for absent in (OWN_GOAL, OWN_FIGURE, ONLY_OWN_COMMON, DEMO_NAMND_FIGURE):
        assert absent not in page, absent
    assert "följs upp av nämnden i dess årsrapport" in page


def test_g8_the_namnds_arsrapport_follows_up_its_own_goals_and_namndnyckeltal(
        annual, own_goal, unit, login, client):
    login("bun.ledamot")
    page = client.get(_section_url(annual, unit("bun"))).content.decode()
    for present in (REGULAR_GOAL, COMMON_FIGURE, OWN_GOAL, OWN_FIGURE, ONLY_OWN_COMMON,
                    DEMO_NAMND_FIGURE):
        assert present in page, present
    assert "Nämndens eget mål" in page and "Nämndnyckeltal" in page


def test_g8_the_arsredovisning_pdf_leaves_them_out_and_the_arsrapport_pdf_holds_them(
        annual, own_goal, unit, tmp_path):
    compiled = _pdf_text(REPORT_PERIOD, annual.pk, tmp_path)
    assert "Ökad läsförmåga" in compiled and "Läsande elever" in compiled
    for absent in ("kan simma", "Simkunniga", "simhallen", "yrkesprogram"):
        assert absent not in compiled, absent
    section = annual.sections.get(namnd=unit("bun"))
    own = _pdf_text(REPORT_SECTION, section.pk, tmp_path)
    for present in ("kan simma", "Simkunniga", "simhallen", "Ökad läsförmåga"):
        assert present in own, present


def test_g8_the_delarsrapport_is_not_the_arsredovisning_and_keeps_its_sections_whole(
        municipality, unit, login, client):
    """Only KF's årsredovisning leaves the nämnder's own follow-up to the nämnd."""
    from reporting.reports_content import kf_follows_up_only

    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    annual = Rapportperiod.objects.get(budget_year__year=2025, code="ar")
    assert not kf_follows_up_only(august, compiled=True)
    assert kf_follows_up_only(annual, compiled=True)
    assert not kf_follows_up_only(annual, compiled=False)


# --- G11: the report-back on KF's uppdrag in the årsredovisning.


@pytest.fixture
def uppdrag_2025(annual, unit):
    year = BudgetYear.objects.get(year=2025)
    made = {}
    for key, title in (("bun", "Utred simundervisningen"), ("sbn", "Inventera gatubelysningen")):
        made[key] = Uppdrag.objects.create(
            namnd=unit(key), budget_year=year, title=title, status="antaget",
            decided_on=dt.date(2024, 11, 25), paragraph="122", decided_by=unit("kf"))
    return made


def test_g11_the_arsredovisning_shows_the_namnds_report_back(annual, uppdrag_2025, login,
                                                            client, tmp_path):
    bun = uppdrag_2025["bun"]
    login("bun.forvaltningschef")
    client.post(f"/mal/uppdrag/{bun.pk}/aterrapport/", {
        "version": current_version(bun), "completed": "on",
        "report": "Utredningen redovisades för nämnden i oktober."})
    login("kf.ordforande")
    page = client.get(annual.get_absolute_url()).content.decode()
    assert "Utred simundervisningen</strong> – genomfört" in page
    assert "Utredningen redovisades för nämnden i oktober." in page
    assert ("Inventera gatubelysningen</strong> – nämnden har inte återrapporterat uppdraget"
            in page)
    text = _pdf_text(REPORT_PERIOD, annual.pk, tmp_path)
    assert "Utredningen redovisades" in text and "har inte återrapporterat" in text


def test_g11_a_report_back_not_yet_done_reads_inte_genomfort(annual, uppdrag_2025, login,
                                                            client):
    sbn = uppdrag_2025["sbn"]
    services.report_on_uppdrag(uppdrag=sbn, report="Inventeringen pågår.", completed=False,
                               author=User.objects.get(username="sbn.forvaltningschef"),
                               version=current_version(sbn))
    login("revisor")
    page = client.get(annual.get_absolute_url()).content.decode()
    assert "Inventera gatubelysningen</strong> – inte genomfört: Inventeringen pågår." in page
