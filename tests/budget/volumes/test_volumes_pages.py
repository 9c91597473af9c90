"""The volume pages (F1): every nämnd's volumes per follow-up, one nämnd's entry of outcome and
forecast, measures added, edited, copied and removed, per role and unit (P1, P2, P5), bad input
in Swedish, the Excel exports and the queries of the overview."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from budget.models import Volymmatt, Volymuppfoljning
from budget.volumes import services as volumes
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind

NBSP = "\u00a0"


def text(response) -> str:
    return response.content.decode().replace(NBSP, " ").replace("&nbsp;", " ")


def _version(client, url: str) -> str:
    page = client.get(url).content.decode()
    marker = 'name="version" value="'
    start = page.index(marker, page.index('id="volymformular"')) + len(marker)
    return page[start:page.index('"', start)]


def _measures(namnd, year=2026):
    return list(Volymmatt.objects.filter(namnd=namnd, budget_year__year=year)
                .order_by("position"))


def _rows(measures, values):
    """Form fields for outcome, forecast and comment of each measure."""
    data = {}
    for measure, (outcome, forecast, comment) in zip(measures, values, strict=False):
        data.update({f"outcome_{measure.pk}": outcome, f"forecast_{measure.pk}": forecast,
                     f"comment_{measure.pk}": comment})
    return data


# --- reading -----------------------------------------------------------------------------------


def test_f1_the_overview_shows_every_namnds_volumes_of_the_follow_up(municipality, login,
                                                                     client):
    login("revisor")
    page = text(client.get("/budget/volymer/2026/?period=aug"))
    for name in ("Kommunstyrelsen", "Barn- och utbildningsnämnden", "Socialnämnden",
                 "Samhällsbyggnadsnämnden", "Kultur- och fritidsnämnden"):
        assert name in page
    assert "Volymer per nämnd, delårsrapport per augusti 2026" in page
    assert "Placeringsdygn HVB, barn och unga" in page
    # HVB in August: budget 1 460, forecast 1 870 → +410 (+28,08 %), 410 × 4 200 kr.
    assert "+410" in page and "+28,08 %" in page and "+1 722 tkr" in page
    assert "−10" in page and "−3,17 %" in page  # kulturskolan: 305 against 315
    october = text(client.get("/budget/volymer/2026/?period=okt"))
    assert "Kultur- och fritidsnämnden</a> <span class=\"hint\">– inte inlagt" in october


def test_the_overview_defaults_to_the_latest_follow_up_reported(municipality, login, client):
    login("bun.ledamot")
    assert client.get("/budget/volymer/").url == "/budget/volymer/2026/"
    page = text(client.get("/budget/volymer/2026/"))
    assert '<span aria-current="page">Uppföljning per oktober</span>' in page


def test_f1_a_namnd_page_shows_the_table_the_forecasts_per_follow_up_and_b4(
        municipality, unit, login, client):
    login("bun.ordforande")
    page = text(client.get(f"/budget/volymer/2026/{unit('bun').pk}/?period=okt"))
    assert "Elever med tilläggsbelopp" in page and "+10" in page and "+1 850 tkr" in page
    assert "Ökningen av tilläggsbelopp är underskottets största orsak" in page
    assert "Helårsprognos per uppföljning" in page
    assert "Befolkning 2026 som nämndens volymtillskott följer" in page
    assert "2 686 tkr" in page and "3 358 tkr" in page  # 17 × 158 000 kr, and the total
    # Politicians read (P2): no form, no way to add a measure.
    assert "Spara volymerna" not in page and "Lägg till måttet" not in page
    assert "Volymerna lämnas av förvaltningen och ekonomiavdelningen" in page


def test_a_closed_year_is_read_not_written(municipality, unit, login, client):
    login("ekonom")
    sn = unit("sn")
    page = text(client.get(f"/budget/volymer/2025/{sn.pk}/?period=ar"))
    assert "Utfall helår" in page and "1 555" in page and "Spara volymerna" not in page
    assert "Budgetåret 2025 är avslutat" in page
    [hvb, *_] = _measures(sn, 2025)
    response = client.post(f"/budget/volymer/2025/{sn.pk}/uppfoljning/ar/",
                           {"version": "0", f"outcome_{hvb.pk}": "1"})
    assert "avslutat" in text(response)
    assert Volymuppfoljning.objects.get(measure=hvb, period="ar").outcome == Decimal("1555")


# --- writing, per role and unit ------------------------------------------------------------------


@pytest.mark.parametrize("username", ["bun.forvaltningschef", "ekonom", "ekonomichef"])
def test_p1_buns_forvaltningschef_and_the_finance_office_enter_buns_volumes(
        username, municipality, unit, login, client):
    login(username)
    bun = unit("bun")
    measures = _measures(bun)
    url = f"/budget/volymer/2026/{bun.pk}/?period=okt"
    version = _version(client, url)
    response = client.post(f"/budget/volymer/2026/{bun.pk}/uppfoljning/okt/", {
        "version": version,
        **_rows(measures, [("564", "566", "Två barn till i november."), ("1 192", "1193", ""),
                           ("43", "45", ""), ("359", "360", "")])})
    assert response.status_code == 302 and response.url.endswith("?period=okt#volymer")
    entry = Volymuppfoljning.objects.get(measure=measures[0], period="okt")
    assert (entry.outcome, entry.forecast) == (Decimal("564"), Decimal("566"))
    assert entry.comment == "Två barn till i november." and entry.written_by.username == username
    assert "Volymerna för uppföljning per oktober är sparade" in text(client.get(url))


@pytest.mark.parametrize("username", ["sn.forvaltningschef", "bun.ordforande", "bun.ledamot",
                                      "ks.ordforande", "revisor", "enhetschef", "kommundirektor"])
def test_p2_p5_others_may_not_write_buns_volumes(username, municipality, unit, login, client):
    login(username)
    bun = unit("bun")
    [first, *_] = _measures(bun)
    before = Volymuppfoljning.objects.get(measure=first, period="okt").forecast
    attempts = [
        client.post(f"/budget/volymer/2026/{bun.pk}/uppfoljning/okt/",
                    {"version": "0", **_rows([first], [("1", "1", "")])}),
        client.post(f"/budget/volymer/2026/{bun.pk}/nytt-matt/",
                    {"name": "Nytt", "unit": "st", "budget": "1"}),
        client.post(f"/budget/volymer/2026/{bun.pk}/kopiera/"),
        client.get(f"/budget/volymer/matt/{first.pk}/andra/"),
        client.post(f"/budget/volymer/matt/{first.pk}/andra/",
                    {"version": "", "name": "X", "unit": "st", "budget": "1"}),
        client.post(f"/budget/volymer/matt/{first.pk}/ta-bort/"),
    ]
    assert [response.status_code for response in attempts] == [403] * len(attempts)
    assert Volymuppfoljning.objects.get(measure=first, period="okt").forecast == before
    assert not Volymmatt.objects.filter(name="Nytt").exists()
    first.refresh_from_db()
    assert first.name == "Inskrivna barn i förskolan"
    # They still read it (everyone does).
    assert client.get(f"/budget/volymer/2026/{bun.pk}/").status_code == 200


def test_p5_a_forvaltningschef_sees_the_form_only_on_their_own_namnd(municipality, unit, login,
                                                                      client):
    login("sn.forvaltningschef")
    assert "Spara volymerna" in text(client.get(f"/budget/volymer/2026/{unit('sn').pk}/"))
    assert "Spara volymerna" not in text(client.get(f"/budget/volymer/2026/{unit('bun').pk}/"))


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome, forecast, message", [
    ("tolv", "12", "Skriv ett tal med siffror"),
    ("−5", "300", "kan inte vara negativ"),
    ("300", "", "Ange helårsprognosen för ”Elever med tilläggsbelopp”"),
    ("12,345", "12", "högst två decimaler"),
])
def test_bad_input_on_the_page_is_explained_in_swedish_and_nothing_is_saved(
        outcome, forecast, message, municipality, unit, login, client):
    login("bun.forvaltningschef")
    bun = unit("bun")
    measures = _measures(bun)
    version = _version(client, f"/budget/volymer/2026/{bun.pk}/?period=okt")
    before = {e.measure_id: (e.outcome, e.forecast) for e in
              Volymuppfoljning.objects.filter(measure__in=measures, period="okt")}
    response = client.post(f"/budget/volymer/2026/{bun.pk}/uppfoljning/okt/", {
        "version": version,
        # A good change first, then the bad row: neither may be saved.
        **_rows(measures, [("600", "600", ""), ("1192", "1193", ""),
                           (outcome, forecast, ""), ("359", "360", "")])})
    assert response.status_code == 200
    page = text(response)
    assert "Något behöver rättas" in page and message in page
    assert {e.measure_id: (e.outcome, e.forecast) for e in
            Volymuppfoljning.objects.filter(measure__in=measures, period="okt")} == before


def test_a_stale_form_is_refused_on_the_page(municipality, unit, login, client):
    sn = unit("sn")
    url = f"/budget/volymer/2026/{sn.pk}/?period=okt"
    [hvb, *_] = _measures(sn)
    login("ekonom")
    opened = _version(client, url)
    login("sn.forvaltningschef")
    assert _version(client, url) == opened
    save = f"/budget/volymer/2026/{sn.pk}/uppfoljning/okt/"
    assert client.post(save, {"version": opened, **_rows([hvb], [("1780", "2250", "")])}
                       ).status_code == 302
    login("ekonom")
    response = client.post(save, {"version": opened, **_rows([hvb], [("1780", "2100", "")])})
    assert "Någon annan har ändrat uppgifterna" in text(response)
    assert Volymuppfoljning.objects.get(measure=hvb, period="okt").forecast == Decimal("2250")


def test_an_unknown_period_is_not_found(municipality, unit, login, client):
    login("ekonom")
    assert client.post(f"/budget/volymer/2026/{unit('bun').pk}/uppfoljning/maj/").status_code \
        == 404


# --- measures ----------------------------------------------------------------------------------


def test_f1_a_measure_is_added_edited_and_removed_through_the_pages(municipality, unit, login,
                                                                    client):
    login("sn.forvaltningschef")
    sn = unit("sn")
    response = client.post(f"/budget/volymer/2026/{sn.pk}/nytt-matt/?period=aug", {
        "name": "Dygn i familjehem", "unit": "dygn", "budget": "3 650",
        "cost_per_unit": "1 100"})
    assert response.status_code == 302 and response.url.endswith("?period=aug#volymer")
    measure = Volymmatt.objects.get(namnd=sn, budget_year__year=2026, name="Dygn i familjehem")
    assert measure.budget == Decimal("3650") and measure.cost_per_unit == Decimal("1100")
    assert measure.position == 5
    page = text(client.get(f"/budget/volymer/matt/{measure.pk}/andra/"))
    assert "Ta bort måttet" in page and "Ändringshistorik" in page
    from styrmodell.versioning import current_version

    response = client.post(f"/budget/volymer/matt/{measure.pk}/andra/", {
        "version": current_version(measure), "name": "Dygn i familjehem", "unit": "dygn",
        "budget": "3 700", "cost_per_unit": ""})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.budget == Decimal("3700") and measure.cost_per_unit is None
    assert client.post(f"/budget/volymer/matt/{measure.pk}/ta-bort/").status_code == 302
    assert not Volymmatt.objects.filter(pk=measure.pk).exists()


def test_bad_measure_input_is_explained_in_swedish(municipality, unit, login, client):
    login("ekonom")
    kfn = unit("kfn")
    response = client.post(f"/budget/volymer/2026/{kfn.pk}/nytt-matt/", {
        "name": "Besök på biblioteket", "unit": "besök", "budget": "-4"})
    page = text(response)
    assert response.status_code == 200 and "Den budgeterade volymen kan inte vara negativ" in page
    response = client.post(f"/budget/volymer/2026/{kfn.pk}/nytt-matt/", {
        "name": "Besök på biblioteket", "unit": "besök", "budget": "4"})
    assert "har redan måttet ”Besök på biblioteket” för 2026" in text(response)
    assert Volymmatt.objects.filter(namnd=kfn, budget_year__year=2026).count() == 3


def test_a_reported_measure_is_not_removed(municipality, unit, login, client):
    login("ekonom")
    [first, *_] = _measures(unit("kfn"))
    page = text(client.get(f"/budget/volymer/matt/{first.pk}/andra/"))
    assert "kan inte tas bort" in page
    response = client.post(f"/budget/volymer/matt/{first.pk}/ta-bort/", follow=True)
    assert "har redan utfall och prognos" in text(response)
    assert Volymmatt.objects.filter(pk=first.pk).exists()


def test_f1_last_years_measures_are_copied_from_the_page(municipality, unit, login, client):
    login("sbn.forvaltningschef")
    sbn = unit("sbn")
    page = text(client.get(f"/budget/volymer/2027/{sbn.pk}/"))
    assert "Kopiera måtten från 2026" in page and "inga volymmått för 2027" in page
    response = client.post(f"/budget/volymer/2027/{sbn.pk}/kopiera/", follow=True)
    assert "3 mått från 2026 är kopierade" in text(response)
    assert [m.name for m in _measures(sbn, 2027)] == [m.name for m in _measures(sbn, 2026)]
    assert "Kopiera måtten från 2026" not in text(client.get(f"/budget/volymer/2027/{sbn.pk}/"))


# --- Excel -------------------------------------------------------------------------------------


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.getvalue()))


def test_the_volume_tables_export_to_excel_with_the_page_figures(municipality, unit, login,
                                                                 client):
    login("revisor")
    workbook = _workbook(client.get("/budget/volymer/2026/?period=okt&format=xlsx"))
    sheet = workbook["Volymer 2026"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Nämnd"))
    hvb = next(r for r in rows[header:] if r[1] == "Placeringsdygn HVB, barn och unga")
    assert hvb[0] == "Socialnämnden"
    assert [hvb[3], hvb[4], hvb[5], hvb[6]] == [1460, 1780, 2190, 730]
    assert hvb[7] == 50 and hvb[9] == 3066000
    sn = unit("sn")
    workbook = _workbook(client.get(f"/budget/volymer/2026/{sn.pk}/?period=okt&format=xlsx"))
    assert workbook.sheetnames == ["Uppföljning per oktober", "Prognos per uppföljning",
                                   "Befolkning"]
    per_period = list(workbook["Prognos per uppföljning"].iter_rows(values_only=True))
    hvb = next(r for r in per_period if r and r[0] == "Placeringsdygn HVB, barn och unga")
    assert list(hvb[2:7]) == [1460, 1800, 2150, 1870, 2190]


# --- queries -----------------------------------------------------------------------------------


def test_the_overview_costs_the_same_queries_with_more_namnder(municipality, login, client,
                                                               django_assert_max_num_queries):
    login("ekonom")
    with django_assert_max_num_queries(12) as few:
        assert client.get("/budget/volymer/2026/?period=aug").status_code == 200
    parent = OrganisationUnit.objects.get(kind=UnitKind.KF)
    year = BudgetYear.objects.get(year=2026)
    for number in range(6):
        namnd = OrganisationUnit.objects.create(name=f"Provnämnd {number}", kind=UnitKind.NAMND,
                                                parent=parent)
        for index in range(4):
            measure = volumes.add_measure(namnd=namnd, budget_year=year, name=f"Mått {index}",
                                          unit="st", budget=Decimal(100))
            Volymuppfoljning.objects.create(measure=measure, period="aug", outcome=Decimal(50),
                                            forecast=Decimal(101), written_at="2026-09-10T10:00Z")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/budget/volymer/2026/?period=aug")
    assert "Provnämnd 5" in text(response)


def test_a_namnd_page_costs_a_fixed_number_of_queries(municipality, unit, login, client,
                                                      django_assert_max_num_queries):
    login("sn.forvaltningschef")
    with django_assert_max_num_queries(20):
        assert client.get(f"/budget/volymer/2026/{unit('sn').pk}/").status_code == 200
