"""The document kinds rendered as PDF through reporting/pdf_jobs.py (imported in ready())."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone

from goals.keyfigures import municipality_unit
from styrmodell.formatting import date_text

from .meeting_status import meeting_or_404, meeting_status
from .models import Rapportavsnitt, Rapportperiod, SectionStatus
from .municipality import consolidation, financial_goal_rows
from .pdf_jobs import PdfDocument, document_kind, pdf_filename, render_document_html
from .reports_content import assemble, economy_overview

MEETING_STATUS = "meeting_status"


def municipality_name() -> str:
    unit = municipality_unit()
    return unit.name if unit else ""


def site_url() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/")


@document_kind(MEETING_STATUS)
def meeting_status_document(meeting_id: int) -> PdfDocument:
    """F3: the economic status of one nämnd meeting."""
    meeting = meeting_or_404(meeting_id)
    status = meeting_status(meeting, today=timezone.localdate())
    presentation = status.presentation
    html = render_document_html("reporting/pdf_meeting_status_document.html", {
        "status": status,
        "municipality": municipality_name(),
        "document_title": status.title,
        "period": status.period,
        "dnr": "",
        "status_text": (f"Föredragen {date_text(presentation.presented_on)}" if presentation
                        else "Underlag inför sammanträdet"),
        "sections": [
            {"anchor": "f3-ekonomi", "title": "Ekonomiskt läge"},
            {"anchor": "f3-avvikelser", "title": "Öppna avvikelseärenden"},
            {"anchor": "f3-mal", "title": "Indikatorer för KF:s prioriterade mål"},
        ],
        "link_prefix": site_url(),
    })
    return PdfDocument(html=html, title=f"{status.title}, {status.period}",
                       filename=pdf_filename("lagesrapport", meeting.unit.short_name
                                             or str(meeting.unit.pk), f"{meeting.date}"))


# --- The municipality's compiled report of a period (F1) ----------------------------------------

REPORT_PERIOD = "report_period"


@document_kind(REPORT_PERIOD)
def report_period_document(period_id: int) -> PdfDocument:
    """The municipality's report of a period: its summary, the financial goals, every nämnd's
    section as the reading view shows it (with the outcome chart) and, in the årsredovisning,
    the accounts consolidated with the companies and foundations."""
    period = get_object_or_404(Rapportperiod.objects.select_related("budget_year"),
                               pk=period_id)
    # One document for every reader: a section is in it once its nämnd has approved it (P5).
    sections = list(period.sections.filter(status=SectionStatus.APPROVED)
                    .select_related("namnd", "written_by").order_by("namnd__path"))
    for section in sections:
        section.period = period
    contents = assemble(period, sections, user=None, compiled=True)  # one for every reader
    goals = financial_goal_rows(period)
    consolidated = consolidation(period)
    toc = [{"anchor": "sammanfattning", "title": "Kommunens sammanfattning"}]
    if goals:
        toc.append({"anchor": "finansiella-mal", "title": "Finansiella mål"})
    toc += [{"anchor": content.anchor, "title": str(content.namnd)} for content in contents]
    if consolidated:
        toc.append({"anchor": "bolag", "title": "Bolag och stiftelser"})
    html = render_document_html("reporting/pdf_report_document.html", {
        "report": period,
        "contents": contents,
        "overview": economy_overview(contents),
        "financial_goals": goals,
        "consolidation": consolidated,
        "municipality": municipality_name(),
        "document_title": period.title,
        "period": f"Budgetår {period.budget_year.year}",
        "dnr": period.case_number,
        "status_text": period.get_status_display(),
        "sections": toc,
    })
    return PdfDocument(html=html, title=f"{period.title}, {municipality_name()}",
                       filename=pdf_filename(period.title))


REPORT_SECTION = "report_section"


@document_kind(REPORT_SECTION)
def report_section_document(section_id: int) -> PdfDocument:
    """One nämnd's section of a report, as its page shows it (with the outcome chart)."""
    section = get_object_or_404(
        Rapportavsnitt.objects.select_related("period__budget_year", "namnd", "written_by"),
        pk=section_id)
    period = section.period
    content = assemble(period, [section], user=None)[0]  # one document for every reader
    title = f"{period.title}: {section.namnd}"
    html = render_document_html("reporting/pdf_report_document.html", {
        "report": period,
        "contents": [content],
        "single_section": True,
        "municipality": municipality_name(),
        "document_title": title,
        "period": f"Budgetår {period.budget_year.year}",
        "dnr": period.case_number,
        "status_text": section.get_status_display(),
        "sections": [],  # one section needs no table of contents
    })
    return PdfDocument(html=html, title=f"{title}, {municipality_name()}",
                       filename=pdf_filename(period.title, section.namnd.short_name
                                             or str(section.namnd.pk)))
