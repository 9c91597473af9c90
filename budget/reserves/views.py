"""Pages of the ofördelad budget (B7) and the lönerörelse (B10): parse, check the permission,
call one service, render. The form page, the export stamp and the year chooser are shared with
the skattesats and bokslut pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import (
    Ansokan,
    ApplicationStatus,
    Lonereserv,
    OfordeladBudget,
)
from budget.reserves import pot as pot_services
from budget.reserves import salary
from budget.reserves.forms import (
    ApplicationForm,
    DistributionForm,
    PotAmountForm,
    PotDecisionForm,
    ReserveForm,
    StatementForm,
    UseInYearForm,
)
from styrmodell.errors import DomainError
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.formatting import kronor, moment_short
from styrmodell.models import (
    NAMND_LIKE_KINDS,
    BudgetYear,
    OrganisationUnit,
)
from styrmodell.permissions import Action, can, require, require_somewhere, restrict
from styrmodell.selectors import budget_year_to_show, budget_years, change_log
from styrmodell.versioning import current_version
from styrmodell.views import no_budget_year, show_domain_error


def form_page(request, form, title: str, back_url: str, lead: str = "") -> HttpResponse:
    return render(
        request,
        "budget/reserves/form.html",
        {"form": form, "title": title, "back_url": back_url, "lead": lead},
    )


def _namnder():
    return OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS).order_by("path")


def kronor_text(amount) -> str:
    return kronor(amount)


def export_stamp() -> str:
    return f"Uttaget {moment_short(timezone.localtime())}"


# --- B7 ofördelad budget -----------------------------------------------------------------------


def _pot_page_data(budget_year: BudgetYear):
    pot = (
        OfordeladBudget.objects.filter(budget_year=budget_year)
        .prefetch_related("movements__namnd")
        .first()
    )
    applications = []
    balance = None
    if pot is not None:
        balance = pot_services.balance(pot, list(pot.movements.all()))
        applications = list(pot.applications.select_related("namnd").order_by("filed_at", "pk"))
    return pot, balance, applications


@login_required
def pot_page(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "pot")
    pot, balance, applications = _pot_page_data(budget_year)
    names = {namnd.pk: namnd for namnd in _namnder()}
    earmarks = [
        (names.get(namnd_id), amount)
        for namnd_id, amount in (balance.earmarks_left.items() if balance else [])
    ]
    return render(
        request,
        "budget/reserves/detail.html",
        {
            "budget_year": budget_year,
            "pot": pot,
            "balance": balance,
            "earmarks": earmarks,
            "applications": applications,
            "years": budget_years(),
            "may_set": can(request.user, Action.CHANGE, "pot"),
            "may_apply": pot is not None
            and restrict(_namnder(), request.user, "pot_application", Action.ADD, "").exists(),
            "change_log": change_log(pot) if pot else [],
        },
    )


@login_required
def pot_set(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.CHANGE, "pot")
    pot = OfordeladBudget.objects.filter(budget_year=budget_year).first()
    initial = {"decided_on": timezone.localdate()}
    if pot is not None:
        initial = {
            "version": current_version(pot),
            "amount": pot.amount,
            "decided_on": pot.decided_on,
            "paragraph": pot.paragraph,
            "case_number": pot.case_number,
        }
    form = PotAmountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pot_services.set_pot(
                budget_year=budget_year, **form.changes(), version=form.cleaned_data["version"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "KF:s beslut om ofördelad budget är registrerat.")
            return redirect("budget:pot", year)
    return form_page(
        request,
        form,
        f"Registrera ofördelad budget {year}",
        f"/budget/ofordelad/{year}/",
        "Beloppet KF avsatt till kommunstyrelsens ofördelade budget i budgetbeslutet.",
    )


@login_required
def pot_apply(request: HttpRequest, year: int) -> HttpResponse:
    pot = get_object_or_404(OfordeladBudget, budget_year__year=year)
    require_somewhere(request.user, Action.ADD, "pot_application")
    namnder = restrict(_namnder(), request.user, "pot_application", Action.ADD, "")
    form = ApplicationForm(
        request.POST or None,
        namnder=namnder,
        initial={"namnd": namnder.first() if namnder.count() == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        require(request.user, Action.ADD, "pot_application", data["namnd"])
        try:
            application = pot_services.file_application(pot=pot, filed_by=request.user, **data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, "Ansökan är inlämnad. Ekonomiavdelningen skriver nu sitt yttrande."
            )
            return redirect(application)
    return form_page(
        request,
        form,
        f"Ansök ur ofördelad budget {year}",
        f"/budget/ofordelad/{year}/",
        "Ofördelad budget får bara användas för (a) åtgärder som först kostar mer "
        "men sänker kostnaderna över tid, eller (b) oförutsedda händelser med "
        "omfattande kostnader.",
    )


def _application(pk: int) -> Ansokan:
    return get_object_or_404(
        Ansokan.objects.select_related(
            "namnd", "pot__budget_year", "filed_by", "statement_by", "recorded_by"
        ),
        pk=pk,
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    require(request.user, Action.VIEW, "pot_application", application.namnd)
    filed = application.status == ApplicationStatus.FILED
    return render(
        request,
        "budget/reserves/application.html",
        {
            "application": application,
            "budget_year": application.pot.budget_year,
            "may_edit": filed
            and can(request.user, Action.CHANGE, "pot_application", application.namnd),
            "may_state": not application.is_decided
            and can(request.user, Action.ADD, "pot_statement", application.namnd),
            "may_decide": application.status == ApplicationStatus.STATEMENT
            and can(request.user, Action.APPROVE, "pot_decision", application.namnd),
            "change_log": change_log(application),
        },
    )


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    require(request.user, Action.CHANGE, "pot_application", application.namnd)
    if application.status != ApplicationStatus.FILED:
        raise PermissionDenied("Ansökan har redan ett yttrande och kan inte längre ändras.")
    fields = ("title", "amount", "criterion", "motivation", "namnd_decision")
    initial = {
        "version": current_version(application),
        **{name: getattr(application, name) for name in fields},
    }
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pot_services.update_application(
                application=application,
                version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in fields},
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Ansökan är ändrad.")
            return redirect(application)
    return form_page(
        request, form, f"Ändra ansökan: {application.title}", application.get_absolute_url()
    )


@login_required
def application_statement(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    require(request.user, Action.ADD, "pot_statement", application.namnd)
    if application.is_decided:
        raise PermissionDenied("KS har redan beslutat om ansökan.")
    initial = {"version": current_version(application), "statement": application.statement}
    if application.criteria_met is not None:
        initial["criteria_met"] = "ja" if application.criteria_met else "nej"
    form = StatementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pot_services.write_statement(
                application=application,
                author=request.user,
                version=form.cleaned_data["version"],
                criteria_met=form.cleaned_data["criteria_met"],
                statement=form.cleaned_data["statement"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Yttrandet är sparat. Ansökan kan nu beslutas av KS.")
            return redirect(application)
    return form_page(
        request,
        form,
        f"Yttrande: {application.title}",
        application.get_absolute_url(),
        f"{application.namnd} söker {kronor_text(application.amount)} enligt "
        f"kriterium {application.criterion}.",
    )


@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(pk)
    require(request.user, Action.APPROVE, "pot_decision", application.namnd)
    if application.status != ApplicationStatus.STATEMENT:
        messages.error(
            request,
            "Ansökan kan inte beslutas innan ekonomiavdelningen har lämnat sitt yttrande."
            if not application.is_decided
            else "KS har redan beslutat om ansökan.",
        )
        return redirect(application)
    form = PotDecisionForm(
        request.POST or None,
        initial={"decided_on": timezone.localdate(), "granted_amount": application.amount},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pot_services.decide_application(
                application=application,
                grant=data["outcome"] == "bifall",
                granted_amount=data["granted_amount"],
                decided_on=data["decided_on"],
                paragraph=data["paragraph"],
                case_number=data["case_number"],
                recorder=request.user,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "KS beslut är registrerat.")
            return redirect(application)
    available = pot_services.balance(application.pot).available_to(application.namnd_id)
    verdict = "uppfyllda" if application.criteria_met else "inte uppfyllda"
    lead = (
        f"{application.namnd} söker {kronor_text(application.amount)} enligt kriterium "
        f"{application.criterion}. Ekonomiavdelningens yttrande: kriterierna är {verdict}. "
        f"Kvar att bevilja nämnden ur potten: {kronor_text(available)}."
    )
    return form_page(
        request,
        form,
        f"Registrera KS beslut: {application.title}",
        application.get_absolute_url(),
        lead,
    )


@login_required
def pot_excel(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "pot")
    pot, balance, applications = _pot_page_data(budget_year)
    rows = [
        (
            a.namnd.name,
            a.title,
            a.get_criterion_display(),
            a.amount,
            a.get_status_display(),
            "Ja" if a.criteria_met else ("Nej" if a.criteria_met is False else ""),
            a.granted_amount,
            a.decision_reference,
        )
        for a in applications
    ]
    movements = [
        (m.decided_on, m.get_kind_display(), m.namnd.name, m.amount, m.label)
        for m in (pot.movements.all() if pot else [])
    ]
    caption = [f"Ofördelad budget {year}", export_stamp()]
    if balance is not None:
        caption.append(f"Belopp {balance.amount} kr, kvar {balance.remaining} kr")
    return xlsx_response(
        f"ofordelad-budget-{year}",
        [
            Sheet(
                "Ansökningar",
                [
                    "Nämnd",
                    "Ansökan",
                    "Kriterium",
                    "Sökt (kr)",
                    "Status",
                    "Kriterier uppfyllda enligt yttrandet",
                    "Beviljat (kr)",
                    "Beslut",
                ],
                rows,
                caption,
            ),
            Sheet("Rörelser", ["Datum", "Typ", "Nämnd", "Belopp (kr)", "Text"], movements, caption),
        ],
    )


# --- B10 lönerörelse ---------------------------------------------------------------------------


def _reserve(budget_year: BudgetYear) -> Lonereserv | None:
    return Lonereserv.objects.filter(budget_year=budget_year).first()


@login_required
def salary_page(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "salary_reserve")
    reserve = _reserve(budget_year)
    distributions = (
        list(reserve.distributions.select_related("namnd").order_by("decided_on", "namnd__path"))
        if reserve
        else []
    )
    total = sum((d.amount for d in distributions), pot_services.ZERO)
    return render(
        request,
        "budget/reserves/salary.html",
        {
            "budget_year": budget_year,
            "reserve": reserve,
            "distributions": distributions,
            "distributed": total,
            "left": (salary.ceiling(reserve) - total) if reserve else None,
            "years": budget_years(),
            "may_change": can(request.user, Action.CHANGE, "salary_reserve"),
            "may_distribute": reserve is not None
            and can(request.user, Action.APPROVE, "salary_reserve"),
            "change_log": change_log(reserve) if reserve else [],
        },
    )


@login_required
def salary_set(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.CHANGE, "salary_reserve")
    reserve = _reserve(budget_year)
    initial = {"decided_on": timezone.localdate()}
    if reserve is not None:
        initial = {
            "version": current_version(reserve),
            "amount": reserve.amount,
            "decided_on": reserve.decided_on,
            "paragraph": reserve.paragraph,
            "case_number": reserve.case_number,
        }
    form = ReserveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            salary.set_reserve(
                budget_year=budget_year, **form.changes(), version=form.cleaned_data["version"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Lönerörelsereserven är registrerad.")
            return redirect("budget:salary", year)
    return form_page(
        request, form, f"Registrera lönerörelsereserv {year}", f"/budget/lonerorelse/{year}/"
    )


@login_required
def salary_use(request: HttpRequest, year: int) -> HttpResponse:
    reserve = get_object_or_404(Lonereserv, budget_year__year=year)
    require(request.user, Action.CHANGE, "salary_reserve")
    form = UseInYearForm(
        request.POST or None,
        initial={
            "version": current_version(reserve),
            "amount": reserve.used_in_year,
            "decided_on": reserve.ksau_decided_on or timezone.localdate(),
            "paragraph": reserve.ksau_paragraph,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            salary.decide_use_in_year(
                reserve=reserve, **form.changes(), version=form.cleaned_data["version"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "KSAU:s beslut om årets användning är registrerat.")
            return redirect("budget:salary", year)
    return form_page(
        request,
        form,
        f"KSAU: används av lönerörelsen {year}",
        f"/budget/lonerorelse/{year}/",
        "Hur mycket av reserven som används innevarande år; resten fördelas inte.",
    )


@login_required
def salary_distribute(request: HttpRequest, year: int) -> HttpResponse:
    reserve = get_object_or_404(Lonereserv, budget_year__year=year)
    require(request.user, Action.APPROVE, "salary_reserve")
    form = DistributionForm(
        request.POST or None, namnder=_namnder(), initial={"decided_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            salary.distribute(
                reserve=reserve,
                amounts=form.amounts(),
                decided_on=data["decided_on"],
                paragraph=data["paragraph"],
                case_number=data["case_number"],
                recorder=request.user,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, "KSAU:s fördelning är registrerad och ligger nu i nämndernas ramar."
            )
            return redirect("budget:salary", year)
    return form_page(
        request,
        form,
        f"Registrera KSAU:s fördelning av lönerörelsen {year}",
        f"/budget/lonerorelse/{year}/",
        "Belopp per nämnd i kronor; tomma fält får ingenting.",
    )


@login_required
def salary_excel(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "salary_reserve")
    reserve = _reserve(budget_year)
    rows = (
        [
            (d.namnd.name, d.amount, d.decision_reference)
            for d in reserve.distributions.select_related("namnd").order_by(
                "decided_on", "namnd__path"
            )
        ]
        if reserve
        else []
    )
    return xlsx_response(
        f"lonerorelse-{year}",
        [
            Sheet(
                "Fördelning",
                ["Nämnd", "Belopp (kr)", "Beslut"],
                rows,
                [f"Lönerörelse {year}", export_stamp()],
            )
        ],
    )


# --- entry points: the year a user most likely wants ----------------------------------------


@login_required
def pot_index(request: HttpRequest) -> HttpResponse:
    budget_year = budget_year_to_show(prefer="running")
    if budget_year is None:
        return no_budget_year(request, title=_("Ofördelad budget"))
    return redirect("budget:pot", budget_year.year)


@login_required
def salary_index(request: HttpRequest) -> HttpResponse:
    budget_year = budget_year_to_show(prefer="running")
    if budget_year is None:
        return no_budget_year(request, title=_("Lönerörelse"))
    return redirect("budget:salary", budget_year.year)
