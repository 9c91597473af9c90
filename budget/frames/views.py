"""Pages of budget frames: the overview per year and one nämnd's build-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.cycle import views as cycle_views
from budget.frames import selectors
from budget.frames import services as frames
from budget.models import Driftbudgetram, FrameStage
from styrmodell.errors import DomainError
from styrmodell.lookups import namnd_or_404
from styrmodell.models import BudgetYear
from styrmodell.permissions import Action, can, require
from styrmodell.selectors import budget_year_to_show, budget_years
from styrmodell.views import no_budget_year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    budget_year = budget_year_to_show(prefer="planning")
    if budget_year is None:
        return no_budget_year(request, title=_("Driftbudgetramar"))
    return redirect("budget:frames", budget_year.year)


@login_required
def frame_overview(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "frame")
    rows, totals = selectors.frame_overview(budget_year=budget_year)
    return render(request, "budget/frames/overview.html", {
        "budget_year": budget_year, "rows": rows, "totals": totals,
        "plan_totals": selectors.plan_totals(rows),
        "stages": FrameStage.choices, "years": budget_years(),
        "may_recompute": can(request.user, Action.CHANGE, "budget_assumption"),
        "awaiting_decision": any(FrameStage.PROPOSAL in row.by_stage
                                 and FrameStage.DECIDED not in row.by_stage for row in rows),
        "may_decide_budget": can(request.user, Action.APPROVE, "frame"),
    })


@login_required
def frame_detail(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = namnd_or_404(namnd_id)
    require(request.user, Action.VIEW, "frame", namnd)
    frames_by_stage = selectors.frames_of(namnd=namnd, budget_year=budget_year)
    return render(request, "budget/frames/detail.html", {
        "budget_year": budget_year, "namnd": namnd,
        "frames": frames_by_stage,
        **cycle_views.frame_cycle_context(request, namnd, budget_year, frames_by_stage),
        "may_propose": can(request.user, Action.ADD, "frame", namnd),
        "may_decide": can(request.user, Action.APPROVE, "frame", namnd),
        "decided": any(frame.stage == FrameStage.DECIDED for frame in frames_by_stage),
        "shortfalls": frames.population_true_up(namnd=namnd, year=year - 1),
        "plan_years": selectors.plan_years_of(namnd=namnd, budget_year=budget_year,
                                              frames_by_stage=frames_by_stage),
    })


@login_required
@require_POST
def recompute(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.CHANGE, "budget_assumption")
    try:
        computed = frames.recompute_all(budget_year=budget_year, by=request.user,
                                        reason="Omräkning från ramöversikten")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(computed)} preliminära ramar är omräknade med de "
                                  "senaste indexen och befolkningsprognoserna.")
    return redirect("budget:frames", year)


STAGE_ACTIONS = {FrameStage.PRELIMINARY: Action.ADD, FrameStage.PROPOSAL: Action.APPROVE}


@login_required
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    frame = get_object_or_404(Driftbudgetram.objects.select_related("namnd", "budget_year"),
                              pk=pk)
    action = STAGE_ACTIONS.get(frame.stage)
    if action is None:
        messages.error(request, "Ramen är redan beslutad av KF.")
        return redirect(frame)
    require(request.user, action, "frame", frame.namnd)
    try:
        if frame.stage == FrameStage.PROPOSAL:
            messages.success(request, frames.decide_frame(frame=frame).message)
        else:
            new = frames.advance_frame(frame=frame)
            messages.success(request, f"{new.get_stage_display()} är registrerad.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(frame)


@login_required
@require_POST
def decide_budget(request: HttpRequest, year: int) -> HttpResponse:
    """B1, B2, B4: the kommunsekreterare records KF's decision on the whole budget at once."""
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.APPROVE, "frame")
    try:
        decisions = frames.decide_year(budget_year=budget_year)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        for decision in decisions:
            messages.success(request, decision.message)
    return redirect("budget:frames", year)
