"""The API's authentication: `Authorization: Bearer <personal access token>`."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from . import tokens

security_log = logging.getLogger("styrmodell.security")


class BearerTokenAuthentication(BaseAuthentication):
    """A revoked or expired token, or one whose person is disabled, answers 401."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Ange nyckeln efter ordet Bearer, utan mellanslag."))
        token = tokens.authenticate(parts[1].decode("latin-1"))
        if token is None:
            security_log.warning("api token refused: address=%s path=%s",
                                 request.META.get("REMOTE_ADDR"), request.path)
            raise AuthenticationFailed(
                _("Nyckeln är ogiltig, återkallad eller har gått ut, eller så är kontot "
                  "avstängt."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token as the schema names it, so OpenAPI tools offer a Bearer field."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A personal access token from /api-nycklar/."}
