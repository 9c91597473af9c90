"""The verksamhetsplan of a nämnd for a year (G7): reads and changes.

G7: for every nämndmål the plan says the method or way of working, the styrtal, how it is
followed up and what must be achieved for the goal to count as reached; it lists the goals the
nämnd wants dialogue on with KS and other nämnder; the nämnd adopts it at the latest in the
December before the year (B1). Once adopted the plan and its rows are locked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from styrmodell.errors import DomainError
from styrmodell.formatting import date_text
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, OrganisationUnit
from styrmodell.versioning import (
    check_new_row_version,
    check_version,
    first_save,
)

from .models import DecisionStatus, Namndmal, Nyckeltal, Verksamhetsplan, VerksamhetsplanRad

LOCKED_MESSAGE = ("Verksamhetsplanen är antagen av nämnden och låst. Ändringar kräver ett nytt "
                  "beslut i nämnden.")
REQUIRED_ROW_FIELDS = (
    ("method", "metod och arbetssätt"),
    ("follow_up", "hur målet följs upp"),
    ("reached_when", "vad som ska ha uppnåtts för att målet ska anses uppfyllt"),
)


@dataclass
class Saved:
    """What a service saved, with the warnings (bör-rules) the user should see."""

    obj: object
    warnings: list[str] = field(default_factory=list)


def adoption_deadline(year: int) -> dt.date:
    """G7/B1: the plan for a year is adopted at the latest in the December before it."""
    return dt.date(year - 1, 12, 31)


def is_adopted(plan: Verksamhetsplan | None) -> bool:
    return plan is not None and plan.adopted_on is not None


def adoption_overdue(plan: Verksamhetsplan | None, year: int,
                     today: dt.date | None = None) -> bool:
    """G7: not adopted although December before the year has passed."""
    today = today or timezone.localdate()
    return not is_adopted(plan) and today > adoption_deadline(year)


def plan_goals(namnd: OrganisationUnit, budget_year: BudgetYear) -> QuerySet[Namndmal]:
    """The nämndmål the plan covers: the nämnd's goals for the year, except replaced ones."""
    return (
        Namndmal.objects.filter(namnd=namnd, budget_year=budget_year)
        .exclude(status=DecisionStatus.REPLACED)
        .select_related("overgripande_mal")
        .prefetch_related(Prefetch("key_figures", queryset=Nyckeltal.objects.order_by("name")))
        .order_by("overgripande_mal__number", "pk")
    )


def find_plan(namnd: OrganisationUnit, budget_year: BudgetYear) -> Verksamhetsplan | None:
    return (
        Verksamhetsplan.objects.filter(namnd=namnd, budget_year=budget_year)
        .prefetch_related(Prefetch("dialogue_goals", queryset=Namndmal.objects.order_by("pk")))
        .first()
    )


@dataclass
class PlanRow:
    goal: Namndmal
    row: VerksamhetsplanRad | None


@dataclass
class PlanPage:
    namnd: OrganisationUnit
    budget_year: BudgetYear
    plan: Verksamhetsplan | None
    rows: list[PlanRow]
    overdue: bool

    @property
    def deadline(self) -> dt.date:
        return adoption_deadline(self.budget_year.year)

    @property
    def missing_rows(self) -> list[Namndmal]:
        return [item.goal for item in self.rows if item.row is None]

    @property
    def locked(self) -> bool:
        return is_adopted(self.plan)


def plan_page(namnd: OrganisationUnit, budget_year: BudgetYear,
              today: dt.date | None = None) -> PlanPage:
    """G7: the plan with one row per nämndmål (empty where the förvaltning has not written it)."""
    plan = find_plan(namnd, budget_year)
    goals = list(plan_goals(namnd, budget_year))
    rows_by_goal = {}
    if plan is not None:
        rows_by_goal = {row.namndmal_id: row for row in plan.rows.all()}
    return PlanPage(
        namnd=namnd,
        budget_year=budget_year,
        plan=plan,
        rows=[PlanRow(goal, rows_by_goal.get(goal.pk)) for goal in goals],
        overdue=adoption_overdue(plan, budget_year.year, today),
    )


def _require_open(plan: Verksamhetsplan) -> None:
    if is_adopted(plan):
        raise DomainError(LOCKED_MESSAGE)


def _check_dialogue_goals(namnd: OrganisationUnit, budget_year: BudgetYear, goals) -> list:
    goals = list(goals or [])
    allowed = set(plan_goals(namnd, budget_year).values_list("pk", flat=True))
    for goal in goals:
        if goal.pk not in allowed:
            raise DomainError(f"”{goal}” är inte ett av nämndens mål för {budget_year.year}.",
                              field="dialogue_goals")
    return goals


@transaction.atomic
def create_plan(*, namnd: OrganisationUnit, budget_year: BudgetYear, introduction: str = "",
                dialogue_goals=(), dialogue_with: str = "") -> Verksamhetsplan:
    """G7: a nämnd's plan for a year; one per nämnd and year."""
    if namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Verksamhetsplaner görs för en nämnd eller kommunstyrelsen.")
    if Verksamhetsplan.objects.filter(namnd=namnd, budget_year=budget_year).exists():
        raise DomainError(f"{namnd} har redan en verksamhetsplan för {budget_year.year}.")
    goals = _check_dialogue_goals(namnd, budget_year, dialogue_goals)
    with first_save():
        plan = Verksamhetsplan.objects.create(
            namnd=namnd, budget_year=budget_year, introduction=(introduction or "").strip(),
            dialogue_with=(dialogue_with or "").strip(),
        )
    plan.dialogue_goals.set(goals)
    return plan


@transaction.atomic
def update_plan(*, plan: Verksamhetsplan, version: str | None, introduction: str = "",
                dialogue_goals=(), dialogue_with: str = "") -> Verksamhetsplan:
    """G7: the introduction and the goals the nämnd wants dialogue on with KS and other nämnder."""
    plan = Verksamhetsplan.objects.select_for_update().get(pk=plan.pk)
    check_version(plan, version)
    _require_open(plan)
    goals = _check_dialogue_goals(plan.namnd, plan.budget_year, dialogue_goals)
    plan.introduction = (introduction or "").strip()
    plan.dialogue_with = (dialogue_with or "").strip()
    plan.save()
    plan.dialogue_goals.set(goals)
    return plan


@transaction.atomic
def save_row(*, plan: Verksamhetsplan, namndmal: Namndmal, version: str | None, method: str,
             styrtal: str, follow_up: str, reached_when: str) -> VerksamhetsplanRad:
    """G7: how one nämndmål is worked on, its styrtal, its follow-up and when it is reached.

    A new row expects version "0" (nobody has written it yet); an existing row its current
    version, so two people editing the same row cannot overwrite each other.
    """
    plan = Verksamhetsplan.objects.select_for_update().get(pk=plan.pk)
    _require_open(plan)
    if namndmal.namnd_id != plan.namnd_id or namndmal.budget_year_id != plan.budget_year_id:
        raise DomainError("Nämndmålet hör inte till den här verksamhetsplanen.")
    if namndmal.status == DecisionStatus.REPLACED:
        raise DomainError("Nämndmålet är ersatt och ingår inte längre i planen.")
    texts = {"method": method, "styrtal": styrtal, "follow_up": follow_up,
             "reached_when": reached_when}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    for name, label in REQUIRED_ROW_FIELDS:
        if not texts[name]:
            raise DomainError(f"Skriv {label}.", field=name)
    row = VerksamhetsplanRad.objects.select_for_update().filter(namndmal=namndmal).first()
    if row is None:
        check_new_row_version(version)
        with first_save():
            return VerksamhetsplanRad.objects.create(plan=plan, namndmal=namndmal, **texts)
    if row.plan_id != plan.pk:
        raise DomainError("Nämndmålet har redan en rad i en annan verksamhetsplan.")
    check_version(row, version)
    for name, value in texts.items():
        setattr(row, name, value)
    row.save()
    return row


@transaction.atomic
def adopt_plan(*, plan: Verksamhetsplan, adopted_on: dt.date | None, paragraph: str,
               today: dt.date | None = None) -> Saved:
    """G7: the nämnd adopts the plan (date and § of the minutes); it is locked from then on.

    Every nämndmål must have its row. Adopting after the December before the year is allowed
    (the decision is what it is) but is pointed out.
    """
    today = today or timezone.localdate()
    plan = Verksamhetsplan.objects.select_for_update().get(pk=plan.pk)
    _require_open(plan)
    if adopted_on is None:
        raise DomainError("Ange datum för nämndens beslut.", field="adopted_on")
    if adopted_on > today:
        raise DomainError("Beslutsdatumet kan inte ligga i framtiden.", field="adopted_on")
    paragraph = (paragraph or "").strip().removeprefix("§").strip()
    if not paragraph:
        raise DomainError("Ange paragraf i protokollet.", field="paragraph")
    goals = list(plan_goals(plan.namnd, plan.budget_year))
    if not goals:
        raise DomainError(f"{plan.namnd} har inga nämndmål för {plan.budget_year.year} att "
                          "anta en verksamhetsplan för.")
    with_rows = set(plan.rows.values_list("namndmal_id", flat=True))
    missing = [goal for goal in goals if goal.pk not in with_rows]
    if missing:
        names = ", ".join(f"”{goal}”" for goal in missing)
        raise DomainError(f"Planen saknar metod, uppföljning och målnivå för {names}. "
                          "Varje nämndmål ska ha sin rad innan planen antas.")
    plan.adopted_on = adopted_on
    plan.paragraph = paragraph
    plan.save()
    warnings = []
    deadline = adoption_deadline(plan.budget_year.year)
    if adopted_on > deadline:
        warnings.append(f"Verksamhetsplanen ska antas senast i december året före, alltså "
                        f"senast {date_text(deadline)}. Den antogs {date_text(adopted_on)}.")
    return Saved(plan, warnings)
