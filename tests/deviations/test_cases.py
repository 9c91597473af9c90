"""The §7 rules: when a case opens (D1, D8), what it owes (D2-D6) and who may do what."""

import datetime as dt
from decimal import Decimal

import pytest

from budget.followup.forecasts import ForecastVariance
from deviations import detection, services
from deviations.deadlines import chase_deadlines, obligations
from deviations.models import Avvikelse, CaseKind, CaseStatus
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, CalendarEvent, EventKind, Notification, User

FRAME = Decimal("22700000")  # Kultur- och fritidsnämnden 2026
DAY = dt.date(2026, 11, 16)  # the new mandate period has begun


@pytest.fixture
def kfn(municipality):
    Avvikelse.objects.filter(namnd=municipality["kfn"]).delete()
    return municipality["kfn"]


@pytest.fixture
def year_2026(municipality):
    return BudgetYear.objects.get(year=2026)


def open_case(kfn, year_2026, forecast=FRAME * Decimal("1.02"), today=DAY):
    variance = ForecastVariance(namnd=kfn, budget_year=year_2026, period="okt", frame=FRAME,
                                forecast=forecast)
    return detection.open_deficit_case(variance=variance, today=today)


def person(username: str) -> User:
    return User.objects.get(username=username)


# D1 -------------------------------------------------------------------------------------------

def test_d1_deficit_of_exactly_one_percent_opens_no_case(kfn, year_2026):
    exactly = ForecastVariance(frame=FRAME, forecast=FRAME * Decimal("1.01"))
    assert exactly.is_significant_deficit is False
    assert open_case(kfn, year_2026, forecast=FRAME + FRAME / 100) is None
    assert not Avvikelse.objects.filter(namnd=kfn).exists()


def test_d1_deficit_of_one_point_zero_one_percent_opens_a_case(kfn, year_2026):
    forecast = FRAME * Decimal("1.0101")
    assert ForecastVariance(frame=FRAME, forecast=forecast).is_significant_deficit
    case = open_case(kfn, year_2026, forecast=forecast)
    assert case.kind == CaseKind.DEFICIT and case.status == CaseStatus.OPEN
    assert case.variance.amount == FRAME - forecast
    assert case.variance.percent == Decimal("-1.01")


def test_d1_a_surplus_or_a_small_deficit_opens_nothing():
    assert not ForecastVariance(frame=FRAME, forecast=FRAME - 1).is_significant_deficit
    half = ForecastVariance(frame=FRAME, forecast=FRAME * Decimal("1.005"))
    assert not half.is_significant_deficit
    assert not ForecastVariance(frame=Decimal(0), forecast=Decimal(5)).is_significant_deficit


def test_d1_saving_the_same_forecast_again_opens_no_second_case(kfn, year_2026):
    first = open_case(kfn, year_2026)
    assert first is not None
    assert open_case(kfn, year_2026) is None
    assert open_case(kfn, year_2026, forecast=FRAME * Decimal("1.05")) is None
    assert Avvikelse.objects.filter(namnd=kfn).count() == 1


def test_d1_after_a_case_is_closed_a_new_deficit_opens_a_new_case(kfn, year_2026):
    first = open_case(kfn, year_2026)
    services.close_case(case=first, closer=person("ekonomichef"), note="Inom ramen", today=DAY)
    assert open_case(kfn, year_2026, today=DAY + dt.timedelta(days=100)) is not None


def test_d1_the_forvaltningschef_ordforande_and_ekonomichef_are_told_once(kfn, year_2026):
    case = open_case(kfn, year_2026)
    told = set(Notification.objects.filter(key=f"avvikelse:{case.pk}:oppnat")
               .values_list("recipient__username", flat=True))
    assert {"ekonomichef"} <= told
    # Only the nämnd's own förvaltningschef and ordförande, not KF's ordförande.
    assert "kf.ordforande" not in told
    assert "bun.forvaltningschef" not in told
    assert {"kfn.ordforande", "kfn.forvaltningschef"} <= told
    assert "sn.ordforande" not in told


# D2, D3 ---------------------------------------------------------------------------------------

def test_d2_measures_are_due_promptly_after_the_setting(kfn, year_2026, settings):
    settings.DEVIATION_MEASURE_DAYS = 10
    case = open_case(kfn, year_2026)
    assert case.measures_due == DAY + dt.timedelta(days=10)


CHIEFS = {"bun.forvaltningschef", "sn.forvaltningschef", "sbn.forvaltningschef",
          "kfn.forvaltningschef"}


@pytest.fixture
def ks(municipality):
    Avvikelse.objects.filter(namnd=municipality["ks"]).delete()
    return municipality["ks"]


def _told(key):
    return set(Notification.objects.filter(key=key)
               .values_list("recipient__username", flat=True))


def _chase_measures(case, settings):
    """A reminder before the D2 deadline, then the escalation after it."""
    settings.REMINDER_DAYS = 5
    chase_deadlines(case.measures_due - dt.timedelta(days=3))
    chase_deadlines(case.measures_due + dt.timedelta(days=1))
    key = f"avvikelse:{case.pk}:atgarder"
    return _told(f"{key}:paminnelse"), _told(f"{key}:eskalering")


def test_d2_a_deficit_in_ks_which_has_no_forvaltningschef_tells_the_kommundirektor_at_once(
        ks, year_2026):
    case = open_case(ks, year_2026)
    told = _told(f"avvikelse:{case.pk}:oppnat")
    assert "kommundirektor" in told
    assert {"ks.ordforande", "ekonomichef"} <= told
    assert not told & CHIEFS  # no other nämnd's förvaltningschef
    body = Notification.objects.get(key=f"avvikelse:{case.pk}:oppnat",
                                    recipient__username="kommundirektor").body
    assert "Kommundirektören ska skyndsamt redovisa åtgärder" in body


def test_d2_in_ks_the_kommundirektor_is_the_one_reminded_and_chased_for_measures(
        ks, year_2026, settings):
    case = open_case(ks, year_2026)
    [measures] = [o for o in obligations(case, DAY) if o.code == "atgarder"]
    assert measures.roles == {"kommundirektor"}
    assert measures.label == "Kommundirektören redovisar åtgärder"
    reminded, escalated = _chase_measures(case, settings)
    assert reminded == {"kommundirektor"}
    assert escalated == {"kommundirektor"}


def test_d2_a_namnd_with_a_forvaltningschef_still_has_them_told_and_chased(
        kfn, year_2026, settings):
    case = open_case(kfn, year_2026)
    told = _told(f"avvikelse:{case.pk}:oppnat")
    assert "kfn.forvaltningschef" in told and "kommundirektor" not in told
    [measures] = [o for o in obligations(case, DAY) if o.code == "atgarder"]
    assert measures.label == "Förvaltningschefen redovisar åtgärder"
    reminded, escalated = _chase_measures(case, settings)
    assert reminded == {"kfn.forvaltningschef"}
    assert escalated == {"kfn.forvaltningschef", "kommundirektor"}


def test_d2_a_measure_needs_its_effect_and_responsible(kfn, year_2026):
    case = open_case(kfn, year_2026)
    chef = person("ekonomichef")
    with pytest.raises(DomainError):
        services.add_measure(case=case, author=chef, description="Vakanshållning",
                             expected_effect=Decimal("-1"), responsible="Förvaltningschefen")
    with pytest.raises(DomainError):
        services.add_measure(case=case, author=chef, description=" ",
                             expected_effect=Decimal("1"), responsible="Förvaltningschefen")
    measure = services.add_measure(case=case, author=chef, description="Vakanshållning",
                                   expected_effect=Decimal("250000"), responsible="FC")
    assert measure.expected_effect == Decimal("250000")


def test_d3_the_decision_is_due_at_the_namnds_next_meeting_after_the_forecast(kfn, year_2026):
    CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=kfn).delete()
    earlier = CalendarEvent.objects.create(budget_year=year_2026, kind=EventKind.MEETING,
                                           unit=kfn, date=DAY, title="Samma dag")
    meeting = CalendarEvent.objects.create(budget_year=year_2026, kind=EventKind.MEETING,
                                           unit=kfn, date=dt.date(2026, 12, 8), title="December")
    CalendarEvent.objects.create(budget_year=year_2026, kind=EventKind.MEETING, unit=kfn,
                                 date=dt.date(2026, 12, 15), title="Senare")
    case = open_case(kfn, year_2026)
    # Presented at the meeting the day the case opened; decided at the one after.
    assert case.presented_meeting == earlier
    assert case.decision_meeting == meeting
    assert case.decision_due == dt.date(2026, 12, 8)


def test_d3_a_forecast_opened_after_a_meeting_waits_for_the_next_two(kfn, year_2026):
    CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=kfn).delete()
    for day in (DAY - dt.timedelta(days=1), dt.date(2026, 12, 1), dt.date(2026, 12, 15)):
        CalendarEvent.objects.create(budget_year=year_2026, kind=EventKind.MEETING, unit=kfn,
                                     date=day, title="Sammanträde")
    case = open_case(kfn, year_2026)
    assert case.presented_meeting.date == dt.date(2026, 12, 1)
    assert case.decision_due == dt.date(2026, 12, 15)


def test_d3_without_a_meeting_the_deadline_comes_when_one_is_added(kfn, year_2026):
    CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=kfn).delete()
    case = open_case(kfn, year_2026)
    assert case.decision_due is None
    for day in (dt.date(2026, 12, 1), dt.date(2026, 12, 20)):
        CalendarEvent.objects.create(budget_year=year_2026, kind=EventKind.MEETING, unit=kfn,
                                     date=day, title="Nytt")
    chase_deadlines(DAY)
    case.refresh_from_db()
    assert case.presented_meeting.date == dt.date(2026, 12, 1)
    assert case.decision_due == dt.date(2026, 12, 20)


def test_d3_the_namnd_decides_on_presented_measures_once_and_reports_to_ks(kfn, year_2026):
    case = open_case(kfn, year_2026)
    secretary = person("ekonomichef")
    with pytest.raises(DomainError, match="inte redovisat några åtgärder"):
        services.record_decision(case=case, recorder=secretary, decided_on=DAY, paragraph="12",
                                 text="Åtgärderna antas", today=DAY)
    with pytest.raises(DomainError, match="måste vara registrerat"):
        services.record_reported_to_ks(case=case, on=DAY, today=DAY)
    services.add_measure(case=case, author=secretary, description="Minskade öppettider",
                         expected_effect=Decimal("300000"), responsible="Biblioteket")
    with pytest.raises(DomainError, match="framtiden"):
        services.record_decision(case=case, recorder=secretary, decided_on=DAY
                                 + dt.timedelta(days=1), paragraph="12", text="x", today=DAY)
    services.record_decision(case=case, recorder=secretary, decided_on=DAY, paragraph="12",
                             text="Åtgärderna antas", today=DAY)
    with pytest.raises(DomainError, match="redan registrerat"):
        services.record_decision(case=case, recorder=secretary, decided_on=DAY, paragraph="13",
                                 text="Igen", today=DAY)
    with pytest.raises(DomainError, match="redan beslutat"):
        services.add_measure(case=case, author=secretary, description="Sent",
                             expected_effect=Decimal("1"), responsible="x")
    services.record_reported_to_ks(case=case, on=DAY, today=DAY)
    case.refresh_from_db()
    assert case.reported_to_ks_on == DAY and case.paragraph == "12"


# D4, D5, D6 -----------------------------------------------------------------------------------

def test_d4_the_opinion_is_minuted_and_its_extract_reported_to_ks(kfn, year_2026):
    case = open_case(kfn, year_2026)
    opinion = services.add_opinion(case=case, author=person("ekonomichef"),
                                   proposal="Utökade öppettider i sommar",
                                   opinion="Förslaget saknar finansiering.", meeting_on=DAY,
                                   today=DAY)
    services.record_opinion_reported(opinion=opinion, on=DAY, today=DAY)
    with pytest.raises(DomainError):
        services.record_opinion_reported(opinion=opinion, on=DAY, today=DAY)


def test_d5_the_case_shows_ksau_pending_until_the_ordforande_records_it(kfn, year_2026):
    case = open_case(kfn, year_2026)
    ksau = next(o for o in obligations(case, DAY) if o.code == "ksau")
    assert ksau.rule == "D5" and ksau.state == "pagaende" and ksau.done_on is None
    services.record_ksau_informed(case=case, chair=person("ekonomichef"), on=DAY, today=DAY)
    case.refresh_from_db()
    ksau = next(o for o in obligations(case, DAY) if o.code == "ksau")
    assert ksau.state == "klar"


def test_d6_effects_are_reported_at_later_follow_ups_only_once_each(kfn, year_2026):
    case = open_case(kfn, year_2026)
    chef = person("ekonomichef")
    with pytest.raises(DomainError, match="senare uppföljning"):
        services.add_effect_report(case=case, author=chef, period="okt",
                                   assessment="tillrackliga", expected_effect=Decimal(1),
                                   comment="x")
    services.add_effect_report(case=case, author=chef, period="ar", assessment="nya_beslut",
                               expected_effect=Decimal("200000"), comment="Räcker inte")
    with pytest.raises(DomainError, match="redan redovisad"):
        services.add_effect_report(case=case, author=chef, period="ar",
                                   assessment="tillrackliga", expected_effect=Decimal(1),
                                   comment="x")


def test_a_closed_case_takes_nothing_more_and_closing_needs_a_note(kfn, year_2026):
    case = open_case(kfn, year_2026)
    with pytest.raises(DomainError):
        services.close_case(case=case, closer=person("ekonomichef"), note="", today=DAY)
    services.close_case(case=case, closer=person("ekonomichef"), note="Prognosen är inom ramen",
                        today=DAY)
    with pytest.raises(DomainError, match="avslutat"):
        services.add_measure(case=case, author=person("ekonomichef"), description="x",
                             expected_effect=Decimal(1), responsible="x")


# D8 -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("budget", "forecast", "reported"), [
    (Decimal("5000000"), Decimal("6000000"), False),    # exactly 5,0 mnkr
    (Decimal("5010000"), Decimal("5511000"), False),    # exactly 10 % over
    (Decimal("5010000"), Decimal("5516010"), True),     # 5,01 mnkr and 10,1 %
    (Decimal("48000000"), Decimal("54200000"), True),
    (Decimal("3000000"), Decimal("3450000"), False),    # small project, 15 %
])
def test_d8_only_a_project_over_5_mnkr_more_than_10_percent_over_is_reported_to_kf(
        budget, forecast, reported):
    assert detection.must_report_to_kf(budget=budget, forecast=forecast) is reported


# Deadlines ------------------------------------------------------------------------------------

def test_deadlines_remind_before_and_escalate_after_each_once(kfn, year_2026, settings):
    settings.REMINDER_DAYS = 5
    settings.DEVIATION_MEASURE_DAYS = 14
    settings.DEVIATION_KSAU_DAYS = 14
    case = open_case(kfn, year_2026)
    key = f"avvikelse:{case.pk}:atgarder"
    assert chase_deadlines(DAY) >= 0
    assert not Notification.objects.filter(key__startswith=key).exists()
    reminder_day = case.measures_due - dt.timedelta(days=3)
    chase_deadlines(reminder_day)
    reminded = Notification.objects.filter(key=f"{key}:paminnelse")
    assert reminded.exists()
    count = Notification.objects.count()
    chase_deadlines(reminder_day)  # the task runs twice
    assert Notification.objects.count() == count
    late = case.measures_due + dt.timedelta(days=1)
    chase_deadlines(late)
    escalated = set(Notification.objects.filter(key=f"{key}:eskalering")
                    .values_list("recipient__username", flat=True))
    assert "kommundirektor" in escalated
    count = Notification.objects.count()
    chase_deadlines(late + dt.timedelta(days=3))  # late again: nothing twice
    assert Notification.objects.count() == count


def test_deadlines_stop_once_the_step_is_done(kfn, year_2026):
    case = open_case(kfn, year_2026)
    services.add_measure(case=case, author=person("ekonomichef"), description="Åtgärd",
                         expected_effect=Decimal("1000"), responsible="FC")
    chase_deadlines(case.measures_due + dt.timedelta(days=1))
    assert not Notification.objects.filter(key=f"avvikelse:{case.pk}:atgarder:eskalering").exists()


# D7, D8 on the demo's projects ----------------------------------------------------------------

def test_d7_d8_running_projects_over_budget_get_one_case_each(municipality):
    Avvikelse.objects.filter(kind=CaseKind.INVESTMENT).delete()
    opened = detection.scan_investments(DAY)
    cases = {case.project.name: case for case in
             Avvikelse.objects.filter(kind=CaseKind.INVESTMENT).select_related("project")}
    assert opened == len(cases)
    school = cases["Ny F–6-skola i Norrby"]
    assert school.report_to_kf is True  # 48 mnkr, 12,9 % over (D8)
    assert school.budget_amount == Decimal("48000000")
    assert school.forecast_amount == Decimal("54200000")
    assert cases["Nytt ärendehanteringssystem"].report_to_kf is False  # 2,4 mnkr, 15 % (D7)
    assert cases["Konstgräsplan Ekbackavallen"].report_to_kf is False  # 5,3 % over
    assert "Ombyggnad av Lindgårdens kök" not in cases  # exactly at budget, and closed
    assert detection.scan_investments(DAY) == 0  # the hourly task again: nothing new
    told = set(Notification.objects.filter(key=f"avvikelse:{school.pk}:kf")
               .values_list("recipient__username", flat=True))
    assert "kommunsekreterare" in told


def test_d8_the_kf_report_is_recorded_only_for_a_case_that_owes_it(municipality):
    Avvikelse.objects.filter(kind=CaseKind.INVESTMENT).delete()
    detection.scan_investments(DAY)
    small = Avvikelse.objects.get(project__name="Nytt ärendehanteringssystem")
    with pytest.raises(DomainError, match="behöver inte återrapporteras"):
        services.record_reported_to_kf(case=small, on=DAY, today=DAY)
    school = Avvikelse.objects.get(project__name="Ny F–6-skola i Norrby")
    services.record_namnd_informed(case=school, on=DAY, today=DAY)
    services.record_reported_to_kf(case=school, on=DAY, today=DAY)
    school.refresh_from_db()
    assert {o.code: o.state for o in obligations(school, DAY)} == {
        "namnd": "klar", "ksau": "pagaende", "kf": "klar"}
