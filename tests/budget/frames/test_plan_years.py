"""KF's budget decision (B2, B4): the budget year with its two plan years, the plan as next
year's starting point, and the volume lines with the latest population forecast."""

from decimal import Decimal

import pytest

from budget.frames import services as frames
from budget.models import (
    AgeGroup,
    CostShare,
    CostType,
    Driftbudgetram,
    FrameAdjustment,
    FrameStage,
    IndexRate,
    LineKind,
    Planram,
    Population,
    VolumeRate,
)
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear

BUN_2026 = Decimal("300000000")
SN_2026 = Decimal("200000000")


@pytest.fixture
def setting(municipality):
    """BUN (school volumes) and SN (80+ volumes) with decided 2026 frames, the 2027 index and a
    population forecast reaching the plan years (to 2030); figures of their own."""
    for model in (FrameAdjustment, VolumeRate, Population, CostShare, IndexRate,
                  Driftbudgetram, CostType, AgeGroup):
        model.objects.all().delete()
    bun, sn = municipality["bun"], municipality["sn"]
    y2026, y2027 = BudgetYear.objects.get(year=2026), BudgetYear.objects.get(year=2027)
    BudgetYear.objects.filter(year__gt=2027).delete()
    Driftbudgetram.objects.create(namnd=bun, budget_year=y2026, stage=FrameStage.DECIDED,
                                  total=BUN_2026)
    Driftbudgetram.objects.create(namnd=sn, budget_year=y2026, stage=FrameStage.DECIDED,
                                  total=SN_2026)
    personnel = CostType.objects.create(code="personal", name="Personal")
    IndexRate.objects.create(budget_year=y2027, percent=Decimal("2.5"))
    IndexRate.objects.create(budget_year=y2027, cost_type=personnel, percent=Decimal("3.2"))
    CostShare.objects.create(namnd=bun, cost_type=personnel, percent=Decimal("70"))
    school = AgeGroup.objects.create(name="6–15 år", min_age=6, max_age=15)
    elderly = AgeGroup.objects.create(name="80 år och äldre", min_age=80)
    for year, pupils, old in ((2026, 1200, 500), (2027, 1230, 520), (2028, 1250, 545),
                              (2029, 1245, 560), (2030, 1240, 575)):
        Population.objects.create(year=year, age_group=school, forecast=pupils)
        Population.objects.create(year=year, age_group=elderly, forecast=old)
    VolumeRate.objects.create(namnd=bun, age_group=school, amount=Decimal("110000"))
    VolumeRate.objects.create(namnd=sn, age_group=elderly, amount=Decimal("150000"))
    return {"bun": bun, "sn": sn, "y2027": y2027, "school": school, "elderly": elderly,
            "personnel": personnel}


def _bun_index(base):
    """BUN: 70 % personnel at 3.2 %, the other 30 % at the general 2.5 %."""
    return (frames.kronor(base * Decimal("0.70") * Decimal("0.032"))
            + frames.kronor(base * Decimal("0.30") * Decimal("0.025")))


def _sn_index(base):
    return frames.kronor(base * Decimal("0.025"))


def _proposal(namnd, budget_year):
    frames.recompute_all(budget_year=budget_year)
    preliminary = Driftbudgetram.objects.get(namnd=namnd, budget_year=budget_year,
                                             stage=FrameStage.PRELIMINARY)
    return frames.advance_frame(frame=preliminary)


def _decide(namnd, budget_year):
    return frames.decide_frame(frame=_proposal(namnd, budget_year))


def _next_year(year, general="2.5", personnel="3.2"):
    budget_year = BudgetYear.objects.create(year=year)
    IndexRate.objects.create(budget_year=budget_year, percent=Decimal(general))
    IndexRate.objects.create(budget_year=budget_year, cost_type=CostType.objects.get(
        code="personal"), percent=Decimal(personnel))
    return budget_year


def _preliminary(namnd, year):
    return Driftbudgetram.objects.get(namnd=namnd, budget_year__year=year,
                                      stage=FrameStage.PRELIMINARY)


def _forecast(group, year, forecast):
    row = Population.objects.get(age_group=group, year=year)
    row.forecast = forecast
    row.save()


# --- B2: the plan years decided with the budget -------------------------------------------------


def test_b2_kf_decides_the_budget_year_with_plan_frames_for_the_two_following_years(setting):
    decision = _decide(setting["bun"], setting["y2027"])
    decided = decision.frame
    assert decided.total == BUN_2026 + _bun_index(BUN_2026) + 30 * Decimal("110000")
    plan_2028, plan_2029 = decided.plan_frames.order_by("year")
    assert (plan_2028.year, plan_2029.year) == (2028, 2029)
    assert plan_2028.base == decided.total
    # +20 pupils into 2028, −5 into 2029
    assert plan_2028.total == decided.total + _bun_index(decided.total) + 20 * Decimal("110000")
    assert plan_2029.base == plan_2028.total
    assert plan_2029.total == plan_2028.total + _bun_index(plan_2028.total) \
        - 5 * Decimal("110000")
    assert [plan.year for plan in decision.plan_frames] == [2028, 2029]
    assert "Planramar beslutade med budgeten: 2028: " in decision.message


def test_b2_a_plan_frame_is_the_sum_of_its_build_up(setting):
    decided = _decide(setting["bun"], setting["y2027"]).frame
    for plan in decided.plan_frames.all():
        assert plan.total == sum(Decimal(line["amount"]) for line in plan.lines)
        assert [line["kind"] for line in plan.lines][0] == LineKind.BASE


def test_b2_a_plan_year_uses_its_own_index_where_the_finance_office_has_set_one(setting):
    y2028 = BudgetYear.objects.create(year=2028)
    IndexRate.objects.create(budget_year=y2028, percent=Decimal("3.0"))  # no personnel index
    decided = _decide(setting["bun"], setting["y2027"]).frame
    plan_2028 = decided.plan_frames.get(year=2028)
    assert plan_2028.amount_of(LineKind.INDEX) == frames.kronor(
        decided.total * Decimal("0.70") * Decimal("0.030")) + frames.kronor(
        decided.total * Decimal("0.30") * Decimal("0.030"))
    plan_2029 = decided.plan_frames.get(year=2029)  # no 2029 index: the budget year's
    assert plan_2029.amount_of(LineKind.INDEX) == _bun_index(plan_2028.total)


def test_b2_a_plan_year_without_a_population_forecast_refuses_the_decision(setting):
    Population.objects.filter(year=2029, age_group=setting["school"]).delete()
    proposal = _proposal(setting["bun"], setting["y2027"])
    with pytest.raises(DomainError, match="Planåret 2029 kan inte räknas fram"):
        frames.decide_frame(frame=proposal)
    assert not Driftbudgetram.objects.filter(stage=FrameStage.DECIDED,
                                             budget_year=setting["y2027"]).exists()
    assert not Planram.objects.exists()


def test_b2_the_next_years_preliminary_frame_starts_from_the_plan_frame(setting):
    decided = _decide(setting["bun"], setting["y2027"]).frame
    plan_2028 = decided.plan_frames.get(year=2028)
    frames.recompute_all(budget_year=_next_year(2028))
    frame = _preliminary(setting["bun"], 2028)
    first = frame.lines.all()[0]
    assert (first.kind, first.amount) == (LineKind.PLAN, plan_2028.total)
    assert first.label == "Planram 2028 beslutad av KF med budget 2027"
    # nothing changed since the plan: the plan is the whole frame
    assert [line.kind for line in frame.lines.all()] == [LineKind.PLAN]
    assert frame.total == plan_2028.total


def test_b2_changes_since_the_plan_are_lines_and_the_total_is_the_full_build_up(setting):
    decided = _decide(setting["bun"], setting["y2027"]).frame
    plan_2028 = decided.plan_frames.get(year=2028)
    _forecast(setting["school"], 2028, 1260)  # +30 instead of +20
    frames.recompute_all(budget_year=_next_year(2028, general="2.8"))
    frame = _preliminary(setting["bun"], 2028)
    by_kind = {line.kind: line for line in frame.lines.all()}
    assert by_kind[LineKind.VOLUME].amount == 10 * Decimal("110000")
    assert "+30 invånare enligt senaste prognosen mot +20 i planen" in \
        by_kind[LineKind.VOLUME].label
    new_index = frames.kronor(decided.total * Decimal("0.70") * Decimal("0.032")) \
        + frames.kronor(decided.total * Decimal("0.30") * Decimal("0.028"))
    assert by_kind[LineKind.INDEX].amount == new_index - plan_2028.amount_of(LineKind.INDEX)
    assert frame.total == decided.total + new_index + 30 * Decimal("110000")
    assert frame.total == sum(line.amount for line in frame.lines.all())


def test_b2_last_years_frame_changed_after_the_decision_shows_against_the_plan(setting):
    decided = _decide(setting["bun"], setting["y2027"]).frame
    decided.lines.create(kind=LineKind.SALARY, label="Lönekompensation 2027",
                         amount=Decimal("1500000"), position=50)
    decided.total += Decimal("1500000")
    decided.save()
    frames.recompute_all(budget_year=_next_year(2028))
    frame = _preliminary(setting["bun"], 2028)
    [base] = frame.lines.filter(kind=LineKind.BASE)
    assert base.amount == Decimal("1500000")
    assert base.label.startswith("Beslutad ram 2027 mot planens utgångsram")
    assert frame.total == decided.total + _bun_index(decided.total) + 20 * Decimal("110000")


def test_b2_in_the_second_plan_year_the_newer_decision_is_the_starting_point(setting):
    _decide(setting["bun"], setting["y2027"])
    y2028 = _next_year(2028)
    decided_2028 = _decide(setting["bun"], y2028).frame
    newer = decided_2028.plan_frames.get(year=2029)
    frames.recompute_all(budget_year=_next_year(2029))
    assert frames.starting_plan(namnd=setting["bun"], year=2029) == newer
    first = _preliminary(setting["bun"], 2029).lines.all()[0]
    assert (first.kind, first.amount) == (LineKind.PLAN, newer.total)
    assert first.label == "Planram 2029 beslutad av KF med budget 2028"


def test_b2_the_second_plan_year_is_the_starting_point_when_no_newer_plan_exists(setting):
    decided_2027 = _decide(setting["bun"], setting["y2027"]).frame
    older = decided_2027.plan_frames.get(year=2029)
    y2028 = _next_year(2028)
    decided_2028 = _decide(setting["bun"], y2028).frame
    decided_2028.plan_frames.all().delete()
    frames.recompute_all(budget_year=_next_year(2029))
    frame = _preliminary(setting["bun"], 2029)
    first = frame.lines.all()[0]
    assert (first.kind, first.amount) == (LineKind.PLAN, older.total)
    assert frame.total == decided_2028.total + _bun_index(decided_2028.total) \
        - 5 * Decimal("110000")


def test_b2_a_namnd_without_a_plan_frame_starts_from_last_years_decided_frame(setting):
    _decide(setting["bun"], setting["y2027"])
    # SN's 2027 frame was decided without plan years (recorded before they were kept)
    Driftbudgetram.objects.create(namnd=setting["sn"], budget_year=setting["y2027"],
                                  stage=FrameStage.DECIDED, total=Decimal("210000000"))
    frames.recompute_all(budget_year=_next_year(2028))
    first = _preliminary(setting["sn"], 2028).lines.all()[0]
    assert (first.kind, first.label, first.amount) == (
        LineKind.BASE, "Beslutad ram 2027", Decimal("210000000"))
    assert _preliminary(setting["bun"], 2028).lines.all()[0].kind == LineKind.PLAN


def test_b2_a_decided_year_and_its_plan_frames_are_never_recomputed(setting):
    decision = _decide(setting["bun"], setting["y2027"])
    lines = list(decision.frame.lines.values_list("label", "amount"))
    plans = list(Planram.objects.values_list("year", "total", "lines"))
    _forecast(setting["school"], 2027, 1300)
    _forecast(setting["school"], 2028, 1400)
    frames.recompute_all(budget_year=setting["y2027"])
    decided = Driftbudgetram.objects.get(pk=decision.frame.pk)
    assert decided.total == decision.frame.total
    assert list(decided.lines.values_list("label", "amount")) == lines
    assert list(Planram.objects.values_list("year", "total", "lines")) == plans
    proposal = Driftbudgetram.objects.get(namnd=setting["bun"], budget_year=setting["y2027"],
                                          stage=FrameStage.PROPOSAL)
    with pytest.raises(DomainError, match="beslutad ram räknas inte om"):
        frames.decide_frame(frame=proposal)
    with pytest.raises(DomainError, match="redan beslutad"):
        frames.decide_frame(frame=decided)


def test_b1_kf_decides_the_proposal_not_the_preliminary_frame(setting):
    frames.recompute_all(budget_year=setting["y2027"])
    with pytest.raises(DomainError, match="budgetförslag först"):
        frames.decide_frame(frame=_preliminary(setting["bun"], 2027))


# --- B4: the latest population forecast at the decision -----------------------------------------


def test_b4_a_forecast_changed_after_the_proposal_changes_the_decided_frame_and_says_so(
        setting):
    proposal = _proposal(setting["bun"], setting["y2027"])
    _forecast(setting["school"], 2027, 1250)  # +50 instead of +30
    decision = frames.decide_frame(frame=proposal)
    decided = decision.frame
    assert decision.forecast_changed
    assert decided.total - proposal.total == 20 * Decimal("110000")
    [volume] = decided.lines.filter(kind=LineKind.VOLUME)
    assert (volume.label, volume.amount) == ("6–15 år: +50 invånare × 110\u00a0000 kr",
                                             50 * Decimal("110000"))
    assert decided.total == sum(line.amount for line in decided.lines.all())
    assert "Befolkningsprognosen har ändrats efter budgetförslaget" in decision.message
    assert "från 312\u00a0270 tkr till 314\u00a0470 tkr" in decision.message
    # the proposal stays as the budgetberedning made it
    proposal.refresh_from_db()
    assert proposal.lines.get(kind=LineKind.VOLUME).amount == 30 * Decimal("110000")


def test_b4_an_unchanged_forecast_decides_the_proposal_as_it_stands(setting):
    proposal = _proposal(setting["bun"], setting["y2027"])
    decision = frames.decide_frame(frame=proposal)
    assert not decision.forecast_changed
    assert decision.frame.total == proposal.total
    assert list(decision.frame.lines.values_list("kind", "label", "amount")) == list(
        proposal.lines.values_list("kind", "label", "amount"))
    assert "Befolkningsprognosen har ändrats" not in decision.message


def test_b4_the_decided_frame_records_the_forecast_it_used(setting):
    proposal = _proposal(setting["bun"], setting["y2027"])
    before = proposal.forecast_version
    _forecast(setting["school"], 2027, 1250)
    newest = Population.history.order_by("-history_id").first()
    decided = frames.decide_frame(frame=proposal).frame
    decided.refresh_from_db()
    assert decided.forecast_version == str(newest.history_id) != before
    assert decided.forecast_as_of == newest.history_date
    proposal.refresh_from_db()
    assert proposal.forecast_version == before


def test_b4_a_forecast_change_after_the_proposal_for_a_year_a_volume_line_does_not_read(
        setting):
    """A plan year's forecast changes the plan frames, not the budget year's volume line."""
    proposal = _proposal(setting["bun"], setting["y2027"])
    _forecast(setting["school"], 2028, 1270)  # +40 into 2028 instead of +20
    decision = frames.decide_frame(frame=proposal)
    assert not decision.forecast_changed and decision.frame.total == proposal.total
    plan_2028 = decision.frame.plan_frames.get(year=2028)
    assert plan_2028.total == decision.frame.total + _bun_index(decision.frame.total) \
        + 40 * Decimal("110000")


def test_b4_a_forecast_change_for_another_namnds_age_group_changes_only_that_namnd(setting):
    bun_proposal = _proposal(setting["bun"], setting["y2027"])
    sn_proposal = frames.advance_frame(frame=_preliminary(setting["sn"], 2027))
    _forecast(setting["elderly"], 2027, 530)  # +30 instead of +20
    decisions = {d.namnd: d for d in frames.decide_year(budget_year=setting["y2027"])}
    assert set(decisions) == {setting["bun"], setting["sn"]}
    assert not decisions[setting["bun"]].forecast_changed
    assert decisions[setting["bun"]].frame.total == bun_proposal.total
    assert decisions[setting["sn"]].forecast_changed
    assert decisions[setting["sn"]].frame.total - sn_proposal.total == 10 * Decimal("150000")
    assert "Socialnämnden" in decisions[setting["sn"]].message


def test_b4_the_whole_budget_is_decided_or_none_of_it(setting):
    _proposal(setting["bun"], setting["y2027"])
    frames.advance_frame(frame=_preliminary(setting["sn"], 2027))
    Population.objects.filter(year=2029, age_group=setting["elderly"]).delete()
    with pytest.raises(DomainError, match="Socialnämnden: Planåret 2029"):
        frames.decide_year(budget_year=setting["y2027"])
    assert not Driftbudgetram.objects.filter(stage=FrameStage.DECIDED,
                                             budget_year=setting["y2027"]).exists()


def test_b4_a_frame_starting_from_the_plan_recomputes_its_volume_against_the_plan(setting):
    _decide(setting["bun"], setting["y2027"])
    y2028 = _next_year(2028)
    proposal = _proposal(setting["bun"], y2028)
    assert not proposal.lines.filter(kind=LineKind.VOLUME).exists()  # as planned
    _forecast(setting["school"], 2028, 1262)  # +32 instead of +20
    decision = frames.decide_frame(frame=proposal)
    [volume] = decision.frame.lines.filter(kind=LineKind.VOLUME)
    assert volume.amount == 12 * Decimal("110000")
    assert "+32 invånare enligt senaste prognosen mot +20 i planen" in volume.label
    assert decision.frame.total == proposal.total + 12 * Decimal("110000")


def test_b2_the_budget_year_and_its_plan_years_side_by_side_in_the_same_columns(setting):
    from budget.frames import selectors

    decided = _decide(setting["bun"], setting["y2027"]).frame
    frames_by_stage = selectors.frames_of(namnd=setting["bun"], budget_year=setting["y2027"])
    rows = selectors.plan_years_of(namnd=setting["bun"], budget_year=setting["y2027"],
                                   frames_by_stage=frames_by_stage).rows()
    assert [(row.year, row.is_plan_year) for row in rows] == [
        (2027, False), (2028, True), (2029, True)]
    budget_row, first, _second = rows
    assert (budget_row.base, budget_row.index, budget_row.volume, budget_row.total) == (
        BUN_2026, _bun_index(BUN_2026), 30 * Decimal("110000"), decided.total)
    assert (first.base, first.volume, first.other) == (
        decided.total, 20 * Decimal("110000"), Decimal("0"))
    assert all(row.base + row.index + row.volume + row.other == row.total for row in rows)
