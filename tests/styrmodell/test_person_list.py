"""The list of people: filtered by name, unit and role, a page at a time, in a flat number of
queries however many people the municipality has."""

import datetime as dt
import re

import pytest

from styrmodell import demo
from styrmodell.models import Role, RoleAssignment, User

ROW = re.compile(r'<th scope="row"><a href="/personer/\d+/">([^<]+)</a>')


def listed(response) -> list[str]:
    """The names in the list's rows (not the logged-in name in the page header)."""
    return ROW.findall(response.content.decode())


def rows(response) -> int:
    return len(listed(response))


def add_people(unit, number: int, *, role_code: str = "medarbetare") -> None:
    """`number` more people, each holding the role in the unit (bulk, as at big-city size)."""
    people = User.objects.bulk_create(
        User(username=f"extra{n:03d}", first_name="Extra", last_name=f"Person {n:03d}")
        for n in range(number)
    )
    role = Role.objects.get(code=role_code)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=person, role=role, unit=unit, valid_from=dt.date(2025, 1, 1))
        for person in people
    )


@pytest.mark.parametrize("search", ["ulfs", "BRITT", "britt ulfsdotter", "bun.ordforande"])
def test_people_are_found_by_first_or_last_name_or_username_whatever_the_case(
    login, client, search
):
    login("revisor")
    page = listed(client.get("/personer/", {"namn": search}))
    assert "Britt Ulfsdotter" in page
    assert "Bengt Larsson" not in page


def test_people_are_found_by_a_unit_or_any_unit_below_it(login, client, unit):
    login("revisor")
    page = listed(client.get("/personer/", {"enhet": unit("buf").pk}))
    assert "Björn Falk" in page  # förvaltningschef of BUF itself
    assert "Eva Hedlund" in page and "Maja Berg" in page  # at Ekbackaskolan, below BUF
    assert "Mats Björk" not in page  # hemtjänsten, under SOF


def test_an_enhet_named_in_the_address_filters_though_the_menu_stops_above_the_enheter(
    login, client, unit
):
    login("revisor")
    response = client.get("/personer/", {"enhet": unit("hemtjanst").pk})
    assert "Mats Björk" in listed(response) and "Maja Berg" not in listed(response)
    page = response.content.decode()
    menu = page[page.index('name="enhet"'):page.index("</select>", page.index('name="enhet"'))]
    assert f'<option value="{unit("hemtjanst").pk}" selected>' in menu
    assert f'<option value="{unit("sof").pk}">' in menu
    assert f'<option value="{unit("lindgarden").pk}"' not in menu


def test_people_are_found_by_role_and_by_role_in_a_unit(login, client, unit):
    login("revisor")
    chair = Role.objects.get(code="namndordforande")
    page = listed(client.get("/personer/", {"roll": chair.pk}))
    assert "Britt Ulfsdotter" in page and "Sara Nordin" in page
    assert "Bengt Larsson" not in page
    page = listed(client.get("/personer/", {"roll": chair.pk, "enhet": unit("sn").pk}))
    assert "Sara Nordin" in page and "Britt Ulfsdotter" not in page


def test_a_role_that_has_ended_does_not_find_its_former_holder(login, client, unit):
    login("revisor")
    page = listed(client.get("/personer/", {"enhet": unit("bun").pk}))
    assert "Gunnel Ek" not in page  # BUN's chair of the mandate period before


def test_filters_the_list_cannot_read_show_everyone_and_no_error(login, client):
    login("revisor")
    response = client.get("/personer/", {"enhet": "nio", "roll": "999999", "sida": "x"})
    assert response.status_code == 200
    assert "Britt Ulfsdotter" in listed(response)


def test_the_list_shows_fifty_people_a_page_and_the_rest_on_the_next(login, client, unit):
    login("revisor")
    add_people(unit("hemtjanst"), 120)
    total = User.objects.filter(is_active=True).count()
    first = client.get("/personer/")
    assert rows(first) == 50
    assert f"Visar 1–50 av {total}" in first.content.decode()
    last = client.get("/personer/", {"sida": 3})
    assert rows(last) == total - 100


def test_the_pages_keep_the_filters(login, client, unit):
    login("revisor")
    add_people(unit("hemtjanst"), 120)
    response = client.get("/personer/", {"enhet": unit("sof").pk})
    page = response.content.decode()
    assert rows(response) == 50
    assert f"?enhet={unit('sof').pk}&amp;sida=2" in page
    assert "Visar 1–50 av 122" in page  # the 120, Mats Björk and the socialchef


def test_each_person_on_the_page_shows_the_roles_held_today(login, client):
    login("revisor")
    page = client.get("/personer/", {"namn": "ulfsdotter"}).content.decode()
    row = page.index("Britt Ulfsdotter</a>")
    holdings = page[row:page.index("</tr>", row)]
    assert "BUN" in holdings and "KF" in holdings


def test_the_list_takes_the_same_number_of_queries_at_demo_size_and_beyond_a_page(
    login, client, unit, django_assert_max_num_queries
):
    login("admin")
    with django_assert_max_num_queries(12) as small:
        client.get("/personer/")
    with django_assert_max_num_queries(12) as small_filtered:
        client.get("/personer/", {"namn": "a", "enhet": unit("sof").pk})
    add_people(unit("hemtjanst"), 120)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/personer/")
    assert rows(response) == 50
    with django_assert_max_num_queries(len(small_filtered.captured_queries)):
        response = client.get("/personer/", {"namn": "a", "enhet": unit("sof").pk, "sida": 2})
    assert 0 < rows(response) <= 50


@pytest.mark.parametrize("username", demo.DEMO_LOGINS)
def test_everyone_who_logs_in_may_read_the_list_of_people(login, client, username):
    login(username)
    assert client.get("/personer/").status_code == 200


def test_someone_not_logged_in_is_sent_to_log_in(client, municipality):
    response = client.get("/personer/", {"namn": "britt"})
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]
