"""Object scope from role assignments (P5) and assignments that end (mandate periods)."""

import datetime as dt
import logging

from django.utils import timezone

from styrmodell import services
from styrmodell.models import CalendarEvent, EventKind, RoleAssignment


def _meeting(unit):
    return CalendarEvent.objects.filter(kind=EventKind.MEETING, unit=unit).first()


def test_p5_secretary_of_one_namnd_edits_its_meetings_but_not_another_namnds(login, client, unit):
    login("bun.sekreterare")
    assert client.get(f"/kalender/{_meeting(unit('bun')).pk}/andra/").status_code == 200
    assert client.get(f"/kalender/{_meeting(unit('sn')).pk}/andra/").status_code == 403


def test_p5_secretary_cannot_add_a_meeting_for_another_namnd(login, client, unit):
    login("bun.sekreterare")
    response = client.post(
        "/budgetar/2026/sammantraden/ny/", {"unit": unit("sn").pk, "date": "2026-12-29"}
    )
    assert response.status_code == 403
    assert not CalendarEvent.objects.filter(unit=unit("sn"), date=dt.date(2026, 12, 29)).exists()


def test_p5_dialogue_on_another_namnds_unit_is_neither_shown_nor_writable(login, client, unit):
    login("bun.forvaltningschef")
    page = client.get(f"/organisation/{unit('sn').pk}/")
    assert page.status_code == 200
    assert 'id="dialog"' not in page.content.decode()
    response = client.post(f"/dialog/styrmodell.organisationunit/{unit('sn').pk}/", {"body": "Hej"})
    assert response.status_code == 403


def test_p4_politician_cannot_change_the_organisation(login, client, unit):
    login("bun.ordforande")
    assert client.get(f"/organisation/{unit('bun').pk}/andra/").status_code == 403
    assert client.post("/organisation/ny/", {"name": "X", "kind": "enhet"}).status_code == 403


def test_finance_office_keeps_the_calendar(login, client):
    login("ekonom")
    step = CalendarEvent.objects.get(budget_year__year=2026, code="b1-kf-beslut")
    assert client.get(f"/kalender/{step.pk}/andra/").status_code == 200


def test_permissions_end_with_the_role_assignment(login, client, unit):
    admin = login("admin")
    assignment = RoleAssignment.objects.get(user=admin, role__code="administrator")
    assert client.get("/personer/ny/").status_code == 200
    services.end_assignment(
        assignment=assignment, last_day=timezone.localdate() - dt.timedelta(days=1)
    )
    assert client.get("/personer/ny/").status_code == 403


def test_political_role_ends_with_its_mandate_period(municipality):
    karin = RoleAssignment.objects.filter(
        user__username="kf.ordforande", mandate_period__name="2022–2026"
    ).get()
    assert not karin.is_active_on(dt.date(2026, 10, 15))
    assert karin.is_active_on(dt.date(2026, 10, 14))


def test_every_refused_request_is_logged(login, client, unit, caplog):
    login("medarbetare")
    with caplog.at_level(logging.WARNING, logger="styrmodell.security"):
        assert client.get(f"/organisation/{unit('bun').pk}/andra/").status_code == 403
    assert any("permission denied" in record.message for record in caplog.records)


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, municipality):
    response = client.get("/organisation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")
