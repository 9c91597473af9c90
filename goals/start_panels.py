"""The goals app's panels on the start page (styrmodell.start_page): the assessments an
official must write (A3), a chef's medarbetarplaner and an employee's own plan (G10, A7)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from styrmodell import appointments
from styrmodell.calendar import REPORT_STEP_PERIODS
from styrmodell.formatting import date_text
from styrmodell.models import CalendarEvent, FollowUpPeriod, OrganisationUnit, UnitKind
from styrmodell.permissions import Action, restrict
from styrmodell.roles import ENHETSCHEF, FORVALTNINGSCHEF, KOMMUNDIREKTOR
from styrmodell.selectors import budget_year_to_show
from styrmodell.start_page import Item, Panel, register, role_codes

from .models import DecisionStatus, Medarbetarplan, Namndmal
from .selectors import employees_in

# A report deadline this long past still shows its missing assessments as late; the next one
# shows from this long before.
LATE_DAYS = 60
AHEAD_DAYS = 120
GOALS_LISTED = 8


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
    per nämnd."""
    budget_year = budget_year_to_show(prefer="running")
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
    items = []
    for step in _report_steps(budget_year, today):
        period = REPORT_STEP_PERIODS[step.code]
        missing = list(goals.exclude(assessments__period=period).select_related("namnd")
                       .order_by("namnd__path", "pk"))
        items += _assessment_items(missing, period, step.date, today, budget_year.year)
    return Panel(key="malbedomningar", title=_("Målbedömningar att skriva"), items=items,
                 empty=_("Alla nämndmål är bedömda för de närmaste uppföljningarna."))


def _assessment_items(missing: list[Namndmal], period: str, due: dt.date,
                      today: dt.date, year: int) -> list[Item]:
    label = str(FollowUpPeriod(period).label)
    by_namnd: dict[OrganisationUnit, list[Namndmal]] = defaultdict(list)
    for goal in missing:
        by_namnd[goal.namnd].append(goal)
    if len(by_namnd) > 1:
        return [Item(text=_("%(namnd)s: %(count)s nämndmål utan bedömning")
                     % {"namnd": namnd, "count": len(goals)},
                     url=reverse("goals:namnd_goals", args=[namnd.pk, year]),
                     detail=label, due=due, overdue=due < today)
                for namnd, goals in by_namnd.items()]
    return [Item(text=goal.title, url=reverse("goals:assessment_edit", args=[goal.pk, period]),
                 detail=label, due=due, overdue=due < today)
            for goal in missing[:GOALS_LISTED]]


def _own_enheter(assignments) -> list[OrganisationUnit]:
    return [assignment.unit for assignment in assignments
            if assignment.role.code == ENHETSCHEF and assignment.unit.kind == UnitKind.ENHET]


@register(50, "goals.chef_plans")
def chefs_medarbetarplaner(*, user, today: dt.date, assignments) -> Panel | None:
    """G10, A7: the enhetschef's employees this year: who has no plan yet, whose plan is not
    followed up at the medarbetarsamtal."""
    enheter = _own_enheter(assignments)
    budget_year = budget_year_to_show(prefer="running")
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
    return Panel(key="medarbetarplaner", title=_("Medarbetarplaner"), intro=intro,
                 items=items, empty=_("Alla planer är uppgjorda och uppföljda."),
                 more=(_("Alla medarbetarplaner"), reverse("goals:medarbetarplan_list")))


@register(60, "goals.own_plan")
def own_medarbetarplan(*, user, today: dt.date, assignments) -> Panel | None:
    """G10: the employee's own plan for the year, and whether it is followed up."""
    budget_year = budget_year_to_show(prefer="running")
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
