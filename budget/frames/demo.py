"""Demo frames for Ekbacka kommun: decided frames 2025-2026, assumptions and preliminary 2027,
with the population forecast reaching 2027's plan years.
Idempotent: once frames exist nothing is added again.
"""

from __future__ import annotations

from decimal import Decimal

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
    Ramrad,
    VolumeRate,
)
from styrmodell.models import BudgetYear, OrganisationUnit

# Decided frames in kronor for a municipality of about 10 000 inhabitants.
DECIDED = {
    "Kommunstyrelsen": (Decimal("98500000"), Decimal("101200000")),
    "Barn- och utbildningsnämnden": (Decimal("312400000"), Decimal("324900000")),
    "Socialnämnden": (Decimal("268300000"), Decimal("281700000")),
    "Samhällsbyggnadsnämnden": (Decimal("54800000"), Decimal("56300000")),
    "Kultur- och fritidsnämnden": (Decimal("22100000"), Decimal("22700000")),
}
AGE_GROUPS = (
    ("1–5 år", 1, 5),
    ("6–15 år", 6, 15),
    ("16–18 år", 16, 18),
    ("80 år och äldre", 80, None),
)
# year -> forecast per age group, and actuals where known
POPULATION = {
    2025: ((640, 632), (1210, 1204), (365, 361), (540, 538)),
    2026: ((645, 628), (1225, 1219), (370, None), (560, None)),
    2027: ((650, None), (1240, None), (372, None), (585, None)),
}
# The forecast for the plan years of the 2027 budget (B2), so KF's decision can cover them.
PLAN_POPULATION = {
    2028: (655, 1250, 375, 610),
    2029: (660, 1255, 380, 640),
}
VOLUME_RATES = {
    "Barn- och utbildningsnämnden": (
        ("1–5 år", "158000"),
        ("6–15 år", "112000"),
        ("16–18 år", "135000"),
    ),
    "Socialnämnden": (("80 år och äldre", "145000"),),
}
COST_SHARES = {
    "Barn- och utbildningsnämnden": "72",
    "Socialnämnden": "68",
    "Kommunstyrelsen": "55",
    "Samhällsbyggnadsnämnden": "40",
    "Kultur- och fritidsnämnden": "50",
}


# Earmarked allocations (specificerade budgettillskott, B3) within KF's frames for 2025.
EARMARKED_2025 = {
    "Barn- och utbildningsnämnden": ("Läxhjälp och lovskola", Decimal("1500000")),
    "Socialnämnden": ("Heltidsresan i hemtjänsten", Decimal("800000")),
}


def _earmarked_lines(frame: Driftbudgetram, label: str, amount: Decimal) -> None:
    """The frame as the sum of its lines: last year's frame and the earmark within it."""
    Ramrad.objects.bulk_create(
        [
            Ramrad(
                frame=frame,
                kind=LineKind.BASE,
                label=f"Beslutad ram {frame.budget_year.year - 1}",
                amount=frame.total - amount,
                position=0,
            ),
            Ramrad(
                frame=frame,
                kind=LineKind.EARMARKED,
                label=label,
                amount=amount,
                earmarked=True,
                position=1,
            ),
        ]
    )


def seed_plan_population() -> None:
    """Idempotent: adds only the plan years' forecasts that are missing."""
    groups = {group.name: group for group in AgeGroup.objects.all()}
    for year, forecasts in PLAN_POPULATION.items():
        for (name, _low, _high), forecast in zip(AGE_GROUPS, forecasts, strict=True):
            if name in groups:
                Population.objects.get_or_create(
                    year=year, age_group=groups[name], defaults={"forecast": forecast}
                )


def seed_frames() -> None:
    if Driftbudgetram.objects.exists():
        return
    years = {year.year: year for year in BudgetYear.objects.all()}
    namnder = {unit.name: unit for unit in OrganisationUnit.objects.filter(name__in=DECIDED)}
    for name, (frame_2025, frame_2026) in DECIDED.items():
        for year, total in ((2025, frame_2025), (2026, frame_2026)):
            frame = Driftbudgetram.objects.create(
                namnd=namnder[name], budget_year=years[year], stage=FrameStage.DECIDED, total=total
            )
            if year == 2025 and name in EARMARKED_2025:
                _earmarked_lines(frame, *EARMARKED_2025[name])
    groups = [
        AgeGroup.objects.get_or_create(name=name, defaults={"min_age": low, "max_age": high})[0]
        for name, low, high in AGE_GROUPS
    ]
    for year, rows in POPULATION.items():
        for group, (forecast, actual) in zip(groups, rows, strict=True):
            Population.objects.create(year=year, age_group=group, forecast=forecast, actual=actual)
    by_name = {group.name: group for group in groups}
    for name, rates in VOLUME_RATES.items():
        for group, amount in rates:
            VolumeRate.objects.create(
                namnd=namnder[name], age_group=by_name[group], amount=Decimal(amount)
            )
    personnel = CostType.objects.create(code="personal", name="Personal")
    CostType.objects.create(code="ovrigt", name="Övriga kostnader")
    IndexRate.objects.create(budget_year=years[2027], percent=Decimal("2.3"))
    IndexRate.objects.create(budget_year=years[2027], cost_type=personnel, percent=Decimal("3.4"))
    for name, share in COST_SHARES.items():
        CostShare.objects.create(namnd=namnder[name], cost_type=personnel, percent=Decimal(share))
    FrameAdjustment.objects.create(
        budget_year=years[2027],
        kind=AdjustmentKind.EFFICIENCY,
        reason="Generellt förändringsuppdrag 0,5 %",
        percent=Decimal("0.5"),
    )
    FrameAdjustment.objects.create(
        budget_year=years[2027],
        namnd=namnder["Barn- och utbildningsnämnden"],
        kind=AdjustmentKind.EARMARKED,
        reason="Läxhjälp och lovskola",
        amount=Decimal("1500000"),
    )
    FrameAdjustment.objects.create(
        budget_year=years[2027],
        namnd=namnder["Socialnämnden"],
        kind=AdjustmentKind.PRIORITY,
        reason="Förstärkt hemtjänst nattetid",
        amount=Decimal("2400000"),
    )
    frames.recompute_all(budget_year=years[2027])
