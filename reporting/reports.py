"""Report periods and the workflow of their sections (F1, F2).

Periods open by themselves from the calendar's report deadlines (`open_due_periods`, registered
in the hourly due work, idempotent: one row per year and code). Every nämnd's section then goes
draft → submitted (förvaltningschef) → approved or returned (the nämnd, recorded by its
ordförande or sekreterare) and the report compiled (ekonomiavdelningen) → KS → KF (recorded by
the kommunsekreterare). Each step is kept as a dated Rapporthandelse.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budget.investments import services as investments
from styrmodell.errors import DomainError
from styrmodell.formatting import date_text
from styrmodell.models import (
    NAMND_LIKE_KINDS,
    BudgetYear,
    CalendarEvent,
    EventKind,
    FollowUpPeriod,
    OrganisationUnit,
    User,
)
from styrmodell.versioning import check_version

from .models import (
    PeriodStatus,
    Rapportavsnitt,
    Rapporthandelse,
    Rapportperiod,
    ReportKind,
    SectionStatus,
)
from .reports_content import assemble, figures_of

# Calendar code (styrmodell/calendar.py) -> (report code, kind, follow-up period).
CALENDAR_REPORTS = {
    "f1-uppfoljning-februari": ("feb", ReportKind.UPPFOLJNING, FollowUpPeriod.FEBRUARY),
    "f1-uppfoljning-april": ("apr", ReportKind.UPPFOLJNING, FollowUpPeriod.APRIL),
    "f1-delarsrapport-augusti": ("aug", ReportKind.DELAR, FollowUpPeriod.AUGUST),
    "f1-uppfoljning-oktober": ("okt", ReportKind.UPPFOLJNING, FollowUpPeriod.OCTOBER),
    # The nämndernas årsrapporter are their sections of the årsredovisning.
    "f1-arsrapport": ("ar", ReportKind.ARSREDOVISNING, FollowUpPeriod.YEAR),
}
KF_APPROVES_ANNUAL = "f1-arsredovisning"

# Messages kept in Swedish as constants and translated where they are shown.
SECTION_LOCKED = gettext_noop("Avsnittet är godkänt av nämnden och låst.")
SECTION_WAITING = gettext_noop("Avsnittet är inlämnat och väntar på nämndens beslut. Nämnden kan "
                               "återremittera det om något ska ändras.")
PERIOD_COMPILED = gettext_noop("Rapporten är sammanställd; avsnitten kan inte längre ändras.")
ALREADY_COMPILED = gettext_noop("Rapporten är redan sammanställd.")
DECIDED_WHEN_SUBMITTED = gettext_noop("Nämnden beslutar om ett avsnitt när förvaltningen har "
                                      "lämnat in det.")
TEXT_FIELDS = ("summary", "conclusion", "priorities", "recommendation", "future_challenges")


def open_days() -> int:
    return getattr(settings, "REPORT_OPEN_DAYS", 45)


def late_days() -> int:
    """How long after its deadline a report not yet opened is still opened by the task; older
    ones (say, the reports of the years before the application came into use) are left alone,
    so the first run does not chase them."""
    return getattr(settings, "REPORT_LATE_DAYS", 60)


def namnder() -> list[OrganisationUnit]:
    return list(OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS, is_active=True)
                .order_by("path"))


def _title(kind: str, period: str, year: int) -> str:
    if kind == ReportKind.ARSREDOVISNING:
        return f"Årsredovisning {year}"
    return f"{FollowUpPeriod(period).label} {year}"


def _log(*, period: Rapportperiod, step: str, on: dt.date, by: User | None = None,
         section: Rapportavsnitt | None = None, comment: str = "") -> None:
    Rapporthandelse.objects.create(period=period, section=section, step=step, on=on, by=by,
                                   comment=comment)


def _ensure_sections(period: Rapportperiod, units: list[OrganisationUnit]) -> int:
    have = set(period.sections.values_list("namnd_id", flat=True))
    new = [Rapportavsnitt(period=period, namnd=unit) for unit in units if unit.pk not in have]
    for section in new:
        section.save()  # one by one, so each has its history row
    return len(new)


@transaction.atomic
def open_period(*, event: CalendarEvent, today: dt.date) -> Rapportperiod | None:
    """Open the report a calendar deadline stands for, once: a second call finds it."""
    mapped = CALENDAR_REPORTS.get(event.code)
    if mapped is None:
        return None
    code, kind, follow_up = mapped
    decision_due = None
    if kind == ReportKind.ARSREDOVISNING:
        decision_due = (CalendarEvent.objects.filter(budget_year=event.budget_year,
                                                     code=KF_APPROVES_ANNUAL, unit__isnull=True)
                        .values_list("date", flat=True).first())
    period = Rapportperiod.objects.filter(budget_year=event.budget_year, code=code).first()
    if period is None:
        try:
            with transaction.atomic():
                period = Rapportperiod.objects.create(
                    budget_year=event.budget_year, code=code, kind=kind, period=follow_up,
                    title=_title(kind, follow_up, event.budget_year.year), deadline=event.date,
                    decision_due=decision_due, calendar_event=event, opened_on=today)
        except IntegrityError:  # opened by a concurrent run
            period = Rapportperiod.objects.get(budget_year=event.budget_year, code=code)
        else:
            _log(period=period, step="Öppnad från kalendern", on=today)
    _ensure_sections(period, namnder())
    return period


def open_due_periods(today: dt.date) -> int:
    """Due work: open every report whose deadline is within REPORT_OPEN_DAYS, or has passed
    less than REPORT_LATE_DAYS ago (the task ran late)."""
    horizon = today + dt.timedelta(days=open_days())
    events = (CalendarEvent.objects.filter(kind=EventKind.REPORT_DEADLINE, unit__isnull=True,
                                           code__in=CALENDAR_REPORTS, date__lte=horizon,
                                           date__gte=today - dt.timedelta(days=late_days()))
              .select_related("budget_year"))
    existing = set(Rapportperiod.objects.values_list("budget_year_id", "code"))
    opened = 0
    for event in events:
        is_new = (event.budget_year_id, CALENDAR_REPORTS[event.code][0]) not in existing
        if open_period(event=event, today=today) is not None and is_new:
            opened += 1
    return opened


@transaction.atomic
def request_extra(*, budget_year: BudgetYear, requested_on: dt.date, deadline: dt.date,
                  reason: str, by: User, today: dt.date) -> Rapportperiod:
    """F2: KSAU asks for an extra follow-up; the kommunsekreterare records it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Skriv skälet till KSAU:s begäran."), field="reason")
    if deadline < requested_on:
        raise DomainError(_("Sista dagen kan inte ligga före KSAU:s beslut."),
                          field="deadline")
    code = f"extra-{deadline:%Y%m%d}"
    if Rapportperiod.objects.filter(budget_year=budget_year, code=code).exists():
        raise DomainError(_("Det finns redan en extra uppföljning med samma sista dag."),
                          field="deadline")
    period = Rapportperiod.objects.create(
        budget_year=budget_year, code=code, kind=ReportKind.EXTRA, period="",
        title=f"Extra uppföljning {date_text(deadline)}", deadline=deadline,
        requested_on=requested_on, reason=reason, opened_on=today)
    _log(period=period, step="Begärd av KSAU", on=requested_on, by=by, comment=reason)
    _ensure_sections(period, namnder())
    return period


# --- a section's workflow -------------------------------------------------------------------


def _editable(section: Rapportavsnitt) -> None:
    if section.status == SectionStatus.APPROVED:
        raise DomainError(_(SECTION_LOCKED))
    if section.status == SectionStatus.SUBMITTED:
        raise DomainError(_(SECTION_WAITING))
    if section.period.status != PeriodStatus.OPEN:
        raise DomainError(_(PERIOD_COMPILED))


@transaction.atomic
def save_texts(*, section: Rapportavsnitt, version: str | None, by: User, **texts: str
               ) -> Rapportavsnitt:
    """The förvaltning writes the section's texts (summary, A5 conclusion and recommendation,
    A6 future challenges); refused when stale or once submitted/approved."""
    section = Rapportavsnitt.objects.select_for_update().select_related("period").get(
        pk=section.pk)
    check_version(section, version)
    _editable(section)
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise DomainError(_("Okända fält: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in texts.items():
        setattr(section, name, (value or "").strip())
    section.written_by = by
    section.save()
    return section


# A5 (§8.3): what the written assessment "ska ange"; A6 (§8.4): the future challenges. Both
# belong to the reports in which goal attainment is assessed, the delårsrapport and the
# årsredovisning (§8, §6.2, §6.4); an uppföljningsrapport reports economy, volumes and key
# figures (§6.5) and needs only its summary.
ANALYSIS_TEXTS = (
    ("conclusion", gettext_noop("Skriv slutsatsen: rapporten ska ange vilken slutsats nämnden "
                                "drar av måluppfyllelsen.")),
    ("priorities", gettext_noop("Skriv vilka aktiviteter som prioriteras under resten av "
                                "året.")),
    ("recommendation", gettext_noop("Skriv vilka förändringar som rekommenderas inför nästa "
                                    "år.")),
    ("future_challenges", gettext_noop("Skriv de framtida utmaningarna: vilka viktiga "
                                       "förändringar i verksamheten och omvärlden som väntas "
                                       "påverka verksamheten.")),
)


def required_texts(period: Rapportperiod) -> tuple[str, ...]:
    """The texts a section must have before it is submitted, by the kind of report."""
    if period.is_annual or period.kind == ReportKind.DELAR:
        return ("summary", *(name for name, _message in ANALYSIS_TEXTS))
    return ("summary",)


def _missing_texts(section: Rapportavsnitt) -> list[tuple[str, str]]:
    messages = {"summary": gettext_noop("Skriv en sammanfattning innan avsnittet lämnas in."),
                **dict(ANALYSIS_TEXTS)}
    return [(name, _(messages[name])) for name in required_texts(section.period)
            if not getattr(section, name).strip()]


@transaction.atomic
def submit(*, section: Rapportavsnitt, by: User, today: dt.date) -> Rapportavsnitt:
    """The förvaltning submits the section to its nämnd, with every text the kind of report
    requires (A5, A6); all that is missing is said at once."""
    section = Rapportavsnitt.objects.select_for_update().select_related("period").get(
        pk=section.pk)
    _editable(section)
    DomainError.raise_any(_missing_texts(section))
    section.status = SectionStatus.SUBMITTED
    section.submitted_on = today
    section.save()
    _log(period=section.period, section=section, step="Inlämnad av förvaltningen", on=today,
         by=by)
    return section


@transaction.atomic
def decide(*, section: Rapportavsnitt, approve: bool, decided_on: dt.date, paragraph: str,
           comment: str, by: User) -> Rapportavsnitt:
    """The nämnd approves (the section is locked) or returns it with a comment."""
    section = Rapportavsnitt.objects.select_for_update().select_related("period").get(
        pk=section.pk)
    if section.status != SectionStatus.SUBMITTED:
        raise DomainError(_(DECIDED_WHEN_SUBMITTED))
    comment = (comment or "").strip()
    if approve:
        section.approved_figures = figures_of(assemble(section.period, [section], user=by)[0])
        section.status = SectionStatus.APPROVED
        section.approved_on = decided_on
        section.paragraph = (paragraph or "").strip()
        section.return_comment = ""
        step = "Godkänd av nämnden"
    else:
        if not comment:
            raise DomainError(_("Skriv vad förvaltningen ska ändra när nämnden återremitterar."),
                              field="comment")
        section.status = SectionStatus.RETURNED
        section.return_comment = comment
        section.submitted_on = None
        step = "Återremitterad av nämnden"
    section.save()
    label = f"{step}{f', § {section.paragraph}' if approve and paragraph else ''}"
    _log(period=section.period, section=section, step=label, on=decided_on, by=by,
         comment=comment)
    return section


# --- the municipality's report ---------------------------------------------------------------


@transaction.atomic
def compile_report(*, period: Rapportperiod, version: str | None, summary: str, case_number: str,
                   by: User, today: dt.date) -> Rapportperiod:
    """The ekonomiavdelning compiles the approved sections with the municipality's summary."""
    period = Rapportperiod.objects.select_for_update().get(pk=period.pk)
    check_version(period, version)
    if period.status != PeriodStatus.OPEN:
        raise DomainError(_(ALREADY_COMPILED))
    waiting = [str(s.namnd) for s in period.sections.select_related("namnd")
               if s.status != SectionStatus.APPROVED]
    if waiting:
        raise DomainError(_("Alla nämnders avsnitt ska vara godkända innan rapporten "
                            "sammanställs. Inte godkända: %(namnder)s.")
                          % {"namnder": ", ".join(waiting)})
    if not (summary or "").strip():
        raise DomainError(_("Skriv kommunens sammanfattning."), field="summary")
    period.summary = summary.strip()
    period.case_number = (case_number or "").strip()
    period.status = PeriodStatus.COMPILED
    period.compiled_on = today
    period.save()
    _log(period=period, step="Sammanställd av ekonomiavdelningen", on=today, by=by)
    return period


@transaction.atomic
def record_decision(*, period: Rapportperiod, body: str, decided_on: dt.date, paragraph: str,
                    by: User) -> Rapportperiod:
    """The kommunsekreterare records KS's handling, then KF's approval."""
    period = Rapportperiod.objects.select_for_update().get(pk=period.pk)
    paragraph = (paragraph or "").strip()
    if body == "ks":
        if period.status != PeriodStatus.COMPILED:
            raise DomainError(
                _("KS behandlar rapporten när ekonomiavdelningen har sammanställt den."))
        period.status, period.ks_on, period.ks_paragraph = PeriodStatus.KS, decided_on, paragraph
        step = "Behandlad av KS"
    elif body == "kf":
        if period.status != PeriodStatus.KS:
            raise DomainError(_("KF godkänner rapporten efter att KS har behandlat den."))
        if period.ks_on and decided_on < period.ks_on:
            raise DomainError(_("KF:s beslut kan inte ligga före KS:s."), field="decided_on")
        period.status, period.kf_on, period.kf_paragraph = PeriodStatus.KF, decided_on, paragraph
        step = "Godkänd av KF"
    else:
        raise DomainError(_("Välj KS eller KF."), field="body")
    period.save()
    if body == "kf" and period.is_annual:
        # B9: ombudgetering of investment appropriations is decided with the årsredovisning;
        # the budget keeps the decision its moves are linked to.
        investments.record_annual_report_decision(
            budget_year=period.budget_year, decided_on=decided_on, paragraph=paragraph,
            case_number=period.case_number, recorded_by=by)
    _log(period=period, step=f"{step}{f', § {paragraph}' if paragraph else ''}", on=decided_on,
         by=by)
    return period


def previous_section(section: Rapportavsnitt) -> Rapportavsnitt | None:
    """The same nämnd's section in the report before this one (by deadline)."""
    return (Rapportavsnitt.objects.filter(namnd_id=section.namnd_id,
                                          period__deadline__lt=section.period.deadline)
            .select_related("period__budget_year", "namnd")
            .order_by("-period__deadline").first())
