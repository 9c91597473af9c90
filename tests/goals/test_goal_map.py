"""The goal map (A3, A4): each nämnd's goals under each övergripande mål with the latest
assessment, the August forecast and the course over the year, and a tally whose rule the page
states: every goal counts once by its latest assessment; the share met is Ja of the assessed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from goals.goal_map import NAMNDER_PER_PAGE, Tally, goal_map
from goals.models import DecisionStatus, Level, Malbedomning, Namndmal
from styrmodell.models import FOLLOW_UP_ORDER, BudgetYear, User

from .test_goal_tree import _grow

URL = "/mal/karta/"


def _latest_levels(year: BudgetYear) -> dict[int, str | None]:
    """Each adopted nämndmål's latest level, read straight from the assessments."""
    levels = {}
    for goal in Namndmal.objects.filter(budget_year=year, status=DecisionStatus.ADOPTED,
                                        overgripande_mal__isnull=False):
        periods = {a.period: a.level for a in Malbedomning.objects.filter(namndmal=goal)}
        done = [period for period in FOLLOW_UP_ORDER if period in periods]
        levels[goal.pk] = periods[done[-1]] if done else None
    return levels


@pytest.fixture
def year(municipality):
    return BudgetYear.objects.get(year=2026)


def test_a3_every_cell_shows_its_goals_latest_assessment(year):
    kd = User.objects.get(username="kommundirektor")
    found = goal_map(user=kd, budget_year=year)
    expected = _latest_levels(year)
    shown = {}
    for row in found.rows:
        for overarching, cell in zip(found.overarching, row.cells, strict=True):
            for item in cell:
                assert item.goal.namnd_id == row.namnd.pk
                assert item.goal.overgripande_mal_id == overarching.pk
                shown[item.goal.pk] = item.latest.level if item.latest else None
    assert shown == expected
    assert len(shown) > 5


def test_a3_the_tallies_count_each_goal_once_by_its_latest_assessment(year):
    found = goal_map(user=User.objects.get(username="kommundirektor"), budget_year=year)
    expected = Counter(_latest_levels(year).values())
    total = found.tally
    assert (total.met, total.partly, total.not_met, total.not_assessed) == (
        expected[Level.YES], expected[Level.PARTLY], expected[Level.NO], expected[None])
    for tallies in ([row.tally for row in found.rows], found.column_tallies):
        assert sum(t.total for t in tallies) == total.total
        assert sum(t.met for t in tallies) == total.met
    for row in found.rows:
        levels = [item.latest.level if item.latest else None
                  for cell in row.cells for item in cell]
        assert row.tally.total == len(levels)
        assert row.tally.met == levels.count(Level.YES)


def test_a3_the_share_met_leaves_out_goals_not_assessed_and_rounds_half_up():
    tally = Tally()
    for level in (Level.YES, Level.PARTLY, Level.NO, None, None):
        tally.add(level)
    assert tally.assessed == 3 and tally.total == 5
    assert tally.share_met == Decimal(33)
    two_of_three = Tally(met=2, partly=1)
    assert two_of_three.share_met == Decimal(67)
    half = Tally(met=1, not_met=1)
    assert half.share_met == Decimal(50)
    assert Tally(not_assessed=4).share_met is None


def test_a4_the_august_forecast_and_the_course_up_to_the_latest_follow_up(year):
    goal = Namndmal.objects.filter(budget_year=year, status=DecisionStatus.ADOPTED,
                                   overgripande_mal__isnull=False).first()
    author = User.objects.get(username="bun.forvaltningschef")
    Malbedomning.objects.filter(namndmal=goal).delete()
    Malbedomning.objects.create(namndmal=goal, period="feb", level=Level.NO, author=author)
    Malbedomning.objects.create(namndmal=goal, period="aug", level=Level.PARTLY,
                                forecast=Level.YES, author=author)
    found = goal_map(user=User.objects.get(username="kommundirektor"), budget_year=year)
    [item] = [item for row in found.rows for cell in row.cells for item in cell
              if item.goal.pk == goal.pk]
    assert item.latest.period == "aug" and item.forecast == Level.YES
    # April was not assessed; October has not come: the course stops at August.
    assert [(str(p.short), p.level) for p in item.course] == [
        ("feb", Level.NO), ("apr", None), ("aug", Level.PARTLY)]


def test_p5_a_draft_goal_shows_only_within_its_own_namnd(year):
    draft = Namndmal.objects.filter(budget_year=year, status=DecisionStatus.ADOPTED,
                                    overgripande_mal__isnull=False,
                                    namnd__short_name="BUN").first()
    Namndmal.objects.filter(pk=draft.pk).update(status=DecisionStatus.DRAFT)

    def ids(username):
        found = goal_map(user=User.objects.get(username=username), budget_year=year)
        return {item.goal.pk for row in found.rows for cell in row.cells for item in cell}

    assert draft.pk in ids("bun.forvaltningschef")
    assert draft.pk not in ids("sn.forvaltningschef")
    assert draft.pk not in ids("kf.ordforande")


def test_the_page_links_every_goal_and_says_each_level_in_words(client, login, year):
    login("bun.ledamot")
    page = client.get(URL).content.decode()
    assert "Så räknas summeringen" in page
    for goal in Namndmal.objects.filter(budget_year=year, status=DecisionStatus.ADOPTED,
                                        overgripande_mal__isnull=False):
        assert f'href="{goal.get_absolute_url()}"' in page
    assert '<span class="visually-hidden">Delvis</span>' in page  # not colour alone
    assert "% uppfyllda" in page


def test_the_page_shows_another_year(client, login, municipality):
    login("kommundirektor")
    response = client.get(URL, {"ar": "2025"})
    assert response.status_code == 200
    assert "Nämndmål 2025 per nämnd" in response.content.decode()
    assert client.get(URL, {"ar": "1999"}).status_code == 404


def test_the_map_costs_the_same_queries_for_few_and_many_goals(
        client, login, year, django_assert_max_num_queries):
    login("kommundirektor")
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    source = Namndmal.objects.filter(budget_year=year, status=DecisionStatus.ADOPTED,
                                     overgripande_mal__isnull=False).first()
    copies = []
    for number in range(30):
        source.pk = None
        source.title = f"Kopia {number}"
        source.by_when = dt.date(2026, 12, 31)
        copies.append(Namndmal(**{f.attname: getattr(source, f.attname)
                                  for f in Namndmal._meta.concrete_fields if f.attname != "id"}))
    Namndmal.objects.bulk_create(copies)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Kopia 29" in client.get(URL).content.decode()


def test_a_big_citys_map_shows_a_page_of_namnder_and_tallies_them_all(client, login, year):
    _grow(NAMNDER_PER_PAGE + 5)
    login("kommundirektor")
    first = client.get(URL)
    whole = first.context["map"]
    assert len(whole.rows) > NAMNDER_PER_PAGE
    assert len(first.context["page"].object_list) == NAMNDER_PER_PAGE
    assert whole.tally.total == sum(row.tally.total for row in whole.rows)
    html = first.content.decode()
    assert html.count('<th scope="row"><a href="/mal/namnd/') == NAMNDER_PER_PAGE
    assert 'href="?sida=2"' in html
    last = client.get(URL, {"sida": first.context["page"].paginator.num_pages})
    shown = [row.namnd for row in last.context["page"].object_list]
    assert shown == [row.namnd for row in whole.rows][-len(shown):]


def test_a_towns_map_is_one_page_without_page_links(client, login, year):
    login("kommundirektor")
    response = client.get(URL)
    assert response.context["page"].paginator.num_pages == 1
    assert "sida=" not in response.content.decode()
