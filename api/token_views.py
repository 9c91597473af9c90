"""The person's own page of API tokens (API-nycklar): make one, see it once, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from styrmodell.errors import DomainError
from styrmodell.views import show_domain_error

from . import tokens
from .forms import TokenForm

# The new token's secret waits in the session for the one page that shows it (after the
# redirect, so reloading that page makes no second token), and is taken out as it is shown.
NEW_SECRET = "api_new_token"


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.create_token(user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            request.session[NEW_SECRET] = {"id": token.pk, "secret": secret}
            return redirect("api_tokens")
    new = request.session.pop(NEW_SECRET, None)
    all_tokens = tokens.tokens_of(request.user)
    response = render(request, "api/tokens.html", {
        "form": form,
        "tokens": all_tokens,
        "created": next((t for t in all_tokens if new and t.pk == new["id"]), None),
        "secret": new["secret"] if new else None,
        "api_url": request.build_absolute_uri(reverse("api:outcome_months")),
        "schema_url": request.build_absolute_uri(reverse("api:schema")),
        "docs_url": reverse("api:docs"),
    })
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = tokens.revoke_token(user=request.user, token_id=pk)
    messages.success(request, _("Nyckeln ”%(name)s” är återkallad.") % {"name": token.name})
    return redirect("api_tokens")
