"""The investment pages (B8, B9): the year's overview, its Excel export, a project's page and
the forms of the finance office, the förvaltningschef and the kommunsekreterare."""

import datetime as dt
import io
import re
from decimal import Decimal

from openpyxl import load_workbook

from budget.investments import services as investments
from budget.models import Anslag, Investeringsprojekt, ProjectKind
from styrmodell.models import BudgetYear
from styrmodell.versioning import STALE_MESSAGE

D = Decimal


def project(name):
    return Investeringsprojekt.objects.get(name=name)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_b8_overview_shows_appropriation_outcome_forecast_and_overrun(login, client):
    login("revisor")
    page = text(client.get("/budget/investeringar/2026/"))
    for expected in ["Ny F–6-skola i Norrby", "Anslag 2026", "Prognos slutkostnad",
                     "Beräknad överskridelse", "6 200 tkr", "(12,9 %)", "(15,0 %)", "Summa",
                     "Effekt på driftbudgeten: kapitalkostnader",
                     "Exploatering – hela projekttiden", "18 000 tkr"]:
        assert expected in page, expected
    assert "Ombyggnad av Lindgårdens kök" not in page  # ended 2025


def test_b8_overview_filtered_by_namnd(login, client, unit):
    login("bun.ledamot")
    page = text(client.get(f"/budget/investeringar/2026/?namnd={unit('bun').pk}"))
    assert "Ny F–6-skola i Norrby" in page and "Inventarier i förskolor" in page
    assert "Utbyte av gatubelysning till LED" not in page


def _more_projects(namnd, count):
    for number in range(count):
        created = investments.create_project(
            namnd=namnd, objekt="", name=f"Extra {number}", kind=ProjectKind.NEW,
            total_budget=D("1000000"), start_year=2025, end_year=2026, in_use_year=None,
            depreciation_years=10, description="", consequences="Inga.")
        investments.propose_appropriation(project=created, year=2025, amount=D("500000"),
                                          version=None)
        investments.propose_appropriation(project=created, year=2026, amount=D("500000"),
                                          version=None)
        investments.record_decision(project=created, decided_on=dt.date(2025, 1, 1),
                                    paragraph="§ 1")
        investments.record_follow_up(project=created, year=2026, period="okt",
                                     spent=D("100"), forecast=D("1100000"),
                                     spent_version="0", forecast_version="0")


def test_b8_overview_query_count_does_not_grow_with_projects(
        login, client, unit, django_assert_max_num_queries):
    login("ekonom")
    with django_assert_max_num_queries(15):
        assert client.get("/budget/investeringar/2026/").status_code == 200
    _more_projects(unit("kfn"), 25)
    with django_assert_max_num_queries(15):
        page = text(client.get("/budget/investeringar/2026/"))
    assert "Extra 24" in page


def test_b8_project_page_query_count(login, client, django_assert_max_num_queries):
    login("kommunsekreterare")
    school = project("Ny F–6-skola i Norrby")
    with django_assert_max_num_queries(16):
        response = client.get(f"/budget/investeringar/projekt/{school.pk}/")
    assert response.status_code == 200


def test_b8_excel_export_holds_the_tables_in_kronor(login, client):
    login("revisor")
    response = client.get("/budget/investeringar/2026/excel/")
    assert response["Content-Disposition"] == 'attachment; filename="investeringar-2026.xlsx"'
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames == ["Investeringar 2026", "Kapitalkostnader",
                                   "Exploatering hela livet"]
    sheet = workbook["Investeringar 2026"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows.index(next(row for row in rows if row and row[0] == "Nämnd"))
    assert rows[header][5:] == ["Totalbudget", "Anslag 2026", "Utfall 2026", "Utfall totalt",
                                "Prognos slutkostnad", "Beräknad överskridelse",
                                "Överskridelse (%)"]
    school = next(row for row in rows if row[2] == "Ny F–6-skola i Norrby")
    assert school[:2] == ["Barn- och utbildningsnämnden", "Grundskola"]
    assert [D(str(value)) for value in school[5:]] == [
        D("48000000"), D("25400000"), D("24300000"), D("31900000"), D("54200000"),
        D("6200000"), D("12.9")]
    capital = [[cell.value for cell in row] for row in workbook["Kapitalkostnader"].iter_rows()]
    assert capital[-1][0] == "Summa"
    assert ["Nämnd", "2026", "2027", "2028"] in capital
    exploitation = [[c.value for c in row] for row in workbook["Exploatering hela livet"]
                    .iter_rows()]
    ang = next(row for row in exploitation if row[1] == "Exploatering Ekbacka äng, etapp 1")
    assert [D(str(value)) for value in ang[2:5]] == [D("15000000"), D("18000000"), D("3000000")]


def test_b8_excel_export_follows_the_namnd_filter(login, client, unit):
    login("revisor")
    response = client.get(f"/budget/investeringar/2026/excel/?namnd={unit('sbn').pk}")
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Investeringar 2026"]
    names = {row[2].value for row in sheet.iter_rows() if len(row) > 2}
    assert "Utbyte av gatubelysning till LED" in names
    assert "Ny F–6-skola i Norrby" not in names


def test_b8_project_page_shows_years_capital_costs_and_overrun(login, client):
    login("bun.ordforande")
    page = text(client.get(f"/budget/investeringar/projekt/{project('Ny F–6-skola i Norrby').pk}/"))
    for expected in ["Beräknad överskridelse: 6 200 tkr (12,9 %)", "Konsekvenser för driften",
                     "Avskrivning", "Internränta", "Kapitalkostnad", "Större projekt",
                     "Prognos slutkostnad", "Uppföljning per oktober 2026"]:
        assert expected in page, expected
    assert "Registrera ombudgetering" not in page  # a politician does not record


def test_b9_project_page_shows_the_decided_ombudgetering_with_its_reason(login, client):
    login("revisor")
    school = project("Ny F–6-skola i Norrby")
    page = text(client.get(f"/budget/investeringar/projekt/{school.pk}/"))
    assert "2025 → 2026" in page and "markarbetena kom i gång först i december" in page
    assert "med årsredovisningen 2025" in page
    assert dict(school.appropriations.values_list("year", "amount")) == {
        2025: D("7600000"), 2026: D("25400000"), 2027: D("15000000")}


def _annual_report_2026():
    return investments.record_annual_report_decision(
        budget_year=BudgetYear.objects.get(year=2026), decided_on=dt.date(2027, 4, 26),
        paragraph="§ 40")


def _move_data(**overrides):
    data = {"from_year": "2026", "to_year": "2027", "amount": "2 000 000",
            "reason": "Projektet försenat.", "annual_report": _annual_report_2026().pk}
    data.update(overrides)
    return data


def test_b9_the_kommunsekreterare_records_an_ombudgetering(login, client):
    school = project("Ny F–6-skola i Norrby")
    login("kommunsekreterare")
    page = text(client.get(f"/budget/investeringar/projekt/{school.pk}/"))
    assert "Registrera ombudgetering" in page
    response = client.post(f"/budget/investeringar/projekt/{school.pk}/ombudgetering/",
                           _move_data())
    assert response.status_code == 302
    amounts = dict(Anslag.objects.filter(project=school).values_list("year", "amount"))
    assert (amounts[2026], amounts[2027]) == (D("23400000"), D("17000000"))
    moved = school.ombudgeteringar.get(from_year=2026)
    assert moved.recorded_by.username == "kommunsekreterare"
    assert (moved.annual_report.budget_year.year, moved.paragraph) == (2026, "§ 40")


def test_b9_the_page_refuses_an_ombudgetering_without_the_annual_report(login, client):
    school = project("Ny F–6-skola i Norrby")
    login("kommunsekreterare")
    page = text(client.post(f"/budget/investeringar/projekt/{school.pk}/ombudgetering/",
                            _move_data(annual_report="")))
    assert "beslutas av KF i samband med behandlingen av årsredovisningen" in page
    assert not school.ombudgeteringar.filter(from_year=2026).exists()


def test_b9_nobody_else_records_an_ombudgetering(login, client):
    school = project("Ny F–6-skola i Norrby")
    for username in ["ekonom", "ekonomichef", "ks.ordforande", "kf.ordforande",
                     "bun.forvaltningschef", "bun.sekreterare", "revisor"]:
        login(username)
        response = client.post(f"/budget/investeringar/projekt/{school.pk}/ombudgetering/",
                               _move_data())
        assert response.status_code == 403, username
    assert not school.ombudgeteringar.filter(from_year=2026).exists()


def test_b9_the_page_refuses_a_reinvestment_and_a_missing_reason_in_swedish(login, client):
    login("kommunsekreterare")
    lights = project("Utbyte av gatubelysning till LED")
    page = text(client.post(f"/budget/investeringar/projekt/{lights.pk}/ombudgetering/",
                            _move_data(amount="100000")))
    assert "Reinvesteringsanslag får inte ombudgeteras" in page
    detail = text(client.get(f"/budget/investeringar/projekt/{lights.pk}/"))
    assert "Reinvesteringsanslag kan inte ombudgeteras" in detail
    school = project("Ny F–6-skola i Norrby")
    page = text(client.post(f"/budget/investeringar/projekt/{school.pk}/ombudgetering/",
                            _move_data(reason="")))
    assert "Ange det särskilda skälet" in page
    assert not school.ombudgeteringar.filter(from_year=2026).exists()


def test_b8_finance_office_prepares_and_the_kommunsekreterare_records_kfs_decision(
        login, client, unit):
    login("ekonom")
    response = client.post("/budget/investeringar/projekt/nytt/", {
        "namnd": unit("kfn").pk, "name": "Ny sporthall", "kind": "nyinvestering",
        "total_budget": "30 000 000", "start_year": "2027", "end_year": "2028",
        "depreciation_years": "33", "consequences": "Drift 1,2 mnkr per år.", "version": ""})
    assert response.status_code == 302
    hall = project("Ny sporthall")
    for year, amount in (("2027", "10 000 000"), ("2028", "20 000 000")):
        response = client.post(f"/budget/investeringar/projekt/{hall.pk}/anslag/",
                               {"year": year, "amount": amount, "version": "0"})
        assert response.status_code == 302
    assert client.post(f"/budget/investeringar/projekt/{hall.pk}/beslut/",
                       {"decided_on": "2026-11-23", "paragraph": "§ 141"}).status_code == 403
    login("kommunsekreterare")
    response = client.post(f"/budget/investeringar/projekt/{hall.pk}/beslut/",
                           {"decided_on": "2026-11-23", "paragraph": "§ 141"})
    assert response.status_code == 302
    assert set(hall.appropriations.values_list("paragraph", flat=True)) == {"§ 141"}
    hall.refresh_from_db()
    assert hall.get_status_display() == "Beslutad"


def test_p1_politicians_neither_prepare_nor_follow_up_investments(login, client, unit):
    school = project("Ny F–6-skola i Norrby")
    login("bun.ordforande")
    assert client.get("/budget/investeringar/projekt/nytt/").status_code == 403
    assert client.get(f"/budget/investeringar/projekt/{school.pk}/uppfoljning/").status_code == 403
    assert client.get(f"/budget/investeringar/projekt/{school.pk}/anslag/").status_code == 403


def test_b8_forvaltningschef_follows_up_the_own_namnds_projects_only(login, client):
    school, lights = project("Ny F–6-skola i Norrby"), project("Utbyte av gatubelysning till LED")
    user = login("bun.forvaltningschef")
    assert client.get(f"/budget/investeringar/projekt/{lights.pk}/uppfoljning/").status_code == 403
    form = client.get(f"/budget/investeringar/projekt/{school.pk}/uppfoljning/").context["form"]
    data = {**form.initial, "spent": "25 100 000", "forecast": "55 000 000",
            "comment": "Ny kalkyl."}
    data = {key: "" if value is None else value for key, value in data.items()}
    response = client.post(f"/budget/investeringar/projekt/{school.pk}/uppfoljning/", data)
    assert response.status_code == 302
    latest = investments.latest_forecast(school)
    assert (latest.amount, latest.made_by, latest.period) == (D("55000000"), user, "okt")


def test_b8_the_second_of_two_concurrent_follow_ups_through_the_page_is_refused(login, client):
    school = project("Ny F–6-skola i Norrby")
    login("ekonom")
    url = f"/budget/investeringar/projekt/{school.pk}/uppfoljning/"
    initial = client.get(url).context["form"].initial
    first = {**initial, "spent": "25 000 000", "received": "", "forecast": "55 000 000",
             "comment": ""}
    second = {**first, "forecast": "56 000 000"}
    assert client.post(url, first).status_code == 302
    page = text(client.post(url, second))
    assert STALE_MESSAGE.split(".")[0] in page
    assert investments.latest_forecast(school).amount == D("55000000")


def test_b8_the_second_of_two_concurrent_project_edits_is_refused(login, client):
    proposal = project("Tillbyggnad av trygghetsboende")
    changes_before = proposal.history.count()
    login("ekonom")
    url = f"/budget/investeringar/projekt/{proposal.pk}/andra/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    assert client.post(url, {**data, "name": "Tillbyggnad, tolv lägenheter"}).status_code == 302
    page = text(client.post(url, {**data, "name": "Tillbyggnad, tio lägenheter"}))
    assert STALE_MESSAGE.split(".")[0] in page
    assert project("Tillbyggnad, tolv lägenheter").history.count() == changes_before + 1


def test_b8_a_decided_projects_budget_is_not_changed_by_the_finance_office(login, client):
    school = project("Ny F–6-skola i Norrby")
    login("ekonom")
    url = f"/budget/investeringar/projekt/{school.pk}/andra/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    page = text(client.post(url, {**data, "total_budget": "54 200 000"}))
    assert "ändras bara genom ett nytt beslut i KF" in page
    assert project("Ny F–6-skola i Norrby").total_budget == D("48000000")
