"""Benchmark of the real delårsrapport PDF: the demo municipality grown to N nämnder, its August
2026 delårsrapport built by the real document builder, rendered by `render_pdf` and by
WeasyPrint alone on the same HTML.

    .venv/bin/python scripts/bench_delarsrapport_pdf.py [--namnder 30]

Uses its own database only (DATABASE_URL, default `styrmodell_bench_report`), which it drops and
creates, migrates and seeds with the demo (`seed_demo`). Each extra nämnd is a copy of one of the
demo's nämnder with a section in the report (round-robin): a NAMND under KF with the source's
decided 2026 frame and its lines, its verksamheter, its 2026 outcome rows and forecasts (with
their lines), its activity volumes with their follow-ups, its investment projects of 2026 with
their figures, its adopted 2026 nämndmål with their assessments and key-figure links, and its
section in the report with its texts (not copied: the nämnd's own key figures and its deviation
cases). The document is then built through
`reporting.pdf_jobs.build_document("report_period", ...)` (the data assembly, timed on its own),
and each rendering runs in its own process, so that the peak RSS is its own: first plainly
(seconds, pages, peak RSS), then under tracemalloc (peak of Python allocations).

- `render_pdf`: ours — PDF/UA-1 (tagged), the static-only URL fetcher.
- `weasyprint`: `HTML(string=html, base_url=<static>).write_pdf()` with WeasyPrint's defaults
  (untagged, default fetcher); `/static/...` links point at the same files on disk.
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bigcity import grow_municipality, recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrmodell.settings")
os.environ.setdefault("DEBUG", "0")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/styrmodell_bench_report"
STATIC_DIR = ROOT / "static"


def _pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True,
                              check=True).stdout
        return int(re.search(rb"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(PdfReader(io.BytesIO(pdf)).pages)


def measure(which: str, html_file: str, title: str, traced: bool) -> dict:
    """One rendering of the stored HTML, in this process (no database)."""
    import django
    django.setup()
    html = Path(html_file).read_text(encoding="utf-8")
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    if which == "render_pdf":
        from reporting.pdf import render_pdf
        pdf = render_pdf(html, title=title)
    else:
        from weasyprint import HTML
        pdf = HTML(string=html.replace('"/static/', f'"{STATIC_DIR.as_uri()}/'),
                   base_url=STATIC_DIR.as_uri() + "/").write_pdf()
    seconds = time.perf_counter() - started
    result = {"which": which, "seconds": round(seconds, 2), "bytes": len(pdf),
              "pages": _pages(pdf),
              "rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if traced:
        result["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    return result


def prepare(namnder: int) -> tuple[str, str, dict]:
    """A fresh database with the grown demo; returns (html, title, figures of the build)."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    recreate_database(os.environ["DATABASE_URL"])
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.models import Rapportperiod, ReportKind
    from reporting.pdf_documents import REPORT_PERIOD
    from reporting.pdf_jobs import build_document
    from styrmodell.models import FollowUpPeriod

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    period = Rapportperiod.objects.select_related("budget_year").get(
        budget_year__year=2026, kind=ReportKind.DELAR, period=FollowUpPeriod.AUGUST)
    started = time.perf_counter()
    added = grow_municipality(period, namnder)
    grow_seconds = time.perf_counter() - started
    tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        document = build_document(REPORT_PERIOD, period.pk)
    build_seconds = time.perf_counter() - started
    build_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return document.html, document.title, {
        "sections": period.sections.count(), "added": added,
        "grow_seconds": round(grow_seconds, 1), "build_seconds": round(build_seconds, 2),
        "build_queries": len(queries), "build_peak_mib": round(build_peak, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--namnder", type=int, default=30)
    parser.add_argument("--only", choices=("render_pdf", "weasyprint"))
    parser.add_argument("--html", help="with --only: the HTML file to render")
    parser.add_argument("--title", default="Delårsrapport")
    parser.add_argument("--traced", action="store_true")
    parser.add_argument("--save-dir", default="", help="keep the HTML here")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.html, args.title, args.traced)))
        return
    html, title, built = prepare(args.namnder)
    print(f"{title}: {built['sections']} nämnder ({built['added']} added in "
          f"{built['grow_seconds']} s)")
    print(f"   document: built in {built['build_seconds']} s ({built['build_queries']} queries, "
          f"peak Python allocations {built['build_peak_mib']} MiB); "
          f"HTML {len(html.encode()) // 1024} KiB")
    with tempfile.TemporaryDirectory() as tmp:
        html_file = Path(args.save_dir or tmp) / "delarsrapport.html"
        html_file.write_text(html, encoding="utf-8")
        for which in ("render_pdf", "weasyprint"):
            runs = {}
            for traced in (False, True):
                out = subprocess.run(
                    [sys.executable, __file__, "--only", which, "--html", str(html_file),
                     "--title", title] + (["--traced"] if traced else []),
                    check=True, capture_output=True, text=True).stdout
                runs[traced] = json.loads(out.strip().splitlines()[-1])
            plain, traced_run = runs[False], runs[True]
            print(f"{which:>11}: {plain['pages']} pages, {plain['seconds']} s, "
                  f"peak RSS {plain['rss_mib']} MiB, peak Python allocations "
                  f"{traced_run['tracemalloc_peak_mib']} MiB (under tracemalloc "
                  f"{traced_run['seconds']} s); PDF {plain['bytes'] // 1024} KiB")


if __name__ == "__main__":
    main()
