"""Addresses that name nothing answer 404: a year that does not exist, an id that does not
exist, a unit that is not a nämnd where a nämnd is meant, and a deviation case's step that does
not apply to the case or to its state (D3, D7). Never a server error, never an empty page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from deviations.models import Avvikelse, CaseKind, CaseStatus
from goals.views import KF_KINDS
from reporting.models import Rapportperiod
from styrmodell.models import BudgetYear, RoleAssignment, UnitKind

NOTHING = 999999
MISSING_YEAR = 1999
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Routes whose parameters are not an object of ours, or that are not the application's pages.
SKIPPED_PREFIXES = ("admin/", "i18n/", "losenord/nytt/")
# A unit id that is meant to be a company, not a nämnd.
COMPANY_PARAMETERS = {"unit_id"}
YEAR_PARAMETERS = {"year"}
NAMND_PARAMETERS = {"namnd_id"}


def _routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return sorted({route for route in walk(get_resolver().url_patterns)
                   if PARAMETER.search(route) and not route.startswith(SKIPPED_PREFIXES)})


ROUTES = _routes()


@pytest.fixture
def valid(municipality):
    """A value for each parameter that names something real."""
    year = BudgetYear.objects.get(year=2026)
    return {
        "year": "2026",
        "namnd_id": str(municipality["bun"].pk),
        "code": Rapportperiod.objects.filter(budget_year=year).values_list(
            "code", flat=True).first(),
        "kind": next(iter(KF_KINDS)),
        "period": "okt",
        "step": "beslut",
        "host": "budget.prognos",
        "token": "x" * 43,
        "energy_company": str(municipality["energi"].pk),
    }


def _fill(route: str, values: dict) -> str:
    return "/" + PARAMETER.sub(lambda m: values.get(m["name"], str(NOTHING)), route)


def _variants(route: str, valid: dict) -> list[tuple[str, str]]:
    """(why, path) for each way this route's address may name nothing."""
    names = [m["name"] for m in PARAMETER.finditer(route)]
    base = {name: valid.get(name, str(NOTHING)) for name in names}
    variants = []
    for name in names:
        if name in YEAR_PARAMETERS:
            variants.append(("a year that does not exist", {**base, name: str(MISSING_YEAR)}))
        elif name in NAMND_PARAMETERS:
            variants.append(("an id that does not exist", {**base, name: str(NOTHING)}))
            variants.append(("a company, not a nämnd",
                             {**base, name: valid["energy_company"]}))
        elif name in valid:
            continue  # a word of the address (kind, period, step…), not an object's id
        else:
            variants.append(("an id that does not exist", {**base, name: str(NOTHING)}))
    return [(why, _fill(route, values)) for why, values in variants]


def _answer(client, path):
    response = client.get(path)
    if response.status_code == 405:  # a form's target: what it answers when posted to
        response = client.post(path, {})
    return response


@pytest.mark.parametrize("username", ["ekonomichef", "kommundirektor"])
@pytest.mark.parametrize("route", ROUTES)
def test_an_address_that_names_nothing_answers_404(client, login, valid, route, username):
    login(username)
    answers = {}
    for why, path in _variants(route, valid):
        response = _answer(client, path)
        answers[path] = (why, response.status_code)
    wrong = {path: answer for path, answer in answers.items() if answer[1] != 404}
    assert not wrong


def test_the_sweep_covers_the_year_and_nämnd_pages_of_every_app():
    for expected in ("budget/utfall/<int:year>/", "budget/ramar/<int:year>/<int:namnd_id>/",
                     "mal/medarbetarplaner/<int:pk>/", "avvikelser/<int:pk>/<slug:step>/",
                     "rapporter/<int:year>-<slug:code>/<int:namnd_id>/",
                     "budgetar/<int:year>/"):
        assert expected in ROUTES


def test_a_missing_medarbetarplan_is_404_for_the_kommundirektor_not_a_server_error(client,
                                                                                  login):
    login("kommundirektor")
    assert client.get(f"/mal/medarbetarplaner/{NOTHING}/").status_code == 404


def test_outcomes_of_a_year_that_does_not_exist_are_404(client, login, unit):
    login("ekonomichef")
    assert client.get("/budget/utfall/1999/").status_code == 404
    assert client.get(f"/budget/utfall/1999/{unit('bun').pk}/").status_code == 404
    assert client.get(f"/budget/utfall/1999/{unit('bun').pk}/excel/").status_code == 404


def test_an_energy_companys_frame_and_outcome_pages_are_404(client, login, unit):
    login("ekonomichef")
    energi = unit("energi")
    assert energi.kind == UnitKind.BOLAG
    assert client.get(f"/budget/ramar/2026/{energi.pk}/").status_code == 404
    assert client.get(f"/budget/utfall/2026/{energi.pk}/").status_code == 404


# --- a deviation case's steps (D3, D7) -----------------------------------------------------------


def _chair_of(client, namnd):
    """The nämnd's ordförande, who may record the nämnd's decisions (D3) for it."""
    chair = RoleAssignment.objects.filter(role__code="namndordforande", unit=namnd).first().user
    client.force_login(chair)
    return chair


def test_d3_the_decision_step_of_an_investment_case_is_refused_when_opened(
        client, municipality):
    case = Avvikelse.objects.filter(kind=CaseKind.INVESTMENT, status=CaseStatus.OPEN).first()
    assert case is not None, "the demo has an open investment case"
    _chair_of(client, case.namnd)
    response = client.get(f"/avvikelser/{case.pk}/beslut/")
    assert response.status_code == 404
    assert "gäller inte ärendet" in response.content.decode()
    assert client.post(f"/avvikelser/{case.pk}/beslut/", {}).status_code == 404


def test_d3_no_step_of_a_closed_case_opens(client, login, municipality):
    case = Avvikelse.objects.filter(kind=CaseKind.DEFICIT, status=CaseStatus.OPEN,
                                    decided_on__isnull=True).first()
    Avvikelse.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    _chair_of(client, case.namnd)
    response = client.get(f"/avvikelser/{case.pk}/beslut/")
    assert response.status_code == 404
    assert "Ärendet är avslutat" in response.content.decode()
    login("kommundirektor")
    for step in ("atgard", "yttrande", "avsluta"):
        response = client.get(f"/avvikelser/{case.pk}/{step}/")
        assert response.status_code in (403, 404), step  # 403 where the role may not act at all
        if response.status_code == 404:
            assert "Ärendet är avslutat" in response.content.decode()


def test_d3_the_decision_step_of_an_open_deficit_case_still_opens(client, municipality):
    case = Avvikelse.objects.filter(kind=CaseKind.DEFICIT, status=CaseStatus.OPEN,
                                    decided_on__isnull=True).first()
    _chair_of(client, case.namnd)
    assert client.get(f"/avvikelser/{case.pk}/beslut/").status_code == 200


def test_d7_the_namnd_informed_step_of_a_deficit_case_is_refused(client, municipality):
    case = Avvikelse.objects.filter(kind=CaseKind.DEFICIT, status=CaseStatus.OPEN).first()
    _chair_of(client, case.namnd)
    response = client.get(f"/avvikelser/{case.pk}/namnd-informerad/")
    assert response.status_code == 404
    assert "gäller inte ärendet" in response.content.decode()


def test_a_frame_and_the_outcomes_of_a_nämnd_still_open(client, login, unit):
    login("ekonomichef")
    assert client.get(f"/budget/ramar/2026/{unit('bun').pk}/").status_code == 200
    assert client.get(f"/budget/utfall/2026/{unit('bun').pk}/").status_code == 200
    assert client.get("/budget/utfall/2026/").status_code == 200
