"""Settings from the environment, each case in its own Python process with a clean environment.

Production passes `check --deploy` without warnings and refuses the embedded secret key and DEBUG;
embedded mode (no environment) uses SQLite under var/ and runs Celery tasks in-process. No
database is used: these tests need no pytest-django `db` fixture.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# Variables the settings read that would change what is being tested.
DROPPED = (
    "DATABASE_URL",
    "STYRMODELL_ENV",
    "DEBUG",
    "SECRET_KEY",
    "REDIS_URL",
    "STYRMODELL_VAR_DIR",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "DJANGO_SETTINGS_MODULE",
    # The browser tests' switch; production must never run with it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    # Single sign-on and the local login's switch.
    "OIDC_OP_ISSUER",
    "OIDC_OP_DISCOVERY_URL",
    "OIDC_OP_LOGOUT_ENDPOINT",
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_MATCH_CLAIM",
    "OIDC_MATCH_EMAIL",
    "LOCAL_LOGIN",
    "LOCAL_LOGIN_USERS",
)

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": str(settings.DATABASES["default"]["NAME"]),
    "BASE_DIR": str(settings.BASE_DIR),
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
    "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "DEBUG": settings.DEBUG,
}))
"""


def clean_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env["DJANGO_SETTINGS_MODULE"] = "styrmodell.settings"
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def strong_secret_key() -> str:
    key = secrets.token_urlsafe(64)
    assert len(key) >= 50 and len(set(key)) >= 5
    return key


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    return clean_env(
        STYRMODELL_ENV="production",
        SECRET_KEY=strong_secret_key(),
        ALLOWED_HOSTS="styrmodell.example.se",
        DATABASE_URL=f"sqlite:///{tmp_path / 'styrmodell.sqlite3'}",
    )


def test_production_passes_check_deploy_without_warnings(production_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout, output
    assert "WARNING" not in output and "?: (security." not in output, output


@pytest.mark.parametrize(
    "secret_key",
    [None, "embedded-only-not-for-production-styrmodell", "too-short-" + "k" * 30],
    ids=["unset", "embedded-default", "short"],
)
def test_production_refuses_embedded_or_weak_secret_key(production_env, secret_key):
    production_env.pop("SECRET_KEY")
    if secret_key is not None:
        production_env["SECRET_KEY"] = secret_key
    result = run(["manage.py", "check"], production_env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Production needs its own SECRET_KEY" in result.stderr


@pytest.mark.parametrize("debug", ["true", "1", "on"])
def test_production_refuses_debug(production_env, debug):
    production_env["DEBUG"] = debug
    result = run(["manage.py", "check"], production_env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Production refuses to run with DEBUG on." in result.stderr


def print_settings(env: dict[str, str]) -> dict:
    result = run(["-c", "import django; django.setup()\n" + PRINT_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_mode_uses_sqlite_under_var_and_eager_celery():
    values = print_settings(clean_env())
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(values["NAME"]) == Path(values["BASE_DIR"]) / "var" / "styrmodell.sqlite3"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["CELERY_BROKER_URL"] == "memory://"
    assert values["DEBUG"] is True


def test_redis_url_makes_celery_use_redis():
    values = print_settings(clean_env(REDIS_URL="redis://redis.example:6379/0"))
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    assert values["CELERY_BROKER_URL"] == "redis://redis.example:6379/0"
    assert values["CELERY_RESULT_BACKEND"] == "redis://redis.example:6379/0"


PRINT_SSO_SETTINGS = """
import json
from django.conf import settings
from styrmodell import sso
print(json.dumps({
    "enabled": sso.enabled(),
    "discovery": settings.OIDC_OP_DISCOVERY_URL,
    "form_action": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
    "match_claim": settings.OIDC_MATCH_CLAIM,
    "match_email": settings.OIDC_MATCH_EMAIL,
    "create_user": settings.OIDC_CREATE_USER,
    "local_login": settings.LOCAL_LOGIN,
    "local_login_users": settings.LOCAL_LOGIN_USERS,
}))
"""


def print_sso_settings(env: dict[str, str]) -> dict:
    result = run(["-c", "import django; django.setup()\n" + PRINT_SSO_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_provider_single_sign_on_is_off_and_the_password_login_on():
    values = print_sso_settings(clean_env())
    assert values["enabled"] is False
    assert values["form_action"] == ["'self'"]
    assert values["local_login"] is True
    assert values["create_user"] is False


def test_an_issuer_and_a_client_turn_single_sign_on_on_with_its_discovery_document():
    values = print_sso_settings(clean_env(
        OIDC_OP_ISSUER="https://login.microsoftonline.com/tenant-id/v2.0/",
        OIDC_RP_CLIENT_ID="styrmodell", OIDC_RP_CLIENT_SECRET="secret",
        OIDC_MATCH_CLAIM="oid", OIDC_MATCH_EMAIL="true",
    ))
    assert values["enabled"] is True
    assert values["discovery"] == (
        "https://login.microsoftonline.com/tenant-id/v2.0/.well-known/openid-configuration")
    # The logout form's redirect to the provider's logout must be an allowed form action.
    assert values["form_action"] == ["'self'", "https://login.microsoftonline.com"]
    assert values["match_claim"] == "oid" and values["match_email"] is True
    assert values["create_user"] is False


def test_the_provider_is_not_asked_anything_when_the_application_starts():
    # Discovery happens on the first login: an unreachable provider does not stop the start.
    env = clean_env(OIDC_OP_ISSUER="http://127.0.0.1:9/unreachable",
                    OIDC_RP_CLIENT_ID="styrmodell", OIDC_RP_CLIENT_SECRET="secret")
    result = run(["manage.py", "check"], env)
    assert result.returncode == 0, result.stderr


def test_local_login_off_keeps_only_the_listed_break_glass_accounts():
    values = print_sso_settings(clean_env(LOCAL_LOGIN="off", LOCAL_LOGIN_USERS="admin, reserv"))
    assert values["local_login"] is False
    assert values["local_login_users"] == ["admin", "reserv"]
