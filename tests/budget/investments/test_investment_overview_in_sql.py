"""The investment overview sums in the database and reads only the page it shows (issue:
big-city scale): its figures are those the rule functions give project by project, its queries
and its page stay the same with many more projects, and the export still holds them all."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Q
from openpyxl import load_workbook

from budget.investments import services as investments
from budget.models import Anslag, Investeringsprojekt, ProjectKind, ProjectStatus
from styrmodell.paging import PER_PAGE

from .test_investments import forecast, make_project

D = Decimal
URL = "/budget/investeringar/2026/"


def project_row(project, year: int) -> investments.ProjectRow:
    appropriation = sum((a.amount for a in project.appropriations.all() if a.year == year), D(0))
    spent = sum((o.amount for o in project.outcomes.all() if o.year == year), D(0))
    return investments.ProjectRow(project, appropriation, spent,
                                  investments.spent_to_date(project),
                                  investments.expected_overrun(project))


def reference(year: int, projects=None):
    """The overview as it was made before the sums moved into the database: every project
    fetched with its lists and each figure from the rule functions, in Python."""
    capital_years = [year, year + 1, year + 2]
    in_year = Q(start_year__lte=year, end_year__gte=year)
    queryset = investments.visible_projects(None).filter(
        in_year | investments.may_be_written_off_in(capital_years))
    if projects is not None:
        queryset = queryset & projects
    fetched = list(investments.with_follow_up(queryset.order_by("namnd__path", "name", "pk")))
    of_year = [project for project in fetched if project.start_year <= year <= project.end_year]
    rows = [project_row(project, year) for project in of_year]
    totals = defaultdict(Decimal)
    for row in rows:
        totals["budget"] += row.project.total_budget
        totals["appropriation"] += row.appropriation
        totals["spent"] += row.spent
        totals["spent_to_date"] += row.spent_to_date
        totals["forecast"] += (row.forecast if row.forecast is not None
                               else row.project.total_budget)
    capital_rows, capital_totals = investments.capital_costs_by_namnd(
        fetched, capital_years, investments.all_rates())
    exploitation = [investments.exploitation_totals(project) for project in of_year
                    if project.is_exploitation]
    return rows, dict(totals), capital_rows, capital_totals, exploitation


def line(row):
    overrun = row.overrun
    return (row.project.pk, row.appropriation, row.spent, row.spent_to_date, row.forecast,
            overrun and (overrun.amount, overrun.percent_display, overrun.forecast_made_on,
                         overrun.forecast_period, overrun.spent_to_date))


def lifetime(row):
    return (row.project.pk, row.costs, row.income, row.net, row.spent, row.received,
            row.outcome_net)


def assert_same_as_reference(year: int, projects=None) -> None:
    rows, totals, capital_rows, capital_totals, exploitation = reference(year, projects)
    overview = investments.year_overview(user=None, year=year, projects=projects)
    assert [line(row) for row in overview.rows] == [line(row) for row in rows]
    assert len(overview.rows) == len(rows)
    assert overview.totals == totals
    assert ([(row.namnd, row.amounts) for row in overview.capital_rows]
            == [(row.namnd, row.amounts) for row in capital_rows])
    assert overview.capital_totals == capital_totals
    assert ([lifetime(row) for row in investments.exploitation_rows(overview.rows)]
            == [lifetime(row) for row in exploitation])


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028])
def test_b8_the_demo_overview_has_the_figures_of_the_rule_functions(municipality, year):
    assert_same_as_reference(year)


@pytest.mark.parametrize("filters", [
    {"namnd": "bun"}, {"namnd": "sbn"}, {"kind": ProjectKind.EXPLOITATION},
    {"kind": ProjectKind.REINVESTMENT}, {"status": ProjectStatus.RUNNING},
    {"status": ProjectStatus.PROPOSAL}])
def test_b8_a_filtered_demo_overview_has_the_figures_of_the_rule_functions(unit, filters):
    query = {f"{name}_id" if name == "namnd" else name: unit(value).pk if name == "namnd"
             else value for name, value in filters.items()}
    assert_same_as_reference(2026, Investeringsprojekt.objects.filter(**query))


def test_b8_capital_costs_in_the_database_round_and_activate_as_the_schedule_does(unit):
    """Tranches of odd amounts (the last year takes the remainder), an appropriation after
    the end year, a project taken into use early, a finished one still written off, two
    projects of one nämnd (internränta rounded per project) and a proposal (no cost)."""
    kfn = unit("kfn")
    make_project(kfn, name="Udda belopp", budget={2025: "1000001", 2026: "333333"},
                 depreciation=3)
    moved = make_project(kfn, name="Flyttat anslag", budget={2025: "700000", 2026: "10"},
                         depreciation=7)
    Anslag.objects.create(project=moved, year=2028, amount=D("250001"))
    make_project(kfn, name="Tas i bruk tidigt", budget={2024: "500000", 2027: "90001"},
                 in_use=2025, depreciation=5)
    make_project(unit("sbn"), name="Avslutat", budget={2019: "1234567"}, depreciation=9)
    make_project(kfn, name="Förslag", budget={2025: "9999999"}, decided=False)
    for year in range(2024, 2031):
        assert_same_as_reference(year)


def test_b8_the_latest_forecast_is_the_latest_follow_up_of_the_latest_year(unit):
    project = make_project(unit("kfn"), name="Många prognoser",
                           budget={2025: "1000000", 2026: "1000000"})
    forecast(project, "2300000", year=2026, period="apr")
    forecast(project, "2100000", year=2026, period="okt")
    forecast(project, "2200000", year=2026, period="aug")
    forecast(project, "1900000", year=2025, period="ar")
    [row] = [row for row in investments.year_overview(user=None, year=2026).rows
             if row.project == project]
    assert row.forecast == D("2100000")
    assert row.overrun.forecast_period == "okt"
    assert_same_as_reference(2026)


def exploitation_projects(namnd, count: int) -> None:
    Investeringsprojekt.objects.bulk_create(
        Investeringsprojekt(namnd=namnd, name=f"Markområde {number:03}",
                            kind=ProjectKind.EXPLOITATION, status=ProjectStatus.RUNNING,
                            total_budget=D("1000000"), start_year=2026, end_year=2027)
        for number in range(count))


def exploitation_table_rows(content: str) -> int:
    table = content.split('id="expltabell"', 1)[1].split("</table>", 1)[0]
    return table.count("<tr>") - 1  # the header


def test_the_page_shows_the_exploatering_of_its_own_projects_only(login, client, unit):
    exploitation_projects(unit("sbn"), 3 * PER_PAGE)
    login("ekonom")
    response = client.get(URL, {"kind": ProjectKind.EXPLOITATION})
    content = response.content.decode()
    page = response.context["page"]
    assert page.paginator.count > PER_PAGE
    assert exploitation_table_rows(content) == len(page.object_list) == PER_PAGE
    assert "Excel-exporten har alla" in content


def test_the_page_stays_the_same_size_with_many_more_projects(login, client, unit):
    exploitation_projects(unit("sbn"), PER_PAGE)
    login("ekonom")
    some = len(client.get(URL).content)
    exploitation_projects(unit("kfn"), 4 * PER_PAGE)
    many = len(client.get(URL).content)
    assert many < some * 1.05


def test_the_export_queries_are_the_same_with_many_more_projects(
        login, client, unit, django_assert_max_num_queries):
    login("ekonom")
    with django_assert_max_num_queries(15) as demo:
        assert client.get(f"{URL}excel/").status_code == 200
    exploitation_projects(unit("sbn"), 3 * PER_PAGE)
    with django_assert_max_num_queries(len(demo.captured_queries)):
        response = client.get(f"{URL}excel/")
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    names = [row[1] for row in workbook["Exploatering hela livet"].iter_rows(values_only=True)]
    assert sum(1 for name in names if str(name).startswith("Markområde ")) == 3 * PER_PAGE


def test_a_report_sections_lines_are_those_of_the_rule_functions(unit):
    namnder = [unit("bun").pk, unit("sbn").pk]
    rows = [project_row(project, 2026) for project in investments.with_follow_up(
        Investeringsprojekt.objects.filter(start_year__lte=2026, end_year__gte=2026,
                                           namnd_id__in=namnder)
        .order_by("namnd__path", "name", "pk"))]
    assert rows
    assert ([line(row) for row in investments.project_rows_of(user=None, year=2026,
                                                              namnd_ids=namnder)]
            == [line(row) for row in rows])


def test_the_page_reads_only_its_own_projects(login, client, unit, monkeypatch):
    exploitation_projects(unit("sbn"), 3 * PER_PAGE)
    made = []
    year_row = investments.year_row
    monkeypatch.setattr(investments, "year_row", lambda project: made.append(project)
                        or year_row(project))
    login("ekonom")
    response = client.get(URL, {"sida": 2})
    assert len(made) == len(response.context["page"].object_list) == PER_PAGE
