"""The organisation: browsing it, and the administrator managing units, people and roles."""

import datetime as dt
import re

import pytest

from styrmodell import demo, services
from styrmodell.errors import DomainError
from styrmodell.models import MandatePeriod, OrganisationUnit, Role, RoleAssignment, User
from styrmodell.selectors import with_holder_counts

UNIT_ROW = re.compile(
    r'<th scope="row" class="org-table__name[^"]*">\s*<a href="[^"]+">([^<]+)</a>'
)


def tree_rows(response) -> list[str]:
    """The names of the units in the organisation's own table (not the group companies')."""
    page = response.content.decode()
    section = page[page.index('aria-labelledby="kommunen"'):]
    section = section[:section.index("</section>")]
    return UNIT_ROW.findall(section)


def test_organisation_opens_on_the_bodies_namnder_forvaltningar_and_group_companies(
    login, client
):
    login("bun.ledamot")
    response = client.get("/organisation/")
    shown = tree_rows(response)
    for name in ["Kommunfullmäktige", "Kommunstyrelsen", "Kommunstyrelsens arbetsutskott",
                 "Barn- och utbildningsnämnden", "Socialnämnden", "Samhällsbyggnadsnämnden",
                 "Kultur- och fritidsnämnden", "Barn- och utbildningsförvaltningen"]:
        assert name in shown, name
    assert "Ekbackaskolan F–6" not in shown  # the enheter open one nämnd at a time
    page = response.content.decode()
    assert "Stiftelsen Ekbackahem" in page
    assert "Britt Ulfsdotter" not in page  # holders are counted here, named on the unit's page


def test_each_unit_shows_how_many_hold_a_role_in_it_today(login, client, unit):
    login("bun.ledamot")
    holders = RoleAssignment.objects.active_on(dt.date.today()).filter(unit=unit("bun"))
    count = holders.values("user").distinct().count()
    page = client.get("/organisation/").content.decode()
    assert f'<a href="/organisation/{unit("bun").pk}/#roller">{count}<' in page


def test_a_namnd_opens_with_its_forvaltning_and_enheter_and_nothing_else(login, client, unit):
    login("bun.ledamot")
    page = client.get("/organisation/").content.decode()
    assert f'href="/organisation/?namnd={unit("bun").pk}"' in page
    shown = tree_rows(client.get("/organisation/", {"namnd": unit("bun").pk}))
    assert shown == ["Barn- och utbildningsnämnden", "Barn- och utbildningsförvaltningen",
                     "Ekbackaskolan F–6", "Aspaskolan 7–9", "Förskolan Ekorren"]


def test_the_political_level_shows_no_forvaltningar(login, client):
    login("bun.ledamot")
    shown = tree_rows(client.get("/organisation/", {"niva": "organ"}))
    assert "Socialnämnden" in shown and "Kommunstyrelsens arbetsutskott" in shown
    assert "Socialförvaltningen" not in shown


def test_units_are_found_by_name_at_every_level(login, client):
    login("bun.ledamot")
    assert tree_rows(client.get("/organisation/", {"namn": "aspa"})) == ["Aspaskolan 7–9"]
    assert tree_rows(client.get("/organisation/", {"namn": "SOF"})) == ["Socialförvaltningen"]


def add_enheter(parent, number: int) -> None:
    for n in range(number):
        services.create_unit(name=f"Enhet {n:03d}", kind="enhet", parent=parent)


def test_a_namnd_with_more_enheter_than_a_page_shows_fifty_at_a_time(login, client, unit):
    login("bun.ledamot")
    add_enheter(unit("sof"), 120)
    response = client.get("/organisation/", {"namnd": unit("sn").pk})
    assert len(tree_rows(response)) == 50
    assert "Visar 1–50 av 125" in response.content.decode()  # SN, SOF, its 3 enheter and 120
    last = client.get("/organisation/", {"namnd": unit("sn").pk, "sida": 3})
    assert len(tree_rows(last)) == 25


@pytest.mark.parametrize("filters", [{}, {"namnd": "sn"}, {"niva": "enheter"}])
def test_organisation_takes_the_same_number_of_queries_at_any_size(
    login, client, unit, django_assert_max_num_queries, filters
):
    login("bun.ledamot")
    filters = {k: unit(v).pk if k == "namnd" else v for k, v in filters.items()}
    with django_assert_max_num_queries(12) as small:
        client.get("/organisation/", filters)
    add_enheter(unit("sof"), 120)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/organisation/", filters)
    assert len(tree_rows(response)) <= 50


def add_holders(unit, number: int) -> None:
    people = User.objects.bulk_create(
        User(username=f"extra{n:03d}", first_name="Extra", last_name=f"Person {n:03d}")
        for n in range(number)
    )
    role = Role.objects.get(code="medarbetare")
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=person, role=role, unit=unit, valid_from=dt.date(2025, 1, 1))
        for person in people
    )


def test_a_unit_with_many_holders_shows_them_fifty_at_a_time_in_flat_queries(
    login, client, unit, django_assert_max_num_queries
):
    login("bun.ledamot")
    address = f"/organisation/{unit('hemtjanst').pk}/"
    with django_assert_max_num_queries(30) as small:
        client.get(address)
    add_holders(unit("hemtjanst"), 120)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(address)
    page = response.content.decode()
    current = page[page.index('id="roller"'):page.index("</section>", page.index('id="roller"'))]
    assert len(re.findall(r'href="/personer/\d+/"', current)) == 50
    assert "Visar 1–50 av 121" in current
    assert f'href="/personer/?enhet={unit("hemtjanst").pk}"' in current


@pytest.mark.parametrize("username", demo.DEMO_LOGINS)
def test_everyone_who_logs_in_may_read_the_organisation(login, client, unit, username):
    login(username)
    assert client.get("/organisation/", {"namnd": unit("bun").pk}).status_code == 200


def test_the_organisation_asks_someone_not_logged_in_to_log_in(client, municipality):
    response = client.get("/organisation/")
    assert response.status_code == 302
    assert "/logga-in/" in response["Location"]


def test_unit_page_shows_who_holds_which_role_for_which_mandate_period(login, client, unit):
    login("revisor")
    page = client.get(f"/organisation/{unit('bun').pk}/").content.decode()
    current = page[page.index("Roller i dag"):page.index("Tidigare och kommande")]
    assert "Britt Ulfsdotter" in current and "2026–2030" in current
    past = page[page.index("Tidigare och kommande"):]
    assert "Gunnel Ek" in past and "2022–2026" in past


def test_admin_adds_a_unit_under_a_forvaltning(login, client, unit):
    login("admin")
    response = client.post("/organisation/ny/", {"name": "Boendestöd", "kind": "enhet",
                                                 "parent": unit("sof").pk, "is_active": "on"})
    created = OrganisationUnit.objects.get(name="Boendestöd")
    assert response.status_code == 302
    assert created.path.startswith(unit("sof").path)
    assert created.nearest_namnd() == unit("sn")


def test_a_unit_in_the_wrong_place_gets_a_swedish_message_and_nothing_is_saved(login, client,
                                                                                unit):
    login("admin")
    response = client.post("/organisation/ny/", {"name": "Felplacerad", "kind": "namnd",
                                                 "parent": unit("sof").pk, "is_active": "on"})
    assert response.status_code == 200
    assert "En nämnd ska ligga under: Kommunfullmäktige." in response.content.decode()
    assert not OrganisationUnit.objects.filter(name="Felplacerad").exists()


def test_a_unit_cannot_be_moved_under_itself(municipality):
    buf = municipality["buf"]
    with pytest.raises(DomainError):
        services.update_unit(unit=municipality["bun"], version=None, parent=buf)


def test_political_role_follows_the_mandate_period(municipality):
    period = MandatePeriod.objects.get(name="2026–2030")
    person = User.objects.create(username="ny.ledamot", first_name="Ny", last_name="Ledamot")
    assignment = services.assign_role(
        user=person, role=Role.objects.get(code="namndledamot"), unit=municipality["sn"],
        valid_from=dt.date(2027, 1, 1), mandate_period=period,
    )
    assert assignment.valid_to == period.ends_on


def test_the_same_role_twice_at_once_is_refused(municipality):
    person = User.objects.get(username="bun.ledamot")
    with pytest.raises(DomainError, match="har redan rollen"):
        services.assign_role(user=person, role=Role.objects.get(code="namndledamot"),
                             unit=municipality["bun"], valid_from=dt.date(2027, 1, 1))


def test_admin_assigns_and_ends_a_role_through_the_pages(login, client, unit):
    login("admin")
    person = User.objects.get(username="medarbetare2")
    role = Role.objects.get(code="enhetschef")
    response = client.post(f"/organisation/{unit('lindgarden').pk}/roller/ny/", {
        "user": person.pk, "role": role.pk, "valid_from": "2026-12-01",
    })
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=person, role=role)
    response = client.post(f"/rolltilldelning/{assignment.pk}/avsluta/",
                           {"last_day": "2026-11-30"})
    assert response.status_code == 200
    assert "Sista dagen kan inte vara före startdatum." in response.content.decode()
    client.post(f"/rolltilldelning/{assignment.pk}/avsluta/", {"last_day": "2027-06-30"})
    assignment.refresh_from_db()
    assert assignment.valid_to == dt.date(2027, 6, 30)


def test_admin_adds_a_person_who_cannot_log_in_until_given_a_password(login, client):
    login("admin")
    response = client.post("/personer/ny/", {"username": "ny.person", "first_name": "Ny",
                                             "last_name": "Person"})
    assert response.status_code == 302
    assert not User.objects.get(username="ny.person").has_usable_password()


def test_each_unit_counts_the_active_enheter_below_it_and_not_itself(unit):
    add_enheter(unit("sof"), 3)
    team = services.create_unit(name="Arbetslag", kind="enhet", parent=unit("sof"))
    services.create_unit(name="Arbetslag nord", kind="enhet", parent=team)
    closed = services.create_unit(name="Nedlagd enhet", kind="enhet", parent=unit("sof"))
    OrganisationUnit.objects.filter(pk=closed.pk).update(is_active=False)
    units = list(OrganisationUnit.objects.order_by("path"))
    enheter = [u for u in units if u.kind == "enhet" and u.is_active]
    expected = {u.pk: sum(1 for e in enheter if e.path.startswith(u.path) and e.pk != u.pk)
                for u in units}
    counted = with_holder_counts(OrganisationUnit.objects.order_by("path"))
    assert {u.pk: u.enhet_count for u in counted} == expected
    assert expected[team.pk] == 1 and expected[unit("sof").pk] >= 5
