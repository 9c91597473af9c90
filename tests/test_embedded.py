"""The embedded default path a new user takes with `make run`: SQLite under var/, demo data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHECK_PAGES = """
from django.test import Client
from styrmodell.models import User
from django.conf import settings
client = Client(HTTP_HOST="127.0.0.1")
print("engine", settings.DATABASES["default"]["ENGINE"])
print("eager", settings.CELERY_TASK_ALWAYS_EAGER)
print("login", client.get("/logga-in/").status_code)
client.force_login(User.objects.get(username="bun.forvaltningschef"))
print("start", client.get("/").status_code)
print("organisation", client.get("/organisation/").status_code)
"""


def _embedded_env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "STYRMODELL_ENV", "DEBUG", "SECRET_KEY"}}
    env["STYRMODELL_VAR_DIR"] = str(var_dir)
    return env


def _manage(env, *args) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.sqlite
def test_embedded_mode_migrates_sqlite_seeds_the_demo_once_and_serves_pages(tmp_path):
    env = _embedded_env(tmp_path)
    _manage(env, "migrate", "--noinput", "-v0")
    first = _manage(env, "seed_demo", "--if-empty")
    second = _manage(env, "seed_demo", "--if-empty")

    assert (tmp_path / "styrmodell.sqlite3").exists()
    assert "Demokommunen Ekbacka kommun är inläst." in first
    assert "redan data" in second
    for username in ["admin", "kf.ordforande", "bun.forvaltningschef", "medarbetare2", "revisor"]:
        assert username in first

    output = _manage(env, "shell", "-c", CHECK_PAGES)
    assert "engine django.db.backends.sqlite3" in output
    assert "eager True" in output
    assert "login 200" in output and "start 200" in output and "organisation 200" in output


def test_seeding_twice_changes_nothing(municipality):
    from styrmodell import demo
    from styrmodell.models import CalendarEvent, OrganisationUnit, RoleAssignment, User

    def counts():
        return [model.objects.count()
                for model in (OrganisationUnit, User, RoleAssignment, CalendarEvent)]

    before = counts()
    demo.seed()
    assert counts() == before
