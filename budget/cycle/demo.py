"""Demo of the budget cycle for Ekbacka kommun (idempotent): earlier computations of the 2027
preliminary frames, budgetunderlag for 2027 from three nämnder and the 2026 distribution over
verksamheter adopted by every nämnd.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budget.cycle import services as cycle
from budget.frames import services as frames
from budget.models import (
    Budgetunderlag,
    CostType,
    Driftbudgetram,
    Fordelning,
    FrameStage,
    IndexRate,
    Recomputation,
    Verksamhet,
)
from styrmodell.models import BudgetYear, OrganisationUnit
from styrmodell.versioning import current_version

# (when, general index, personnel index, why) — the last one is the assumptions as they stand.
COMPUTATIONS = (
    (dt.datetime(2026, 1, 28, 9, 30), "2.0", "3.0", "Preliminära ramar i januari"),
    (dt.datetime(2026, 8, 26, 14, 5), "2.3", "3.1", "Uppdatering i augusti: nytt skatteunderlag "
                                                    "och index"),
    (dt.datetime(2026, 11, 9, 10, 15), "2.3", "3.4", "Index för personal 3,4 % efter "
                                                     "avtalsprognosen"),
)
# Parts of each nämnd's frame per verksamhet (per cent), in the order of the verksamheter' codes.
DISTRIBUTION = {
    "Kommunstyrelsen": ("12", "55", "33"),
    "Barn- och utbildningsnämnden": ("30", "48", "17", "5"),
    "Socialnämnden": ("58", "17", "25"),
    "Samhällsbyggnadsnämnden": ("45", "20", "35"),
    "Kultur- och fritidsnämnden": ("35", "45", "20"),
}
UNDERLAG = {
    "Barn- och utbildningsnämnden": dict(
        goals_text="Nämnden når målet om ökad måluppfyllelse genom tidiga insatser i förskolan, "
                   "läxhjälp och lovskola och en samlad elevhälsa. Fler behöriga lärare "
                   "rekryteras genom samarbete med lärosätena.",
        consequences="Den preliminära ramen täcker elevökningen i grundskolan men inte fullt ut "
                     "lönerörelsen för lärare. Utan förstärkning behöver gymnasiets "
                     "introduktionsprogram minskas med en klass.",
        expected=("personal", "3.6", "Lärarlönerna väntas öka mer än för övriga grupper.")),
    "Socialnämnden": dict(
        goals_text="Hemtjänsten organiseras i mindre team för att öka kontinuiteten.",
        consequences="Fler invånare över 80 år ökar behovet av hemtjänst och särskilt boende.",
        expected=None),
    "Samhällsbyggnadsnämnden": dict(
        goals_text="Gatuunderhållet prioriteras efter trafiksäkerhet.",
        consequences="Ramen räcker till nuvarande underhållsnivå.",
        expected=None),
}
ADOPTED_UNDERLAG = {"Barn- och utbildningsnämnden": (dt.date(2026, 4, 21), "34")}


@transaction.atomic
def seed() -> None:
    seed_computations()
    seed_underlag()
    seed_distribution()


def seed_computations() -> None:
    y2027 = BudgetYear.objects.filter(year=2027).first()
    if y2027 is None or Recomputation.objects.filter(budget_year=y2027,
                                                     reason=COMPUTATIONS[0][3]).exists():
        return
    personnel = CostType.objects.filter(code="personal").first()
    general = IndexRate.objects.filter(budget_year=y2027, cost_type=None).first()
    special = IndexRate.objects.filter(budget_year=y2027, cost_type=personnel).first()
    if general is None or special is None:
        return
    Recomputation.objects.filter(budget_year=y2027).delete()  # the seed's own first computation
    for when, general_percent, personnel_percent, reason in COMPUTATIONS:
        general.percent, special.percent = Decimal(general_percent), Decimal(personnel_percent)
        general.save()
        special.save()
        frames.recompute_all(budget_year=y2027, reason=reason)
        run = Recomputation.objects.filter(budget_year=y2027).order_by("-pk").first()
        run.computed_at = timezone.make_aware(when)
        run.save()


def seed_underlag() -> None:
    y2027 = BudgetYear.objects.filter(year=2027).first()
    if y2027 is None or Budgetunderlag.objects.filter(budget_year=y2027).exists():
        return
    namnder = {unit.name: unit for unit in OrganisationUnit.objects.filter(name__in=UNDERLAG)}
    types = {cost_type.code: cost_type for cost_type in CostType.objects.all()}
    for name, texts in UNDERLAG.items():
        expected = {}
        if texts["expected"] and texts["expected"][0] in types:
            code, percent, reason = texts["expected"]
            expected[types[code].pk] = (Decimal(percent), reason)
        underlag = cycle.save_underlag(namnd=namnder[name], budget_year=y2027, version="0",
                                       goals_text=texts["goals_text"],
                                       consequences=texts["consequences"], expected=expected)
        if name in ADOPTED_UNDERLAG:
            adopted_on, paragraph = ADOPTED_UNDERLAG[name]
            cycle.adopt_underlag(underlag=underlag, version=current_version(underlag),
                                 adopted_on=adopted_on, paragraph=paragraph)


def seed_distribution() -> None:
    y2026 = BudgetYear.objects.filter(year=2026).first()
    if y2026 is None or Fordelning.objects.filter(budget_year=y2026).exists():
        return
    for frame in (Driftbudgetram.objects.filter(budget_year=y2026, stage=FrameStage.DECIDED,
                                                namnd__name__in=DISTRIBUTION)
                  .select_related("namnd")):
        verksamheter = list(Verksamhet.objects.filter(namnd=frame.namnd).order_by("code"))
        shares = DISTRIBUTION[frame.namnd.name]
        if len(verksamheter) != len(shares):
            continue
        amounts = {v.pk: (frame.total * Decimal(share) / 100).quantize(Decimal("1000"))
                   for v, share in zip(verksamheter, shares, strict=True)}
        last = verksamheter[-1].pk
        amounts[last] += frame.total - sum(amounts.values())  # the rounding on the last one
        cycle.save_fordelning(namnd=frame.namnd, budget_year=y2026, version="", amounts=amounts,
                              adopted_on=dt.date(2025, 12, 15), paragraph="112")
