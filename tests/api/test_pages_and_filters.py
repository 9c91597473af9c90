"""The lists a page at a time, filtered by year, nämnd and follow-up; a filter value no column
can hold answers 400 in Swedish, never a server error."""

import pytest

from budget.models import Prognos, UtfallManad
from deviations.models import Avvikelse
from goals.models import Namndmal


@pytest.fixture
def secret(token_for):
    return token_for("ekonomichef")


def test_a_list_comes_a_page_at_a_time(api_get, secret):
    total = UtfallManad.objects.count()
    assert total > 3
    first = api_get("/api/v1/utfall/", secret, page_size=2).json()
    second = api_get("/api/v1/utfall/", secret, page_size=2, page=2).json()
    assert first["count"] == total
    assert len(first["results"]) == 2 and first["next"] and first["previous"] is None
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}


def test_the_page_size_has_a_ceiling(api_get, secret):
    body = api_get("/api/v1/utfall/", secret, page_size=100000).json()
    assert len(body["results"]) == min(1000, body["count"])


def test_a_page_past_the_end_answers_404(api_get, secret):
    assert api_get("/api/v1/utfall/", secret, page=99999).status_code == 404


def test_outcome_filtered_by_year_namnd_and_month(api_get, secret, unit):
    bun = unit("bun")
    row = UtfallManad.objects.filter(namnd=bun).first()
    body = api_get("/api/v1/utfall/", secret, year=row.year, namnd=bun.pk,
                   month=row.month).json()
    assert [r["id"] for r in body["results"]] == [row.pk]
    assert body["results"][0]["namnd_name"] == bun.name


def test_forecasts_filtered_by_year_namnd_and_follow_up(api_get, secret, unit):
    sn = unit("sn")
    forecast = Prognos.objects.filter(namnd=sn).first()
    body = api_get("/api/v1/prognoser/", secret, year=forecast.budget_year.year, namnd=sn.pk,
                   period=forecast.period).json()
    assert [r["id"] for r in body["results"]] == [forecast.pk]


def test_goals_filtered_by_the_follow_up_they_were_assessed_in(api_get, secret):
    goal = Namndmal.objects.filter(assessments__period="aug").first()
    body = api_get("/api/v1/namndmal/", secret, year=goal.budget_year.year,
                   namnd=goal.namnd_id, period="aug", page_size=1000).json()
    assert goal.pk in {r["id"] for r in body["results"]}
    assert all(any(a["period"] == "aug" for a in r["assessments"]) for r in body["results"])


def test_a_goal_carries_its_latest_assessment(api_get, secret):
    goal = Namndmal.objects.filter(assessments__period="okt").first()
    body = api_get("/api/v1/namndmal/", secret, namnd=goal.namnd_id,
                   year=goal.budget_year.year, page_size=1000).json()
    listed = next(r for r in body["results"] if r["id"] == goal.pk)
    assert listed["latest_assessment"]["period"] in {"okt", "ar"}


def test_deviation_cases_filtered_by_year_and_status(api_get, secret):
    case = Avvikelse.objects.first()
    body = api_get("/api/v1/avvikelser/", secret, year=case.budget_year.year,
                   status=case.status, page_size=1000).json()
    assert case.pk in {r["id"] for r in body["results"]}
    assert {r["status"] for r in body["results"]} == {case.status}


def test_amounts_are_exact_decimal_strings(api_get, secret):
    row = UtfallManad.objects.first()
    listed = api_get("/api/v1/utfall/", secret, year=row.year, namnd=row.namnd_id,
                     month=row.month).json()["results"][0]
    assert listed["amount"] == f"{row.amount:.2f}"


@pytest.mark.parametrize("params", [
    {"year": "20x6"}, {"year": "99999999999999999999"}, {"namnd": "-1"},
    {"period": "juli"}, {"month": "13"},
])
def test_a_filter_value_that_names_nothing_answers_400(api_get, secret, params):
    response = api_get("/api/v1/utfall/" if "month" in params or "period" not in params
                       else "/api/v1/prognoser/", secret, **params)
    assert response.status_code == 400
    assert response.json()  # which filter, and why


def test_a_bad_filter_is_told_in_swedish(api_get, secret):
    body = api_get("/api/v1/prognoser/", secret, year="x", period="juli").json()
    assert set(body) == {"year", "period"}  # every problem at once
    assert body["year"] == ["Fyll i ett heltal."]
