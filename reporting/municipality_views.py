"""Pages where the finance office enters the municipality's own part of a report: a financial
goal's outcome and assessment (G3, A3, A4) and, for the årsredovisning, a company's or
foundation's year-end figures (F1). Reached from the report's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from goals.models import DecisionStatus, FinansielltMal, ReportPeriod
from styrmodell.errors import DomainError
from styrmodell.formatting import quantity
from styrmodell.permissions import Action, require
from styrmodell.versioning import current_version
from styrmodell.views import show_domain_error

from . import municipality
from .municipality_forms import CompanyFiguresForm, FinancialOutcomeForm
from .reports_views import _period


@login_required
def financial_outcome_edit(request: HttpRequest, year: int, code: str,
                           goal_id: int) -> HttpResponse:
    period = _period(year, code)
    goal = get_object_or_404(FinansielltMal.objects.select_related("unit", "budget_year")
                             .exclude(status=DecisionStatus.DRAFT),
                             pk=goal_id, budget_year=period.budget_year)
    require(request.user, Action.CHANGE, "financial_outcome", goal.unit)
    if not period.period:
        raise Http404("En extra uppföljning har inga egna utfall för de finansiella målen.")
    notice = "" if municipality.may_enter_outcomes(period) else _(municipality.OUTCOMES_LOCKED)
    existing = goal.outcomes.filter(period=period.period).first()
    suggestion = municipality.suggested_outcome(goal, period.period)
    initial = {"version": current_version(existing) if existing else ""}
    if existing:
        initial.update(value=existing.value, level=existing.level, forecast=existing.forecast,
                       comment=existing.comment)
    elif suggestion:
        initial["value"] = suggestion.value
    form = FinancialOutcomeForm(request.POST or None, initial=initial, unit=goal.target_unit,
                                annual=period.is_annual,
                                with_forecast=period.period == ReportPeriod.AUGUST)
    if request.method == "POST" and not notice and form.is_valid():
        try:
            municipality.record_financial_outcome(period=period, goal=goal, author=request.user,
                                                  version=form.cleaned_data["version"],
                                                  **form.answers())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Utfallet och bedömningen är sparade."))
            return redirect(f"{period.get_absolute_url()}#finansiella-mal")
    return render(request, "reporting/financial_outcome_form.html", {
        "period": period, "goal": goal, "form": form, "notice": notice,
        "target_text": quantity(goal.target_value, goal.target_unit),
        "suggestion": suggestion, "existing": existing,
    })


@login_required
def company_figures_edit(request: HttpRequest, year: int, code: str,
                         unit_id: int) -> HttpResponse:
    period = _period(year, code)
    unit = municipality.company_or_none(unit_id)
    if unit is None or not period.is_annual:
        raise Http404("Bolagens och stiftelsernas uppgifter hör till årsredovisningen.")
    require(request.user, Action.CHANGE, "company_accounts", unit)
    notice = "" if municipality.may_enter_companies(period) else _(municipality.COMPANIES_LOCKED)
    existing = unit.year_end_figures.filter(budget_year=period.budget_year).first()
    initial = {"version": current_version(existing) if existing else "",
               "ownership_share": unit.ownership_share}
    if existing:
        initial.update({name: getattr(existing, name) for name in (
            "turnover", "result_after_financial_items", "equity", "balance_sheet_total")})
        initial.update(ownership_share=existing.ownership_share, comment=existing.comment)
    form = CompanyFiguresForm(request.POST or None, initial=initial)
    if request.method == "POST" and not notice and form.is_valid():
        try:
            municipality.save_company_figures(period=period, unit=unit, entered_by=request.user,
                                              version=form.cleaned_data["version"],
                                              **form.figures())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Uppgifterna för %(unit)s är sparade.") % {"unit": unit})
            return redirect(f"{period.get_absolute_url()}#bolag")
    return render(request, "reporting/company_figures_form.html", {
        "period": period, "unit": unit, "form": form, "notice": notice, "existing": existing,
    })
