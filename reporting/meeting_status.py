"""F3: the economic status the förvaltningschef presents at each of the nämnd's meetings.

Position (outcome to date, full-year forecast, variance from the frame, the chart), the nämnd's
open deviation cases, and the indicators of KF's prioritised goals: the key figures of the
nämnd's goals that carry one of KF's övergripande mål. "Recorded as presented" keeps the
figures as they were shown, dated to the meeting.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from budget.followup.chart import describe, outcome_chart
from budget.followup.selectors import NamndFollowUp, namnd_followup
from deviations.models import Avvikelse, CaseStatus
from goals.keyfigures import municipality_unit, trend_of
from goals.models import Namndmal, NyckeltalMalvarde, NyckeltalVarde
from goals.selectors import latest_assessment
from styrmodell.errors import DomainError
from styrmodell.formatting import date_text, quantity
from styrmodell.models import NAMND_LIKE_KINDS, CalendarEvent, EventKind
from styrmodell.permissions import Action, can

from .models import MeetingPresentation

NAMND_KINDS = tuple(NAMND_LIKE_KINDS)


@dataclass
class Indicator:
    name: str
    unit_label: str
    latest_period: int | None
    latest_display: str
    target_display: str
    trend_sentence: str
    verdict: str


@dataclass
class PrioritisedGoal:
    """One of KF's övergripande mål as the nämnd has broken it down, with its indicators."""

    overarching: object
    namndmal: list  # (Namndmal, its latest Malbedomning or None)
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class MeetingStatus:
    meeting: CalendarEvent
    followup: NamndFollowUp
    chart: str
    chart_text: str
    open_cases: list[Avvikelse]
    goals: list[PrioritisedGoal]
    presentation: MeetingPresentation | None

    @property
    def namnd(self):
        return self.meeting.unit

    @property
    def title(self) -> str:
        return f"Ekonomisk lägesrapport – {self.namnd}"

    @property
    def period(self) -> str:
        return f"Sammanträde {date_text(self.meeting.date)}"


def namnd_meetings():
    return (CalendarEvent.objects.filter(kind=EventKind.MEETING, unit__kind__in=NAMND_KINDS)
            .select_related("unit", "budget_year"))


def meeting_or_404(meeting_id: int) -> CalendarEvent:
    return get_object_or_404(namnd_meetings(), pk=meeting_id)


def current_meeting(*, namnd, today: dt.date) -> CalendarEvent | None:
    """The nämnd's next meeting (today's included), or else its latest one."""
    meetings = namnd_meetings().filter(unit=namnd)
    return (meetings.filter(date__gte=today).order_by("date").first()
            or meetings.order_by("-date").first())


def is_namnd_meeting(event: CalendarEvent) -> bool:
    return (event.kind == EventKind.MEETING and event.unit is not None
            and event.unit.kind in NAMND_KINDS)


def _indicators(goals: list[Namndmal], today: dt.date) -> dict[int, Indicator]:
    figures = {figure.pk: figure for goal in goals for figure in goal.key_figures.all()}
    kommun = municipality_unit()
    series: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    if kommun is not None and figures:
        for figure_id, period, value in NyckeltalVarde.objects.filter(
                nyckeltal_id__in=figures, unit=kommun).values_list("nyckeltal_id", "period",
                                                                    "value"):
            series[figure_id][period] = value
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for figure_id, year, value in NyckeltalMalvarde.objects.filter(
            nyckeltal_id__in=figures).values_list("nyckeltal_id", "year", "value"):
        targets[figure_id][year] = value
    result = {}
    for pk, figure in figures.items():
        known = sorted(p for p, v in series[pk].items() if v is not None)
        own = targets[pk]
        target_year = (today.year if today.year in own else max(own)) if own else None
        trend = trend_of(series[pk], figure.good_direction)
        result[pk] = Indicator(
            name=figure.name, unit_label=figure.unit_label,
            latest_period=known[-1] if known else None,
            latest_display=quantity(series[pk][known[-1]] if known else None,
                                      figure.unit_label),
            target_display=(f"{quantity(own[target_year], figure.unit_label)} "
                            f"({target_year})") if target_year else "–",
            trend_sentence=trend.sentence(figure.unit_label) if trend else "",
            verdict=trend.verdict if trend else _("Ingen jämförelse"),
        )
    return result


def prioritised_goals(*, namnd, budget_year, today: dt.date) -> list[PrioritisedGoal]:
    goals = list(
        Namndmal.objects.filter(namnd=namnd, budget_year=budget_year,
                                overgripande_mal__isnull=False, own_goal=False)
        .select_related("overgripande_mal")
        .prefetch_related("key_figures", "assessments")
        .order_by("overgripande_mal__number", "title"))
    indicators = _indicators(goals, today)
    grouped: dict[int, PrioritisedGoal] = {}
    for goal in goals:
        entry = grouped.setdefault(goal.overgripande_mal_id, PrioritisedGoal(
            overarching=goal.overgripande_mal, namndmal=[]))
        entry.namndmal.append((goal, latest_assessment(goal)))
        for figure in goal.key_figures.all():
            indicator = indicators[figure.pk]
            if indicator not in entry.indicators:
                entry.indicators.append(indicator)
    return list(grouped.values())


def meeting_status(meeting: CalendarEvent, *, today: dt.date) -> MeetingStatus:
    namnd, budget_year = meeting.unit, meeting.budget_year
    followup = namnd_followup(namnd=namnd, budget_year=budget_year)
    cases = list(
        Avvikelse.objects.filter(namnd=namnd, status=CaseStatus.OPEN)
        .select_related("budget_year", "project")
        .prefetch_related(Prefetch("measures"))
        .order_by("opened_on", "pk"))
    return MeetingStatus(
        meeting=meeting, followup=followup,
        # The chart is built from escaped parts (budget/followup_chart.py).
        chart=mark_safe(outcome_chart(followup, chart_id=f"f3-diagram-{meeting.pk}")),  # noqa: S308
        chart_text=describe(followup),
        open_cases=cases,
        goals=prioritised_goals(namnd=namnd, budget_year=budget_year, today=today),
        presentation=MeetingPresentation.objects.filter(meeting=meeting)
        .select_related("recorded_by").first(),
    )


def may_record_presented(user, meeting: CalendarEvent) -> bool:
    return can(user, Action.ADD, "meeting_presentation", meeting.unit)


def record_presented(*, meeting: CalendarEvent, user, paragraph: str = "",
                     today: dt.date) -> MeetingPresentation:
    """F3: the economic status was presented at the meeting. Dated to the meeting, once."""
    if not is_namnd_meeting(meeting):
        raise DomainError(_("Bara en nämnds sammanträde kan ha en ekonomisk lägesrapport."))
    if meeting.date > today:
        raise DomainError(_("Sammanträdet har inte hållits ännu: lägesrapporten kan "
                            "registreras som föredragen först på sammanträdesdagen."))
    with transaction.atomic():
        if MeetingPresentation.objects.select_for_update().filter(meeting=meeting).exists():
            raise DomainError(_("Lägesrapporten är redan registrerad som föredragen vid det "
                                "här sammanträdet."))
        followup = namnd_followup(namnd=meeting.unit, budget_year=meeting.budget_year)
        latest = followup.latest
        return MeetingPresentation.objects.create(
            meeting=meeting, namnd=meeting.unit, presented_on=meeting.date, recorded_by=user,
            paragraph=paragraph.strip()[:40], frame=followup.frame,
            outcome_to_date=followup.outcome_to_date, last_month=followup.last_month,
            forecast=latest.forecast.total if latest else None,
            variance=latest.variance.amount if latest and latest.variance else None,
            open_cases=Avvikelse.objects.filter(namnd=meeting.unit,
                                                status=CaseStatus.OPEN).count(),
        )
