"""Login: single sign-on through the municipality's OpenID Connect provider, and the local password.

Built on mozilla-django-oidc, which keeps state, nonce and the PKCE verifier in the session and
checks them on the callback. What is ours: endpoints discovered on first use, a person matched to
an existing User by a stable claim (never created), refusals explained on a Swedish page, the
provider's logout, and the switch that keeps the password login for break-glass accounts only.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from .models import RoleAssignment, User

logger = logging.getLogger("styrmodell.security")

# Our setting for each endpoint, and its name in the provider's discovery document.
DISCOVERED_AS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}

_discovered: dict[str, dict] = {}
_discovery_lock = threading.Lock()


def enabled() -> bool:
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and (settings.OIDC_OP_DISCOVERY_URL or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    )


def discovery_document() -> dict:
    """The provider's openid-configuration, fetched once per process (raises when unreachable)."""
    url = settings.OIDC_OP_DISCOVERY_URL
    if not url:
        return {}
    with _discovery_lock:
        if url not in _discovered:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            _discovered[url] = response.json()
        return _discovered[url]


def endpoint(setting: str) -> str:
    return getattr(settings, setting) or discovery_document().get(DISCOVERED_AS[setting], "")


def issuer() -> str:
    return settings.OIDC_OP_ISSUER or discovery_document().get("issuer", "")


def local_login_allowed(username: str) -> bool:
    return settings.LOCAL_LOGIN or username in settings.LOCAL_LOGIN_USERS


def axes_exempt(request: HttpRequest, credentials: dict | None = None) -> bool:
    """django-axes counts password failures; the provider guards its own logins."""
    return request.path == reverse("oidc_authentication_callback")


class LocalPasswordBackend(ModelBackend):
    """Username and password: for everyone, or only for the break-glass accounts when turned off."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and not local_login_allowed(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class Refusal:
    """Why a single sign-on ended without a login; the page says it in Swedish."""

    NO_PERSON = "no_person"
    INACTIVE = "inactive"
    NO_ROLE = "no_role"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


def refuse(request: HttpRequest, reason: str) -> None:
    request.sso_refusal = reason


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Checks the provider's answer and finds the person it names among the existing users."""

    def __init__(self, *args, **kwargs):
        # Django builds the backend for every request's session: read nothing from the provider.
        self.UserModel = User

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or not enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException) as error:
            # A wrong nonce, an expired or forged token, a provider that refused the code.
            logger.warning("Single sign-on refused: %s", error)
            refuse(request, Refusal.FAILED)
            return None

    def _verify_jws(self, payload, key):
        # The library leaves out the audience; check it, the issuer and the token's times.
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"Token signed with {algorithm!r}")
        return jwt.decode(
            payload,
            key,
            algorithms=[algorithm],
            audience=settings.OIDC_RP_CLIENT_ID,
            issuer=issuer() or None,
            leeway=settings.OIDC_CLOCK_LEEWAY,
            options={"require": ["exp", "iat", "sub"]},
        )

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo answer names another subject")
        # The ID token's claims count too: Entra ID sends "oid" there, not in userinfo.
        claims = {**payload, **userinfo}
        person = person_for(claims)
        if person is None:
            logger.warning(
                "Single sign-on: no person for %s=%r",
                settings.OIDC_MATCH_CLAIM,
                claims.get(settings.OIDC_MATCH_CLAIM),
            )
            refuse(self.request, Refusal.NO_PERSON)
            return None
        if not person.is_active:
            refuse(self.request, Refusal.INACTIVE)
            return None
        if not RoleAssignment.objects.active_on(timezone.localdate()).filter(user=person).exists():
            refuse(self.request, Refusal.NO_ROLE)
            return None
        return person


SINGLE_SIGN_ON_BACKEND = f"{SingleSignOnBackend.__module__}.{SingleSignOnBackend.__qualname__}"


def signed_in_through_sso(request: HttpRequest) -> bool:
    """The session began at the provider. Django's login records in the session the backend
    that let the person in, and records it anew at every login, so a password login in the
    same browser afterwards is a password session again."""
    session = getattr(request, "session", None)
    return session is not None and session.get(BACKEND_SESSION_KEY) == SINGLE_SIGN_ON_BACKEND


def person_for(claims: dict) -> User | None:
    """The one existing user the provider's claims name: by the id claim, else (opt-in) e-mail."""
    value = claims.get(settings.OIDC_MATCH_CLAIM)
    if value not in (None, ""):
        person = User.objects.filter(external_id=str(value)).first()
        if person is not None:
            return person
    email = claims.get("email")
    if settings.OIDC_MATCH_EMAIL and email and claims.get("email_verified") is not False:
        people = list(User.objects.filter(email__iexact=email)[:2])
        if len(people) == 1:
            return people[0]
    return None


def refusal_page(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "registration/sso_refused.html",
        {"reason": reason},
        status=503 if reason == Refusal.UNREACHABLE else 403,
    )


class SignOnStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with a new state, nonce and PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads the endpoint at start; ours on use

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except requests.RequestException as error:
            logger.error("Single sign-on: the provider's discovery failed: %s", error)
            return refusal_page(request, Refusal.UNREACHABLE)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignOnCallback(OIDCAuthenticationCallbackView):
    """The provider's answer: logs the person in, or says why not."""

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            # A state this session never sent, or one already used: forged or replayed.
            logger.warning("Single sign-on refused: %s", error)
            return refusal_page(request, Refusal.FAILED)

    def login_failure(self):
        return refusal_page(self.request, getattr(self.request, "sso_refusal", Refusal.FAILED))


def provider_logout_url(request: HttpRequest) -> str:
    """After the local logout: the provider's end_session_endpoint, when the login came from it."""
    local = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not id_token or not enabled():
        return local
    try:
        end_session = endpoint("OIDC_OP_LOGOUT_ENDPOINT")
    except requests.RequestException:
        return local
    if not end_session:
        return local
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(local),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"


class SignOut(OIDCLogoutView):
    """POST only: ends the local session, then the provider's (RP-initiated logout)."""


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password: only for a password login. Whoever came through single sign-on
    has their password at the provider, and a password here would open a second way in."""

    def dispatch(self, request, *args, **kwargs):
        if signed_in_through_sso(request):
            messages.info(request, _("Du är inloggad med kommunens konto. Lösenordet byter du "
                                     "där, inte i Styrmodell."))
            return redirect("start")
        return super().dispatch(request, *args, **kwargs)


class LocalLoginForm(AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not local_login_allowed(username):
            raise ValidationError(
                _("Inloggning med lösenord är avstängd. Logga in med kommunens konto."),
                code="local_login_off",
            )
        return super().clean()


class LoginView(auth_views.LoginView):
    """The login page: the provider's button when configured, the password form when allowed."""

    form_class = LocalLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sso = enabled()
        context["sso_enabled"] = sso
        context["sso_label"] = settings.OIDC_LOGIN_LABEL or _("Logga in med kommunens konto")
        context["show_password_form"] = (
            settings.LOCAL_LOGIN
            or not sso
            or self.request.method == "POST"
            or "lokal" in self.request.GET
        )
        return context
