"""The client's address behind our own reverse proxies, for login lockout (django-axes).

Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is the entry
TRUSTED_PROXY_COUNT places from the end; anything before it may be forged by the client.
"""

from django.conf import settings


def client_address(request) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
