"""PDF documents rendered in the background: one registry of document kinds, one cache.

A document kind builds its complete HTML from the data; the SHA-256 of that HTML is the cache
key. Asking for a PDF whose HTML is unchanged returns the stored rendering without rendering
again; changed data gives new HTML, a new hash and a new rendering. The rendering itself runs
in the Celery task `render_pdf_task` below (in-process when Celery is eager).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from styrmodell import background
from styrmodell.errors import DomainError

from .models import PdfRendering, RenderingStatus
from .pdf import render_pdf_pages

logger = logging.getLogger("styrmodell.pdf")


@dataclass
class PdfDocument:
    html: str
    title: str
    filename: str

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()


# kind -> builder(object_id) -> PdfDocument. Other parts register their reports here.
DOCUMENT_KINDS: dict[str, Callable[[int], PdfDocument]] = {}


def document_kind(code: str):
    def register(builder):
        DOCUMENT_KINDS[code] = builder
        return builder
    return register


def build_document(kind: str, object_id: int) -> PdfDocument:
    """The document in Swedish, whoever asks: the council's documents are Swedish, and one
    rendering (keyed by its HTML) serves every reader, also when an English-speaking user's
    request renders it in-process."""
    try:
        builder = DOCUMENT_KINDS[kind]
    except KeyError:
        raise DomainError(f"Okänd dokumenttyp: {kind}") from None
    with translation.override("sv"):
        return builder(object_id)


def request_rendering(*, kind: str, object_id: int, user=None) -> tuple[PdfRendering, bool]:
    """The rendering for the data as it is now: (rendering, queued_now). A finished or
    running rendering of the same HTML is returned as it is; otherwise one is queued and the
    task enqueued when the transaction commits."""
    document = build_document(kind, object_id)
    digest = document.content_hash
    with transaction.atomic():
        existing = (PdfRendering.objects.select_for_update()
                    .filter(kind=kind, object_id=object_id, content_hash=digest).first())
        if existing is not None and existing.status != RenderingStatus.FAILED \
                and not _abandoned(existing):
            return existing, False
        if existing is not None:  # failed or abandoned before: try again
            existing.status, existing.progress, existing.error = RenderingStatus.QUEUED, 0, ""
            existing.requested_by, existing.requested_at = user, timezone.now()
            existing.save()
            rendering = existing
        else:
            try:
                with transaction.atomic():
                    rendering = PdfRendering.objects.create(
                        kind=kind, object_id=object_id, content_hash=digest,
                        title=document.title, filename=document.filename, requested_by=user)
            except IntegrityError:  # asked twice at the same moment: the other one renders
                return PdfRendering.objects.get(kind=kind, object_id=object_id,
                                                content_hash=digest), False
        # In the embedded default the rendering runs in a thread, so the progress page shows
        # while it renders, as with a worker, instead of the request waiting for the PDF.
        transaction.on_commit(lambda: background.enqueue(render_pdf_task, kind, object_id))
    return rendering, True


def _abandoned(rendering: PdfRendering) -> bool:
    """Queued or running for longer than a task may run: its worker died; render again."""
    if rendering.is_finished:
        return False
    since = rendering.started_at or rendering.requested_at
    limit = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return since is not None and timezone.now() - since > limit


def _update(rendering: PdfRendering, **fields) -> None:
    PdfRendering.objects.filter(pk=rendering.pk).update(**fields)
    for name, value in fields.items():
        setattr(rendering, name, value)


def run_rendering(kind: str, object_id: int) -> PdfRendering:
    """The task's body: render the document's current HTML unless it is already rendered."""
    document = build_document(kind, object_id)
    digest = document.content_hash
    try:
        rendering, _ = PdfRendering.objects.get_or_create(
            kind=kind, object_id=object_id, content_hash=digest,
            defaults={"title": document.title, "filename": document.filename})
    except IntegrityError:
        rendering = PdfRendering.objects.get(kind=kind, object_id=object_id,
                                             content_hash=digest)
    if rendering.status == RenderingStatus.DONE:
        return rendering
    # An older request whose data changed meanwhile is answered by this newer rendering.
    _update(rendering, status=RenderingStatus.RUNNING, progress=10, started_at=timezone.now(),
            error="")
    try:
        pdf, pages = render_pdf_pages(
            document.html, title=document.title,
            progress=lambda percent: _update(rendering, progress=percent))
    except Exception as error:  # recorded on the row, which the progress page shows
        logger.exception("PDF rendering %s failed", rendering.pk)
        _update(rendering, status=RenderingStatus.FAILED, finished_at=timezone.now(),
                error=f"{type(error).__name__}: {error}"[:2000])
        return rendering
    _update(rendering, status=RenderingStatus.DONE, progress=100, pdf=pdf, pages=pages,
            finished_at=timezone.now())
    (PdfRendering.objects.filter(kind=kind, object_id=object_id)
     .exclude(pk=rendering.pk).filter(status=RenderingStatus.QUEUED)
     .update(status=RenderingStatus.FAILED, finished_at=timezone.now(),
             error="Uppgifterna ändrades innan dokumentet hann skapas; se den nyare versionen."))
    return rendering


# Beside the job it runs, so that queueing a rendering needs no module above this one;
# reporting/tasks.py names it for Celery's autodiscovery.
@shared_task(name="reporting.render_pdf", time_limit=settings.CELERY_TASK_TIME_LIMIT,
             soft_time_limit=max(settings.CELERY_TASK_TIME_LIMIT - 30, 30))
def render_pdf_task(kind: str, object_id: int) -> int:
    """Render one document as PDF (cached by its content); returns the PdfRendering id."""
    return run_rendering(kind, object_id).pk


def latest_rendering(*, kind: str, object_id: int) -> PdfRendering | None:
    return (PdfRendering.objects.filter(kind=kind, object_id=object_id).defer("pdf")
            .order_by("-requested_at", "-pk").first())


def pdf_filename(*parts: str) -> str:
    return "-".join(slugify(part) for part in parts if part) + ".pdf"


def render_document_html(template: str, context: dict) -> str:
    return render_to_string(template, context)
