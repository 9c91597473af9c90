"""Reminders of the calendar's dated steps (B1) and report deadlines (F1) to those responsible."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from styrmodell.formatting import date_text

from .models import CalendarEvent, EventKind
from .notifications import notify_once
from .responsibility import responsible_people


def send_calendar_reminders(today: dt.date) -> int:
    """Tell each holder of a responsible role about a step due within REMINDER_DAYS; once each."""
    horizon = today + dt.timedelta(days=settings.REMINDER_DAYS)
    events = (
        CalendarEvent.objects.exclude(kind=EventKind.MEETING)
        .filter(date__gte=today, date__lte=horizon)
        .select_related("unit")
        .prefetch_related("responsible_roles")
    )
    sent = 0
    for event in events:
        for user in responsible_people(event, today):
            sent += notify_once(
                recipient=user,
                key=f"kalender-paminnelse:{event.pk}",
                subject=f"Påminnelse: {event.title} senast {date_text(event.date)}",
                body=event.description,
                url=event.get_absolute_url(),
            )
    return sent
