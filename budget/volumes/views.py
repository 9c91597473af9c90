"""Pages of verksamhetens volymer (F1): every nämnd's volumes in a follow-up, one nämnd's
measures with the entry of outcome and forecast, and editing a measure."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budget.models import Volymmatt
from budget.volumes import exports as volumes_exports
from budget.volumes import services as volumes
from budget.volumes.forms import FollowUpForm, MeasureForm
from styrmodell import appointments
from styrmodell.appointment_views import appointment_page
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
from styrmodell.selectors import budget_year_to_show, budget_years, change_log
from styrmodell.versioning import current_version
from styrmodell.views import no_budget_year, show_domain_error

# Column heads of the table of forecasts per follow-up.
SHORT_LABELS = {"feb": "Februari", "apr": "April", "aug": "Augusti (delår)", "okt": "Oktober",
                "ar": "Utfall helår"}


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _period(request: HttpRequest, budget_year: BudgetYear) -> str:
    """The follow-up asked for, or the latest any nämnd has reported in (February before)."""
    period = request.GET.get("period")
    if period in FollowUpPeriod.values:
        return period
    return volumes.latest_reported_period(budget_year=budget_year) or FOLLOW_UP_ORDER[0]


def _periods(period: str) -> list[tuple[str, str, bool]]:
    return [(value, FollowUpPeriod(value).label, value == period) for value in FOLLOW_UP_ORDER]


def _namnd_or_404(namnd_id: int) -> OrganisationUnit:
    return get_object_or_404(OrganisationUnit, pk=namnd_id, kind__in=NAMND_LIKE_KINDS)


def _namnd_url(year: int, namnd_id: int, period: str, anchor: str = "") -> str:
    return (reverse("budget:volumes_namnd", args=[year, namnd_id]) + f"?period={period}"
            + (f"#{anchor}" if anchor else ""))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    budget_year = budget_year_to_show(prefer="running")
    if budget_year is None:
        return no_budget_year(request, title=_("Verksamhetens volymer"))
    return redirect("budget:volumes", budget_year.year)


@login_required
def overview(request: HttpRequest, year: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    require(request.user, Action.VIEW, "volume")
    period = _period(request, budget_year)
    namnder = volumes.namnder_with_volumes(budget_year=budget_year)
    data = list(volumes.volumes_for(budget_year=budget_year, namnder=namnder, period=period,
                                    population=False).values())
    if _wants_xlsx(request):
        return xlsx_response(f"volymer-{year}-{period}",
                             volumes_exports.overview_sheets(data, year=year, period=period))
    return render(request, "budget/volumes/overview.html", {
        "budget_year": budget_year, "volumes": data, "period": period,
        "period_label": FollowUpPeriod(period).label, "periods": _periods(period),
        "is_year_end": period == FollowUpPeriod.YEAR,
        "years": budget_years(),
    })


def _appointed_measures(user, namnd: OrganisationUnit, budget_year: BudgetYear
                        ) -> list[Volymmatt]:
    return list(appointments.answered_by(
        user, Volymmatt.objects.filter(namnd=namnd, budget_year=budget_year))
        .order_by("position", "pk"))


def _render_namnd(request: HttpRequest, namnd: OrganisationUnit, budget_year: BudgetYear,
                  period: str, *, measure_form: MeasureForm | None = None,
                  followup_form: FollowUpForm | None = None) -> HttpResponse:
    data = volumes.namnd_volumes(namnd=namnd, budget_year=budget_year, period=period)
    closed = budget_year.status == BudgetYearStatus.CLOSED
    may_add = not closed and can(request.user, Action.ADD, "volume", namnd)
    may_change = not closed and can(request.user, Action.CHANGE, "volume", namnd)
    measures = [row.measure for row in data.rows]
    responsible = appointments.current_for(measures)
    if closed:
        writable = []
    elif may_change:
        writable = measures
    else:
        # A person appointed to answer for some of the measures fills in those only.
        writable = _appointed_measures(request.user, namnd, budget_year)
    if writable and followup_form is None:
        version = volumes.followups_version(namnd=namnd, budget_year=budget_year, period=period)
        followup_form = FollowUpForm(
            initial=FollowUpForm.initial_for(
                {row.measure.pk: row.entry for row in data.rows if row.entry}, version),
            measures=writable, period=period)
    if may_add and measure_form is None:
        measure_form = MeasureForm(auto_id="id_nytt_%s")
    previous_year = budget_year.year - 1
    present = {measure.name.lower() for measure in measures}
    may_copy = may_add and any(
        name.lower() not in present for name in Volymmatt.objects.filter(
            namnd=namnd, budget_year__year=previous_year).values_list("name", flat=True))
    return render(request, "budget/volumes/namnd.html", {
        "budget_year": budget_year, "namnd": namnd, "data": data, "period": period,
        "period_label": FollowUpPeriod(period).label, "periods": _periods(period),
        "is_year_end": period == FollowUpPeriod.YEAR,
        "closed": closed, "may_add": may_add, "may_change": may_change,
        "followup_form": followup_form if writable else None,
        "all_measures": may_change, "any_responsible": bool(responsible),
        "responsible": [(row.measure, responsible.get(row.measure.pk, [])) for row in data.rows],
        "may_appoint": not closed and bool(data.rows) and appointments.may_appoint(
            request.user, data.rows[0].measure),
        "measure_form": measure_form if may_add else None,
        "may_copy": may_copy, "previous_year": previous_year,
        "period_order": SHORT_LABELS.items(),
    })


@login_required
def namnd_page(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = _namnd_or_404(namnd_id)
    require(request.user, Action.VIEW, "volume", namnd)
    period = _period(request, budget_year)
    if _wants_xlsx(request):
        data = volumes.namnd_volumes(namnd=namnd, budget_year=budget_year, period=period)
        return xlsx_response(f"volymer-{year}-{namnd.short_name or namnd.pk}-{period}",
                             volumes_exports.namnd_sheets(data))
    return _render_namnd(request, namnd, budget_year, period)


@login_required
@require_POST
def measure_add(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = _namnd_or_404(namnd_id)
    require(request.user, Action.ADD, "volume", namnd)
    period = _period(request, budget_year)
    form = MeasureForm(request.POST, auto_id="id_nytt_%s")
    if form.is_valid():
        try:
            measure = volumes.add_measure(namnd=namnd, budget_year=budget_year,
                                          **form.measure_fields())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, f"Måttet ”{measure.name}” är tillagt.")
            return redirect(_namnd_url(year, namnd.pk, period, "volymer"))
    return _render_namnd(request, namnd, budget_year, period, measure_form=form)


@login_required
@require_POST
def measure_copy(request: HttpRequest, year: int, namnd_id: int) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = _namnd_or_404(namnd_id)
    require(request.user, Action.ADD, "volume", namnd)
    try:
        added = volumes.copy_measures(namnd=namnd, budget_year=budget_year)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{len(added)} mått från {year - 1} är kopierade. Kontrollera "
                                  f"den budgeterade volymen för {year}.")
    return redirect(reverse("budget:volumes_namnd", args=[year, namnd.pk]))


@login_required
@require_POST
def followup_save(request: HttpRequest, year: int, namnd_id: int, period: str) -> HttpResponse:
    budget_year = get_object_or_404(BudgetYear, year=year)
    namnd = _namnd_or_404(namnd_id)
    if period not in FollowUpPeriod.values:
        raise Http404
    if can(request.user, Action.CHANGE, "volume", namnd):
        measures = list(Volymmatt.objects.filter(namnd=namnd, budget_year=budget_year)
                        .order_by("position", "pk"))
    else:
        # Only the measures the person is appointed to answer for; nobody else gets further.
        measures = _appointed_measures(request.user, namnd, budget_year)
        if not measures:
            require(request.user, Action.CHANGE, "volume", namnd)
    form = FollowUpForm(request.POST, measures=measures, period=period)
    if form.is_valid():
        try:
            changed = volumes.save_followups(
                namnd=namnd, budget_year=budget_year, period=period,
                version=form.cleaned_data["version"], entries=form.entries(), by=request.user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            label = FollowUpPeriod(period).label.lower()
            messages.success(request, f"Volymerna för {label} är sparade."
                             if changed else f"Inga ändringar i volymerna för {label}.")
            return redirect(_namnd_url(year, namnd.pk, period, "volymer"))
    return _render_namnd(request, namnd, budget_year, period, followup_form=form)


def _measure_or_404(pk: int) -> Volymmatt:
    return get_object_or_404(Volymmatt.objects.select_related("namnd", "budget_year"), pk=pk)


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One measure as everyone reads it: its figures, who answers for it, its history."""
    measure = _measure_or_404(pk)
    require(request.user, Action.VIEW, "volume", measure.namnd)
    return _measure_page(request, measure, form=None)


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure_or_404(pk)
    require(request.user, Action.CHANGE, "volume", measure.namnd)
    if request.method == "POST":
        form = MeasureForm(request.POST)
        if form.is_valid():
            try:
                volumes.update_measure(measure=measure, version=form.cleaned_data["version"],
                                       **form.measure_fields())
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, f"Måttet ”{form.cleaned_data['name']}” är sparat.")
                return redirect(_back(measure))
    else:
        form = MeasureForm(initial=MeasureForm.initial_for(measure, current_version(measure)))
    return _measure_page(request, measure, form=form)


def _back(measure: Volymmatt) -> str:
    return reverse("budget:volumes_namnd", args=[measure.budget_year.year, measure.namnd_id])


def _measure_page(request: HttpRequest, measure: Volymmatt, *, form: MeasureForm | None
                  ) -> HttpResponse:
    closed = measure.budget_year.status == BudgetYearStatus.CLOSED
    return render(request, "budget/volumes/measure_form.html", {
        "measure": measure, "form": form, "back_url": _back(measure), "closed": closed,
        "may_change": can(request.user, Action.CHANGE, "volume", measure.namnd),
        "may_delete": can(request.user, Action.DELETE, "volume", measure.namnd),
        "responsible": appointments.current_appointments(measure),
        "may_appoint": not closed and appointments.may_appoint(request.user, measure),
        "answers_for": appointments.answers_for(request.user, measure),
        "reported": measure.followups.exists(),
        "change_log": change_log(measure),
    })


@login_required
@require_POST
def measure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure_or_404(pk)
    require(request.user, Action.DELETE, "volume", measure.namnd)
    back = reverse("budget:volumes_namnd", args=[measure.budget_year.year, measure.namnd_id])
    try:
        volumes.delete_measure(measure=measure)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(measure)
    messages.success(request, f"Måttet ”{measure.name}” är borttaget.")
    return redirect(back)


@login_required
def measure_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The förvaltningschef appoints a named official to report one measure's outcome and
    forecast in the year's follow-ups (F1)."""
    measure = _measure_or_404(pk)
    year = measure.budget_year.year
    return appointment_page(
        request, measure, title=_("Utse ansvarig för måttet"),
        lead=_("Den som utses fyller i måttets utfall, helårsprognos och kommentar i årets "
               "uppföljningar, men inget annat i %(namnd)s som personens roll inte redan ger; "
               "måttet och den budgeterade volymen ändras av förvaltningschefen och "
               "ekonomiavdelningen. Bara en tjänsteperson med en roll i nämndens förvaltning "
               "kan utses. Ansvaret upphör av sig självt efter sista dagen.")
        % {"namnd": measure.namnd},
        # The year's outcome is reported in the årsredovisning, early the year after.
        default_end=dt.date(year + 1, 2, 28))
