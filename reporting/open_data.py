"""What the municipality shows the public: decided goals with their approved assessments, the
decided frames, the investment projects KF has decided, and the reports KF has received.

Only what a body has decided or approved is ever read here: a nämndmål once adopted, an
assessment once the nämnd has approved the report section it belongs to, a frame once KF has
decided it, a project once it is past its proposal, a report once KF has received it. Nothing
personal (people, medarbetarplaner) is read at all. Every function takes no user: the open pages
and the open data are the same for everyone, and so can be cached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from budget.frames.models import Driftbudgetram, FrameStage
from budget.investments.models import Investeringsprojekt, ProjectStatus
from goals.models import (
    DecisionStatus,
    Malbedomning,
    Namndmal,
    OvergripandeMal,
    Vision,
)
from styrmodell.models import FOLLOW_UP_ORDER, BudgetYear, OrganisationUnit

from .models import PeriodStatus, Rapportavsnitt, Rapportperiod, SectionStatus

LICENCE = "CC0-1.0"
LICENCE_TITLE = "Creative Commons Zero v1.0 Universal"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"


def public_years() -> list[BudgetYear]:
    """The years with something decided to show: a decided frame or an adopted nämndmål."""
    decided = Driftbudgetram.objects.filter(budget_year=OuterRef("pk"), stage=FrameStage.DECIDED)
    adopted = Namndmal.objects.filter(budget_year=OuterRef("pk"), status=DecisionStatus.ADOPTED)
    return list(BudgetYear.objects.filter(Exists(decided) | Exists(adopted)).order_by("-year"))


# --- Goals ------------------------------------------------------------------------------------


@dataclass
class PublicGoal:
    goal: Namndmal
    assessment: Malbedomning | None  # the latest one the nämnd has approved


@dataclass
class PublicNamndGoals:
    namnd: OrganisationUnit
    goals: list[PublicGoal] = field(default_factory=list)


@dataclass
class PublicGoals:
    budget_year: BudgetYear
    vision: Vision | None
    overarching: list[OvergripandeMal]
    namnder: list[PublicNamndGoals]


def approved_assessments() -> QuerySet[Malbedomning]:
    """The assessments whose report section the nämnd has approved: the same nämnd, year and
    follow-up (an assessment is approved with the section that reports it)."""
    approved = Rapportavsnitt.objects.filter(
        namnd=OuterRef("namndmal__namnd"), period__budget_year=OuterRef("namndmal__budget_year"),
        period__period=OuterRef("period"), status=SectionStatus.APPROVED)
    return Malbedomning.objects.filter(Exists(approved))


def goals_of_year(budget_year: BudgetYear) -> PublicGoals:
    """The vision, the övergripande mål and each nämnd's adopted nämndmål with its latest
    approved assessment; four queries."""
    visions = Vision.objects.filter(status=DecisionStatus.ADOPTED,
                                    mandate_period=budget_year.mandate_period_id)
    overarching = OvergripandeMal.objects.filter(status=DecisionStatus.ADOPTED,
                                                 mandate_period=budget_year.mandate_period_id)
    goals = (Namndmal.objects.filter(budget_year=budget_year, status=DecisionStatus.ADOPTED)
             .select_related("namnd", "overgripande_mal")
             .prefetch_related(Prefetch("assessments", queryset=approved_assessments(),
                                        to_attr="approved"))
             .order_by("namnd__path", "pk"))
    by_namnd: dict[int, PublicNamndGoals] = {}
    for goal in goals:
        entry = by_namnd.setdefault(goal.namnd_id, PublicNamndGoals(goal.namnd))
        entry.goals.append(PublicGoal(goal, _latest(goal.approved)))
    return PublicGoals(budget_year, visions.order_by("-pk").first(),
                       list(overarching.order_by("number")), list(by_namnd.values()))


def _latest(assessments: Iterable[Malbedomning]) -> Malbedomning | None:
    return max(assessments, key=lambda a: FOLLOW_UP_ORDER.index(a.period), default=None)


# --- Budget -----------------------------------------------------------------------------------


def decided_frames(budget_year: BudgetYear) -> list[Driftbudgetram]:
    """Each nämnd's frame as KF decided it, with its lines; two queries."""
    return list(Driftbudgetram.objects.filter(budget_year=budget_year, stage=FrameStage.DECIDED)
                .select_related("namnd").prefetch_related("lines").order_by("namnd__path"))


def decided_projects(budget_year: BudgetYear) -> QuerySet[Investeringsprojekt]:
    """The investment projects KF has decided that run in the year, in the nämnder's order."""
    year = budget_year.year
    return (Investeringsprojekt.objects.exclude(status=ProjectStatus.PROPOSAL)
            .filter(start_year__lte=year, end_year__gte=year)
            .select_related("namnd").order_by("namnd__path", "name", "pk"))


def frames_total(frames: Iterable[Driftbudgetram]) -> Decimal:
    return sum((frame.total for frame in frames), Decimal(0))


# --- Reports ----------------------------------------------------------------------------------


def received_reports() -> list[Rapportperiod]:
    """The reports KF has received, newest first."""
    return list(Rapportperiod.objects.filter(status=PeriodStatus.KF)
                .select_related("budget_year").order_by("-budget_year__year", "-deadline"))


def received_report(year: int, code: str) -> Rapportperiod:
    return (Rapportperiod.objects.select_related("budget_year")
            .get(budget_year__year=year, code=code, status=PeriodStatus.KF))


def approved_sections(period: Rapportperiod) -> list[Rapportavsnitt]:
    sections = list(period.sections.filter(status=SectionStatus.APPROVED)
                    .select_related("namnd").order_by("namnd__path"))
    for section in sections:
        section.period = period
    return sections
