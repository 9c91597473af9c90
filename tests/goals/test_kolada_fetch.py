"""The daily fetch from the Kolada API v3, against a local HTTP server that answers as Kolada.

The server runs in a thread on a loopback port and serves Kolada-shaped v3 JSON: pages linked by
next_url, null values, withdrawn (isdeleted) rows, an HTTP 500, an answer slower than the
client's timeout and malformed JSON. After every failure nothing has changed and the log says
why.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from goals import demo_keyfigures, kolada_api, kolada_fetch
from goals.models import (
    Jamforelsekommun,
    Jamforelsevarde,
    KoladaHamtning,
    KoladaTrigger,
    Nyckeltal,
    NyckeltalVarde,
)
from styrmodell import due_work

OWN = "1443"
OTHER = "1490"


class KoladaServer:
    """Answers each path (with its query) as the test says: (status, body, seconds to wait)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, float]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the name http.server calls
                server.requests.append(self.path)
                status, body, delay = server.routes.get(
                    self.path, (404, b'{"error": "not found"}', 0))
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped waiting (the timeout test)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/v3"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def path_of(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def answer(self, url: str, document=None, *, status: int = 200, body: bytes | None = None,
               delay: float = 0) -> None:
        raw = body if body is not None else json.dumps(document).encode()
        self.routes[self.path_of(url)] = (status, raw, delay)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def kolada_server(settings):
    server = KoladaServer()
    settings.KOLADA_BASE_URL = server.base
    settings.KOLADA_TIMEOUT = 0.5
    settings.MUNICIPALITY_CODE = OWN
    yield server
    server.close()


@pytest.fixture
def figures(municipality):
    demo_keyfigures.seed(municipality)
    return {figure.kolada_kpi: figure for figure in Nyckeltal.objects.exclude(kolada_kpi="")}


def _row(kpi, period, value, municipality=OWN, **extra):
    row = {"kpi": kpi, "municipality": municipality, "period": period,
           "values": [{"gender": "T", "status": "", "value": value, "count": 1}]}
    row.update(extra)
    return row


def _first_url(server: KoladaServer, codes=(OWN,)) -> str:
    kpis = sorted(Nyckeltal.objects.exclude(kolada_kpi="").values_list("kolada_kpi", flat=True))
    (url,) = kolada_api.data_urls(server.base, kpis, list(codes))
    return url


def _page(rows, next_url=None):
    return {"values": rows, "count": len(rows), "next_url": next_url}


def _stored():
    return sorted(NyckeltalVarde.objects.values_list("nyckeltal_id", "unit_id", "period",
                                                     "value", "source"))


def _two_pages(server, *, second=None, codes=(OWN,)):
    """Page 1 with one new value; page 2 (given, or good) linked from it by next_url."""
    first = _first_url(server, codes)
    second_url = f"{server.base}/data/kpi/page2?page=2"
    server.answer(first, _page([_row("N01951", 2026, 10290)], next_url=second_url))
    if second is None:
        server.answer(second_url, _page([_row("N00090", 2026, 6.9)]))
    else:
        second(second_url)
    return first


def test_fetch_follows_next_url_through_every_page_and_saves_the_totals(kolada_server, figures,
                                                                        municipality):
    _two_pages(kolada_server)
    log = kolada_fetch.fetch()
    assert log.ok, log.message
    kommun = municipality["kommun"]
    assert NyckeltalVarde.objects.get(nyckeltal=figures["N01951"], unit=kommun,
                                      period=2026).value == Decimal("10290")
    stored = NyckeltalVarde.objects.get(nyckeltal=figures["N00090"], unit=kommun, period=2026)
    assert stored.value == Decimal("6.9") and stored.source == "kolada"
    assert (log.pages, log.rows, log.saved) == (2, 2, 2)
    assert log.trigger == KoladaTrigger.SCHEDULED
    assert "2 värden nya eller ändrade" in log.message


def test_fetch_asks_for_every_kolada_id_of_the_municipality_and_its_comparisons(
        kolada_server, figures):
    Jamforelsekommun.objects.create(code=OTHER, name="Mark")
    first = _first_url(kolada_server, (OWN, OTHER))
    kolada_server.answer(first, _page([]))
    assert kolada_fetch.fetch().ok
    (asked,) = kolada_server.requests
    assert asked.startswith("/v3/data/kpi/")
    kpis, codes = asked.split("/data/kpi/")[1].split("?")[0].split("/municipality/")
    assert set(kpis.split(",")) == set(figures)
    assert codes.split(",") == [OWN, OTHER]


def test_a_null_value_is_stored_as_null(kolada_server, figures, municipality):
    kolada_server.answer(_first_url(kolada_server), _page([_row("N00090", 2025, None)]))
    assert kolada_fetch.fetch().ok
    stored = NyckeltalVarde.objects.get(nyckeltal=figures["N00090"], unit=municipality["kommun"],
                                        period=2025)
    assert stored.value is None and stored.source == "kolada"


def test_a_deleted_row_removes_the_value_kolada_gave_but_not_one_entered_by_hand(
        kolada_server, figures, municipality):
    kommun = municipality["kommun"]
    NyckeltalVarde.objects.filter(nyckeltal=figures["N00097"], unit=kommun,
                                  period=2024).update(source="manuell")
    kolada_server.answer(_first_url(kolada_server), _page([
        _row("N00090", 2024, 7.6, isdeleted=True),
        _row("N00097", 2024, 0.6, isdeleted=True),
    ]))
    log = kolada_fetch.fetch()
    assert log.ok and log.deleted == 1
    assert not NyckeltalVarde.objects.filter(nyckeltal=figures["N00090"], unit=kommun,
                                             period=2024).exists()
    assert NyckeltalVarde.objects.filter(nyckeltal=figures["N00097"], unit=kommun,
                                         period=2024).exists()
    assert "1 borttagna av Kolada" in log.message


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        (lambda server: lambda url: server.answer(url, status=500, body=b"Internal error"),
         "felkod 500"),
        (lambda server: lambda url: server.answer(url, _page([]), delay=2),
         "svarade inte inom 0.5 sekunder"),
        (lambda server: lambda url: server.answer(url, body=b'{"values": [{"kpi": '),
         "Svaret från Kolada är inte giltig JSON"),
        (lambda server: lambda url: server.answer(url, {"values": [{"kpi": "N00090"}]}),
         "Rad 1 i values saknar 'municipality'"),
        (lambda server: lambda url: server.answer(
            url, _page([], next_url="https://elsewhere.example/v3/data?page=3")),
         "inte ligger på den inställda adressen"),
    ],
    ids=["http-500", "timeout", "malformed-json", "not-kolada-rows", "link-elsewhere"],
)
def test_a_failed_page_changes_nothing_and_the_log_says_why(kolada_server, figures, second,
                                                            reason):
    before = _stored()
    _two_pages(kolada_server, second=second(kolada_server))
    log = kolada_fetch.fetch()
    assert not log.ok
    assert reason in log.message and "Inga värden ändrades" in log.message
    assert _stored() == before  # page 1 was good, yet nothing of it is saved
    assert log.saved == 0 and KoladaHamtning.objects.get() == log


def test_kolada_unreachable_is_logged(settings, figures):
    settings.MUNICIPALITY_CODE = OWN
    settings.KOLADA_BASE_URL = "http://127.0.0.1:9/v3"  # the discard port: nobody listens
    settings.KOLADA_TIMEOUT = 0.5
    log = kolada_fetch.fetch()
    assert not log.ok and "Kolada gick inte att nå" in log.message


def test_a_second_fetch_of_the_same_answer_writes_nothing(kolada_server, figures):
    Jamforelsekommun.objects.create(code=OTHER, name="Mark")
    kolada_server.answer(_first_url(kolada_server, (OWN, OTHER)), _page([
        _row("N01951", 2026, 10290), _row("N01951", 2026, 34000, municipality=OTHER),
    ]))
    first = kolada_fetch.fetch()
    assert (first.saved, first.comparison_saved) == (1, 1)
    stored, compared = _stored(), list(Jamforelsevarde.objects.values_list())
    history = NyckeltalVarde.history.count()
    second = kolada_fetch.fetch()
    assert second.ok and (second.saved, second.comparison_saved) == (0, 0)
    assert second.unchanged == 1
    assert _stored() == stored and list(Jamforelsevarde.objects.values_list()) == compared
    assert NyckeltalVarde.history.count() == history


def test_the_hourly_run_fetches_once_a_day_and_again_after_a_failure(kolada_server, figures):
    today = timezone.localdate()
    first = _first_url(kolada_server)
    kolada_server.answer(first, status=500, body=b"down")
    assert due_work.run_all(today)["nyckeltal-kolada"] == 1
    assert not KoladaHamtning.objects.get().ok
    kolada_server.answer(first, _page([_row("N01951", 2026, 10290)]))
    assert due_work.run_all(today)["nyckeltal-kolada"] == 1  # the failure is retried
    assert due_work.run_all(today)["nyckeltal-kolada"] == 0  # the day is done
    assert len(kolada_server.requests) == 2
    assert kolada_fetch.fetch_due(today + dt.timedelta(days=1)) == 1


def test_without_the_municipality_code_the_hourly_run_does_nothing(settings, figures):
    settings.MUNICIPALITY_CODE = ""
    assert kolada_fetch.fetch_due(timezone.localdate()) == 0
    assert not KoladaHamtning.objects.exists()


def test_comparison_values_are_stored_apart_and_deleted_rows_remove_them(kolada_server,
                                                                         figures, municipality):
    mark = Jamforelsekommun.objects.create(code=OTHER, name="Mark")
    own_before = NyckeltalVarde.objects.count()
    url = _first_url(kolada_server, (OWN, OTHER))
    kolada_server.answer(url, _page([
        _row("N00090", 2024, 8.1, municipality=OTHER),
        _row("N00090", 2025, 7.9, municipality=OTHER),
        _row("N00090", 2025, 99, municipality="0180"),  # not asked for: left alone
    ]))
    assert kolada_fetch.fetch().ok
    assert NyckeltalVarde.objects.count() == own_before
    assert dict(Jamforelsevarde.objects.filter(kommun=mark).values_list("period", "value")) == {
        2024: Decimal("8.1"), 2025: Decimal("7.9")}
    kolada_server.answer(url, _page([_row("N00090", 2024, None, municipality=OTHER,
                                          isdeleted=True)]))
    assert kolada_fetch.fetch().ok
    assert list(Jamforelsevarde.objects.values_list("period", flat=True)) == [2025]


# --- the pages ------------------------------------------------------------------------------


def test_comparison_values_are_shown_beside_the_municipality_on_the_page_and_in_the_chart(
        kolada_server, figures, login, client):
    Jamforelsekommun.objects.create(code=OTHER, name="Mark")
    kolada_server.answer(_first_url(kolada_server, (OWN, OTHER)), _page([
        _row("N00090", 2024, 8.1, municipality=OTHER),
        _row("N00090", 2025, 6.8, municipality=OTHER),
    ]))
    assert kolada_fetch.fetch().ok
    login("bun.ledamot")
    page = client.get(figures["N00090"].get_absolute_url()).content.decode()
    table = page.split('id="tabell-jamforelse"')[1].split("</table>")[0]
    assert "Ekbacka kommun" in table and "Mark" in table
    assert "6,8" in table and "7,2" in table  # Mark and the municipality, 2025
    chart = page.split("<svg")[1].split("</svg>")[0]
    legend = chart.split('class="chart__legend"')[1]
    assert "Mark" in legend and "Ekbacka kommun" in legend
    assert "Mark – 2024: 8,1" in chart  # the description reads the comparison line out


def test_a_failed_fetch_is_reported_on_the_key_figure_page(kolada_server, figures, login,
                                                           client):
    kolada_server.answer(_first_url(kolada_server), status=500, body=b"down")
    kolada_fetch.fetch()
    login("bun.ledamot")
    page = client.get("/mal/nyckeltal/").content.decode()
    assert "Senaste hämtning från Kolada:" in page and "misslyckades:" in page
    assert "felkod 500" in page
    assert "Hämta nu" not in page  # a politician does not start a fetch


def test_the_finance_office_fetches_now(kolada_server, figures, login, client,
                                       django_capture_on_commit_callbacks):
    kolada_server.answer(_first_url(kolada_server), _page([_row("N01951", 2026, 10290)]))
    user = login("ekonom")
    assert "Hämta nu" in client.get("/mal/nyckeltal/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/mal/nyckeltal/kolada/hamta/")
    response = client.get("/mal/nyckeltal/")
    log = KoladaHamtning.objects.get()
    assert log.ok and log.trigger == KoladaTrigger.MANUAL and log.started_by == user
    page = response.content.decode()
    assert "Hämtningen från Kolada är startad" in page and "lyckades: 1 värden" in page


def test_only_the_finance_office_fetches_now(kolada_server, figures, login, client):
    login("bun.forvaltningschef")
    assert client.post("/mal/nyckeltal/kolada/hamta/").status_code == 403
    assert client.get("/mal/nyckeltal/kolada/hamta/").status_code in (403, 405)
    assert not KoladaHamtning.objects.exists()


def test_the_finance_office_adds_a_comparison_municipality_with_koladas_name(
        kolada_server, login, client):
    kolada_server.answer(f"{kolada_server.base}/municipality/{OTHER}",
                         {"values": [{"id": OTHER, "title": "Mark", "type": "K"}], "count": 1})
    login("ekonomichef")
    response = client.post("/mal/nyckeltal/jamforelsekommuner/", {"code": OTHER, "name": ""})
    assert response.status_code == 302
    assert Jamforelsekommun.objects.get(code=OTHER).name == "Mark"


def test_a_comparison_municipality_is_checked_and_every_problem_told(kolada_server, login,
                                                                     client):
    login("ekonom")
    page = client.post("/mal/nyckeltal/jamforelsekommuner/",
                       {"code": "14x", "name": "x" * 100}).content.decode()
    assert "Kommunkoden i Kolada är fyra siffror" in page
    page = client.post("/mal/nyckeltal/jamforelsekommuner/",
                       {"code": OWN, "name": ""}).content.decode()
    assert "kommunens egen kod" in page
    page = client.post("/mal/nyckeltal/jamforelsekommuner/",
                       {"code": "0180", "name": ""}).content.decode()
    assert "Namnet kunde inte hämtas från Kolada" in page and "Skriv namnet själv" in page
    assert not Jamforelsekommun.objects.exists()


def test_removing_a_comparison_municipality_removes_its_values(kolada_server, figures, login,
                                                               client):
    mark = Jamforelsekommun.objects.create(code=OTHER, name="Mark")
    Jamforelsevarde.objects.create(nyckeltal=figures["N00090"], kommun=mark, period=2025,
                                   value=Decimal("7"))
    login("bun.ledamot")
    assert client.post(f"/mal/nyckeltal/jamforelsekommuner/{mark.pk}/ta-bort/").status_code == 403
    login("ekonom")
    client.post(f"/mal/nyckeltal/jamforelsekommuner/{mark.pk}/ta-bort/")
    assert not Jamforelsekommun.objects.exists() and not Jamforelsevarde.objects.exists()
