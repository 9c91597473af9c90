"""The page "Mina frister" and the iCal feed of the same deadlines, subscribed to in Outlook.

The feed needs no login (a calendar client cannot log in): its secret address is the key, and
nothing answers without a valid one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from . import deadlines_feed


@require_safe  # calendar clients may ask HEAD first
def feed(request: HttpRequest, token: str) -> HttpResponse:
    user = deadlines_feed.user_for_token(token)
    if user is None:
        raise Http404("Okänd kalenderadress.")
    # The feed says LANGUAGE=sv, whatever language the browser that opens it has chosen.
    with translation.override("sv"):
        body = deadlines_feed.render_ics(
            deadlines_feed.deadlines_for(user, timezone.localdate()),
            absolute=request.build_absolute_uri,
        )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mina-frister.ics"'
    response["Cache-Control"] = "private, max-age=0, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def my_deadlines(request: HttpRequest) -> HttpResponse:
    return _my_deadlines_page(request, token=None)


@login_required
@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    """A new address, shown on this one answer only: what is stored is its hash."""
    renewing = deadlines_feed.has_feed_token(request.user)
    token = deadlines_feed.renew_feed_token(user=request.user)
    if renewing:
        messages.success(request, _("Du har fått en ny kalenderadress. Den gamla fungerar inte "
                                    "längre: prenumerera på nytt i Outlook med adressen nedan."))
    else:
        messages.success(request, _("Din kalenderadress är skapad. Prenumerera i Outlook med "
                                    "adressen nedan."))
    return _my_deadlines_page(request, token=token)


def _my_deadlines_page(request: HttpRequest, *, token: str | None) -> HttpResponse:
    today = timezone.localdate()
    deadlines = deadlines_feed.deadlines_for(request.user, today)
    context = {
        "today": today,
        "overdue": [d for d in deadlines if d.date < today and d.overdue_when_past],
        "coming": [d for d in deadlines if d.date >= today],
        "has_address": token is not None or deadlines_feed.has_feed_token(request.user),
    }
    if token is not None:
        https_url = request.build_absolute_uri(reverse("reporting:deadlines_feed", args=[token]))
        context["https_url"] = https_url
        context["webcal_url"] = "webcal://" + https_url.split("://", 1)[1]
    response = render(request, "reporting/deadlines_feed_my.html", context)
    if token is not None:
        response["Cache-Control"] = "private, no-store"
    return response
