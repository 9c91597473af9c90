"""When a deviation case opens (D1, D7, D8), and who is told.

The limits are compared exactly in Decimal: a deficit of exactly 1.0 % of the frame is not a
väsentligt underskott, 1.01 % is (D1); a project of exactly 5.0 mnkr, or an overrun of exactly
10 %, is not reported to KF (D8).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction

from budget.followup.forecasts import ForecastVariance
from budget.followup.selectors import municipality_followup
from budget.investments.services import ExpectedOverrun, projects_with_expected_overrun
from budget.models import Investeringsprojekt, ProjectStatus
from styrmodell import formatting
from styrmodell.models import (
    BudgetYear,
    BudgetYearStatus,
    OrganisationUnit,
    RoleAssignment,
    Scope,
    UnitKind,
    User,
)
from styrmodell.notifications import notify_once
from styrmodell.roles import (
    EKONOMICHEF,
    FORVALTNINGSCHEF,
    KOMMUNDIREKTOR,
    KOMMUNSEKRETERARE,
    NAMNDORDFORANDE,
)
from styrmodell.services import next_meeting

from .models import Avvikelse, CaseKind, CaseStatus

KF_PROJECT_LIMIT = Decimal("5000000")
KF_OVERRUN_LIMIT_PERCENT = Decimal("10")
HUNDRED = Decimal("100")


def must_report_to_kf(*, budget: Decimal, forecast: Decimal) -> bool:
    """D8: a project over 5.0 mnkr expected to exceed its budget by more than 10 %."""
    if budget <= KF_PROJECT_LIMIT:
        return False
    return (forecast - budget) * HUNDRED > KF_OVERRUN_LIMIT_PERCENT * budget


def holders(*, roles: set[str], namnd: OrganisationUnit, today: dt.date) -> list[User]:
    """People holding one of these roles for this nämnd: a nämnd-scoped role only within the
    nämnd itself (KF's ordförande is not Socialnämndens), a municipality-wide role everywhere."""
    assignments = (RoleAssignment.objects.active_on(today)
                   .filter(role__code__in=roles, user__is_active=True)
                   .select_related("user", "role", "unit"))
    people: dict[int, User] = {}
    for assignment in assignments:
        if assignment.role.scope == Scope.KOMMUN or _nearest_namnd(assignment) == namnd:
            people[assignment.user_id] = assignment.user
    return list(people.values())


def _nearest_namnd(assignment: RoleAssignment) -> OrganisationUnit | None:
    return assignment.unit.nearest_namnd() or assignment.unit


def tell(*, case: Avvikelse, roles: set[str], key: str, subject: str, body: str,
         today: dt.date) -> int:
    """Notify the role holders of the case's nämnd, once per person and key."""
    return sum(notify_once(recipient=person, key=f"avvikelse:{case.pk}:{key}", subject=subject,
                           body=body, url=case.get_absolute_url())
               for person in holders(roles=roles, namnd=case.namnd, today=today))


# Told when a deficit case opens, beside the official who must present measures (D2).
CONCERNED_BY_DEFICIT = {NAMNDORDFORANDE, EKONOMICHEF}


def measures_role(namnd: OrganisationUnit) -> str:
    """D2: who must promptly present measures. A nämnd's förvaltningschef; KS has none (its
    förvaltning, the kommunledningsförvaltning, is led by the kommundirektör), so for KS the
    kommundirektör is told at once and is the one chased."""
    return KOMMUNDIREKTOR if namnd.kind == UnitKind.KS else FORVALTNINGSCHEF


def measures_duty(namnd: OrganisationUnit) -> str:
    if namnd.kind == UnitKind.KS:
        return "Kommundirektören ska skyndsamt redovisa åtgärder"
    return "Förvaltningschefen ska skyndsamt redovisa åtgärder"


def open_deficit_case(*, variance: ForecastVariance, today: dt.date) -> Avvikelse | None:
    """D1: open a case when the forecast's variance is a väsentligt underskott (budget judges
    that, `ForecastVariance.is_significant_deficit`) — once: while the nämnd has an open
    deficit case for the year, a new or re-saved forecast opens no second one."""
    if not variance.is_significant_deficit:
        return None
    namnd, budget_year = variance.namnd, variance.budget_year
    if Avvikelse.objects.filter(kind=CaseKind.DEFICIT, namnd=namnd, budget_year=budget_year,
                                status=CaseStatus.OPEN).exists():
        return None
    case = _create_once(
        kind=CaseKind.DEFICIT, namnd=namnd, budget_year=budget_year, period=variance.period,
        opened_on=today, budget_amount=variance.frame, forecast_amount=variance.forecast,
        measures_due=today + dt.timedelta(days=settings.DEVIATION_MEASURE_DAYS),
        ksau_due=today + dt.timedelta(days=settings.DEVIATION_KSAU_DAYS),
        **meetings_for_decision(namnd=namnd, opened_on=today),
    )
    if case is not None:
        tell(case=case, roles={measures_role(namnd), *CONCERNED_BY_DEFICIT}, key="oppnat",
             subject=f"Väsentligt underskott: {namnd} {budget_year}",
             body=(f"Prognosen visar ett underskott på "
                   f"{formatting.percent(-case.variance.percent)} av ramen. "
                   f"{measures_duty(namnd)} som leder till ett "
                   "nollresultat, nämnden besluta om åtgärder senast vid nästa sammanträde "
                   "och ordföranden informera KSAU."),
             today=today)
    return case


def meetings_for_decision(*, namnd: OrganisationUnit, opened_on: dt.date) -> dict:
    """D3 from the meeting calendar: the forecast is presented at the nämnd's first meeting
    on or after the day the case opened, and the nämnd decides on measures at the latest at
    its next meeting after that. Either is None while the calendar has no such meeting."""
    presented = next_meeting(body=namnd, after=opened_on - dt.timedelta(days=1))
    decision = next_meeting(body=namnd, after=presented.date) if presented else None
    return {"presented_meeting": presented, "decision_meeting": decision}


def _create_once(**fields) -> Avvikelse | None:
    """Create the case unless a concurrent save just did (the open-case constraints)."""
    try:
        with transaction.atomic():
            return Avvikelse.objects.create(**fields)
    except IntegrityError:
        return None


CONCERNED_BY_OVERRUN = {FORVALTNINGSCHEF, NAMNDORDFORANDE, EKONOMICHEF}


def open_investment_case(*, overrun: ExpectedOverrun, today: dt.date) -> Avvikelse | None:
    """D7: a project expected to exceed its budget gets a case, reported to the nämnd and
    KSAU; D8: over 5.0 mnkr and more than 10 % over, it must also be reported back to KF.

    A project has one open case; when a later
    forecast pushes it over the D8 limits, the open case is marked for KF instead.
    """
    if not overrun.is_overrun:
        return None
    project = overrun.project
    to_kf = must_report_to_kf(budget=overrun.total_budget, forecast=overrun.forecast)
    open_case = Avvikelse.objects.filter(kind=CaseKind.INVESTMENT, project=project,
                                         status=CaseStatus.OPEN).first()
    if open_case is not None:
        if to_kf and not open_case.report_to_kf:
            open_case.report_to_kf = True
            open_case.save(update_fields=["report_to_kf"])
            _tell_kf_report(open_case, today)
        return None
    budget_year = (BudgetYear.objects.filter(year=today.year).first()
                   or BudgetYear.objects.order_by("-year").first())
    case = _create_once(
        kind=CaseKind.INVESTMENT, namnd=project.namnd, budget_year=budget_year,
        period=overrun.forecast_period, opened_on=today, project=project,
        budget_amount=overrun.total_budget, forecast_amount=overrun.forecast,
        report_to_kf=to_kf, ksau_due=today + dt.timedelta(days=settings.DEVIATION_KSAU_DAYS),
    )
    if case is not None:
        tell(case=case, roles=CONCERNED_BY_OVERRUN, key="oppnat",
             subject=f"Avvikelse i investeringsbudgeten: {project.name}",
             body=(f"Prognosen för slutkostnaden överskrider budgeten med "
                   f"{formatting.percent(-case.variance.percent)}. "
                   "Nämnden och KSAU ska informeras."),
             today=today)
        if to_kf:
            _tell_kf_report(case, today)
    return case


def _tell_kf_report(case: Avvikelse, today: dt.date) -> None:
    tell(case=case, roles={KOMMUNSEKRETERARE, EKONOMICHEF}, key="kf",
         subject=f"Ska återrapporteras till KF: {case.project_label}",
         body="Projektet är över 5,0 mnkr och väntas överskrida budgeten med mer än 10 %.",
         today=today)


def scan_investments(today: dt.date) -> int:
    """Open the cases every project's latest final-cost forecast calls for; idempotent."""
    running = Investeringsprojekt.objects.exclude(
        status__in=[ProjectStatus.PROPOSAL, ProjectStatus.CLOSED])
    return sum(open_investment_case(overrun=overrun, today=today) is not None
               for overrun in projects_with_expected_overrun(projects=running))


def scan_forecasts(today: dt.date) -> int:
    """Open the cases the running years' latest forecasts call for (D1); idempotent. Catches a
    forecast that reached the database without the save signal (an import, the admin)."""
    opened = 0
    for budget_year in BudgetYear.objects.filter(status=BudgetYearStatus.RUNNING):
        for row in municipality_followup(budget_year=budget_year).rows:
            if row.variance is None:
                continue
            opened += open_deficit_case(variance=row.variance, today=today) is not None
    return opened
