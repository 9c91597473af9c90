"""No 500 on a race: simultaneous first saves of the same row give one winner, and every other
save is refused with the message of a stale save (real PostgreSQL connections, one per thread)."""

import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from budget.cycle import assumptions
from budget.followup.forecasts import save_forecast
from budget.investments import services as investments
from budget.models import (
    Anslag,
    DispositionKind,
    IndexRate,
    Lonereserv,
    OfordeladBudget,
    Prognos,
    Resultatdisposition,
    Skattesats,
    Volymmatt,
)
from budget.reserves import pot, salary
from budget.taxrate import services as taxrate
from budget.volumes import services as volumes
from budget.yearend import services as yearend
from goals import services as goal_services
from goals.models import DecisionStatus, Malbedomning, Namndmal, ReportPeriod
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, User
from styrmodell.versioning import STALE_MESSAGE
from tests.budget.investments.test_investments import make_project
from tests.budget.yearend.test_pot_yearend import KF_DAY, closed_2025  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrent writers need PostgreSQL"),
]

SAVED = "saved"


@pytest.fixture
def whole_demo(municipality):
    """A transactional test before this one emptied the database: the goals, frames and
    outcomes of the demo again (idempotent), not only the organisation."""
    call_command("seed_demo", stdout=StringIO())
    return municipality


def race(save, *, people: int = 20) -> list:
    """Run `save` in `people` threads, each with its own connection, started together."""
    barrier = threading.Barrier(people)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            save()
            outcomes.append(SAVED)
        except DomainError as error:
            outcomes.append(error)
        except Exception as error:  # noqa: BLE001 — what the test must never see
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def assert_one_winner_and_stale_losers(outcomes, *, message=STALE_MESSAGE):
    assert outcomes.count(SAVED) == 1, outcomes
    losers = [outcome for outcome in outcomes if outcome != SAVED]
    assert all(type(loser) is DomainError for loser in losers), losers
    assert {loser.message for loser in losers} == {message}


def test_b2_twenty_first_saves_of_one_forecast_give_one_forecast_and_nineteen_stale(
        municipality):
    budget_year = BudgetYear.objects.get(year=2026)
    ekonom = User.objects.get(username="ekonom")
    assert not Prognos.objects.filter(namnd=municipality["kfn"], budget_year=budget_year,
                                      period="ar").exists()

    outcomes = race(lambda: save_forecast(
        namnd=municipality["kfn"], budget_year=budget_year, period="ar", author=ekonom,
        version="0", total=Decimal("22700000")))

    assert_one_winner_and_stale_losers(outcomes)
    assert Prognos.objects.filter(namnd=municipality["kfn"], budget_year=budget_year,
                                  period="ar").count() == 1


def test_a3_twenty_first_saves_of_one_assessment_give_one_assessment_and_nineteen_stale(
        whole_demo):
    goal = Namndmal.objects.filter(status=DecisionStatus.ADOPTED, budget_year__year=2026).first()
    Malbedomning.objects.filter(namndmal=goal, period=ReportPeriod.OCTOBER).delete()
    author = User.objects.get(username="bun.forvaltningschef")

    outcomes = race(lambda: goal_services.save_assessment(
        namndmal=goal, period=ReportPeriod.OCTOBER, author=author, version="0", level="ja",
        forecast="", activities_helped="Läsfrämjande", activities_missing="",
        external_factors="Inga", resources="Enligt budget", conclusion="Nått",
        priorities="Läsning", recommendation="Fortsätt", future_challenges=""))

    assert_one_winner_and_stale_losers(outcomes)
    assert Malbedomning.objects.filter(namndmal=goal, period=ReportPeriod.OCTOBER).count() == 1


def test_b11_first_tax_rate_proposals_at_once_give_one_rate(municipality):
    budget_year = BudgetYear.objects.create(year=2031)

    outcomes = race(lambda: taxrate.propose(budget_year=budget_year, percent=Decimal("22.04")),
                    people=8)

    assert_one_winner_and_stale_losers(outcomes)
    assert Skattesats.objects.filter(budget_year=budget_year).count() == 1


def test_b5_the_first_indices_of_a_year_saved_at_once_give_one_set(municipality):
    budget_year = BudgetYear.objects.create(year=2031)

    outcomes = race(lambda: assumptions.save_indices(
        budget_year=budget_year, version="0", general=Decimal("3.2"), by_type={}), people=8)

    assert_one_winner_and_stale_losers(outcomes)
    assert IndexRate.objects.filter(budget_year=budget_year).count() == 1


def test_b7_first_pot_decisions_at_once_give_one_pot(municipality):
    budget_year = BudgetYear.objects.create(year=2031)

    outcomes = race(lambda: pot.set_pot(budget_year=budget_year, amount=Decimal("1000000"),
                                        decided_on=KF_DAY, paragraph="1"), people=8)

    assert_one_winner_and_stale_losers(outcomes)
    assert OfordeladBudget.objects.filter(budget_year=budget_year).count() == 1


def test_b10_first_salary_reserves_at_once_give_one_reserve(municipality):
    budget_year = BudgetYear.objects.create(year=2031)

    outcomes = race(lambda: salary.set_reserve(budget_year=budget_year,
                                               amount=Decimal("10000000"), decided_on=KF_DAY,
                                               paragraph="2"), people=8)

    assert_one_winner_and_stale_losers(outcomes)
    assert Lonereserv.objects.filter(budget_year=budget_year).count() == 1


@pytest.fixture
def closed_year(whole_demo, request):
    return request.getfixturevalue("closed_2025")


def test_f4_first_year_end_proposals_at_once_give_one_proposal(closed_year, municipality):
    budget_year = BudgetYear.objects.get(year=2025)
    ekonomichef = User.objects.get(username="ekonomichef")

    outcomes = race(lambda: yearend.propose(
        budget_year=budget_year, namnd=municipality["sn"], kind=DispositionKind.RESTORE,
        amount=Decimal("3000000"), goals_fulfilled=False, motivation="Förslag.",
        proposed_by=ekonomichef), people=8)

    assert_one_winner_and_stale_losers(outcomes)
    assert Resultatdisposition.objects.filter(budget_year=budget_year,
                                             namnd=municipality["sn"]).count() == 1


def test_b8_first_appropriations_of_a_year_at_once_give_one_appropriation(municipality):
    project = make_project(municipality["bun"], budget={2026: "1000000"}, years=(2026, 2027),
                           decided=False)

    outcomes = race(lambda: investments.propose_appropriation(
        project=project, year=2027, amount=Decimal("500000"), version="0"), people=8)

    assert_one_winner_and_stale_losers(outcomes)
    assert Anslag.objects.filter(project=project, year=2027).count() == 1


def test_f1_the_same_new_volume_measure_at_once_gives_one_measure(municipality):
    budget_year = BudgetYear.objects.get(year=2027)
    Volymmatt.objects.filter(namnd=municipality["bun"], budget_year=budget_year).delete()

    outcomes = race(lambda: volumes.add_measure(
        namnd=municipality["bun"], budget_year=budget_year, name="Antal elever",
        unit="elever", budget=Decimal("1200")), people=8)

    assert outcomes.count(SAVED) == 1, outcomes
    losers = [outcome for outcome in outcomes if outcome != SAVED]
    assert all(type(loser) is DomainError for loser in losers), losers
    assert Volymmatt.objects.filter(namnd=municipality["bun"], budget_year=budget_year,
                                    name="Antal elever").count() == 1
