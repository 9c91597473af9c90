"""Reads of goals: the goal tree, a nämnd's goals, and who may see which medarbetarplan."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from styrmodell.models import (
    FOLLOW_UP_ORDER,
    BudgetYear,
    OrganisationUnit,
    RoleAssignment,
    UnitKind,
    User,
)
from styrmodell.paging import page_at
from styrmodell.permissions import Action, active_assignments, can, restrict

from .models import (
    DecisionStatus,
    Enhetsmal,
    Faststallelse,
    FinansielltMal,
    Level,
    Malbedomning,
    Medarbetarplan,
    Namndmal,
    OvergripandeMal,
    Uppdrag,
    Vision,
)


def visible_namndmal(user) -> QuerySet[Namndmal]:
    """Adopted nämndmål are public; drafts only within the user's nämnd (P5)."""
    return restrict(Namndmal.objects.all(), user, "namndmal", unit_field="namnd",
                    published=Q(status=DecisionStatus.ADOPTED))


def latest_assessment(goal: Namndmal) -> Malbedomning | None:
    """The newest follow-up's assessment among those prefetched on the goal."""
    assessments = list(goal.assessments.all())
    if not assessments:
        return None
    return max(assessments, key=lambda a: FOLLOW_UP_ORDER.index(a.period))


def previous_assessment(goal: Namndmal, period: str) -> Malbedomning | None:
    """The goal's assessment in the follow-up before this one that has one (this year)."""
    earlier = FOLLOW_UP_ORDER[:FOLLOW_UP_ORDER.index(period)] if period in FOLLOW_UP_ORDER else ()
    found = {a.period: a for a in goal.assessments.filter(period__in=earlier)}
    return next((found[p] for p in reversed(earlier) if p in found), None)


@dataclass
class NamndBranch:
    namnd: OrganisationUnit
    goals: list[Namndmal] = field(default_factory=list)


@dataclass
class OverarchingBranch:
    goal: OvergripandeMal | None
    namnder: list[NamndBranch] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    # Goals under it in every nämnd, those on other pages of the tree too.
    goal_count: int = 0

    @property
    def count_rows(self) -> list[tuple[str, str, int]]:
        return [(level.value, level.label, self.counts.get(level.value, 0)) for level in Level]


@dataclass
class GoalTree:
    budget_year: BudgetYear
    vision: Vision | None
    branches: list[OverarchingBranch]
    namnd: OrganisationUnit | None = None
    # False when the enhetsmål are too many to print for the whole municipality: each
    # nämndmål then shows how many it has and the nämnd's own tree shows them.
    shows_enhetsmal: bool = True
    # The nämnder whose goals the tree shows, a page of those that have goals this year.
    page: Page | None = None


# Above this many enhetsmål under a page's nämndmål (a big city has thousands) the tree of every
# nämnd stays collapsed below the nämndmål; one nämnd's tree always shows its enhetsmål.
ENHETSMAL_SHOWN_FOR_ALL_NAMNDER = 200
# A big city's tree of every nämnd is shown this many nämnder at a time (a town's is whole).
NAMNDER_PER_PAGE = 10


def goal_tree(*, user, budget_year: BudgetYear, namnd: OrganisationUnit | None = None,
              page_number: str | None = None) -> GoalTree:
    """Vision → övergripande mål → each nämnd's goals → their enhetsmål, in a fixed few queries.

    Per övergripande mål, the Ja/Delvis/Nej of the goals' latest assessments across nämnder
    (all of them, not only the page's). The goals are shown for a page of the nämnder that have
    goals (`page_number` as the address gives it); every nämndmål shown carries the number of
    enhetsmål the user may see under it.
    """
    # The vision the year was governed by: that mandate period's, even if since replaced.
    vision = (Vision.objects.filter(mandate_period=budget_year.mandate_period)
              .exclude(status=DecisionStatus.DRAFT).order_by("-decided_on").first())
    overarching = list(
        OvergripandeMal.objects.filter(mandate_period=budget_year.mandate_period)
        .exclude(status=DecisionStatus.REPLACED).order_by("number")
    )
    goals = (
        visible_namndmal(user).filter(budget_year=budget_year)
        .select_related("namnd", "overgripande_mal")
        .prefetch_related(
            Prefetch("assessments", queryset=Malbedomning.objects.only(
                "pk", "namndmal_id", "period", "level", "forecast")),
        )
        .order_by("namnd__path", "pk")
    )
    if namnd is not None:
        goals = goals.filter(namnd=namnd)
    goals = list(goals)
    with_goals = list({goal.namnd_id: goal.namnd for goal in goals}.values())
    page = page_at(with_goals, page_number, per_page=NAMNDER_PER_PAGE)
    on_page = {shown.pk for shown in page.object_list}
    shown_goals = [goal for goal in goals if goal.namnd_id in on_page]
    shows_enhetsmal = (_count_enhetsmal(user, shown_goals) <= ENHETSMAL_SHOWN_FOR_ALL_NAMNDER
                       or namnd is not None)
    if shows_enhetsmal:
        prefetch_related_objects(shown_goals, Prefetch(
            "enhet_goals", queryset=_visible_enhetsmal(user).select_related("enhet"),
            to_attr="shown_enhet_goals"))

    by_overarching: dict[int | None, dict[int, NamndBranch]] = defaultdict(dict)
    counts: dict[int | None, Counter] = defaultdict(Counter)
    goal_counts: Counter = Counter()
    for goal in goals:
        goal.latest = latest_assessment(goal)
        key = goal.overgripande_mal_id
        goal_counts[key] += 1
        if goal.latest is not None:
            counts[key][goal.latest.level] += 1
        if goal.namnd_id in on_page:
            branch = by_overarching[key].setdefault(goal.namnd_id, NamndBranch(goal.namnd))
            branch.goals.append(goal)

    branches = [
        OverarchingBranch(goal=o, namnder=list(by_overarching[o.pk].values()), counts=counts[o.pk],
                          goal_count=goal_counts[o.pk])
        for o in overarching
    ]
    if goal_counts[None]:
        branches.append(OverarchingBranch(goal=None, namnder=list(by_overarching[None].values()),
                                          counts=counts[None], goal_count=goal_counts[None]))
    return GoalTree(budget_year=budget_year, vision=vision, branches=branches, namnd=namnd,
                    shows_enhetsmal=shows_enhetsmal, page=page)


def _visible_enhetsmal(user) -> QuerySet[Enhetsmal]:
    return restrict(Enhetsmal.objects.all(), user, "enhetsmal", Action.VIEW, unit_field="enhet")


def _count_enhetsmal(user, goals: list[Namndmal]) -> int:
    """Sets `enhetsmal_count` on each goal, in one query; returns their sum."""
    per_goal = dict(
        _visible_enhetsmal(user).filter(namndmal__in=goals).order_by()
        .values_list("namndmal_id").annotate(count=Count("pk"))
    )
    for goal in goals:
        goal.enhetsmal_count = per_goal.get(goal.pk, 0)
    return sum(per_goal.values())


def own_namnd(user, namnder: list[OrganisationUnit]) -> OrganisationUnit | None:
    """The nämnd all the user's roles are held in, whose goals a page opens on first.

    None for those who govern or serve the whole municipality (roles in KF, KS or several
    nämnder) and for those with no role: they open on every nämnd.
    """
    held_in = {namnd for assignment in active_assignments(user) for namnd in namnder
               if assignment.unit.path.startswith(namnd.path)}
    if len(held_in) == 1:
        namnd = held_in.pop()
        if namnd.kind == UnitKind.NAMND:
            return namnd
    return None


def namnder() -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(
        kind__in=[UnitKind.NAMND, UnitKind.KS], is_active=True
    ).order_by("path")


def kf_goals(*, budget_year: BudgetYear, user=None) -> dict:
    """KF's vision, övergripande mål (and whether KF has fastställt them for the year, G2),
    financial goals and uppdrag with whether the user may write each one's report-back."""
    period = budget_year.mandate_period
    overarching = list(OvergripandeMal.objects.filter(mandate_period=period)
                       .select_related("decided_by").prefetch_related("affirmed_for")
                       .order_by("number"))
    for goal in overarching:
        goal.affirmed_this_year = any(y.pk == budget_year.pk for y in goal.affirmed_for.all())
    in_force = [goal for goal in overarching if goal.status == DecisionStatus.ADOPTED]
    return {
        "visions": Vision.objects.filter(mandate_period=period).select_related("decided_by"),
        "overarching": overarching,
        "affirmation": Faststallelse.objects.filter(budget_year=budget_year)
        .select_related("decided_by").first(),
        "affirmation_missing": bool(in_force)
        and not all(goal.affirmed_this_year for goal in in_force),
        "financial": FinansielltMal.objects.filter(budget_year=budget_year)
        .select_related("unit", "decided_by"),
        "assignments": _with_may_report(user, Uppdrag.objects.filter(budget_year=budget_year)
                                        .select_related("namnd", "decided_by")),
    }


def namnd_uppdrag(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> QuerySet[Uppdrag]:
    """G11: the uppdrag KF has given the nämnd for the year (decided, not drafts)."""
    return (Uppdrag.objects.filter(namnd=namnd, budget_year=budget_year)
            .exclude(status=DecisionStatus.DRAFT).select_related("reported_by"))


def _with_may_report(user, uppdrag) -> list[Uppdrag]:
    rows = list(uppdrag)
    for row in rows:  # `can` reads the user's cached assignments: no query per row
        row.may_report = (user is not None and row.status == DecisionStatus.ADOPTED
                          and can(user, Action.CHANGE, "uppdrag_report", row.namnd))
    return rows


def visible_medarbetarplaner(user) -> QuerySet[Medarbetarplan]:
    """G10: the employee's own plan, and plans of enheter under the user's management line.

    Not politicians, not revisorer, not colleagues: the table gives VIEW only to line managers.
    """
    managed = restrict(Medarbetarplan.objects.all(), user, "medarbetarplan", Action.VIEW,
                       unit_field="enhet")
    # One WHERE with both conditions, not a subquery of plan ids: the kommundirektör's list of
    # every plan in a big city then needs no filter at all.
    return (Medarbetarplan.objects.filter(employee=user) | managed).select_related(
        "employee", "chef", "enhet", "budget_year")


def may_follow_up_medarbetarplan(user, plan: Medarbetarplan) -> bool:
    """A7, G10: a chef up the employee's line follows the plan up, not the employee."""
    return plan.employee_id != user.pk and can(user, Action.CHANGE, "medarbetarplan", plan.enhet)


def employees_in(enheter: QuerySet[OrganisationUnit]):
    """People who hold a valid role in any of these enheter (for a chef's medarbetarplan form)."""
    today = timezone.localdate()
    holders = RoleAssignment.objects.active_on(today).filter(unit__in=enheter).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("last_name")
