"""Making, checking and revoking personal access tokens (the API's authentication)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from styrmodell.errors import DomainError

from .models import AccessToken

TOKEN_PREFIX = "stm_"
# How many characters of a token its page shows, so its person can tell it from the others.
SHOWN_CHARACTERS = 8
MAX_TOKENS_PER_PERSON = 20


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", errors="replace")).hexdigest()


def create_token(*, user, name: str, expires_on: dt.date | None,
                 today: dt.date | None = None) -> tuple[AccessToken, str]:
    """A new token for the person; returns it with the secret, which is never stored."""
    today = today or timezone.localdate()
    name = (name or "").strip()
    errors: list[tuple[str | None, str]] = []
    if not name:
        errors.append(("name", _("Ge nyckeln ett namn, t.ex. vilket verktyg som ska använda "
                                 "den.")))
    if expires_on is not None and expires_on < today:
        errors.append(("expires_on", _("Sista giltighetsdag kan inte ligga före i dag.")))
    with transaction.atomic():
        active = (AccessToken.objects.select_for_update()
                  .filter(user=user, revoked_at__isnull=True))
        if len(active) >= MAX_TOKENS_PER_PERSON:
            errors.append((None, _("Du har redan %(count)s nycklar som inte är återkallade. "
                                   "Återkalla en innan du skapar en ny.")
                           % {"count": MAX_TOKENS_PER_PERSON}))
        DomainError.raise_any(errors)
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = AccessToken.objects.create(
            user=user, name=name[:100], token_hash=digest(raw),
            prefix=raw[:len(TOKEN_PREFIX) + SHOWN_CHARACTERS], expires_on=expires_on)
    return token, raw


def revoke_token(*, user, token_id: int) -> AccessToken:
    """Revoke one of the person's own tokens (another's is not found: 404)."""
    with transaction.atomic():
        token = get_object_or_404(AccessToken.objects.select_for_update(), pk=token_id,
                                  user=user)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def authenticate(raw: str, today: dt.date | None = None) -> AccessToken | None:
    """The valid token with this secret and its active person, or None; marks it used."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (AccessToken.objects.select_related("user")
             .filter(token_hash=digest(raw)).first())
    if token is None or not token.is_valid(today) or not token.user.is_active:
        return None
    token.last_used_at = timezone.now()
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


def tokens_of(user) -> list[AccessToken]:
    return list(AccessToken.objects.filter(user=user))
