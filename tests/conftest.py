"""Shared fixtures: the demo municipality, and a client logged in as any demo role."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from styrmodell import demo
from styrmodell.models import OrganisationUnit, User

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config):
    # Demo users are many; a fast hasher keeps seeding the test database quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the whole demo once; each test then runs in a transaction rolled back."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=StringIO())


@pytest.fixture(autouse=True)
def _swedish_and_no_lockout(settings):
    settings.LANGUAGE_CODE = "sv"
    # Tests log in with force_login; the lockout itself is tested with AXES_ENABLED on.
    settings.AXES_ENABLED = False
    # Background work runs at once, in the test's own transaction.
    settings.EAGER_TASKS_IN_THREAD = False


@pytest.fixture
def municipality(db):
    """The demo municipality (Ekbacka kommun) keyed by unit key, e.g. municipality["bun"].

    Seeding is idempotent: after a transactional test has emptied the database it seeds anew.
    """
    return demo.seed()


@pytest.fixture
def unit(municipality):
    def by_key(key: str) -> OrganisationUnit:
        return municipality[key]

    return by_key


@pytest.fixture
def login(client, municipality):
    """Log the test client in as a demo user: `login("bun.forvaltningschef")`."""

    def as_user(username: str):
        user = User.objects.get(username=username)
        client.force_login(user)
        return user

    return as_user


@pytest.fixture
def people(municipality):
    """The demo's users by login: `people("bun.malansvarig")`."""
    return lambda username: User.objects.get(username=username)


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}"
