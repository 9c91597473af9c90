"""Background work of the goals app, named here for Celery's autodiscovery."""

from celery import shared_task

from styrmodell.models import User

from . import kolada_fetch
from .models import KoladaTrigger


@shared_task(name="goals.fetch_from_kolada")
def fetch_from_kolada(user_id: int | None = None) -> int:
    """The finance office's "Hämta nu": the same fetch as the daily one; returns the log id."""
    user = User.objects.filter(pk=user_id).first() if user_id else None
    return kolada_fetch.fetch(trigger=KoladaTrigger.MANUAL, user=user).pk
