"""The organisation: browsing it, and the administrator managing units, people and roles."""

import datetime as dt

import pytest

from styrmodell import services
from styrmodell.errors import DomainError
from styrmodell.models import MandatePeriod, OrganisationUnit, Role, RoleAssignment, User


def test_organisation_page_shows_bodies_namnder_enheter_and_group_companies(login, client):
    login("bun.ledamot")
    page = client.get("/organisation/").content.decode()
    for name in ["Kommunfullmäktige", "Kommunstyrelsen", "Kommunstyrelsens arbetsutskott",
                 "Barn- och utbildningsnämnden", "Socialnämnden", "Samhällsbyggnadsnämnden",
                 "Kultur- och fritidsnämnden", "Barn- och utbildningsförvaltningen",
                 "Ekbackaskolan F–6", "Stiftelsen Ekbackahem"]:
        assert name in page, name
    assert "Britt Ulfsdotter" in page


def test_unit_page_shows_who_holds_which_role_for_which_mandate_period(login, client, unit):
    login("revisor")
    page = client.get(f"/organisation/{unit('bun').pk}/").content.decode()
    current = page[page.index("Roller i dag"):page.index("Tidigare och kommande")]
    assert "Britt Ulfsdotter" in current and "2026–2030" in current
    past = page[page.index("Tidigare och kommande"):]
    assert "Gunnel Ek" in past and "2022–2026" in past


def test_organisation_tree_takes_the_same_number_of_queries_at_any_size(
    login, client, unit, django_assert_max_num_queries
):
    login("bun.ledamot")
    with django_assert_max_num_queries(8) as small:
        client.get("/organisation/")
    for number in range(120):
        services.create_unit(name=f"Enhet {number}", kind="enhet", parent=unit("sof"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/organisation/")


def test_person_list_takes_the_same_number_of_queries_at_any_size(
    login, client, unit, django_assert_max_num_queries
):
    login("admin")
    with django_assert_max_num_queries(8) as small:
        client.get("/personer/")
    role = Role.objects.get(code="medarbetare")
    for number in range(60):
        person = User.objects.create(username=f"person{number}", last_name=f"Nr {number}")
        services.assign_role(user=person, role=role, unit=unit("hemtjanst"),
                             valid_from=dt.date(2025, 1, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/personer/")


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
