"""Local passwords: the administrator sends a person a link to choose a new one.

Who you are comes from the identity provider; a local password is for break-glass accounts
and the embedded demo. The link is Django's password reset token (single use, it stops working
once the password has changed, and after PASSWORD_RESET_TIMEOUT).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import User


def reset_path(person: User) -> str:
    """The path of the page where the person chooses a new password (with a fresh token)."""
    return reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": default_token_generator.make_token(person),
    })


def send_reset_link(*, person: User, base_url: str) -> None:
    """E-mail the person a link to choose a new password; only for an active local account
    with an e-mail address."""
    if not person.is_active:
        raise DomainError(_("Personen är inaktiverad och kan inte logga in."))
    if not person.has_usable_password():
        raise DomainError(_("Personen loggar in via kommunens inloggningstjänst och har inget "
                            "lokalt lösenord att återställa."))
    if not (person.email or "").strip():
        raise DomainError(_("Personen saknar e-postadress. Lägg till en under Ändra först."))
    context = {
        "person": person,
        "link": base_url.rstrip("/") + reset_path(person),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        "municipality_name": settings.MUNICIPALITY_NAME,
    }
    subject = render_to_string("registration/password_reset_subject.txt", context)
    body = render_to_string("registration/password_reset_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [person.email])
