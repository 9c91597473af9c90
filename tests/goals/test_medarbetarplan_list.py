"""The list of medarbetarplaner (G10): a page at a time, filtered in SQL within the plans the
user may see, in the same number of queries for a town and for a big city."""

import datetime as dt
import re

import pytest

from goals.models import Medarbetarplan
from styrmodell.models import BudgetYear, User
from styrmodell.paging import PER_PAGE

LIST_URL = "/mal/medarbetarplaner/"
EXTRA = PER_PAGE + 11  # more than one page


def _rows(response) -> list[str]:
    """The employees named in the table's rows."""
    return re.findall(r'<tr><th scope="row"><a href="/mal/medarbetarplaner/\d+/">([^<]+)</a>',
                      response.content.decode())


def _add_plans(unit) -> None:
    """A big school: EXTRA more employees with a plan at Ekbackaskolan (BUN), every third one
    followed up at the medarbetarsamtal."""
    chef = User.objects.get(username="enhetschef")
    employees = User.objects.bulk_create(
        User(username=f"larare{number}", first_name="Lärare", last_name=f"Nummer{number:03d}")
        for number in range(EXTRA))
    year = BudgetYear.objects.get(year=2026)
    Medarbetarplan.objects.bulk_create(
        Medarbetarplan(employee=employee, chef=chef, enhet=unit("ekbackaskolan"),
                       budget_year=year,
                       followed_up_on=dt.date(2026, 10, 1) if number % 3 == 0 else None,
                       followed_up_by=chef if number % 3 == 0 else None)
        for number, employee in enumerate(employees))


@pytest.fixture
def many_plans(unit):
    _add_plans(unit)


def test_g10_the_kommundirektor_sees_one_page_of_the_plans(many_plans, login, client):
    login("kommundirektor")
    total = Medarbetarplan.objects.count()
    first = client.get(LIST_URL)
    assert len(_rows(first)) == PER_PAGE
    assert f"Visar 1–50 av {total}" in first.content.decode()
    assert 'href="?sida=2" rel="next"' in first.content.decode()
    second = client.get(LIST_URL, {"sida": "2"})
    assert len(_rows(second)) == total - PER_PAGE
    assert not set(_rows(first)) & set(_rows(second))


def test_g10_plans_are_found_by_the_employees_name(many_plans, login, client):
    login("kommundirektor")
    assert _rows(client.get(LIST_URL, {"namn": "nummer007"})) == ["Lärare Nummer007"]
    assert _rows(client.get(LIST_URL, {"namn": "lärare nummer00"})) == [
        f"Lärare Nummer00{number}" for number in range(10)]


def test_g10_plans_are_found_by_their_enhet(many_plans, login, client):
    login("kommundirektor")
    hemtjanst = client.get(LIST_URL, {"enhet": "hemtjänst"})
    assert _rows(hemtjanst) == [str(User.objects.get(username="medarbetare2"))]
    page = client.get(LIST_URL, {"enhet": "ekbackaskolan"}).content.decode()
    assert f"av {EXTRA + 1}" in page  # the demo's own employee there, and the new ones
    assert "Hemtjänst" not in page


def test_g10_plans_are_filtered_by_year_and_follow_up(many_plans, login, client):
    login("kommundirektor")
    followed_up = _rows(client.get(LIST_URL, {"ar": "2026", "uppfoljd": "ja"}))
    assert followed_up == [f"Lärare Nummer{number:03d}" for number in range(0, EXTRA, 3)]
    assert _rows(client.get(LIST_URL, {"ar": "2027"})) == []
    assert "Inga medarbetarplaner stämmer med filtret" in client.get(
        LIST_URL, {"ar": "2027"}).content.decode()


def test_g10_the_page_links_keep_the_filter(many_plans, login, client):
    login("kommundirektor")
    page = client.get(LIST_URL, {"enhet": "ekbacka", "ar": "2026"}).content.decode()
    assert 'href="?enhet=ekbacka&amp;ar=2026&amp;sida=2" rel="next"' in page
    assert 'value="ekbacka"' in page  # the form shows what was asked


@pytest.mark.parametrize("username", ["sn.forvaltningschef", "medarbetare2"])
def test_g10_a_filter_never_shows_plans_beyond_the_users_line(many_plans, login, client,
                                                              username):
    login(username)
    assert _rows(client.get(LIST_URL, {"enhet": "ekbackaskolan"})) == []
    assert _rows(client.get(LIST_URL, {"namn": "lärare"})) == []


def test_g10_the_employee_finds_only_the_own_plan(many_plans, login, client):
    me = login("medarbetare")
    assert _rows(client.get(LIST_URL)) == [str(me)]
    assert _rows(client.get(LIST_URL, {"enhet": "ekbackaskolan", "ar": "2026"})) == [str(me)]


def test_g10_the_list_costs_the_same_queries_for_a_town_and_a_big_city(
        unit, login, client, django_assert_max_num_queries):
    login("kommundirektor")
    with django_assert_max_num_queries(12) as town:
        client.get(LIST_URL, {"enhet": "skola", "ar": "2026"})
    _add_plans(unit)
    with django_assert_max_num_queries(len(town.captured_queries)):
        response = client.get(LIST_URL, {"enhet": "skola", "ar": "2026"})
    assert len(_rows(response)) == PER_PAGE
