"""Pages of the deviation cases: KS's register, one case, and the forms of its steps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budget.followup.chart import outcome_chart
from styrmodell import appointments
from styrmodell import selectors as core_selectors
from styrmodell.appointment_views import appointment_page
from styrmodell.errors import DomainError, NotApplicable
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.formatting import date_short
from styrmodell.paging import PAGE_PARAMETER, page_of, query_without_page
from styrmodell.permissions import Action, can, require
from styrmodell.views import dialogue_context, show_domain_error

from . import deadlines, exports, selectors, services
from .filters import CaseFilter
from .forms import (
    CloseForm,
    DateForm,
    DecisionForm,
    EffectForm,
    MeasureForm,
    OpinionForm,
)
from .mentions import mentions_of
from .models import Avvikelse, Yttrande


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """KS's uppsikt: every case across the nämnder, overdue first."""
    require(request.user, Action.VIEW, "deviation")
    years = core_selectors.budget_years().filter(deviation_cases__isnull=False).distinct()
    filters = CaseFilter(request.GET, years=[budget_year.year for budget_year in years],
                         queryset=selectors.readable_cases(request.user))
    today = timezone.localdate()
    cases = selectors.case_register(cases=filters.qs, today=today,
                                    only_overdue=filters.only_overdue)
    if request.GET.get("format") == "xlsx":
        rows = selectors.register_rows(cases, today)
        return xlsx_response(f"avvikelsearenden-{today:%Y-%m-%d}",
                             [Sheet(_("Avvikelseärenden"), exports.register_headers(),
                                    exports.register_rows(rows, today),
                                    caption=[_("Avvikelseärenden, uttag %(day)s")
                                             % {"day": date_short(today)}])])
    page = page_of(request, cases)
    page.object_list = selectors.register_rows(page.object_list, today)
    return render(request, "deviations/register.html", {
        "page": page, "query": query_without_page(request),
        "form": filters.form, "today": today, "export_query": _with_format(request),
    })


def _with_format(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop(PAGE_PARAMETER, None)
    query["format"] = "xlsx"
    return query.urlencode()


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        case = selectors.case_detail(pk)
    except Avvikelse.DoesNotExist as missing:
        raise Http404 from missing
    require(request.user, Action.VIEW, "deviation", case.namnd)
    today = timezone.localdate()
    year = selectors.namnd_year(case)
    measures_total = sum((m.expected_effect for m in case.measures.all()), Decimal(0))
    return render(request, "deviations/case_detail.html", {
        "case": case, "today": today, "measures_total": measures_total,
        "mentions": mentions_of(case, request.user),
        "gap": -case.variance.amount - measures_total,
        "still_significant": case.is_open and services.still_significant(case),
        "forecast_path": selectors.forecast_path(case, year),
        "chart": mark_safe(outcome_chart(year, chart_id="arendediagram")) if year else "",  # noqa: S308
        "obligations": deadlines.obligations(case, today),
        "steps": available_steps(request.user, case),
        "responsible": appointments.current_appointments(case),
        "may_appoint": case.is_open and case.is_deficit and appointments.may_appoint(
            request.user, case),
        "may_report_opinion": can(request.user, Action.ADD, "deviation_report", case.namnd),
        "change_log": core_selectors.change_log(case),
        **dialogue_context(request, case),
    })


@dataclass(frozen=True)
class Step:
    kind: str
    action: Action
    form: type[forms.Form]
    title: str
    done: str
    run: Callable[[HttpRequest, Avvikelse, dict], object]
    applies: Callable[[Avvikelse], bool]
    # The person appointed to answer for the case's measures may take this step too.
    appointable: bool = False

    def allowed(self, user, case: Avvikelse) -> bool:
        return can(user, self.action, self.kind, case.namnd,
                   obj=case if self.appointable else None)


def _today() -> object:
    return timezone.localdate()


def _deficit(case: Avvikelse) -> bool:
    return case.kind == "underskott"


STEPS: dict[str, Step] = {
    "atgard": Step(
        "deviation_measure", Action.ADD, MeasureForm,
        gettext_lazy("Redovisa en åtgärd"),
        gettext_lazy("Åtgärden är sparad."),
        lambda r, c, d: services.add_measure(case=c, author=r.user, **d),
        lambda c: _deficit(c) and not c.decided_on, appointable=True),
    "beslut": Step(
        "deviation_decision", Action.ADD, DecisionForm,
        gettext_lazy("Registrera nämndens beslut"),
        gettext_lazy("Nämndens beslut är registrerat."),
        lambda r, c, d: services.record_decision(case=c, recorder=r.user, today=_today(), **d),
        lambda c: _deficit(c) and not c.decided_on),
    "anmalan-ks": Step(
        "deviation_report", Action.ADD, DateForm,
        gettext_lazy("Registrera anmälan till KS"),
        gettext_lazy("Anmälan till KS är registrerad."),
        lambda r, c, d: services.record_reported_to_ks(case=c, today=_today(), **d),
        lambda c: _deficit(c) and bool(c.decided_on) and not c.reported_to_ks_on),
    "yttrande": Step(
        "deviation_measure", Action.ADD, OpinionForm,
        gettext_lazy("Yttrande till protokollet"),
        gettext_lazy("Yttrandet är sparat."),
        lambda r, c, d: services.add_opinion(case=c, author=r.user, today=_today(), **d),
        _deficit),
    "ksau": Step(
        "deviation_ksau", Action.ADD, DateForm,
        gettext_lazy("Registrera att KSAU är informerat"),
        gettext_lazy("Det är registrerat att KSAU är informerat."),
        lambda r, c, d: services.record_ksau_informed(case=c, chair=r.user, today=_today(),
                                                      **d),
        lambda c: not c.ksau_informed_on),
    "namnd-informerad": Step(
        "deviation_decision", Action.ADD, DateForm,
        gettext_lazy("Registrera att nämnden är informerad"),
        gettext_lazy("Det är registrerat att nämnden är informerad."),
        lambda r, c, d: services.record_namnd_informed(case=c, today=_today(), **d),
        lambda c: not _deficit(c) and not c.namnd_informed_on),
    "kf": Step(
        "deviation_report", Action.ADD, DateForm,
        gettext_lazy("Registrera återrapport till KF"),
        gettext_lazy("Återrapporten till KF är registrerad."),
        lambda r, c, d: services.record_reported_to_kf(case=c, today=_today(), **d),
        lambda c: c.report_to_kf and not c.reported_to_kf_on),
    "effekt": Step(
        "deviation_measure", Action.ADD, EffectForm,
        gettext_lazy("Rapportera åtgärdernas effekt"),
        gettext_lazy("Effektrapporten är sparad."),
        lambda r, c, d: services.add_effect_report(case=c, author=r.user, **d),
        lambda c: _deficit(c) and c.measures.exists(), appointable=True),
    "avsluta": Step(
        "deviation", Action.CHANGE, CloseForm,
        gettext_lazy("Avsluta ärendet"),
        gettext_lazy("Ärendet är avslutat."),
        lambda r, c, d: services.close_case(case=c, closer=r.user, today=_today(), **d),
        lambda c: True),
}


def available_steps(user, case: Avvikelse) -> list[tuple[str, Step]]:
    if not case.is_open:
        return []
    return [(code, step) for code, step in STEPS.items()
            if step.applies(case) and step.allowed(user, case)]


@login_required
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    case = get_object_or_404(Avvikelse.objects.select_related("namnd", "budget_year"), pk=pk)
    require(request.user, chosen.action, chosen.kind, case.namnd,
            obj=case if chosen.appointable else None)
    if not case.is_open:
        raise NotApplicable(_("Ärendet är avslutat; inget mer registreras i det."))
    if not chosen.applies(case):
        raise NotApplicable(_("Det här steget gäller inte ärendet, eller inte i dess "
                              "nuvarande läge. Se ärendet för vad som återstår."))
    form = chosen.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chosen.run(request, case, form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, chosen.done)
            return redirect(case)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": f"{chosen.title} – {case}", "back_url": case.get_absolute_url(),
    })


@login_required
def opinion_reported(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = get_object_or_404(Yttrande.objects.select_related("case__namnd"), pk=pk)
    require(request.user, Action.ADD, "deviation_report", opinion.case.namnd)
    form = DateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_opinion_reported(opinion=opinion, today=_today(),
                                             **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Protokollsutdraget är anmält till KS."))
            return redirect(opinion.case)
    return render(request, "styrmodell/form_page.html", {
        "form": form, "title": _("Protokollsutdrag anmält till KS – %(proposal)s")
        % {"proposal": opinion.proposal},
        "back_url": opinion.case.get_absolute_url(),
    })


@login_required
def case_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The förvaltningschef appoints a named official to prepare one case's measures (D2) and
    report their effect (D6)."""
    case = get_object_or_404(Avvikelse.objects.select_related("namnd", "budget_year"), pk=pk)
    if not (case.is_open and case.is_deficit):
        raise NotApplicable(_("Bara ett öppet ärende om underskott har åtgärder att redovisa."))
    return appointment_page(
        request, case, title=_("Utse ansvarig för åtgärderna"),
        lead=_("Den som utses redovisar åtgärder i ärendet och rapporterar deras effekt, men "
               "inget annat i %(namnd)s som personens roll inte redan ger. Yttrandet till "
               "protokollet är förvaltningschefens. Bara en tjänsteperson med en roll i "
               "nämndens förvaltning kan utses. Ansvaret upphör av sig självt efter sista "
               "dagen.") % {"namnd": case.namnd},
        # Effect reports follow the measures through the year (D6).
        default_end=dt.date(case.budget_year.year, 12, 31))
