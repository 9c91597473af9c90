"""The report pages at big-city scale (issue 14): the compiled report, a section and "Vad har
ändrats" cost the same queries whatever the size of the municipality, read the year's last
outcome month once, and what is now summed or filtered in SQL gives the figures and cases the
rows gave before."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from budget.investments import services as investments
from budget.models import (
    Anslag,
    Investeringsprojekt,
    Investeringsutfall,
    ProjectKind,
    ProjectStatus,
    Slutkostnadsprognos,
)
from deviations.models import Avvikelse, CaseKind, CaseStatus
from reporting import reports
from reporting.models import Rapportavsnitt, Rapportperiod
from reporting.reports_content import (
    _cases_as_of,
    _open_on,
    assemble,
    changes_since,
    comparison,
)
from tests.budget.investments.test_investment_overview_in_sql import project_row as reference_row

LAST_MONTH_SQL = 'MAX("budget_utfallmanad"."month")'
OUTCOME_BY_MONTH_SQL = '"budget_utfallmanad"."amount" AS "amount" FROM "budget_utfallmanad"'


@pytest.fixture
def august(municipality):
    return Rapportperiod.objects.select_related("budget_year").get(budget_year__year=2026,
                                                                    code="aug")


def _sections(period: Rapportperiod) -> list[Rapportavsnitt]:
    sections = list(period.sections.select_related("namnd").order_by("namnd__path"))
    for section in sections:
        section.period = period
    return sections


def _grow(municipality, budget_year, count: int = 60) -> None:
    """Other nämnders' running projects, with appropriation, outcome and a forecast, and their
    deviation cases, closed after the earliest section's approval but before today."""
    namnder = [municipality[key] for key in ("kfn", "sbn", "sn")]
    projects = Investeringsprojekt.objects.bulk_create(
        Investeringsprojekt(namnd=namnder[number % 3], name=f"Vuxen stads projekt {number}",
                            kind=ProjectKind.NEW, status=ProjectStatus.DECIDED,
                            total_budget=Decimal("1000000"), start_year=2026, end_year=2026,
                            depreciation_years=10, consequences="Inga.")
        for number in range(count))
    Anslag.objects.bulk_create(Anslag(project=p, year=2026, amount=Decimal("1000000"))
                               for p in projects)
    Investeringsutfall.objects.bulk_create(Investeringsutfall(project=p, year=2026,
                                                              amount=Decimal("100"))
                                           for p in projects)
    Slutkostnadsprognos.objects.bulk_create(
        Slutkostnadsprognos(project=p, year=2026, period="apr", amount=Decimal("1100000"),
                            made_on=dt.date(2026, 4, 30)) for p in projects)
    Avvikelse.objects.bulk_create(
        Avvikelse(kind=CaseKind.DEFICIT, namnd=namnder[number % 3], budget_year=budget_year,
                  period="feb", status=CaseStatus.CLOSED, opened_on=dt.date(2026, 3, 1),
                  closed_on=dt.date(2026, 10, 1), budget_amount=Decimal("1000"),
                  forecast_amount=Decimal("1100"))
        for number in range(count))


def _captured(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_projects_line_summed_in_sql_has_the_figures_of_its_rows(municipality):
    project = Investeringsprojekt.objects.create(
        namnd=municipality["bun"], name="Ny förskola", kind=ProjectKind.NEW,
        status=ProjectStatus.DECIDED, total_budget=Decimal("5000000"), start_year=2025,
        end_year=2027, depreciation_years=20, consequences="Inga.")
    Anslag.objects.bulk_create([Anslag(project=project, year=2026, amount=Decimal("2000000")),
                                Anslag(project=project, year=2027, amount=Decimal("900000"))])
    Investeringsutfall.objects.bulk_create([
        Investeringsutfall(project=project, year=2025, amount=Decimal("400000")),
        Investeringsutfall(project=project, year=2026, amount=Decimal("1250000.50"))])
    Slutkostnadsprognos.objects.bulk_create([
        Slutkostnadsprognos(project=project, year=2026, period=period, amount=amount,
                            made_on=made_on)
        for period, amount, made_on in (
            ("aug", Decimal("5600000"), dt.date(2026, 8, 31)),
            ("apr", Decimal("5200000"), dt.date(2026, 4, 30)))])
    Slutkostnadsprognos.objects.create(project=project, year=2025, period="okt",
                                       amount=Decimal("5900000"), made_on=dt.date(2025, 10, 31))

    row = next(row for row in investments.project_rows_of(
        user=None, year=2026, namnd_ids=[municipality["bun"].pk]) if row.project == project)
    expected = reference_row(
        investments.with_follow_up(Investeringsprojekt.objects.filter(pk=project.pk)).get(), 2026)

    assert (row.appropriation, row.spent, row.spent_to_date, row.forecast) == (
        Decimal("2000000"), Decimal("1250000.50"), Decimal("1650000.50"), Decimal("5600000"))
    assert (row.appropriation, row.spent, row.spent_to_date, row.forecast) == (
        expected.appropriation, expected.spent, expected.spent_to_date, expected.forecast)
    assert (row.overrun.amount, row.overrun.forecast_period, row.overrun.forecast_made_on) == (
        expected.overrun.amount, expected.overrun.forecast_period,
        expected.overrun.forecast_made_on)


def test_a_project_without_rows_has_zero_figures_and_no_forecast(municipality):
    project = Investeringsprojekt.objects.create(
        namnd=municipality["bun"], name="Tom skolgård", kind=ProjectKind.NEW,
        status=ProjectStatus.DECIDED, total_budget=Decimal("100000"), start_year=2026,
        end_year=2026, depreciation_years=10, consequences="Inga.")
    row = next(row for row in investments.project_rows_of(
        user=None, year=2026, namnd_ids=[municipality["bun"].pk]) if row.project == project)
    assert (row.appropriation, row.spent, row.spent_to_date) == (0, 0, 0)
    assert row.forecast is None and row.overrun is None


def test_the_cases_read_in_sql_are_those_open_on_each_sections_day(august, municipality):
    sections = _sections(august)
    approved = next(s for s in sections if s.approved_on)
    day = approved.approved_on
    namnd = approved.namnd
    common = {"kind": CaseKind.DEFICIT, "namnd": namnd, "budget_year": august.budget_year,
              "period": "apr", "budget_amount": Decimal("1000"), "forecast_amount": Decimal("1100")}
    Avvikelse.objects.bulk_create([
        # closed before the approval: not in the report
        Avvikelse(status=CaseStatus.CLOSED, opened_on=day - dt.timedelta(days=60),
                  closed_on=day - dt.timedelta(days=1), **common),
        # closed after the approval: still open that day
        Avvikelse(status=CaseStatus.CLOSED, opened_on=day - dt.timedelta(days=60),
                  closed_on=day + dt.timedelta(days=1), **common),
        # opened after the approval
        Avvikelse(status=CaseStatus.CLOSED, opened_on=day + dt.timedelta(days=2),
                  closed_on=day + dt.timedelta(days=3), **common),
        # opened on the day itself, closed on the day: not open at its end
        Avvikelse(status=CaseStatus.CLOSED, opened_on=day, closed_on=day, **common),
    ])
    contents = assemble(august, sections, user=None, compiled=True)
    for content in contents:
        as_of = _cases_as_of(content.section)
        expected = sorted(
            case.pk for case in Avvikelse.objects.filter(namnd=content.namnd,
                                                          budget_year=august.budget_year)
             if _open_on(case, as_of))
        assert sorted(row.case.pk for row in content.cases) == expected
    shown = {row.case.pk for c in contents if c.namnd == namnd for row in c.cases}
    assert Avvikelse.objects.filter(namnd=namnd, closed_on=day + dt.timedelta(days=1),
                                    pk__in=shown).exists()
    assert not Avvikelse.objects.filter(namnd=namnd, closed_on__lte=day, pk__in=shown).exists()


def test_the_compiled_report_reads_only_the_cases_it_shows(august, municipality):
    _grow(municipality, august.budget_year)
    read = []

    def seen(sender, instance, **kwargs):
        read.append(instance.pk)

    post_init.connect(seen, sender=Avvikelse)
    try:
        contents = assemble(august, _sections(august), user=None, compiled=True)
    finally:
        post_init.disconnect(seen, sender=Avvikelse)
    shown = [row.case.pk for content in contents for row in content.cases]
    assert shown and sorted(read) == sorted(shown)


def test_a_case_in_the_report_names_its_namnd_and_year_without_more_queries(august):
    sections = _sections(august)
    contents = assemble(august, sections, user=None, compiled=True)
    rows = [row for content in contents for row in content.cases]
    assert rows
    with CaptureQueriesContext(connection) as captured:
        names = [str(row.case) for row in rows]
    assert len(captured) == 0
    assert all(names)


def test_the_compiled_report_costs_the_same_queries_at_two_sizes(client, login, august,
                                                                 municipality):
    login("kommundirektor")
    url = "/rapporter/2026-aug/"
    _captured(client, url)  # the first request of a session reads a few rows once
    demo = _captured(client, url)
    _grow(municipality, august.budget_year)
    grown = _captured(client, url)
    assert len(grown) == len(demo)
    assert sum(LAST_MONTH_SQL in sql for sql in grown) == 1


@pytest.mark.parametrize("tail", ["", "andringar/"])
def test_a_sections_pages_cost_the_same_queries_at_two_sizes(client, login, august,
                                                              municipality, tail):
    login("bun.forvaltningschef")
    url = f"/rapporter/2026-aug/{municipality['bun'].pk}/{tail}"
    _captured(client, url)
    demo = _captured(client, url)
    _grow(municipality, august.budget_year)
    assert len(_captured(client, url)) == len(demo)


def test_the_changes_page_reads_the_years_outcome_once_for_both_reports(client, login,
                                                                        august, municipality):
    login("bun.forvaltningschef")
    queries = _captured(client, f"/rapporter/2026-aug/{municipality['bun'].pk}/andringar/")
    # The previous report (April) is of the same year: its last month and outcome are shared.
    assert sum(LAST_MONTH_SQL in sql for sql in queries) == 1
    assert sum(OUTCOME_BY_MONTH_SQL in sql for sql in queries) == 1


def test_the_changes_page_shows_the_same_rows_as_assembling_each_report_alone(august,
                                                                              municipality):
    section = next(s for s in _sections(august) if s.namnd == municipality["bun"])
    previous = reports.previous_section(section)
    assert previous is not None
    alone = comparison(assemble(august, [section], user=None)[0],
                       assemble(previous.period, [previous], user=None)[0])
    assert changes_since(section, previous) == alone
    assert changes_since(section, None) == []
