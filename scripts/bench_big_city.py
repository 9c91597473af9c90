"""Benchmark of the key pages at demo size and at big-city size: queries, median server time and
bytes of each, and its time as a ratio to a trivial view measured in the same run.

    .venv/bin/python scripts/bench_big_city.py [--runs 5] [--big-runs 3] [--only-demo]
        [--pages start_kommundirektor,people] [--keep]

Uses its own database only (DATABASE_URL, default `styrmodell_bench_city`), which it drops and
creates, migrates and seeds with the demo (`seed_demo`). It measures every page at demo size,
then grows the demo with bulk inserts (`scripts/bigcity.py`) to at least 30 nämnder (copies of
the demo's, with frames, outcome, forecasts, goals, projects and report sections), 3,000
enheter with an enhetsmål each, 51,700 people with role assignments, 48,000 medarbetarplaner,
256,000 outcome rows, 1,000 investment projects and 530 deviation cases, prints how long that
took, and measures every page again.

Each page is asked for by Django's test client as the demo login it is for (logged in with
`force_login`), once to warm up and then `--runs` times (`--big-runs` at big size): the table
gives the queries of a run (`CaptureQueriesContext`), the median of the runs' times (the whole
response, a streamed one read to its end) and the bytes of the response. The trivial view is the
login page, asked for anonymously (at least 20 runs: it takes a few ms, so its median needs
them), and so is the trivial page a signed-in user gets. Targets: at big size every page within 5×
the trivial view of its kind (a page for a person the signed-in one, the feed included; the
compiled report within 15×), and no page's big ratio more than 1.5× its demo ratio unless it
shows proportionally more (its bytes grew more). A page that does not answer 200 is printed with
its status (or exception), not measured.

- `--only-demo`: measure at demo size only (no growing).
- `--pages a,b`: only these pages (the names in the first column; the trivial views always).
- `--keep`: reuse the database if it is there: skip seeding if it is seeded and growing if it is
  grown already; the demo figures of a grown database are those saved by the run that grew it
  (`--results`, default `test-artifacts/bench_big_city.json`).
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bigcity import database_exists, grow_to_big_city, is_grown, recreate_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrmodell.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/styrmodell_bench_city")
os.environ.setdefault("DEBUG", "0")  # no query log growing in memory
os.environ.pop("REDIS_URL", None)  # no broker: nothing here should queue a task
warnings.filterwarnings("ignore", "No directory at")  # static files are not collected here
DEFAULT_RESULTS = ROOT / "test-artifacts" / "bench_big_city.json"
TRIVIAL = "trivial (login page)"
# What every signed-in page pays before its own work: the session, the user and roles, the
# menu and the base layout (the page that says a password was changed).
SIGNED_IN = "trivial, signed in"
RATIO_LIMIT = 5.0
COMPILED_REPORT_LIMIT = 15.0
GROWTH_LIMIT = 1.5
TRIVIAL_RUNS = 20


@dataclass(frozen=True)
class Page:
    name: str
    login: str | None  # None: anonymous
    url: Callable[[dict], str]  # from the ids looked up once (`_ids`)
    limit: float = RATIO_LIMIT
    # Acts for a person without a session (the feed, by its secret address): it finds the
    # person and reads their roles as a signed-in page does.
    for_person: bool = False

    @property
    def signed_in(self) -> bool:
        return bool(self.login) or self.for_person


def _pages() -> list[Page]:
    from django.urls import reverse

    def period(ids, name, *extra):
        return reverse(f"reporting:{name}", args=[ids["year"], ids["period_code"], *extra])

    starts = [Page(f"start_{login.replace('.', '_')}", login, lambda ids: reverse("start"))
              for login in ("kommundirektor", "ekonom", "bun.ordforande", "bun.forvaltningschef",
                            "enhetschef", "medarbetare")]
    return [
        Page(TRIVIAL, None, lambda ids: reverse("login")),
        Page(SIGNED_IN, "ekonom", lambda ids: reverse("password_change_done")),
        *starts,
        Page("goal_tree", "kommundirektor", lambda ids: reverse("goals:tree")),
        Page("goal_map", "kommundirektor", lambda ids: reverse("goals:goal_map")),
        Page("kf_goals", "kommundirektor", lambda ids: reverse("goals:kf_goals")),
        Page("medarbetarplaner", "kommundirektor",
             lambda ids: reverse("goals:medarbetarplan_list")),
        Page("organisation", "kommundirektor", lambda ids: reverse("organisation")),
        Page("people", "admin", lambda ids: reverse("person_list")),
        Page("frames", "ekonom", lambda ids: reverse("budget:frames", args=[ids["year"]])),
        Page("followup_overview", "ekonom",
             lambda ids: reverse("budget:followup", args=[ids["year"]])),
        Page("followup_namnd", "bun.forvaltningschef",
             lambda ids: reverse("budget:followup_namnd", args=[ids["year"], ids["bun"]])),
        Page("outcome", "ekonom", lambda ids: reverse("budget:outcome_year", args=[ids["year"]])),
        Page("investments", "ekonom",
             lambda ids: reverse("budget:investments", args=[ids["year"]])),
        Page("deviation_register", "ekonom", lambda ids: reverse("deviations:register")),
        Page("report_list", "ekonom", lambda ids: reverse("reporting:periods")),
        Page("compiled_report", "kommundirektor", lambda ids: period(ids, "period"),
             limit=COMPILED_REPORT_LIMIT),
        Page("section", "bun.forvaltningschef", lambda ids: period(ids, "section", ids["bun"])),
        Page("changes", "bun.forvaltningschef",
             lambda ids: period(ids, "section_changes", ids["bun"])),
        Page("mina_frister", "bun.forvaltningschef", lambda ids: reverse("reporting:my_deadlines")),
        Page("ical_feed", None,
             lambda ids: reverse("reporting:deadlines_feed", args=[ids["feed_token"]]),
             for_person=True),
        Page("investments_excel", "ekonom",
             lambda ids: reverse("budget:investments_excel", args=[ids["year"]])),
    ]


@dataclass
class Figures:
    status: str  # "200", or what answered instead
    queries: int = 0
    ms: float = 0.0
    bytes: int = 0
    ratio: float | None = None
    signed_in_ratio: float | None = None  # to the signed-in trivial page


def _august_report():
    from reporting.models import Rapportperiod, ReportKind
    from styrmodell.models import FollowUpPeriod

    return Rapportperiod.objects.select_related("budget_year").get(
        budget_year__year=2026, kind=ReportKind.DELAR, period=FollowUpPeriod.AUGUST)


def _ids() -> dict:
    """What the URLs need: the running year, the August delårsrapport, BUN and a feed token."""
    from reporting.deadlines_feed import renew_feed_token
    from styrmodell.models import OrganisationUnit, UnitKind, User

    report = _august_report()
    return {
        "year": report.budget_year.year,
        "period_code": report.code,
        "bun": OrganisationUnit.objects.get(kind=UnitKind.NAMND, short_name="BUN").pk,
        # The feed is asked for as its subscriber's calendar would: by the secret address.
        "feed_token": renew_feed_token(user=User.objects.get(username="bun.forvaltningschef")),
    }


def _body_bytes(response) -> int:
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _measure(client, url: str, runs: int) -> Figures:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, queries, size = [], 0, 0
    for run in range(runs + 1):  # the first warms up (templates, caches) and is not counted
        try:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                size = _body_bytes(response)
                elapsed = time.perf_counter() - started
        except Exception as error:  # noqa: BLE001 - a failing page is a figure, not a crash
            return Figures(status=f"error: {type(error).__name__}: {error}"[:80])
        if response.status_code != 200:
            return Figures(status=f"HTTP {response.status_code}")
        if run:
            seconds.append(elapsed)
            queries = len(captured)
    return Figures(status="200", queries=queries, ms=statistics.median(seconds) * 1000,
                   bytes=size)


def measure_pages(pages: list[Page], runs: int) -> dict[str, Figures]:
    from django.test import Client

    from styrmodell.models import User

    ids = _ids()
    clients: dict[str | None, Client] = {}
    results = {}
    for page in pages:
        if page.login not in clients:
            client = clients[page.login] = Client(raise_request_exception=True)
            if page.login:
                client.force_login(User.objects.get(username=page.login))
        page_runs = max(TRIVIAL_RUNS, runs * 5) if page.name in (TRIVIAL, SIGNED_IN) else runs
        results[page.name] = _measure(clients[page.login], page.url(ids), page_runs)
        print(f"   {page.name}: {results[page.name].status}, {results[page.name].ms:.0f} ms",
              flush=True)
    trivial_ms = results[TRIVIAL].ms
    signed_in_ms = results[SIGNED_IN].ms if SIGNED_IN in results else 0
    for figures in results.values():
        if figures.status == "200" and trivial_ms:
            figures.ratio = figures.ms / trivial_ms
        if figures.status == "200" and signed_in_ms:
            figures.signed_in_ratio = figures.ms / signed_in_ms
    return results


def _judged(page: Page, figures: Figures | None) -> float | None:
    """The ratio a page is judged by: to the trivial view of its own kind. A page for a person
    pays for the session (or the feed's token), the person's roles and the menu before any work
    of its own, as the signed-in trivial page does; an anonymous page is held to the login
    page."""
    if figures is None:
        return None
    return figures.signed_in_ratio if page.signed_in else figures.ratio


def _grew_more_than_it_shows(demo: Figures, big: Figures, demo_ratio: float,
                             big_ratio: float) -> bool:
    """Over 1.5× its demo ratio, and more than its bytes grew: a page may take longer when it
    shows proportionally more (a row per nämnd of thirty instead of five)."""
    shown = big.bytes / demo.bytes if demo.bytes else 1.0
    return big_ratio > max(GROWTH_LIMIT, shown) * demo_ratio


def _verdict(page: Page, demo: Figures | None, big: Figures | None) -> str:
    if page.name in (TRIVIAL, SIGNED_IN) or big is None:
        return "–"
    big_ratio, demo_ratio = _judged(page, big), _judged(page, demo)
    if big_ratio is None:
        return "no (no answer)"
    misses = []
    if big_ratio > page.limit:
        misses.append(f"> {page.limit:g}×")
    if demo_ratio and _grew_more_than_it_shows(demo, big, demo_ratio, big_ratio):
        misses.append(f"> {GROWTH_LIMIT:g}× demo")
    return "no (" + ", ".join(misses) + ")" if misses else "yes"


def _times(ratio: float | None) -> str:
    return f"{ratio:.1f}×" if ratio is not None else ""


def _cells(figures: Figures | None) -> list[str]:
    if figures is None:
        return ["", "", "", "", ""]
    if figures.status != "200":
        return [figures.status, "", "", "", ""]
    return [str(figures.queries), f"{figures.ms:.0f}", f"{figures.bytes:,}".replace(",", " "),
            _times(figures.ratio), _times(figures.signed_in_ratio)]


def print_table(pages: list[Page], demo: dict, big: dict) -> None:
    print()
    print("| page | demo queries | demo ms | demo bytes | demo ratio | demo ratio signed in | "
          "big queries | big ms | big bytes | big ratio | big ratio signed in | target met |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for page in pages:
        row = [page.name, *_cells(demo.get(page.name)), *_cells(big.get(page.name)),
               _verdict(page, demo.get(page.name), big.get(page.name) if big else None)]
        print("| " + " | ".join(row) + " |")
    print(f"\nTargets: at big size within {RATIO_LIMIT:g}× the trivial view "
          f"({COMPILED_REPORT_LIMIT:g}× for the compiled report), and at most {GROWTH_LIMIT:g}× "
          "the page's demo ratio unless its bytes grew more. A page for a person (signed in, "
          "or the feed by its token) is judged against the trivial page a signed-in user gets "
          "(session, roles, menu), an anonymous one against the login page; both ratios are "
          "shown.")


def _prepare_database(keep: bool) -> None:
    url = os.environ["DATABASE_URL"]
    if not (keep and database_exists(url)):
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from styrmodell.models import BudgetYear

    setup_test_environment()  # the test client's host, and mail kept in memory
    call_command("migrate", verbosity=0)
    if not BudgetYear.objects.exists():
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        print(f"Demo seeded in {time.perf_counter() - started:.0f} s")


def _load(path: Path) -> dict[str, Figures]:
    if not path.exists():
        return {}
    return {name: Figures(**values) for name, values in json.loads(path.read_text()).items()}


def _save(path: Path, results: dict[str, Figures]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({name: asdict(f) for name, f in results.items()}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per page at demo size")
    parser.add_argument("--big-runs", type=int, default=3, help="runs per page at big size")
    parser.add_argument("--only-demo", action="store_true")
    parser.add_argument("--pages", default="", help="comma-separated page names")
    parser.add_argument("--keep", action="store_true", help="reuse the database if it is there")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS,
                        help="where the demo figures are kept for --keep")
    args = parser.parse_args()
    _prepare_database(args.keep)
    pages = _pages()
    if args.pages:
        wanted = set(args.pages.split(","))
        unknown = wanted - {page.name for page in pages}
        if unknown:
            sys.exit(f"Unknown pages: {', '.join(sorted(unknown))}")
        pages = [page for page in pages if page.name in wanted or page.name in (TRIVIAL, SIGNED_IN)]

    if args.keep and is_grown():
        demo = _load(args.results)
        print(f"Reusing the grown database; demo figures from {args.results}" if demo
              else "Reusing the grown database; no demo figures saved")
    else:
        print(f"Demo size ({args.runs} runs a page):")
        demo = measure_pages(pages, args.runs)
        _save(args.results, {**_load(args.results), **demo})
    big: dict[str, Figures] = {}
    if not args.only_demo:
        if not is_grown():
            print("Growing to big-city size:")
            seconds = grow_to_big_city(_august_report())
            print(f"Grown in {seconds:.0f} s")
        print(f"Big size ({args.big_runs} runs a page):")
        big = measure_pages(pages, args.big_runs)
    print_table(pages, demo, big)


if __name__ == "__main__":
    main()
