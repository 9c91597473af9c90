"""Pages of the skattesats (B11): parse, check the permission, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from budget.models import Skattesats
from budget.reserves.views import budget_years, export_stamp, form_page
from budget.taxrate import services as taxrate
from budget.taxrate.forms import TaxDecisionForm, TaxProposalForm
from styrmodell.errors import DomainError
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.models import BudgetYear
from styrmodell.permissions import Action, can, require
from styrmodell.selectors import change_log
from styrmodell.versioning import current_version
from styrmodell.views import show_domain_error


@login_required
def tax_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW, "tax_rate")
    rates = {rate.budget_year_id: rate for rate in Skattesats.objects.all()}
    rows = [(year, rates.get(year.pk)) for year in budget_years()]
    return render(
        request,
        "budget/taxrate/list.html",
        {
            "rows": rows,
            "may_propose": can(request.user, Action.ADD, "tax_rate"),
            "may_decide": can(request.user, Action.APPROVE, "tax_rate"),
        },
    )


@login_required
def tax_detail(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "tax_rate")
    rate = Skattesats.objects.filter(budget_year=budget_year).first()
    return render(
        request,
        "budget/taxrate/detail.html",
        {
            "budget_year": budget_year,
            "rate": rate,
            "may_propose": (rate is None or rate.status != "beslutad")
            and can(request.user, Action.ADD, "tax_rate"),
            "may_decide": can(request.user, Action.APPROVE, "tax_rate"),
            "change_log": change_log(rate) if rate else [],
        },
    )


@login_required
def tax_propose(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.ADD, "tax_rate")
    rate = Skattesats.objects.filter(budget_year=budget_year).first()
    initial = {"version": current_version(rate), "percent": rate.percent} if rate else {}
    form = TaxProposalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            taxrate.propose(
                budget_year=budget_year,
                percent=form.cleaned_data["percent"],
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Förslaget till skattesats är sparat.")
            return redirect("budget:tax_rate", year)
    return form_page(
        request, form, f"Förslag till skattesats {year}", f"/budget/skattesats/{year}/"
    )


@login_required
def tax_decide(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.APPROVE, "tax_rate")
    rate = Skattesats.objects.filter(budget_year=budget_year).first()
    initial = {"decided_on": timezone.localdate()}
    if rate is not None:
        initial = {
            "version": current_version(rate),
            "percent": rate.percent,
            "decided_on": rate.decided_on or timezone.localdate(),
            "paragraph": rate.paragraph,
            "case_number": rate.case_number,
        }
    form = TaxDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            taxrate.decide(
                budget_year=budget_year, **form.changes(), version=form.cleaned_data["version"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "KF:s beslut om skattesats är registrerat.")
            return redirect("budget:tax_rate", year)
    return form_page(
        request, form, f"Registrera KF:s beslut om skattesats {year}", f"/budget/skattesats/{year}/"
    )


@login_required
def tax_excel(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW, "tax_rate")
    rows = [
        (rate.budget_year.year, rate.percent, rate.get_status_display(), rate.decision_reference)
        for rate in Skattesats.objects.select_related("budget_year")
    ]
    return xlsx_response(
        "skattesats",
        [
            Sheet(
                "Skattesats",
                ["År", "Skattesats (kr per 100 kr)", "Status", "Beslut"],
                rows,
                ["Kommunal skattesats per budgetår", export_stamp()],
            )
        ],
    )
