"""Pages of investments (B8, B9): the year's projects, one project, and the forms of the finance
office (proposals, follow-up), the förvaltningschef (follow-up) and the kommunsekreterare
(KF's decision and ombudgetering)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.investments import exports
from budget.investments import services as investments
from budget.investments.filters import ProjectFilter
from budget.investments.forms import (
    AppropriationForm,
    DecisionForm,
    FollowUpForm,
    OmbudgeteringForm,
    ProjectEditForm,
    ProjectForm,
)
from budget.models import Anslag, Investeringsprojekt, Investeringsutfall, Slutkostnadsprognos
from styrmodell import formatting
from styrmodell import selectors as core_selectors
from styrmodell.errors import DomainError
from styrmodell.excel import xlsx_response
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, OrganisationUnit
from styrmodell.paging import page_of, query_without_page
from styrmodell.permissions import Action, can, may_somewhere, require, require_somewhere
from styrmodell.versioning import current_version
from styrmodell.views import no_budget_year, show_domain_error


def _filtered(request: HttpRequest) -> ProjectFilter:
    return ProjectFilter(request.GET, queryset=Investeringsprojekt.objects.all())


@login_required
def investment_index(request: HttpRequest) -> HttpResponse:
    budget_year = core_selectors.budget_year_to_show(prefer="running")
    if budget_year is None:
        return no_budget_year(request, title=_("Investeringar"))
    return redirect("budget:investments", budget_year.year)


@login_required
def investment_overview(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "investment")
    filters = _filtered(request)
    overview = investments.year_overview(user=request.user, year=year, projects=filters.qs)
    page = page_of(request, overview.rows)
    return render(request, "budget/investments/overview.html", {
        "budget_year": budget_year, "overview": overview, "filters": filters,
        "namnd": filters.form.cleaned_data.get("namnd"),
        "page": page, "query": query_without_page(request),
        "exploitation": investments.exploitation_rows(page.object_list),
        "years": core_selectors.budget_years(),
        "may_add": may_somewhere(request.user, "investment_proposal", Action.ADD),
        "rate": investments.rate_for(year, overview.rates).normalize(),
        "threshold": investments.larger_project_threshold(),
    })


@login_required
def investment_export(request: HttpRequest, year: int) -> HttpResponse:
    get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "investment")
    filters = _filtered(request)
    overview = investments.year_overview(user=request.user, year=year, projects=filters.qs)
    namnd = filters.form.cleaned_data.get("namnd")
    sheets = exports.overview_sheets(overview, scope=f"Nämnd: {namnd}" if namnd
                                     else "Alla nämnder")
    return xlsx_response(f"investeringar-{year}", sheets)


@login_required
def investment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(investments.with_follow_up(Investeringsprojekt.objects), pk=pk)
    require(request.user, Action.VIEW, "investment", project.namnd)
    rates = investments.all_rates()
    user = request.user
    return render(request, "budget/investments/detail.html", {
        "project": project,
        "years": (None if project.is_exploitation
                  else investments.project_years(project, rates)),
        "overrun": investments.expected_overrun(project),
        "spent_to_date": investments.spent_to_date(project),
        "appropriated": sum((a.amount for a in project.appropriations.all()), investments.ZERO),
        "forecasts": [(forecast, forecast.amount - project.total_budget) for forecast in
                      sorted(project.forecasts.all(), key=lambda f: f.sort_key, reverse=True)],
        "lifetime": (investments.exploitation_lifetime(project) if project.is_exploitation
                     else None),
        "lifetime_totals": (investments.exploitation_totals(project) if project.is_exploitation
                            else None),
        "ombudgeteringar": project.ombudgeteringar.select_related(
            "recorded_by", "annual_report__budget_year"),
        "appropriation_log": investments.appropriation_log(project),
        "change_log": core_selectors.change_log(project),
        "may_propose": can(user, Action.CHANGE, "investment_proposal", project.namnd),
        "may_decide": can(user, Action.APPROVE, "investment", project.namnd),
        "may_move": can(user, Action.CHANGE, "investment", project.namnd),
        "may_follow_up": can(user, Action.CHANGE, "investment_followup", project.namnd),
        "move_form": OmbudgeteringForm(initial=_move_initial(project)),
        "threshold": investments.larger_project_threshold(),
    })


def _move_initial(project: Investeringsprojekt) -> dict:
    last_closed = timezone.localdate().year - 1
    latest = investments.annual_report_decisions().first()
    return {"from_year": last_closed, "to_year": last_closed + 1,
            "annual_report": latest.pk if latest else None}


def _namnder_for(user, action: Action):
    namnder = OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS).order_by("path")
    return namnder.filter(pk__in=[unit.pk for unit in namnder
                                  if can(user, action, "investment_proposal", unit)])


def _form_page(request, form, title, back_url, intro=""):
    return render(request, "budget/investments/form.html", {
        "form": form, "title": title, "back_url": back_url, "intro": intro})


@login_required
def investment_create(request: HttpRequest) -> HttpResponse:
    require_somewhere(request.user, Action.ADD, "investment_proposal")
    form = ProjectForm(request.POST or None, namnder=_namnder_for(request.user, Action.ADD),
                       initial={"start_year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.ADD, "investment_proposal", form.cleaned_data["namnd"])
        try:
            project = investments.create_project(**form.changes())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Projektförslaget ”{project}” är sparat. Lägg in "
                                      "anslagen per år.")
            return redirect(project)
    return _form_page(request, form, "Nytt investeringsprojekt",
                      reverse("budget:investment_index"),
                      "Ekonomiavdelningen bereder projektet; KF beslutar om totalbudget och "
                      "anslag per år.")


@login_required
def investment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Investeringsprojekt.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "investment_proposal", project.namnd)
    fields = [name for name in ProjectEditForm.base_fields if name != "version"]
    initial = {"version": current_version(project),
               **{name: getattr(project, name) for name in fields}}
    form = ProjectEditForm(request.POST or None, initial=initial,
                           namnder=_namnder_for(request.user, Action.CHANGE))
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.CHANGE, "investment_proposal", form.cleaned_data["namnd"])
        try:
            investments.update_project(project=project, version=form.cleaned_data["version"],
                                       **form.changes())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect(project)
    return _form_page(request, form, f"Ändra {project}", project.get_absolute_url())


@login_required
def appropriation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Investeringsprojekt.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "investment_proposal", project.namnd)
    year = request.POST.get("year") or request.GET.get("ar") or str(project.start_year)
    existing = (Anslag.objects.filter(project=project, year=year).first()
                if year.isdigit() else None)
    initial = {"year": year, "version": current_version(existing) if existing else "0",
               "amount": existing.amount if existing else None,
               "income": existing.income if existing else None}
    form = AppropriationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            investments.propose_appropriation(
                project=project, year=data["year"], amount=data["amount"],
                income=data["income"] or investments.ZERO, version=data["version"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Förslaget till anslag för {data['year']} är sparat.")
            return redirect(project)
    return _form_page(request, form, f"Anslag per år: {project}", project.get_absolute_url(),
                      "Förslag till KF. Ett anslag som KF har beslutat ändras bara genom "
                      "ombudgetering (B9).")


@login_required
def decision_record(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Investeringsprojekt.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.APPROVE, "investment", project.namnd)
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decided = investments.record_decision(project=project, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"KF:s beslut om {len(decided)} anslag är registrerat.")
            return redirect(project)
    return _form_page(request, form, f"Registrera KF:s beslut: {project}",
                      project.get_absolute_url(),
                      "Alla föreslagna anslag i projektet blir beslutade med detta datum och "
                      "denna paragraf.")


@login_required
def ombudgetering_record(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Investeringsprojekt.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "investment", project.namnd)
    form = OmbudgeteringForm(request.POST or None, initial=_move_initial(project))
    if request.method == "POST" and form.is_valid():
        try:
            moved = investments.ombudgetera(project=project, recorded_by=request.user,
                                            **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Ombudgeteringen från {moved.from_year} till "
                                      f"{moved.to_year} är registrerad.")
            return redirect(project)
    return _form_page(request, form, f"Ombudgetering: {project}", project.get_absolute_url(),
                      "KF beslutar om ombudgetering mellan år i samband med behandlingen av "
                      "årsredovisningen, och med ett särskilt skäl. Reinvesteringsanslag "
                      "ombudgeteras aldrig.")


@login_required
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Investeringsprojekt.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "investment_followup", project.namnd)
    source = request.POST if request.method == "POST" else request.GET
    year = source.get("year") or str(timezone.localdate().year)
    period = source.get("period") or investments.default_period()
    outcome = forecast = None
    if year.isdigit():
        outcome = Investeringsutfall.objects.filter(project=project, year=year).first()
        forecast = Slutkostnadsprognos.objects.filter(project=project, year=year,
                                                      period=period).first()
    latest = investments.latest_forecast(project)
    initial = {
        "year": year, "period": period,
        "version": current_version(outcome) if outcome else "0",
        "forecast_version": current_version(forecast) if forecast else "0",
        "spent": outcome.amount if outcome else None,
        "received": outcome.income if outcome else None,
        "forecast": (forecast or latest).amount if (forecast or latest) else None,
        "comment": forecast.comment if forecast else "",
    }
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        try:
            investments.record_follow_up(
                project=project, year=data["year"], period=data["period"], spent=data["spent"],
                received=data["received"] or investments.ZERO, forecast=data["forecast"],
                comment=data["comment"], spent_version=form.cleaned_data["version"],
                forecast_version=data["forecast_version"], made_by=request.user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Utfall och prognos för slutkostnaden är sparade.")
            return redirect(project)
    return _form_page(request, form, f"Utfall och prognos: {project}",
                      project.get_absolute_url(),
                      f"Totalbudget {formatting.kronor(project.total_budget)}. Investeringar "
                      "följs upp i april, augusti och oktober.")
