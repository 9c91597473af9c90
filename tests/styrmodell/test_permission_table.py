"""The permission table walked against the real URLs, for every demo role (P1, P2, P4, P5).

For each demo user and each (object kind, action) the table names, the page that does it
answers 200/302 when the permission layer allows it and 403 when it does not — never 500.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from styrmodell.demo import DEMO_LOGINS
from styrmodell.models import CalendarEvent, EventKind, MandatePeriod, RoleAssignment, User
from styrmodell.permissions import (
    KINDS,
    OFFICIAL_ROLES,
    PERMISSION_TABLE,
    POLITICAL_ROLES,
    WRITE_ACTIONS,
    Action,
    can,
    forget_assignments,
)


@dataclass(frozen=True)
class Case:
    kind: str
    action: Action
    method: str
    url: Callable[[dict], str]
    unit: Callable[[dict], object] = lambda objects: None
    data: Callable[[dict], dict] = lambda objects: {}
    allowed_status: int = 200


def _objects(municipality) -> dict:
    bun = municipality["bun"]
    return {
        "bun": bun,
        "assignment": RoleAssignment.objects.get(user__username="bun.ledamot", unit=bun),
        "person": User.objects.get(username="bun.ledamot"),
        "period": MandatePeriod.objects.get(name="2026–2030"),
        "step": CalendarEvent.objects.filter(budget_year__year=2026, code="b1-kf-beslut").get(),
        "bun_meeting": CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=bun).first(),
    }


CASES = [
    Case("organisation", Action.VIEW, "get", lambda o: "/organisation/"),
    Case("organisation", Action.VIEW, "get", lambda o: f"/organisation/{o['bun'].pk}/",
         lambda o: o["bun"]),
    Case("organisation", Action.ADD, "get", lambda o: f"/organisation/ny/?parent={o['bun'].pk}",
         lambda o: o["bun"]),
    Case("organisation", Action.CHANGE, "get", lambda o: f"/organisation/{o['bun'].pk}/andra/",
         lambda o: o["bun"]),
    Case("role_assignment", Action.ADD, "get",
         lambda o: f"/organisation/{o['bun'].pk}/roller/ny/", lambda o: o["bun"]),
    Case("role_assignment", Action.CHANGE, "get",
         lambda o: f"/rolltilldelning/{o['assignment'].pk}/avsluta/", lambda o: o["bun"]),
    Case("person", Action.VIEW, "get", lambda o: "/personer/"),
    Case("person", Action.VIEW, "get", lambda o: f"/personer/{o['person'].pk}/"),
    Case("person", Action.ADD, "get", lambda o: "/personer/ny/"),
    Case("person", Action.CHANGE, "get", lambda o: f"/personer/{o['person'].pk}/andra/"),
    Case("role_assignment", Action.VIEW, "get", lambda o: f"/personer/{o['person'].pk}/"),
    Case("mandate_period", Action.VIEW, "get", lambda o: "/mandatperioder/"),
    Case("mandate_period", Action.ADD, "post", lambda o: "/mandatperioder/",
         data=lambda o: {"name": ""}),
    Case("mandate_period", Action.CHANGE, "get",
         lambda o: f"/mandatperioder/{o['period'].pk}/andra/"),
    Case("budget_year", Action.VIEW, "get", lambda o: "/budgetar/"),
    Case("budget_year", Action.CHANGE, "get", lambda o: "/budgetar/2026/andra/"),
    Case("budget_year", Action.VIEW, "get", lambda o: "/budgetar/2026/"),
    Case("budget_year", Action.ADD, "post", lambda o: "/budgetar/",
         data=lambda o: {"year": "2026"}),
    Case("calendar_event", Action.VIEW, "get", lambda o: f"/kalender/{o['step'].pk}/"),
    Case("calendar_event", Action.CHANGE, "get", lambda o: f"/kalender/{o['step'].pk}/andra/"),
    Case("calendar_event", Action.ADD, "post", lambda o: "/budgetar/2026/forifyll/",
         allowed_status=302),
    Case("meeting", Action.VIEW, "get", lambda o: f"/kalender/{o['bun_meeting'].pk}/"),
    Case("meeting", Action.CHANGE, "get", lambda o: f"/kalender/{o['bun_meeting'].pk}/andra/",
         lambda o: o["bun"]),
    Case("meeting", Action.ADD, "post", lambda o: "/budgetar/2026/sammantraden/ny/",
         lambda o: o["bun"],
         data=lambda o: {"unit": o["bun"].pk, "date": "2026-12-28"}, allowed_status=302),
    Case("dialogue", Action.COMMENT, "post",
         lambda o: f"/dialog/styrmodell.organisationunit/{o['bun'].pk}/", lambda o: o["bun"],
         data=lambda o: {"body": "En fråga till förvaltningen."}, allowed_status=302),
]


def test_every_kind_and_action_in_the_table_has_a_page_in_the_walk():
    walked = {(case.kind, case.action) for case in CASES}
    in_table = {(kind, action) for kind, actions in PERMISSION_TABLE.items() for action in actions
                if action != Action.DELETE}
    # A thread is read inside its host's page; test_dialogue proves who sees it.
    shown_inside_other_pages = {("dialogue", Action.VIEW)}
    assert in_table - walked - shown_inside_other_pages == set()


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_p5_the_table_walked_against_real_urls_for_every_demo_role(client, municipality, username):
    objects = _objects(municipality)
    user = User.objects.get(username=username)
    client.force_login(user)
    failures = []
    for case in CASES:
        forget_assignments(user)
        expected = can(user, case.action, case.kind, case.unit(objects))
        response = getattr(client, case.method)(case.url(objects), case.data(objects))
        assert response.status_code != 500
        want = case.allowed_status if expected else 403
        if response.status_code != want:
            failures.append(f"{case.kind}/{case.action} {case.url(objects)}: "
                            f"got {response.status_code}, expected {want}")
    assert failures == []


def test_p1_each_side_writes_only_its_own_kinds_of_object():
    for kind_code, actions in PERMISSION_TABLE.items():
        side = KINDS[kind_code].side
        for action, roles in actions.items():
            if action not in WRITE_ACTIONS:
                continue
            if side == "politik":
                assert roles <= POLITICAL_ROLES, (kind_code, action)
            elif side == "tjansteperson":
                assert roles <= OFFICIAL_ROLES, (kind_code, action)


def test_p4_revisor_reads_everything_and_writes_nothing():
    for kind_code, actions in PERMISSION_TABLE.items():
        for action, roles in actions.items():
            if action == Action.VIEW:
                assert "revisor" in roles, kind_code
            else:
                assert "revisor" not in roles, (kind_code, action)


def test_p3_both_sides_may_write_in_a_dialogue_thread():
    commenters = PERMISSION_TABLE["dialogue"][Action.COMMENT]
    assert POLITICAL_ROLES <= commenters
    assert OFFICIAL_ROLES <= commenters
