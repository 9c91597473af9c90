"""The one rule for which budget year a page opens on when its address names none."""

import pytest

from styrmodell.models import BudgetYear, BudgetYearStatus
from styrmodell.selectors import budget_year_to_show, budget_years

RUNNING = BudgetYearStatus.RUNNING
PLANNING = BudgetYearStatus.PLANNING
CLOSED = BudgetYearStatus.CLOSED


@pytest.fixture
def years(municipality):
    """Sets the status of the years named; every other budget year is closed."""

    def with_status(**statuses: str) -> None:
        BudgetYear.objects.update(status=CLOSED)
        for year, status in statuses.items():
            BudgetYear.objects.update_or_create(year=int(year[1:]), defaults={"status": status})

    return with_status


def _newest() -> int:
    return BudgetYear.objects.order_by("-year").first().year


def test_a_follow_up_page_opens_on_the_running_year(years):
    years(y2026=RUNNING, y2027=PLANNING)
    assert budget_year_to_show(prefer="running").year == 2026


def test_of_two_running_years_a_follow_up_page_opens_on_the_newest(years):
    years(y2025=RUNNING, y2026=RUNNING)
    assert budget_year_to_show(prefer="running").year == 2026


def test_a_budget_building_page_opens_on_the_year_being_planned(years):
    years(y2026=RUNNING, y2027=PLANNING)
    assert budget_year_to_show(prefer="planning").year == 2027


def test_of_two_years_being_planned_a_budget_page_opens_on_the_oldest(years):
    years(y2027=PLANNING, y2028=PLANNING)
    assert budget_year_to_show(prefer="planning").year == 2027


def test_without_a_running_year_a_follow_up_page_opens_on_the_newest_year(years):
    years(y2027=PLANNING, y2031=CLOSED)
    assert budget_year_to_show(prefer="running").year == 2031 == _newest()


def test_without_a_year_being_planned_a_budget_page_opens_on_the_newest_year(years):
    years(y2026=RUNNING, y2031=CLOSED)
    assert budget_year_to_show(prefer="planning").year == 2031 == _newest()


def test_with_no_budget_year_at_all_there_is_no_year_to_show(no_budget_year):
    assert budget_year_to_show(prefer="running") is None
    assert budget_year_to_show(prefer="planning") is None
    assert list(budget_years()) == []


def test_the_year_picker_lists_every_budget_year_newest_first(years):
    years(y2031=PLANNING)
    listed = [budget_year.year for budget_year in budget_years()]
    assert listed == sorted(BudgetYear.objects.values_list("year", flat=True), reverse=True)
    assert listed[0] == 2031


def test_the_year_end_opens_on_the_newest_closed_year(years):
    years(y2026=RUNNING, y2027=PLANNING)  # every other year closed, 2025 the newest of them
    assert budget_year_to_show(prefer="closed").year == 2025


def test_without_a_closed_year_the_year_end_opens_on_the_newest(years):
    BudgetYear.objects.update(status=RUNNING)
    assert budget_year_to_show(prefer="closed").year == _newest()
