"""Pages of the budget cycle: the finance office's assumptions (B3-B6), budgetunderlag (B1, B5),
the distribution over verksamheter (B2), versions of a frame (B1) and the year's checklist.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.cycle import assumptions
from budget.cycle import services as cycle
from budget.cycle.forms import (
    AdjustmentForm,
    AdoptForm,
    FordelningForm,
    GridForm,
    IndexForm,
    PopulationForm,
    UnderlagForm,
    percent_field,
)
from budget.frames import selectors
from budget.models import (
    AdjustmentKind,
    AgeGroup,
    CostShare,
    CostType,
    FrameAdjustment,
    IndexRate,
    Population,
    Verksamhet,
    VolumeRate,
)
from styrmodell import selectors as core_selectors
from styrmodell.errors import DomainError
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.fields import KronorField
from styrmodell.formatting import input_number, moment_short
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, OrganisationUnit
from styrmodell.permissions import (
    Action,
    can,
    require,
    require_somewhere,
    require_unless_published,
)
from styrmodell.versioning import current_version
from styrmodell.views import no_budget_year, show_domain_error


def shown(value: Decimal | None) -> str | None:
    """A stored figure as the form shows it: 2,6 and 97 470 000 rather than 97470000.00."""
    return None if value is None else input_number(value)


def _year(year: int) -> BudgetYear:
    return get_object_or_404(BudgetYear, year=year)


def _namnd(namnd_id: int) -> OrganisationUnit:
    return get_object_or_404(OrganisationUnit, pk=namnd_id, kind__in=NAMND_LIKE_KINDS)


def _assumptions_url(budget_year: BudgetYear, anchor: str = "omrakning") -> str:
    return reverse("budget:assumptions", args=[budget_year.year]) + f"#{anchor}"


def _saved(request, budget_year: BudgetYear, what: str) -> HttpResponse:
    if budget_year.status == "planering":
        messages.success(request, f"{what} sparade. De preliminära ramarna är omräknade; se "
                                  "vad som ändrades nedan.")
    else:
        messages.success(request, f"{what} sparade. Budgetåret planeras inte längre, så inga "
                                  "ramar räknades om.")
    return redirect(_assumptions_url(budget_year))


# --- assumptions (B3-B6) -----------------------------------------------------------------------


def _assumption_tables(budget_year: BudgetYear) -> dict:
    namnder = list(assumptions.namnder())
    cost_types = list(CostType.objects.all())
    groups = list(AgeGroup.objects.all())
    years = assumptions.population_years(budget_year.year)
    rates = {rate.cost_type_id: rate for rate in IndexRate.objects.filter(budget_year=budget_year)}
    shares = {(s.namnd_id, s.cost_type_id): s.percent for s in CostShare.objects.all()}
    volume = {(r.namnd_id, r.age_group_id): r.amount for r in VolumeRate.objects.all()}
    population = {(p.age_group_id, p.year): p for p in Population.objects.filter(year__in=years)}
    run = assumptions.last_run(budget_year)
    return {
        "general": rates.get(None),
        "type_rates": [(ct, rates.get(ct.pk)) for ct in cost_types],
        "cost_types": cost_types,
        "groups": groups,
        "population_years": years,
        "share_rows": [(n, [shares.get((n.pk, ct.pk)) for ct in cost_types]) for n in namnder],
        "volume_rows": [(n, [volume.get((n.pk, g.pk)) for g in groups]) for n in namnder],
        "population_rows": [(g, [population.get((g.pk, y)) for y in years]) for g in groups],
        "adjustments": list(FrameAdjustment.objects.filter(budget_year=budget_year)
                            .select_related("namnd").order_by("kind", "namnd__path", "pk")),
        "run": run,
        "changes": assumptions.run_changes(run) if run else [],
    }


@login_required
def assumptions_page(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.VIEW, "budget_assumption")
    return render(request, "budget/cycle/assumptions.html", {
        "budget_year": budget_year,
        "years": core_selectors.budget_years(),
        **_assumption_tables(budget_year),
        "planning": budget_year.status == "planering",
        "may_change": can(request.user, Action.CHANGE, "budget_assumption"),
        "may_prioritise": can(request.user, Action.ADD, "frame_priority"),
    })


@login_required
def assumptions_excel(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.VIEW, "budget_assumption")
    t = _assumption_tables(budget_year)
    caption = [f"Antaganden för ramarna {year}",
               f"Uttaget {moment_short(timezone.localtime())}"]
    sheets = [
        Sheet("Index", ["Index", "Procent"],
              [("Allmänt index", t["general"].percent if t["general"] else None)]
              + [(str(ct), rate.percent if rate else None) for ct, rate in t["type_rates"]],
              caption),
        Sheet("Kostnadsandelar", ["Nämnd", *[f"{ct} (%)" for ct in t["cost_types"]]],
              [(str(n), *values) for n, values in t["share_rows"]], caption),
        Sheet("Befolkning", ["Åldersgrupp", *[f"{label} {y}" for y in t["population_years"]
                                              for label in ("Prognos", "Utfall")]],
              [(str(g), *[value for p in cells for value in
                          ((p.forecast, p.actual) if p else (None, None))])
               for g, cells in t["population_rows"]], caption),
        Sheet("Kronor per invånare", ["Nämnd", *[str(g) for g in t["groups"]]],
              [(str(n), *values) for n, values in t["volume_rows"]], caption),
        Sheet("Ramjusteringar", ["Typ", "Motivering", "Nämnd", "Procent", "Belopp (kr)"],
              [(a.get_kind_display(), a.reason, str(a.namnd or "Alla nämnder"), a.percent,
                a.amount) for a in t["adjustments"]], caption),
        Sheet("Senaste omräkning", ["Nämnd", "Före (kr)", "Efter (kr)", "Förändring (kr)"],
              [(str(c.namnd), c.old, c.new, c.difference) for c in t["changes"]], caption),
    ]
    return xlsx_response(f"antaganden-{year}", sheets)


def _assumption_form_page(request, budget_year, form, title, template, back_anchor, **extra):
    return render(request, template, {
        "form": form, "title": title, "budget_year": budget_year,
        "back_url": _assumptions_url(budget_year, back_anchor), **extra,
    })


@login_required
def edit_indices(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.CHANGE, "budget_assumption")
    cost_types = list(CostType.objects.all())
    rates = {rate.cost_type_id: rate.percent for rate in
             IndexRate.objects.filter(budget_year=budget_year)}
    initial = {"version": assumptions.index_version(budget_year),
               "general": shown(rates.get(None)),
               **{f"type_{ct.pk}": shown(rates.get(ct.pk)) for ct in cost_types}}
    form = IndexForm(request.POST or None, cost_types=cost_types, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assumptions.save_indices(budget_year=budget_year,
                                     version=form.cleaned_data["version"],
                                     general=form.cleaned_data["general"],
                                     by_type=form.by_type(), by=request.user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _saved(request, budget_year, "Indexen är")
    return _assumption_form_page(request, budget_year, form, f"Index {year}",
                                 "budget/cycle/form.html", "index",
                                 lead="Det allmänna indexet gäller hela ramen utom de "
                                      "kostnadsslag som har ett eget, differentierat index.")


def _grid_page(request, budget_year, *, title, lead, anchor, rows, columns, field_factory,
               prefix, current, version, save, what):
    form_class = type("Grid", (GridForm,), {"prefix_name": prefix})
    initial = {"version": version}
    for row in rows:
        for column in columns:
            initial[f"{prefix}_{row.pk}_{column.pk}"] = shown(current.get((row.pk, column.pk)))
    form = form_class(request.POST or None, rows=rows, columns=columns,
                      field_factory=field_factory, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(version=form.cleaned_data["version"], values=form.values())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _saved(request, budget_year, what)
    return _assumption_form_page(request, budget_year, form, title, "budget/cycle/grid.html",
                                 anchor, lead=lead)


@login_required
def edit_cost_shares(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.CHANGE, "budget_assumption")
    return _grid_page(
        request, budget_year, title="Kostnadsandelar per nämnd",
        lead="Hur stor del av nämndens ram varje kostnadsslag är, i procent. Resten räknas upp "
             "med det allmänna indexet. Gäller alla år.",
        anchor="andelar", rows=list(assumptions.namnder()), columns=list(CostType.objects.all()),
        field_factory=lambda label: percent_field(f"Andel {label} (%)"), prefix="share",
        current={(s.namnd_id, s.cost_type_id): s.percent for s in CostShare.objects.all()},
        version=assumptions.cost_share_version(),
        save=lambda version, values: assumptions.save_cost_shares(
            budget_year=budget_year, version=version, shares=values, by=request.user),
        what="Kostnadsandelarna är")


@login_required
def edit_volume_rates(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.CHANGE, "budget_assumption")
    return _grid_page(
        request, budget_year, title="Kronor per invånare",
        lead="Volymtillskottet per nämnd och åldersgrupp: förändringen i befolkningsprognosen "
             "gånger beloppet. Tomt: nämndens ram följer inte åldersgruppen.",
        anchor="volympeng", rows=list(assumptions.namnder()), columns=list(AgeGroup.objects.all()),
        field_factory=lambda label: KronorField(label=f"{label} (kr per invånare)", required=False,
                                                 size=12),
        prefix="rate",
        current={(r.namnd_id, r.age_group_id): r.amount for r in VolumeRate.objects.all()},
        version=assumptions.volume_rate_version(),
        save=lambda version, values: assumptions.save_volume_rates(
            budget_year=budget_year, version=version, rates=values, by=request.user),
        what="Beloppen per invånare är")


@login_required
def edit_population(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.CHANGE, "budget_assumption")
    groups, years = list(AgeGroup.objects.all()), assumptions.population_years(year)
    initial = {"version": assumptions.population_version(years)}
    for p in Population.objects.filter(year__in=years):
        initial[f"forecast_{p.age_group_id}_{p.year}"] = p.forecast
        initial[f"actual_{p.age_group_id}_{p.year}"] = p.actual
    form = PopulationForm(request.POST or None, groups=groups, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assumptions.save_population(budget_year=budget_year,
                                        version=form.cleaned_data["version"],
                                        rows=form.values(), by=request.user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _saved(request, budget_year, "Befolkningssiffrorna är")
    return _assumption_form_page(
        request, budget_year, form, "Befolkning per åldersgrupp", "budget/cycle/population.html",
        "befolkning",
        lead="Prognos och, när det är känt, utfall. Volymtillskotten följer prognosen; där "
             "utfallet blir lägre än prognosen ska nämnden lämna motsvarande överskott.")


def _adjustment_kinds(user) -> list[str]:
    kinds = []
    if can(user, Action.ADD, "frame_priority"):
        kinds += [AdjustmentKind.PRIORITY, AdjustmentKind.EARMARKED]
    if can(user, Action.CHANGE, "budget_assumption"):
        kinds.append(AdjustmentKind.EFFICIENCY)
    return kinds


@login_required
def adjustment_create(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    kinds = _adjustment_kinds(request.user)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if assumptions.permission_kind(kind) == "frame_priority":
            require(request.user, Action.ADD, "frame_priority")
        else:
            require(request.user, Action.CHANGE, "budget_assumption")
    elif not kinds:
        require(request.user, Action.ADD, "frame_priority")  # logs and refuses
    form = AdjustmentForm(request.POST or None, namnder=assumptions.namnder(), kinds=kinds,
                          initial={"version": "0", "kind": kinds[0]})
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        try:
            assumptions.create_adjustment(budget_year=budget_year, by=request.user, **data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _saved(request, budget_year, "Justeringarna är")
    return _assumption_form_page(request, budget_year, form, f"Ny ramjustering {year}",
                                 "budget/cycle/form.html", "justeringar", lead=ADJUSTMENT_LEAD)


ADJUSTMENT_LEAD = ("Politiska prioriteringar och specificerade budgettillskott gäller en "
                   "nämnd och anges i kronor; budgetberedningen lägger in dem. Förändringsuppdrag "
                   "gäller en nämnd eller alla och anges antingen i procent av förra årets "
                   "ram eller som belopp, aldrig båda; ekonomiavdelningen lägger in dem.")


@login_required
def adjustment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = get_object_or_404(FrameAdjustment.objects.select_related("budget_year"), pk=pk)
    budget_year = adjustment.budget_year
    require(request.user, Action.CHANGE, assumptions.permission_kind(adjustment.kind))
    kinds = [kind for kind in _adjustment_kinds(request.user)
             if assumptions.permission_kind(kind) == assumptions.permission_kind(adjustment.kind)]
    initial = {"version": current_version(adjustment), "kind": adjustment.kind,
               "namnd": adjustment.namnd, "reason": adjustment.reason,
               "amount": shown(adjustment.amount), "percent": shown(adjustment.percent)}
    form = AdjustmentForm(request.POST or None, namnder=assumptions.namnder(), kinds=kinds,
                          initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assumptions.update_adjustment(adjustment=adjustment,
                                          version=form.cleaned_data["version"],
                                          by=request.user,
                                          **{k: v for k, v in form.changes().items()})
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return _saved(request, budget_year, "Justeringarna är")
    return _assumption_form_page(request, budget_year, form,
                                 f"Ändra ramjustering: {adjustment.reason}",
                                 "budget/cycle/form.html", "justeringar", lead=ADJUSTMENT_LEAD,
                                 delete_url=reverse("budget:adjustment_delete", args=[pk]))


@login_required
@require_POST
def adjustment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    adjustment = get_object_or_404(FrameAdjustment.objects.select_related("budget_year"), pk=pk)
    kind = assumptions.permission_kind(adjustment.kind)
    require(request.user, Action.DELETE if kind == "frame_priority" else Action.CHANGE, kind)
    try:
        assumptions.delete_adjustment(adjustment=adjustment, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_assumptions_url(adjustment.budget_year, "justeringar"))
    return _saved(request, adjustment.budget_year, "Justeringarna är")


# --- budgetunderlag (B1, B5) -------------------------------------------------------------------


@login_required
def underlag_list(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require_somewhere(request.user, Action.VIEW, "budgetunderlag")
    rows = cycle.underlag_rows(budget_year)
    return render(request, "budget/cycle/underlag_list.html", {
        "budget_year": budget_year, "rows": rows,
        "years": core_selectors.budget_years(),
        "readable": cycle.readable_underlag(user=request.user, rows=rows),
    })


@login_required
def underlag_excel(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require_somewhere(request.user, Action.VIEW, "budgetunderlag")
    rows = cycle.underlag_rows(budget_year)
    return xlsx_response(f"budgetunderlag-{year}", [Sheet(
        f"Budgetunderlag {year}", ["Nämnd", "Status", "Antaget", "Paragraf", "Preliminär ram (kr)"],
        [(str(row.namnd), row.status, row.underlag.adopted_on if row.underlag else None,
          row.underlag.paragraph if row.underlag else "",
          row.preliminary.total if row.preliminary else None) for row in rows],
        [f"Nämndernas budgetunderlag {year}", f"Uttaget {moment_short(timezone.localtime())}"],
    )])


@login_required
def underlag_detail(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year, namnd = _year(year), _namnd(namnd_id)
    underlag = cycle.find_underlag(namnd, budget_year)
    open_ = underlag is None or not underlag.is_adopted
    require_unless_published(request.user, "budgetunderlag", namnd, published=not open_)
    return render(request, "budget/cycle/underlag.html", {
        "budget_year": budget_year, "namnd": namnd, "underlag": underlag,
        "preliminary": cycle.find_preliminary(namnd, budget_year),
        "general": IndexRate.objects.filter(budget_year=budget_year, cost_type=None).first(),
        "may_write": open_ and can(request.user, Action.ADD if underlag is None else Action.CHANGE,
                                   "budgetunderlag", namnd),
        "may_adopt": underlag is not None and open_
        and can(request.user, Action.APPROVE, "budgetunderlag", namnd),
        "change_log": core_selectors.change_log(underlag) if underlag else None,
    })


@login_required
def underlag_edit(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year, namnd = _year(year), _namnd(namnd_id)
    underlag = cycle.find_underlag(namnd, budget_year)
    require(request.user, Action.ADD if underlag is None else Action.CHANGE, "budgetunderlag",
            namnd)
    if underlag is not None and underlag.is_adopted:
        messages.error(request, cycle.UNDERLAG_LOCKED)
        return redirect(underlag)
    cost_types = list(CostType.objects.all())
    initial = {"version": cycle.underlag_version(underlag)}
    if underlag is not None:
        initial.update(goals_text=underlag.goals_text, consequences=underlag.consequences)
        for row in underlag.expected_indices.all():
            initial[f"index_{row.cost_type_id}"] = shown(row.percent)
            initial[f"reason_{row.cost_type_id}"] = row.reason
    form = UnderlagForm(request.POST or None, cost_types=cost_types, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = cycle.save_underlag(namnd=namnd, budget_year=budget_year,
                                        version=form.cleaned_data["version"],
                                        goals_text=form.cleaned_data["goals_text"],
                                        consequences=form.cleaned_data["consequences"],
                                        expected=form.expected())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Budgetunderlaget är sparat.")
            return redirect(saved)
    return render(request, "budget/cycle/underlag_form.html", {
        "form": form, "budget_year": budget_year, "namnd": namnd,
        "rates": IndexRate.objects.filter(budget_year=budget_year).select_related("cost_type")
        .order_by("cost_type__name"),
        "title": f"Budgetunderlag {year} – {namnd}",
        "back_url": reverse("budget:underlag", args=[year, namnd.pk]),
    })


@login_required
def underlag_adopt(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year, namnd = _year(year), _namnd(namnd_id)
    require(request.user, Action.APPROVE, "budgetunderlag", namnd)
    underlag = cycle.find_underlag(namnd, budget_year)
    if underlag is None:
        raise Http404("Budgetunderlaget finns inte.")
    if underlag.is_adopted:
        messages.error(request, cycle.UNDERLAG_LOCKED)
        return redirect(underlag)
    form = AdoptForm(request.POST or None, initial={"version": current_version(underlag),
                                                    "adopted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            cycle.adopt_underlag(underlag=underlag, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Nämndens beslut är registrerat. Budgetunderlaget är "
                                      "låst.")
            return redirect(underlag)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"Registrera antagande: budgetunderlag {year} – {namnd}",
        "back_url": underlag.get_absolute_url(),
    })


# --- distribution over verksamheter (B2) -------------------------------------------------------


@login_required
def fordelning_edit(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year, namnd = _year(year), _namnd(namnd_id)
    require(request.user, Action.CHANGE, "fordelning", namnd)
    frame = cycle.decided_frame(namnd, budget_year)
    fordelning = cycle.find_fordelning(namnd, budget_year)
    verksamheter = list(Verksamhet.objects.filter(namnd=namnd).order_by("code"))
    initial = {"version": cycle.fordelning_version(fordelning),
               "adopted_on": timezone.localdate()}
    if fordelning is not None:
        initial.update(adopted_on=fordelning.adopted_on, paragraph=fordelning.paragraph)
        for row in fordelning.rows.all():
            initial[f"amount_{row.verksamhet_id}"] = shown(row.amount)
    form = FordelningForm(request.POST or None, verksamheter=verksamheter, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle.save_fordelning(namnd=namnd, budget_year=budget_year,
                                  version=form.cleaned_data["version"], amounts=form.amounts(),
                                  adopted_on=form.cleaned_data["adopted_on"],
                                  paragraph=form.cleaned_data["paragraph"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, "Nämndens fördelning av ramen är registrerad.")
            return redirect(reverse("budget:frame", args=[year, namnd.pk]) + "#fordelning")
    return render(request, "budget/cycle/fordelning_form.html", {
        "form": form, "budget_year": budget_year, "namnd": namnd, "frame": frame,
        "fordelning": fordelning,
        "title": f"Fördelning på verksamheter {year} – {namnd}",
        "back_url": reverse("budget:frame", args=[year, namnd.pk]),
        "change_log": core_selectors.change_log(fordelning) if fordelning else None,
    })


# --- the year's checklist (B1) -----------------------------------------------------------------


@login_required
def cycle_index(request: HttpRequest) -> HttpResponse:
    budget_year = core_selectors.budget_year_to_show(prefer="planning")
    if budget_year is None:
        return no_budget_year(request, title=_("Budgetprocessen"))
    return redirect("budget:cycle", budget_year.year)


@login_required
def cycle_page(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.VIEW, "calendar_event")
    return render(request, "budget/cycle/year.html", {
        "budget_year": budget_year, "steps": cycle.checklist(budget_year),
        "years": core_selectors.budget_years(),
    })


@login_required
def cycle_excel(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = _year(year)
    require(request.user, Action.VIEW, "calendar_event")
    return xlsx_response(f"budgetprocessen-{year}", [Sheet(
        f"Budgetprocessen {year}", ["Datum", "Steg", "Läge", "Uppgifter i systemet"],
        [(step.event.date, step.event.title, step.state_label
          + (", datumet har passerat" if step.overdue else ""), step.text)
         for step in cycle.checklist(budget_year)],
        [f"Budgetprocessen {year}", f"Uttaget {moment_short(timezone.localtime())}"],
    )])


@login_required
def comparison_excel(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year, namnd = _year(year), _namnd(namnd_id)
    require(request.user, Action.VIEW, "frame", namnd)
    frames_by_stage = selectors.frames_of(namnd=namnd, budget_year=budget_year)
    context = frame_cycle_context(request, namnd, budget_year, frames_by_stage)
    caption = [f"Driftbudgetram {year} – {namnd}",
               f"Uttaget {moment_short(timezone.localtime())}"]
    sheets = []
    for title, comparison in (("Skeden", context["stage_comparison"]),
                              ("Versioner", context["version_comparison"])):
        if comparison is not None:
            sheets.append(Sheet(title, ["Del", "Rad", *[f"{t} (kr)" for t in comparison.titles],
                                        "Skillnad (kr)"],
                                [(row.kind_label, row.label, *row.amounts, row.difference)
                                 for row in comparison.rows]
                                + [("Ram", "", *comparison.totals, comparison.difference)],
                                caption))
    sheets.append(Sheet("Beräkningar", ["Beräknad", "Av", "Anledning", "Ram (kr)"],
                        [(v.run.computed_at,
                          str(v.run.computed_by or "Systemet"), v.run.reason, v.total)
                         for v in context["versions"]], caption))
    return xlsx_response(f"ram-{year}-{namnd.short_name or namnd.pk}-jamforelse", sheets)


# --- on the frame page: stages and versions side by side (B1), the distribution (B2) ----------


def frame_cycle_context(request: HttpRequest, namnd: OrganisationUnit, budget_year: BudgetYear,
                        frames_by_stage: list) -> dict:
    """What the frame page shows of the cycle; the frame view adds it to its own context."""
    preliminary = next((f for f in frames_by_stage if f.stage == "preliminar"), None)
    versions = cycle.versions_of(preliminary)
    chosen = {str(v.pk): v for v in versions}
    first, second = request.GET.get("a", ""), request.GET.get("b", "")
    if first not in chosen and len(versions) >= 2:
        first = str(versions[1].pk)
    if second not in chosen and versions:
        second = str(versions[0].pk)
    comparison = None
    if first in chosen and second in chosen and first != second:
        comparison = cycle.compare_versions(chosen[first], chosen[second])
    return {
        "stage_comparison": cycle.compare_stages(frames_by_stage),
        "versions": versions,
        "version_a": first, "version_b": second,
        "version_comparison": comparison,
        "fordelning": cycle.find_fordelning(namnd, budget_year),
        "may_distribute": cycle.decided_frame(namnd, budget_year) is not None
        and can(request.user, Action.CHANGE, "fordelning", namnd),
    }
