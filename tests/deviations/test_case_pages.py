"""The case pages as each side uses them (P1, P2): officials add measures, politicians decide."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget.followup.forecasts import ForecastVariance
from deviations import detection
from deviations.models import Avvikelse
from styrmodell.models import BudgetYear

from .test_cases import DAY


@pytest.fixture
def bun_case(municipality):
    bun = municipality["bun"]
    Avvikelse.objects.filter(namnd=bun).delete()
    return detection.open_deficit_case(variance=ForecastVariance(
        namnd=bun, budget_year=BudgetYear.objects.get(year=2026), period="okt",
        frame=Decimal("324900000"), forecast=Decimal("330000000")), today=DAY)


def test_d2_the_namnds_forvaltningschef_adds_a_measure(client, login, bun_case):
    login("bun.forvaltningschef")
    response = client.post(f"/avvikelser/{bun_case.pk}/atgard/", {
        "description": "Samordna vikarier mellan skolorna", "expected_effect": "1 250 000",
        "responsible": "Rektorerna"})
    assert response.status_code == 302
    assert bun_case.measures.get().expected_effect == Decimal("1250000")
    page = client.get(bun_case.get_absolute_url()).content.decode()
    assert "Samordna vikarier" in page and "1\xa0250 tkr" in page


@pytest.mark.parametrize("username", ["sn.forvaltningschef", "bun.ordforande", "revisor"])
def test_p1_others_may_not_add_measures_to_bun_s_case(client, login, bun_case, username):
    login(username)
    response = client.post(f"/avvikelser/{bun_case.pk}/atgard/", {
        "description": "x", "expected_effect": "1", "responsible": "x"})
    assert response.status_code == 403
    assert not bun_case.measures.exists()


def test_p2_the_forvaltningschef_may_not_record_the_namnds_decision(client, login, bun_case):
    login("bun.forvaltningschef")
    response = client.post(f"/avvikelser/{bun_case.pk}/beslut/", {
        "decided_on": "2026-11-16", "paragraph": "5", "text": "x"})
    assert response.status_code == 403


def test_d3_a_decision_without_measures_is_refused_with_a_message(client, login, bun_case):
    login("bun.ordforande")
    response = client.post(f"/avvikelser/{bun_case.pk}/beslut/", {
        "decided_on": "2026-11-16", "paragraph": "5", "text": "Åtgärderna antas"})
    assert response.status_code == 200
    assert "inte redovisat några åtgärder" in response.content.decode()
    bun_case.refresh_from_db()
    assert bun_case.decided_on is None


def test_the_register_lists_cases_and_exports_them(client, login, bun_case):
    login("ks.ordforande")
    page = client.get("/avvikelser/?status=oppen").content.decode()
    assert "Barn- och utbildningsnämnden" in page
    response = client.get("/avvikelser/?status=oppen&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    ours = next(row for row in rows if row[0] == bun_case.pk)
    assert ours[2] == "Barn- och utbildningsnämnden"
    assert ours[9] == Decimal("324900000") - Decimal("330000000")


def test_the_register_shows_overdue_cases_first(client, login, bun_case, municipality):
    kfn = municipality["kfn"]
    Avvikelse.objects.filter(namnd=kfn).delete()
    late = detection.open_deficit_case(variance=ForecastVariance(
        namnd=kfn, budget_year=BudgetYear.objects.get(year=2026), period="okt",
        frame=Decimal("22700000"), forecast=Decimal("24000000")), today=DAY.replace(day=1))
    Avvikelse.objects.filter(pk=late.pk).update(measures_due=DAY.replace(day=2))
    login("ekonomichef")
    page = client.get("/avvikelser/").content.decode()
    assert page.index(f"/avvikelser/{late.pk}/") < page.index(f"/avvikelser/{bun_case.pk}/")


def test_the_register_costs_the_same_queries_with_more_cases(client, login, municipality,
                                                            django_assert_max_num_queries):
    login("revisor")
    with django_assert_max_num_queries(40) as few:
        assert client.get("/avvikelser/").status_code == 200
    year = BudgetYear.objects.get(year=2026)
    for key in ("bun", "kfn", "sbn", "ks"):
        Avvikelse.objects.filter(namnd=municipality[key], kind="underskott").delete()
        variance = ForecastVariance(namnd=municipality[key], budget_year=year, period="okt",
                                    frame=Decimal("1000000"), forecast=Decimal("1100000"))
        detection.open_deficit_case(variance=variance, today=DAY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/avvikelser/").status_code == 200
