"""The goal tree: vision to enhetsmål with the latest assessments, in bounded queries, opening
on the user's nämnd and collapsed below the nämndmål when the enhetsmål are many."""

import datetime as dt
import re

import pytest

from goals import services
from goals.models import DecisionStatus, Enhetsmal, Namndmal, OvergripandeMal
from goals.selectors import ENHETSMAL_SHOWN_FOR_ALL_NAMNDER, NAMNDER_PER_PAGE
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind
from styrmodell.permissions import restrict


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


MANY = ENHETSMAL_SHOWN_FOR_ALL_NAMNDER + 20


def _bun_goal() -> Namndmal:
    return Namndmal.objects.filter(namnd__short_name="BUN", budget_year__year=2026,
                                   status=DecisionStatus.ADOPTED).order_by("pk").first()


def _add_enhetsmal(unit) -> Namndmal:
    """A big city's worth of enhetsmål under one of BUN's nämndmål."""
    goal = _bun_goal()
    Enhetsmal.objects.bulk_create(
        Enhetsmal(enhet=unit("aspaskolan"), namndmal=goal, title=f"Extra enhetsmål {number}")
        for number in range(MANY))
    return goal


def test_goal_tree_of_every_namnd_collapses_below_the_namndmal_when_enhetsmal_are_many(
        login, client, unit):
    goal = _add_enhetsmal(unit)
    login("kommundirektor")
    page = client.get("/mal/?ar=2026").content.decode()
    assert "Extra enhetsmål" not in page
    assert "Aspaskolan 7–9: fler elever" not in page
    visible = goal.enhet_goals.count()
    assert re.search(rf'href="{goal.get_absolute_url()}#enhetsmal">{visible} enhetsmål<', page)
    assert "Hemtjänsten ger kontinuitet" in page  # every nämnd's nämndmål stay


def test_goal_tree_of_one_namnd_shows_its_enhetsmal(login, client, unit):
    _add_enhetsmal(unit)
    login("kommundirektor")
    page = client.get(f"/mal/?ar=2026&namnd={unit('bun').pk}").content.decode()
    assert page.count("Extra enhetsmål") == MANY
    assert "Hemtjänsten ger kontinuitet" not in page
    assert "Extra enhetsmål" not in client.get(
        f"/mal/?ar=2026&namnd={unit('sn').pk}").content.decode()


def test_goal_tree_shows_and_counts_only_the_enhetsmal_the_user_may_see(login, client, unit):
    bun_goal = _add_enhetsmal(unit)
    sn_goal = Namndmal.objects.filter(namnd=unit("sn"), budget_year__year=2026,
                                      status=DecisionStatus.ADOPTED).first()
    Enhetsmal.objects.bulk_create(
        Enhetsmal(enhet=unit("hemtjanst"), namndmal=sn_goal, title=f"Hemtjänstmål {number}")
        for number in range(MANY))
    user = login("sn.forvaltningschef")
    assert not restrict(bun_goal.enhet_goals.all(), user, "enhetsmal",
                        unit_field="enhet").exists()
    every = client.get("/mal/?ar=2026&namnd=").content.decode()
    assert f'href="{sn_goal.get_absolute_url()}#enhetsmal">{sn_goal.enhet_goals.count()} ' in every
    assert bun_goal.title in every  # the adopted nämndmål is public, its enhetsmål are not
    assert f'href="{bun_goal.get_absolute_url()}#enhetsmal"' not in every
    bun = client.get(f"/mal/?ar=2026&namnd={unit('bun').pk}").content.decode()
    assert bun_goal.title in bun
    assert "Extra enhetsmål" not in bun


def test_goal_tree_opens_on_the_users_own_namnd(login, client, unit):
    login("sn.ordforande")
    page = client.get("/mal/?ar=2026").content.decode()
    assert "Hemtjänsten ger kontinuitet" in page
    assert "Fler elever är behöriga till gymnasiet" not in page
    assert f'<option value="{unit("sn").pk}" selected>' in page
    every = client.get("/mal/?ar=2026&namnd=").content.decode()
    assert "Fler elever är behöriga till gymnasiet" in every


@pytest.mark.parametrize("username", ["kommundirektor", "kf.ordforande", "ks.ordforande"])
def test_goal_tree_opens_on_every_namnd_for_those_who_govern_the_whole(login, client, username):
    login(username)
    page = client.get("/mal/?ar=2026").content.decode()
    assert "Hemtjänsten ger kontinuitet" in page
    assert "Fler elever är behöriga till gymnasiet" in page


@pytest.mark.parametrize("query", ["", "&namnd={bun}"])
def test_goal_tree_costs_the_same_queries_with_many_enhetsmal(
        login, client, unit, query, django_assert_max_num_queries):
    url = "/mal/?ar=2026" + query.format(bun=unit("bun").pk)
    login("kommundirektor")
    with django_assert_max_num_queries(20) as town:
        client.get(url)
    _add_enhetsmal(unit)
    _grow(15)
    with django_assert_max_num_queries(len(town.captured_queries)):
        client.get(url)


def _namnder_shown(tree) -> list[int]:
    return list(dict.fromkeys(nb.namnd.pk for branch in tree.branches for nb in branch.namnder))


def test_goal_tree_of_every_namnd_in_a_big_city_shows_a_page_of_namnder_and_counts_all(
        login, client):
    _grow(NAMNDER_PER_PAGE + 5)
    with_goals = Namndmal.objects.filter(budget_year__year=2026, status=DecisionStatus.ADOPTED)
    namnder = set(with_goals.values_list("namnd_id", flat=True))
    assert len(namnder) > NAMNDER_PER_PAGE
    login("kommundirektor")
    first = client.get("/mal/?ar=2026&namnd=")
    tree = first.context["tree"]
    assert len(_namnder_shown(tree)) == NAMNDER_PER_PAGE
    assert sum(branch.goal_count for branch in tree.branches) == with_goals.count()
    assert tree.page.paginator.count == len(namnder)
    shown = set()
    for number in range(1, tree.page.paginator.num_pages + 1):
        page = client.get(f"/mal/?ar=2026&namnd=&sida={number}").context["tree"]
        assert [b.counts for b in page.branches] == [b.counts for b in tree.branches]
        shown |= set(_namnder_shown(page))
    assert shown == namnder
    assert 'href="?ar=2026&amp;namnd=&amp;sida=2"' in first.content.decode()


def test_goal_tree_of_a_town_is_one_page_without_page_links(login, client):
    login("kommundirektor")
    page = client.get("/mal/?ar=2026")
    assert page.context["tree"].page.paginator.num_pages == 1
    assert "sida=" not in page.content.decode()
