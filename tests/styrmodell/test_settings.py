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
