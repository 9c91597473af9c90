"""The page "Mina frister" and the iCal feed of the same deadlines, subscribed to in Outlook.

The feed needs no login (a calendar client cannot log in): its secret address is the key, and
nothing answers without a valid one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
    today = timezone.localdate()
    deadlines = deadlines_feed.deadlines_for(request.user, today)
    token = deadlines_feed.feed_token(request.user)
    https_url = request.build_absolute_uri(
        reverse("reporting:deadlines_feed", args=[token.token]))
    return render(request, "reporting/deadlines_feed_my.html", {
        "today": today,
        "overdue": [d for d in deadlines if d.date < today and d.overdue_when_past],
        "coming": [d for d in deadlines if d.date >= today],
        "https_url": https_url,
        "webcal_url": "webcal://" + https_url.split("://", 1)[1],
    })


@login_required
@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    deadlines_feed.renew_feed_token(user=request.user)
    messages.success(request, _("Du har fått en ny kalenderadress. Den gamla fungerar inte "
                                "längre: prenumerera på nytt i Outlook med adressen nedan."))
    return redirect("reporting:my_deadlines")
