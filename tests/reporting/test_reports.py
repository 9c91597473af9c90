"""Report periods (F1, F2), the sections' workflow, deadlines and the assembled numbers."""

import datetime as dt
from decimal import Decimal

import pytest

from budget.followup.selectors import namnd_followup
from budget.models import Prognos
from goals.models import Malbedomning
from reporting import reports, reports_content, reports_deadlines
from reporting.models import (
    PeriodStatus,
    Rapportavsnitt,
    Rapporthandelse,
    Rapportperiod,
    SectionStatus,
)
from reporting.reports_content import assemble
from styrmodell import due_work
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, CalendarEvent, Notification, OrganisationUnit, User
from styrmodell.versioning import current_version

TODAY = dt.date(2026, 11, 25)


def _user(username):
    return User.objects.get(username=username)


@pytest.fixture
def october(municipality):
    return Rapportperiod.objects.get(budget_year__year=2026, code="okt")


def _section(period, key, municipality):
    return Rapportavsnitt.objects.select_related("period", "namnd").get(
        period=period, namnd=municipality[key])


def test_f1_periods_open_from_the_calendar_once_each(municipality):
    Rapportperiod.objects.filter(budget_year__year=2027).delete()
    year = BudgetYear.objects.get(year=2027)
    # 2027's February follow-up (due 2027-03-20) and 2026's årsrapporter (due 2027-02-15).
    assert reports.open_due_periods(dt.date(2027, 2, 10)) == 2
    assert Rapportperiod.objects.filter(budget_year__year=2026, code="ar").exists()
    assert reports.open_due_periods(dt.date(2027, 2, 10)) == 0
    assert due_work.run_all(dt.date(2027, 2, 10))["rapporter-oppnas"] == 0
    february = Rapportperiod.objects.get(budget_year=year, code="feb")
    assert february.deadline == CalendarEvent.objects.get(
        budget_year=year, code="f1-uppfoljning-februari").date
    namnder = OrganisationUnit.objects.filter(kind__in=["namnd", "ks"], is_active=True).count()
    assert february.sections.count() == namnder
    assert Rapportperiod.objects.filter(budget_year=year).count() == 1


def test_f1_the_annual_report_is_due_at_the_arsrapport_and_approved_by_kf_in_april(municipality):
    annual = Rapportperiod.objects.get(budget_year__year=2025, code="ar")
    assert annual.deadline == dt.date(2026, 2, 15)
    assert annual.decision_due == dt.date(2026, 4, 30)
    assert annual.status == PeriodStatus.KF


def test_f1_a_moved_calendar_date_moves_the_deadline_of_a_new_period(municipality):
    Rapportperiod.objects.filter(budget_year__year=2027).delete()
    event = CalendarEvent.objects.get(budget_year__year=2027, code="f1-uppfoljning-februari")
    event.date = dt.date(2027, 3, 10)
    event.save()
    reports.open_due_periods(dt.date(2027, 2, 10))
    assert Rapportperiod.objects.get(budget_year__year=2027, code="feb").deadline == event.date


def test_f2_ksau_asks_for_an_extra_follow_up_with_a_date_and_reason(municipality):
    year = BudgetYear.objects.get(year=2026)
    with pytest.raises(DomainError):
        reports.request_extra(budget_year=year, requested_on=dt.date(2026, 12, 1),
                              deadline=dt.date(2026, 12, 15), reason=" ",
                              by=_user("kommunsekreterare"), today=TODAY)
    extra = reports.request_extra(budget_year=year, requested_on=dt.date(2026, 12, 1),
                                  deadline=dt.date(2026, 12, 15), reason="Placeringskostnader",
                                  by=_user("kommunsekreterare"), today=TODAY)
    assert extra.sections.count() > 0 and extra.reason == "Placeringskostnader"
    assert extra.events.get().step == "Begärd av KSAU"


def test_f2_an_extra_follow_up_is_named_by_its_deadline_in_words(municipality):
    extra = reports.request_extra(budget_year=BudgetYear.objects.get(year=2026),
                                  requested_on=dt.date(2026, 12, 1),
                                  deadline=dt.date(2026, 12, 15), reason="Placeringskostnader",
                                  by=_user("kommunsekreterare"), today=TODAY)
    assert str(extra) == "Extra uppföljning 15 december 2026"


def test_the_workflow_from_draft_to_kf_with_each_step_kept(municipality, october):
    sections = list(october.sections.select_related("period", "namnd"))
    for section in sections:
        chief = "kommundirektor" if section.namnd.kind == "ks" else "bun.forvaltningschef"
        reports.save_texts(section=section, version=current_version(section), by=_user(chief),
                           summary="Sammanfattning", conclusion="Slutsats")
        reports.submit(section=section, by=_user(chief), today=TODAY)
    with pytest.raises(DomainError, match="godkända"):
        reports.compile_report(period=october, version=current_version(october), summary="S",
                               case_number="", by=_user("ekonomichef"), today=TODAY)
    for section in sections:
        reports.decide(section=section, approve=True, decided_on=TODAY, paragraph="1",
                       comment="", by=_user("bun.ordforande"))
    with pytest.raises(DomainError):
        reports.record_decision(period=october, body="ks", decided_on=TODAY, paragraph="",
                                by=_user("kommunsekreterare"))
    reports.compile_report(period=october, version=current_version(october), summary="S",
                           case_number="KS 2026/9", by=_user("ekonomichef"), today=TODAY)
    with pytest.raises(DomainError):
        reports.record_decision(period=october, body="kf", decided_on=TODAY, paragraph="",
                                by=_user("kommunsekreterare"))
    reports.record_decision(period=october, body="ks", decided_on=TODAY, paragraph="2",
                            by=_user("kommunsekreterare"))
    reports.record_decision(period=october, body="kf", decided_on=TODAY, paragraph="3",
                            by=_user("kommunsekreterare"))
    october.refresh_from_db()
    assert october.status == PeriodStatus.KF
    steps = list(Rapporthandelse.objects.filter(period=october, section__isnull=True)
                 .values_list("step", flat=True))
    assert steps[-3:] == ["Sammanställd av ekonomiavdelningen", "Behandlad av KS, § 2",
                          "Godkänd av KF, § 3"]


def test_an_approved_section_is_locked(municipality, october):
    section = _section(october, "bun", municipality)
    reports.save_texts(section=section, version=current_version(section),
                       by=_user("bun.forvaltningschef"), summary="Klart")
    reports.submit(section=section, by=_user("bun.forvaltningschef"), today=TODAY)
    with pytest.raises(DomainError):
        reports.save_texts(section=section, version=current_version(section),
                           by=_user("bun.forvaltningschef"), summary="Ändrat i väntan")
    reports.decide(section=section, approve=True, decided_on=TODAY, paragraph="5", comment="",
                   by=_user("bun.ordforande"))
    with pytest.raises(DomainError, match="låst"):
        reports.save_texts(section=section, version=current_version(section),
                           by=_user("bun.forvaltningschef"), summary="Ändrat efteråt")
    section.refresh_from_db()
    assert section.summary == "Klart" and section.status == SectionStatus.APPROVED


def test_a_returned_section_needs_a_comment_and_can_be_written_again(municipality, october):
    section = _section(october, "sn", municipality)
    reports.save_texts(section=section, version=current_version(section),
                       by=_user("sn.forvaltningschef"), summary="Första")
    reports.submit(section=section, by=_user("sn.forvaltningschef"), today=TODAY)
    with pytest.raises(DomainError):
        reports.decide(section=section, approve=False, decided_on=TODAY, paragraph="",
                       comment="", by=_user("sn.ordforande"))
    reports.decide(section=section, approve=False, decided_on=TODAY, paragraph="",
                   comment="Mer om IFO", by=_user("sn.ordforande"))
    section.refresh_from_db()
    assert section.status == SectionStatus.RETURNED
    reports.save_texts(section=section, version=current_version(section),
                       by=_user("sn.forvaltningschef"), summary="Andra")


def test_a_stale_text_save_is_refused(municipality, october):
    section = _section(october, "kfn", municipality)
    version = current_version(section)
    reports.save_texts(section=section, version=version, by=_user("kfn.forvaltningschef"),
                       summary="Ett")
    with pytest.raises(DomainError, match="Någon annan"):
        reports.save_texts(section=section, version=version, by=_user("kfn.forvaltningschef"),
                           summary="Två")


def test_f1_reports_long_past_are_not_opened_by_the_task(municipality):
    Rapportperiod.objects.filter(budget_year__year=2027).delete()
    reports.open_due_periods(dt.date(2028, 6, 1))  # every 2027 deadline is months back
    assert not Rapportperiod.objects.filter(budget_year__year=2027, code="feb").exists()
    reports.open_due_periods(dt.date(2027, 4, 10))  # February's report, three weeks late
    assert Rapportperiod.objects.filter(budget_year__year=2027, code="feb").exists()


def test_f1_the_task_opens_a_report_and_chases_it_in_one_run_then_sends_nothing(municipality):
    Rapportperiod.objects.filter(budget_year__year=2027).delete()
    late = dt.date(2027, 3, 25)  # February's deadline (2027-03-20) has passed
    first = due_work.run_all(late)
    assert first["rapporter-oppnas"] >= 1 and first["rapporter-paminnelser"] >= 1
    second = due_work.run_all(late)
    assert second["rapporter-oppnas"] == 0 and second["rapporter-paminnelser"] == 0


def test_f1_reminder_before_the_deadline_and_escalation_after_each_once(municipality):
    year = BudgetYear.objects.get(year=2026)
    extra = reports.request_extra(budget_year=year, requested_on=dt.date(2026, 12, 1),
                                  deadline=dt.date(2026, 12, 15), reason="Prov",
                                  by=_user("kommunsekreterare"), today=TODAY)
    bun = _section(extra, "bun", municipality)
    keys = {f"rapportavsnitt:{bun.pk}:paminnelse", f"rapportavsnitt:{bun.pk}:eskalering"}
    mine = Notification.objects.filter(key__in=keys)
    reports_deadlines.chase_sections(dt.date(2026, 12, 1))
    assert not mine.exists()  # more than REMINDER_DAYS before
    reports_deadlines.chase_sections(dt.date(2026, 12, 10))
    reports_deadlines.chase_sections(dt.date(2026, 12, 11))
    reminded = list(mine.values_list("recipient__username", "key"))
    assert reminded == [("bun.forvaltningschef", f"rapportavsnitt:{bun.pk}:paminnelse")]
    # The task runs late, twice: the kommundirektör is told once.
    reports_deadlines.chase_sections(dt.date(2026, 12, 20))
    reports_deadlines.chase_sections(dt.date(2026, 12, 21))
    escalated = list(mine.filter(key__endswith="eskalering").values_list(
        "recipient__username", flat=True))
    assert escalated == ["kommundirektor"]


def test_f1_a_submitted_section_is_not_reminded(municipality):
    year = BudgetYear.objects.get(year=2026)
    extra = reports.request_extra(budget_year=year, requested_on=dt.date(2026, 12, 1),
                                  deadline=dt.date(2026, 12, 15), reason="Prov",
                                  by=_user("kommunsekreterare"), today=TODAY)
    bun = _section(extra, "bun", municipality)
    reports.save_texts(section=bun, version=current_version(bun),
                       by=_user("bun.forvaltningschef"), summary="Klart")
    reports.submit(section=bun, by=_user("bun.forvaltningschef"), today=TODAY)
    reports_deadlines.chase_sections(dt.date(2026, 12, 20))
    assert not Notification.objects.filter(key__startswith=f"rapportavsnitt:{bun.pk}:").exists()


def test_a1_the_assembled_numbers_equal_goals_and_budget(municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    sections = list(august.sections.select_related("period", "namnd"))
    contents = assemble(august, sections, user=_user("revisor"))
    for content in contents:
        namnd = content.section.namnd
        followup = namnd_followup(namnd=namnd, budget_year=august.budget_year)
        forecast = Prognos.objects.filter(namnd=namnd, budget_year=august.budget_year,
                                          period="aug").first()
        assert content.economy.frame == followup.frame
        assert content.economy.forecast == forecast
        if forecast is not None and followup.frame is not None:
            assert content.economy.variance.amount == followup.frame - forecast.total
        months = min(8, followup.last_month or 0)
        if months:
            assert content.economy.outcome_to_date == followup.months[months - 1].cumulative
        for row in content.goals:
            expected = Malbedomning.objects.filter(namndmal=row.goal, period="aug").first()
            assert row.assessment == expected
    assert any(content.goals for content in contents)
    assert any(content.economy.forecast for content in contents)


def test_a4_the_august_report_shows_the_goal_forecast(client, login, municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    login("revisor")
    html = client.get(august.get_absolute_url()).content.decode()
    assert "prognos för måluppfyllelse" in html


def test_what_changed_compares_with_the_previous_report(client, login, municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    section = _section(august, "sn", municipality)
    previous = reports.previous_section(section)
    assert previous.period.code == "apr" and previous.period.budget_year.year == 2026
    login("sn.ordforande")
    response = client.get(f"{section.get_absolute_url()}andringar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Helårsprognos" in html and str(previous.period) in html


def test_d6_an_approved_report_keeps_the_cases_open_when_the_namnd_approved_it(municipality):
    """April's section was approved on 19 May, while the spring case (opened 13 May, closed
    21 September) was open and before the October case was opened: it shows just that one."""
    from deviations.models import Avvikelse

    april = Rapportperiod.objects.get(budget_year__year=2026, code="apr")
    section = _section(april, "sn", municipality)
    content = assemble(april, [section], user=_user("revisor"))[0]
    spring = Avvikelse.objects.get(namnd=section.namnd, budget_year__year=2026,
                                   closed_on__isnull=False)
    assert section.approved_on == dt.date(2026, 5, 19)
    assert [row.case.pk for row in content.cases] == [spring.pk]


def test_d6_a_section_not_yet_approved_shows_the_cases_open_today(municipality, october):
    from deviations.models import Avvikelse

    section = _section(october, "sn", municipality)
    content = assemble(october, [section], user=_user("revisor"))[0]
    open_now = Avvikelse.objects.filter(namnd=section.namnd, budget_year__year=2026,
                                        status="oppen")
    assert {row.case.pk for row in content.cases} == {case.pk for case in open_now} != set()


def test_d6_the_report_of_a_follow_up_shows_the_effect_reported_at_it(client, login,
                                                                      municipality, october):
    from decimal import Decimal

    from deviations.models import Avvikelse, EffectAssessment, Effektrapport

    section = _section(october, "sn", municipality)
    case = Avvikelse.objects.get(namnd=section.namnd, budget_year__year=2026, status="oppen")
    Effektrapport.objects.create(case=case, period="aug", assessment=EffectAssessment.SUFFICIENT,
                                 expected_effect=Decimal("100000"), comment="Augusti.",
                                 written_by=_user("sn.forvaltningschef"))
    Effektrapport.objects.create(case=case, period="okt",
                                 assessment=EffectAssessment.INSUFFICIENT,
                                 expected_effect=Decimal("2400000"),
                                 comment="Placeringarna minskar långsammare än planerat.",
                                 written_by=_user("sn.forvaltningschef"))
    row = next(row for row in assemble(october, [section], user=_user("revisor"))[0].cases
               if row.case == case)
    assert row.effect.period == "okt"
    login("sn.ordforande")
    html = client.get(section.get_absolute_url()).content.decode()
    assert "Nya beslut behövs" in html and "Placeringarna minskar långsammare" in html
    assert "Augusti." not in html


def test_d6_the_case_count_in_what_changed_is_each_report_at_its_own_time(client, login,
                                                                          municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    section = _section(august, "sn", municipality)
    previous = reports.previous_section(section)
    current, before = assemble(august, [section], user=_user("revisor"))[0], assemble(
        previous.period, [previous], user=_user("revisor"))[0]
    row = next(row for row in reports_content.comparison(current, before)
               if row.label == "Öppna avvikelseärenden")
    assert (row.before, row.after) == ("1", str(len(current.cases)))


def test_the_demo_has_approved_reports_and_an_august_in_progress(municipality):
    assert Rapportperiod.objects.get(budget_year__year=2025, code="ar").status == PeriodStatus.KF
    for code in ("feb", "apr"):
        assert Rapportperiod.objects.get(budget_year__year=2026,
                                         code=code).status == PeriodStatus.KF
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    statuses = dict(august.sections.values_list("namnd__short_name", "status"))
    assert august.status == PeriodStatus.OPEN
    assert statuses["SN"] == SectionStatus.RETURNED
    assert SectionStatus.SUBMITTED in statuses.values()


def test_an_approved_section_keeps_its_numbers_and_shows_later_changes(client, login,
                                                                       municipality, october):
    from decimal import Decimal

    from django.utils import timezone

    section = _section(october, "bun", municipality)
    chief = _user("bun.forvaltningschef")
    reports.save_texts(section=section, version=current_version(section), by=chief,
                       summary="Klart")
    reports.submit(section=section, by=chief, today=TODAY)
    reports.decide(section=section, approve=True, decided_on=TODAY, paragraph="5", comment="",
                   by=_user("bun.ordforande"))
    section.refresh_from_db()
    content = assemble(october, [section], user=chief)[0]
    assert section.approved_figures["Ram"] == reports_content._money(content.economy.frame)
    forecast, _ = Prognos.objects.update_or_create(
        namnd=municipality["bun"], budget_year=october.budget_year, period="okt",
        defaults={"total": Decimal("999000000"), "written_by": chief,
                  "written_at": timezone.now()})
    login("bun.ordforande")
    html = client.get(section.get_absolute_url()).content.decode()
    assert "Siffror som ändrats sedan nämnden godkände avsnittet" in html
    assert reports_content._money(forecast.total) in html


def test_f1_the_delarsrapport_calls_out_positive_and_negative_goal_deviations(client, login,
                                                                             municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    contents = {c.namnd.short_name: c for c in assemble(
        august, list(august.sections.select_related("period", "namnd")),
        user=_user("revisor"))}
    assert [row.goal.title for row in contents["SN"].goals_expected_missed] == [
        "Kortare väntetid till särskilt boende"]
    assert [row.goal.title for row in contents["SBN"].goals_expected_met] == [
        "Snabbare bygglovshandläggning"]
    assert contents["BUN"].goals_expected_met == contents["BUN"].goals_expected_missed == []
    login("revisor")
    html = client.get(august.get_absolute_url()).content.decode()
    assert html.count("Negativa avvikelser från nämndmålen") == len(
        [c for c in contents.values() if c.goals])
    april = Rapportperiod.objects.get(budget_year__year=2026, code="apr")
    assert "Negativa avvikelser från nämndmålen" not in client.get(
        april.get_absolute_url()).content.decode()


def test_a2_a_key_figure_that_develops_negatively_is_flagged_in_the_report(client, login,
                                                                          municipality):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    section = _section(august, "bun", municipality)
    content = assemble(august, [section], user=_user("revisor"))[0]
    flagged = [row for row in content.key_figures if row.is_candidate]
    assert flagged and all(row.development_label == "Försämras" for row in flagged)
    login("revisor")
    html = client.get(section.get_absolute_url()).content.decode()
    assert "kandidat till nämndmål nästa år" in html


def test_d1_the_municipalitys_overview_sums_the_namnder_and_marks_significant_deficits(
        client, login, municipality):
    from decimal import Decimal

    from reporting.reports_content import economy_overview

    october = Rapportperiod.objects.get(budget_year__year=2026, code="okt")
    contents = assemble(october, list(october.sections.select_related("period", "namnd")),
                        user=_user("revisor"))
    overview = economy_overview(contents)
    with_forecast = [c for c in contents if c.economy.forecast]
    assert overview.frame == sum((c.economy.frame for c in contents), Decimal(0))
    assert overview.forecast == sum((c.economy.forecast.total for c in with_forecast),
                                    Decimal(0))
    assert overview.variance.amount == sum(
        (c.economy.variance.amount for c in with_forecast), Decimal(0))
    flagged = {row.content.namnd.short_name for row in overview.rows if row.significant_deficit}
    assert flagged == {"SN"}  # −1,6 % in October; BUN's −0,9 % is within the limit
    login("revisor")
    html = client.get(october.get_absolute_url()).content.decode()
    assert "Nämndernas ekonomi 2026" in html and "Summa nämnderna" in html
    assert html.count("väsentligt underskott") == 1


def test_f4_the_arsredovisning_reports_the_years_result_and_what_kf_did_with_it(
        client, login, municipality):
    from budget.models import BudgetYear
    from budget.yearend.services import results
    from reporting.reports_content import economy_overview

    annual = Rapportperiod.objects.get(budget_year__year=2025, code="ar")
    contents = assemble(annual, list(annual.sections.select_related("period", "namnd")),
                        user=_user("revisor"))
    expected = {r.namnd.pk: r for r in results(budget_year=BudgetYear.objects.get(year=2025))}
    for content in contents:
        economy = content.economy
        assert economy.is_year_end and economy.forecast is None
        result = expected[content.namnd.pk]
        assert economy.outcome_to_date == economy.full_year == result.outcome
        assert economy.variance.amount == result.result
        assert economy.disposition == result.disposition
    assert any(c.economy.disposition for c in contents)
    overview = economy_overview(contents)
    assert overview.is_year_end and overview.missing_forecasts == []
    assert overview.variance.amount == sum(r.result for r in expected.values()
                                            if r.namnd.pk in {c.namnd.pk for c in contents})
    login("revisor")
    html = client.get(annual.get_absolute_url()).content.decode()
    assert "Årets resultat mot ram" in html and "Resultat mot ram" in html
    assert "Årets resultat" in html and "Ingen prognos" not in html


def _annual_2026_before_kf():
    from reporting.models import ReportKind

    return Rapportperiod.objects.create(
        budget_year=BudgetYear.objects.get(year=2026), code="ar-prov",
        kind=ReportKind.ARSREDOVISNING, period="ar", title="Årsredovisning 2026",
        deadline=dt.date(2027, 2, 15),
        opened_on=dt.date(2027, 1, 5), status=PeriodStatus.KS, ks_on=dt.date(2027, 4, 5),
        case_number="KS 2027/12")


def test_b9_kfs_decision_on_the_arsredovisning_is_kept_for_the_ombudgetering_it_carries(
        municipality):
    from budget.investments import services as investments
    from budget.models import Arsredovisningsbeslut, Investeringsprojekt

    annual = _annual_2026_before_kf()
    assert not Arsredovisningsbeslut.objects.filter(budget_year__year=2026).exists()
    reports.record_decision(period=annual, body="kf", decided_on=dt.date(2027, 4, 26),
                            paragraph="38", by=_user("kommunsekreterare"))
    decision = Arsredovisningsbeslut.objects.get(budget_year__year=2026)
    assert (decision.decided_on, decision.paragraph, decision.case_number) == (
        dt.date(2027, 4, 26), "38", "KS 2027/12")
    school = Investeringsprojekt.objects.get(name="Ny F–6-skola i Norrby")
    moved = investments.ombudgetera(project=school, from_year=2026, to_year=2027,
                                    amount=Decimal("700000"), reason="Försenat.",
                                    annual_report=decision)
    assert moved.annual_report == decision and moved.paragraph == "38"


def test_b9_kfs_decision_on_a_follow_up_report_carries_no_ombudgetering(municipality, october):
    from budget.models import Arsredovisningsbeslut

    october.status, october.ks_on = PeriodStatus.KS, TODAY
    october.save()
    reports.record_decision(period=october, body="kf", decided_on=TODAY, paragraph="3",
                            by=_user("kommunsekreterare"))
    assert not Arsredovisningsbeslut.objects.filter(budget_year__year=2026).exists()


def test_b3_the_arsredovisning_shows_how_each_earmark_was_used(client, login, municipality):
    annual = Rapportperiod.objects.get(budget_year__year=2025, code="ar")
    contents = {c.namnd.pk: c for c in assemble(
        annual, list(annual.sections.select_related("period", "namnd")), user=_user("revisor"))}
    [lovskola] = contents[municipality["bun"].pk].earmarks
    [heltid] = contents[municipality["sn"].pk].earmarks
    assert (lovskola.line.label, lovskola.is_fully_used) == ("Läxhjälp och lovskola", True)
    assert heltid.is_partly_used and heltid.unused == Decimal("200000")
    assert contents[municipality["kfn"].pk].earmarks == []
    login("kf.ordforande")  # politicians read it
    html = " ".join(client.get(annual.get_absolute_url()).content.decode().split())
    assert "Specificerade budgettillskott" in html
    assert "Lovskola sommar och höst för 420 elever" in html
    assert "Det som inte använts är inte fria medel och förs inte över." in html
    assert "Nämnden hade inga specificerade budgettillskott." in html


def test_b3_a_follow_up_report_has_no_earmark_accounting(municipality, october):
    contents = assemble(october, list(october.sections.select_related("period", "namnd")),
                        user=_user("revisor"))
    assert all(c.earmarks == [] for c in contents)

