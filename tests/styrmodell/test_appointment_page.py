"""The appointment page (styrmodell.appointment_views): a name search among the candidates
instead of a menu of them all, at most 20 shown, in as many queries at any size; the chosen
person is the service's to refuse (P1, P2, P5)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.models import DecisionStatus, Namndmal
from styrmodell import appointments
from styrmodell.models import Appointment, Role, RoleAssignment, User
from styrmodell.roles import MEDARBETARE

TODAY = dt.date(2026, 11, 25)
# Session, user, goal, the appointer's roles, the search (people, their roles here, how many),
# the history and the menu's roles: pinned, so that a query per candidate shows at once.
PAGE_QUERIES = 9


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def goal(municipality):
    return Namndmal.objects.filter(namnd__short_name="BUN", budget_year__year=2026,
                                   status=DecisionStatus.ADOPTED).order_by("pk").first()


@pytest.fixture
def page(login, client, goal):
    """The page searched for `q`, as BUN's förvaltningschef (logged in here) sees it."""
    login("bun.forvaltningschef")
    url = reverse("goals:namndmal_appoint", args=[goal.pk])
    return lambda q="": client.get(url, {"q": q} if q else {})


def listed(response) -> list[str]:
    """The usernames of the radio buttons on the page, in order."""
    pks = [int(pk) for pk in re.findall(r'name="person" value="(\d+)"',
                                        response.content.decode())]
    usernames = dict(User.objects.filter(pk__in=pks).values_list("pk", "username"))
    return [usernames[pk] for pk in pks]


def checked(response) -> list[str]:
    return re.findall(r'name="person" value="(\d+)" id="[^"]+" checked',
                      response.content.decode())


def add_teachers(municipality, count: int, *, unit: str = "ekorren") -> list[User]:
    """`count` officials with a role in a unit: BUN's förskola by default."""
    teachers = User.objects.bulk_create([
        User(username=f"provlarare{number:02}", first_name="Provlärare",
             last_name=f"Nummer{number:02}") for number in range(count)])
    role = Role.objects.get(code=MEDARBETARE)
    RoleAssignment.objects.bulk_create([
        RoleAssignment(user=teacher, role=role, unit=municipality[unit],
                       valid_from=dt.date(2026, 1, 1)) for teacher in teachers])
    return teachers


def test_the_search_narrows_the_candidates_by_every_word_of_the_name(page):
    assert {"medarbetare", "bun.malansvarig"} <= set(listed(page()))
    assert set(listed(page("berg"))) == {"medarbetare", "bun.malansvarig"}  # Berg, Åberg
    assert listed(page("berg ida")) == ["bun.malansvarig"]
    assert listed(page("MALANSV")) == ["bun.malansvarig"]  # the username too, in any case


def test_each_candidate_is_shown_with_username_and_role_in_the_namnd(page):
    text = page("maja").content.decode()
    assert "Maja Berg" in text
    assert "(medarbetare) – Medarbetare, Ekbackaskolan F–6" in text
    assert '<legend>Ansvarig</legend>' in text
    assert '<label for="id_q">Sök person</label>' in text


def test_at_most_20_are_shown_and_the_page_says_of_how_many(page, municipality):
    add_teachers(municipality, 25)
    many = page("provlärare")
    assert len(listed(many)) == 20
    assert "Visar 20 av 25 – skriv mer av namnet." in many.content.decode()
    assert listed(page("provlärare nummer07")) == ["provlarare07"]
    assert "Visar" not in page("provlärare nummer07").content.decode()


@pytest.mark.parametrize("username", [
    "medarbetare2",  # an official of SN (P5)
    "bun.ordforande",  # BUN's politician (P1, P2)
    "kommundirektor",  # above BUN, in KS
])
def test_a_person_outside_the_namnds_officials_is_never_listed(page, username):
    person = User.objects.get(username=username)
    for q in ("", person.last_name, person.username):
        assert username not in listed(page(q))
    assert "Ingen som kan utses har det namnet." in page(person.username).content.decode()


def test_the_officials_of_another_namnd_are_not_listed_however_many(page, municipality):
    add_teachers(municipality, 3, unit="hemtjanst")
    assert listed(page("provlärare")) == []


def test_posting_a_person_outside_the_candidates_is_refused_in_the_services_words(
        client, page, goal):
    outsider = User.objects.get(username="medarbetare2")
    response = client.post(reverse("goals:namndmal_appoint", args=[goal.pk]), {
        "person": outsider.pk, "starts_on": "2026-11-25", "ends_on": "2027-02-28",
        "reason": "Driver målet"})
    text = response.content.decode()
    assert response.status_code == 200
    assert ("Mats Björk kan inte utses: ansvaret kan bara ges till en tjänsteperson med en roll "
            "i Barn- och utbildningsnämnden.") in text
    assert 'href="#id_person"' in text and 'id="id_person"' in text  # the summary's link
    assert "medarbetare2" not in listed(response)
    assert not Appointment.objects.filter(user=outsider).exists()


def test_the_chosen_person_stays_chosen_when_the_form_comes_back(client, page, goal):
    maja = User.objects.get(username="medarbetare")
    url = reverse("goals:namndmal_appoint", args=[goal.pk])
    data = {"person": maja.pk, "starts_on": "2026-11-25", "ends_on": "2027-02-28", "reason": ""}
    back = client.post(url, data)
    assert "Skriv varför personen får ansvaret." in back.content.decode()
    assert checked(back) == [str(maja.pk)]
    # Sent from a search that no longer finds her, she is still there, first and chosen.
    searched = client.post(f"{url}?q=ida", data)
    assert listed(searched) == ["medarbetare", "bun.malansvarig"]
    assert checked(searched) == [str(maja.pk)]


def test_the_appointment_form_is_sent_from_the_same_search(page, goal):
    assert f'action="/mal/namndmal/{goal.pk}/ansvarig/?q=ida"' in page("ida").content.decode()


def _queries(page, q="") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert page(q).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_5_and_with_40_candidates(page, goal,
                                                                     municipality):
    present = appointments.candidates(goal).count()
    assert present <= 5
    add_teachers(municipality, 5 - present)
    assert appointments.candidates(goal).count() == 5
    page()  # the first request's one-time reads (content types, the session) are not counted
    assert _queries(page) == PAGE_QUERIES
    User.objects.filter(username__startswith="provlarare").delete()
    add_teachers(municipality, 40 - present)
    assert appointments.candidates(goal).count() == 40
    assert _queries(page) == PAGE_QUERIES
    assert _queries(page, "provlärare") == PAGE_QUERIES
