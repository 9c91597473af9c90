"""The secret address of a person's calendar feed of deadlines (subscribed to in Outlook)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CalendarFeedToken", "hash_feed_token", "new_feed_token"]


def new_feed_token() -> str:
    """32 random bytes, URL-safe: the address is the only secret guarding the feed."""
    return secrets.token_urlsafe(32)


def hash_feed_token(token: str) -> str:
    """What is stored of a token, like a password. A token has 256 random bits, so a plain
    SHA-256 (no salt, no stretching) cannot be guessed back from a copy of the database."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class CalendarFeedToken(models.Model):
    """One per person; renewing replaces the token, so the old address stops working. Only
    the token's hash is kept: the address is shown once, when it is made."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token_hash = models.CharField(_("nyckelns kontrollsumma"), max_length=64, unique=True,
                                  editable=False)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    renewed_at = models.DateTimeField(_("förnyad"), null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self) -> str:
        return f"{self.user}"
