"""Year-end (F4): result = decided frame − full-year outcome; a surplus is partly carried over
through next year's ofördelad budget, a deficit restored in a coming year, both only when KF
has decided."""

import datetime as dt
from decimal import Decimal

import pytest

from budget.ledger.totals import refresh_every_year, refresh_month_totals
from budget.models import (
    AdjustmentKind,
    DispositionKind,
    DispositionStatus,
    Driftbudgetram,
    EarmarkAccounting,
    FrameAdjustment,
    FrameStage,
    Konto,
    LineKind,
    OfordeladBudget,
    PotMovement,
    Resultatdisposition,
    Utfall,
)
from budget.reserves import pot
from budget.yearend import services as yearend
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, User
from styrmodell.versioning import STALE_MESSAGE, current_version

KF_DAY = dt.date(2026, 4, 20)


@pytest.fixture
def closed_2025(municipality):
    """2025 outcomes of our own: BUN 2 mnkr under its frame, SN 3 mnkr over."""
    Resultatdisposition.objects.filter(budget_year__year=2025).delete()
    Utfall.objects.filter(year=2025).delete()
    refresh_every_year()
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
    refresh_month_totals(year=2025)
    refresh_month_totals(year=2026)
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
    from budget.reserves import demo as demo_pot

    demo_pot.seed_year_end()
    dispositions = {d.namnd.pk: d for d in Resultatdisposition.objects.filter(
        budget_year__year=2025)}
    assert dispositions[municipality["bun"].pk].kind == DispositionKind.CARRY_OVER
    assert dispositions[municipality["bun"].pk].amount == Decimal("1250000")
    assert dispositions[municipality["sn"].pk].kind == DispositionKind.RESTORE
    assert dispositions[municipality["sn"].pk].amount == Decimal("3000000")
    demo_pot.seed_year_end()
    assert Resultatdisposition.objects.filter(budget_year__year=2025).count() == 2


# --- B3: earmarked allocations accounted for at year-end ---------------------------------------

EARMARK = Decimal("1500000")  # the demo's "Läxhjälp och lovskola" in BUN's frame 2025


def _earmark(municipality, key="bun"):
    return yearend.earmarks(budget_year=BudgetYear.objects.get(year=2025),
                            namnd_ids=[municipality[key].pk])[0]


def _account(mark, used, by="bun.forvaltningschef", used_for="Lovskola för 420 elever."):
    accounting = EarmarkAccounting.objects.filter(line=mark.line).first()
    return yearend.account_for_earmark(
        line=mark.line, used_amount=Decimal(used), used_for=used_for,
        written_by=User.objects.get(username=by),
        version=current_version(accounting) if accounting else None)


def _bun(municipality):
    return next(r for r in yearend.results(budget_year=BudgetYear.objects.get(year=2025))
                if r.namnd == municipality["bun"])


def test_b3_every_earmark_of_the_decided_frames_is_listed_with_its_account(municipality):
    marks = yearend.earmarks(budget_year=BudgetYear.objects.get(year=2025))
    assert {(m.namnd, m.line.label) for m in marks} >= {
        (municipality["bun"], "Läxhjälp och lovskola"),
        (municipality["sn"], "Heltidsresan i hemtjänsten")}
    assert all(m.line.frame.stage == FrameStage.DECIDED for m in marks)
    assert not yearend.earmarks(budget_year=BudgetYear.objects.get(year=2027))  # preliminary


def test_b3_an_earmark_fully_used_leaves_nothing_unused_and_the_whole_surplus_free(
        closed_2025, municipality):
    mark = _earmark(municipality)
    _account(mark, EARMARK)
    mark = _earmark(municipality)
    assert mark.is_fully_used and mark.unused == 0 and mark.overused == 0
    assert _bun(municipality).free_surplus == Decimal("2500000")
    assert _propose(municipality, "bun", DispositionKind.CARRY_OVER, "2500000").amount == \
        Decimal("2500000")


def test_b3_an_earmark_partly_used_keeps_its_unused_part_out_of_the_carry_over(
        closed_2025, municipality):
    _account(_earmark(municipality), "1000000")
    mark = _earmark(municipality)
    assert mark.is_partly_used and mark.unused == Decimal("500000")
    assert _bun(municipality).free_surplus == Decimal("2000000")
    with pytest.raises(DomainError, match="Högst 2\u00a0000\u00a0000 kr kan föras över: "
                                          "500\u00a0000 kr av överskottet är outnyttjade "
                                          "specificerade") as error:
        _propose(municipality, "bun", DispositionKind.CARRY_OVER, "2000001")
    assert error.value.field == "amount"
    assert _propose(municipality, "bun", DispositionKind.CARRY_OVER, "2000000")


def test_b3_an_earmark_not_used_at_all_is_not_free_money(closed_2025, municipality):
    with pytest.raises(DomainError, match="varför de inte använts") as error:
        _account(_earmark(municipality), "0", used_for=" ")
    assert error.value.field == "used_for"
    _account(_earmark(municipality), "0", used_for="Ingen lovskola: lokalerna renoverades.")
    mark = _earmark(municipality)
    assert mark.is_unused and mark.unused == EARMARK
    with pytest.raises(DomainError, match="Högst 1\u00a0000\u00a0000 kr kan föras över"):
        _propose(municipality, "bun", DispositionKind.CARRY_OVER, "1250000")


def test_b3_an_earmark_over_used_has_nothing_unused(closed_2025, municipality):
    _account(_earmark(municipality), "1800000")
    mark = _earmark(municipality)
    assert mark.is_overused and not mark.is_fully_used
    assert (mark.unused, mark.overused) == (0, Decimal("300000"))
    assert _bun(municipality).free_surplus == Decimal("2500000")


def test_b3_a_negative_use_is_refused_and_nothing_is_saved(closed_2025, municipality):
    mark = _earmark(municipality)
    before = mark.accounting.used_amount
    with pytest.raises(DomainError, match="noll kronor eller mer") as error:
        _account(mark, "-1")
    assert error.value.field == "used_amount"
    assert EarmarkAccounting.objects.get(line=mark.line).used_amount == before


def test_b3_f4_no_surplus_is_carried_over_before_every_earmark_is_accounted_for(
        closed_2025, municipality):
    EarmarkAccounting.objects.filter(line=_earmark(municipality).line).delete()
    assert _bun(municipality).unused_earmarks == EARMARK  # unaccounted: all of it unused
    with pytest.raises(DomainError, match="redovisat hur de specificerade budgettillskotten "
                                          "använts: ”Läxhjälp och lovskola”"):
        _propose(municipality, "bun", DispositionKind.CARRY_OVER, "1000")
    # A deficit is still restored: nothing is carried over.
    EarmarkAccounting.objects.filter(line=_earmark(municipality, "sn").line).delete()
    assert _propose(municipality, "sn", DispositionKind.RESTORE, "3000000")


def test_b3_f4_a_surplus_that_is_only_unused_earmark_is_not_carried_over(
        closed_2025, municipality):
    kfn = municipality["kfn"]
    frame = Driftbudgetram.objects.get(namnd=kfn, budget_year__year=2025,
                                       stage=FrameStage.DECIDED)
    frame.lines.all().delete()
    line = frame.lines.create(kind=LineKind.EARMARKED, label="Fritidsbank", amount=500000,
                              earmarked=True, position=1)
    frame.lines.create(kind=LineKind.BASE, label="Beslutad ram 2024",
                       amount=frame.total - 500000, position=0)
    Utfall.objects.filter(namnd=kfn, year=2025).delete()
    Utfall.objects.create(namnd=kfn, konto=Konto.objects.get(number="5010"), year=2025,
                          month=12, amount=frame.total - Decimal("400000"))
    refresh_month_totals(year=2025)
    yearend.account_for_earmark(line=line, used_amount=Decimal("0"),
                                used_for="Ingen lokal hittades.",
                                written_by=User.objects.get(username="kfn.forvaltningschef"))
    with pytest.raises(DomainError, match="Överskottet består av outnyttjade specificerade "
                                          "budgettillskott \\(500\u00a0000 kr\\)"):
        _propose(municipality, "kfn", DispositionKind.CARRY_OVER, "1")


def test_b3_f4_kf_cannot_carry_over_an_earmark_that_became_unused_after_the_proposal(
        closed_2025, municipality):
    disposition = _propose(municipality, "bun", DispositionKind.CARRY_OVER, "2500000")
    _account(_earmark(municipality), "1000000")
    with pytest.raises(DomainError, match="Högst 2\u00a0000\u00a0000 kr kan föras över"):
        _decide(disposition, "2500000")
    assert _decide(disposition, "2000000").status == DispositionStatus.DECIDED


def test_b3_the_account_is_locked_once_kf_has_decided_on_the_namnds_result(
        closed_2025, municipality):
    _decide(_propose(municipality, "bun", DispositionKind.CARRY_OVER, "1000000"), "1000000")
    with pytest.raises(DomainError, match="KF har redan beslutat"):
        _account(_earmark(municipality), "1000000")


def test_b3_a_stale_account_is_refused(closed_2025, municipality):
    mark = _earmark(municipality)
    old = current_version(mark.accounting)
    _account(mark, "1400000")
    with pytest.raises(DomainError, match=STALE_MESSAGE[:20]):
        yearend.account_for_earmark(line=mark.line, used_amount=Decimal("1"), used_for="x",
                                    written_by=User.objects.get(username="ekonom"), version=old)


def test_b3_the_demo_accounts_for_one_earmark_in_full_and_one_in_part(municipality):
    bun, sn = _earmark(municipality), _earmark(municipality, "sn")
    assert bun.is_fully_used and bun.accounting.written_by.username == "bun.forvaltningschef"
    assert sn.is_partly_used and sn.unused == Decimal("200000")
