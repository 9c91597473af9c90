"""Error pages in the application's own layout."""

from django.shortcuts import render

from .errors import NotApplicable


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "Du saknar behörighet till sidan."
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    # Only our own explanations are shown; Django's 404 messages are for developers.
    message = exception.message if isinstance(exception, NotApplicable) else ""
    return render(request, "404.html", {"message": message}, status=404)
