"""Every endpoint answers exactly what the same person may read in the browser (P5): for every
demo role, the ids an endpoint lists are, as a set, the rows `can` lets that person read —
asked per row here, where the API asks the permission layer once, in SQL."""

import pytest

from budget.models import (
    Driftbudgetram,
    Investeringsprojekt,
    Prognos,
    UtfallManad,
    Volymmatt,
)
from deviations.models import Avvikelse
from goals.models import DecisionStatus, Namndmal, Nyckeltal, NyckeltalVarde
from reporting.models import Rapportavsnitt, SectionStatus
from styrmodell.demo import DEMO_LOGINS
from styrmodell.models import User
from styrmodell.permissions import Action, can, forget_assignments, may_somewhere


def _reads(user, kind, unit, *, published=False, obj=None) -> bool:
    """What the pages let the person read: within reach, or published (P5), or the one object
    the person is appointed to answer for."""
    forget_assignments(user)
    if published and may_somewhere(user, kind, Action.VIEW):
        return True
    return can(user, Action.VIEW, kind, unit, obj=obj)


# path -> (every row, the kind, the owning unit, whether the row is published to all readers)
ENDPOINTS = {
    "/api/v1/utfall/": (UtfallManad.objects.select_related("namnd"), "outcome",
                        lambda row: row.namnd, None),
    "/api/v1/ramar/": (Driftbudgetram.objects.select_related("namnd"), "frame",
                       lambda row: row.namnd, None),
    "/api/v1/prognoser/": (Prognos.objects.select_related("namnd"), "forecast",
                           lambda row: row.namnd, None),
    "/api/v1/namndmal/": (Namndmal.objects.select_related("namnd"), "namndmal",
                          lambda row: row.namnd,
                          lambda row: row.status == DecisionStatus.ADOPTED),
    "/api/v1/avvikelser/": (Avvikelse.objects.select_related("namnd"), "deviation",
                            lambda row: row.namnd, None),
    "/api/v1/nyckeltal/": (Nyckeltal.objects.select_related("namnd"), "nyckeltal",
                           lambda row: row.namnd, None),
    "/api/v1/nyckeltal/varden/": (NyckeltalVarde.objects.select_related("nyckeltal__namnd"),
                                  "nyckeltal", lambda row: row.nyckeltal.namnd, None),
    "/api/v1/volymer/": (Volymmatt.objects.select_related("namnd"), "volume",
                         lambda row: row.namnd, None),
    "/api/v1/investeringsprojekt/": (Investeringsprojekt.objects.select_related("namnd"),
                                     "investment", lambda row: row.namnd, None),
}


def _listed(api_get, path, secret) -> list[dict]:
    rows, page = [], 1
    while True:
        response = api_get(path, secret, page=page, page_size=1000)
        assert response.status_code == 200, (path, response.content[:300])
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        page += 1


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_p5_every_endpoint_lists_what_the_role_may_read(api_get, token_for, username):
    secret = token_for(username)
    user = User.objects.get(username=username)
    wrong = {}
    for path, (rows, kind, unit_of, published) in ENDPOINTS.items():
        expected = {row.pk for row in rows
                    if _reads(user, kind, unit_of(row),
                              published=bool(published and published(row)))}
        listed = [row["id"] for row in _listed(api_get, path, secret)]
        assert len(listed) == len(set(listed)), path  # no row twice across the pages
        if set(listed) != expected:
            wrong[path] = (sorted(set(listed) - expected), sorted(expected - set(listed)))
    assert wrong == {}


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_p5_a_reports_sections_are_the_namnds_own_until_it_approves_them(api_get, token_for,
                                                                        username):
    secret = token_for(username)
    user = User.objects.get(username=username)
    expected = {(section.period_id, section.namnd_id)
                for section in Rapportavsnitt.objects.select_related("namnd")
                if _reads(user, "report_section", section.namnd,
                          published=section.status == SectionStatus.APPROVED, obj=section)}
    listed = {(report["id"], section["namnd"])
              for report in _listed(api_get, "/api/v1/rapporter/", secret)
              for section in report["sections"]}
    assert listed == expected


def test_p5_the_walk_is_not_empty_handed_a_draft_goal_is_read_only_within_its_namnd(
        api_get, token_for):
    """The demo has draft nämndmål: BUN's own reads them, SN's ordförande does not."""
    drafts = set(Namndmal.objects.filter(namnd__name="Barn- och utbildningsnämnden",
                                         status=DecisionStatus.DRAFT)
                 .values_list("pk", flat=True))
    assert drafts
    def ids(username):
        return {row["id"] for row in _listed(api_get, "/api/v1/namndmal/",
                                             token_for(username))}
    assert drafts <= ids("bun.ordforande")
    assert not drafts & ids("sn.ordforande")


def test_a_person_without_a_role_reads_nothing(api_get, municipality):
    from api import tokens

    nobody = User.objects.create_user(username="utan.roll", password="x" * 20)
    _token, secret = tokens.create_token(user=nobody, name="BI", expires_on=None)
    for path in [*ENDPOINTS, "/api/v1/rapporter/"]:
        response = api_get(path, secret)
        assert response.status_code == 200
        assert response.json()["count"] == 0, path


def test_medarbetarplaner_are_not_in_the_api(client, municipality):
    """Personal (G10): no endpoint lists them."""
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "medarbetar" not in schema.lower()


def test_every_list_of_the_api_is_walked():
    from api.urls import urlpatterns

    lists = {f"/api/v1/{pattern.pattern}" for pattern in urlpatterns
             if pattern.name not in {"schema", "docs"}}
    assert lists == {*ENDPOINTS, "/api/v1/rapporter/"}
