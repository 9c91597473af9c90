"""The goals app's panels on the start page (styrmodell.start_page): the assessments an
official must write (A3), a chef's medarbetarplaner and an employee's own plan (G10, A7)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from styrmodell import appointments
from styrmodell.calendar import REPORT_STEP_PERIODS
from styrmodell.formatting import date_text
from styrmodell.models import CalendarEvent, FollowUpPeriod, OrganisationUnit, UnitKind
from styrmodell.permissions import Action, restrict
from styrmodell.roles import ENHETSCHEF, FORVALTNINGSCHEF, KOMMUNDIREKTOR
from styrmodell.start_page import (
    LINES_SHOWN,
    Item,
    Panel,
    first_lines,
    register,
    role_codes,
    running_year,
)

from .models import DecisionStatus, Malbedomning, Medarbetarplan, Namndmal
from .selectors import employees_in

# A report deadline this long past still shows its missing assessments as late; the next one
# shows from this long before.
LATE_DAYS = 60
AHEAD_DAYS = 120


def _report_steps(budget_year, today: dt.date) -> list[CalendarEvent]:
    """The year's report deadlines from LATE_DAYS ago up to and including the next one."""
    steps = list(CalendarEvent.objects.filter(
        budget_year=budget_year, unit__isnull=True, code__in=list(REPORT_STEP_PERIODS),
        date__gte=today - dt.timedelta(days=LATE_DAYS),
        date__lte=today + dt.timedelta(days=AHEAD_DAYS)).order_by("date"))
    upcoming = [step for step in steps if step.date >= today][:1]
    return [step for step in steps if step.date < today] + upcoming


@register(40, "goals.assessments")
def assessments_to_write(*, user, today: dt.date, assignments) -> Panel | None:
    """A3: the nämndmål the official may assess that lack an assessment for a follow-up whose
    deadline is near or recently past. One nämnd's goals are listed; many nämnders are counted
    per nämnd; LINES_SHOWN lines at most."""
    budget_year = running_year(user)
    if budget_year is None:
        return None
    adopted = Namndmal.objects.filter(budget_year=budget_year, status=DecisionStatus.ADOPTED)
    if role_codes(assignments) & {FORVALTNINGSCHEF, KOMMUNDIREKTOR}:
        goals = restrict(adopted, user, "malbedomning", Action.CHANGE, unit_field="namnd")
    else:
        # A målansvarig: the goals appointed to the person, in the appointment's period.
        goals = appointments.answered_by(user, adopted)
        if not goals.exists():
            return None
    steps = [(step, REPORT_STEP_PERIODS[step.code]) for step in _report_steps(budget_year, today)]
    counts = _missing_per_namnd(goals, {period for _step, period in steps}) if steps else {}
    # A follow-up whose missing goals are all of one nämnd lists them one by one.
    listed = _goals_missing(goals, {period for period, found in counts.items()
                                    if len(found) == 1})
    items = []
    for step, period in steps:
        items += _assessment_items(counts[period], listed.get(period, []), period, step.date,
                                   today, budget_year.year)
    missing_goals = sum(count["goals"] for found in counts.values() for count in found)
    namnder = {count["namnd"] for found in counts.values() for count in found}
    shown = first_lines(items)
    return Panel(key="malbedomningar", title=_("Målbedömningar att skriva"), items=shown,
                 empty=_("Alla nämndmål är bedömda för de närmaste uppföljningarna."),
                 more=_all_assessments_link(shown, missing_goals, namnder, budget_year.year))


def _unassessed(period: str) -> Exists:
    """True of a goal that lacks the follow-up's assessment."""
    return ~Exists(Malbedomning.objects.filter(namndmal=OuterRef("pk"), period=period))


def _missing_per_namnd(goals, periods: set[str]) -> dict[str, list[dict]]:
    """For each follow-up, the nämnder with goals that lack its assessment and how many, in the
    organisation's order: one query for them all, no goal read."""
    rows = list(goals.values("namnd", "namnd__name").annotate(**{
        f"missing_{period}": Count("pk", distinct=True, filter=_unassessed(period))
        for period in periods}).order_by("namnd__path"))
    return {period: [{"namnd": row["namnd"], "namnd__name": row["namnd__name"],
                      "goals": row[f"missing_{period}"]}
                     for row in rows if row[f"missing_{period}"]]
            for period in periods}


def _goals_missing(goals, periods: set[str]) -> dict[str, list[Namndmal]]:
    """The goals that lack each of these follow-ups' assessment: one query, none without."""
    if not periods:
        return {}
    marked = goals.annotate(**{f"missing_{period}": _unassessed(period) for period in periods})
    lacking = Q(pk__in=[])
    for period in periods:
        lacking |= Q(**{f"missing_{period}": True})
    found = list(marked.filter(lacking).only("pk", "title").order_by("pk"))
    return {period: [goal for goal in found if getattr(goal, f"missing_{period}")]
            for period in periods}


def _assessment_items(counts: list[dict], goals: list[Namndmal], period: str, due: dt.date,
                      today: dt.date, year: int) -> list[Item]:
    """One nämnd's goals are listed (the first LINES_SHOWN); many nämnders are counted per
    nämnd."""
    label = str(FollowUpPeriod(period).label)
    if len(counts) > 1:
        return [Item(text=_("%(namnd)s: %(count)s nämndmål utan bedömning")
                     % {"namnd": count["namnd__name"], "count": count["goals"]},
                     url=reverse("goals:namnd_goals", args=[count["namnd"], year]),
                     detail=label, due=due, overdue=due < today)
                for count in counts]
    return [Item(text=goal.title, url=reverse("goals:assessment_edit", args=[goal.pk, period]),
                 detail=label, due=due, overdue=due < today)
            for goal in goals[:LINES_SHOWN]]


def _all_assessments_link(shown: list[Item], missing_goals: int, namnder: set[int],
                          year: int) -> tuple[str, str] | None:
    """Where the goals the panel does not list one by one are: the nämnd's goals, or for many
    nämnder the goal tree."""
    if missing_goals <= len(shown):
        return None
    text = _("Alla %(count)s nämndmål utan bedömning") % {"count": missing_goals}
    if len(namnder) == 1:
        return text, reverse("goals:namnd_goals", args=[next(iter(namnder)), year])
    return text, reverse("goals:tree")


def _own_enheter(assignments) -> list[OrganisationUnit]:
    return [assignment.unit for assignment in assignments
            if assignment.role.code == ENHETSCHEF and assignment.unit.kind == UnitKind.ENHET]


@register(50, "goals.chef_plans")
def chefs_medarbetarplaner(*, user, today: dt.date, assignments) -> Panel | None:
    """G10, A7: the enhetschef's employees this year: who has no plan yet, whose plan is not
    followed up at the medarbetarsamtal; LINES_SHOWN of them at most."""
    enheter = _own_enheter(assignments)
    budget_year = running_year(user)
    if not enheter or budget_year is None:
        return None
    employees = list(employees_in(OrganisationUnit.objects.filter(pk__in=[u.pk for u in enheter]))
                     .exclude(pk=user.pk))
    plans = {plan.employee_id: plan for plan in Medarbetarplan.objects.filter(
        budget_year=budget_year, employee__in=employees).select_related("employee")}
    without = [person for person in employees if person.pk not in plans]
    open_plans = [plan for plan in plans.values() if plan.followed_up_on is None]
    items = [Item(text=str(person), url=reverse("goals:medarbetarplan_create"),
                  status=("○", _("Ingen plan")), detail=_("Gör upp planen vid medarbetarsamtalet"))
             for person in without]
    items += [Item(text=str(plan.employee), url=plan.get_absolute_url(),
                   status=("◐", _("Ej uppföljd")),
                   detail=_("Överenskommen %(day)s") % {"day": date_text(plan.agreed_on)}
                   if plan.agreed_on else "")
              for plan in sorted(open_plans, key=lambda p: str(p.employee))]
    done = len(plans) - len(open_plans)
    intro = (_("%(with)s av %(all)s medarbetare har en plan för %(year)s, %(done)s är uppföljda.")
             % {"with": len(plans), "all": len(employees), "year": budget_year.year,
                "done": done})
    more = (_("Alla %(count)s medarbetare som väntar på plan eller uppföljning")
            % {"count": len(items)} if len(items) > LINES_SHOWN else _("Alla medarbetarplaner"))
    return Panel(key="medarbetarplaner", title=_("Medarbetarplaner"), intro=intro,
                 items=first_lines(items), empty=_("Alla planer är uppgjorda och uppföljda."),
                 more=(more, reverse("goals:medarbetarplan_list")))


@register(60, "goals.own_plan")
def own_medarbetarplan(*, user, today: dt.date, assignments) -> Panel | None:
    """G10: the employee's own plan for the year, and whether it is followed up."""
    budget_year = running_year(user)
    if budget_year is None or not assignments:
        return None
    plan = (Medarbetarplan.objects.filter(Q(employee=user), budget_year=budget_year)
            .select_related("chef").first())
    if plan is None:
        if _own_enheter(assignments) or not any(a.unit.kind == UnitKind.ENHET
                                                 for a in assignments):
            return None
        return Panel(key="min-plan", title=_("Min medarbetarplan"),
                     empty=_("Du har ingen medarbetarplan för %(year)s ännu. Den görs upp med "
                             "din chef vid medarbetarsamtalet.") % {"year": budget_year.year})
    state = (_("Uppföljd %(day)s") % {"day": date_text(plan.followed_up_on)}
             if plan.followed_up_on else _("Inte uppföljd ännu"))
    return Panel(key="min-plan", title=_("Min medarbetarplan"), items=[Item(
        text=_("Medarbetarplan %(year)s") % {"year": budget_year.year},
        url=plan.get_absolute_url(),
        status=("✔", _("Uppföljd")) if plan.followed_up_on else ("○", _("Pågår")),
        detail=f"{state} · " + _("Chef: %(chef)s") % {"chef": plan.chef})])
