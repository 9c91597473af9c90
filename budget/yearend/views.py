"""Pages of the bokslut (F4) and the account of earmarked allocations (B3): parse, check the
permission, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import (
    DispositionStatus,
    EarmarkAccounting,
    FrameStage,
    Ramrad,
    Resultatdisposition,
)
from budget.reserves.pot import ZERO
from budget.reserves.views import (
    budget_years,
    export_stamp,
    form_page,
    kronor_text,
)
from budget.yearend import services as yearend
from budget.yearend.forms import (
    DispositionDecisionForm,
    DispositionForm,
    EarmarkAccountingForm,
    earmark_prefix,
)
from styrmodell.errors import DomainError
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, BudgetYearStatus, OrganisationUnit
from styrmodell.permissions import Action, can, require
from styrmodell.selectors import budget_year_to_show
from styrmodell.versioning import current_version
from styrmodell.views import no_budget_year, show_domain_error


@login_required
def yearend_page(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "year_end")
    marks = yearend.earmarks(budget_year=budget_year)
    results = yearend.results(budget_year=budget_year, marks=marks)
    return render(
        request,
        "budget/yearend/overview.html",
        {
            "budget_year": budget_year,
            "results": results,
            "years": budget_years(),
            "earmarks": _earmark_rows(request.user, marks, results, budget_year),
            "has_outcomes": yearend.has_outcomes(budget_year=budget_year),
            "closed": budget_year.status == BudgetYearStatus.CLOSED,
            "may_propose": can(request.user, Action.ADD, "year_end_proposal"),
            "may_decide": can(request.user, Action.APPROVE, "year_end"),
            "totals": {
                "frame": sum((r.frame for r in results), ZERO),
                "outcome": sum((r.outcome for r in results), ZERO),
                "result": sum((r.result for r in results), ZERO),
            },
        },
    )


def _earmark_rows(user, marks, results, budget_year) -> list[tuple]:
    """B3: a form for each earmark the user may account for (their own nämnd's, or every
    nämnd's for the finance office), while KF has not decided on the nämnd's result."""
    locked = {
        result.namnd.pk
        for result in results
        if result.disposition and result.disposition.status != DispositionStatus.PROPOSED
    }
    may: dict[int, bool] = {}
    rows = []
    versions: dict[int, str] | None = None
    for mark in marks:
        namnd = mark.namnd
        if namnd.pk not in may:
            may[namnd.pk] = (
                budget_year.status == BudgetYearStatus.CLOSED
                and namnd.pk not in locked
                and can(user, Action.CHANGE, "earmark_accounting", namnd)
            )
        form = None
        if may[namnd.pk]:
            if versions is None:
                versions = yearend.earmark_versions(marks)
            form = EarmarkAccountingForm(
                prefix=earmark_prefix(mark.line.pk),
                initial=_earmark_initial(mark.accounting, versions[mark.line.pk]),
            )
        rows.append((mark, form))
    return rows


def _earmark_initial(accounting, version: str | None = None) -> dict:
    if accounting is None:
        return {"version": "0"}
    return {
        "version": version or current_version(accounting),
        "used_amount": accounting.used_amount,
        "used_for": accounting.used_for,
    }


@login_required
def yearend_earmark(request: HttpRequest, year: int, line_id: int) -> HttpResponse:
    line = get_object_or_404(
        Ramrad.objects.select_related("frame__namnd"),
        pk=line_id,
        earmarked=True,
        frame__budget_year__year=year,
        frame__stage=FrameStage.DECIDED,
    )
    namnd = line.frame.namnd
    require(request.user, Action.CHANGE, "earmark_accounting", namnd)
    accounting = EarmarkAccounting.objects.filter(line=line).first()
    form = EarmarkAccountingForm(
        request.POST or None, prefix=earmark_prefix(line.pk), initial=_earmark_initial(accounting)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            yearend.account_for_earmark(
                line=line,
                used_amount=data["used_amount"],
                used_for=data["used_for"],
                written_by=request.user,
                version=data["version"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Redovisningen av ”{line.label}” är sparad.")
            return redirect("budget:yearend", year)
    return form_page(
        request,
        form,
        f"Redovisa specificerat budgettillskott {year}: {namnd}",
        f"/budget/bokslut/{year}/",
        f"”{line.label}”, {kronor_text(line.amount)}. Det som inte använts är "
        "inte fria medel och förs inte över med ett överskott.",
    )


@login_required
def yearend_propose(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = get_object_or_404(OrganisationUnit, pk=namnd_id, kind__in=NAMND_LIKE_KINDS)
    require(request.user, Action.ADD, "year_end_proposal", namnd)
    existing = Resultatdisposition.objects.filter(budget_year=budget_year, namnd=namnd).first()
    if existing is not None and existing.status != DispositionStatus.PROPOSED:
        raise PermissionDenied("KF har redan beslutat om nämndens resultat.")
    lead = ""
    try:
        result = yearend.result_of(namnd=namnd, budget_year=budget_year)
    except DomainError as error:
        lead = error.message
    else:
        kind = "överskott" if result.result >= 0 else "underskott"
        lead = (
            f"Ram {kronor_text(result.frame)}, utfall {kronor_text(result.outcome)}: {kind} "
            f"{kronor_text(abs(result.result))}."
        )
    initial = {}
    if existing is not None:
        initial = {
            "version": current_version(existing),
            "kind": existing.kind,
            "amount": existing.amount,
            "goals_fulfilled": existing.goals_fulfilled,
            "motivation": existing.motivation,
        }
    form = DispositionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            yearend.propose(
                budget_year=budget_year,
                namnd=namnd,
                proposed_by=request.user,
                version=form.cleaned_data["version"],
                **form.changes(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Förslaget är sparat och väntar på KF:s beslut.")
            return redirect("budget:yearend", year)
    return form_page(
        request, form, f"Förslag om resultatet {year}: {namnd}", f"/budget/bokslut/{year}/", lead
    )


@login_required
def yearend_decide(request: HttpRequest, pk: int) -> HttpResponse:
    disposition = get_object_or_404(
        Resultatdisposition.objects.select_related("namnd", "budget_year"), pk=pk
    )
    require(request.user, Action.APPROVE, "year_end", disposition.namnd)
    year = disposition.budget_year.year
    if disposition.status != DispositionStatus.PROPOSED:
        messages.error(request, "KF har redan beslutat om nämndens resultat.")
        return redirect("budget:yearend", year)
    form = DispositionDecisionForm(
        request.POST or None,
        initial={"decided_on": timezone.localdate(), "decided_amount": disposition.amount},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            yearend.decide(
                disposition=disposition,
                approve=data["outcome"] == "bifall",
                decided_amount=data["decided_amount"],
                decided_on=data["decided_on"],
                paragraph=data["paragraph"],
                case_number=data["case_number"],
                recorder=request.user,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "KF:s beslut om resultatet är registrerat.")
            return redirect("budget:yearend", year)
    return form_page(
        request,
        form,
        f"Registrera KF:s beslut: {disposition}",
        f"/budget/bokslut/{year}/",
        f"Förslag: {disposition.get_kind_display().lower()}, {kronor_text(disposition.amount)}.",
    )


@login_required
def yearend_excel(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "year_end")
    rows = []
    for r in yearend.results(budget_year=budget_year):
        d = r.disposition
        rows.append(
            (
                r.namnd.name,
                r.frame,
                r.outcome,
                r.result,
                d.get_kind_display() if d else "",
                d.amount if d else None,
                d.get_status_display() if d else "",
                d.decided_amount if d else None,
                d.decision_reference if d else "",
            )
        )
    return xlsx_response(
        f"bokslut-{year}",
        [
            Sheet(
                "Resultat",
                [
                    "Nämnd",
                    "Ram (kr)",
                    "Utfall (kr)",
                    "Resultat (kr)",
                    "Förslag",
                    "Föreslaget belopp (kr)",
                    "Status",
                    "Beslutat belopp (kr)",
                    "Beslut",
                ],
                rows,
                [f"Bokslut {year}: resultat per nämnd", export_stamp()],
            )
        ],
    )


@login_required
def yearend_index(request: HttpRequest) -> HttpResponse:
    budget_year = budget_year_to_show(prefer="closed")
    if budget_year is None:
        return no_budget_year(request, title=_("Bokslut"))
    return redirect("budget:yearend", budget_year.year)
