"""The budget app's start-page panels: the economy at a glance for politicians and the officials
who answer for it, the finance office's imports, forecasts and applications, and the forecasts a
förvaltning owes, against the demo data and the follow-up pages they link to."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budget import start_panels
from budget.followup.selectors import municipality_followup
from budget.ledger.totals import refresh_every_year, refresh_month_totals
from budget.models import Driftbudgetram, FrameStage, Prognos, Utfall
from budget.reserves.models import Ansokan, ApplicationStatus, Criterion, OfordeladBudget
from styrmodell.calendar import FOLLOW_UP_STEPS, standard_steps
from styrmodell.formatting import kronor, tkr
from styrmodell.models import (
    BudgetYear,
    FollowUpPeriod,
    OrganisationUnit,
    RoleAssignment,
    UnitKind,
    User,
)
from styrmodell.start_page import LINES_SHOWN, panels_for, running_year

TODAY = dt.date(2026, 12, 3)
MINE = {"ekonomin", "utfall-och-prognoser", "ansokningar-ofordelad", "prognoser-att-lamna"}


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def assignments_of(user: User, today: dt.date = TODAY) -> list[RoleAssignment]:
    return list(RoleAssignment.objects.active_on(today).filter(user=user)
                .select_related("role", "unit"))


def panels(username: str, today: dt.date = TODAY) -> dict:
    user = User.objects.get(username=username)
    return {panel.key: panel for panel in panels_for(user, today, assignments_of(user, today))}


def start_page(client, username: str) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("start"))
    assert response.status_code == 200
    return response.content.decode()


def year_2026() -> BudgetYear:
    return BudgetYear.objects.get(year=2026)


def namnd(short_name: str) -> OrganisationUnit:
    return OrganisationUnit.objects.get(short_name=short_name)


def row_of(html: str, name: str) -> str:
    """The economy table's row of a nämnd, as text."""
    table = html[html.index('id="ekonomin-tabell"'):]
    table = table[:table.index("</table>")]
    for row in re.findall(r"<tr[^>]*>.*?</tr>", table, flags=re.S):
        if f">{name}</a>" in row:
            return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", row))
    raise AssertionError(f"no row for {name}")


# --- who sees which panel --------------------------------------------------------------------

SHOWN = {
    "bun.ordforande": {"ekonomin"},
    "bun.ledamot": {"ekonomin"},
    "ks.ordforande": {"ekonomin"},
    "kf.ordforande": {"ekonomin"},
    "bun.forvaltningschef": {"ekonomin", "prognoser-att-lamna"},
    "kommundirektor": {"ekonomin", "prognoser-att-lamna"},
    "ekonom": {"ekonomin", "utfall-och-prognoser", "ansokningar-ofordelad"},
    "ekonomichef": {"ekonomin", "utfall-och-prognoser", "ansokningar-ofordelad"},
    "enhetschef": set(),
    "medarbetare": set(),
}


@pytest.mark.parametrize(("username", "expected"), SHOWN.items())
def test_each_demo_role_gets_the_budget_panels_its_role_needs(municipality, fixed_today, client,
                                                              username, expected):
    assert set(panels(username)) & MINE == expected
    html = start_page(client, username)
    for key in MINE:
        assert (f'id="{key}"' in html) == (key in expected), key


# --- the economy at a glance -------------------------------------------------------------------


@pytest.mark.parametrize("username", ["bun.ordforande", "ks.ordforande", "ekonom",
                                      "kommundirektor"])
def test_the_economy_shows_each_namnds_figures_of_the_followup_overview(
        municipality, fixed_today, client, username):
    overview = municipality_followup(budget_year=year_2026())
    rows = panels(username)["ekonomin"].context["rows"]
    assert {row.namnd.pk for row in rows} == {row.namnd.pk for row in overview.rows}
    expected = {row.namnd.pk: row for row in overview.rows}
    html = start_page(client, username)
    for row in rows:
        page_row = expected[row.namnd.pk]
        assert row.frame == page_row.frame
        assert row.latest.pk == page_row.latest.pk
        assert row.variance.amount == page_row.variance.amount
        assert row.variance.percent_text == page_row.variance.percent_text
        text = row_of(html, row.namnd.name)
        assert tkr(page_row.variance.amount) in text
        assert page_row.variance.percent_text in text
        assert tkr(page_row.latest.total) in text
        assert tkr(page_row.frame) in text
        url = reverse("budget:followup_namnd", args=[2026, row.namnd.pk])
        assert f'href="{url}"' in html
    assert tkr(overview.variance.amount) in html  # the municipality's total, as the page's


def test_the_demo_deficit_of_socialnamnden_is_marked_significant_and_bun_s_is_not(
        municipality, fixed_today, client):
    html = start_page(client, "bun.ordforande")
    assert "Väsentligt underskott" in row_of(html, "Socialnämnden")
    bun = row_of(html, "Barn- och utbildningsnämnden")
    assert "Underskott" in bun and "Väsentligt" not in bun
    assert "1 nämnd har ett väsentligt underskott" in html


def test_a_namnd_politician_sees_every_namnd_with_their_own_first_and_named(
        municipality, fixed_today, client):
    rows = panels("bun.ordforande")["ekonomin"].context["rows"]
    assert rows[0].namnd == municipality["bun"]
    assert len(rows) == 5
    assert panels("ks.ordforande")["ekonomin"].context["rows"][0].namnd == municipality["ks"]
    # The finance office has no nämnd of its own: the organisation's order.
    ekonom_rows = panels("ekonom")["ekonomin"].context["rows"]
    assert [row.namnd.path for row in ekonom_rows] == sorted(row.namnd.path for row in ekonom_rows)
    html = start_page(client, "bun.ordforande")
    assert "Din nämnd" in row_of(html, "Barn- och utbildningsnämnden")
    assert "Din nämnd" not in row_of(html, "Socialnämnden")
    assert "Din nämnd" not in start_page(client, "ekonom")


def _year_end_forecast(namnd_unit: OrganisationUnit, total: Decimal) -> Prognos:
    return Prognos.objects.create(namnd=namnd_unit, budget_year=year_2026(),
                                  period=FollowUpPeriod.YEAR, total=total,
                                  written_at=timezone.now())


def test_a_deficit_of_exactly_one_per_cent_is_not_significant_and_just_over_is(
        municipality, fixed_today, client):
    """D1: "överskrider 1,0 % av nämndens budgetram" — exactly 1,0 % is not väsentligt."""
    bun = municipality["bun"]
    frame = Driftbudgetram.objects.get(namnd=bun, budget_year=year_2026(),
                                       stage=FrameStage.DECIDED).total
    forecast = _year_end_forecast(bun, frame + frame / 100)
    html = start_page(client, "ekonom")
    row = row_of(html, bun.name)
    assert "−1,00\xa0%" in row
    assert "Underskott" in row and "Väsentligt" not in row
    forecast.total += Decimal("0.01")
    forecast.save()
    row = row_of(start_page(client, "ekonom"), bun.name)
    assert "Väsentligt underskott" in row and "⚠" in row


def test_the_economy_counts_fixed_queries_whatever_the_number_of_namnder(
        municipality, fixed_today):
    user = User.objects.get(username="bun.ordforande")
    assignments = assignments_of(user)
    start_panels.own_namnder(assignments)  # the reach of an assignment is looked up once
    running_year(user)  # and the year once per page

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            start_panels.economy_at_a_glance(user=user, today=TODAY, assignments=assignments)
        return len(queries)

    before = cost()
    more_namnder(12)
    assert cost() == before


def test_a_large_municipality_s_economy_shows_own_and_significant_first_and_links_to_all(
        municipality, fixed_today, client):
    """17 nämnder, more than the panel has room for: the own nämnd and the significant deficit
    are among the lines shown, the municipality's total is still every nämnd's."""
    more_namnder(12)
    panel = panels("bun.ordforande")["ekonomin"]
    rows = panel.context["rows"]
    assert len(rows) == LINES_SHOWN
    assert rows[0].namnd == municipality["bun"]
    assert municipality["sn"] in {row.namnd for row in rows}  # the demo's significant deficit
    overview = municipality_followup(budget_year=year_2026())
    assert len(overview.rows) == 17
    assert panel.context["total"].amount == overview.variance.amount
    assert panel.more == ("Alla 17 nämnder i den ekonomiska uppföljningen 2026",
                          reverse("budget:followup", args=[2026]))
    html = start_page(client, "bun.ordforande")
    assert "Tabellen visar 8 av 17 nämnder" in html
    assert ">Alla 17 nämnder i den ekonomiska uppföljningen 2026</a>" in html
    assert tkr(overview.variance.amount) in html


def test_a_small_municipality_s_economy_links_to_the_followup_as_before(
        municipality, fixed_today):
    panel = panels("ekonom")["ekonomin"]
    assert panel.more[0] == "Hela den ekonomiska uppföljningen 2026"
    assert not panel.context["hidden"]


def more_namnder(count: int) -> list[OrganisationUnit]:
    """More nämnder, each with a decided frame, two forecasts and some outcome."""
    kf = OrganisationUnit.objects.get(kind=UnitKind.KF)
    budget_year = year_2026()
    konto = Utfall.objects.values_list("konto_id", flat=True).first()
    units = []
    for number in range(count):
        unit = OrganisationUnit.objects.create(name=f"Extranämnd {number}", kind=UnitKind.NAMND,
                                               parent=kf)
        Driftbudgetram.objects.create(namnd=unit, budget_year=budget_year,
                                      stage=FrameStage.DECIDED, total=Decimal("10000000"))
        for period, total in (("apr", "10050000"), ("okt", "10200000")):
            Prognos.objects.create(namnd=unit, budget_year=budget_year, period=period,
                                   total=Decimal(total), written_at=timezone.now())
        Utfall.objects.bulk_create(Utfall(namnd=unit, konto_id=konto, year=2026, month=month,
                                          amount=Decimal("800000")) for month in range(1, 11))
        refresh_month_totals(year=2026)
        units.append(unit)
    return units


# --- the finance office ---------------------------------------------------------------------


def test_the_finance_office_sees_the_demo_outcome_and_forecasts_in(municipality, fixed_today):
    panel = panels("ekonom")["utfall-och-prognoser"]
    outcome, forecasts = panel.items
    assert outcome.text == "Utfall inläst till och med oktober 2026"
    assert outcome.url == reverse("budget:outcome_imports")
    assert outcome.status[1] == "Klart" and not outcome.overdue
    assert "Nästa månad att läsa in: november." in outcome.detail
    assert forecasts.text == "Alla nämnder har lämnat prognos"
    assert forecasts.url == reverse("budget:followup", args=[2026])
    assert "Uppföljning per oktober 2026, sista dag 20 november 2026." == panel.intro


def test_missing_forecasts_are_listed_with_the_calendar_deadline_and_link_to_the_form(
        municipality, fixed_today, client):
    budget_year = year_2026()
    Prognos.objects.filter(budget_year=budget_year, period="okt",
                           namnd__short_name__in=["SBN", "KFN"]).delete()
    missing = {unit.pk for unit in OrganisationUnit.objects.filter(
        kind__in=[UnitKind.NAMND, UnitKind.KS], is_active=True)
        if not Prognos.objects.filter(namnd=unit, budget_year=budget_year, period="okt").exists()}
    items = panels("ekonom")["utfall-och-prognoser"].items[1:]
    assert len(items) == len(missing) == 2
    for item, short_name in zip(items, ["SBN", "KFN"], strict=True):
        unit = namnd(short_name)
        assert item.text == f"Prognos saknas: {unit.name}"
        assert item.url == (reverse("budget:followup_namnd", args=[2026, unit.pk])
                            + "?period=okt#prognosformular")
        assert item.due == dt.date(2026, 11, 20)
        assert item.overdue and item.status[1] == "Försenad"
    html = start_page(client, "ekonomichef")
    assert "Prognos saknas: Samhällsbyggnadsnämnden" in html
    # The link opens the form for that follow-up.
    client.force_login(User.objects.get(username="ekonom"))
    form_page = client.get(items[0].url).content.decode()
    assert "Skriv prognos: uppföljning per oktober" in form_page


def test_before_the_deadline_a_missing_forecast_is_not_late(municipality, monkeypatch):
    today = dt.date(2026, 11, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    Prognos.objects.filter(budget_year=year_2026(), period="okt", namnd__short_name="SN").delete()
    items = panels("ekonom", today)["utfall-och-prognoser"].items
    missing = [item for item in items if item.text.startswith("Prognos saknas")]
    assert [item.text for item in missing] == ["Prognos saknas: Socialnämnden"]
    assert not missing[0].overdue and missing[0].status[1] == "Saknas"


def test_outcome_missing_for_the_current_follow_up_is_flagged(municipality, fixed_today):
    Utfall.objects.filter(year=2026, month=10).delete()
    refresh_every_year()
    outcome = panels("ekonom")["utfall-och-prognoser"].items[0]
    assert outcome.text == "Utfall inläst till och med september 2026"
    assert outcome.status == ("⚠", "Försenad") and outcome.overdue
    assert outcome.due == dt.date(2026, 11, 20)
    assert "behöver utfallet till och med oktober" in outcome.detail


def test_applications_waiting_for_a_statement_are_listed_and_link_to_each(
        municipality, fixed_today, client):
    panel = panels("ekonom")["ansokningar-ofordelad"]
    assert not Ansokan.objects.filter(status=ApplicationStatus.FILED).exists()
    assert panel.items == [] and panel.empty == "Inga ansökningar väntar på yttrande."
    application = Ansokan.objects.create(
        pot=OfordeladBudget.objects.get(budget_year=year_2026()), namnd=municipality["kfn"],
        title="Akut takrenovering i simhallen", amount=Decimal("800000"),
        criterion=Criterion.UNFORESEEN, motivation="Läckage.",
        filed_by=User.objects.get(username="kfn.forvaltningschef"))
    items = panels("ekonom")["ansokningar-ofordelad"].items
    assert [item.url for item in items] == [application.get_absolute_url()]
    assert items[0].text == "Kultur- och fritidsnämnden: Akut takrenovering i simhallen"
    assert kronor(Decimal("800000")) in items[0].detail
    assert application.get_absolute_url() in start_page(client, "ekonomichef")


# --- the forecasts a förvaltning owes -----------------------------------------------------------


def test_the_forvaltningschef_sees_their_namnds_forecast_written_or_due(
        municipality, fixed_today, client):
    bun = municipality["bun"]
    panel = panels("bun.forvaltningschef")["prognoser-att-lamna"]
    assert [(item.text, item.status[1]) for item in panel.items] == [
        ("Prognosen för Barn- och utbildningsnämnden är lämnad", "Klart")]
    Prognos.objects.filter(namnd=bun, budget_year=year_2026(), period="okt").delete()
    (item,) = panels("bun.forvaltningschef")["prognoser-att-lamna"].items
    assert item.text == "Skriv prognosen för uppföljning per oktober"
    assert item.url == (reverse("budget:followup_namnd", args=[2026, bun.pk])
                        + "?period=okt#prognosformular")
    assert item.due == dt.date(2026, 11, 20) and item.overdue
    html = start_page(client, "bun.forvaltningschef")
    assert "Skriv prognosen för uppföljning per oktober" in html


def test_the_kommundirektor_sees_every_namnds_missing_forecast(municipality, fixed_today):
    assert [item.text for item in panels("kommundirektor")["prognoser-att-lamna"].items] == [
        "Alla nämnder har lämnat prognos"]
    Prognos.objects.filter(budget_year=year_2026(), period="okt",
                           namnd__short_name__in=["SN", "KS"]).delete()
    texts = [item.text for item in panels("kommundirektor")["prognoser-att-lamna"].items]
    assert texts == ["Prognos saknas: Kommunstyrelsen", "Prognos saknas: Socialnämnden"]


def test_the_finance_and_forecast_panels_count_fixed_queries(municipality, fixed_today):
    users = {name: User.objects.get(username=name)
             for name in ("ekonom", "kommundirektor", "bun.forvaltningschef")}
    assignments = {name: assignments_of(user) for name, user in users.items()}
    for found in assignments.values():
        start_panels.own_namnder(found)
    for user in users.values():
        running_year(user)
    providers = (start_panels.outcomes_and_forecasts, start_panels.applications_waiting,
                 start_panels.forecasts_due)

    def cost() -> dict:
        counts = {}
        for name, user in users.items():
            for provider in providers:
                with CaptureQueriesContext(connection) as queries:
                    provider(user=user, today=TODAY, assignments=assignments[name])
                counts[(name, provider.__name__)] = len(queries)
        return counts

    before = cost()
    units = more_namnder(10)
    Prognos.objects.filter(namnd__in=units, period="okt").delete()
    assert cost() == before


def test_ten_missing_forecasts_show_as_many_as_fit_with_the_link_to_all(
        municipality, fixed_today):
    units = more_namnder(10)
    Prognos.objects.filter(namnd__in=units, period="okt").delete()
    followup_url = reverse("budget:followup", args=[2026])
    finance = panels("ekonom")["utfall-och-prognoser"]
    assert len(finance.items) == LINES_SHOWN  # the outcome, then the missing forecasts
    assert all(item.text.startswith("Prognos saknas") for item in finance.items[1:])
    assert finance.more == ("Alla 10 nämnder som saknar prognos", followup_url)
    director = panels("kommundirektor")["prognoser-att-lamna"]
    assert len(director.items) == LINES_SHOWN
    assert director.more == ("Alla 10 nämnder som saknar prognos", followup_url)


def test_a_few_missing_forecasts_are_all_listed_without_a_link(municipality, fixed_today):
    Prognos.objects.filter(budget_year=year_2026(), period="okt",
                           namnd__short_name__in=["SN", "KS"]).delete()
    assert len(panels("kommundirektor")["prognoser-att-lamna"].items) == 2
    assert panels("kommundirektor")["prognoser-att-lamna"].more is None
    assert panels("ekonom")["utfall-och-prognoser"].more is None


def test_many_applications_show_the_first_with_the_number_of_all(municipality, fixed_today,
                                                                client):
    pot = OfordeladBudget.objects.get(budget_year=year_2026())
    filer = User.objects.get(username="kfn.forvaltningschef")
    filed = [Ansokan.objects.create(
        pot=pot, namnd=municipality["kfn"], title=f"Ansökan {number}", amount=Decimal("1000"),
        criterion=Criterion.UNFORESEEN, motivation="Skäl.", filed_by=filer)
        for number in range(LINES_SHOWN + 3)]
    panel = panels("ekonom")["ansokningar-ofordelad"]
    assert [item.url for item in panel.items] == [a.get_absolute_url()
                                                  for a in filed[:LINES_SHOWN]]
    assert panel.more == ("Alla 11 ansökningar som väntar på yttrande",
                          reverse("budget:pot", args=[2026]))
    assert ">Alla 11 ansökningar som väntar på yttrande</a>" in start_page(client, "ekonom")


def test_every_follow_up_names_a_step_of_the_standard_calendar():
    codes = {step.code for step in standard_steps(2026)}
    assert set(FOLLOW_UP_STEPS) == set(FollowUpPeriod.values)
    assert set(FOLLOW_UP_STEPS.values()) <= codes


def test_before_the_first_follow_up_no_forecast_is_due_yet(municipality, monkeypatch):
    today = dt.date(2026, 2, 10)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    finance = panels("ekonom", today)["utfall-och-prognoser"]
    assert [item.url for item in finance.items] == [reverse("budget:outcome_imports")]
    assert finance.intro == ""
    assert "prognoser-att-lamna" not in panels("bun.forvaltningschef", today)


def test_a_namnd_with_outcome_but_no_frame_or_forecast_is_a_row_as_on_the_overview(
        municipality, fixed_today):
    kf = OrganisationUnit.objects.get(kind=UnitKind.KF)
    unit = OrganisationUnit.objects.create(name="Valnämnden", kind=UnitKind.NAMND, parent=kf)
    Utfall.objects.create(namnd=unit, konto_id=Utfall.objects.values_list("konto_id",
                                                                            flat=True).first(),
                          year=2026, month=3, amount=Decimal("1000"))
    refresh_month_totals(year=2026, months=[3])
    overview = municipality_followup(budget_year=year_2026())
    rows = panels("ekonom")["ekonomin"].context["rows"]
    assert [row.namnd.pk for row in rows] == [row.namnd.pk for row in overview.rows]
    (row,) = [row for row in rows if row.namnd == unit]
    assert row.latest is None and row.variance is None
