"""KS's register of cases is paged and filtered in the query (issue: big-city scale): at most
one page of cases, the same queries at demo size and with many more cases, and the Excel
export keeps giving every filtered case."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from deviations.models import Avvikelse, CaseKind, CaseStatus
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind
from styrmodell.paging import PER_PAGE

URL = "/avvikelser/"
MANY = PER_PAGE + 25
DAY = dt.date(2026, 11, 2)


def many_cases(namnd, count: int = MANY, status: str = CaseStatus.CLOSED) -> None:
    """Investment cases without a project (the register shows them all the same)."""
    year = BudgetYear.objects.get(year=2026)
    Avvikelse.objects.bulk_create(
        Avvikelse(kind=CaseKind.INVESTMENT, namnd=namnd, budget_year=year, period="okt",
                  status=status, opened_on=DAY, budget_amount=Decimal("1000000"),
                  forecast_amount=Decimal("1200000"), ksau_due=DAY,
                  closed_on=DAY if status == CaseStatus.CLOSED else None)
        for _ in range(count))


def shown(response) -> list[Avvikelse]:
    return [row.case for row in response.context["page"].object_list]


def test_the_register_shows_one_page_and_says_how_many(client, login, municipality):
    many_cases(municipality["kfn"])
    login("ks.ordforande")
    response = client.get(URL)
    total = Avvikelse.objects.count()
    assert len(shown(response)) == PER_PAGE
    assert response.context["page"].paginator.count == total
    assert f"Visar 1–50 av {total}" in response.content.decode()
    last = client.get(URL, {"sida": response.context["page"].paginator.num_pages})
    assert len(shown(last)) == total - PER_PAGE * (last.context["page"].number - 1)


@pytest.mark.parametrize("name", ["namnd", "status", "kind", "year"])
def test_a_filter_keeps_only_the_matching_cases(client, login, municipality, name):
    many_cases(municipality["kfn"], count=5)
    login("ks.ordforande")
    value = {"namnd": municipality["kfn"].pk, "status": CaseStatus.CLOSED,
             "kind": CaseKind.INVESTMENT, "year": 2026}[name]
    response = client.get(URL, {name: value})
    cases = shown(response)
    assert cases
    for case in cases:
        found = {"namnd": case.namnd_id, "status": case.status, "kind": case.kind,
                 "year": case.budget_year.year}[name]
        assert found == value


def test_only_overdue_keeps_the_overdue_cases(client, login, municipality):
    many_cases(municipality["kfn"], count=3, status=CaseStatus.OPEN)
    login("ks.ordforande")
    response = client.get(URL, {"forsenade": "on"})
    rows = response.context["page"].object_list
    assert rows and all(row.overdue for row in rows)


def test_the_paging_links_keep_the_filters(client, login, municipality):
    many_cases(municipality["kfn"])
    login("ks.ordforande")
    page = client.get(URL, {"namnd": municipality["kfn"].pk}).content.decode()
    assert f'href="?namnd={municipality["kfn"].pk}&amp;sida=2"' in page


def test_the_query_count_is_the_same_with_many_more_cases(
        client, login, municipality, django_assert_max_num_queries):
    login("revisor")
    with django_assert_max_num_queries(40) as demo:
        assert client.get(URL).status_code == 200
    many_cases(municipality["kfn"], count=3 * PER_PAGE)
    with django_assert_max_num_queries(len(demo.captured_queries)):
        response = client.get(URL, {"sida": 2})
    assert len(shown(response)) == PER_PAGE


def test_the_excel_export_holds_every_filtered_case_whatever_the_page(client, login,
                                                                     municipality):
    many_cases(municipality["kfn"])
    login("ks.ordforande")
    response = client.get(URL, {"namnd": municipality["kfn"].pk, "sida": 2, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(rows) == Avvikelse.objects.filter(namnd=municipality["kfn"]).count() >= MANY


def test_the_export_link_leaves_the_page_out(client, login, municipality):
    many_cases(municipality["kfn"])
    login("ks.ordforande")
    page = client.get(URL, {"status": CaseStatus.CLOSED, "sida": 2}).content.decode()
    assert 'href="?status=stangt&amp;format=xlsx"' in page


def test_the_register_needs_login_whatever_the_filter(client, municipality):
    assert client.get(URL, {"status": CaseStatus.OPEN}).status_code == 302


def _python_order(cases, today):
    """The register's order as the case's own obligations (deadlines.py) state it."""
    from deviations.deadlines import is_overdue, next_deadline

    return sorted(cases, key=lambda case: (not is_overdue(case, today),
                                           case.status != CaseStatus.OPEN,
                                           next_deadline(case, today) or dt.date.max, -case.pk))


def test_d2_d3_d5_d7_the_register_orders_in_the_database_as_the_obligations_say(
        municipality):
    """Deficits with and without measures, decided or not, KSAU told or not, investments with
    the nämnd told or not, open and closed, and cases with no deadline at all."""
    from deviations.deadlines import is_overdue
    from deviations.models import Atgard
    from deviations.selectors import case_register
    from styrmodell.models import CalendarEvent, User

    year = BudgetYear.objects.get(year=2026)
    meeting = CalendarEvent.objects.filter(date__isnull=False).order_by("date").first()
    writer = User.objects.get(username="bun.forvaltningschef")
    near, far = DAY + dt.timedelta(days=3), DAY + dt.timedelta(days=40)
    past = DAY - dt.timedelta(days=5)
    variants = []
    for status in (CaseStatus.OPEN, CaseStatus.CLOSED):
        for measures_due in (None, past, far):
            for ksau_due, informed in ((None, None), (near, None), (past, past), (past, None)):
                variants.append(Avvikelse(
                    kind=CaseKind.DEFICIT, measures_due=measures_due, ksau_due=ksau_due,
                    ksau_informed_on=informed, decision_meeting=meeting if measures_due else None,
                    decided_on=past if measures_due == far else None, status=status))
                variants.append(Avvikelse(
                    kind=CaseKind.INVESTMENT, ksau_due=ksau_due or far, ksau_informed_on=informed,
                    namnd_informed_on=past if measures_due else None, status=status))
    for number, case in enumerate(variants):
        # One open deficit per nämnd and year: each case its own nämnd.
        case.namnd = OrganisationUnit.objects.create(
            name=f"Nämnd {number}", kind=UnitKind.NAMND, parent=municipality["bun"].parent)
        case.budget_year, case.period = year, "okt"
        case.opened_on, case.budget_amount, case.forecast_amount = past, Decimal(1), Decimal(2)
    created = Avvikelse.objects.bulk_create(variants)
    Atgard.objects.bulk_create(
        Atgard(case=case, description="Vakans", expected_effect=Decimal(1), responsible="Chef",
               written_by=writer)
        for case in created[::3] if case.kind == CaseKind.DEFICIT)
    for today in (past, DAY, far + dt.timedelta(days=1)):
        in_sql = list(case_register(cases=Avvikelse.objects.all(), today=today))
        assert [case.pk for case in in_sql] == [case.pk for case in _python_order(in_sql, today)]
        overdue = list(case_register(cases=Avvikelse.objects.all(), today=today,
                                     only_overdue=True))
        assert {case.pk for case in overdue} == {case.pk for case in in_sql
                                                 if is_overdue(case, today)}
