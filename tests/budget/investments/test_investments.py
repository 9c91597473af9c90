"""Investments (B8, B9): capital cost arithmetic, KF's decision, ombudgetering, exploatering over
its whole life and the expected overrun the deviations app builds on."""

import datetime as dt
from decimal import Decimal

import pytest

from budget.investments import services as investments
from budget.models import (
    Anslag,
    Internranta,
    Investeringsprojekt,
    Ombudgetering,
    ProjectKind,
    ProjectStatus,
)
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear
from styrmodell.versioning import STALE_MESSAGE, current_version

D = Decimal
KF_DAY = dt.date(2026, 4, 22)


def make_project(namnd, *, kind=ProjectKind.NEW, budget=None, years=None, depreciation=10,
                 in_use=None, decided=True, consequences="Driftkostnad 0,1 mnkr per år.",
                 name="Testprojekt", income=None):
    budget = budget or {2025: "1000000"}
    first, last = years or (min(budget), max(budget))
    project = investments.create_project(
        namnd=namnd, objekt="", name=name, kind=kind,
        total_budget=sum((D(amount) for amount in budget.values()), D(0)),
        start_year=first, end_year=last, in_use_year=in_use, depreciation_years=depreciation,
        description="", consequences=consequences)
    for year, amount in budget.items():
        investments.propose_appropriation(project=project, year=year, amount=D(amount),
                                          income=D((income or {}).get(year, "0")), version=None)
    if decided:
        investments.record_decision(project=project, decided_on=KF_DAY, paragraph="§ 12")
    return Investeringsprojekt.objects.get(pk=project.pk)


def forecast(project, amount, *, year=2026, period="okt", spent="0"):
    outcome = project.outcomes.filter(year=year).first()
    existing = project.forecasts.filter(year=year, period=period).first()
    investments.record_follow_up(
        project=project, year=year, period=period, spent=D(spent), forecast=D(amount),
        spent_version=current_version(outcome) if outcome else "0",
        forecast_version=current_version(existing) if existing else "0")
    return investments.expected_overrun(Investeringsprojekt.objects.get(pk=project.pk))


# --- capital costs (B8) --------------------------------------------------------------------


def test_b8_straight_line_depreciation_starts_the_year_after_activation_with_interest():
    schedule = investments.capital_cost_schedule(
        tranches={2025: D("1000000")}, depreciation_years=4, rates={2025: D("1.5")},
        years=range(2025, 2031))
    assert [(c.year, c.avskrivning, c.internranta, c.total) for c in schedule] == [
        (2025, 0, 0, 0),
        (2026, D("250000"), D("15000"), D("265000")),   # 1.5 % of 1 000 000
        (2027, D("250000"), D("11250"), D("261250")),   # 1.5 % of 750 000
        (2028, D("250000"), D("7500"), D("257500")),
        (2029, D("250000"), D("3750"), D("253750")),
        (2030, 0, 0, 0),
    ]


def test_b8_depreciation_in_whole_kronor_adds_up_exactly_to_the_amount():
    plan = investments.depreciation_plan(D("1000000"), 3)
    assert plan == [D("333333"), D("333333"), D("333334")]
    assert sum(plan) == D("1000000")


def test_b8_internranta_in_whole_kronor_and_plan_years_use_the_latest_rate():
    rates = {2025: D("1.5"), 2027: D("2.25")}
    schedule = investments.capital_cost_schedule(
        tranches={2025: D("333333")}, depreciation_years=100, rates=rates,
        years=[2026, 2027, 2028])
    # 333 333 × 1.5 % = 4 999.995 -> 5 000; book value 329 999.67 -> 330 000 - 3 333 ...
    assert schedule[0].internranta == D("5000")
    assert schedule[1].internranta == investments.kronor(
        (D("333333") - D("3333")) * D("2.25") / 100)
    assert schedule[2].internranta == investments.kronor(
        (D("333333") - 2 * D("3333")) * D("2.25") / 100)
    assert investments.rate_for(2026, rates) == D("1.5")
    assert investments.rate_for(2029, rates) == D("2.25")
    assert investments.rate_for(2024, rates) == 0


def test_b8_appropriations_are_activated_when_the_project_is_taken_into_use(municipality):
    project = make_project(municipality["bun"], budget={2025: "600000", 2026: "400000"},
                           depreciation=5)
    costs = investments.project_capital_costs(project, [2026, 2027], {2026: D("2")})
    # taken into use at the end year 2026: nothing before 2027, then 1 000 000 / 5 + 2 %
    assert [(c.avskrivning, c.internranta) for c in costs] == [(0, 0), (D("200000"), D("20000"))]


def test_b8_a_reinvestment_taken_into_use_each_year_depreciates_each_tranche(municipality):
    project = make_project(municipality["sbn"], kind=ProjectKind.REINVESTMENT,
                           budget={2025: "100000", 2026: "100000"}, depreciation=10,
                           in_use=2025)
    [cost_2026, cost_2027] = investments.project_capital_costs(project, [2026, 2027],
                                                               {2025: D("1.5")})
    assert (cost_2026.avskrivning, cost_2026.internranta) == (D("10000"), D("1500"))
    # 2027: both tranches; book value 90 000 + 100 000
    assert (cost_2027.avskrivning, cost_2027.internranta) == (D("20000"), D("2850"))


def test_b8_exploatering_carries_no_capital_cost(municipality):
    project = make_project(municipality["sbn"], kind=ProjectKind.EXPLOITATION,
                           budget={2025: "500000"}, depreciation=None)
    assert project.depreciation_years is None
    costs = investments.project_capital_costs(project, [2026, 2027], {2025: D("1.5")})
    assert all(cost.total == 0 for cost in costs)


def test_b8_capital_costs_per_namnd_sum_decided_projects_only(municipality):
    _remove_all_projects()
    bun = municipality["bun"]
    make_project(bun, budget={2025: "1000000"}, depreciation=4, name="A")
    make_project(bun, budget={2025: "2000000"}, depreciation=4, name="B")
    make_project(bun, budget={2025: "9000000"}, depreciation=4, name="Förslag", decided=False)
    projects = list(investments.with_follow_up(Investeringsprojekt.objects.all()))
    rows, totals = investments.capital_costs_by_namnd(projects, [2026], {2025: D("1.5")})
    assert [(row.namnd, row.amounts) for row in rows] == [(bun, [D("795000")])]
    assert totals == [D("795000")]  # (250 000 + 15 000) + (500 000 + 30 000)


def _finished_project(municipality):
    """Built 2025–2026, taken into use 2026 and closed: written off 2027–2030 (four years)."""
    _remove_all_projects()
    Internranta.objects.all().delete()
    Internranta.objects.create(year=2026, percent=D("2"))
    project = make_project(municipality["bun"], budget={2025: "600000", 2026: "400000"},
                           depreciation=4, name="Förskola Backen")
    investments.update_project(project=project, version=current_version(project),
                               status=ProjectStatus.CLOSED, **{
                                   name: getattr(project, name)
                                   for name in investments.PROJECT_FIELDS})
    return Investeringsprojekt.objects.get(pk=project.pk)


def _compensation(year, namnd):
    overview = investments.year_overview(user=None, year=year)
    row = next((row for row in overview.capital_rows if row.namnd == namnd), None)
    return None if row is None else dict(zip(overview.capital_years, row.amounts, strict=True))


def test_b8_a_finished_project_is_still_compensated_in_later_years_while_written_off(
        municipality):
    project = _finished_project(municipality)
    assert project.status == ProjectStatus.CLOSED
    overview = investments.year_overview(user=None, year=2028)
    assert project not in [row.project for row in overview.rows]  # no longer a project of 2028
    # 2028: 250 000 + 2 % on 750 000; 2029: 250 000 + 2 % on 500 000; 2030: 250 000 + 5 000
    assert _compensation(2028, municipality["bun"]) == {
        2028: D("265000"), 2029: D("260000"), 2030: D("255000")}


def test_b8_a_finished_project_is_compensated_until_its_last_year_of_depreciation_not_after(
        municipality):
    _finished_project(municipality)
    assert _compensation(2030, municipality["bun"]) == {2030: D("255000"), 2031: 0, 2032: 0}
    assert _compensation(2031, municipality["bun"]) is None  # fully written off


def test_b8_a_finished_project_of_one_namnd_is_not_compensated_to_another(municipality):
    _finished_project(municipality)
    overview = investments.year_overview(user=None, year=2029, namnd=municipality["sn"])
    assert overview.capital_rows == []
    assert _compensation(2029, municipality["bun"])[2029] == D("260000")


# --- KF's decision (B8) --------------------------------------------------------------------


def test_b8_consequences_must_be_shown_before_kf_decides(municipality):
    project = make_project(municipality["bun"], decided=False, consequences="")
    with pytest.raises(DomainError, match="innan KF beslutar"):
        investments.record_decision(project=project, decided_on=KF_DAY, paragraph="§ 1")
    assert not Anslag.objects.filter(project=project, decided_on__isnull=False).exists()


def test_b8_the_years_must_add_up_to_the_total_budget_before_decision(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000", 2027: "500000"},
                           decided=False)
    Investeringsprojekt.objects.filter(pk=project.pk).update(total_budget=D("2000000"))
    with pytest.raises(DomainError, match="summerar till"):
        investments.record_decision(project=project, decided_on=KF_DAY, paragraph="§ 1")


def test_b8_kf_decision_locks_the_appropriations_of_the_project(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000"})
    assert project.status == ProjectStatus.DECIDED
    anslag = project.appropriations.get()
    assert (anslag.decided_on, anslag.paragraph) == (KF_DAY, "§ 12")
    with pytest.raises(DomainError, match="ombudgetering"):
        investments.propose_appropriation(project=project, year=2026, amount=D("1"),
                                          version=current_version(anslag))


def test_b8_a_larger_project_is_over_five_million(municipality, settings):
    at = make_project(municipality["bun"], budget={2026: "5000000"})
    over = make_project(municipality["bun"], budget={2026: "5000001"})
    assert (at.is_larger, over.is_larger) == (False, True)
    settings.INVESTMENT_LARGER_PROJECT_THRESHOLD = "4000000"
    assert at.is_larger


def test_b8_a_project_without_depreciation_period_is_refused_unless_exploatering(municipality):
    with pytest.raises(DomainError, match="avskrivningstiden"):
        make_project(municipality["bun"], depreciation=None)


# --- ombudgetering (B9) --------------------------------------------------------------------


def _annual_report(year=2025, decided_on=KF_DAY, paragraph="§ 37"):
    return investments.record_annual_report_decision(
        budget_year=BudgetYear.objects.get(year=year), decided_on=decided_on,
        paragraph=paragraph)


def _move(project, **overrides):
    arguments = {"project": project, "from_year": 2025, "to_year": 2026, "amount": D("300000"),
                 "reason": "Projektet försenat av överklagat bygglov."}
    arguments.update(overrides)
    if "annual_report" not in arguments:
        arguments["annual_report"] = _annual_report()
    return investments.ombudgetera(**arguments)


def test_b9_ombudgetering_moves_the_amount_from_one_year_to_the_next_with_its_reason(
        municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000", 2026: "2000000"})
    moved = _move(project)
    amounts = dict(Anslag.objects.filter(project=project).values_list("year", "amount"))
    assert amounts == {2025: D("700000"), 2026: D("2300000")}
    assert sum(amounts.values()) == project.total_budget
    assert (moved.reason, moved.paragraph, moved.decided_on) == (
        "Projektet försenat av överklagat bygglov.", "§ 37", KF_DAY)


def test_b9_ombudgetering_without_kfs_decision_on_the_annual_report_is_refused(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000", 2026: "2000000"})
    with pytest.raises(DomainError, match="i samband med behandlingen av årsredovisningen") \
            as error:
        _move(project, annual_report=None)
    assert error.value.field == "annual_report"
    assert not Ombudgetering.objects.filter(project=project).exists()
    assert Anslag.objects.get(project=project, year=2025).amount == D("1000000")


def test_b9_ombudgetering_with_the_annual_report_is_linked_to_kfs_decision_on_it(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000", 2026: "2000000"})
    report = _annual_report(decided_on=dt.date(2026, 4, 27), paragraph="45")
    moved = _move(project, annual_report=report)
    assert moved.annual_report == report
    assert moved in report.ombudgeteringar.all()
    assert (moved.decided_on, moved.paragraph) == (dt.date(2026, 4, 27), "45")
    assert Anslag.objects.get(project=project, year=2026).decided_on == dt.date(2026, 4, 27)


def test_b9_the_annual_report_of_another_year_does_not_carry_the_move(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000", 2027: "2000000"})
    with pytest.raises(DomainError, match="årsredovisningen för 2025 ombudgeteras anslag från "
                                          "eller till 2025") as error:
        _move(project, from_year=2026, to_year=2027, annual_report=_annual_report(2025))
    assert error.value.field == "from_year"
    assert not Ombudgetering.objects.filter(project=project).exists()


def test_b9_a_reinvestment_is_never_moved_even_with_the_annual_report(municipality):
    project = make_project(municipality["sbn"], kind=ProjectKind.REINVESTMENT,
                           budget={2025: "1000000", 2026: "1000000"})
    with pytest.raises(DomainError, match="Reinvesteringsanslag får inte ombudgeteras"):
        _move(project, annual_report=_annual_report(decided_on=dt.date(2026, 4, 27)))
    assert not Ombudgetering.objects.filter(project=project).exists()


def test_b9_ombudgetering_into_a_new_year_extends_the_project(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000"})
    _move(project, amount=D("1000000"))
    project.refresh_from_db()
    assert project.end_year == 2026
    anslag = Anslag.objects.get(project=project, year=2026)
    assert (anslag.amount, anslag.decided_on) == (D("1000000"), KF_DAY)


def test_b9_an_appropriation_may_be_brought_forward_to_an_earlier_year(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000", 2026: "2000000"})
    _move(project, from_year=2026, to_year=2025, amount=D("500000"),
          reason="Projektet tidigarelagt: entreprenören kan börja i höst.")
    amounts = dict(Anslag.objects.filter(project=project).values_list("year", "amount"))
    assert amounts == {2025: D("1500000"), 2026: D("1500000")}


def test_b9_a_reinvestment_appropriation_is_never_moved(municipality):
    project = make_project(municipality["sbn"], kind=ProjectKind.REINVESTMENT,
                           budget={2025: "1000000", 2026: "1000000"})
    with pytest.raises(DomainError, match="Reinvesteringsanslag får inte ombudgeteras"):
        _move(project)
    assert not Ombudgetering.objects.filter(project=project).exists()
    assert Anslag.objects.get(project=project, year=2025).amount == D("1000000")


def test_b9_ombudgetering_without_a_special_reason_is_refused(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000", 2026: "1000000"})
    with pytest.raises(DomainError, match="särskilda skälet") as error:
        _move(project, reason="   ")
    assert error.value.field == "reason"
    assert Anslag.objects.get(project=project, year=2025).amount == D("1000000")


def test_b9_no_more_than_the_years_appropriation_is_moved(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000", 2026: "1000000"})
    with pytest.raises(DomainError, match="mer än årets anslag"):
        _move(project, amount=D("1000001"))


def test_b9_only_a_decided_appropriation_is_moved(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000"}, decided=False)
    with pytest.raises(DomainError, match="inget av KF beslutat anslag"):
        _move(project)


def test_b9_history_shows_both_years_of_a_move(municipality):
    project = make_project(municipality["bun"], budget={2025: "1000000", 2026: "2000000"})
    _move(project)
    changed = [(c.year, c.amount) for c in investments.appropriation_log(project)
               if c.what == "Ändrat"]
    assert (2025, D("700000")) in changed and (2026, D("2300000")) in changed


# --- exploatering over its whole life (B8) -------------------------------------------------


def test_b8_exploatering_is_shown_over_all_its_years_with_income_and_net(municipality):
    project = make_project(
        municipality["sbn"], kind=ProjectKind.EXPLOITATION, depreciation=None,
        budget={2025: "4000000", 2026: "6000000", 2027: "3000000", 2028: "1500000",
                2029: "500000"},
        income={2026: "2400000", 2027: "5600000", 2028: "6000000", 2029: "4000000"})
    investments.record_follow_up(project=project, year=2025, period="ar", spent=D("3800000"),
                                 forecast=D("15000000"), spent_version="0",
                                 forecast_version="0")
    project = investments.get_project(project.pk)
    lifetime = investments.exploitation_lifetime(project)
    assert [year.year for year in lifetime] == [2025, 2026, 2027, 2028, 2029]
    assert [year.net for year in lifetime] == [D("-4000000"), D("-3600000"), D("2600000"),
                                               D("4500000"), D("3500000")]
    totals = investments.exploitation_totals(project)
    assert (totals.costs, totals.income, totals.net, totals.spent) == (
        D("15000000"), D("18000000"), D("3000000"), D("3800000"))


def test_b8_only_exploatering_books_income_from_land_sales(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000"}, decided=False)
    with pytest.raises(DomainError, match="exploateringsprojekt"):
        investments.propose_appropriation(project=project, year=2026, amount=D("1000000"),
                                          income=D("5"), version=current_version(
                                              project.appropriations.get()))


# --- expected overrun (data for D7/D8) -----------------------------------------------------


def test_b8_expected_overrun_of_exactly_ten_percent_is_reported_as_10_0(municipality):
    project = make_project(municipality["bun"], budget={2026: "6000000"})
    overrun = forecast(project, "6600000")
    assert (overrun.amount, overrun.percent, overrun.percent_display) == (
        D("600000"), D("10"), D("10.0"))
    assert overrun.is_overrun
    assert not overrun.exceeds(D("10"))  # D8 needs *more than* 10 %


def test_b8_expected_overrun_just_over_ten_percent_exceeds_although_shown_as_10_0(municipality):
    project = make_project(municipality["bun"], budget={2026: "6000000"})
    overrun = forecast(project, "6602000")  # 10.033 %
    assert overrun.percent_display == D("10.0")
    assert overrun.exceeds(D("10"))


def test_b8_forecast_at_budget_is_no_overrun_and_no_forecast_gives_none(municipality):
    project = make_project(municipality["bun"], budget={2026: "6000000"})
    assert investments.expected_overrun(investments.get_project(project.pk)) is None
    overrun = forecast(project, "6000000")
    assert (overrun.amount, overrun.is_overrun, overrun.percent_display) == (0, False, D("0.0"))


def test_b8_the_latest_followup_forecast_counts_not_the_latest_typed(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000"})
    forecast(project, "1200000", period="okt")
    overrun = forecast(project, "1050000", period="apr")
    assert (overrun.forecast, overrun.forecast_period) == (D("1200000"), "okt")


def test_b8_projects_with_expected_overrun_lists_only_those_over_budget(
        municipality, django_assert_max_num_queries):
    _remove_all_projects()
    over = make_project(municipality["bun"], budget={2026: "6000000"}, name="Över")
    at = make_project(municipality["sbn"], budget={2026: "6000000"}, name="Vid")
    forecast(over, "7000000", spent="1000000")
    forecast(at, "6000000")
    with django_assert_max_num_queries(4):
        found = investments.projects_with_expected_overrun()
    assert [(o.project.name, o.amount, o.spent_to_date) for o in found] == [
        ("Över", D("1000000"), D("1000000"))]


# --- follow-up -----------------------------------------------------------------------------


def test_b8_second_of_two_concurrent_follow_ups_is_refused(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000"})
    investments.record_follow_up(project=project, year=2026, period="okt", spent=D("10"),
                                 forecast=D("1000000"), spent_version="0", forecast_version="0")
    with pytest.raises(DomainError) as error:
        investments.record_follow_up(project=project, year=2026, period="okt", spent=D("20"),
                                     forecast=D("1100000"), spent_version="0",
                                     forecast_version="0")
    assert error.value.message == STALE_MESSAGE
    assert project.outcomes.get().amount == D("10")


def test_b8_a_proposal_has_no_follow_up(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000"}, decided=False)
    with pytest.raises(DomainError, match="inte har beslutat"):
        investments.record_follow_up(project=project, year=2026, period="okt", spent=D("1"),
                                     forecast=D("1"), spent_version="0", forecast_version="0")


def test_b8_demo_school_heads_for_an_overrun_over_ten_percent(municipality):
    school = Investeringsprojekt.objects.get(name="Ny F–6-skola i Norrby")
    overrun = investments.expected_overrun(investments.get_project(school.pk))
    assert (overrun.total_budget, overrun.forecast) == (D("48000000"), D("54200000"))
    assert school.is_larger and overrun.exceeds(D("10"))
    assert Internranta.objects.get(year=2026).percent == D("1.5")


def _remove_all_projects() -> None:
    """An empty investment budget; the demo's deviation cases name projects, so they go too."""
    from deviations.models import Avvikelse

    Avvikelse.objects.filter(project__isnull=False).delete()
    Investeringsprojekt.objects.all().delete()
