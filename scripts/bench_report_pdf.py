"""Benchmark of the PDF pipeline: a large municipality's delårsrapport through `render_pdf`,
against WeasyPrint alone on the same HTML.

    .venv/bin/python scripts/bench_report_pdf.py [--namnder 30]

Generates (no database needed) a delårsrapport-like document on `templates/reporting/
pdf_base.html`: cover, contents, and per nämnd its key figures, the outcome chart of
`budget/followup_chart.py` (inline SVG), tables of the twelve months, the forecasts and ten
verksamheter, and eight goal assessments with their analysis. Each measurement runs in its own
process, so that the peak RSS is its own: first plainly (seconds, pages, peak RSS), then under
tracemalloc (peak of Python allocations).

- `render_pdf`: ours — PDF/UA-1 (tagged), the static-only URL fetcher.
- `weasyprint`: `HTML(string=html, base_url=<static>).write_pdf()` with WeasyPrint's defaults
  (untagged, default fetcher); the stylesheet link points at the same print.css on disk.
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrmodell.settings")
os.environ.setdefault("DEBUG", "0")

LEVELS = ("Ja – målet är uppnått", "Delvis", "Nej – målet är inte uppnått")
WORDS = ("verksamheten", "arbetet", "brukarna", "eleverna", "kostnaderna", "bemanningen",
         "samverkan", "kvaliteten", "uppföljningen", "insatserna", "resultatet", "prognosen",
         "har", "ökat", "minskat", "under", "perioden", "jämfört", "med", "föregående", "år",
         "och", "bedöms", "fortsätta", "förbättras", "åtgärderna", "ger", "effekt")


def _setup():
    import django
    django.setup()


def generate_html(namnder: int) -> str:
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from budget.followup.chart import describe, outcome_chart
    from budget.followup.forecasts import deviation
    from budget.followup.selectors import ForecastRow, MonthRow, NamndFollowUp
    from budget.models import Prognos
    from styrmodell.models import BudgetYear, OrganisationUnit

    rng = random.Random(2026)
    year = BudgetYear(year=2026)
    sections = []
    for number in range(1, namnder + 1):
        frame = Decimal(rng.randrange(40_000, 900_000)) * 1000
        monthly = frame / 12
        months, running = [], Decimal(0)
        for month in range(1, 13):
            known = month <= 8
            outcome = (monthly * Decimal(rng.randrange(92, 109)) / 100).quantize(Decimal(1)) \
                if known else None
            if known:
                running += outcome
            months.append(MonthRow(month=month, outcome=outcome,
                                   cumulative=running if known else None,
                                   budget_cumulative=frame * month / 12))
        forecasts = []
        for period in ("feb", "apr", "aug"):
            total = (frame * Decimal(rng.randrange(97, 104)) / 100).quantize(Decimal(1))
            forecasts.append(ForecastRow(Prognos(period=period, total=total),
                                         deviation(frame=frame, forecast=total)))
        followup = NamndFollowUp(namnd=OrganisationUnit(name=f"Nämnd {number}"),
                                 budget_year=year, frame=frame, last_month=8, months=months,
                                 forecasts=forecasts, verksamheter=[])
        part = {
            "followup": followup,
            "chart": mark_safe(outcome_chart(followup, chart_id=f"diagram-{number}")),  # noqa: S308
            "chart_text": describe(followup),
            "verksamheter": [(f"Verksamhet {number}.{v}", running / 10, forecasts[-1].forecast
                              .total / 10) for v in range(1, 11)],
            "goals": [{"title": f"Nämndmål {number}.{g}: " + " ".join(rng.choices(WORDS, k=8)),
                       "level": rng.choice(LEVELS), "forecast": rng.choice(LEVELS),
                       "analysis": " ".join(rng.choices(WORDS, k=60)).capitalize() + "."}
                      for g in range(1, 9)],
        }
        sections.append({
            "anchor": f"namnd-{number}", "title": f"Nämnd {number}",
            "html": render_to_string("reporting/pdf_bench_namnd.html", {"part": part}),
        })
    return render_to_string("reporting/pdf_base.html", {
        "municipality": "Storstads kommun", "document_title": "Delårsrapport",
        "period": "Januari–augusti 2026", "dnr": "KS 2026/512", "status_text": "Utkast",
        "sections": sections,
    })


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    return int(re.search(rb"^Pages:\s+(\d+)", info, re.M).group(1))


def measure(which: str, namnder: int, traced: bool, save: str = "") -> dict:
    _setup()
    html = generate_html(namnder)
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    if which == "render_pdf":
        from reporting.pdf import render_pdf
        pdf = render_pdf(html, title="Delårsrapport")
    else:
        from weasyprint import HTML
        css = (ROOT / "static" / "css" / "print.css").as_uri()
        pdf = HTML(string=html.replace("/static/css/print.css", css)).write_pdf()
    pages = _pages(pdf)
    if save:
        Path(save).write_bytes(pdf)
    seconds = time.perf_counter() - started
    result = {"which": which, "seconds": round(seconds, 2), "bytes": len(pdf),
              "pages": pages, "html_bytes": len(html),
              "rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if traced:
        result["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--namnder", type=int, default=30)
    parser.add_argument("--only", choices=("render_pdf", "weasyprint"))
    parser.add_argument("--traced", action="store_true")
    parser.add_argument("--save", default="", help="with --only: write the PDF here")
    args = parser.parse_args()
    if args.only:
        print(json.dumps(measure(args.only, args.namnder, args.traced, args.save)))
        return
    print(f"Delårsrapport, {args.namnder} nämnder")
    for which in ("render_pdf", "weasyprint"):
        runs = {}
        for traced in (False, True):
            out = subprocess.run([sys.executable, __file__, "--namnder", str(args.namnder),
                                  "--only", which] + (["--traced"] if traced else []),
                                 check=True, capture_output=True, text=True).stdout
            runs[traced] = json.loads(out.strip().splitlines()[-1])
        plain, traced_run = runs[False], runs[True]
        print(f"{which:>11}: {plain['pages']} pages, {plain['seconds']} s, "
              f"peak RSS {plain['rss_mib']} MiB, peak Python allocations "
              f"{traced_run['tracemalloc_peak_mib']} MiB (under tracemalloc "
              f"{traced_run['seconds']} s); HTML {plain['html_bytes'] // 1024} KiB, "
              f"PDF {plain['bytes'] // 1024} KiB")


if __name__ == "__main__":
    main()
