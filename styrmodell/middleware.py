"""The core's middleware: the language a request is answered in, and sessions kept alive.

Swedish unless the user chose English: the browser's language header is not followed."""

import time

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Only for this request: work done after it on the same thread (an eager task, the
        # next test) starts from the default language again.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionRefreshMiddleware:
    """Keeps a signed-in session alive while it is used, without a write on every request.

    The session lasts SESSION_COOKIE_AGE from its last save. Saving it on each request (Django's
    SESSION_SAVE_EVERY_REQUEST) costs an UPDATE and a commit per page; here it is saved when its
    last refresh is older than SESSION_REFRESH_SECONDS, so an idle session still ends about
    SESSION_COOKIE_AGE after its last use.
    """

    KEY = "refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            if time.time() - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                self.stamp(session)
        return response

    @classmethod
    def stamp(cls, session) -> None:
        session[cls.KEY] = int(time.time())
