"""The document kinds rendered as PDF through reporting/pdf_jobs.py (imported in ready())."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from goals.keyfigures import municipality_unit

from .meeting_status import meeting_or_404, meeting_status
from .pdf_jobs import PdfDocument, document_kind, pdf_filename, render_document_html

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
        "status_text": (f"Föredragen {presentation.presented_on:%Y-%m-%d}" if presentation
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
