"""The annual cycle as data (B1, F1): pre-filled from the styrmodell, editable, idempotent."""

import datetime as dt

import pytest

from styrmodell import services
from styrmodell.calendar import prefill_calendar, standard_steps
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, CalendarEvent, EventKind
from styrmodell.versioning import current_version


def test_b1_budget_cycle_for_year_n_runs_through_year_n_minus_one():
    steps = {step.code: step for step in standard_steps(2028)}
    assert steps["b1-forutsattningar"].date == dt.date(2027, 1, 31)
    assert steps["b1-preliminara-ramar"].date == dt.date(2027, 2, 28)
    assert steps["b1-budgetunderlag"].date == dt.date(2027, 4, 30)
    assert steps["b1-definitivt-forslag"].date == dt.date(2027, 10, 31)
    assert steps["b1-kf-beslut"].date == dt.date(2027, 11, 30)
    assert steps["b1-verksamhetsplan"].date == dt.date(2027, 12, 31)


def test_f1_reports_per_february_april_august_october_and_the_annual_report():
    steps = {step.code: step for step in standard_steps(2028)}
    assert steps["f1-uppfoljning-februari"].date.month == 3
    assert steps["f1-uppfoljning-april"].date.month == 5
    assert steps["f1-delarsrapport-augusti"].date.month == 9
    assert steps["f1-uppfoljning-oktober"].date.month == 11
    assert steps["f1-arsredovisning"].date == dt.date(2029, 4, 30)


def test_b1_a_new_budget_year_gets_the_styrmodell_calendar(municipality):
    year = services.create_budget_year(year=2028)
    codes = set(year.events.values_list("code", flat=True))
    assert codes == {step.code for step in standard_steps(2028)}
    kf = year.events.get(code="b1-kf-beslut")
    assert list(kf.responsible_roles.values_list("code", flat=True)) == ["kf_ledamot"]


def test_b1_prefill_keeps_the_finance_offices_edits_and_adds_only_what_is_missing(municipality):
    year = services.create_budget_year(year=2028)
    step = year.events.get(code="b1-budgetunderlag")
    services.save_event(event=step, budget_year=year, version=current_version(step),
                        date=dt.date(2027, 4, 24))
    year.events.filter(code="b1-presidiedialog").delete()

    assert prefill_calendar(budget_year=year) == 1
    assert year.events.get(code="b1-budgetunderlag").date == dt.date(2027, 4, 24)
    assert prefill_calendar(budget_year=year) == 0


def test_a_budget_year_cannot_be_created_twice(municipality):
    with pytest.raises(DomainError, match="finns redan"):
        services.create_budget_year(year=2026)


def test_finance_office_creates_a_budget_year_through_the_page(login, client):
    login("ekonomichef")
    response = client.post("/budgetar/", {"year": "2029"})
    assert response.status_code == 302
    assert BudgetYear.objects.get(year=2029).events.count() == len(standard_steps(2029))


def test_bad_year_gets_a_swedish_message_and_nothing_is_saved(login, client):
    login("ekonomichef")
    response = client.post("/budgetar/", {"year": "tjugo"})
    assert response.status_code == 200
    assert "Fyll i ett heltal" in response.content.decode()
    assert BudgetYear.objects.count() == 3


def test_f3_next_meeting_of_a_namnd_comes_from_the_meeting_calendar(municipality):
    bun = municipality["bun"]
    meeting = services.next_meeting(body=bun, after=dt.date(2026, 11, 25))
    assert meeting.date == dt.date(2026, 12, 15)
    assert meeting.rule == "F3"


def test_a_body_cannot_have_two_meetings_the_same_day(municipality):
    bun = municipality["bun"]
    year = BudgetYear.objects.get(year=2026)
    with pytest.raises(DomainError, match="redan ett sammanträde"):
        services.add_meeting(budget_year=year, body=bun, date=dt.date(2026, 12, 15))


def test_secretary_adds_a_meeting_for_their_namnd(login, client, unit):
    login("bun.sekreterare")
    response = client.post("/budgetar/2026/sammantraden/ny/",
                           {"unit": unit("bun").pk, "date": "2026-12-29"})
    assert response.status_code == 302
    assert CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=unit("bun"),
                                        date=dt.date(2026, 12, 29)).exists()


def test_editing_a_step_against_a_stale_version_is_refused(login, client):
    login("ekonom")
    step = CalendarEvent.objects.get(budget_year__year=2026, code="f1-arsrapport")
    data = {"version": current_version(step), "title": step.title, "kind": step.kind,
            "date": "2027-02-12", "unit": "", "description": ""}
    assert client.post(f"/kalender/{step.pk}/andra/", data).status_code == 302
    stale = client.post(f"/kalender/{step.pk}/andra/", {**data, "date": "2027-02-20"})
    assert "Någon annan har ändrat" in stale.content.decode()
    step.refresh_from_db()
    assert step.date == dt.date(2027, 2, 12)
