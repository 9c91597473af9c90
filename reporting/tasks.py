"""Background work of the reporting app."""

from celery import shared_task
from django.conf import settings

from . import pdf_jobs


@shared_task(name="reporting.render_pdf", time_limit=settings.CELERY_TASK_TIME_LIMIT,
             soft_time_limit=max(settings.CELERY_TASK_TIME_LIMIT - 30, 30))
def render_pdf_task(kind: str, object_id: int) -> int:
    """Render one document as PDF (cached by its content); returns the PdfRendering id."""
    return pdf_jobs.run_rendering(kind, object_id).pk
