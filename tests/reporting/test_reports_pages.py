"""The report pages: who may write, approve, compile and decide (P1, P2, P4), the locked
section, and the municipality's report's query count at two sizes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from budget.ledger.totals import refresh_month_totals
from budget.models import Konto, Prognos, Utfall
from goals.models import DecisionStatus, Level, Malbedomning, Namndmal
from reporting import report_paging, reports
from reporting.models import Rapportavsnitt, Rapportperiod, SectionStatus
from reporting.reports_content import assemble, economies, economy_overview
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind, User
from styrmodell.versioning import current_version

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def october(municipality):
    return Rapportperiod.objects.get(budget_year__year=2026, code="okt")


def _url(period, namnd, tail=""):
    return f"/rapporter/{period.budget_year.year}-{period.code}/{namnd.pk}/{tail}"


def _texts(**extra):
    return {"version": "", "summary": "Text", "conclusion": "", "priorities": "",
            "recommendation": "", "future_challenges": "", **extra}


def test_p2_a_politician_cannot_edit_a_section(client, login, municipality, october):
    bun = municipality["bun"]
    for username in ("bun.ordforande", "bun.ledamot", "ks.ordforande"):
        login(username)
        assert client.get(_url(october, bun, "texter/")).status_code == 403
        assert client.post(_url(october, bun, "texter/"), _texts()).status_code == 403
        assert client.post(_url(october, bun, "lamna-in/"), {"confirm": "on"}).status_code == 403
    assert Rapportavsnitt.objects.get(period=october, namnd=bun).summary == ""


def test_p1_an_official_cannot_approve_on_behalf_of_the_namnd(client, login, municipality,
                                                              october):
    bun = municipality["bun"]
    section = Rapportavsnitt.objects.select_related("period").get(period=october, namnd=bun)
    reports.save_texts(section=section, version=current_version(section),
                       by=User.objects.get(username="bun.forvaltningschef"), summary="Klart")
    reports.submit(section=section, by=User.objects.get(username="bun.forvaltningschef"),
                   today=TODAY)
    decision = {"decision": "godkann", "decided_on": "2026-11-25", "paragraph": "9",
                "comment": ""}
    for username in ("bun.forvaltningschef", "ekonomichef", "kommundirektor", "revisor"):
        login(username)
        assert client.post(_url(october, bun, "beslut/"), decision).status_code == 403
    section.refresh_from_db()
    assert section.status == SectionStatus.SUBMITTED
    login("bun.sekreterare")  # records the nämnd's decision
    assert client.post(_url(october, bun, "beslut/"), decision).status_code == 302
    section.refresh_from_db()
    assert section.status == SectionStatus.APPROVED and section.paragraph == "9"


def test_the_forvaltningschef_writes_and_submits_and_the_locked_section_refuses_edits(
        client, login, municipality, october):
    bun = municipality["bun"]
    section = Rapportavsnitt.objects.get(period=october, namnd=bun)
    login("bun.forvaltningschef")
    response = client.post(_url(october, bun, "texter/"),
                           _texts(version=current_version(section), summary="Läget i oktober"))
    assert response.status_code == 302
    assert client.post(_url(october, bun, "lamna-in/"), {"confirm": "on"}).status_code == 302
    section.refresh_from_db()
    assert section.status == SectionStatus.SUBMITTED
    reports.decide(section=section, approve=True, decided_on=TODAY, paragraph="1", comment="",
                   by=User.objects.get(username="bun.ordforande"))
    response = client.post(_url(october, bun, "texter/"),
                           _texts(version=current_version(section), summary="Ändrat"))
    assert response.status_code == 200 and "låst" in response.content.decode()
    section.refresh_from_db()
    assert section.summary == "Läget i oktober"
    # Another nämnd's section is out of the förvaltningschef's reach (P5).
    assert client.get(_url(october, municipality["sn"], "texter/")).status_code == 403


def test_p4_revisor_reads_the_reports_and_writes_nothing(client, login, municipality, october):
    login("revisor")
    bun = municipality["bun"]
    assert client.get("/rapporter/").status_code == 200
    assert client.get(october.get_absolute_url()).status_code == 200
    assert client.get(_url(october, bun)).status_code == 200
    assert client.post(_url(october, bun, "texter/"), _texts()).status_code == 403
    assert client.post(f"{october.get_absolute_url()}sammanstall/",
                       {"summary": "x"}).status_code == 403
    assert client.post(f"{october.get_absolute_url()}beslut/",
                       {"body": "ks"}).status_code == 403
    assert client.post("/rapporter/extra/ny/", {"reason": "x"}).status_code == 403


def test_f2_the_kommunsekreterare_records_ksaus_request(client, login, municipality):
    login("kommunsekreterare")
    response = client.post("/rapporter/extra/ny/", {
        "requested_on": "2026-12-01", "deadline": "2026-12-18", "reason": "Placeringar inom IFO"})
    assert response.status_code == 302
    extra = Rapportperiod.objects.get(budget_year__year=2026, code="extra-20261218")
    assert client.get(extra.get_absolute_url()).status_code == 200


def test_p3_a_section_carries_a_dialogue_thread(client, login, municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    section = Rapportavsnitt.objects.get(period=august, namnd=municipality["sn"])
    login("sn.ordforande")
    response = client.post(f"/dialog/reporting.rapportavsnitt/{section.pk}/",
                           {"body": "Hur går det med IFO?"})
    assert response.status_code in (200, 302)
    html = client.get(_url(august, municipality["sn"])).content.decode()
    assert "Hur går det med IFO?" in html


def _grow(period: Rapportperiod, count: int) -> None:
    """More nämnder, each with a goal, an assessment, a forecast and outcome."""
    kf = OrganisationUnit.objects.get(kind=UnitKind.KF)
    year = period.budget_year
    writer = User.objects.get(username="bun.forvaltningschef")
    for number in range(count):
        namnd = OrganisationUnit.objects.create(name=f"Provnämnd {number}", kind=UnitKind.NAMND,
                                                parent=kf)
        goal = Namndmal.objects.create(
            namnd=namnd, budget_year=year, title=f"Mål {number}", what="a", how_measured="b",
            target="c", by_when=dt.date(2026, 12, 31), status=DecisionStatus.ADOPTED)
        Malbedomning.objects.create(namndmal=goal, period="aug", level=Level.PARTLY,
                                    forecast=Level.YES, author=writer)
        Prognos.objects.create(namnd=namnd, budget_year=year, period="aug",
                               total=Decimal("1000000"), written_by=writer,
                               written_at=timezone.now())
        Utfall.objects.create(namnd=namnd, year=2026, month=3, amount=Decimal("1000"),
                              konto=Konto.objects.first())
    refresh_month_totals(year=2026, months=[3])
    reports._ensure_sections(period, reports.namnder())


def test_the_municipality_report_costs_the_same_queries_with_more_namnder(
        client, login, municipality, django_assert_max_num_queries):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    login("ekonomichef")  # reads every nämnd's section, drafts too (P5)
    with django_assert_max_num_queries(45) as few:
        assert client.get(august.get_absolute_url()).status_code == 200
    _grow(august, 6)
    assert august.sections.count() >= 11
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(august.get_absolute_url())
    assert response.status_code == 200 and "Provnämnd 5" in response.content.decode()
    assert BudgetYear.objects.filter(year=2026).exists()


def test_the_list_of_reports_exports_to_excel(client, login, municipality):
    login("revisor")
    response = client.get("/rapporter/excel/")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('rapporter.xlsx"')


def test_the_list_of_reports_costs_the_same_queries_with_more_reports(
        client, login, municipality, django_assert_max_num_queries):
    login("revisor")
    with django_assert_max_num_queries(30) as few:
        assert client.get("/rapporter/").status_code == 200
    year = BudgetYear.objects.get(year=2026)
    for day in (1, 2, 3):
        reports.request_extra(budget_year=year, requested_on=dt.date(2026, 12, 1),
                              deadline=dt.date(2026, 12, 10 + day), reason="Prov",
                              by=User.objects.get(username="kommunsekreterare"), today=TODAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/rapporter/").status_code == 200


def test_a_section_page_costs_a_fixed_number_of_queries(client, login, municipality,
                                                        django_assert_max_num_queries):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    login("sn.ordforande")
    with django_assert_max_num_queries(45):
        assert client.get(_url(august, municipality["sn"])).status_code == 200


def _report_sections(html: str) -> int:
    return html.count('<section class="report-section"')


def test_the_municipality_report_shows_a_few_namnders_sections_a_page_and_every_namnd_above(
        client, login, municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    login("ekonomichef")
    _grow(august, 6)
    sections = list(august.sections.select_related("namnd").order_by("namnd__path"))
    per_page = report_paging.SECTIONS_PER_PAGE
    assert len(sections) > 2 * per_page
    last = sections[-1]
    last_page = (len(sections) - 1) // per_page + 1

    first = client.get(august.get_absolute_url()).content.decode()
    assert _report_sections(first) == per_page
    assert f"Sida 1 av {last_page}" in first
    # The contents and the overview name every nämnd, and link to the page that has it.
    assert first.count(f'href="?sida={last_page}#namnd-{last.namnd_id}"') == 2
    assert f'href="#namnd-{sections[0].namnd_id}"' in first
    assert f'id="namnd-{last.namnd_id}"' not in first

    page = client.get(f"{august.get_absolute_url()}?sida={last_page}").content.decode()
    assert _report_sections(page) == len(sections) - (last_page - 1) * per_page
    assert f'id="namnd-{last.namnd_id}"' in page
    assert f'href="?sida=1#namnd-{sections[0].namnd_id}"' in page
    # A page beyond the last shows the last, never an error.
    beyond = client.get(f"{august.get_absolute_url()}?sida=99")
    assert beyond.status_code == 200 and f'id="namnd-{last.namnd_id}"' in beyond.content.decode()


def test_a_municipality_report_of_a_few_namnder_is_one_page(client, login, municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    login("ekonomichef")
    html = client.get(august.get_absolute_url()).content.decode()
    assert august.sections.count() <= report_paging.SECTIONS_PER_PAGE
    assert _report_sections(html) == august.sections.count()
    assert 'class="pagination"' not in html


@pytest.mark.parametrize(("year", "code"), [(2026, "aug"), (2025, "ar")])
def test_f1_f4_the_overviews_economy_is_the_economy_of_each_whole_section(municipality, year,
                                                                         code):
    """A delårsrapport, and the årsredovisning with its year-end outcome and the result's
    disposition (F4): the overview's economy, made alone, is that of the whole sections."""
    period = Rapportperiod.objects.select_related("budget_year").get(budget_year__year=year,
                                                                     code=code)
    _grow(period, 2)
    sections = list(period.sections.select_related("namnd").order_by("namnd__path"))
    for section in sections:
        section.period = period
    whole = assemble(period, sections, user=None, compiled=True)
    alone = economies(period, sections)
    if code == "ar":  # the demo's 2025 has its year-end outcome and dispositions
        assert any(c.economy.is_year_end for c in whole)
        assert any(c.economy.disposition is not None for c in alone)
    assert [c.economy for c in alone] == [c.economy for c in whole]
    totals = [(o.frame, o.outcome_to_date, o.forecast, o.variance)
              for o in (economy_overview(alone), economy_overview(whole))]
    assert totals[0] == totals[1]
