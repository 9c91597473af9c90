"""The goals app's start-page panels (A3, G10, A7), per demo role, against the demo data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from goals.models import DecisionStatus, Medarbetarplan, Namndmal
from styrmodell.models import BudgetYear, Role, RoleAssignment, User
from styrmodell.start_page import LINES_SHOWN, panels_for

TODAY = dt.date(2026, 11, 25)  # five days after the October report's deadline


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def panel(username: str, key: str):
    user = User.objects.get(username=username)
    return next((p for p in panels_for(user, TODAY) if p.key == key), None)


def _unassessed(namnd, period: str) -> list[Namndmal]:
    return list(Namndmal.objects.filter(namnd=namnd, budget_year__year=2026,
                                        status=DecisionStatus.ADOPTED)
                .exclude(assessments__period=period).order_by("pk"))


def test_a3_the_forvaltningschef_is_shown_the_goals_still_to_assess(municipality, fixed_today):
    found = panel("bun.forvaltningschef", "malbedomningar")
    october = _unassessed(municipality["bun"], "okt")
    year_end = _unassessed(municipality["bun"], "ar")
    expected = ([(g.title, f"/mal/namndmal/{g.pk}/bedomning/okt/", True) for g in october]
                + [(g.title, f"/mal/namndmal/{g.pk}/bedomning/ar/", False) for g in year_end])
    assert [(i.text, i.url, i.overdue) for i in found.items] == expected
    assert year_end  # the year-end report is the next deadline


def test_a3_an_assessed_goal_leaves_the_list(municipality, fixed_today):
    from goals.models import Level, Malbedomning

    goal = _unassessed(municipality["bun"], "ar")[0]
    Malbedomning.objects.create(namndmal=goal, period="ar", level=Level.YES,
                                author=User.objects.get(username="bun.forvaltningschef"))
    urls = [item.url for item in panel("bun.forvaltningschef", "malbedomningar").items]
    assert f"/mal/namndmal/{goal.pk}/bedomning/ar/" not in urls


def test_a3_another_namnds_forvaltningschef_sees_only_its_own_goals(municipality, fixed_today):
    found = panel("sn.forvaltningschef", "malbedomningar")
    sn_goals = {g.pk for g in Namndmal.objects.filter(namnd=municipality["sn"])}
    assert found.items
    assert all(int(item.url.split("/")[3]) in sn_goals for item in found.items)


@pytest.mark.parametrize("username", ["bun.ordforande", "ekonom", "enhetschef", "medarbetare",
                                      "kf.ordforande"])
def test_a3_no_assessment_panel_for_those_who_do_not_write_them(municipality, fixed_today,
                                                               username):
    assert panel(username, "malbedomningar") is None


def test_g10_the_enhetschef_sees_the_employees_plans_to_make_and_follow_up(
        municipality, fixed_today):
    found = panel("enhetschef", "medarbetarplaner")
    plans = Medarbetarplan.objects.filter(enhet=municipality["ekbackaskolan"],
                                          budget_year__year=2026)
    open_ones = [str(p.employee) for p in plans if p.followed_up_on is None]
    assert [item.text for item in found.items if item.status[1] == "Ej uppföljd"] == open_ones
    assert f"{plans.count()} av " in found.intro
    plan = plans.first()
    plan.followed_up_on, plan.followed_up_by = TODAY, User.objects.get(username="enhetschef")
    plan.save()
    assert str(plan.employee) not in [i.text for i in panel("enhetschef",
                                                            "medarbetarplaner").items]


def test_g10_the_employee_sees_the_own_plan_and_whether_it_is_followed_up(
        municipality, fixed_today):
    me = User.objects.get(username="medarbetare")
    found = panel("medarbetare", "min-plan")
    plan = Medarbetarplan.objects.get(employee=me, budget_year__year=2026)
    assert [item.url for item in found.items] == [plan.get_absolute_url()]
    assert "Inte uppföljd ännu" in found.items[0].detail
    Medarbetarplan.objects.filter(pk=plan.pk).delete()
    assert "ingen medarbetarplan för 2026" in panel("medarbetare", "min-plan").empty
    assert panel("bun.ordforande", "min-plan") is None  # a politician is no employee here


def test_the_start_page_shows_the_goal_panels(client, login, municipality, fixed_today):
    login("bun.forvaltningschef")
    page = client.get("/").content.decode()
    assert "Målbedömningar att skriva" in page
    assert "Att göra" in page


def test_the_assessment_panel_costs_the_same_queries_for_more_goals(
        municipality, fixed_today, django_assert_max_num_queries):
    user = User.objects.get(username="bun.forvaltningschef")
    from styrmodell.start_page import _PROVIDERS

    [provider] = [p for _o, name, p in _PROVIDERS if name == "goals.assessments"]
    with django_assert_max_num_queries(12) as few:
        provider(user=user, today=TODAY, assignments=list(
            user.assignments.select_related("role", "unit")))
    source = Namndmal.objects.filter(namnd=municipality["bun"], budget_year=BudgetYear.objects
                                     .get(year=2026), status=DecisionStatus.ADOPTED).first()
    Namndmal.objects.bulk_create([Namndmal(**{
        f.attname: getattr(source, f.attname) for f in Namndmal._meta.concrete_fields
        if f.attname != "id"} | {"title": f"Kopia {n}"}) for n in range(20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        provider(user=user, today=TODAY, assignments=list(
            user.assignments.select_related("role", "unit")))


def test_a3_many_namnders_goals_cost_no_query_per_namnd(municipality, fixed_today,
                                                       django_assert_max_num_queries):
    """The kommundirektör's goals of every nämnd are counted per nämnd in the same queries."""
    from styrmodell.start_page import _PROVIDERS

    user = User.objects.get(username="kommundirektor")
    [provider] = [p for _o, name, p in _PROVIDERS if name == "goals.assessments"]
    assignments = list(user.assignments.select_related("role", "unit"))
    with django_assert_max_num_queries(8):
        found = provider(user=user, today=TODAY, assignments=assignments)
    assert len({item.text.split(":")[0] for item in found.items}) > 1


# --- a panel lists LINES_SHOWN lines at most ---------------------------------------------------


def _copies_of_a_bun_goal(municipality, count: int) -> None:
    source = Namndmal.objects.filter(namnd=municipality["bun"], budget_year__year=2026,
                                     status=DecisionStatus.ADOPTED).first()
    Namndmal.objects.bulk_create([Namndmal(**{
        f.attname: getattr(source, f.attname) for f in Namndmal._meta.concrete_fields
        if f.attname != "id"} | {"title": f"Kopia {n}"}) for n in range(count)])


def test_a3_many_goals_of_one_namnd_show_the_late_first_and_link_to_the_namnds_goals(
        municipality, fixed_today):
    _copies_of_a_bun_goal(municipality, 20)
    found = panel("bun.forvaltningschef", "malbedomningar")
    october = _unassessed(municipality["bun"], "okt")
    year_end = _unassessed(municipality["bun"], "ar")
    assert len(found.items) == LINES_SHOWN
    assert [item.url for item in found.items] == [
        f"/mal/namndmal/{g.pk}/bedomning/okt/" for g in october[:LINES_SHOWN]]
    assert all(item.overdue for item in found.items)
    assert found.more == (f"Alla {len(october) + len(year_end)} nämndmål utan bedömning",
                          reverse("goals:namnd_goals", args=[municipality["bun"].pk, 2026]))


def test_a3_a_few_goals_are_all_listed_without_a_link(municipality, fixed_today):
    found = panel("bun.forvaltningschef", "malbedomningar")
    assert len(found.items) <= LINES_SHOWN
    assert found.more is None


def test_a3_the_kommundirektor_sees_as_many_namnder_as_fit_and_the_link_to_all_goals(
        municipality, fixed_today, client, login):
    found = panel("kommundirektor", "malbedomningar")
    unassessed = sum(len(_unassessed(namnd, period))
                     for namnd in {g.namnd for g in Namndmal.objects.filter(
                         budget_year__year=2026, status=DecisionStatus.ADOPTED)}
                     for period in ("okt", "ar"))
    assert len(found.items) <= LINES_SHOWN
    assert found.more == (f"Alla {unassessed} nämndmål utan bedömning", reverse("goals:tree"))
    login("kommundirektor")
    page = client.get("/").content.decode()
    assert f">Alla {unassessed} nämndmål utan bedömning</a>" in page


def _employees(unit, number: int) -> None:
    people = User.objects.bulk_create(
        User(username=f"anstalld{n:03d}", first_name="Anställd", last_name=f"Nummer {n:03d}")
        for n in range(number))
    role = Role.objects.get(code="medarbetare")
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=person, role=role, unit=unit, valid_from=dt.date(2025, 1, 1))
        for person in people)


def test_g10_many_employees_show_as_many_as_fit_with_the_link_to_the_plans(
        municipality, fixed_today):
    _employees(municipality["ekbackaskolan"], LINES_SHOWN + 4)
    found = panel("enhetschef", "medarbetarplaner")
    plans = Medarbetarplan.objects.filter(enhet=municipality["ekbackaskolan"],
                                          budget_year__year=2026)
    plan_of = {plan.employee_id: plan for plan in plans}
    employees = User.objects.filter(assignments__unit=municipality["ekbackaskolan"],
                                    is_active=True).exclude(username="enhetschef").distinct()
    waiting = sum(1 for person in employees
                  if person.pk not in plan_of or plan_of[person.pk].followed_up_on is None)
    assert len(found.items) == LINES_SHOWN
    assert found.more == (f"Alla {waiting} medarbetare som väntar på plan eller uppföljning",
                          reverse("goals:medarbetarplan_list"))


def test_g10_a_few_employees_are_all_listed(municipality, fixed_today):
    found = panel("enhetschef", "medarbetarplaner")
    assert len(found.items) <= LINES_SHOWN
    assert found.more == ("Alla medarbetarplaner", reverse("goals:medarbetarplan_list"))
