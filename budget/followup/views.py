"""Pages of the economic follow-up: the municipality's overview, one nämnd's year with its
chart and forecasts, writing a forecast, and the Excel exports of these and the frame pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.followup import exports as followup_exports
from budget.followup import forecasts
from budget.followup import selectors as followup
from budget.followup.chart import outcome_chart
from budget.followup.forms import ForecastForm
from budget.frames import selectors
from budget.models import Prognos, Verksamhet
from styrmodell.errors import DomainError
from styrmodell.excel import xlsx_response
from styrmodell.models import (
    FOLLOW_UP_ORDER,
    NAMND_LIKE_KINDS,
    BudgetYear,
    BudgetYearStatus,
    FollowUpPeriod,
    OrganisationUnit,
)
from styrmodell.permissions import Action, can, require
from styrmodell.selectors import budget_year_to_show, budget_years
from styrmodell.versioning import current_version
from styrmodell.views import dialogue_context, no_budget_year, show_domain_error


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    budget_year = budget_year_to_show(prefer="running")
    if budget_year is None:
        return no_budget_year(request, title=_("Ekonomisk uppföljning"))
    return redirect("budget:followup", budget_year.year)


@login_required
def overview(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "forecast")
    data = followup.municipality_followup(budget_year=budget_year)
    if _wants_xlsx(request):
        return xlsx_response(f"uppfoljning-{year}", followup_exports.overview_sheets(data))
    return render(request, "budget/followup/overview.html", {
        "budget_year": budget_year, "overview": data,
        "years": budget_years(),
    })


def _namnd_or_404(namnd_id: int) -> OrganisationUnit:
    return get_object_or_404(OrganisationUnit, pk=namnd_id, kind__in=NAMND_LIKE_KINDS)


def _default_period(data: followup.NamndFollowUp) -> str:
    """The period to show in the form: the latest forecast's, or the latest follow-up the
    imported outcome has reached."""
    if data.latest is not None:
        return data.latest.forecast.period
    reached = [p for p in FOLLOW_UP_ORDER if data.last_month and
               FollowUpPeriod(p).last_month <= data.last_month]
    return reached[-1] if reached else FOLLOW_UP_ORDER[0]


def _render_namnd(request: HttpRequest, data: followup.NamndFollowUp, period: str,
                  form: ForecastForm | None = None) -> HttpResponse:
    namnd, budget_year = data.namnd, data.budget_year
    selected = data.forecast_for(period)
    action = Action.CHANGE if selected else Action.ADD
    may_write = (budget_year.status != BudgetYearStatus.CLOSED
                 and can(request.user, action, "forecast", namnd))
    if may_write and form is None:
        verksamheter = [row.verksamhet for row in data.verksamheter]
        version = current_version(selected) if selected else ""
        form = ForecastForm(initial=ForecastForm.initial_for(selected, version),
                            verksamheter=verksamheter)
    return render(request, "budget/followup/namnd.html", {
        "budget_year": budget_year, "namnd": namnd, "data": data,
        "chart": mark_safe(outcome_chart(data)),  # noqa: S308 - built from escaped parts
        "periods": [(p, FollowUpPeriod(p).label, data.forecast_for(p)) for p in FOLLOW_UP_ORDER],
        "period": period, "period_label": FollowUpPeriod(period).label, "selected": selected,
        "form": form if may_write else None, "closed": budget_year.status ==
        BudgetYearStatus.CLOSED,
        **(dialogue_context(request, selected) if selected else {}),
    })


@login_required
def namnd_page(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = _namnd_or_404(namnd_id)
    require(request.user, Action.VIEW, "forecast", namnd)
    data = followup.namnd_followup(namnd=namnd, budget_year=budget_year)
    if _wants_xlsx(request):
        return xlsx_response(f"uppfoljning-{year}-{namnd.short_name or namnd.pk}",
                             followup_exports.namnd_sheets(data))
    period = request.GET.get("period")
    if period not in FollowUpPeriod.values:
        period = _default_period(data)
    return _render_namnd(request, data, period)


@login_required
@require_POST
def forecast_save(request: HttpRequest, year: int, namnd_id: int, period: str) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = _namnd_or_404(namnd_id)
    if period not in FollowUpPeriod.values:
        raise Http404
    exists = Prognos.objects.filter(namnd=namnd, budget_year=budget_year, period=period).exists()
    require(request.user, Action.CHANGE if exists else Action.ADD, "forecast", namnd)
    form = ForecastForm(request.POST, verksamheter=list(Verksamhet.objects.filter(namnd=namnd)))
    if form.is_valid():
        try:
            forecasts.save_forecast(
                namnd=namnd, budget_year=budget_year, period=period, author=request.user,
                version=form.cleaned_data["version"], total=form.cleaned_data["total"],
                lines=form.lines(), comment=form.cleaned_data["comment"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Prognosen för {FollowUpPeriod(period).label.lower()} "
                                      "är sparad.")
            return redirect(reverse("budget:followup_namnd", args=[year, namnd.pk])
                            + f"?period={period}")
    data = followup.namnd_followup(namnd=namnd, budget_year=budget_year)
    return _render_namnd(request, data, period, form)


@login_required
def frame_overview_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "frame")
    rows, totals = selectors.frame_overview(budget_year=budget_year)
    return xlsx_response(f"ramar-{year}",
                         followup_exports.frame_overview_sheets(budget_year, rows, totals))


@login_required
def frame_detail_xlsx(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = _namnd_or_404(namnd_id)
    require(request.user, Action.VIEW, "frame", namnd)
    frames = selectors.frames_of(namnd=namnd, budget_year=budget_year)
    return xlsx_response(f"ram-{year}-{namnd.short_name or namnd.pk}",
                         followup_exports.frame_detail_sheets(budget_year, namnd, frames))
