"""Named responsibility for a volume measure (F1) and for a deficit case's measures (D2, D6),
and what every appointed person is told: at the appointment and before what the object owes.

The förvaltningschef appoints; the appointed official writes exactly that object (P5) — one
measure's outcome and forecast, or one case's measures and their effect, never the
förvaltningschef's own minuted opinion (D4) — and Mina frister and the reminders say what is
still owed until it is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budget.followup.forecasts import ForecastVariance
from budget.models import Volymmatt, Volymuppfoljning
from deviations import detection
from deviations.models import Avvikelse, CaseStatus
from reporting.appointed_deadlines import remind_the_appointed
from reporting.deadlines_feed import deadlines_for
from styrmodell import appointments
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, BudgetYearStatus, FollowUpPeriod, Notification, User
from styrmodell.permissions import Action, can

from .test_appointments import TODAY, fixed_today  # noqa: F401  (the fixed day)


def _appoint(obj, person, *, days=60, by="bun.forvaltningschef"):
    return appointments.appoint(
        by=User.objects.get(username=by), person=person, obj=obj, starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=days), reason="Leder arbetet")


def _bun_measures(bun):
    return list(Volymmatt.objects.filter(namnd=bun, budget_year__year=2026)
                .order_by("position", "pk"))


def _rows(measures, values):
    data = {}
    for measure, (outcome, forecast, comment) in zip(measures, values, strict=True):
        data.update({f"outcome_{measure.pk}": outcome, f"forecast_{measure.pk}": forecast,
                     f"comment_{measure.pk}": comment})
    return data


# --- One volume measure (F1) ---------------------------------------------------------------


def test_p5_the_appointed_writes_one_measures_volumes_and_no_other(people, unit):
    ida, bun = people("bun.malansvarig"), unit("bun")
    mine, other, *_ = _bun_measures(bun)
    _appoint(mine, ida)
    assert can(ida, Action.CHANGE, "volume", bun, obj=mine)
    assert not can(ida, Action.CHANGE, "volume", bun, obj=other)
    assert not can(ida, Action.CHANGE, "volume", bun)
    assert not can(ida, Action.DELETE, "volume", bun, obj=mine)


def test_f1_the_appointed_fills_in_her_measure_only(people, unit, login, client):
    ida, bun = people("bun.malansvarig"), unit("bun")
    mine, other, *_ = _bun_measures(bun)
    _appoint(mine, ida)
    before = Volymuppfoljning.objects.get(measure=other, period="okt")
    login("bun.malansvarig")
    page = client.get(f"/budget/volymer/2026/{bun.pk}/?period=okt").content.decode()
    assert f'name="outcome_{mine.pk}"' in page
    assert f'name="outcome_{other.pk}"' not in page
    assert "Du är utsedd att svara för måttet nedan" in page
    version = client.get(f"/budget/volymer/2026/{bun.pk}/?period=okt").context[
        "followup_form"].initial["version"]
    response = client.post(f"/budget/volymer/2026/{bun.pk}/uppfoljning/okt/", {
        "version": version,
        **_rows([mine, other], [("101", "102", "Fler barn"), ("1", "1", "Inte hennes")])})
    assert response.status_code == 302
    saved = Volymuppfoljning.objects.get(measure=mine, period="okt")
    assert (saved.outcome, saved.forecast, saved.written_by) == (Decimal(101), Decimal(102), ida)
    # Another measure's fields in the same post are not hers to write: left as they were.
    after = Volymuppfoljning.objects.get(measure=other, period="okt")
    assert (after.outcome, after.forecast, after.comment) == (
        before.outcome, before.forecast, before.comment)


def test_f1_without_an_appointment_her_post_is_refused(people, unit, login, client):
    bun = unit("bun")
    [mine, *_] = _bun_measures(bun)
    login("bun.malansvarig")
    response = client.post(f"/budget/volymer/2026/{bun.pk}/uppfoljning/okt/", {
        "version": "0", **_rows([mine], [("1", "1", "")])})
    assert response.status_code == 403
    assert client.get(f"/budget/volymer/matt/{mine.pk}/andra/").status_code == 403


def test_f1_the_measures_page_names_the_appointed_and_offers_the_appointment(
        people, unit, login, client):
    [mine, *_] = _bun_measures(unit("bun"))
    _appoint(mine, people("bun.malansvarig"))
    login("bun.forvaltningschef")
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Ansvarig för måttet" in page and "Ida Åberg" in page
    assert f"/budget/volymer/matt/{mine.pk}/ansvarig/" in page
    namnd_page = client.get(f"/budget/volymer/2026/{mine.namnd_id}/").content.decode()
    assert "Ansvariga för måtten" in namnd_page and "Ida Åberg" in namnd_page
    login("bun.ledamot")
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Ida Åberg" in page and "/ansvarig/" not in page
    assert client.get(f"/budget/volymer/matt/{mine.pk}/ansvarig/").status_code == 403


def test_f1_the_forvaltningschef_appoints_through_the_page(people, unit, login, client):
    [mine, *_] = _bun_measures(unit("bun"))
    login("bun.forvaltningschef")
    response = client.post(f"/budget/volymer/matt/{mine.pk}/ansvarig/", {
        "person": people("bun.malansvarig").pk, "starts_on": "2026-11-25",
        "ends_on": "2027-02-28", "reason": "Följer barnomsorgskön"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{mine.get_absolute_url()}#ansvarig")
    assert appointments.answers_for(people("bun.malansvarig"), mine)


def test_f1_no_one_is_appointed_for_a_closed_years_measure(people, unit):
    [mine, *_] = _bun_measures(unit("bun"))
    BudgetYear.objects.filter(year=2026).update(status=BudgetYearStatus.CLOSED)
    mine.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        _appoint(mine, people("bun.malansvarig"))
    assert "budgetåret" in str(refused.value.errors)
    assert not appointments.current_appointments(mine)


def test_f1_mina_frister_lists_each_follow_up_her_measure_still_lacks(people, unit):
    ida = people("bun.malansvarig")
    [mine, *_] = _bun_measures(unit("bun"))
    Volymuppfoljning.objects.filter(measure=mine, period="okt").delete()
    _appoint(mine, ida)
    owed = [d.title for d in deadlines_for(ida, TODAY) if d.uid.startswith("volymansvar-")]
    assert f"Fyll i volymen: {mine.name}, uppföljning per oktober" in owed
    reported = {FollowUpPeriod(period).label.lower()
                for period in mine.followups.values_list("period", flat=True)}
    assert reported and not any(label in title for title in owed for label in reported)
    Volymuppfoljning.objects.create(measure=mine, period="okt", outcome=1, forecast=1,
                                    written_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    owed = [d.title for d in deadlines_for(ida, TODAY) if d.uid.startswith("volymansvar-")]
    assert f"Fyll i volymen: {mine.name}, uppföljning per oktober" not in owed


# --- One deficit case's measures (D2, D6) ----------------------------------------------------


@pytest.fixture
def bun_case(municipality):
    bun = municipality["bun"]
    Avvikelse.objects.filter(namnd=bun).delete()
    return detection.open_deficit_case(variance=ForecastVariance(
        namnd=bun, budget_year=BudgetYear.objects.get(year=2026), period="okt",
        frame=Decimal("324900000"), forecast=Decimal("330000000")), today=TODAY)


def test_d2_the_appointed_presents_the_cases_measures_but_not_the_opinion(
        people, bun_case, login, client):
    _appoint(bun_case, people("bun.malansvarig"))
    login("bun.malansvarig")
    page = client.get(bun_case.get_absolute_url()).content.decode()
    assert "Ansvarig för åtgärderna" in page and "Ida Åberg" in page
    assert f"/avvikelser/{bun_case.pk}/atgard/" in page
    assert f"/avvikelser/{bun_case.pk}/yttrande/" not in page
    # D4: the opinion is the förvaltningschef's own.
    assert client.get(f"/avvikelser/{bun_case.pk}/yttrande/").status_code == 403
    response = client.post(f"/avvikelser/{bun_case.pk}/atgard/", {
        "description": "Samordna vikarier", "expected_effect": "500 000",
        "responsible": "Rektorerna"})
    assert response.status_code == 302
    assert bun_case.measures.get().written_by.username == "bun.malansvarig"
    # D6: with a measure in place she reports its effect too.
    page = client.get(bun_case.get_absolute_url()).content.decode()
    assert f"/avvikelser/{bun_case.pk}/effekt/" in page


def test_d2_another_case_stays_closed_to_her(people, bun_case, unit, login, client):
    sn_case = Avvikelse.objects.get(namnd=unit("sn"), kind="underskott", status="oppen")
    _appoint(bun_case, people("bun.malansvarig"))
    login("bun.malansvarig")
    response = client.post(f"/avvikelser/{sn_case.pk}/atgard/", {
        "description": "x", "expected_effect": "1", "responsible": "x"})
    assert response.status_code == 403
    # P5: the SN case is beyond BUN's förvaltningschef too.
    with pytest.raises(DomainError):
        _appoint(sn_case, people("bun.malansvarig"))


def test_d2_no_one_is_appointed_for_a_closed_case(people, bun_case, login, client):
    Avvikelse.objects.filter(pk=bun_case.pk).update(status=CaseStatus.CLOSED)
    bun_case.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        _appoint(bun_case, people("bun.malansvarig"))
    assert "avslutat" in str(refused.value.errors)
    login("bun.forvaltningschef")
    assert client.get(f"/avvikelser/{bun_case.pk}/ansvarig/").status_code == 404


def test_d2_mina_frister_lists_the_measures_until_one_is_presented(people, bun_case, client,
                                                                   login):
    ida = people("bun.malansvarig")
    _appoint(bun_case, ida)
    owed = [d for d in deadlines_for(ida, TODAY) if d.uid.startswith("atgardsansvar-")]
    assert [(d.title, d.date) for d in owed] == [
        (f"Redovisa åtgärder: {bun_case.namnd}", bun_case.measures_due)]
    login("bun.malansvarig")
    client.post(f"/avvikelser/{bun_case.pk}/atgard/", {
        "description": "Samordna vikarier", "expected_effect": "500 000",
        "responsible": "Rektorerna"})
    assert not [d for d in deadlines_for(ida, TODAY) if d.uid.startswith("atgardsansvar-")]


# --- What the appointed person is told ----------------------------------------------------


def test_the_appointed_is_told_of_the_appointment_once(people, bun_case):
    ida = people("bun.malansvarig")
    appointment = _appoint(bun_case, ida)
    told = Notification.objects.get(recipient=ida, key=f"ansvar:{appointment.pk}:utsedd")
    assert told.subject == f"Du är utsedd: Ansvarig för åtgärderna – {bun_case}"
    assert "Leder arbetet" in told.body and told.url == bun_case.get_absolute_url()


def test_the_appointed_is_reminded_before_what_is_owed_and_once(people, bun_case, settings):
    settings.REMINDER_DAYS = 7
    ida = people("bun.malansvarig")
    Avvikelse.objects.filter(pk=bun_case.pk).update(measures_due=TODAY + dt.timedelta(days=3))
    _appoint(bun_case, ida)
    sent = remind_the_appointed(TODAY)
    reminders = Notification.objects.filter(recipient=ida, key__startswith="ansvar-paminnelse:")
    assert [n.subject for n in reminders if "atgardsansvar" in n.key] == [
        f"Påminnelse: Redovisa åtgärder: {bun_case.namnd} senast 28 november 2026"]
    assert sent == reminders.count()
    assert remind_the_appointed(TODAY) == 0


def test_nothing_far_ahead_or_after_the_appointment_is_reminded(people, bun_case, settings):
    settings.REMINDER_DAYS = 7
    ida = people("bun.malansvarig")
    Avvikelse.objects.filter(pk=bun_case.pk).update(measures_due=TODAY + dt.timedelta(days=20))
    _appoint(bun_case, ida)
    remind_the_appointed(TODAY)
    assert not Notification.objects.filter(recipient=ida, key__contains="atgardsansvar")
    # Within the reminder days of the 61st day, when her 60 days have ended.
    Avvikelse.objects.filter(pk=bun_case.pk).update(measures_due=TODAY + dt.timedelta(days=65))
    remind_the_appointed(TODAY + dt.timedelta(days=61))
    assert not Notification.objects.filter(recipient=ida, key__contains="atgardsansvar")


# --- The object's history ---------------------------------------------------------------------


def test_the_objects_change_log_shows_who_appointed_whom_and_the_end(people, unit, login,
                                                                    client):
    from styrmodell.selectors import change_log

    [mine, *_] = _bun_measures(unit("bun"))
    chief = people("bun.forvaltningschef")
    appointment = _appoint(mine, people("bun.malansvarig"))
    appointments.end_appointment(by=chief, appointment=appointment,
                                 today=TODAY + dt.timedelta(days=10))
    entries = [entry for entry in change_log(mine) if entry.what.startswith("Ansvar")]
    assert [(entry.what, entry.who) for entry in entries] == [
        ("Ansvaret ändrat", "Björn Falk"), ("Ansvarig utsedd", "Björn Falk")]
    appointed = {change.label: change.new for change in entries[1].changes}
    assert appointed == {"Ansvarig": "Ida Åberg", "Gäller": "25 nov. 2026 – 24 jan. 2027",
                         "Skäl": "Leder arbetet"}
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("Gäller", "25 nov. 2026 – 24 jan. 2027", "25 nov. 2026 – 4 dec. 2026")]
    login("bun.ledamot")
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Ansvarig utsedd" in page and "Ansvaret ändrat" in page
