"""F3's meeting page, its PDF, and the progress and download of any rendered PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrmodell.errors import DomainError
from styrmodell.models import OrganisationUnit
from styrmodell.permissions import Action, require
from styrmodell.views import show_domain_error

from . import meeting_status as f3
from . import pdf_jobs
from .models import PdfRendering, Rapportavsnitt, Rapportperiod, RenderingStatus
from .pdf_documents import MEETING_STATUS, REPORT_PERIOD, REPORT_SECTION
from .pdf_forms import PresentedForm

REFRESH_SECONDS = 2


def _require_meeting(user, meeting) -> None:
    require(user, Action.VIEW, "meeting", meeting.unit)
    require(user, Action.VIEW, "forecast", meeting.unit)


# Who may read a rendered PDF: the same as who may read the page it was made from.
PDF_ACCESS = {
    MEETING_STATUS: lambda user, object_id: _require_meeting(user, f3.meeting_or_404(object_id)),
}


def _render_meeting(request: HttpRequest, meeting, form: PresentedForm | None = None,
                    status: int = 200) -> HttpResponse:
    data = f3.meeting_status(meeting, today=timezone.localdate())
    may_record = f3.may_record_presented(request.user, meeting)
    return render(request, "reporting/pdf_meeting_status.html", {
        "status": data,
        "meeting": meeting,
        "may_record": may_record and data.presentation is None,
        "meeting_held": meeting.date <= timezone.localdate(),
        "form": form or PresentedForm(),
        "rendering": pdf_jobs.latest_rendering(kind=MEETING_STATUS, object_id=meeting.pk),
        "link_prefix": "",
    }, status=status)


@login_required
def meeting_status_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = f3.meeting_or_404(meeting_id)
    _require_meeting(request.user, meeting)
    return _render_meeting(request, meeting)


@login_required
def namnd_current_meeting(request: HttpRequest, namnd_id: int) -> HttpResponse:
    """From a nämnd's follow-up page: the status page of its next (or latest) meeting."""
    namnd = get_object_or_404(OrganisationUnit, pk=namnd_id, kind__in=f3.NAMND_KINDS)
    require(request.user, Action.VIEW, "meeting", namnd)
    meeting = f3.current_meeting(namnd=namnd, today=timezone.localdate())
    if meeting is None:
        raise Http404("Nämnden har inga sammanträden i kalendern.")
    return redirect("reporting:meeting_status", meeting.pk)


@login_required
@require_POST
def meeting_presented(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = f3.meeting_or_404(meeting_id)
    require(request.user, Action.ADD, "meeting_presentation", meeting.unit)
    form = PresentedForm(request.POST)
    if form.is_valid():
        try:
            f3.record_presented(meeting=meeting, user=request.user,
                                paragraph=form.cleaned_data["paragraph"],
                                today=timezone.localdate())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Lägesrapporten är registrerad som föredragen vid "
                                        "sammanträdet."))
            return redirect("reporting:meeting_status", meeting.pk)
    return _render_meeting(request, meeting, form, status=400)


@login_required
@require_POST
def meeting_status_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = f3.meeting_or_404(meeting_id)
    _require_meeting(request.user, meeting)
    rendering, _ = pdf_jobs.request_rendering(kind=MEETING_STATUS, object_id=meeting.pk,
                                              user=request.user)
    return redirect(rendering)


def _rendering_for(request: HttpRequest, pk: int) -> PdfRendering:
    rendering = get_object_or_404(PdfRendering.objects.defer("pdf"), pk=pk)
    check = PDF_ACCESS.get(rendering.kind)
    if check is None:
        raise Http404
    check(request.user, rendering.object_id)
    return rendering


@login_required
def pdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a rendering; reloads itself (HTTP Refresh, no script) until it is done."""
    rendering = _rendering_for(request, pk)
    response = render(request, "reporting/pdf_status.html", {
        "rendering": rendering,
        "refresh_seconds": REFRESH_SECONDS,
        "back_url": _back_url(rendering),
    })
    if not rendering.is_finished:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def _back_url(rendering: PdfRendering) -> str:
    """The page the document was asked for from."""
    if rendering.kind == MEETING_STATUS:
        return reverse("reporting:meeting_status", args=[rendering.object_id])
    source = {REPORT_PERIOD: Rapportperiod.objects.select_related("budget_year"),
              REPORT_SECTION: Rapportavsnitt.objects.select_related("period__budget_year")}
    found = source[rendering.kind].filter(pk=rendering.object_id).first() \
        if rendering.kind in source else None
    return found.get_absolute_url() if found else ""


@login_required
def pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    rendering = _rendering_for(request, pk)
    if rendering.status != RenderingStatus.DONE:
        return redirect(rendering)
    pdf = PdfRendering.objects.values_list("pdf", flat=True).get(pk=rendering.pk)
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{rendering.filename}"'
    return response
