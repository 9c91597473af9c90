"""Benchmark of the outcome import: a generated SIE 4 file of N #TRANS lines into PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/styrmodell_bench \\
        .venv/bin/python scripts/bench_outcome_import.py [N] [--small 10000]

Creates the database if it is missing, migrates it and loads the demo municipality (whose 16
kostnadsställen are mapped to the five nämnder), then writes two temporary SIE 4 files in CP437,
streamed to disk in chunks: N #TRANS lines (default 1 000 000) and a small one (default 10 000),
both vouchers of 10 lines (9 result-account lines over the 16 kostnadsställen and 9 accounts,
one line on the bank account) spread over the twelve months of 2026. Each goes in as the page
sends it: `budget.ledger.upload_jobs.receive` keeps the file in pieces in the database and runs
the import's task (in this process, as Celery's eager mode does without a broker), first plainly
(lines per second, the process's peak RSS), then again under tracemalloc (peak of Python
allocations): the second import of a file replaces the first, so it stops at the preview and is
confirmed, which reads the file a second time and writes it. The small file goes first, so the
RSS after it is the baseline the large one is compared with. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrmodell.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/styrmodell_bench")
os.environ.setdefault("DEBUG", "0")  # no query log growing in memory
os.environ.pop("REDIS_URL", None)  # the task runs in this process (Celery's eager mode) ...
os.environ["EAGER_TASKS_IN_THREAD"] = "0"  # ... in this thread, so that it is measured

ROWS_PER_VOUCHER = 10
OBJECTS = ("100", "110", "120", "200", "210", "220", "300", "310", "320", "400", "410", "420",
           "430", "500", "510", "520")
ACCOUNTS = ("3110", "3510", "4610", "5010", "5410", "6110", "6410", "7810", "8410")
HEADER = """#FLAGGA 0
#PROGRAM "Benchmark" 1.0
#FORMAT PC8
#GEN 20261203
#SIETYP 4
#FNAMN "Ekbacka kommun"
#RAR 0 20260101 20261231
#KONTO 1930 "Bank"
#DIM 1 "Ansvar/kostnadsställe"
"""


def write_file(path: Path, transactions: int) -> int:
    """Write the file in chunks of one voucher; return the number of lines."""
    lines = HEADER.count("\n")
    written = number = 0
    with open(path, "wb") as out:
        out.write(HEADER.encode("cp437"))
        while written < transactions:
            number += 1
            rows = min(ROWS_PER_VOUCHER, transactions - written)
            month, day = 1 + number % 12, 1 + number % 28
            chunk = [f'#VER A {number} 2026{month:02d}{day:02d} "Faktura {number} åäö"\n{{\n']
            total = 0  # öre
            for row in range(rows - 1):
                cents = ((number * 7 + row * 13) % 5000 + 1) * 100 + 25
                if ACCOUNTS[(number + row) % 9].startswith("3"):
                    cents = -cents  # revenue
                total += cents
                obj = OBJECTS[(number + row * 3) % len(OBJECTS)]
                sign = "-" if cents < 0 else ""
                chunk.append(f'   #TRANS {ACCOUNTS[(number + row) % 9]} {{1 "{obj}"}} '
                             f'{sign}{abs(cents) // 100}.{abs(cents) % 100:02d} "" "Rad"\n')
            sign = "" if total < 0 else "-"
            chunk.append(f"   #TRANS 1930 {{}} {sign}{abs(total) // 100}.{abs(total) % 100:02d}"
                         "\n}\n")
            out.write("".join(chunk).encode("cp437"))
            written += rows
            lines += rows + 3
    return lines


def prepare_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-empty", verbosity=0, stdout=open(os.devnull, "w"))


def rss_mib() -> float:
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: KiB on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / 2**20


def import_file(path: Path, user):
    """Upload and import the file as the page does; a re-import is confirmed. Returns the log
    and what each step took: (store the pieces, the task, the task again after confirming)."""
    from budget.ledger import upload_jobs
    from budget.models import UploadStatus

    with open(path, "rb") as file:
        upload = upload_jobs.receive(file=file, file_name=path.name, user=user)
    upload.refresh_from_db()
    steps = [(upload.started_at - upload.uploaded_at).total_seconds(),
             (upload.finished_at - upload.started_at).total_seconds()]
    if upload.status == UploadStatus.PREVIEW:
        upload_jobs.confirm(upload=upload, user=user, digest=upload.preview_digest)
        upload.refresh_from_db()
        steps.append((upload.finished_at - upload.started_at).total_seconds())
    if upload.status != UploadStatus.DONE:
        raise SystemExit(f"{path.name}: {upload.get_status_display()}: {upload.message}")
    return upload.result, steps


def _steps(steps: list[float]) -> str:
    names = ("pieces stored", "task", "task after confirming")
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in zip(names, steps, strict=False))


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("n", nargs="?", type=int, default=1_000_000, help="#TRANS lines")
    arguments.add_argument("--small", type=int, default=10_000, help="#TRANS lines, small file")
    options = arguments.parse_args()
    prepare_database()
    from styrmodell.models import User

    user = User.objects.get(username="ekonom")
    print(f"database: {os.environ['DATABASE_URL']}")
    with tempfile.TemporaryDirectory() as directory:
        files = {}
        for label, n in (("small", options.small), ("large", options.n)):
            path = Path(directory) / f"bench-{n}.se"
            started = time.perf_counter()
            lines = write_file(path, n)
            files[label] = (path, n, lines)
            size = path.stat().st_size / 2**20
            print(f"generated {n:,} #TRANS lines ({lines:,} lines, {size:.1f} MiB) in "
                  f"{time.perf_counter() - started:.1f} s")
        print(f"peak RSS before importing: {rss_mib():.1f} MiB")
        for label in ("small", "large"):
            path, n, lines = files[label]
            started = time.perf_counter()
            log, steps = import_file(path, user)
            elapsed = time.perf_counter() - started
            print(f"{label}: imported {n:,} #TRANS lines in {elapsed:.2f} s ({_steps(steps)}): "
                  f"{lines / elapsed:,.0f} lines/s, {n / elapsed:,.0f} #TRANS/s; "
                  f"{log.rows_written:,} Utfall rows written, total {log.total_amount} kr; "
                  f"peak RSS of the process now {rss_mib():.1f} MiB")
        for label in ("small", "large"):
            path, n, _ = files[label]
            tracemalloc.start()
            started = time.perf_counter()
            log, steps = import_file(path, user)
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"{label} again under tracemalloc ({elapsed:.1f} s; {_steps(steps)}), previewed "
                  "and confirmed: peak of traced Python "
                  f"allocations {peak / 2**20:.2f} MiB; {log.rows_written:,} rows, "
                  f"{log.replaced.count()} earlier import(s) marked replaced")


if __name__ == "__main__":
    main()
