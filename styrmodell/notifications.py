"""Notifications: in-app on the start page and by e-mail, each recorded once per key.

The key names what the message is about (e.g. "kalender-paminnelse:42"); a second call with the
same recipient and key sends nothing, so scheduled work may run twice or late without harm.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification, User

log = logging.getLogger(__name__)


def notify_once(*, recipient: User, key: str, subject: str, body: str = "", url: str = "") -> bool:
    """Record and send a notification unless this recipient already has one with this key."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient, key=key, subject=subject, body=body, url=url
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: _email(notification.pk))
    return True


def _email(notification_id: int) -> None:
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = notification.recipient.email
    if not address or notification.emailed_at:
        return
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    try:
        send_mail(notification.subject, notification.body + link, None, [address])
    except OSError:
        # The in-app notification stands; the mail is retried by nobody, so say so in the log.
        log.exception("could not e-mail notification %s", notification_id)
        return
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


def unread_for(user: User, limit: int = 10):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)[:limit]


def mark_read(*, user: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
