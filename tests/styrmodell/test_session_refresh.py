"""A used session stays alive for SESSION_COOKIE_AGE after its last use, but it is written at
most once in SESSION_REFRESH_SECONDS, not on every page."""

import datetime as dt
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from styrmodell.middleware import SessionRefreshMiddleware


def _session_writes(client, url="/") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(1 for query in captured if query["sql"].startswith(("UPDATE", "INSERT"))
               and "django_session" in query["sql"])


def _age_refresh(client, seconds: int) -> None:
    session = client.session
    session[SessionRefreshMiddleware.KEY] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_a_used_session_is_written_once_not_on_every_page(client, login, settings):
    settings.SESSION_REFRESH_SECONDS = 300
    login("ekonom")  # signing in makes a fresh session
    assert [_session_writes(client) for _ in range(3)] == [0, 0, 0]


@pytest.mark.django_db
def test_a_session_used_after_the_refresh_interval_is_kept_alive(client, login, settings):
    settings.SESSION_REFRESH_SECONDS = 300
    login("ekonom")
    _age_refresh(client, 301)
    key = client.session.session_key
    soon = timezone.now() + dt.timedelta(hours=1)  # as if last saved seven hours ago
    Session.objects.filter(pk=key).update(expire_date=soon)
    assert _session_writes(client) == 1
    expires = Session.objects.get(pk=key).expire_date
    assert expires >= timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert _session_writes(client) == 0


def test_an_anonymous_visit_makes_no_session(client, db):
    assert _session_writes(client, "/logga-in/") == 0
    assert not Session.objects.exists()
