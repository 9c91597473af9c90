"""Year-end (F4): result = decided frame − full-year outcome; a surplus is partly carried over
through next year's ofördelad budget, a deficit restored in a coming year, both only when KF
has decided."""

import datetime as dt
from decimal import Decimal

import pytest

from budget import pot, yearend
from budget.models import (
    AdjustmentKind,
    DispositionKind,
    DispositionStatus,
    Driftbudgetram,
    FrameAdjustment,
    FrameStage,
    Konto,
    OfordeladBudget,
    PotMovement,
    Utfall,
    YearEndDisposition,
)
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, User

KF_DAY = dt.date(2026, 4, 20)


@pytest.fixture
def closed_2025(municipality):
    """2025 outcomes of our own: BUN 2 mnkr under its frame, SN 3 mnkr over."""
    YearEndDisposition.objects.filter(budget_year__year=2025).delete()
    Utfall.objects.filter(year=2025).delete()
    konto, _ = Konto.objects.get_or_create(number="5010", defaults={"name": "Löner"})
    frames = {}
    for key, difference in (("bun", Decimal("-2000000")), ("sn", Decimal("3000000"))):
        frame = Driftbudgetram.objects.get(namnd=municipality[key], budget_year__year=2025,
                                           stage=FrameStage.DECIDED)
        frames[key] = frame.total
        outcome = frame.total + difference
        monthly = (outcome / 12).quantize(Decimal("0.01"))
        rows = [Utfall(namnd=municipality[key], konto=konto, year=2025, month=month,
                       amount=monthly) for month in range(1, 12)]
        rows.append(Utfall(namnd=municipality[key], konto=konto, year=2025, month=12,
                           amount=outcome - monthly * 11))
        Utfall.objects.bulk_create(rows)
    # A revenue row and another year's row: signs count, other years do not.
    Utfall.objects.create(namnd=municipality["bun"], konto=konto, year=2025, month=6,
                          amount=Decimal("-500000"))
    Utfall.objects.create(namnd=municipality["bun"], konto=konto, year=2026, month=1,
                          amount=Decimal("9999999"))
    return frames


def _propose(municipality, key, kind, amount, goals=True):
    return yearend.propose(
        budget_year=BudgetYear.objects.get(year=2025), namnd=municipality[key], kind=kind,
        amount=Decimal(amount), goals_fulfilled=goals, motivation="Förslag.",
        proposed_by=User.objects.get(username="ekonomichef"))


def _decide(disposition, amount, approve=True):
    return yearend.decide(disposition=disposition, approve=approve,
                          decided_amount=Decimal(amount) if amount else None,
                          decided_on=KF_DAY, paragraph="45",
                          recorder=User.objects.get(username="kommunsekreterare"))


def test_f4_result_is_the_decided_frame_minus_the_full_year_outcome(closed_2025, municipality):
    results = {r.namnd.pk: r for r in yearend.results(
        budget_year=BudgetYear.objects.get(year=2025))}
    bun, sn = results[municipality["bun"].pk], results[municipality["sn"].pk]
    assert bun.frame == closed_2025["bun"]
    assert bun.outcome == closed_2025["bun"] - Decimal("2500000")
    assert bun.result == Decimal("2500000")
    assert sn.result == Decimal("-3000000")
    assert isinstance(sn.result, Decimal)


def test_f4_carry_over_is_at_most_the_surplus_and_needs_goals_fulfilled(closed_2025,
                                                                        municipality):
    with pytest.raises(DomainError, match="Högst överskottet"):
        _propose(municipality, "bun", DispositionKind.CARRY_OVER, "2500001")
    with pytest.raises(DomainError, match="mål, uppdrag och prestationer uppfyllda"):
        _propose(municipality, "bun", DispositionKind.CARRY_OVER, "1000000", goals=False)
    with pytest.raises(DomainError, match="inget överskott"):
        _propose(municipality, "sn", DispositionKind.CARRY_OVER, "1000")
    with pytest.raises(DomainError, match="inget underskott"):
        _propose(municipality, "bun", DispositionKind.RESTORE, "1000")
    disposition = _propose(municipality, "bun", DispositionKind.CARRY_OVER, "1250000")
    assert disposition.target_year.year == 2026
    with pytest.raises(DomainError, match="föreslagna"):
        _decide(disposition, "1250001")


def test_f4_carry_over_moves_into_next_years_pot_only_when_kf_decides(closed_2025,
                                                                      municipality):
    the_pot = OfordeladBudget.objects.get(budget_year__year=2026)
    before = pot.balance(the_pot)
    disposition = _propose(municipality, "bun", DispositionKind.CARRY_OVER, "1250000")
    assert pot.balance(the_pot).remaining == before.remaining  # a proposal moves nothing
    decided = _decide(disposition, "1000000")
    assert decided.status == DispositionStatus.DECIDED
    after = pot.balance(the_pot)
    assert after.remaining == before.remaining + Decimal("1000000")
    assert after.available_to(municipality["bun"].pk) == \
        before.available_to(municipality["bun"].pk) + Decimal("1000000")
    assert after.available_to(municipality["sn"].pk) == before.available_to(
        municipality["sn"].pk)
    assert decided.movement.label.startswith("Överfört överskott 2025 för Barn- och")


def test_f4_restore_creates_next_years_adjustment_shown_in_the_recomputed_2027_frame(
        closed_2025, municipality):
    disposition = _propose(municipality, "sn", DispositionKind.RESTORE, "3000000")
    assert disposition.target_year.year == 2027  # 2026 is already decided
    assert not FrameAdjustment.objects.filter(reason__startswith="Återställande").exists()
    _decide(disposition, "2000000")
    adjustment = FrameAdjustment.objects.get(reason__startswith="Återställande av underskott")
    assert adjustment.kind == AdjustmentKind.EFFICIENCY
    assert adjustment.budget_year.year == 2027 and adjustment.namnd == municipality["sn"]
    frame = Driftbudgetram.objects.get(namnd=municipality["sn"], budget_year__year=2027,
                                       stage=FrameStage.PRELIMINARY)
    line = frame.lines.get(label__startswith="Återställande av underskott 2025")
    assert line.amount == Decimal("-2000000")
    assert frame.total == sum(line.amount for line in frame.lines.all())


def test_f4_rejection_moves_nothing(closed_2025, municipality):
    the_pot = OfordeladBudget.objects.get(budget_year__year=2026)
    movements = PotMovement.objects.count()
    disposition = _propose(municipality, "sn", DispositionKind.RESTORE, "3000000")
    rejected = _decide(disposition, None, approve=False)
    assert rejected.status == DispositionStatus.REJECTED
    assert PotMovement.objects.count() == movements
    assert not FrameAdjustment.objects.filter(reason__startswith="Återställande").exists()
    assert pot.balance(the_pot).remaining == pot.balance(the_pot).remaining
    with pytest.raises(DomainError, match="redan beslutat"):
        _decide(rejected, "1000")


def test_f4_only_a_closed_year_gets_proposals(municipality):
    with pytest.raises(DomainError, match="inte avslutat"):
        yearend.propose(budget_year=BudgetYear.objects.get(year=2026),
                        namnd=municipality["bun"], kind=DispositionKind.CARRY_OVER,
                        amount=Decimal("1"), goals_fulfilled=True, motivation="x",
                        proposed_by=User.objects.get(username="ekonomichef"))


def test_f4_demo_proposals_follow_the_outcomes_and_are_idempotent(closed_2025, municipality):
    from budget import demo_pot

    demo_pot.seed_year_end()
    dispositions = {d.namnd.pk: d for d in YearEndDisposition.objects.filter(
        budget_year__year=2025)}
    assert dispositions[municipality["bun"].pk].kind == DispositionKind.CARRY_OVER
    assert dispositions[municipality["bun"].pk].amount == Decimal("1250000")
    assert dispositions[municipality["sn"].pk].kind == DispositionKind.RESTORE
    assert dispositions[municipality["sn"].pk].amount == Decimal("3000000")
    demo_pot.seed_year_end()
    assert YearEndDisposition.objects.filter(budget_year__year=2025).count() == 2
