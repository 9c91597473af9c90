"""Personal access tokens: how a BI tool reads the API as the person who made the token."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AccessToken(models.Model):
    """A token a person made on their own page. Only its SHA-256 is kept: the token itself is
    shown once, when it is made. It reads what its person may read, while the person is active,
    until it is revoked or its last day has passed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                             on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("namn"), max_length=100)
    token_hash = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, unique=True)
    # The first characters of the token, so its person can tell their tokens apart.
    prefix = models.CharField(_("början av nyckeln"), max_length=12)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)
    expires_on = models.DateField(_("gäller till och med"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    # Made and revoked, with by whom; not each use (`last_used_at` is written without history).
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_valid(self, today: dt.date | None = None) -> bool:
        return not self.is_revoked and not self.is_expired(today)
