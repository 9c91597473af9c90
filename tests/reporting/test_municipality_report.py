"""The municipality's own part of the compiled report: the financial goals followed up in every
report (G3 with the analysis model's A1, A3 and A4) and, in the årsredovisning only, the accounts
consolidated with the municipality's companies and foundations (F1)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from budget.followup.selectors import decided_frames
from budget.models import Prognos, Utfall
from goals import services as goal_services
from goals.models import FinansielltMal, FinansielltMalUtfall, Level
from reporting import municipality as own_part
from reporting.models import (
    Bolagsbokslut,
    PdfRendering,
    PeriodStatus,
    Rapportperiod,
    RenderingStatus,
    ReportKind,
)
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind, User
from styrmodell.versioning import STALE_MESSAGE, current_version

from .test_pdf import _keep_pages, pdftotext

RESULT = "Resultatet ska uppgå"
WITHIN = "Nämnderna ska bedriva"
SN_GOAL = "Socialnämnden ska ha"


def _period(year: int, code: str) -> Rapportperiod:
    return Rapportperiod.objects.select_related("budget_year").get(budget_year__year=year,
                                                                   code=code)


def _goal(year: int, title: str) -> FinansielltMal:
    return FinansielltMal.objects.select_related("unit", "budget_year").get(
        budget_year__year=year, title__startswith=title)


def _outcome_url(period: Rapportperiod, goal: FinansielltMal) -> str:
    return reverse("reporting:financial_outcome",
                   args=[period.budget_year.year, period.code, goal.pk])


def _company_url(period: Rapportperiod, unit: OrganisationUnit) -> str:
    return reverse("reporting:company_figures", args=[period.budget_year.year, period.code,
                                                      unit.pk])


def _text(html: str) -> str:
    return html.replace("&nbsp;", " ").replace("\u00a0", " ")


def _part(client, period: Rapportperiod, anchor: str) -> str:
    """One panel of the report's page (by its heading's id), as text with plain spaces."""
    html = _text(client.get(period.get_absolute_url()).content.decode())
    start = html.find(f'id="{anchor}"')
    if start < 0:
        return ""
    return html[start:html.find("</section>", start)]


def _row(part: str, title_start: str) -> str:
    """The table row of a financial goal, its tags removed."""
    start = part.find(title_start)
    assert start >= 0, title_start
    row = part[start:part.find("</tr>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


@pytest.fixture
def open_annual(municipality) -> Rapportperiod:
    """2026's årsredovisning, opened early (the demo's calendar opens it in February)."""
    return Rapportperiod.objects.create(
        budget_year=BudgetYear.objects.get(year=2026), code="ar", kind=ReportKind.ARSREDOVISNING,
        period="ar", title="Årsredovisning 2026", deadline=dt.date(2027, 2, 15),
        opened_on=dt.date(2026, 11, 25))


# --- G3 with A1, A3, A4: the financial goals in the report --------------------------------------


def test_g3_a3_the_report_shows_target_beside_outcome_and_assessment(client, login):
    login("kf.ordforande")
    part = _part(client, _period(2026, "aug"), "finansiella-mal")
    assert "<table" in part
    result = _row(part, RESULT)
    assert "Ekbacka kommun" in result and "2 %" in result and "1,1 %" in result
    assert "Delvis" in result
    within = _row(part, WITHIN)
    assert "0 tkr" in within and "−4 865 tkr" in within and " Nej " in within
    assert "Socialnämnden" in _row(part, SN_GOAL)  # a nämnd's own financial goal too


def test_g3_a_financial_goal_without_an_outcome_shows_ej_bedomt(client, login):
    login("kf.ordforande")
    october = _period(2026, "okt")
    part = _part(client, october, "finansiella-mal")
    goals = FinansielltMal.objects.filter(budget_year__year=2026).exclude(status="utkast")
    assert part.count("Ej bedömt") == goals.count() == 5
    assert "Ej bedömt" in _row(part, RESULT) and "–" in _row(part, RESULT)
    FinansielltMalUtfall.objects.filter(goal=_goal(2026, RESULT), period="aug").delete()
    august = _part(client, _period(2026, "aug"), "finansiella-mal")
    assert august.count("Ej bedömt") == 1 and "Ej bedömt" in _row(august, RESULT)


def test_a4_the_forecast_for_goal_attainment_is_shown_only_in_the_august_report(client, login):
    login("revisor")
    august = _part(client, _period(2026, "aug"), "finansiella-mal")
    assert '<th scope="col">Prognos</th>' in august and "med prognos för måluppfyllelse" in august
    assert " Nej Nej " in _row(august, WITHIN)  # level and forecast
    for year, code in ((2026, "feb"), (2026, "apr"), (2026, "okt"), (2025, "ar")):
        part = _part(client, _period(year, code), "finansiella-mal")
        assert part and '<th scope="col">Prognos</th>' not in part, code
        assert "prognos för måluppfyllelse" not in part, code


def test_a4_the_august_outcome_needs_a_forecast_and_no_other_report_takes_one(municipality):
    goal = _goal(2027, RESULT)
    author = User.objects.get(username="ekonom")
    with pytest.raises(DomainError, match="Delårsrapporten kräver en prognos"):
        goal_services.save_financial_outcome(goal=goal, period="aug", author=author, version="",
                                             value=Decimal("1.5"), level=Level.PARTLY,
                                             comment="Lägre skatteintäkter.")
    with pytest.raises(DomainError, match="lämnas i delårsrapporten per augusti"):
        goal_services.save_financial_outcome(goal=goal, period="okt", author=author, version="",
                                             value=Decimal("1.5"), level=Level.PARTLY,
                                             forecast=Level.PARTLY, comment="Lägre.")
    assert not FinansielltMalUtfall.objects.filter(goal=goal).exists()


def test_g3_the_finance_office_records_an_outcome_in_the_open_report(client, login):
    user = login("ekonom")
    october, goal = _period(2026, "okt"), _goal(2026, RESULT)
    assert client.get(_outcome_url(october, goal)).status_code == 200
    response = client.post(_outcome_url(october, goal), {
        "version": "", "value": "1,3", "level": "delvis",
        "comment": "Skatteprognosen från oktober är svagare."})
    assert response.status_code == 302
    assert response.url == f"{october.get_absolute_url()}#finansiella-mal"
    saved = FinansielltMalUtfall.objects.get(goal=goal, period="okt")
    assert (saved.value, saved.level, saved.forecast, saved.author) == (
        Decimal("1.30"), Level.PARTLY, "", user)
    row = _row(_part(client, october, "finansiella-mal"), RESULT)
    assert "1,3 %" in row and "Delvis" in row and "Skatteprognosen" in row


def test_g3_a_computed_goal_suggests_frames_minus_forecasts_and_the_entry_is_the_record(
        client, login):
    login("ekonom")
    october, goal = _period(2026, "okt"), _goal(2026, WITHIN)
    frames = decided_frames(budget_year=goal.budget_year)
    forecasts = Prognos.objects.filter(budget_year=goal.budget_year, period="okt",
                                       namnd_id__in=frames).aggregate(total=Sum("total"))
    expected = (sum(frames.values()) - forecasts["total"]) / 1000
    suggestion = own_part.suggested_outcome(goal, "okt")
    assert suggestion.value == expected == Decimal("-7096.8")
    page = _text(client.get(_outcome_url(october, goal)).content.decode())
    assert "Förslag ur budgetuppföljningen: −7 096,8 tkr" in page
    assert 'value="−7 096,8"' in page  # offered in the field
    response = client.post(_outcome_url(october, goal), {
        "version": "", "value": "−7 000", "level": "nej",
        "comment": "Socialnämndens åtgärder väntas ge effekt i december."})
    assert response.status_code == 302
    assert FinansielltMalUtfall.objects.get(goal=goal, period="okt").value == Decimal("-7000")


def test_g3_a_namnds_own_goal_is_computed_from_its_own_frame_and_forecast(municipality):
    goal, sn = _goal(2026, SN_GOAL), municipality["sn"]
    frame = decided_frames(budget_year=goal.budget_year)[sn.pk]
    forecast = Prognos.objects.get(namnd=sn, budget_year=goal.budget_year, period="aug").total
    suggestion = own_part.suggested_outcome(goal, "aug")
    assert suggestion.value == (frame - forecast) / 1000 == Decimal("-2592")
    assert suggestion.explanation.startswith("Socialnämndens beslutade ram")


def test_g3_the_years_suggestion_is_frames_minus_the_years_outcome(municipality):
    goal = _goal(2025, WITHIN)
    frames = decided_frames(budget_year=goal.budget_year)
    outcome = Utfall.objects.filter(year=2025, namnd_id__in=frames).aggregate(t=Sum("amount"))
    assert own_part.suggested_outcome(goal, "ar").value == (
        (sum(frames.values()) - outcome["t"]) / 1000) == Decimal("-1471.5")
    # The demo's årsredovisning recorded exactly that figure.
    assert FinansielltMalUtfall.objects.get(goal=goal, period="ar").value == Decimal("-1471.5")


def test_g3_no_suggestion_while_a_namnd_lacks_its_forecast_or_the_measure_is_not_computed(
        client, login, municipality):
    within = _goal(2026, WITHIN)
    Prognos.objects.filter(namnd=municipality["kfn"], budget_year=within.budget_year,
                           period="okt").delete()
    assert own_part.suggested_outcome(within, "okt") is None
    assert own_part.suggested_outcome(_goal(2026, RESULT), "aug") is None
    login("ekonom")
    page = client.get(_outcome_url(_period(2026, "okt"), within)).content.decode()
    assert "Förslag ur budgetuppföljningen" not in page


def test_g3_a_computed_goal_in_per_cent_is_the_result_as_a_share_of_the_frames(municipality):
    goal = _goal(2026, SN_GOAL)
    goal.target_unit = "%"
    frame = decided_frames(budget_year=goal.budget_year)[municipality["sn"].pk]
    forecast = Prognos.objects.get(namnd=municipality["sn"], budget_year=goal.budget_year,
                                   period="apr").total
    suggestion = own_part.suggested_outcome(goal, "apr")
    assert suggestion.value == ((frame - forecast) * 100 / frame).quantize(Decimal("0.01"))
    assert suggestion.text == "−1,2\u00a0%"  # 3 456 000 of 288 000 000


def test_g3_kf_marks_a_financial_goal_whose_outcome_the_follow_up_computes(client, login,
                                                                          municipality):
    login("kommunsekreterare")
    response = client.post("/mal/kf/ny/finansiellt/", {
        "budget_year": BudgetYear.objects.get(year=2026).pk, "unit": municipality["bun"].pk,
        "title": "Barn- och utbildningsnämnden håller sin ram", "measure": "Resultat mot ram",
        "target_value": "0", "target_unit": "mnkr", "computed_as": "resultat_mot_ram"})
    assert response.status_code == 302
    goal = FinansielltMal.objects.get(title="Barn- och utbildningsnämnden håller sin ram")
    assert goal.computed_as == "resultat_mot_ram" and goal.status == "utkast"
    # A draft is not followed up: KF has not decided it.
    assert client.get(_outcome_url(_period(2026, "okt"), goal)).status_code == 404


@pytest.mark.parametrize(("data", "message"), [
    ({"value": "ett och ett halvt", "level": "ja"}, "är inte ett tal"),
    ({"value": "", "level": "ja"}, "Fyll i utfallet."),
    ({"value": "1,5"}, "Välj Ja, Delvis eller Nej."),
    ({"value": "1,5", "level": "nej"}, "Förklara i kommentaren varför målet inte nås helt."),
    ({"value": "1,555", "level": "ja"}, "Utfallet kan ha högst två decimaler."),
    ({"value": "1.5,2", "level": "ja"}, "Skriv talet med decimalkomma och utan punkt"),
])
def test_g3_bad_input_gets_a_swedish_message_and_nothing_is_saved(client, login, data,
                                                                   message):
    login("ekonom")
    october, goal = _period(2026, "okt"), _goal(2026, RESULT)
    response = client.post(_outcome_url(october, goal), {"version": "", **data})
    assert response.status_code == 200
    assert message in _text(response.content.decode())
    assert not FinansielltMalUtfall.objects.filter(goal=goal, period="okt").exists()


def test_g3_a_save_against_a_stale_version_is_refused(client, login):
    login("ekonom")
    october, goal = _period(2026, "okt"), _goal(2026, RESULT)
    form = {"value": "1,3", "level": "delvis", "comment": "Svagare skatteprognos."}
    client.post(_outcome_url(october, goal), {"version": "", **form})
    saved = FinansielltMalUtfall.objects.get(goal=goal, period="okt")
    opened = current_version(saved)
    client.post(_outcome_url(october, goal), {"version": opened, **form, "value": "1,2"})
    response = client.post(_outcome_url(october, goal), {"version": opened, **form,
                                                         "value": "1,0"})
    assert STALE_MESSAGE in response.content.decode()
    assert FinansielltMalUtfall.objects.get(pk=saved.pk).value == Decimal("1.2")


def test_g3_the_outcomes_of_a_compiled_report_are_locked(client, login):
    login("ekonom")
    april, goal = _period(2026, "apr"), _goal(2026, RESULT)
    assert april.status == PeriodStatus.KF
    before = FinansielltMalUtfall.objects.get(goal=goal, period="apr")
    page = client.get(_outcome_url(april, goal)).content.decode()
    assert own_part.OUTCOMES_LOCKED in page and "Spara utfallet" not in page
    client.post(_outcome_url(april, goal), {"version": current_version(before), "value": "3",
                                            "level": "ja"})
    assert FinansielltMalUtfall.objects.get(pk=before.pk).value == before.value
    with pytest.raises(DomainError, match="sammanställd"):
        own_part.record_financial_outcome(
            period=april, goal=goal, author=User.objects.get(username="ekonom"),
            version=current_version(before), value=Decimal("3"), level=Level.YES)
    assert "Registrera utfall" not in _part(client, april, "finansiella-mal")


# --- Who enters the financial goals' outcomes (P1, P2, P5) --------------------------------------


@pytest.mark.parametrize("username", ["ks.ordforande", "sn.ordforande", "kommunsekreterare",
                                      "revisor"])
def test_p2_politicians_and_others_do_not_record_a_financial_outcome(client, login, username):
    login(username)
    october = _period(2026, "okt")
    for goal in (_goal(2026, RESULT), _goal(2026, SN_GOAL)):
        assert client.get(_outcome_url(october, goal)).status_code == 403
        assert client.post(_outcome_url(october, goal), {
            "version": "", "value": "1", "level": "ja"}).status_code == 403
    assert not FinansielltMalUtfall.objects.filter(period="okt").exists()


def test_p5_only_the_namnds_own_forvaltningschef_records_its_financial_goal(client, login):
    october, sn_goal = _period(2026, "okt"), _goal(2026, SN_GOAL)
    login("bun.forvaltningschef")
    assert client.get(_outcome_url(october, sn_goal)).status_code == 403
    login("sn.forvaltningschef")
    assert client.get(_outcome_url(october, _goal(2026, RESULT))).status_code == 403
    response = client.post(_outcome_url(october, sn_goal), {
        "version": "", "value": "−4 608", "level": "nej",
        "comment": "Placeringskostnaderna inom IFO ligger kvar på en hög nivå."})
    assert response.status_code == 302
    assert FinansielltMalUtfall.objects.get(goal=sn_goal, period="okt").value == Decimal("-4608")


def test_g3_the_report_links_to_the_entry_only_for_those_allowed(client, login):
    october = _period(2026, "okt")
    login("ekonom")
    assert _part(client, october, "finansiella-mal").count("Registrera utfall") == 5
    login("sn.forvaltningschef")
    part = _part(client, october, "finansiella-mal")
    assert part.count("Registrera utfall") == 1
    assert _outcome_url(october, _goal(2026, SN_GOAL)) in part
    login("ks.ordforande")
    assert "Registrera utfall" not in _part(client, october, "finansiella-mal")


# --- F1: the årsredovisning consolidated with the companies and foundations ---------------------


def test_f1_the_consolidation_weights_result_and_equity_by_ownership_share_exactly(
        municipality):
    consolidated = own_part.consolidation(_period(2025, "ar"))
    shares = {row.unit.name: row.share for row in consolidated.reported}
    assert shares == {"Ekbacka Energi AB": Decimal("100"), "Ekdalens Vatten AB": Decimal("33.33"),
                      "Stiftelsen Ekbackahem": Decimal("100")}
    # 3 185 000 + 1 420 000 − 1 250 000 × 33,33 %; 48 760 000 + 22 350 000 + 15 400 000 × 33,33 %
    assert consolidated.weighted_result == Decimal("4188375")
    assert consolidated.weighted_equity == Decimal("76242820")
    assert consolidated.missing == []


def test_f1_the_weighted_share_is_never_rounded_before_it_is_summed(municipality,
                                                                     open_annual):
    ekonom = User.objects.get(username="ekonomichef")
    for name, result in (("Ekdalens Vatten AB", "1000001"), ("Ekbacka Energi AB", "0.01")):
        unit = OrganisationUnit.objects.get(name=name)
        own_part.save_company_figures(
            period=open_annual, unit=unit, entered_by=ekonom, version="",
            turnover=Decimal("1"), result_after_financial_items=Decimal(result),
            equity=Decimal("1"), balance_sheet_total=Decimal("2"),
            ownership_share=unit.ownership_share)
    consolidated = own_part.consolidation(open_annual)
    # 1 000 001 × 0,3333 = 333 300,3333 and 0,01 × 1 = 0,01: exact, in Decimal.
    assert consolidated.weighted_result == Decimal("333300.3433")
    assert [row.unit.name for row in consolidated.missing] == ["Stiftelsen Ekbackahem"]


def test_f1_the_arsredovisning_shows_each_company_and_the_consolidated_totals(client, login):
    login("kf.ordforande")
    part = _part(client, _period(2025, "ar"), "bolag")
    for text in ("Stiftelsen Ekbackahem", "61 240 tkr", "3 185 tkr", "412 530 tkr",
                 "Ekdalens Vatten AB", "33,33 %", "−1 250 tkr", "−417 tkr",
                 "Summa bolag och stiftelser", "4 188 tkr", "76 243 tkr",
                 "Stiftelsen äger 560 hyreslägenheter"):
        assert text in part, text


def test_f1_the_namnders_result_beside_is_frames_minus_the_years_outcome(client, login):
    annual = _period(2025, "ar")
    frames = decided_frames(budget_year=annual.budget_year)
    outcome = Utfall.objects.filter(year=2025).aggregate(total=Sum("amount"))["total"]
    consolidated = own_part.consolidation(annual)
    assert consolidated.namnd_result == sum(frames.values()) - outcome == Decimal("-1471500")
    login("revisor")
    part = _part(client, annual, "bolag")
    assert "Nämndernas resultat mot ram 2025" in part and "−1 472 tkr" in part
    assert "inte kommunens hela resultat" in part


def test_f1_no_namnd_result_is_shown_before_the_years_outcome_is_all_in(client, login,
                                                                        open_annual):
    assert own_part.consolidation(open_annual).namnd_result is None
    login("ekonom")
    part = _part(client, open_annual, "bolag")
    assert "Årets utfall är inte inläst för hela året." in part
    assert part.count("Uppgifterna är inte registrerade.") == 3


def test_f1_the_consolidated_accounts_are_in_the_arsredovisning_only(client, login):
    login("ks.ordforande")
    for code in ("feb", "apr", "aug", "okt"):
        period = _period(2026, code)
        assert own_part.consolidation(period) is None
        page = client.get(period.get_absolute_url()).content.decode()
        assert "Sammanställd redovisning" not in page and 'id="bolag"' not in page
    assert "Sammanställd redovisning" in client.get(_period(2025, "ar").get_absolute_url()
                                                    ).content.decode()


def test_f1_the_finance_office_enters_a_companys_year_from_the_arsredovisning(
        client, login, open_annual):
    user = login("ekonom")
    vatten = OrganisationUnit.objects.get(name="Ekdalens Vatten AB")
    assert _company_url(open_annual, vatten) in _part(client, open_annual, "bolag")
    page = client.get(_company_url(open_annual, vatten)).content.decode()
    assert 'value="33,33"' in page  # the unit's share, offered
    response = client.post(_company_url(open_annual, vatten), {
        "version": "", "turnover": "86 100 000", "result_after_financial_items": "−450 000",
        "equity": "14 950 000", "balance_sheet_total": "371 400 000",
        "ownership_share": "33,33", "comment": "Nytt vattenverk i drift."})
    assert response.status_code == 302
    assert response.url == f"{open_annual.get_absolute_url()}#bolag"
    saved = Bolagsbokslut.objects.get(unit=vatten, budget_year=open_annual.budget_year)
    assert (saved.turnover, saved.result_after_financial_items, saved.ownership_share,
            saved.entered_by) == (Decimal("86100000"), Decimal("-450000"), Decimal("33.33"), user)
    part = _part(client, open_annual, "bolag")
    assert "86 100 tkr" in part and "−150 tkr" in part  # −450 000 × 33,33 % = −149 985


def test_f1_the_share_of_the_year_is_kept_when_the_units_share_changes_later(municipality):
    OrganisationUnit.objects.filter(name="Ekdalens Vatten AB").update(ownership_share=50)
    consolidated = own_part.consolidation(_period(2025, "ar"))
    assert consolidated.weighted_result == Decimal("4188375")


COMPANY = {"version": "", "turnover": "61 240 000", "result_after_financial_items": "3 185 000",
           "equity": "48 760 000", "balance_sheet_total": "412 530 000",
           "ownership_share": "100", "comment": ""}


@pytest.mark.parametrize(("data", "message"), [
    ({"turnover": "sextio miljoner"}, "Skriv beloppet i kronor med siffror"),
    ({"turnover": ""}, "Fyll i omsättningen."),
    ({"turnover": "-1"}, "Omsättningen kan inte vara negativ."),
    ({"equity": "500 000 000"}, "Det egna kapitalet kan inte vara större än balansomslutningen."),
    ({"ownership_share": "0"}, "Ägarandelen ska vara större än 0 och högst 100 procent."),
    ({"ownership_share": "120"}, "Ägarandelen ska vara större än 0 och högst 100 procent."),
    ({"ownership_share": ""}, "Fyll i kommunens ägarandel."),
    ({"ownership_share": "33,333"}, "Ägarandelen kan ha högst två decimaler."),
    ({"balance_sheet_total": "1" + "0" * 15}, "är för stort"),
])
def test_f1_bad_company_figures_get_a_swedish_message_and_nothing_is_saved(
        client, login, open_annual, data, message):
    login("ekonomichef")
    stiftelsen = OrganisationUnit.objects.get(name="Stiftelsen Ekbackahem")
    response = client.post(_company_url(open_annual, stiftelsen), {**COMPANY, **data})
    assert response.status_code == 200
    assert message in _text(response.content.decode())
    assert not Bolagsbokslut.objects.filter(budget_year=open_annual.budget_year).exists()


@pytest.mark.parametrize("username", ["ks.ordforande", "kommundirektor", "sn.forvaltningschef",
                                      "kommunsekreterare", "revisor"])
def test_f1_only_the_finance_office_enters_company_figures(client, login, open_annual,
                                                            username):
    login(username)
    stiftelsen = OrganisationUnit.objects.get(name="Stiftelsen Ekbackahem")
    assert client.get(_company_url(open_annual, stiftelsen)).status_code == 403
    assert client.post(_company_url(open_annual, stiftelsen), COMPANY).status_code == 403
    assert not Bolagsbokslut.objects.filter(budget_year=open_annual.budget_year).exists()
    assert "Registrera uppgifter" not in _part(client, open_annual, "bolag")


def test_f1_company_figures_belong_to_the_arsredovisning_and_to_companies(client, login,
                                                                          municipality):
    login("ekonom")
    stiftelsen = OrganisationUnit.objects.get(name="Stiftelsen Ekbackahem")
    assert client.get(_company_url(_period(2026, "aug"), stiftelsen)).status_code == 404
    assert client.get(_company_url(_period(2025, "ar"), municipality["sn"])).status_code == 404
    with pytest.raises(DomainError, match="årsredovisningen"):
        own_part.save_company_figures(
            period=_period(2026, "aug"), unit=stiftelsen,
            entered_by=User.objects.get(username="ekonom"), version="", **{
                name: Decimal("1") for name in ("turnover", "result_after_financial_items",
                                                "equity", "balance_sheet_total")},
            ownership_share=Decimal("100"))


def test_f1_the_figures_of_an_approved_arsredovisning_are_locked(client, login):
    login("ekonom")
    annual = _period(2025, "ar")
    stiftelsen = OrganisationUnit.objects.get(name="Stiftelsen Ekbackahem")
    saved = Bolagsbokslut.objects.get(unit=stiftelsen, budget_year=annual.budget_year)
    page = client.get(_company_url(annual, stiftelsen)).content.decode()
    assert own_part.COMPANIES_LOCKED in page and "Spara uppgifterna" not in page
    client.post(_company_url(annual, stiftelsen), {**COMPANY, "version": current_version(saved),
                                                   "turnover": "1"})
    assert Bolagsbokslut.objects.get(pk=saved.pk).turnover == Decimal("61240000")
    assert "Registrera uppgifter" not in _part(client, annual, "bolag")


def test_f1_g3_the_municipalitys_part_is_read_by_every_role_like_the_published_pdf():
    """The report's PDF is one document for every reader: sound while every role reads both."""
    from styrmodell.permissions import EVERYONE, KINDS, PERMISSION_TABLE, Action

    for kind in ("financial_outcome", "company_accounts"):
        assert KINDS[kind].readable_everywhere
        assert PERMISSION_TABLE[kind][Action.VIEW] == EVERYONE


# --- Query counts at two sizes --------------------------------------------------------------


def test_the_municipalitys_part_costs_the_same_queries_with_more_goals_and_companies(
        client, login, municipality, django_assert_max_num_queries):
    annual = _period(2025, "ar")
    login("ekonom")
    with django_assert_max_num_queries(60) as few:
        assert client.get(annual.get_absolute_url()).status_code == 200
    kommun = OrganisationUnit.objects.get(kind=UnitKind.KOMMUN)
    author = User.objects.get(username="ekonom")
    for number in range(4):
        goal = FinansielltMal.objects.create(
            budget_year=annual.budget_year, unit=municipality["bun"], title=f"Provmål {number}",
            target_value=Decimal("0"), target_unit="tkr", status="antaget")
        FinansielltMalUtfall.objects.create(goal=goal, period="ar", value=Decimal("1"),
                                            level=Level.YES, author=author)
        company = OrganisationUnit.objects.create(name=f"Provbolag {number} AB",
                                                  kind=UnitKind.BOLAG, parent=kommun,
                                                  ownership_share=Decimal("50"))
        Bolagsbokslut.objects.create(
            unit=company, budget_year=annual.budget_year, turnover=1, equity=1,
            result_after_financial_items=1, balance_sheet_total=2,
            ownership_share=Decimal("50"), entered_by=author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(annual.get_absolute_url())
    page = response.content.decode()
    assert "Provmål 3" in page and "Provbolag 3 AB" in page


# --- The same tables in the report's PDF ------------------------------------------------------


def _report_pdf(client, period, on_commit) -> bytes:
    with on_commit():
        response = client.post(reverse("reporting:period_pdf",
                                       args=[period.budget_year.year, period.code]))
    rendering = PdfRendering.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert rendering.status == RenderingStatus.DONE, rendering.error
    return client.get(reverse("reporting:pdf_download", args=[rendering.pk])).content


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_g3_f1_the_arsredovisning_pdf_holds_the_goal_table_and_the_consolidated_accounts(
        client, login, on_commit, tmp_path):
    login("kf.ordforande")
    pdf = _report_pdf(client, _period(2025, "ar"), on_commit)
    _keep_pages(pdf, "rapport-2025-ar")
    text = re.sub(r"[ \t]+", " ", pdftotext(pdf, tmp_path))
    # Cells wrap in the PDF: short labels and the figures, each on one line.
    for expected in ("Finansiella mål 2025", "Målvärde", "Utfall", "Bedömning", "35 %",
                     "35,6 %", "−1 471,5 tkr", "−1 609,8 tkr",
                     "Sammanställd redovisning: bolag och stiftelser",
                     "Sammanställt: kommunens andel", "33,33 %", "61 240 tkr", "412 530 tkr",
                     "−417 tkr", "4 188 tkr", "76 243 tkr", "−1 472 tkr"):
        assert expected in text, expected
    assert "Ej bedömt" not in text and "prognos för måluppfyllelse" not in text
    assert "Registrera" not in text  # no entry links in a document


def test_a4_the_august_pdf_holds_the_forecast_and_a_goal_not_assessed(client, login, on_commit,
                                                                     tmp_path):
    FinansielltMalUtfall.objects.filter(goal=_goal(2026, RESULT), period="aug").delete()
    login("ekonom")
    pdf = _report_pdf(client, _period(2026, "aug"), on_commit)
    _keep_pages(pdf, "rapport-2026-aug")
    text = re.sub(r"[ \t]+", " ", pdftotext(pdf, tmp_path))
    for expected in ("Finansiella mål 2026", "Prognos", "måluppfyllelse", "Ej bedömt",
                     "−4 865 tkr", "−2 592 tkr"):
        assert expected in text, expected
    assert "Sammanställd redovisning" not in text and "Registrera" not in text

