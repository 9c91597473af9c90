"""The follow-up pages: overview and nämnd figures, writing a forecast per role, query counts,
and the Excel exports of the follow-up and frame tables."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget.followup.selectors import municipality_followup, namnd_followup
from budget.ledger.totals import refresh_month_totals
from budget.models import Driftbudgetram, FrameStage, Konto, Prognos, Utfall, Verksamhet
from styrmodell.models import BudgetYear
from styrmodell.templatetags.styrmodell_tags import tkr
from styrmodell.versioning import STALE_MESSAGE, current_version

NBSP = "\u00a0"


def text(response) -> str:
    return response.content.decode().replace(NBSP, " ").replace("&nbsp;", " ")


@pytest.fixture
def small_year(municipality, unit):
    """2027 with hand-made figures for Kultur- och fritidsnämnden only."""
    year = BudgetYear.objects.get(year=2027)
    Driftbudgetram.objects.update_or_create(namnd=unit("kfn"), budget_year=year,
                                            stage="beslutad",
                                            defaults={"total": Decimal("1000000")})
    [bibliotek, fritid, *_] = Verksamhet.objects.filter(namnd=unit("kfn")).order_by("code")
    salaries, fees = Konto.objects.get(number="5010"), Konto.objects.get(number="3110")
    for verksamhet, konto, month, amount in [
        (bibliotek, salaries, 1, "100000"), (bibliotek, fees, 1, "-20000"),
        (fritid, salaries, 2, "90000"),
    ]:
        Utfall.objects.create(namnd=unit("kfn"), verksamhet=verksamhet, konto=konto, year=2027,
                              month=month, amount=Decimal(amount))
    refresh_month_totals(year=2027)
    Prognos.objects.create(namnd=unit("kfn"), budget_year=year, period="feb",
                           total=Decimal("1012345"), written_at="2027-03-10T10:00Z")
    return year


def test_b2_overview_numbers_against_hand_computed_ones(small_year, unit, login, client):
    overview = municipality_followup(budget_year=small_year)
    [row] = [row for row in overview.rows if row.namnd == unit("kfn")]
    assert row.frame == Decimal("1000000")
    assert row.outcome_to_date == Decimal("170000")
    assert row.variance.amount == Decimal("-12345")
    assert row.variance.percent == Decimal("-1.2345")
    assert overview.last_month == 2
    login("revisor")
    page = text(client.get("/budget/uppfoljning/2027/"))
    for expected in ["1 000 tkr", "170 tkr", "1 012 tkr", "−12 tkr", "−1,23 %", "Underskott",
                     "t.o.m. februari", "Summa"]:
        assert expected in page, expected


def test_municipality_totals_of_the_demo_year(municipality, login, client):
    overview = municipality_followup(budget_year=BudgetYear.objects.get(year=2026))
    october = sum(Prognos.objects.filter(budget_year__year=2026, period="okt")
                  .values_list("total", flat=True))
    assert overview.frame_total == sum(_frames_2026().values())
    assert overview.forecast_total == october
    assert overview.variance.amount == overview.frame_total - october < 0
    assert overview.last_month == 10 and overview.complete
    login("bun.ledamot")
    page = text(client.get("/budget/uppfoljning/2026/"))
    for figure in (tkr(overview.frame_total), tkr(october), overview.variance.percent_text):
        assert figure.replace(NBSP, " ") in page, figure
    assert "−1,60 %" in page and "−0,90 %" in page
    assert page.count(">Underskott<") == 3  # SN, BUN and the municipality's total


def test_namnd_page_monthly_outcome_cumulative_and_straight_line_budget(small_year, unit):
    data = namnd_followup(namnd=unit("kfn"), budget_year=small_year)
    assert [row.outcome for row in data.months[:3]] == [Decimal("80000"), Decimal("90000"),
                                                         None]
    assert data.months[1].cumulative == Decimal("170000")
    assert data.months[1].budget_cumulative == Decimal("1000000") * 2 / 12
    assert data.outcome_to_date == Decimal("170000")
    by_code = {row.verksamhet.code: row.outcome_to_date for row in data.verksamheter}
    assert by_code["300"] == Decimal("80000") and by_code["310"] == Decimal("90000")


def test_f1_namnd_page_shows_chart_table_forecasts_of_each_follow_up_and_lines(
        municipality, unit, login, client):
    login("sn.ordforande")
    page = text(client.get(f"/budget/uppfoljning/2026/{unit('sn').pk}/"))
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in page
    assert "<title id=\"utfallsdiagram-titel\">" in page
    assert "Ram jämnt fördelad" in page  # the legend
    assert "Uppföljning per februari" in page and "Delårsrapport per augusti" in page
    assert "Sofia Fors" in page  # who wrote the autumn forecasts
    assert "Individ- och familjeomsorg" in page
    assert "−1,60 %" in page and "Underskott" in page
    assert "beslutade ram för 2026 med dess nuvarande belopp" in page
    assert "Spara prognosen" not in page  # politicians read and comment (P2)
    assert "Skicka inlägg" in page


def _form_for(client, url):
    page = client.get(url).content.decode()
    marker = 'name="version" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


@pytest.mark.parametrize("username", ["ekonom", "ekonomichef", "bun.forvaltningschef"])
def test_p1_the_finance_office_and_buns_forvaltningschef_write_buns_forecast(
        username, unit, login, client):
    login(username)
    bun = unit("bun")
    version = _form_for(client, f"/budget/uppfoljning/2026/{bun.pk}/?period=okt")
    response = client.post(f"/budget/uppfoljning/2026/{bun.pk}/prognos/okt/",
                           {"version": version, "total": "328 000 000", "comment": "Ny bild."})
    assert response.status_code == 302
    forecast = Prognos.objects.get(namnd=bun, budget_year__year=2026, period="okt")
    assert forecast.total == Decimal("328000000") and forecast.written_by.username == username
    assert not forecast.lines.exists()


@pytest.mark.parametrize("username", ["sn.forvaltningschef", "bun.ordforande", "bun.ledamot",
                                      "ks.ordforande", "revisor", "enhetschef"])
def test_p2_p5_others_may_not_write_buns_forecast(username, unit, login, client):
    login(username)
    bun = unit("bun")
    before = Prognos.objects.get(namnd=bun, budget_year__year=2026, period="okt").total
    for period in ("okt", "ar"):  # change one and add one
        response = client.post(f"/budget/uppfoljning/2026/{bun.pk}/prognos/{period}/",
                               {"version": "", "total": "1"})
        assert response.status_code == 403
    assert Prognos.objects.get(namnd=bun, budget_year__year=2026, period="okt").total == before


def test_forecast_by_verksamhet_through_the_form(unit, login, client):
    login("ekonom")
    kfn = unit("kfn")
    fields = {f"verksamhet_{v.pk}": amount for v, amount in zip(
        Verksamhet.objects.filter(namnd=kfn).order_by("code"),
        ["8 000 000", "10 500 000,50", "4200000"], strict=True)}
    response = client.post(f"/budget/uppfoljning/2026/{kfn.pk}/prognos/ar/",
                           {"version": "", **fields})
    assert response.status_code == 302
    forecast = Prognos.objects.get(namnd=kfn, budget_year__year=2026, period="ar")
    assert forecast.total == Decimal("22700000.50") and forecast.lines.count() == 3


def test_the_second_of_two_concurrent_edits_is_refused_on_the_page(unit, login, client):
    bun = unit("bun")
    url = f"/budget/uppfoljning/2026/{bun.pk}/?period=okt"
    login("ekonom")
    opened = _form_for(client, url)
    login("bun.forvaltningschef")
    assert _form_for(client, url) == opened
    client.post(f"/budget/uppfoljning/2026/{bun.pk}/prognos/okt/",
                {"version": opened, "total": "329000000"})
    login("ekonom")
    response = client.post(f"/budget/uppfoljning/2026/{bun.pk}/prognos/okt/",
                           {"version": opened, "total": "327000000"})
    assert response.status_code == 200
    assert STALE_MESSAGE in response.content.decode()
    assert Prognos.objects.get(namnd=bun, budget_year__year=2026, period="okt").total == \
        Decimal("329000000")


def test_a_closed_year_shows_no_form(unit, login, client):
    login("ekonom")
    page = text(client.get(f"/budget/uppfoljning/2025/{unit('sn').pk}/"))
    assert "Spara prognosen" not in page and "är avslutat" in page
    response = client.post(f"/budget/uppfoljning/2025/{unit('sn').pk}/prognos/okt/",
                           {"version": "", "total": "1"})
    assert "avslutat" in response.content.decode()


def _more_data(unit, year: int, factor: int) -> None:
    """Many more outcome rows and forecasts, to show the queries do not grow with them."""
    budget_year = BudgetYear.objects.get(year=year)
    konton = list(Konto.objects.all())
    rows = []
    for verksamhet in Verksamhet.objects.select_related("namnd"):
        for month in range(1, 11):
            rows += [Utfall(namnd=verksamhet.namnd, verksamhet=verksamhet, konto=konto,
                            year=year, month=month, amount=Decimal(factor))
                     for konto in konton]
    Utfall.objects.bulk_create(rows * factor)
    refresh_month_totals(year=year)
    for key in ("ks", "bun", "sn", "sbn", "kfn"):
        Prognos.objects.get_or_create(namnd=unit(key), budget_year=budget_year, period="ar",
                                      defaults={"total": Decimal("1"),
                                                "written_at": "2026-11-20T10:00Z"})


def test_overview_queries_do_not_grow_with_the_data(unit, login, client,
                                                    django_assert_max_num_queries):
    login("ekonom")
    with django_assert_max_num_queries(12) as small:
        assert client.get("/budget/uppfoljning/2026/").status_code == 200
    _more_data(unit, 2026, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/budget/uppfoljning/2026/").status_code == 200


def test_namnd_page_queries_do_not_grow_with_the_data(unit, login, client,
                                                      django_assert_max_num_queries):
    login("sn.forvaltningschef")
    url = f"/budget/uppfoljning/2026/{unit('sn').pk}/"
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    _more_data(unit, 2026, 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def _frames_2026() -> dict[str, Decimal]:
    """The decided 2026 frames as they stand: KF's frames plus the year's grants (B7) and
    salary shares (B10)."""
    return dict(Driftbudgetram.objects.filter(budget_year__year=2026, stage=FrameStage.DECIDED)
                .values_list("namnd__name", "total"))


def _frame_2026(name: str) -> Decimal:
    return _frames_2026()[name]


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.getvalue()))


def _rows(sheet):
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_overview_excel_export_holds_the_table_with_totals(municipality, login, client):
    login("revisor")
    workbook = _workbook(client.get("/budget/uppfoljning/2026/?format=xlsx"))
    rows = _rows(workbook.active)
    header = rows.index(next(r for r in rows if r[0] == "Nämnd"))
    assert rows[header][1:5] == ("Beslutad ram", "Utfall t.o.m. oktober", "Senaste prognos",
                                 "Helårsprognos")
    by_name = {row[0]: row for row in rows[header + 1:]}
    sn = by_name["Socialnämnden"]
    frame = _frame_2026("Socialnämnden")
    forecast = (frame * Decimal("1.016")).quantize(Decimal(1))  # the demo's −1,60 %
    assert sn[1] == frame and sn[4] == forecast and sn[5] == frame - forecast
    assert Decimal(str(sn[6])) == Decimal("-1.60") and sn[7] == "Underskott"
    assert by_name["Summa"][1] == sum(_frames_2026().values())
    assert by_name["Summa"][4] == sum(Prognos.objects.filter(budget_year__year=2026,
                                                             period="okt")
                                      .values_list("total", flat=True))


def test_namnd_excel_export_holds_months_forecasts_and_verksamheter(unit, login, client):
    login("bun.forvaltningschef")
    workbook = _workbook(client.get(f"/budget/uppfoljning/2026/{unit('bun').pk}/?format=xlsx"))
    assert workbook.sheetnames == ["Månader", "Prognoser", "Verksamheter"]
    months = _rows(workbook["Månader"])
    january = next(row for row in months if row[0] == "januari")
    december = next(row for row in months if row[0] == "december")
    assert january[1] == january[2] and january[1] > 0
    assert december[1] is None and december[3] == _frame_2026("Barn- och utbildningsnämnden")
    forecasts = _rows(workbook["Prognoser"])
    assert [row[0] for row in forecasts[-4:]] == [
        "Uppföljning per februari", "Uppföljning per april", "Delårsrapport per augusti",
        "Uppföljning per oktober"]
    october = Prognos.objects.get(namnd=unit("bun"), budget_year__year=2026, period="okt").total
    assert forecasts[-1][1] == october and forecasts[-1][4] == "Björn Falk"
    lines = _rows(workbook["Verksamheter"])
    assert sum(row[3] for row in lines if row[0] in {"400", "410", "420", "430"}) == october


def test_frame_overview_and_build_up_export_to_excel(unit, login, client):
    login("ks.ordforande")
    overview = _rows(_workbook(client.get("/budget/ramar/2026/excel/")).active)
    # the 2026 frames were decided without plan years: those columns stay empty (B2)
    assert ("Socialnämnden", None, None, _frame_2026("Socialnämnden"), None, None) in overview
    assert overview[-1] == ("Summa", None, None, sum(_frames_2026().values()), None, None)
    assert "/budget/ramar/2027/excel/" in client.get("/budget/ramar/2027/").content.decode()
    detail = _workbook(client.get(f"/budget/ramar/2027/{unit('bun').pk}/excel/"))
    rows = _rows(detail.active)
    assert rows[-1][0] == "Ram" and rows[-1][2] == sum(row[2] for row in rows
                                                        if row[0] not in ("Ram", "Del")
                                                        and isinstance(row[2], (int, float)))
    assert any(row[0] == "Ram föregående år"
               and row[2] == _frame_2026("Barn- och utbildningsnämnden") for row in rows)


def test_version_in_form_is_the_forecasts_current_version(unit, login, client):
    login("ekonom")
    forecast = Prognos.objects.get(namnd=unit("sn"), budget_year__year=2026, period="aug")
    assert _form_for(client, f"/budget/uppfoljning/2026/{unit('sn').pk}/?period=aug") == \
        current_version(forecast)
