"""Pages of key figures (nyckeltal, A2, G8), their Kolada import and verksamhetsplaner (G7).

Views parse input, ask the permission layer, call one service and render; the rules are in
keyfigures.py, kolada.py and plans.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from styrmodell import background, dialogue, uploads
from styrmodell import selectors as core_selectors
from styrmodell.errors import DomainError
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, OrganisationUnit
from styrmodell.permissions import (
    Action,
    can,
    may_somewhere,
    require,
    require_somewhere,
    require_unless_published,
    restrict,
)
from styrmodell.versioning import current_version
from styrmodell.views import dialogue_context, show_domain_error

from . import keyfigures, kolada, kolada_fetch, plans
from .forms import (
    AdoptPlanForm,
    ComparisonForm,
    KeyFigureForm,
    KoladaImportForm,
    PlanForm,
    PlanRowForm,
    TargetForm,
    ValueForm,
)
from .models import GoodDirection, Jamforelsekommun, Nyckeltal, Verksamhetsplan
from .selectors import visible_namndmal
from .tasks import fetch_from_kolada

DEFAULT_MUNICIPALITY_CODE = "0000"


def _can_somewhere(user, action: Action, kind: str) -> bool:
    return may_somewhere(user, kind, action)


# --- key figures -------------------------------------------------------------------------------


@login_required
def nyckeltal_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW, "nyckeltal")
    shown = request.GET.get("visa", "")
    namnd = None
    if shown.isdigit():
        namnd = get_object_or_404(OrganisationUnit, pk=shown, kind__in=NAMND_LIKE_KINDS)
    common_only = shown == "gemensamma"
    rows = keyfigures.key_figure_rows(request.user, namnd=namnd, common_only=common_only)
    return render(request, "goals/keyfigure_list.html", {
        "rows": rows,
        "shown": shown,
        "shows_common": common_only,
        "namnder": keyfigures.namnd_choices(),
        "candidates": sum(1 for row in rows if row.is_candidate),
        "may_add": _can_somewhere(request.user, Action.ADD, "nyckeltal"),
        "may_import": _can_somewhere(request.user, Action.CHANGE, "nyckeltal"),
        "kommun": keyfigures.municipality_unit(),
        **_kolada_context(request),
    })


def _kolada_context(request: HttpRequest) -> dict:
    """The last fetch from Kolada, and whether the user may start one (the finance office)."""
    return {"kolada_status": kolada_fetch.fetch_status(),
            "may_fetch": can(request.user, Action.CHANGE, "kolada")}


@login_required
def nyckeltal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nyckeltal = get_object_or_404(Nyckeltal.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.VIEW, "nyckeltal", nyckeltal.namnd)
    goals = (visible_namndmal(request.user).filter(key_figures=nyckeltal)
             .select_related("namnd", "budget_year").order_by("-budget_year__year", "namnd__path"))
    return render(request, "goals/keyfigure_detail.html", {
        "nyckeltal": nyckeltal,
        "detail": keyfigures.key_figure_detail(nyckeltal),
        "source": keyfigures.source_text(nyckeltal),
        "goals": goals,
        "may_change": can(request.user, Action.CHANGE, "nyckeltal", nyckeltal.namnd),
        "change_log": core_selectors.change_log(nyckeltal),
        **(_kolada_context(request) if nyckeltal.kolada_kpi else {}),
    })


def _namnder_for(user, action: Action):
    namnder = keyfigures.namnd_choices()
    allowed = [unit.pk for unit in namnder if can(user, action, "nyckeltal", unit)]
    return namnder.filter(pk__in=allowed)


def _submitted_namnd(request: HttpRequest) -> OrganisationUnit | None:
    """The nämnd a posted key figure form asks for; blank means a common key figure."""
    value = request.POST.get("namnd", "")
    if not value.isdigit():
        return None
    return get_object_or_404(OrganisationUnit, pk=value, kind__in=NAMND_LIKE_KINDS)


@login_required
def nyckeltal_create(request: HttpRequest) -> HttpResponse:
    require_somewhere(request.user, Action.ADD, "nyckeltal")
    if request.method == "POST":  # refused (and logged) before the form is even read
        require(request.user, Action.ADD, "nyckeltal", _submitted_namnd(request))
    form = KeyFigureForm(
        request.POST or None, initial={"good_direction": GoodDirection.UP},
        namnder=_namnder_for(request.user, Action.ADD),
        allow_common=can(request.user, Action.ADD, "nyckeltal", None),
    )
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.ADD, "nyckeltal", form.cleaned_data["namnd"])
        try:
            nyckeltal = keyfigures.create_key_figure(**form.definition())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Nyckeltalet ”{nyckeltal}” är sparat.")
            return redirect(nyckeltal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": "Nytt nyckeltal", "back_url": reverse("goals:nyckeltal_list"),
    })


@login_required
def nyckeltal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nyckeltal = get_object_or_404(Nyckeltal.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "nyckeltal", nyckeltal.namnd)
    if request.method == "POST":
        require(request.user, Action.CHANGE, "nyckeltal", _submitted_namnd(request))
    fields = [name for name in KeyFigureForm.base_fields if name != "version"]
    initial = {"version": current_version(nyckeltal),
               **{name: getattr(nyckeltal, name) for name in fields}}
    form = KeyFigureForm(request.POST or None, initial=initial,
                         namnder=_namnder_for(request.user, Action.CHANGE),
                         allow_common=can(request.user, Action.CHANGE, "nyckeltal", None))
    if request.method == "POST" and form.is_valid():
        require(request.user, Action.CHANGE, "nyckeltal", form.cleaned_data["namnd"])
        try:
            keyfigures.update_key_figure(nyckeltal=nyckeltal,
                                         version=form.cleaned_data["version"],
                                         **form.definition())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect(nyckeltal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Ändra {nyckeltal}", "back_url": nyckeltal.get_absolute_url(),
    })


@login_required
def nyckeltal_value(request: HttpRequest, pk: int) -> HttpResponse:
    nyckeltal = get_object_or_404(Nyckeltal.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "nyckeltal", nyckeltal.namnd)
    form = ValueForm(request.POST or None, initial={
        "unit": keyfigures.municipality_unit(), "period": timezone.localdate().year - 1,
    })
    if request.method == "POST" and form.is_valid():
        try:
            stored = keyfigures.record_value(nyckeltal=nyckeltal, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Värdet för {stored.period} ({stored.unit}) är sparat.")
            return redirect(nyckeltal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Lägg in värde: {nyckeltal}",
        "back_url": nyckeltal.get_absolute_url(),
    })


@login_required
def nyckeltal_target(request: HttpRequest, pk: int) -> HttpResponse:
    nyckeltal = get_object_or_404(Nyckeltal.objects.select_related("namnd"), pk=pk)
    require(request.user, Action.CHANGE, "nyckeltal", nyckeltal.namnd)
    form = TargetForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            target = keyfigures.set_target(nyckeltal=nyckeltal, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            year = form.cleaned_data["year"]
            messages.success(request, f"Målvärdet för {year} är sparat." if target else
                             f"Målvärdet för {year} är borttaget.")
            return redirect(nyckeltal)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Målvärde: {nyckeltal}",
        "back_url": nyckeltal.get_absolute_url(),
    })


@login_required
def nyckeltal_import(request: HttpRequest) -> HttpResponse:
    require_somewhere(request.user, Action.CHANGE, "nyckeltal")
    code = getattr(settings, "MUNICIPALITY_CODE", "") or DEFAULT_MUNICIPALITY_CODE
    form = KoladaImportForm(request.POST or None, request.FILES or None, initial={
        "municipality_code": code, "unit": keyfigures.municipality_unit(),
    })
    if request.method == "POST" and uploads.upload_too_large(request):
        form = uploads.refused_form(KoladaImportForm, request)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            uploads.check_upload_size(upload.size, kolada.MAX_FILE_BYTES)
            result = kolada.import_values(
                raw=upload.read(), municipality_code=form.cleaned_data["municipality_code"],
                unit=form.cleaned_data["unit"],
                allowed=keyfigures.changeable_key_figures(request.user),
            )
        except DomainError as error:
            error.field = error.field or "file"
            show_domain_error(form, error)
        else:
            messages.success(request, f"{result.saved} värden från Kolada är inlästa "
                                      f"({result.created} nya, {result.updated} ersatta).")
            for note in result.messages():
                messages.warning(request, note)
            return redirect("goals:nyckeltal_list")
    return render(request, "goals/keyfigure_import.html", {
        "form": form,
        "kolada_figures": keyfigures.visible_key_figures(request.user)
        .exclude(kolada_kpi="").order_by("kolada_kpi"),
    })


@login_required
@require_POST
def kolada_fetch_now(request: HttpRequest) -> HttpResponse:
    """The finance office's "Hämta nu": the daily fetch, at once, as a background task."""
    require(request.user, Action.CHANGE, "kolada")
    user_id = request.user.pk
    transaction.on_commit(lambda: background.enqueue(fetch_from_kolada, user_id))
    messages.success(request, "Hämtningen från Kolada är startad. Resultatet visas under "
                              "”Senaste hämtning från Kolada” när den är klar.")
    return redirect("goals:nyckeltal_list")


@login_required
def jamforelsekommuner(request: HttpRequest) -> HttpResponse:
    """The comparison municipalities: everyone reads them, the finance office chooses them."""
    require(request.user, Action.VIEW, "kolada")
    may_change = can(request.user, Action.CHANGE, "kolada")
    if request.method == "POST":
        require(request.user, Action.CHANGE, "kolada")
    form = ComparisonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kommun = kolada_fetch.add_comparison(**form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"{kommun} ({kommun.code}) är tillagd som "
                                      "jämförelsekommun. Värdena hämtas vid nästa hämtning "
                                      "från Kolada.")
            return redirect("goals:jamforelsekommuner")
    return render(request, "goals/jamforelsekommuner.html", {
        "kommuner": Jamforelsekommun.objects.order_by("name", "code"),
        "form": form if may_change else None,
        "may_change": may_change,
        "own_code": settings.MUNICIPALITY_CODE,
        **_kolada_context(request),
    })


@login_required
@require_POST
def jamforelsekommun_remove(request: HttpRequest, pk: int) -> HttpResponse:
    kommun = get_object_or_404(Jamforelsekommun, pk=pk)
    require(request.user, Action.CHANGE, "kolada")
    kolada_fetch.remove_comparison(kommun=kommun)
    messages.success(request, f"{kommun} är inte längre en jämförelsekommun.")
    return redirect("goals:jamforelsekommuner")


# --- verksamhetsplaner (G7) --------------------------------------------------------------------


def _namnd_and_year(namnd_id: int, year: int) -> tuple[OrganisationUnit, BudgetYear]:
    namnd = get_object_or_404(OrganisationUnit, pk=namnd_id, kind__in=NAMND_LIKE_KINDS)
    return namnd, get_object_or_404(BudgetYear, year=year)


def _plan_url(namnd: OrganisationUnit, budget_year: BudgetYear) -> str:
    return reverse("goals:verksamhetsplan", args=[namnd.pk, budget_year.year])


def _dialogue(request: HttpRequest, plan: Verksamhetsplan | None) -> dict:
    if plan is None or dialogue.host_for(dialogue.host_key(Verksamhetsplan)) is None:
        return {}
    return dialogue_context(request, plan)


@login_required
def verksamhetsplan_list(request: HttpRequest) -> HttpResponse:
    """Every nämnd's plans: adopted ones for everyone, drafts within the user's reach (P5)."""
    user = request.user
    require_somewhere(user, Action.VIEW, "verksamhetsplan")
    namnder = list(keyfigures.namnd_choices())
    own = restrict(OrganisationUnit.objects.filter(pk__in=[n.pk for n in namnder]), user,
                   "verksamhetsplan", unit_field="")
    readable = set(own.values_list("pk", flat=True))
    visible = restrict(Verksamhetsplan.objects.filter(namnd__in=namnder), user,
                       "verksamhetsplan", unit_field="namnd",
                       published=Q(adopted_on__isnull=False))
    years = list(core_selectors.budget_years())
    existing = {(plan.namnd_id, plan.budget_year_id): plan for plan in visible}
    today = timezone.localdate()
    table = [
        (namnd, namnd.pk in readable,
         [(year, existing.get((namnd.pk, year.pk)),
           plans.adoption_overdue(existing.get((namnd.pk, year.pk)), year.year, today))
          for year in years])
        for namnd in namnder
    ]
    return render(request, "goals/verksamhetsplan_list.html", {"table": table, "years": years})


@login_required
def verksamhetsplan(request: HttpRequest, namnd_id: int, year: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    page = plans.plan_page(namnd, budget_year)
    require_unless_published(request.user, "verksamhetsplan", namnd, published=page.locked)
    user = request.user
    open_plan = page.plan is not None and not page.locked
    return render(request, "goals/verksamhetsplan.html", {
        "page": page,
        "plan": page.plan,
        "namnd": namnd,
        "budget_year": budget_year,
        "today": timezone.localdate(),
        "may_create": page.plan is None and can(user, Action.ADD, "verksamhetsplan", namnd),
        "may_change": open_plan and can(user, Action.CHANGE, "verksamhetsplan", namnd),
        "may_adopt": open_plan and can(user, Action.APPROVE, "verksamhetsplan", namnd),
        "change_log": core_selectors.change_log(page.plan) if page.plan else None,
        **_dialogue(request, page.plan),
    })


@login_required
def verksamhetsplan_create(request: HttpRequest, namnd_id: int, year: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    require(request.user, Action.ADD, "verksamhetsplan", namnd)
    if plans.find_plan(namnd, budget_year) is not None:
        return redirect(_plan_url(namnd, budget_year))
    form = PlanForm(request.POST or None, goals=plans.plan_goals(namnd, budget_year))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(namnd=namnd, budget_year=budget_year, **form.plan_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Verksamhetsplanen är skapad. Skriv en rad för varje "
                                      "nämndmål.")
            return redirect(plan)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Ny verksamhetsplan {budget_year.year} – {namnd}",
        "back_url": _plan_url(namnd, budget_year),
    })


def _open_plan_or_redirect(request, namnd, budget_year):
    plan = plans.find_plan(namnd, budget_year)
    if plan is None:
        raise Http404("Verksamhetsplanen finns inte.")
    if plans.is_adopted(plan):
        messages.error(request, plans.LOCKED_MESSAGE)
        return plan, redirect(plan)
    return plan, None


@login_required
def verksamhetsplan_edit(request: HttpRequest, namnd_id: int, year: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    require(request.user, Action.CHANGE, "verksamhetsplan", namnd)
    plan, locked = _open_plan_or_redirect(request, namnd, budget_year)
    if locked:
        return locked
    initial = {"version": current_version(plan), "introduction": plan.introduction,
               "dialogue_goals": list(plan.dialogue_goals.all()),
               "dialogue_with": plan.dialogue_with}
    form = PlanForm(request.POST or None, initial=initial,
                    goals=plans.plan_goals(namnd, budget_year))
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_plan(plan=plan, version=form.cleaned_data["version"],
                              **form.plan_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect(plan)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Ändra verksamhetsplan {budget_year.year} – {namnd}",
        "back_url": plan.get_absolute_url(),
    })


@login_required
def verksamhetsplan_row(request: HttpRequest, namnd_id: int, year: int,
                        namndmal_id: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    goal = get_object_or_404(plans.plan_goals(namnd, budget_year), pk=namndmal_id)
    require(request.user, Action.CHANGE, "verksamhetsplan", namnd)
    plan, locked = _open_plan_or_redirect(request, namnd, budget_year)
    if locked:
        return locked
    row = plan.rows.filter(namndmal=goal).first()
    initial = {"version": current_version(row) if row else "0"}
    if row is not None:
        initial.update({name: getattr(row, name) for name in PlanRowForm.base_fields
                        if name != "version"})
    form = PlanRowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.save_row(plan=plan, namndmal=goal, version=form.cleaned_data["version"],
                           **form.row_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Raden för ”{goal}” är sparad.")
            return redirect(f"{plan.get_absolute_url()}#mal-{goal.pk}")
    return render(request, "goals/verksamhetsplan_row.html", {
        "form": form, "goal": goal, "plan": plan, "namnd": namnd, "budget_year": budget_year,
    })


@login_required
def verksamhetsplan_adopt(request: HttpRequest, namnd_id: int, year: int) -> HttpResponse:
    namnd, budget_year = _namnd_and_year(namnd_id, year)
    require(request.user, Action.APPROVE, "verksamhetsplan", namnd)
    plan, locked = _open_plan_or_redirect(request, namnd, budget_year)
    if locked:
        return locked
    form = AdoptPlanForm(request.POST or None, initial={"adopted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            saved = plans.adopt_plan(plan=plan, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            for warning in saved.warnings:
                messages.warning(request, warning)
            messages.success(request, "Nämndens beslut är registrerat. Verksamhetsplanen är "
                                      "låst.")
            return redirect(plan)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Registrera antagande: verksamhetsplan {budget_year.year} – "
                               f"{namnd}",
        "back_url": plan.get_absolute_url(),
    })
