"""Frame build-up (B2-B6): the arithmetic, line by line, and the total as the sum of its lines."""

from decimal import Decimal

import pytest

from budget.frames import services as frames
from budget.models import (
    AdjustmentKind,
    AgeGroup,
    CostShare,
    CostType,
    Driftbudgetram,
    FrameAdjustment,
    FrameStage,
    IndexRate,
    LineKind,
    Population,
    VolumeRate,
)
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear


@pytest.fixture
def clean_budget(municipality):
    """The rules below are shown on figures of their own, not on the demo's."""
    for model in (FrameAdjustment, VolumeRate, Population, CostShare, IndexRate,
                  Driftbudgetram, CostType, AgeGroup):
        model.objects.all().delete()
    return municipality


@pytest.fixture
def setting(clean_budget):
    """BUN with a decided 2026 frame of 300 mnkr and the assumptions for 2027."""
    municipality = clean_budget
    bun = municipality["bun"]
    y2026, y2027 = BudgetYear.objects.get(year=2026), BudgetYear.objects.get(year=2027)
    Driftbudgetram.objects.create(namnd=bun, budget_year=y2026, stage=FrameStage.DECIDED,
                                  total=Decimal("300000000"))
    personnel = CostType.objects.create(code="personal", name="Personal")
    IndexRate.objects.create(budget_year=y2027, percent=Decimal("2.5"))
    IndexRate.objects.create(budget_year=y2027, cost_type=personnel, percent=Decimal("3.2"))
    CostShare.objects.create(namnd=bun, cost_type=personnel, percent=Decimal("70"))
    school = AgeGroup.objects.create(name="6–15 år", min_age=6, max_age=15)
    Population.objects.create(year=2026, age_group=school, forecast=1200, actual=1180)
    Population.objects.create(year=2027, age_group=school, forecast=1230)
    VolumeRate.objects.create(namnd=bun, age_group=school, amount=Decimal("110000"))
    return {"bun": bun, "y2027": y2027, "school": school}


def _lines(frame, kind):
    return [line for line in frame.lines.all() if line.kind == kind]


def test_b2_the_frame_starts_from_last_years_decided_frame(setting):
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    base = _lines(frame, LineKind.BASE)
    assert [line.amount for line in base] == [Decimal("300000000")]


def test_b5_differentiated_index_on_its_share_and_general_index_on_the_rest(setting):
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    amounts = sorted(line.amount for line in _lines(frame, LineKind.INDEX))
    # 70 % × 300 mnkr × 3.2 % = 6 720 000; 30 % × 300 mnkr × 2.5 % = 2 250 000
    assert amounts == [Decimal("2250000"), Decimal("6720000")]


def test_b4_volume_follows_the_change_in_the_population_forecast(setting):
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    volume = _lines(frame, LineKind.VOLUME)
    assert [line.amount for line in volume] == [Decimal("3300000")]  # +30 × 110 000
    assert "+30 invånare" in volume[0].label


def test_b6_change_requirement_general_as_a_percent_of_the_base(setting):
    FrameAdjustment.objects.create(budget_year=setting["y2027"], kind=AdjustmentKind.EFFICIENCY,
                                   reason="Generellt effektiviseringskrav", percent=Decimal("1"))
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    assert [line.amount for line in _lines(frame, LineKind.EFFICIENCY)] == [Decimal("-3000000")]


def test_b3_earmarked_allocation_is_a_marked_line_of_its_own(setting):
    FrameAdjustment.objects.create(budget_year=setting["y2027"], namnd=setting["bun"],
                                   kind=AdjustmentKind.EARMARKED, reason="Läxhjälp",
                                   amount=Decimal("500000"))
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    earmarked = _lines(frame, LineKind.EARMARKED)
    assert [(line.amount, line.earmarked) for line in earmarked] == [(Decimal("500000"), True)]


def test_b2_the_total_always_equals_the_sum_of_its_lines(setting):
    FrameAdjustment.objects.create(budget_year=setting["y2027"], namnd=setting["bun"],
                                   kind=AdjustmentKind.PRIORITY, reason="Fler lärare",
                                   amount=Decimal("2000000"))
    FrameAdjustment.objects.create(budget_year=setting["y2027"], kind=AdjustmentKind.EFFICIENCY,
                                   reason="Generellt krav", percent=Decimal("0.5"))
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    assert frame.total == sum(line.amount for line in frame.lines.all())
    assert frame.total == Decimal("300000000") + Decimal("8970000") + Decimal("3300000") \
        + Decimal("2000000") - Decimal("1500000")


def test_b5_changing_an_index_and_recomputing_changes_every_frame(setting):
    first = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"]).total
    IndexRate.objects.filter(budget_year=setting["y2027"], cost_type=None).update(
        percent=Decimal("3.0"))
    [frame] = frames.recompute_all(budget_year=setting["y2027"])
    assert frame.total - first == Decimal("450000")  # 30 % × 300 mnkr × 0.5 %
    assert frame.lines.filter(kind=LineKind.INDEX).count() == 2


def test_b4_fewer_inhabitants_than_forecast_requires_a_surplus(setting):
    [shortfall] = frames.population_true_up(namnd=setting["bun"], year=2026)
    assert (shortfall.forecast, shortfall.actual) == (1200, 1180)
    assert shortfall.amount == Decimal("2200000")  # 20 × 110 000


def test_b4_no_surplus_when_the_population_is_as_forecast_or_larger(setting):
    Population.objects.filter(year=2026).update(actual=1250)
    assert frames.population_true_up(namnd=setting["bun"], year=2026) == []


def test_b2_without_last_years_decided_frame_the_user_is_told(clean_budget):
    with pytest.raises(DomainError, match="saknar en beslutad ram för 2026"):
        frames.compute_frame(namnd=clean_budget["sn"], budget_year=BudgetYear.objects.get(
            year=2027))


def test_b2_a_decided_frame_is_never_recomputed(setting):
    frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"],
                         stage=FrameStage.DECIDED)
    with pytest.raises(DomainError, match="beslutad ram räknas inte om"):
        frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"],
                             stage=FrameStage.DECIDED)


def test_money_stays_decimal_in_every_line(setting):
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    assert all(isinstance(line.amount, Decimal) for line in frame.lines.all())


def test_line_labels_use_swedish_numbers(setting):
    frame = frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    labels = [line.label for line in frame.lines.all()]
    assert "Index personal 3,2 % på 70 % av ramen" in labels
    assert "6–15 år: +30 invånare × 110\u00a0000 kr" in labels


def test_b3_an_earmarked_sum_without_a_namnd_is_refused_not_lost(setting):
    FrameAdjustment.objects.create(budget_year=setting["y2027"], kind=AdjustmentKind.EARMARKED,
                                   reason="Läxhjälp", amount=Decimal("500000"))
    with pytest.raises(DomainError, match="saknar nämnd"):
        frames.compute_frame(namnd=setting["bun"], budget_year=setting["y2027"])
    assert not Driftbudgetram.objects.filter(budget_year=setting["y2027"]).exists()
