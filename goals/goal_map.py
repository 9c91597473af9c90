"""The goal map: each nämnd's goals under each övergripande mål, with their latest assessment,
the August forecast for the year, their course over the year's follow-ups, and a tally per
övergripande mål and per nämnd.

The tally's rule, stated on the page too: each nämndmål counts once, by its latest assessment
(Ja, Delvis, Nej, or not yet assessed); the share met is the goals assessed Ja out of the goals
assessed. Nothing is averaged or weighted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from styrmodell.models import FOLLOW_UP_ORDER, BudgetYear, FollowUpPeriod, OrganisationUnit

from .models import DecisionStatus, Level, Malbedomning, Namndmal, OvergripandeMal
from .selectors import latest_assessment, visible_namndmal

SHORT_NAMES = {FollowUpPeriod.FEBRUARY: _("feb"), FollowUpPeriod.APRIL: _("apr"),
               FollowUpPeriod.AUGUST: _("aug"), FollowUpPeriod.OCTOBER: _("okt"),
               FollowUpPeriod.YEAR: _("år")}
# A big city's map is shown this many nämnder (rows) at a time; the tallies cover them all.
NAMNDER_PER_PAGE = 10
# The follow-up whose forecast for the year's goal attainment the map shows (A4).
FORECAST_PERIOD = FollowUpPeriod.AUGUST


@dataclass
class Tally:
    """How many goals stand at each level by their latest assessment."""

    met: int = 0
    partly: int = 0
    not_met: int = 0
    not_assessed: int = 0

    def add(self, level: str | None) -> None:
        if level == Level.YES:
            self.met += 1
        elif level == Level.PARTLY:
            self.partly += 1
        elif level == Level.NO:
            self.not_met += 1
        else:
            self.not_assessed += 1

    @property
    def assessed(self) -> int:
        return self.met + self.partly + self.not_met

    @property
    def total(self) -> int:
        return self.assessed + self.not_assessed

    @property
    def share_met(self) -> Decimal | None:
        """Per cent of the assessed goals that are met, whole per cent; None if none is."""
        if not self.assessed:
            return None
        return (Decimal(100) * self.met / self.assessed).quantize(Decimal(1), ROUND_HALF_UP)


@dataclass
class CoursePoint:
    """One follow-up of the year and the level the goal was assessed at then (None: not)."""

    short: str  # "feb", "apr", "aug", "okt", "år"
    level: str | None


@dataclass
class MapGoal:
    goal: Namndmal
    latest: Malbedomning | None
    forecast: str  # the August forecast for the year ("" when none is made yet)
    course: list[CoursePoint]


@dataclass
class MapRow:
    namnd: OrganisationUnit
    cells: list[list[MapGoal]]  # one per övergripande mål, in the map's column order
    tally: Tally = field(default_factory=Tally)


@dataclass
class GoalMap:
    budget_year: BudgetYear
    overarching: list[OvergripandeMal]
    rows: list[MapRow]
    column_tallies: list[Tally]
    tally: Tally

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _map_goal(goal: Namndmal) -> MapGoal:
    by_period = {assessment.period: assessment for assessment in goal.assessments.all()}
    forecast = by_period.get(FORECAST_PERIOD)
    latest = latest_assessment(goal)
    # The follow-ups up to the latest one; those after it have not come yet.
    shown = FOLLOW_UP_ORDER[:FOLLOW_UP_ORDER.index(latest.period) + 1] if latest else ()
    course = [CoursePoint(SHORT_NAMES[period],
                          by_period[period].level if period in by_period else None)
              for period in shown]
    return MapGoal(goal=goal, latest=latest, forecast=forecast.forecast if forecast else "",
                   course=course)


def goal_map(*, user, budget_year: BudgetYear) -> GoalMap:
    """The adopted (and, within the user's reach, draft) nämndmål of the year, in three
    queries whatever the number of nämnder."""
    overarching = list(
        OvergripandeMal.objects.filter(mandate_period=budget_year.mandate_period)
        .exclude(status=DecisionStatus.REPLACED).order_by("number"))
    column = {goal.pk: index for index, goal in enumerate(overarching)}
    goals = (visible_namndmal(user).filter(budget_year=budget_year,
                                           overgripande_mal_id__in=list(column))
             .select_related("namnd")
             .prefetch_related(Prefetch("assessments", queryset=Malbedomning.objects.only(
                 "pk", "namndmal_id", "period", "level", "forecast")))
             .order_by("namnd__path", "pk"))
    rows: dict[int, MapRow] = {}
    column_tallies = [Tally() for _goal in overarching]
    tally = Tally()
    for goal in goals:
        row = rows.get(goal.namnd_id)
        if row is None:
            row = rows[goal.namnd_id] = MapRow(goal.namnd, [[] for _goal in overarching])
        shown = _map_goal(goal)
        row.cells[column[goal.overgripande_mal_id]].append(shown)
        level = shown.latest.level if shown.latest else None
        for counted in (row.tally, column_tallies[column[goal.overgripande_mal_id]], tally):
            counted.add(level)
    return GoalMap(budget_year=budget_year, overarching=overarching, rows=list(rows.values()),
                   column_tallies=column_tallies, tally=tally)

