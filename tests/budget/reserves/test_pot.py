"""Ofördelad budget (B7): apply, yttrande, KS decides; a grant moves money from the pot to the
frame, never more than the pot holds."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from budget.models import (
    Ansokan,
    ApplicationStatus,
    Criterion,
    Driftbudgetram,
    FrameStage,
    OfordeladBudget,
    PotMovement,
)
from budget.reserves import pot
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, User
from styrmodell.versioning import STALE_MESSAGE, current_version

DAY = dt.date(2028, 3, 12)


@pytest.fixture
def year_2028(municipality):
    """A budget year of its own: decided frames without a recorded build-up, a 5 mnkr pot."""
    budget_year = BudgetYear.objects.create(year=2028)
    for key, total in (("bun", "300000000"), ("sn", "250000000")):
        Driftbudgetram.objects.create(namnd=municipality[key], budget_year=budget_year,
                                      stage=FrameStage.DECIDED, total=Decimal(total))
    pot.set_pot(budget_year=budget_year, amount=Decimal("5000000"), decided_on=dt.date(2027, 11,
                22), paragraph="101")
    return budget_year


def _apply(municipality, key: str, amount: str, criterion=Criterion.UNFORESEEN):
    user = User.objects.get(username=f"{key}.forvaltningschef")
    return pot.file_application(
        pot=OfordeladBudget.objects.get(budget_year__year=2028), namnd=municipality[key],
        title=f"Behov {key}", amount=Decimal(amount), criterion=criterion,
        motivation="Oförutsedd händelse.", filed_by=user)


def _state(application, met=True):
    return pot.write_statement(application=application, criteria_met=met, statement="Uppfyllt.",
                               author=User.objects.get(username="ekonom"),
                               version=current_version(application))


def _grant(application, amount: str, paragraph="7"):
    return pot.decide_application(application=application, grant=True,
                                  granted_amount=Decimal(amount), decided_on=DAY,
                                  paragraph=paragraph,
                                  recorder=User.objects.get(username="kommunsekreterare"))


def test_b7_grant_moves_the_amount_to_a_visible_frame_line_and_the_total_is_the_sum(
        year_2028, municipality):
    application = _state(_apply(municipality, "sn", "1200000"))
    _grant(application, "1000000", paragraph="41")
    frame = Driftbudgetram.objects.get(namnd=municipality["sn"], budget_year=year_2028,
                                       stage=FrameStage.DECIDED)
    lines = list(frame.lines.all())
    assert frame.total == Decimal("251000000")
    assert frame.total == sum(line.amount for line in lines)
    assert lines[0].amount == Decimal("250000000")
    assert lines[-1].label == ("Tilldelning ur ofördelad budget: Behov sn, KS 12 mars 2028 §41")
    assert pot.balance(OfordeladBudget.objects.get(budget_year=year_2028)).remaining == \
        Decimal("4000000")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert application.granted_amount == Decimal("1000000")


def test_b7_second_grant_beyond_what_is_left_is_refused(year_2028, municipality):
    first = _state(_apply(municipality, "sn", "3000000"))
    second = _state(_apply(municipality, "bun", "2500000"))
    _grant(first, "3000000")
    with pytest.raises(DomainError, match="räcker inte"):
        _grant(second, "2500000")
    second.refresh_from_db()
    assert second.status == ApplicationStatus.STATEMENT
    assert Driftbudgetram.objects.get(namnd=municipality["bun"], budget_year=year_2028,
                                      stage=FrameStage.DECIDED).total == Decimal("300000000")
    _grant(second, "2000000")  # exactly what is left
    assert pot.balance(OfordeladBudget.objects.get(budget_year=year_2028)).remaining == 0


def test_b7_no_decision_without_a_yttrande(year_2028, municipality):
    application = _apply(municipality, "bun", "100000")
    with pytest.raises(DomainError, match="yttrande"):
        _grant(application, "100000")
    assert not PotMovement.objects.filter(pot__budget_year=year_2028).exists()


def test_b7_rejection_moves_nothing(year_2028, municipality):
    application = _state(_apply(municipality, "bun", "400000"), met=False)
    pot.decide_application(application=application, grant=False, granted_amount=None,
                           decided_on=DAY, paragraph="9",
                           recorder=User.objects.get(username="kommunsekreterare"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    frame = Driftbudgetram.objects.get(namnd=municipality["bun"], budget_year=year_2028,
                                       stage=FrameStage.DECIDED)
    assert frame.total == Decimal("300000000") and not frame.lines.exists()
    assert pot.balance(OfordeladBudget.objects.get(budget_year=year_2028)).remaining == \
        Decimal("5000000")
    with pytest.raises(DomainError, match="redan beslutat"):
        _grant(application, "400000")


def test_b7_grant_never_more_than_applied_for(year_2028, municipality):
    application = _state(_apply(municipality, "bun", "400000"))
    with pytest.raises(DomainError, match="sökta"):
        _grant(application, "400001")


def test_b7_application_needs_a_criterion_and_a_motivation(year_2028, municipality):
    with pytest.raises(DomainError, match="kriterium"):
        _apply(municipality, "bun", "1000", criterion="c")
    with pytest.raises(DomainError, match="Motivera"):
        pot.file_application(pot=OfordeladBudget.objects.get(budget_year=year_2028),
                             namnd=municipality["bun"], title="X", amount=Decimal("1"),
                             criterion="a", motivation=" ",
                             filed_by=User.objects.get(username="bun.forvaltningschef"))


def test_b7_application_is_locked_once_answered_and_edits_carry_a_version(year_2028,
                                                                          municipality):
    application = _apply(municipality, "bun", "100000")
    stale = current_version(application)
    pot.update_application(application=application, version=stale, title="Nytt",
                           amount=Decimal("90000"), criterion="a", motivation="Bättre")
    with pytest.raises(DomainError) as error:
        pot.update_application(application=application, version=stale, title="Annat",
                               amount=Decimal("80000"), criterion="a", motivation="x")
    assert error.value.message == STALE_MESSAGE
    _state(Ansokan.objects.get(pk=application.pk))
    with pytest.raises(DomainError, match="yttrande"):
        pot.update_application(application=application,
                               version=current_version(application), title="Sent",
                               amount=Decimal("1"), criterion="a", motivation="x")


def test_b7_the_pot_cannot_be_lowered_below_what_is_granted(year_2028, municipality):
    _grant(_state(_apply(municipality, "sn", "3000000")), "3000000")
    current = OfordeladBudget.objects.get(budget_year=year_2028)
    with pytest.raises(DomainError, match="lägre än det som redan är fördelat"):
        pot.set_pot(budget_year=year_2028, amount=Decimal("2000000"), decided_on=DAY,
                    paragraph="1", version=current_version(current))


def test_b7_an_undecided_pot_grants_nothing(municipality):
    budget_year = BudgetYear.objects.get(year=2027)
    proposal = OfordeladBudget.objects.get(budget_year=budget_year)
    assert proposal.decided_on is None
    application = pot.file_application(
        pot=proposal, namnd=municipality["bun"], title="Tidigt", amount=Decimal("1000"),
        criterion="a", motivation="x",
        filed_by=User.objects.get(username="bun.forvaltningschef"))
    _state(application)
    with pytest.raises(DomainError, match="inte beslutat"):
        _grant(application, "1000")


def test_b7_carried_over_surplus_is_earmarked_for_its_namnd(year_2028, municipality):
    the_pot = OfordeladBudget.objects.get(budget_year=year_2028)
    PotMovement.objects.create(pot=the_pot, kind="overforing", namnd=municipality["sn"],
                               amount=Decimal("1000000"), label="Överfört överskott",
                               decided_on=DAY)
    balance = pot.balance(the_pot)
    assert balance.remaining == Decimal("6000000")
    assert balance.available_to(municipality["sn"].pk) == Decimal("6000000")
    assert balance.available_to(municipality["bun"].pk) == Decimal("5000000")
    with pytest.raises(DomainError, match="räcker inte"):
        _grant(_state(_apply(municipality, "bun", "5500000")), "5500000")


@pytest.mark.django_db(transaction=True)
def test_b7_two_grants_at_the_same_time_never_exceed_the_pot(municipality):
    """Two kommunsekreterare record grants at once: the pot row lock makes the second wait,
    see the first grant and be refused."""
    budget_year = BudgetYear.objects.create(year=2029)
    for key in ("bun", "sn"):
        Driftbudgetram.objects.create(namnd=municipality[key], budget_year=budget_year,
                                      stage=FrameStage.DECIDED, total=Decimal("100000000"))
    the_pot = pot.set_pot(budget_year=budget_year, amount=Decimal("1000000"), decided_on=DAY,
                          paragraph="1")
    applications = []
    for key in ("bun", "sn"):
        application = pot.file_application(
            pot=the_pot, namnd=municipality[key], title=key, amount=Decimal("800000"),
            criterion="b", motivation="x",
            filed_by=User.objects.get(username=f"{key}.forvaltningschef"))
        applications.append(_state(application))
    barrier = threading.Barrier(2)
    outcomes = []

    def grant(application):
        try:
            barrier.wait()
            _grant(application, "800000")
            outcomes.append("granted")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=grant, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["granted", "refused"]
    assert pot.balance(OfordeladBudget.objects.get(pk=the_pot.pk)).remaining == Decimal("200000")


def test_b7_a_grant_is_one_off_and_b10_salary_compensation_stays_in_next_years_base(
        municipality):
    from budget.frames.services import base_frame, build_lines
    from budget.models import Driftbudgetram, FrameStage, LineKind

    sn = municipality["sn"]
    decided = Driftbudgetram.objects.get(namnd=sn, budget_year__year=2026,
                                         stage=FrameStage.DECIDED)
    kinds = {line.kind: line.amount for line in decided.lines.all()}
    assert kinds[LineKind.POT_GRANT] == Decimal("2000000")  # the demo's grant for placements
    assert LineKind.SALARY in kinds
    assert base_frame(namnd=sn, year=2027) == decided.total - Decimal("2000000")
    base_line = build_lines(namnd=sn, budget_year=decided.budget_year.__class__.objects.get(
        year=2027))[0]
    assert "utom engångstilldelning" in base_line.label
