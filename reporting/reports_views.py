"""Pages of the follow-up reports: the list of periods, the municipality's report, one nämnd's
section with its dialogue, and the workflow's forms. Views parse, check and call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrmodell import appointments
from styrmodell.appointment_views import appointment_page
from styrmodell.errors import DomainError
from styrmodell.excel import Sheet, xlsx_response
from styrmodell.formatting import moment_short
from styrmodell.models import BudgetYear, OrganisationUnit
from styrmodell.permissions import (
    Action,
    can,
    require,
    require_somewhere,
    require_unless_published,
    restrict,
)
from styrmodell.selectors import change_log
from styrmodell.versioning import current_version
from styrmodell.views import dialogue_context, show_domain_error

from . import pdf_jobs, pdf_views, reports
from .models import PeriodStatus, Rapportavsnitt, Rapportperiod, SectionStatus
from .municipality import consolidation, financial_goal_rows
from .pdf_documents import REPORT_PERIOD, REPORT_SECTION
from .report_paging import report_page
from .report_work import period_is_late
from .reports_content import (
    assemble,
    changes_since,
    drift,
)
from .reports_forms import (
    CompileForm,
    ExtraFollowUpForm,
    ReportDecisionForm,
    SectionDecisionForm,
    SectionTextsForm,
    SubmitForm,
)


def _period(year: int, code: str) -> Rapportperiod:
    return get_object_or_404(Rapportperiod.objects.select_related("budget_year"),
                             budget_year__year=year, code=code)


def _section(period: Rapportperiod, namnd_id: int) -> Rapportavsnitt:
    section = (Rapportavsnitt.objects.select_related("namnd", "written_by")
               .filter(period=period, namnd_id=namnd_id).first())
    if section is None:
        raise Http404("Nämnden har inget avsnitt i rapporten.")
    section.period = period
    return section


def _require_readable(user, section: Rapportavsnitt) -> None:
    """A section is its nämnd's own until the nämnd approves it (P5)."""
    require_unless_published(user, "report_section", section.namnd,
                             published=section.is_approved, obj=section)


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    require_somewhere(request.user, Action.VIEW, "report_section")
    periods = list(Rapportperiod.objects.select_related("budget_year")
                   .prefetch_related("sections__namnd").order_by("-budget_year__year",
                                                                 "-deadline"))
    namnder = reports.namnder()
    # A section's page opens once its nämnd has approved it, before only within the reach (P5).
    own = set(restrict(OrganisationUnit.objects.filter(pk__in=[n.pk for n in namnder]),
                       request.user, "report_section", unit_field="").values_list("pk", flat=True))
    rows, today = [], timezone.localdate()
    for period in periods:
        by_namnd = {s.namnd_id: s for s in period.sections.all()}
        for section in by_namnd.values():
            section.readable = section.is_approved or section.namnd_id in own
        period.is_late = period_is_late(period, today)
        rows.append((period, [by_namnd.get(n.pk) for n in namnder]))
    return render(request, "reporting/reports_list.html", {
        "rows": rows, "namnder": namnder,
        "may_request": can(request.user, Action.ADD, "report_decision"),
    })


@login_required
def period_list_excel(request: HttpRequest) -> HttpResponse:
    require_somewhere(request.user, Action.VIEW, "report_section")
    namnder = reports.namnder()
    periods = (Rapportperiod.objects.select_related("budget_year")
               .prefetch_related("sections").order_by("-budget_year__year", "-deadline"))
    rows = []
    for period in periods:
        by_namnd = {s.namnd_id: s for s in period.sections.all()}
        rows.append([str(period), period.deadline, period.get_status_display(),
                     *[by_namnd[n.pk].get_status_display() if n.pk in by_namnd else ""
                       for n in namnder]])
    taken = _("Uttaget %(when)s") % {"when": moment_short(timezone.localtime())}
    return xlsx_response("rapporter", [Sheet(
        _("Rapporter"), [_("Rapport"), _("Sista dag"), _("Status"), *[str(n) for n in namnder]],
        rows, [_("Rapporter och nämndernas avsnitt"), taken],
    )])


@login_required
def period_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    period = _period(year, code)
    require(request.user, Action.VIEW, "report_compilation")
    # Other nämnder's sections once their nämnd has approved them (P5).
    sections = list(restrict(period.sections.select_related("namnd", "written_by"),
                             request.user, "report_section", unit_field="namnd",
                             published=Q(status=SectionStatus.APPROVED)).order_by("namnd__path"))
    for section in sections:
        section.period = period
    shown = report_page(request, period, sections, user=request.user)
    goals = financial_goal_rows(period, user=request.user)
    consolidated = consolidation(period, user=request.user)
    return render(request, "reporting/reports_period.html", {
        "period": period, "contents": shown.contents, "overview": shown.overview,
        "page": shown.page,
        "financial_goals": goals,
        "may_enter_outcomes": any(row.may_enter for row in goals),
        "consolidation": consolidated,
        "may_enter_companies": bool(consolidated)
        and any(row.may_enter for row in consolidated.rows),
        "events": period.events.filter(section__isnull=True).select_related("by"),
        "may_compile": period.status == PeriodStatus.OPEN
        and can(request.user, Action.CHANGE, "report_compilation"),
        "may_decide": period.status in {PeriodStatus.COMPILED, PeriodStatus.KS}
        and can(request.user, Action.APPROVE, "report_decision"),
        "all_approved": not period.sections.exclude(status=SectionStatus.APPROVED).exists(),
    })


@login_required
def section_detail(request: HttpRequest, year: int, code: str, namnd_id: int) -> HttpResponse:
    period = _period(year, code)
    section = _section(period, namnd_id)
    _require_readable(request.user, section)
    content = assemble(period, [section], user=request.user)[0]
    open_ = period.status == PeriodStatus.OPEN
    return render(request, "reporting/reports_section.html", {
        "period": period, "section": section, "content": content,
        "drift": drift(content) if section.status == SectionStatus.APPROVED else [],
        "may_write": open_ and not section.is_locked
        and can(request.user, Action.CHANGE, "report_section", section.namnd, obj=section),
        # Submitting to the nämnd stays with the roles; an appointed writer writes the texts.
        "may_submit": open_ and not section.is_locked
        and can(request.user, Action.CHANGE, "report_section", section.namnd),
        "responsible": appointments.current_appointments(section),
        "may_appoint": open_ and not section.is_locked
        and appointments.may_appoint(request.user, section),
        "may_decide": open_ and section.status == SectionStatus.SUBMITTED
        and can(request.user, Action.APPROVE, "report_approval", section.namnd),
        "previous": reports.previous_section(section),
        "events": section.events.select_related("by"),
        "change_log": change_log(section),
        **dialogue_context(request, section),
    })


@login_required
def section_changes(request: HttpRequest, year: int, code: str, namnd_id: int) -> HttpResponse:
    """What changed since the last report: this section beside the nämnd's previous one."""
    period = _period(year, code)
    section = _section(period, namnd_id)
    _require_readable(request.user, section)
    previous = reports.previous_section(section)
    return render(request, "reporting/reports_changes.html", {
        "period": period, "section": section, "previous": previous,
        "rows": changes_since(section, previous),
    })


def _form_page(request, *, title: str, form, section=None, period=None, notice: str = "",
               button: str = "", back_url: str):
    return render(request, "reporting/reports_form.html", {
        "title": title, "form": form, "notice": notice, "button": button or _("Spara"),
        "back_url": back_url, "section": section, "period": period,
    })


@login_required
def section_edit(request: HttpRequest, year: int, code: str, namnd_id: int) -> HttpResponse:
    period = _period(year, code)
    section = _section(period, namnd_id)
    require(request.user, Action.CHANGE, "report_section", section.namnd, obj=section)
    notice = ""
    if section.status == SectionStatus.APPROVED:
        notice = _(reports.SECTION_LOCKED)
    elif section.status == SectionStatus.SUBMITTED:
        notice = _(reports.SECTION_WAITING)
    elif period.status != PeriodStatus.OPEN:
        notice = _(reports.PERIOD_COMPILED)
    initial = {name: getattr(section, name) for name in reports.TEXT_FIELDS}
    initial["version"] = current_version(section)
    form = SectionTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and not notice and form.is_valid():
        data = form.changes()
        try:
            reports.save_texts(section=section, version=form.cleaned_data["version"],
                               by=request.user, **data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Texterna är sparade."))
            return redirect(section)
    return _form_page(request, title=_("Skriv avsnittet: %(namnd)s, %(period)s")
                      % {"namnd": section.namnd, "period": period}, form=form,
                      section=section, notice=notice, back_url=section.get_absolute_url())


@login_required
def section_submit(request: HttpRequest, year: int, code: str, namnd_id: int) -> HttpResponse:
    period = _period(year, code)
    section = _section(period, namnd_id)
    require(request.user, Action.CHANGE, "report_section", section.namnd)
    notice = _(reports.SECTION_LOCKED) if section.status == SectionStatus.APPROVED else (
        _(reports.SECTION_WAITING) if section.status == SectionStatus.SUBMITTED else "")
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and not notice and form.is_valid():
        try:
            reports.submit(section=section, by=request.user, today=timezone.localdate())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Avsnittet är inlämnat till nämnden."))
            return redirect(section)
    return _form_page(request, title=_("Lämna in avsnittet: %(namnd)s, %(period)s")
                      % {"namnd": section.namnd, "period": period}, form=form,
                      section=section, notice=notice, button=_("Lämna in"),
                      back_url=section.get_absolute_url())


@login_required
def section_decide(request: HttpRequest, year: int, code: str, namnd_id: int) -> HttpResponse:
    period = _period(year, code)
    section = _section(period, namnd_id)
    require(request.user, Action.APPROVE, "report_approval", section.namnd)
    notice = "" if section.status == SectionStatus.SUBMITTED else _(reports.DECIDED_WHEN_SUBMITTED)
    form = SectionDecisionForm(request.POST or None,
                               initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and not notice and form.is_valid():
        data = form.cleaned_data
        try:
            reports.decide(section=section, approve=data["decision"] == "godkann",
                           decided_on=data["decided_on"], paragraph=data["paragraph"],
                           comment=data["comment"], by=request.user)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Nämndens beslut är registrerat."))
            return redirect(section)
    return _form_page(request, title=_("Registrera nämndens beslut: %(namnd)s, %(period)s")
                      % {"namnd": section.namnd, "period": period},
                      form=form, section=section, notice=notice,
                      button=_("Registrera beslutet"),
                      back_url=section.get_absolute_url())


@login_required
def period_compile(request: HttpRequest, year: int, code: str) -> HttpResponse:
    period = _period(year, code)
    require(request.user, Action.CHANGE, "report_compilation")
    notice = "" if period.status == PeriodStatus.OPEN else _(reports.ALREADY_COMPILED)
    form = CompileForm(request.POST or None, initial={
        "version": current_version(period), "summary": period.summary,
        "case_number": period.case_number})
    if request.method == "POST" and not notice and form.is_valid():
        try:
            reports.compile_report(period=period, by=request.user, today=timezone.localdate(),
                                   **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Rapporten är sammanställd och går vidare till KS."))
            return redirect(period)
    return _form_page(request, title=_("Sammanställ %(period)s") % {"period": period},
                      form=form, period=period, notice=notice, button=_("Sammanställ"),
                      back_url=period.get_absolute_url())


@login_required
def period_decide(request: HttpRequest, year: int, code: str) -> HttpResponse:
    period = _period(year, code)
    require(request.user, Action.APPROVE, "report_decision")
    notice = "" if period.status in {PeriodStatus.COMPILED, PeriodStatus.KS} else (
        _("KS och KF beslutar om rapporten när den är sammanställd."))
    form = ReportDecisionForm(request.POST or None, initial={
        "decided_on": timezone.localdate(),
        "body": "kf" if period.status == PeriodStatus.KS else "ks"})
    if request.method == "POST" and not notice and form.is_valid():
        try:
            reports.record_decision(period=period, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Beslutet är registrerat."))
            return redirect(period)
    return _form_page(request, title=_("Registrera beslut om %(period)s") % {"period": period},
                      form=form, period=period, notice=notice,
                      button=_("Registrera beslutet"),
                      back_url=period.get_absolute_url())


@login_required
def extra_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.ADD, "report_decision")
    today = timezone.localdate()
    form = ExtraFollowUpForm(request.POST or None, initial={"requested_on": today})
    if request.method == "POST" and form.is_valid():
        budget_year = BudgetYear.objects.filter(year=form.cleaned_data["deadline"].year).first()
        if budget_year is None:
            form.add_error("deadline", _("Det finns inget budgetår för det datumet."))
        else:
            try:
                period = reports.request_extra(budget_year=budget_year, by=request.user,
                                               today=today, **form.cleaned_data)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("Den extra uppföljningen är öppnad för nämnderna."))
                return redirect(period)
    return _form_page(request, title=_("Registrera extra uppföljning som KSAU begärt"),
                      form=form, button=_("Öppna uppföljningen"), back_url="/rapporter/")


# --- The municipality's report as PDF (through reporting/pdf_jobs.py) ---------------------------

def _require_report(user, period_id: int) -> None:
    get_object_or_404(Rapportperiod, pk=period_id)
    require(user, Action.VIEW, "report_compilation")


# Whoever may read the report's page may read its PDF.
pdf_views.PDF_ACCESS[REPORT_PERIOD] = _require_report


@login_required
@require_POST
def period_pdf(request: HttpRequest, year: int, code: str) -> HttpResponse:
    period = _period(year, code)
    require(request.user, Action.VIEW, "report_compilation")
    rendering, _ = pdf_jobs.request_rendering(kind=REPORT_PERIOD, object_id=period.pk,
                                              user=request.user)
    return redirect(rendering)


def _require_section(user, section_id: int) -> None:
    section = get_object_or_404(Rapportavsnitt.objects.select_related("namnd"), pk=section_id)
    _require_readable(user, section)


pdf_views.PDF_ACCESS[REPORT_SECTION] = _require_section


@login_required
@require_POST
def section_pdf(request: HttpRequest, year: int, code: str, namnd_id: int) -> HttpResponse:
    section = _section(_period(year, code), namnd_id)
    _require_readable(request.user, section)
    rendering, _ = pdf_jobs.request_rendering(kind=REPORT_SECTION, object_id=section.pk,
                                              user=request.user)
    return redirect(rendering)


@login_required
def section_appoint(request: HttpRequest, year: int, code: str, namnd_id: int) -> HttpResponse:
    """The förvaltningschef appoints a named official to write one section's texts."""
    period = _period(year, code)
    section = _section(period, namnd_id)
    if period.status != PeriodStatus.OPEN or section.is_locked:
        raise PermissionDenied(_(reports.SECTION_LOCKED))
    return appointment_page(
        request, section, title=_("Utse ansvarig för avsnittet"),
        lead=_("Den som utses skriver avsnittets texter under perioden, men inget annat i "
               "%(namnd)s som personens roll inte redan ger; förvaltningschefen lämnar in "
               "avsnittet till nämnden. Bara en tjänsteperson med en roll i nämndens "
               "förvaltning kan utses. Ansvaret upphör av sig självt efter sista dagen.")
        % {"namnd": section.namnd},
        default_end=period.deadline)
