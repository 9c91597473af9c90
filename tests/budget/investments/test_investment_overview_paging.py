"""The investment overview is paged and filtered in the query (issue: big-city scale): at most
one page of projects, the same queries at demo size and with many more projects, and the Excel
export keeps giving the whole filtered list."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from budget.investments import services as investments
from budget.models import Investeringsprojekt, ProjectKind, ProjectStatus
from styrmodell.paging import PER_PAGE

URL = "/budget/investeringar/2026/"
MANY = PER_PAGE + 25


def many_projects(namnd, count: int = MANY, **fields) -> None:
    defaults = {"kind": ProjectKind.NEW, "status": ProjectStatus.DECIDED,
                "total_budget": Decimal("1000000"), "start_year": 2026, "end_year": 2026,
                "depreciation_years": 10, "consequences": "Inga."}
    Investeringsprojekt.objects.bulk_create(
        Investeringsprojekt(namnd=namnd, name=f"Massprojekt {number:03}", **{**defaults, **fields})
        for number in range(count))


def shown(response) -> list[Investeringsprojekt]:
    return [row.project for row in response.context["page"].object_list]


def test_the_overview_shows_one_page_of_projects_and_says_how_many(login, client, unit):
    many_projects(unit("kfn"))
    login("ekonom")
    response = client.get(URL)
    page = response.context["page"]
    assert len(shown(response)) == PER_PAGE
    assert page.paginator.count == len(response.context["overview"].rows) > PER_PAGE
    assert f"Visar 1–50 av {page.paginator.count}" in response.content.decode()
    second = client.get(URL, {"sida": 2})
    assert not {p.pk for p in shown(second)} & {p.pk for p in shown(response)}


def test_the_totals_cover_every_page(login, client, unit):
    many_projects(unit("kfn"))
    login("ekonom")
    response = client.get(URL)
    totals = response.context["overview"].totals
    everything = investments.year_overview(user=None, year=2026).rows
    assert totals["budget"] == sum(row.project.total_budget for row in everything)


@pytest.mark.parametrize("filters", [{"namnd": "kfn"}, {"kind": ProjectKind.EXPLOITATION},
                                     {"status": ProjectStatus.PROPOSAL}])
def test_a_filter_keeps_only_the_matching_projects(login, client, unit, filters):
    many_projects(unit("kfn"))
    many_projects(unit("sbn"), count=3, status=ProjectStatus.PROPOSAL)
    login("ekonom")
    query = {name: unit(value).pk if name == "namnd" else value
             for name, value in filters.items()}
    response = client.get(URL, query)
    rows = response.context["overview"].rows
    assert rows and len(rows) < len(investments.year_overview(user=None, year=2026).rows)
    for row in rows:
        for name, value in query.items():
            assert getattr(row.project, f"{name}_id" if name == "namnd" else name) == value


def test_the_namnd_filter_keeps_its_capital_costs_and_paging_links(login, client, unit):
    many_projects(unit("kfn"))
    login("ekonom")
    response = client.get(URL, {"namnd": unit("kfn").pk})
    overview = response.context["overview"]
    assert {row.namnd for row in overview.capital_rows} == {unit("kfn")}
    assert f'href="?namnd={unit("kfn").pk}&amp;sida=2"' in response.content.decode()


def test_an_unknown_filter_value_is_ignored_not_an_error(login, client):
    login("ekonom")
    response = client.get(URL, {"namnd": "999999", "status": "nej"})
    assert response.status_code == 200
    assert response.context["overview"].rows


def test_the_query_count_is_the_same_with_many_more_projects(
        login, client, unit, django_assert_max_num_queries):
    login("ekonom")
    with django_assert_max_num_queries(15) as demo:
        assert client.get(URL).status_code == 200
    many_projects(unit("kfn"), count=3 * PER_PAGE)
    with django_assert_max_num_queries(len(demo.captured_queries)):
        response = client.get(URL, {"sida": 2})
    assert len(shown(response)) == PER_PAGE


def test_the_excel_export_holds_every_filtered_project(login, client, unit):
    many_projects(unit("kfn"))
    login("ekonom")
    response = client.get(f"{URL}excel/", {"namnd": unit("kfn").pk, "sida": 2})
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Investeringar 2026"]
    names = [row[2] for row in sheet.iter_rows(min_row=1, values_only=True)]
    assert sum(1 for name in names if str(name).startswith("Massprojekt")) == MANY


def test_a_filter_never_widens_what_the_user_may_read(municipality, unit):
    many_projects(unit("kfn"), count=5)
    nobody = get_user_model().objects.create_user(username="utan.roll", password="x")
    visible = set(investments.visible_projects(nobody).values_list("pk", flat=True))
    overview = investments.year_overview(user=nobody, year=2026,
                                         projects=Investeringsprojekt.objects.all())
    assert {row.project.pk for row in overview.rows} <= visible


def test_the_page_needs_login_whatever_the_filter(client, unit):
    response = client.get(URL, {"namnd": unit("kfn").pk})
    assert response.status_code == 302
