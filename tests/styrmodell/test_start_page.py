"""The start page, "Mina uppgifter": what is due for me and when, and where I belong."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from styrmodell.models import User
from styrmodell.selectors import my_tasks


def test_forvaltningschef_sees_the_namnd_deadlines_and_the_namnds_meetings(municipality):
    user = User.objects.get(username="bun.forvaltningschef")
    tasks = my_tasks(user, today=dt.date(2026, 11, 25))
    titles = [event.title for event in tasks.upcoming]
    assert "Nämnderna fastställer verksamhetsplan och budget" in titles
    assert "Uppföljningsrapport per oktober" in [event.title for event in tasks.overdue]
    assert {meeting.unit.short_name for meeting in tasks.meetings} == {"BUN"}


def test_kf_member_sees_kfs_decision_but_not_the_namnd_reports(municipality):
    user = User.objects.get(username="kf.ordforande")
    tasks = my_tasks(user, today=dt.date(2026, 11, 1))
    titles = [event.title for event in tasks.upcoming]
    assert "KF beslutar budget, planår och mål" in titles
    assert "Nämndernas budgetunderlag" not in titles
    assert "KF" in {meeting.unit.short_name for meeting in tasks.meetings}


def test_start_page_lists_my_assignments(login, client):
    login("enhetschef")
    page = client.get("/").content.decode()
    assert "<h1>Mina uppgifter</h1>" in page
    assert "Ekbackaskolan F–6" in page and "Enhetschef" in page


def test_a_person_without_valid_role_is_told_so(client, municipality):
    person = User.objects.create(username="utan.roll")
    client.force_login(person)
    assert "Du har ingen gällande roll" in client.get("/").content.decode()


def test_the_start_page_asks_for_the_running_year_and_the_own_namnd_once(login, client):
    """Several panels need the running year and the förvaltning's nämnd: each is read once."""
    login("bun.forvaltningschef")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    assert sum(1 for q in sql if q.startswith('SELECT') and '"styrmodell_budgetyear"."status" ='
               in q and 'FROM "styrmodell_budgetyear"' in q) == 1
    ancestors = [q for q in sql if q.startswith('SELECT "styrmodell_organisationunit"')
                 and '"styrmodell_organisationunit"."id" IN' in q]
    assert len(ancestors) == len(set(ancestors))
