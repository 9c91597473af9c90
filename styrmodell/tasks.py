"""Scheduled work: one idempotent task, run hourly by the single Celery beat."""

from celery import shared_task
from django.utils import timezone

from . import due_work


@shared_task(name="styrmodell.run_due_work")
def run_due_work() -> dict[str, int]:
    return due_work.run_all(timezone.localdate())
