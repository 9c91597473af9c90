"""Pages of the goals: the goal tree, KF's goals, nämndmål, assessments, enhetsmål, plans."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrmodell import appointments
from styrmodell import selectors as core_selectors
from styrmodell.appointment_views import appointment_page
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind
from styrmodell.paging import PAGE_PARAMETER, page_of, query_without_page
from styrmodell.permissions import Action, can, require, restrict
from styrmodell.versioning import current_version
from styrmodell.views import dialogue_context, no_budget_year, show_domain_error

from . import goal_map as goal_maps
from . import selectors, services
from .filters import MedarbetarplanFilter
from .forms import (
    AssessmentForm,
    DecisionForm,
    EnhetsmalFollowUpForm,
    EnhetsmalForm,
    FinansielltMalForm,
    MedarbetarmalForm,
    MedarbetarplanFollowUpForm,
    MedarbetarplanForm,
    NamndmalForm,
    OverarchingDecisionForm,
    OverarchingLinkForm,
    OvergripandeMalForm,
    UppdragForm,
    UppdragReportForm,
    VisionForm,
)
from .keyfigures import key_figure_rows
from .models import (
    DecisionStatus,
    Enhetsmal,
    FinansielltMal,
    Medarbetarplan,
    Namndmal,
    OvergripandeMal,
    ReportPeriod,
    Uppdrag,
    Vision,
)


def _chosen_year(request: HttpRequest) -> BudgetYear | None:
    year = request.GET.get("ar", "")
    if year.isdigit():
        return get_object_or_404(BudgetYear, year=int(year))
    return core_selectors.budget_year_to_show(prefer="running")


@login_required
def goal_tree(request: HttpRequest) -> HttpResponse:
    budget_year = _chosen_year(request)
    if budget_year is None:
        return no_budget_year(request, title=_("Målträdet"))
    namnder = list(selectors.namnder())
    namnd = _chosen_namnd(request, namnder)
    tree = selectors.goal_tree(user=request.user, budget_year=budget_year, namnd=namnd,
                               page_number=request.GET.get(PAGE_PARAMETER))
    return render(request, "goals/tree.html", {
        "tree": tree, "years": core_selectors.budget_years(),
        "namnder": namnder, "chosen_namnd": namnd, "query": query_without_page(request),
    })


@login_required
def goal_map(request: HttpRequest) -> HttpResponse:
    budget_year = _chosen_year(request)
    if budget_year is None:
        return no_budget_year(request, title=_("Målkartan"))
    found = goal_maps.goal_map(user=request.user, budget_year=budget_year)
    return render(request, "goals/goal_map.html", {
        "map": found, "years": core_selectors.budget_years(),
        "page": page_of(request, found.rows, per_page=goal_maps.NAMNDER_PER_PAGE),
        "query": query_without_page(request),
    })


def _chosen_namnd(request: HttpRequest, namnder: list[OrganisationUnit]):
    """The nämnd the address names; none named, the user's own ("Alla nämnder" names none)."""
    if "namnd" not in request.GET:
        return selectors.own_namnd(request.user, namnder)
    if request.GET["namnd"].isdigit():
        return get_object_or_404(OrganisationUnit, pk=request.GET["namnd"])
    return None


@login_required
def kf_goals(request: HttpRequest) -> HttpResponse:
    budget_year = _chosen_year(request)
    if budget_year is None:
        return no_budget_year(request, title=_("KF:s mål och uppdrag"))
    return render(request, "goals/kf_goals.html", {
        "budget_year": budget_year, "years": core_selectors.budget_years(),
        "may_propose": can(request.user, Action.ADD, "kf_goal"),
        "may_record": can(request.user, Action.APPROVE, "kf_goal"),
        **selectors.kf_goals(budget_year=budget_year, user=request.user),
    })


@login_required
def overarching_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(OvergripandeMal.objects.select_related("decided_by"), pk=pk)
    namnd_goals = (selectors.visible_namndmal(request.user).filter(overgripande_mal=goal)
                   .select_related("namnd", "budget_year").order_by("-budget_year__year",
                                                                    "namnd__path"))
    return render(request, "goals/overarching_detail.html", {
        "goal": goal, "namnd_goals": namnd_goals,
        "change_log": core_selectors.change_log(goal),
        **dialogue_context(request, goal),
    })


def _namnd_and_year(namnd_id: int, year: int) -> tuple[OrganisationUnit, BudgetYear]:
    namnd = get_object_or_404(OrganisationUnit, pk=namnd_id,
                              kind__in=[UnitKind.NAMND, UnitKind.KS])
    return namnd, get_object_or_404(BudgetYear, year=year)


@login_required
def namnd_goals(request: HttpRequest, namnd_id: int, year: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    goals = list(
        selectors.visible_namndmal(request.user).filter(namnd=namnd, budget_year=budget_year)
        .select_related("overgripande_mal").prefetch_related("assessments")
    )
    for goal in goals:
        goal.latest = selectors.latest_assessment(goal)
    return render(request, "goals/namnd_goals.html", {
        "namnd": namnd, "budget_year": budget_year, "goals": goals,
        "may_add": can(request.user, Action.ADD, "namndmal", namnd),
        "years": core_selectors.budget_years(),
        "uppdrag": selectors.namnd_uppdrag(namnd=namnd, budget_year=budget_year),
        "may_report": can(request.user, Action.CHANGE, "uppdrag_report", namnd),
    })


@login_required
def namndmal_create(request: HttpRequest, namnd_id: int, year: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    require(request.user, Action.ADD, "namndmal", namnd)
    may_set_by_kf = can(request.user, Action.APPROVE, "kf_goal")
    form = NamndmalForm(request.POST or None, budget_year=budget_year,
                        may_set_by_kf=may_set_by_kf)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.create_namndmal(namnd=namnd, budget_year=budget_year,
                                             **form.goal_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(request, "Nämndmålet är sparat som utkast.")
            return redirect(saved.obj)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Nytt nämndmål {budget_year} – {namnd}",
        "back_url": f"/mal/namnd/{namnd.pk}/{budget_year.year}/",
    })


@login_required
def namndmal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Namndmal.objects.select_related("namnd", "budget_year"), pk=pk)
    require(request.user, Action.CHANGE, "namndmal", goal.namnd)
    if goal.set_by_kf:
        require(request.user, Action.CHANGE, "kf_goal")
    if goal.is_locked:
        raise PermissionDenied("Nämndmålet är antaget och kan inte ändras. Ett nytt beslut "
                               "ersätter det.")
    initial = {"version": current_version(goal), "key_figures": list(goal.key_figures.all()),
               **{name: getattr(goal, name) for name in (
                   "overgripande_mal", "title", "what", "how_measured", "target", "by_when",
                   "own_goal", "set_by_kf")}}
    form = NamndmalForm(request.POST or None, initial=initial, budget_year=goal.budget_year,
                        may_set_by_kf=can(request.user, Action.APPROVE, "kf_goal"))
    if request.method == "POST" and form.is_valid():
        fields = form.goal_fields()
        try:
            saved = services.update_namndmal(goal=goal, version=form.cleaned_data["version"],
                                             **fields)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(request, "Ändringarna är sparade.")
            return redirect(goal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Ändra {goal}", "back_url": goal.get_absolute_url(),
    })


@login_required
def namndmal_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Namndmal.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.APPROVE, "namndmal", goal.namnd)
    if goal.set_by_kf:
        require(request.user, Action.APPROVE, "kf_goal")
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.adopt_namndmal(goal=goal, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Beslutet är registrerat och målet är låst.")
            return redirect(goal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Registrera beslut: {goal}", "back_url": goal.get_absolute_url(),
    })


@login_required
@require_POST
def copy_last_year(request: HttpRequest, namnd_id: int, year: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    require(request.user, Action.ADD, "namndmal", namnd)
    back_url = reverse("goals:namnd_goals", args=[namnd.pk, budget_year.year])
    links, form = {}, None
    if request.POST.get("choose"):
        form = OverarchingLinkForm(request.POST, choices=services.copy_choices(
            namnd=namnd, budget_year=budget_year))
        if not form.is_valid():
            return _copy_choice_page(request, form, namnd, budget_year, back_url)
        links = form.links()
    try:
        copied = services.copy_last_year(namnd=namnd, budget_year=budget_year, links=links)
    except services.OverarchingChoiceNeeded as needed:
        messages.info(request, needed.message)
        form = OverarchingLinkForm(choices=needed.choices)
        return _copy_choice_page(request, form, namnd, budget_year, back_url)
    except DomainError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(back_url)
        show_domain_error(form, error)
        return _copy_choice_page(request, form, namnd, budget_year, back_url)
    if copied:
        messages.success(request, f"{copied} mål från {budget_year.year - 1} är kopierade som "
                                  "utkast.")
    else:
        messages.info(request, f"Det fanns inga nya antagna mål från {budget_year.year - 1} "
                               "att kopiera.")
    return redirect(back_url)


def _copy_choice_page(request, form, namnd, budget_year, back_url) -> HttpResponse:
    return render(request, "styrmodell/form_page.html", {
        "form": form, "back_url": back_url,
        "title": _("Kopiera mål från %(last)s till %(year)s – %(namnd)s")
        % {"last": budget_year.year - 1, "year": budget_year.year, "namnd": namnd},
    })


def _visible_goal_or_403(request: HttpRequest, pk: int) -> Namndmal:
    goal = get_object_or_404(
        Namndmal.objects.select_related("namnd", "budget_year", "overgripande_mal",
                                        "decided_by"), pk=pk)
    if goal.status != DecisionStatus.ADOPTED:
        require(request.user, Action.VIEW, "namndmal", goal.namnd)
    return goal


@login_required
def namndmal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _visible_goal_or_403(request, pk)
    assessments = {a.period: a for a in goal.assessments.select_related("author")}
    for assessment in assessments.values():  # P3: each assessment's thread is read with it
        assessment.thread = dialogue_context(request, assessment)
    periods = [(value, label, assessments.get(value)) for value, label in ReportPeriod.choices]
    enhet_goals = restrict(goal.enhet_goals.select_related("enhet")
                           .prefetch_related("follow_ups"), request.user, "enhetsmal",
                           Action.VIEW, unit_field="enhet")
    user = request.user
    enhet_goals = list(enhet_goals)
    for enhetsmal in enhet_goals:
        enhetsmal.may_follow_up = can(user, Action.CHANGE, "enhetsmal", enhetsmal.enhet)
    return render(request, "goals/namndmal_detail.html", {
        "goal": goal, "periods": periods, "enhet_goals": enhet_goals,
        "saved_period": request.GET.get("sparad", ""),
        "key_figures": goal.key_figures.all(),
        "plan_row": getattr(goal, "plan_row", None),
        "may_change": not goal.is_locked and can(user, Action.CHANGE, "namndmal", goal.namnd),
        "may_adopt": not goal.is_locked and can(user, Action.APPROVE, "namndmal", goal.namnd),
        "may_assess": goal.status == DecisionStatus.ADOPTED
        and can(user, Action.CHANGE, "malbedomning", goal.namnd, obj=goal),
        "responsible": appointments.current_appointments(goal),
        "may_appoint": appointments.may_appoint(user, goal),
        "may_add_enhetsmal": goal.status == DecisionStatus.ADOPTED
        and _enheter_for(user, goal).exists(),
        "change_log": core_selectors.change_log(goal),
        **dialogue_context(request, goal),
    })


@login_required
def assessment_edit(request: HttpRequest, pk: int, period: str) -> HttpResponse:
    goal = _visible_goal_or_403(request, pk)
    require(request.user, Action.CHANGE, "malbedomning", goal.namnd, obj=goal)
    if period not in ReportPeriod.values:
        return redirect(goal)
    existing = goal.assessments.filter(period=period).first()
    initial = {"version": current_version(existing) if existing else ""}
    if existing:
        initial.update({name: getattr(existing, name) for name in AssessmentForm.base_fields
                        if name != "version"})
    form = AssessmentForm(request.POST or None, initial=initial,
                          with_forecast=period == ReportPeriod.AUGUST,
                          required_by_level=services.required_by_level())
    if request.method == "POST" and form.is_valid():
        try:
            services.save_assessment(namndmal=goal, period=period, author=request.user,
                                     version=form.cleaned_data["version"], **form.answers())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            # The page lands on the saved assessment and says there that it is saved.
            return redirect(f"{goal.get_absolute_url()}?sparad={period}#bedomning-{period}")
    return render(request, "goals/assessment_form.html", {
        "form": form, "goal": goal, "period_label": ReportPeriod(period).label,
        "previous": selectors.previous_assessment(goal, period),
        "key_figures": key_figure_rows(request.user, only=goal.key_figures.all()),
    })


def _enheter_for(user, goal: Namndmal):
    units = OrganisationUnit.objects.filter(kind=UnitKind.ENHET, path__startswith=goal.namnd.path)
    return restrict(units, user, "enhetsmal", Action.ADD, unit_field="")


@login_required
def enhetsmal_create(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _visible_goal_or_403(request, pk)
    enheter = _enheter_for(request.user, goal)
    if not enheter.exists():
        require(request.user, Action.ADD, "enhetsmal", goal.namnd)
    form = EnhetsmalForm(request.POST or None, enheter=enheter)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_enhetsmal(namndmal=goal, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Enhetsmålet är sparat.")
            return redirect(goal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Nytt enhetsmål under ”{goal}”",
        "back_url": goal.get_absolute_url(),
    })


@login_required
def medarbetarplan_list(request: HttpRequest) -> HttpResponse:
    # The enhet first: the database then walks the units in order and stops after one page,
    # where sorting on the year first would sort every plan of a big city for each page.
    plans = MedarbetarplanFilter(request.GET, queryset=selectors.visible_medarbetarplaner(
        request.user).order_by("enhet__path", "-budget_year__year", "employee__last_name",
                               "employee__first_name", "pk"))
    may_add = bool(restrict(OrganisationUnit.objects.filter(kind=UnitKind.ENHET), request.user,
                            "medarbetarplan", Action.ADD, unit_field="").exists())
    return render(request, "goals/medarbetarplan_list.html", {
        "filter": plans, "page": page_of(request, plans.qs),
        "query": query_without_page(request), "may_add": may_add,
    })


@login_required
def medarbetarplan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.visible_medarbetarplaner(request.user).filter(pk=pk).first()
    if plan is None:
        if Medarbetarplan.objects.filter(pk=pk).exists():
            require(request.user, Action.VIEW, "medarbetarplan", None)  # logs and refuses (G10)
        raise Http404
    may_change = can(request.user, Action.CHANGE, "medarbetarplan", plan.enhet)
    form = MedarbetarmalForm(request.POST or None, plan=plan) if may_change else None
    if request.method == "POST":
        require(request.user, Action.CHANGE, "medarbetarplan", plan.enhet)
        if form.is_valid():
            try:
                services.add_medarbetarmal(plan=plan, **form.cleaned_data)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, "Medarbetarmålet är sparat.")
                return redirect(plan)
    return render(request, "goals/medarbetarplan_detail.html", {
        "plan": plan, "goals": plan.goals.select_related("enhetsmal"), "form": form,
        "may_follow_up": selectors.may_follow_up_medarbetarplan(request.user, plan),
    })


@login_required
def medarbetarplan_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """A7: the chef records the follow-up at the medarbetarsamtal (G10: only up the line)."""
    plan = selectors.visible_medarbetarplaner(request.user).filter(pk=pk).first()
    if plan is None:
        if Medarbetarplan.objects.filter(pk=pk).exists():
            require(request.user, Action.VIEW, "medarbetarplan", None)  # logs and refuses (G10)
        raise Http404
    require(request.user, Action.CHANGE, "medarbetarplan", plan.enhet)
    if not selectors.may_follow_up_medarbetarplan(request.user, plan):
        raise PermissionDenied(_("Chefen följer upp medarbetarplanen vid medarbetarsamtalet."))
    form = MedarbetarplanFollowUpForm(request.POST or None, initial={
        "version": current_version(plan), "followed_up_on": plan.followed_up_on,
        "follow_up_note": plan.follow_up_note})
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.follow_up_medarbetarplan(plan=plan, by=request.user,
                                              version=data["version"],
                                              followed_up_on=data["followed_up_on"],
                                              note=data["follow_up_note"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Uppföljningen vid medarbetarsamtalet är sparad."))
            return redirect(plan)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": _("Uppföljning vid medarbetarsamtal: %(plan)s") % {"plan": plan},
        "back_url": plan.get_absolute_url(),
    })



KF_KINDS = {
    "vision": (Vision, VisionForm, "vision"),
    "overgripande": (OvergripandeMal, OvergripandeMalForm, "övergripande mål"),
    "finansiellt": (FinansielltMal, FinansielltMalForm, "finansiellt mål"),
    "uppdrag": (Uppdrag, UppdragForm, "uppdrag till en nämnd"),
}


def _kf_kind(kind: str):
    if kind not in KF_KINDS:
        raise Http404
    return KF_KINDS[kind]


@login_required
def kf_create(request: HttpRequest, kind: str) -> HttpResponse:
    _model, form_class, label = _kf_kind(kind)
    require(request.user, Action.ADD, "kf_goal")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_kf_draft(form=form)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(request, "Förslaget är sparat som utkast till KF:s beslut.")
            return redirect("goals:kf_goals")
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Förslag: {label}", "back_url": "/mal/kf/",
    })


@login_required
def kf_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, form_class, label = _kf_kind(kind)
    obj = get_object_or_404(model, pk=pk)
    require(request.user, Action.CHANGE, "kf_goal")
    if obj.is_locked:
        raise PermissionDenied("Beslutet är registrerat och kan inte ändras. Ett nytt beslut "
                               "ersätter det.")
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_kf_draft(form=form)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(request, "Förslaget är sparat.")
            return redirect("goals:kf_goals")
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Ändra förslag: {label}", "back_url": "/mal/kf/",
    })


@login_required
def kf_adopt(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, _form, label = _kf_kind(kind)
    obj = get_object_or_404(model, pk=pk)
    require(request.user, Action.APPROVE, "kf_goal")
    today = timezone.localdate()
    if isinstance(obj, OvergripandeMal):
        form = OverarchingDecisionForm(request.POST or None, goal=obj, initial={
            "decided_on": today, "budget_year": BudgetYear.objects.filter(
                year=today.year + 1, mandate_period=obj.mandate_period).first()})
    else:
        form = DecisionForm(request.POST or None, initial={"decided_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            adopted = services.adopt_kf_decision(obj=obj, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if isinstance(adopted, OvergripandeMal):
                warning = services.overarching_count_warning(goal=adopted)
                if warning:
                    messages.warning(request, warning)
            messages.success(request, "KF:s beslut är registrerat.")
            return redirect("goals:kf_goals")
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Registrera KF:s beslut om {label}", "back_url": "/mal/kf/",
    })


@login_required
def enhetsmal_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    enhetsmal = get_object_or_404(Enhetsmal.objects.select_related("enhet", "namndmal"), pk=pk)
    require(request.user, Action.CHANGE, "enhetsmal", enhetsmal.enhet)
    form = EnhetsmalFollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_enhetsmal(enhetsmal=enhetsmal, author=request.user,
                                         **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Uppföljningen är sparad.")
            return redirect(enhetsmal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Följ upp enhetsmålet ”{enhetsmal}”",
        "back_url": enhetsmal.get_absolute_url(),
    })


@login_required
def medarbetarplan_create(request: HttpRequest) -> HttpResponse:
    enheter = restrict(OrganisationUnit.objects.filter(kind=UnitKind.ENHET), request.user,
                       "medarbetarplan", Action.ADD, unit_field="")
    if not enheter.exists():
        require(request.user, Action.ADD, "medarbetarplan", None)
    employees = selectors.employees_in(enheter)
    form = MedarbetarplanForm(request.POST or None, employees=employees, enheter=enheter)
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.ADD, "medarbetarplan", form.cleaned_data["enhet"])
        try:
            plan = services.create_medarbetarplan(chef=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Medarbetarplanen är upprättad. Lägg till målen.")
            return redirect(plan)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": "Ny medarbetarplan", "back_url": "/mal/medarbetarplaner/",
    })


@login_required
def kf_affirm(request: HttpRequest, year: int) -> HttpResponse:
    """G2: the kommunsekreterare records KF's re-affirmation of the övergripande mål with the
    year's budget."""
    budget_year = get_object_or_404(BudgetYear.objects.select_related("mandate_period"),
                                    year=year)
    require(request.user, Action.APPROVE, "kf_goal")
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    back_url = reverse("goals:kf_goals") + f"?ar={budget_year.year}"
    if request.method == "POST" and form.is_valid():
        try:
            services.affirm_overarching_goals(budget_year=budget_year, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("KF:s fastställande av de övergripande målen för "
                                        "%(year)s är registrerat.") % {"year": budget_year.year})
            return redirect(back_url)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "back_url": back_url,
        "title": _("Registrera KF:s fastställande av de övergripande målen för %(year)s")
        % {"year": budget_year.year},
    })


def _uppdrag_or_404(pk: int) -> Uppdrag:
    return get_object_or_404(Uppdrag.objects.select_related(
        "namnd", "budget_year", "decided_by", "reported_by"), pk=pk)


@login_required
def uppdrag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """G11: an uppdrag from KF with the nämnd's report-back and its dialogue thread."""
    uppdrag = _uppdrag_or_404(pk)
    require(request.user, Action.VIEW, "kf_goal", uppdrag.namnd)
    return render(request, "goals/uppdrag_detail.html", {
        "uppdrag": uppdrag,
        "may_report": uppdrag.status == DecisionStatus.ADOPTED
        and can(request.user, Action.CHANGE, "uppdrag_report", uppdrag.namnd),
        "change_log": core_selectors.change_log(uppdrag),
        **dialogue_context(request, uppdrag),
    })


@login_required
def uppdrag_report(request: HttpRequest, pk: int) -> HttpResponse:
    """G11: the nämnd's förvaltning writes its report-back on the uppdrag (P2)."""
    uppdrag = _uppdrag_or_404(pk)
    require(request.user, Action.CHANGE, "uppdrag_report", uppdrag.namnd)
    form = UppdragReportForm(request.POST or None, initial={
        "version": current_version(uppdrag), "report": uppdrag.report,
        "completed": uppdrag.completed})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_on_uppdrag(uppdrag=uppdrag, author=request.user,
                                       version=form.cleaned_data["version"], **form.changes())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Återrapporten är sparad."))
            return redirect(uppdrag)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "back_url": uppdrag.get_absolute_url(),
        "title": _("Återrapport: %(uppdrag)s") % {"uppdrag": uppdrag},
    })


@login_required
def namndmal_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The förvaltningschef appoints a målansvarig for one nämndmål, for a period."""
    goal = _visible_goal_or_403(request, pk)
    return appointment_page(
        request, goal, title=_("Utse målansvarig"),
        lead=_("Den som utses skriver målets bedömningar under perioden, men inget annat i "
               "%(namnd)s som personens roll inte redan ger. Bara en tjänsteperson med en roll "
               "i nämndens förvaltning kan utses. Ansvaret upphör av sig självt efter sista "
               "dagen.") % {"namnd": goal.namnd},
        # The goal's year is what the assessments are written for, the annual report included.
        default_end=dt.date(goal.budget_year.year + 1, 2, 28))
