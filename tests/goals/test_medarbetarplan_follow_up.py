"""A7: the chef follows the medarbetarplan up at the medarbetarsamtal; G10: only up the line."""

import datetime as dt

import pytest
from django.utils import timezone

from goals import services
from goals.models import Medarbetarplan
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, User
from styrmodell.versioning import current_version


@pytest.fixture
def plan(municipality):
    """Maja Berg's plan at Ekbackaskolan, agreed with the enhetschef (the demo's)."""
    return Medarbetarplan.objects.get(employee__username="medarbetare", budget_year__year=2026)


def _url(plan):
    return f"/mal/medarbetarplaner/{plan.pk}/uppfoljning/"


def _post(client, plan, **overrides):
    data = {"version": current_version(plan), "followed_up_on": f"{timezone.localdate():%Y-%m-%d}",
            "follow_up_note": "Målen är nådda; nästa år mer ansvar för läsgrupperna."}
    data.update(overrides)
    return client.post(_url(plan), data)


def test_a7_the_enhetschef_records_the_follow_up_and_it_is_shown_on_the_plan(login, client,
                                                                           plan):
    login("enhetschef")
    assert client.get(plan.get_absolute_url()).content.decode().count(_url(plan)) == 1
    response = _post(client, plan)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.followed_up_on == timezone.localdate()
    assert plan.follow_up_note.startswith("Målen är nådda")
    assert plan.followed_up_by.username == "enhetschef"
    login("medarbetare")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Målen är nådda" in page and "Uppföljning vid medarbetarsamtal" in page


def test_a7_the_forvaltningschef_further_up_the_line_may_record_it(login, client, plan):
    login("bun.forvaltningschef")
    assert _post(client, plan).status_code == 302
    plan.refresh_from_db()
    assert plan.followed_up_by.username == "bun.forvaltningschef"


def test_a7_a_chef_of_another_enhet_cannot_record_it(login, client, municipality):
    other = Medarbetarplan.objects.get(employee__username="medarbetare2", budget_year__year=2026)
    login("enhetschef")  # rektor at Ekbackaskolan; the plan is in hemtjänsten
    assert client.get(_url(other)).status_code == 403
    assert _post(client, other).status_code == 403
    other.refresh_from_db()
    assert other.followed_up_on is None and other.follow_up_note == ""


def test_a7_a_forvaltningschef_of_another_forvaltning_cannot_record_it(login, client, plan):
    login("sn.forvaltningschef")
    assert _post(client, plan).status_code == 403
    plan.refresh_from_db()
    assert plan.followed_up_on is None


def test_a7_the_employee_cannot_record_their_own_follow_up(login, client, plan):
    login("medarbetare")
    assert client.get(plan.get_absolute_url()).content.decode().count(_url(plan)) == 0
    assert client.get(_url(plan)).status_code == 403
    assert _post(client, plan).status_code == 403
    plan.refresh_from_db()
    assert plan.followed_up_on is None


def test_a7_a_chef_does_not_follow_up_their_own_plan_even_with_the_role(login, client,
                                                                       municipality):
    """The enhetschef's own plan lies in her enhet, where her role may change plans."""
    rektor = User.objects.get(username="enhetschef")
    own = services.create_medarbetarplan(
        employee=rektor, chef=User.objects.get(username="bun.forvaltningschef"),
        enhet=municipality["ekbackaskolan"], budget_year=BudgetYear.objects.get(year=2026),
        agreed_on=dt.date(2026, 2, 3))
    login("enhetschef")
    assert _post(client, own).status_code == 403
    with pytest.raises(DomainError, match="inte av medarbetaren själv"):
        services.follow_up_medarbetarplan(plan=own, by=rektor, version=current_version(own),
                                          followed_up_on=dt.date(2026, 9, 1), note="Bra")
    own.refresh_from_db()
    assert own.followed_up_on is None


def test_a7_the_medarbetarsamtal_may_be_today_but_not_in_the_future(plan):
    chef = User.objects.get(username="enhetschef")
    today = dt.date(2026, 11, 25)
    with pytest.raises(DomainError, match="framtiden") as refused:
        services.follow_up_medarbetarplan(plan=plan, by=chef, version=current_version(plan),
                                          followed_up_on=today + dt.timedelta(days=1),
                                          note="Bra", today=today)
    assert [field for field, _m in refused.value.errors] == ["followed_up_on"]
    plan.refresh_from_db()
    assert plan.followed_up_on is None
    saved = services.follow_up_medarbetarplan(plan=plan, by=chef, version=current_version(plan),
                                              followed_up_on=today, note="Bra", today=today)
    assert saved.followed_up_on == today


def test_a7_a_future_date_in_the_form_is_refused_with_a_swedish_message(login, client, plan):
    login("enhetschef")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(client, plan, followed_up_on=f"{tomorrow:%Y-%m-%d}")
    assert response.status_code == 200
    assert "kan inte ligga i framtiden" in response.content.decode()
    plan.refresh_from_db()
    assert plan.followed_up_on is None and plan.follow_up_note == ""


def test_a7_the_follow_up_comes_after_the_plan_was_agreed(plan):
    chef = User.objects.get(username="enhetschef")
    with pytest.raises(DomainError, match="före samtalet"):
        services.follow_up_medarbetarplan(
            plan=plan, by=chef, version=current_version(plan),
            followed_up_on=plan.agreed_on - dt.timedelta(days=1), note="Bra",
            today=dt.date(2026, 11, 25))


def test_a7_a_missing_date_and_a_blank_note_are_said_at_once(login, client, plan):
    login("enhetschef")
    response = _post(client, plan, followed_up_on="", follow_up_note="   ")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ange datum för medarbetarsamtalet." in page
    assert "Skriv vad som kom fram vid uppföljningen." in page
    plan.refresh_from_db()
    assert plan.followed_up_on is None


def test_a7_a_stale_follow_up_is_refused(login, client, plan):
    login("enhetschef")
    version = current_version(plan)
    assert _post(client, plan, version=version).status_code == 302
    stale = _post(client, plan, version=version, follow_up_note="Något annat")
    assert "Någon annan har ändrat" in stale.content.decode()
    plan.refresh_from_db()
    assert plan.follow_up_note.startswith("Målen är nådda")


@pytest.mark.parametrize("username", ["medarbetare2", "bun.ordforande", "revisor",
                                      "sn.forvaltningschef", "ekonomichef"])
def test_g10_the_follow_up_is_seen_only_by_the_employee_and_the_chefs_above(login, client,
                                                                           plan, username):
    services.follow_up_medarbetarplan(plan=plan, by=User.objects.get(username="enhetschef"),
                                      version=current_version(plan),
                                      followed_up_on=dt.date(2026, 9, 1), note="Personligt",
                                      today=dt.date(2026, 11, 25))
    login(username)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 403
    assert "Personligt" not in response.content.decode()
    assert client.get(_url(plan)).status_code == 403
