"""The goal tree: vision to enhetsmål with the latest assessments, in bounded queries."""

import datetime as dt
import re

from goals import services
from goals.models import DecisionStatus, Namndmal, OvergripandeMal
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind


def test_goal_tree_shows_vision_goals_enhetsmal_and_counts(login, client):
    login("kf.ordforande")
    page = client.get("/mal/?ar=2026").content.decode()
    assert "Ekbacka – den gröna kommunen där alla växer." in page
    assert "1. Barn och unga ges goda förutsättningar att lyckas" in page
    assert "Fler elever är behöriga till gymnasiet" in page
    assert "Aspaskolan 7–9: fler elever är behöriga till gymnasiet" in page
    assert re.search(r"✖</span> Nej</span>\s*</dt><dd>1</dd>", page)


def test_goal_tree_filters_by_namnd(login, client, unit):
    login("revisor")
    page = client.get(f"/mal/?ar=2026&namnd={unit('sn').pk}").content.decode()
    assert "Hemtjänsten ger kontinuitet" in page
    assert "Fler elever är behöriga till gymnasiet" not in page


def _grow(count: int) -> None:
    """A larger city: more nämnder with adopted goals and enhetsmål."""
    year = BudgetYear.objects.get(year=2026)
    kf = OrganisationUnit.objects.get(kind=UnitKind.KF)
    goals = list(OvergripandeMal.objects.filter(mandate_period=year.mandate_period))
    for number in range(count):
        namnd = OrganisationUnit.objects.create(name=f"Stadsdelsnämnd {number}",
                                                kind=UnitKind.NAMND, parent=kf)
        forvaltning = OrganisationUnit.objects.create(name=f"Förvaltning {number}",
                                                      kind=UnitKind.FORVALTNING, parent=namnd)
        enhet = OrganisationUnit.objects.create(name=f"Enhet {number}", kind=UnitKind.ENHET,
                                                parent=forvaltning)
        for goal_number in range(3):
            goal = services.create_namndmal(
                namnd=namnd, budget_year=year, overgripande_mal=goals[goal_number % 4],
                title=f"Mål {goal_number}", what="x", how_measured="y", target="z",
                by_when=dt.date(2026, 12, 31)).obj
            goal = services.adopt_namndmal(goal=goal, decided_on=dt.date(2025, 12, 1),
                                           paragraph="1")
            services.create_enhetsmal(enhet=enhet, namndmal=goal, title="E")


def test_goal_tree_query_count_does_not_grow_with_the_city(login, client,
                                                           django_assert_max_num_queries):
    login("kf.ordforande")
    with django_assert_max_num_queries(20) as small:
        client.get("/mal/?ar=2026")
    _grow(15)
    assert Namndmal.objects.filter(status=DecisionStatus.ADOPTED).count() > 60
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/mal/?ar=2026")
