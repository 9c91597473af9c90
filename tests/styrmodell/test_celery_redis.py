"""The scheduled task through a real Celery worker on the machine's Redis (no eager mode)."""

import datetime as dt
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from styrmodell import demo
from styrmodell.models import BudgetYear, CalendarEvent, EventKind, Notification, Role, User
from styrmodell.tasks import run_due_work

ROOT = Path(__file__).resolve().parents[2]
# One Redis database per pytest-xdist worker: each test empties its database with FLUSHDB.
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("TEST_REDIS_URL", f"redis://127.0.0.1:6379/{14 - _WORKER}")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("The Celery integration test runs against PostgreSQL (set DATABASE_URL).")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is needed at {REDIS_URL}: {error}")
    client.flushdb()
    env = {**os.environ, "REDIS_URL": REDIS_URL, "DATABASE_URL": _database_url()}
    worker_process = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app=styrmodell", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    yield Celery("styrmodell-test-client", broker=REDIS_URL, backend=REDIS_URL)
    worker_process.terminate()
    try:
        worker_process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker_process.kill()
    client.flushdb()


def test_scheduled_work_runs_on_a_real_worker_and_twice_sends_once(worker):
    demo.seed()
    due = CalendarEvent.objects.create(
        budget_year=BudgetYear.objects.get(year=2026), kind=EventKind.REPORT_DEADLINE,
        title="Extra uppföljning som KSAU begärt", date=timezone.localdate() + dt.timedelta(days=2),
    )
    due.responsible_roles.set(Role.objects.filter(code="forvaltningschef"))
    notified_before = Notification.objects.count()
    started = time.monotonic()
    first = worker.send_task(run_due_work.name).get(timeout=90)
    second = worker.send_task(run_due_work.name).get(timeout=60)
    assert time.monotonic() - started < 150
    assert {"kalenderpaminnelser", "avvikelser-frister"} <= set(first)
    assert first["kalenderpaminnelser"] >= 4
    assert set(second.values()) == {0}
    reminders = Notification.objects.filter(key__startswith="kalender-paminnelse:")
    assert reminders.count() == first["kalenderpaminnelser"]
    assert Notification.objects.count() - notified_before >= first["kalenderpaminnelser"]


def test_an_uploaded_ledger_file_is_read_and_written_by_a_real_worker(worker):
    """The outcome import's task reads the file from its pieces in the database, as a worker in
    another process does in production."""
    from budget.ledger import upload_jobs
    from budget.models import UploadStatus, Utfall, Utfallsfil, UtfallsfilDel

    call_command("seed_demo", stdout=io.StringIO())  # the whole demo, with its mappings
    Utfall.objects.all().delete()
    content = (ROOT / "demo" / "sie" / "ekbacka-2026-11.se").read_bytes()
    upload = Utfallsfil.objects.create(file_name="nov.se", format="sie",
                                       uploaded_by=User.objects.get(username="ekonom"))
    upload_jobs._store_pieces(upload, io.BytesIO(content))
    assert worker.send_task("budget.read_outcome_file", [upload.pk]).get(timeout=90) == upload.pk
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE, upload.message
    assert upload.result.total_amount == Utfall.objects.filter(month=11).aggregate(
        total=Sum("amount"))["total"]
    assert not UtfallsfilDel.objects.filter(fil=upload).exists()
