"""The annual cycle as data: the dated steps of the budget process (B1) and report deadlines (F1).

A budget year N is prepared during N-1 (B1) and followed up during N and in the spring of N+1
(F1). `standard_steps(N)` gives the styrmodell's dates; the finance office edits them afterwards.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from .models import BudgetYear, CalendarEvent, EventKind, FollowUpPeriod, Role
from .roles import (
    BUDGETBEREDNING,
    EKONOM,
    EKONOMICHEF,
    FORVALTNINGSCHEF,
    KF_LEDAMOT,
    KS_LEDAMOT,
    NAMNDORDFORANDE,
    PRESIDIUM,
)

# The calendar step whose date is each follow-up's report deadline (F1): the day its forecasts
# and texts must be in. The annual report's is the nämnders' årsrapporter.
FOLLOW_UP_STEPS: dict[str, str] = {
    FollowUpPeriod.FEBRUARY: "f1-uppfoljning-februari",
    FollowUpPeriod.APRIL: "f1-uppfoljning-april",
    FollowUpPeriod.AUGUST: "f1-delarsrapport-augusti",
    FollowUpPeriod.OCTOBER: "f1-uppfoljning-oktober",
    FollowUpPeriod.YEAR: "f1-arsrapport",
}
# The other way: the follow-up a report deadline step is the deadline of.
REPORT_STEP_PERIODS = {code: FollowUpPeriod(period) for period, code in FOLLOW_UP_STEPS.items()}


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, pycalendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class StandardStep:
    code: str
    kind: str
    rule: str
    title: str
    description: str
    date: dt.date
    responsible: tuple[str, ...]


def standard_steps(year: int) -> list[StandardStep]:
    """The styrmodell's steps for budget year `year` (§5.6 for B1, §6 for F1)."""
    prep = year - 1
    B, R = EventKind.BUDGET_STEP, EventKind.REPORT_DEADLINE
    return [
        StandardStep(
            "b1-forutsattningar",
            B,
            "B1",
            "Finansiella förutsättningar, treårsprognos och preliminära ramar",
            "Ekonomiavdelningen tar fram förutsättningar och preliminära ramar per nämnd.",
            last_day(prep, 1),
            (EKONOMICHEF, EKONOM),
        ),
        StandardStep(
            "b1-preliminara-ramar",
            B,
            "B1",
            "KS lämnar preliminära ramar till nämnderna",
            "Kommunstyrelsen överlämnar de preliminära ramarna.",
            last_day(prep, 2),
            (EKONOMICHEF, KS_LEDAMOT),
        ),
        StandardStep(
            "b1-budgetunderlag",
            B,
            "B1",
            "Nämndernas budgetunderlag",
            "Hur nämnden ska nå målen och konsekvenserna av den preliminära ramen.",
            dt.date(prep, 4, 30),
            (FORVALTNINGSCHEF, NAMNDORDFORANDE),
        ),
        StandardStep(
            "b1-presidiedialog",
            B,
            "B1",
            "Presidierna möter budgetberedningen",
            "Nämndernas presidier presenterar sina underlag för budgetberedningen.",
            last_day(prep, 5),
            (PRESIDIUM, BUDGETBEREDNING),
        ),
        StandardStep(
            "b1-uppdatering",
            B,
            "B1",
            "Uppdatering av förutsättningarna",
            "Skatteunderlag, befolkningsprognos och index uppdateras.",
            last_day(prep, 8),
            (EKONOMICHEF, EKONOM),
        ),
        StandardStep(
            "b1-budgetforslag",
            B,
            "B1",
            "Budgetförslag",
            "Budgetberedningen arbetar fram förslaget under september–oktober.",
            last_day(prep, 9),
            (BUDGETBEREDNING, EKONOMICHEF),
        ),
        StandardStep(
            "b1-definitivt-forslag",
            B,
            "B1",
            "Definitivt budgetförslag med plan för två år",
            "Förslaget till budget med plan för de två följande åren.",
            last_day(prep, 10),
            (BUDGETBEREDNING, KS_LEDAMOT),
        ),
        StandardStep(
            "b1-kf-beslut",
            B,
            "B1",
            "KF beslutar budget, planår och mål",
            "Kommunfullmäktige beslutar ramar, investeringar, mål och skattesats.",
            last_day(prep, 11),
            (KF_LEDAMOT,),
        ),
        StandardStep(
            "b1-verksamhetsplan",
            B,
            "G7",
            "Nämnderna fastställer verksamhetsplan och budget",
            "Varje nämnd fördelar sin ram och antar verksamhetsplanen senast i december.",
            last_day(prep, 12),
            (FORVALTNINGSCHEF, NAMNDORDFORANDE),
        ),
        StandardStep(
            "f1-uppfoljning-februari",
            R,
            "F1",
            "Uppföljningsrapport per februari",
            "Ekonomiskt utfall, helårsprognos, volymer och nyckeltal.",
            dt.date(year, 3, 20),
            (FORVALTNINGSCHEF, EKONOMICHEF),
        ),
        StandardStep(
            "f1-uppfoljning-april",
            R,
            "F1",
            "Uppföljningsrapport per april",
            "Ekonomiskt utfall, helårsprognos, volymer, nyckeltal och investeringar.",
            dt.date(year, 5, 20),
            (FORVALTNINGSCHEF, EKONOMICHEF),
        ),
        StandardStep(
            "f1-delarsrapport-augusti",
            R,
            "F1",
            "Delårsrapport per augusti",
            "Utfall och prognos, avvikelser mot nämndmålen och prognos för måluppfyllelse.",
            dt.date(year, 9, 20),
            (FORVALTNINGSCHEF, EKONOMICHEF),
        ),
        StandardStep(
            "f1-uppfoljning-oktober",
            R,
            "F1",
            "Uppföljningsrapport per oktober",
            "Ekonomiskt utfall, helårsprognos, volymer, nyckeltal och investeringar.",
            dt.date(year, 11, 20),
            (FORVALTNINGSCHEF, EKONOMICHEF),
        ),
        StandardStep(
            "f1-arsrapport",
            R,
            "F1",
            "Nämndernas årsrapporter",
            "Nämndmål, egna mål och nämndnyckeltal, ekonomi och volymer.",
            dt.date(year + 1, 2, 15),
            (FORVALTNINGSCHEF, NAMNDORDFORANDE),
        ),
        StandardStep(
            "f1-arsredovisning",
            R,
            "F1",
            "Årsredovisning godkänns av KF",
            "Sammanställd med kommunens bolag och stiftelser.",
            dt.date(year + 1, 4, 30),
            (EKONOMICHEF, KF_LEDAMOT),
        ),
    ]


@transaction.atomic
def prefill_calendar(*, budget_year: BudgetYear) -> int:
    """Add the styrmodell's standard steps that the year lacks; returns how many were added.

    Steps already present (by code) are left as the finance office edited them.
    """
    present = set(
        CalendarEvent.objects.filter(budget_year=budget_year, unit__isnull=True).values_list(
            "code", flat=True
        )
    )
    roles = {role.code: role for role in Role.objects.all()}
    added = 0
    for step in standard_steps(budget_year.year):
        if step.code in present:
            continue
        event = CalendarEvent.objects.create(
            budget_year=budget_year,
            kind=step.kind,
            code=step.code,
            rule=step.rule,
            title=step.title,
            description=step.description,
            date=step.date,
        )
        event.responsible_roles.set([roles[code] for code in step.responsible if code in roles])
        added += 1
    return added
