"""The municipality's open pages (no login) and open data: only what is decided or approved, never
a draft, an unapproved assessment, a proposal or anything personal; the same for everyone and
cached; the data as CSV and JSON with a Data Package descriptor; the accessibility statement
linked from every page."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client

from budget.frames.models import Driftbudgetram, FrameStage
from budget.investments.models import Investeringsprojekt, ProjectStatus
from goals.models import DecisionStatus, Level, Malbedomning, Medarbetarplan, Namndmal
from reporting import open_data
from reporting.models import (
    PdfRendering,
    PeriodStatus,
    Rapportavsnitt,
    Rapportperiod,
    RenderingStatus,
    SectionStatus,
)
from reporting.open_data import approved_assessments
from reporting.pdf_documents import REPORT_PERIOD
from reporting.report_paging import SECTIONS_PER_PAGE
from styrmodell.models import BudgetYear, User
from styrmodell.paging import PER_PAGE
from tests.reporting.test_reports_pages import _grow as grow_namnder

SECRET = "HEMLIGT-UTKAST"
HREF = re.compile(r'href="(/oppen/[^"#]*)"')


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.OPEN_PAGES_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous() -> Client:
    return Client()


def walk(client: Client, start: str = "/oppen/") -> dict[str, str]:
    """Every open page reachable by links from the open start page: {address: text}."""
    pages, queue = {}, [start]
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        pages[url] = text
        if response["Content-Type"].startswith("text/html"):
            # A report's PDF is rendered for its first reader: its own test asks for it.
            queue += [link for link in HREF.findall(text)
                      if link not in pages and not link.endswith("/pdf/")]
    return pages


def _plant_drafts(municipality) -> list[str]:
    """A draft goal, a draft section's text, an unapproved assessment, a proposed frame and a
    proposed project, each with a text that must not be shown."""
    bun = municipality["bun"]
    adopted = Namndmal.objects.filter(namnd=bun, status=DecisionStatus.ADOPTED,
                                      budget_year__year=2026).first()
    Namndmal.objects.filter(namnd=bun, status=DecisionStatus.DRAFT).update(
        title=f"{SECRET} nämndmål")
    draft = Rapportavsnitt.objects.exclude(status=SectionStatus.APPROVED).filter(
        period__budget_year__year=2026).first()
    Rapportavsnitt.objects.filter(pk=draft.pk).update(summary=f"{SECRET} avsnitt")
    Malbedomning.objects.update_or_create(
        namndmal=adopted, period="okt",
        defaults={"level": Level.NO, "conclusion": f"{SECRET} bedömning",
                  "author": User.objects.get(username="bun.forvaltningschef")})
    Investeringsprojekt.objects.filter(status=ProjectStatus.PROPOSAL).update(
        name=f"{SECRET} projekt")
    return [f"{SECRET} nämndmål", f"{SECRET} avsnitt", f"{SECRET} bedömning",
            f"{SECRET} projekt"]


def test_every_open_page_answers_without_a_login_and_sets_no_cookie(anonymous, municipality):
    pages = walk(anonymous)
    assert {"/oppen/", "/oppen/mal/2026/", "/oppen/budget/2026/", "/oppen/rapporter/",
            "/oppen/data/", "/oppen/tillganglighet/", "/oppen/data/datapackage.json",
            "/oppen/data/namndmal.csv"} <= set(pages)
    assert any(url.startswith("/oppen/rapporter/20") for url in pages)
    response = anonymous.get("/oppen/mal/2026/")
    assert not response.cookies, "an open page starts no session: it can be cached for all"


def test_no_open_page_shows_a_draft_an_unapproved_assessment_a_proposal_or_a_person(
        anonymous, municipality):
    hidden = _plant_drafts(municipality)
    people = [name for name in (user.get_full_name() for user in User.objects.all()) if name]
    Medarbetarplan.objects.update(follow_up_note=f"{SECRET} medarbetarsamtal")
    plans = [f"{SECRET} medarbetarsamtal"]
    assert Medarbetarplan.objects.exists() and len(people) > 20
    shown = walk(anonymous)
    for url, text in shown.items():
        found = [word for word in hidden + people + plans if word in text]
        assert found == [], f"{url} shows {found}"


def test_an_assessment_is_shown_once_its_section_is_approved(anonymous, municipality):
    bun = municipality["bun"]
    goal = Namndmal.objects.filter(namnd=bun, status=DecisionStatus.ADOPTED,
                                   budget_year__year=2026).order_by("pk").first()
    Malbedomning.objects.update_or_create(
        namndmal=goal, period="okt",
        defaults={"level": Level.YES, "conclusion": "Målet nås i oktober",
                  "author": User.objects.get(username="bun.forvaltningschef")})
    section = Rapportavsnitt.objects.get(namnd=bun, period__budget_year__year=2026,
                                         period__period="okt")
    assert section.status != SectionStatus.APPROVED
    assert "Målet nås i oktober" not in anonymous.get("/oppen/mal/2026/").content.decode()
    assert not approved_assessments().filter(namndmal=goal, period="okt").exists()
    Rapportavsnitt.objects.filter(pk=section.pk).update(status=SectionStatus.APPROVED)
    cache.clear()
    assert "Målet nås i oktober" in anonymous.get("/oppen/mal/2026/").content.decode()


def test_a_report_kf_has_not_received_is_not_open(anonymous, municipality):
    open_report = Rapportperiod.objects.exclude(status="kf").select_related("budget_year").first()
    url = f"/oppen/rapporter/{open_report.budget_year.year}-{open_report.code}/"
    assert anonymous.get(url).status_code == 404
    assert url not in walk(anonymous)


def test_a_draft_year_has_no_open_pages(anonymous, municipality):
    assert anonymous.get("/oppen/mal/2031/").status_code == 404
    assert anonymous.get("/oppen/budget/2031/").status_code == 404


def test_an_open_page_is_served_from_the_cache_without_a_query(anonymous, municipality,
                                                               django_assert_num_queries):
    first = anonymous.get("/oppen/budget/2026/").content
    with django_assert_num_queries(0):
        again = anonymous.get("/oppen/budget/2026/").content
    assert again == first


def test_the_open_data_match_the_pages_and_the_descriptor(anonymous, municipality):
    package = json.loads(anonymous.get("/oppen/data/datapackage.json").content)
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC0-1.0"
    for resource in package["resources"]:
        path = resource["path"].removeprefix("http://testserver")
        assert path.endswith(f"/{resource['name']}.csv")
        rows = list(csv.reader(io.StringIO(anonymous.get(path).content.decode())))
        assert rows[0] == [field["name"] for field in resource["schema"]["fields"]]
        as_json = json.loads(anonymous.get(path.replace(".csv", ".json")).content)
        assert len(as_json["data"]) == len(rows) - 1
        for field in resource["schema"]["fields"]:
            if field["type"] == "number":
                for row in as_json["data"]:
                    Decimal(row[field["name"]])  # amounts as plain decimals
    frames = json.loads(anonymous.get("/oppen/data/ramar.json").content)["data"]
    decided = Driftbudgetram.objects.filter(stage=FrameStage.DECIDED, budget_year__year=2026)
    assert {(row["namnd"], Decimal(row["ram_kr"])) for row in frames if row["ar"] == 2026} == {
        (str(frame.namnd), frame.total) for frame in decided}


def test_a_reports_pdf_is_rendered_once_on_the_first_request_and_then_served(
        anonymous, municipality, monkeypatch):
    from reporting import pdf_jobs

    def queue(*, kind, object_id, user=None):  # the rendering itself is tested in test_pdf
        return PdfRendering.objects.create(kind=kind, object_id=object_id, content_hash="x",
                                           title="Rapport", filename="rapport.pdf"), True

    monkeypatch.setattr(pdf_jobs, "request_rendering", queue)
    period = Rapportperiod.objects.filter(status="kf").select_related("budget_year").first()
    url = f"/oppen/rapporter/{period.budget_year.year}-{period.code}/pdf/"
    first = anonymous.get(url)
    assert first.status_code == 202 and "skapas nu" in first.content.decode()
    assert anonymous.get(url).status_code == 202
    # One rendering, however many readers ask while it is made.
    assert PdfRendering.objects.filter(kind=REPORT_PERIOD, object_id=period.pk).count() == 1
    PdfRendering.objects.filter(kind=REPORT_PERIOD, object_id=period.pk).update(
        status=RenderingStatus.DONE, pdf=b"%PDF-1.7 test", finished_at="2026-12-01T10:00Z")
    response = anonymous.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    page = anonymous.get(f"/oppen/rapporter/{period.budget_year.year}-{period.code}/")
    assert url in page.content.decode()


@pytest.mark.parametrize("url", ["/oppen/", "/logga-in/"])
def test_every_page_links_the_accessibility_statement(anonymous, municipality, url):
    assert 'href="/oppen/tillganglighet/"' in anonymous.get(url).content.decode()


def test_a_signed_in_page_links_the_accessibility_statement(client, login):
    login("ekonom")
    assert 'href="/oppen/tillganglighet/"' in client.get("/").content.decode()


def test_the_accessibility_statement_names_the_feedback_address_and_the_supervisor(
        anonymous, municipality, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@ekbacka.example"
    text = anonymous.get("/oppen/tillganglighet/").content.decode()
    assert "mailto:tillganglighet@ekbacka.example" in text
    assert "Myndigheten för digital förvaltning" in text
    assert "WCAG 2.1" in text and "4 december 2026" in text


def _project_rows(html: str) -> list[str]:
    if 'id="investeringar-tabell"' not in html:
        return []
    table = html[html.index('id="investeringar-tabell"'):html.index("</table>",
                                                                     html.index('id="investeringar"'))]
    return re.findall(r'<th scope="row">([^<]*)</th>', table)


def test_the_open_budget_page_shows_a_page_of_projects_and_filters_them_by_namnd(
        anonymous, municipality):
    Investeringsprojekt.objects.bulk_create(
        Investeringsprojekt(namnd=municipality["bun"], name=f"Provprojekt {number:03d}",
                            kind="nyinvestering", status=ProjectStatus.DECIDED,
                            total_budget=Decimal("1000000"), start_year=2026, end_year=2026,
                            depreciation_years=10, consequences="Inga.")
        for number in range(PER_PAGE + 10))
    running = open_data.decided_projects(BudgetYear.objects.get(year=2026))
    html = anonymous.get("/oppen/budget/2026/").content.decode()
    assert len(_project_rows(html)) == PER_PAGE
    assert f"av {running.count()}" in html
    last_page = (running.count() - 1) // PER_PAGE + 1
    last = anonymous.get(f"/oppen/budget/2026/?sida={last_page}").content.decode()
    assert len(_project_rows(last)) == running.count() - (last_page - 1) * PER_PAGE

    other = running.exclude(namnd=municipality["bun"]).first().namnd
    only = _project_rows(anonymous.get(f"/oppen/budget/2026/?namnd={other.pk}").content.decode())
    assert only and sorted(only) == sorted(running.filter(namnd=other)
                                           .values_list("name", flat=True))
    # A value the filter does not know shows every project, never an error.
    unknown = anonymous.get("/oppen/budget/2026/?namnd=okand")
    assert unknown.status_code == 200 and len(_project_rows(unknown.content.decode())) == PER_PAGE
    # The open data keep every project, whatever the page shows.
    rows = list(csv.reader(io.StringIO(anonymous.get("/oppen/data/investeringar.csv")
                                       .content.decode())))
    assert sum(row[2].startswith("Provprojekt") for row in rows) == PER_PAGE + 10


def test_a_received_report_of_many_namnder_is_read_a_few_sections_a_page(anonymous,
                                                                          municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    grow_namnder(august, 6)
    Rapportavsnitt.objects.filter(period=august).update(status=SectionStatus.APPROVED)
    Rapportperiod.objects.filter(pk=august.pk).update(status=PeriodStatus.KF)
    sections = list(august.sections.order_by("namnd__path"))
    html = anonymous.get("/oppen/rapporter/2026-aug/").content.decode()
    assert html.count('<section class="report-section"') == SECTIONS_PER_PAGE
    last_page = (len(sections) - 1) // SECTIONS_PER_PAGE + 1
    assert f"Sida 1 av {last_page}" in html
    assert f'href="?sida={last_page}#namnd-{sections[-1].namnd_id}"' in html
    last = anonymous.get(f"/oppen/rapporter/2026-aug/?sida={last_page}").content.decode()
    assert f'id="namnd-{sections[-1].namnd_id}"' in last
