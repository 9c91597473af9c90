"""A named person answers for one object (styrmodell.appointments): the målansvarig of a
nämndmål, appointed by the nämnd's förvaltningschef for a period (P1, P2, P5 at its edges)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from guardian.shortcuts import get_perms

from goals.models import DecisionStatus, Level, Namndmal, ReportPeriod
from reporting.deadlines_feed import deadlines_for
from styrmodell import appointments
from styrmodell.errors import DomainError
from styrmodell.models import Appointment, BudgetYear, RoleAssignment, Side, User
from styrmodell.permissions import Action, can
from styrmodell.start_page import panels_for

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def appointed(municipality):
    """The demo's appointment: BUN's förvaltningschef made Ida Åberg målansvarig."""
    return Appointment.objects.select_related("user").get(user__username="bun.malansvarig")


def _bun_goals():
    return Namndmal.objects.filter(namnd__short_name="BUN", budget_year__year=2026,
                                   status=DecisionStatus.ADOPTED).order_by("pk")


def _writes(user, goal) -> bool:
    return can(user, Action.CHANGE, "malbedomning", goal.namnd, obj=goal)


def test_p5_the_malansvarig_writes_her_goal_and_no_other(people, appointed):
    ida = people("bun.malansvarig")
    goal = appointed.content_object
    every_goal = Namndmal.objects.select_related("namnd")
    assert {g.pk for g in every_goal if _writes(ida, g)} == {goal.pk}
    # Her role alone writes no assessment anywhere; nor does the appointment reach other kinds.
    assert not can(ida, Action.CHANGE, "malbedomning", goal.namnd)
    assert not can(ida, Action.CHANGE, "namndmal", goal.namnd, obj=goal)
    assert not can(ida, Action.APPROVE, "malbedomning", goal.namnd, obj=goal)


@pytest.mark.parametrize("username", ["bun.forvaltningschef", "sn.forvaltningschef", "enhetschef",
                                      "medarbetare", "bun.ordforande", "kommundirektor"])
def test_p5_an_appointment_changes_nothing_for_anyone_else(people, appointed, username):
    user = people(username)
    for goal in Namndmal.objects.select_related("namnd"):
        assert _writes(user, goal) == can(user, Action.CHANGE, "malbedomning", goal.namnd)


def test_the_grant_counts_only_within_its_period(people, appointed, monkeypatch):
    ida, goal = people("bun.malansvarig"), appointed.content_object
    assert "answer_for_namndmal" in get_perms(ida, goal)
    for day, counts in ((appointed.starts_on - dt.timedelta(days=1), False),
                        (appointed.starts_on, True), (appointed.ends_on, True),
                        (appointed.ends_on + dt.timedelta(days=1), False)):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, d=day, **k: d)
        assert _writes(ida, goal) is counts, day
    # The guardian row is still there after the last day: the period alone ends it.
    assert "answer_for_namndmal" in get_perms(ida, goal)


def test_ending_the_appointment_ends_the_grant_today(people, appointed):
    ida, goal = people("bun.malansvarig"), appointed.content_object
    appointments.end_appointment(by=people("bun.forvaltningschef"), appointment=appointed)
    appointed.refresh_from_db()
    assert appointed.ends_on == TODAY - dt.timedelta(days=1)
    assert not _writes(ida, goal)
    assert get_perms(ida, goal) == []
    changes = [h.ends_on for h in appointed.history.order_by("history_date")]
    assert changes == [dt.date(2027, 2, 28), TODAY - dt.timedelta(days=1)]


def test_an_appointment_is_recorded_in_the_history_with_who_and_why(people, appointed):
    first = appointed.history.earliest("history_date")
    assert first.history_type == "+"
    assert first.appointed_by.username == "bun.forvaltningschef"
    assert "bedömningarna" in first.reason


def _appoint(by, person, goal, **overrides):
    values = dict(starts_on=TODAY, ends_on=dt.date(2027, 2, 28), reason="Driver målet")
    values.update(overrides)
    return appointments.appoint(by=by, person=person, obj=goal, **values)


def test_p1_p2_p5_every_refusal_is_said_at_once_and_nothing_is_saved(people, appointed):
    goal = _bun_goals().exclude(pk=appointed.object_id).first()
    before = Appointment.objects.count()
    with pytest.raises(DomainError) as refused:
        _appoint(people("enhetschef"), people("bun.ordforande"), goal,
                 starts_on=dt.date(2027, 1, 10), ends_on=dt.date(2027, 1, 1), reason=" ")
    fields = [field for field, _message in refused.value.errors]
    assert fields == [None, "person", "ends_on", "reason"]
    assert Appointment.objects.count() == before


@pytest.mark.parametrize(("appointer", "person", "field"), [
    # The förvaltningschef of another nämnd appoints nobody here (P5).
    ("sn.forvaltningschef", "bun.malansvarig", None),
    # A politician cannot answer for the förvaltning's assessment (P1, P2).
    ("bun.forvaltningschef", "bun.ledamot", "person"),
    # An official of another nämnd cannot be appointed into this one (P5).
    ("bun.forvaltningschef", "medarbetare2", "person"),
    # KS's förvaltning is the kommundirektör's; BUN's goals are not.
    ("kommundirektor", "bun.malansvarig", None),
])
def test_the_wrong_side_or_another_namnd_is_refused(people, appointed, appointer, person, field):
    goal = _bun_goals().exclude(pk=appointed.object_id).first()
    with pytest.raises(DomainError) as refused:
        _appoint(people(appointer), people(person), goal)
    assert [f for f, _m in refused.value.errors] == [field]


def test_an_appointment_that_has_ended_cannot_be_made(people, appointed):
    goal = _bun_goals().exclude(pk=appointed.object_id).first()
    with pytest.raises(DomainError) as refused:
        _appoint(people("bun.forvaltningschef"), people("medarbetare"), goal,
                 starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))
    assert [f for f, _m in refused.value.errors] == ["ends_on"]


def test_the_candidates_are_the_namnds_officials(appointed):
    goal = appointed.content_object
    names = {u.username for u in appointments.candidates(goal)}
    assert {"bun.malansvarig", "medarbetare", "enhetschef", "bun.forvaltningschef",
            "bun.sekreterare"} <= names
    assert not names & {"bun.ordforande", "bun.ledamot", "medarbetare2", "sn.forvaltningschef",
                        "kommundirektor", "ekonom"}


def test_the_list_of_goals_she_answers_for_is_one_query(people, appointed,
                                                         django_assert_num_queries):
    ida = people("bun.malansvarig")
    queryset = appointments.answered_by(ida, Namndmal.objects.all())
    with django_assert_num_queries(1):
        assert [g.pk for g in queryset] == [appointed.object_id]


# --- Where it shows -----------------------------------------------------------------------


def test_she_writes_the_assessment_on_its_page_and_no_other(login, client, appointed):
    login("bun.malansvarig")
    goal = appointed.content_object
    goal.assessments.filter(period=ReportPeriod.OCTOBER).delete()
    other = _bun_goals().exclude(pk=goal.pk).first()
    assert client.get(f"/mal/namndmal/{goal.pk}/bedomning/okt/").status_code == 200
    assert client.get(f"/mal/namndmal/{other.pk}/bedomning/okt/").status_code == 403
    data = dict(level=Level.PARTLY, activities_helped="Läsgrupper",
                activities_missing="Fler speciallärare", external_factors="Nyanlända",
                resources="480 tkr", conclusion="Delvis", priorities="Läsgrupper",
                recommendation="Behåll målet", future_challenges="", version="")
    response = client.post(f"/mal/namndmal/{goal.pk}/bedomning/okt/", data)
    assert response.status_code == 302
    assert goal.assessments.get(period=ReportPeriod.OCTOBER).author.username == "bun.malansvarig"


def test_the_goal_names_its_malansvarig(login, client, appointed):
    login("bun.ordforande")
    page = client.get(appointed.content_object.get_absolute_url()).content.decode()
    assert "Målansvarig" in page and "Ida Åberg" in page
    assert reverse("goals:namndmal_appoint", args=[appointed.object_id]) not in page


def test_her_start_page_and_mina_frister_list_her_goal(people, appointed):
    ida, goal = people("bun.malansvarig"), appointed.content_object
    goal.assessments.filter(period=ReportPeriod.OCTOBER).delete()
    uid = f"malansvar-{goal.pk}-okt@styrmodell"
    assert uid in {d.uid for d in deadlines_for(ida, TODAY)}
    panels = {panel.key: panel for panel in panels_for(ida, TODAY)}
    items = panels["malbedomningar"].items
    assert f"/mal/namndmal/{goal.pk}/bedomning/okt/" in [item.url for item in items]
    assert all(f"/mal/namndmal/{goal.pk}/" in item.url for item in items)


def test_the_forvaltningschef_appoints_and_ends_on_the_page(login, client, people, appointed):
    goal = _bun_goals().exclude(pk=appointed.object_id).first()
    url = reverse("goals:namndmal_appoint", args=[goal.pk])
    login("sn.forvaltningschef")
    assert client.get(url).status_code == 403
    login("bun.forvaltningschef")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"person": "", "starts_on": "", "ends_on": "", "reason": ""})
    page = refused.content.decode()
    assert refused.status_code == 200
    for message in ("Välj vem som ska vara ansvarig.", "Ange från vilken dag",
                    "Ange till och med vilken dag", "Skriv varför"):
        assert message in page
    medarbetare = people("medarbetare")
    response = client.post(url, {"person": medarbetare.pk, "starts_on": "2026-11-25",
                                 "ends_on": "2027-02-28", "reason": "Driver läsmålet"})
    assert response.status_code == 302
    made = Appointment.objects.get(user=medarbetare)
    assert _writes(medarbetare, goal)
    client.post(reverse("appointment_end", args=[made.pk]))
    assert not Appointment.objects.filter(pk=made.pk).exists()  # not yet begun: withdrawn
    assert not _writes(medarbetare, goal)


# --- One report section's texts ------------------------------------------------------------


@pytest.fixture
def bun_section(municipality):
    from reporting.models import PeriodStatus, Rapportavsnitt, SectionStatus

    return (Rapportavsnitt.objects.filter(namnd__short_name="BUN", period__status=PeriodStatus.OPEN,
                                          status=SectionStatus.DRAFT)
            .select_related("period", "namnd").order_by("-period__deadline").first())


def test_f1_an_appointed_writer_writes_the_sections_texts_but_does_not_submit(
        login, client, people, bun_section):
    from reporting.models import Rapportavsnitt

    assert bun_section is not None, "the demo has a BUN section in draft"
    person = people("medarbetare")
    base = bun_section.get_absolute_url()
    login("medarbetare")
    assert client.get(base).status_code == 403  # a draft is the nämnd's own (P5)
    _appoint(people("bun.forvaltningschef"), person, bun_section,
             ends_on=bun_section.period.deadline + dt.timedelta(days=30))
    page = client.get(base)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{base}texter/" in text and f"{base}lamna-in/" not in text
    assert "Maja Berg" in text
    assert client.get(f"{base}lamna-in/").status_code == 403
    other = Rapportavsnitt.objects.filter(period=bun_section.period).exclude(
        pk=bun_section.pk).first()
    assert client.get(f"{other.get_absolute_url()}texter/").status_code == 403
    edit = client.get(f"{base}texter/")
    assert edit.status_code == 200
    titles = {d.title for d in deadlines_for(person, TODAY) if d.uid.startswith("rapportavsnitt-")}
    assert titles == {f"Skriv texterna i {bun_section.period}: {bun_section.namnd}"}


def test_f1_only_the_namnds_forvaltningschef_appoints_a_sections_writer(login, client,
                                                                        bun_section):
    url = f"{bun_section.get_absolute_url()}ansvarig/"
    login("sn.forvaltningschef")
    assert client.get(url).status_code == 403
    login("bun.forvaltningschef")
    response = client.get(url)
    assert response.status_code == 200
    assert "Utse ansvarig för avsnittet" in response.content.decode()


def test_p5_an_appointment_for_a_plan_years_goal_grants_that_goal_alone(people, appointed):
    """The 2027 goals are BUN's copies for the new mandate period: appointing for one of them
    leaves the 2026 goal she answers for as it was, and gives no other 2027 goal."""
    plan_year = Namndmal.objects.filter(namnd__short_name="BUN", budget_year__year=2027
                                        ).select_related("namnd").order_by("pk")
    assert plan_year.count() >= 2, "the demo copies BUN's goals into 2027"
    ida = people("bun.malansvarig")
    _appoint(people("bun.forvaltningschef"), ida, plan_year[0], ends_on=dt.date(2028, 2, 28))
    assert {g.pk for g in Namndmal.objects.select_related("namnd") if _writes(ida, g)} == {
        appointed.object_id, plan_year[0].pk}


def test_f1_an_approved_section_gets_no_appointed_writer(login, client, municipality):
    from reporting.models import Rapportavsnitt, SectionStatus

    approved = Rapportavsnitt.objects.filter(namnd__short_name="BUN",
                                             status=SectionStatus.APPROVED).first()
    login("bun.forvaltningschef")
    assert client.get(f"{approved.get_absolute_url()}ansvarig/").status_code == 403
    with pytest.raises(DomainError) as refused:
        _appoint(User.objects.get(username="bun.forvaltningschef"),
                 User.objects.get(username="medarbetare"), approved,
                 ends_on=dt.date(2027, 2, 28))
    assert [f for f, _m in refused.value.errors] == [None]
    assert "inlämnat eller låst" in refused.value.errors[0][1]
    assert not Appointment.objects.filter(object_id=approved.pk,
                                          user__username="medarbetare").exists()


# --- KS: the kommundirektör heads its förvaltning ------------------------------------------


@pytest.fixture
def ks_goal(municipality):
    """A nämndmål of KS, which the demo has none of: KLF, the kommundirektör's förvaltning,
    sits under KS."""
    return Namndmal.objects.create(
        namnd=municipality["ks"], budget_year=BudgetYear.objects.get(year=2026),
        title="Snabbare handläggning i kommunledningen (test)", what="Kortare ledtider.",
        how_measured="Ledtid i dagar", target="30 dagar", by_when=dt.date(2026, 12, 31),
        status=DecisionStatus.ADOPTED)


def test_p5_the_kommundirektor_appoints_for_a_ks_goal(login, client, people, ks_goal):
    url = reverse("goals:namndmal_appoint", args=[ks_goal.pk])
    login("kommundirektor")
    assert client.get(url).status_code == 200
    sekreterare = people("kommunsekreterare")
    response = client.post(url, {"person": sekreterare.pk, "starts_on": "2026-11-25",
                                 "ends_on": "2027-02-28", "reason": "Leder ledtidsarbetet"})
    assert response.status_code == 302
    assert Appointment.objects.of(ks_goal).get().user == sekreterare
    assert _writes(sekreterare, ks_goal)


def test_p5_the_bun_forvaltningschef_appoints_nobody_for_a_ks_goal(login, client, people,
                                                                   ks_goal):
    login("bun.forvaltningschef")
    assert client.get(reverse("goals:namndmal_appoint", args=[ks_goal.pk])).status_code == 403
    with pytest.raises(DomainError) as refused:
        _appoint(people("bun.forvaltningschef"), people("ekonom"), ks_goal)
    assert [f for f, _m in refused.value.errors] == [None]
    assert not Appointment.objects.of(ks_goal).exists()


def test_p1_p5_the_candidates_for_a_ks_goal_are_officials_with_roles_inside_ks(
        municipality, ks_goal):
    found = list(appointments.candidates(ks_goal))
    names = {u.username for u in found}
    assert {"kommundirektor", "kommunsekreterare", "ekonomichef", "ekonom"} <= names
    # KS's politicians, BUN's officials and the administrator of the whole municipality are not.
    assert not names & {"ks.ordforande", "ksau.ledamot", "kf.ordforande", "bun.forvaltningschef",
                        "medarbetare", "sn.forvaltningschef", "admin"}
    ks_path = municipality["ks"].path
    for person in found:
        held = RoleAssignment.objects.active_on(TODAY).filter(user=person).select_related(
            "role", "unit")
        assert any(a.role.side == Side.OFFICIALS and a.unit.path.startswith(ks_path)
                   for a in held), person.username
