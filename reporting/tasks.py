"""Background work of the reporting app, named here for Celery's autodiscovery."""

from .pdf_jobs import render_pdf_task

__all__ = ["render_pdf_task"]
