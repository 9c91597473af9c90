"""The PDF pipeline (reporting/pdf.py, pdf_jobs.py) and F3's meeting status page and its PDF."""

import http.server
import re
import subprocess
import threading
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from budget.followup.selectors import namnd_followup
from budget.models import Prognos
from reporting import pdf_jobs
from reporting.meeting_status import namnd_meetings
from reporting.models import MeetingPresentation, PdfRendering, RenderingStatus
from reporting.pdf import render_pdf, static_only_fetcher
from reporting.pdf_documents import MEETING_STATUS
from styrmodell.templatetags.styrmodell_tags import tkr

NBSP = "\u00a0"


def pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.replace(NBSP, " ")


def _keep_pages(pdf: bytes, name: str) -> None:
    """The PDF and its pages as PNG under test-artifacts/pdf/, to look at."""
    folder = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(folder / f"{name}.pdf"),
                    str(folder / name)], check=True)


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every deflated stream (object streams too) inflated."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return b" ".join(inflated)


def pdfinfo(pdf: bytes, tmp_path, *args) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", *args, str(path)], check=True, capture_output=True,
                          text=True).stdout


def _document(body: str) -> str:
    return render_to_string("reporting/pdf_base.html", {
        "municipality": "Ekbacka kommun", "document_title": "Provdokument",
        "period": "Oktober 2026", "dnr": "KS 2026/17", "status_text": "Utkast",
        "sections": [{"anchor": "del-1", "title": "Första delen", "html": body},
                     {"anchor": "del-2", "title": "Andra delen", "html": "<p>Slut.</p>"}],
    })


@pytest.fixture
def http_server():
    """A local web server that counts the requests it gets: the PDF must make none."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def test_the_fetcher_refuses_file_and_http_and_serves_our_static_files(http_server, tmp_path):
    from django.utils.safestring import mark_safe

    base, hits = http_server
    secret = tmp_path / "hemligt.txt"
    secret.write_text("lösenord")
    body = mark_safe(
        f'<p>Text</p><img src="file:///etc/passwd" alt="a"><img src="{secret.as_uri()}" alt="b">'
        f'<img src="{base}/bild.png" alt="c"><link rel="stylesheet" href="{base}/x.css">'
        f'<img src="https://example.com/spion.png" alt="d">'
        f'<img src="/static/../../../etc/passwd" alt="e">'
        '<img alt="f" src="data:image/svg+xml;base64,'
        'PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz4=">')
    fetcher = static_only_fetcher()
    pdf = render_pdf(_document(body), title="Provdokument", fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert hits == []
    refused = " ".join(fetcher.refused)
    for url in ("file:///etc/passwd", secret.as_uri(), f"{base}/bild.png", f"{base}/x.css",
                "https://example.com/spion.png", "etc/passwd"):
        assert url in refused
    assert not any(url.startswith("data:") for url in fetcher.refused)
    assert not any("print.css" in url for url in fetcher.refused)  # our stylesheet is served


def test_the_pdf_is_tagged_swedish_and_has_contents_and_page_numbers(tmp_path):
    pdf = render_pdf(_document("<p>Räkenskaper för året.</p>"), title="Provdokument")
    info = pdfinfo(pdf, tmp_path)
    assert "Tagged:          yes" in info
    assert "Title:           Provdokument" in info
    assert 'pdfuaid:part="1"' in pdfinfo(pdf, tmp_path, "-meta")  # PDF/UA-1
    assert "H1" in pdfinfo(pdf, tmp_path, "-struct")  # a structure tree with headings
    assert re.search(rb"/Lang\s*\(sv\)", pdf_objects(pdf))  # the document language
    text = pdftotext(pdf, tmp_path)
    assert "Ekbacka kommun" in text and "Provdokument" in text and "KS 2026/17" in text
    assert "Innehåll" in text
    # The contents name each section with the page it starts on (cover 1, contents 2).
    assert "Första delen" in text and text.split("Första delen", 1)[1].split("\n")[0].strip()\
        .endswith("3")
    assert "Sida 3 av 4" in text and "Sida 1 av" not in text  # no number on the cover


@pytest.fixture
def sn_meeting(municipality, unit):
    return namnd_meetings().get(unit=unit("sn"), date="2026-11-16")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit enqueue (Celery is eager without a broker) inside the test."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_f3_page_shows_position_forecast_cases_and_kf_goal_indicators(sn_meeting, unit, login,
                                                                       client,
                                                                       django_assert_max_num_queries):
    login("sn.ordforande")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("reporting:meeting_status", args=[sn_meeting.pk]))
    assert response.status_code == 200
    page = response.content.decode().replace(NBSP, " ").replace("&nbsp;", " ")
    data = namnd_followup(namnd=unit("sn"), budget_year=sn_meeting.budget_year)
    assert data.latest is not None
    for figure in (data.frame, data.outcome_to_date, data.latest.forecast.total,
                   data.latest.variance.amount):
        assert tkr(figure).replace(NBSP, " ") in page
    assert "Öppna avvikelseärenden" in page and "Indikatorer för KF:s prioriterade mål" in page
    assert "<svg" in page and "<title" in page


def test_f3_pdf_holds_the_headings_and_the_figures_as_the_page_shows_them(
        sn_meeting, unit, login, client, on_commit, tmp_path):
    login("sn.forvaltningschef")
    with on_commit():
        response = client.post(reverse("reporting:meeting_status_pdf", args=[sn_meeting.pk]))
    rendering = PdfRendering.objects.get(kind=MEETING_STATUS, object_id=sn_meeting.pk)
    assert response.url == rendering.get_absolute_url()
    assert rendering.status == RenderingStatus.DONE and rendering.progress == 100
    assert rendering.started_at <= rendering.finished_at
    status_page = client.get(rendering.get_absolute_url())
    assert "Refresh" not in status_page
    assert reverse("reporting:pdf_download", args=[rendering.pk]) in status_page.content.decode()
    download = client.get(reverse("reporting:pdf_download", args=[rendering.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    pdf = download.content
    assert "Tagged:          yes" in pdfinfo(pdf, tmp_path)
    _keep_pages(pdf, "f3-lagesrapport")
    text = pdftotext(pdf, tmp_path)
    for heading in ("Ekbacka kommun", "Ekonomisk lägesrapport – Socialnämnden",
                    "Sammanträde 16 november 2026", "Innehåll", "Ekonomiskt läge",
                    "Öppna avvikelseärenden", "Indikatorer för KF:s prioriterade mål",
                    "Utfall per månad"):
        assert heading in text, heading
    data = namnd_followup(namnd=unit("sn"), budget_year=sn_meeting.budget_year)
    for figure in (data.frame, data.outcome_to_date, data.latest.forecast.total,
                   data.latest.variance.amount):
        assert tkr(figure).replace(NBSP, " ") in text
    assert "Sida 2 av" in text


def test_pdf_cache_hit_without_rendering_and_rerender_when_the_data_changed(
        sn_meeting, unit, login, client, on_commit, monkeypatch):
    rendered = []
    real = pdf_jobs.render_pdf_pages

    def counting(html, **kwargs):
        rendered.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf_jobs, "render_pdf_pages", counting)
    login("sn.ordforande")
    url = reverse("reporting:meeting_status_pdf", args=[sn_meeting.pk])
    with on_commit() as callbacks:
        first = client.post(url)
    assert len(callbacks) == 1 and len(rendered) == 1
    with on_commit() as callbacks:
        second = client.post(url)
    assert callbacks == [] and len(rendered) == 1  # cached: nothing enqueued, nothing rendered
    assert second.url == first.url
    forecast = Prognos.objects.filter(namnd=unit("sn"), budget_year=sn_meeting.budget_year)\
        .order_by("-written_at").first()
    Prognos.objects.filter(pk=forecast.pk).update(total=forecast.total + Decimal("250000"))
    with on_commit():
        third = client.post(url)
    assert len(rendered) == 2 and third.url != first.url
    assert PdfRendering.objects.filter(kind=MEETING_STATUS, object_id=sn_meeting.pk,
                                       status=RenderingStatus.DONE).count() == 2


def test_pdf_status_page_refreshes_itself_while_queued(sn_meeting, login, client):
    login("revisor")
    rendering, queued = pdf_jobs.request_rendering(kind=MEETING_STATUS,
                                                   object_id=sn_meeting.pk)
    assert queued and rendering.status == RenderingStatus.QUEUED  # enqueued only on commit
    response = client.get(rendering.get_absolute_url())
    assert response.status_code == 200 and response["Refresh"] == "2"
    assert 'max="100"' in response.content.decode()
    download = client.get(reverse("reporting:pdf_download", args=[rendering.pk]))
    assert download.status_code == 302


@pytest.mark.parametrize("username, expected", [
    ("sn.forvaltningschef", 302), ("revisor", 403), ("sn.ordforande", 403), ("ekonom", 403),
    ("bun.sekreterare", 403), ("bun.forvaltningschef", 403),
])
def test_f3_only_the_namnds_forvaltningschef_or_secretary_records_presented(
        sn_meeting, login, client, username, expected):
    login(username)
    page = client.get(reverse("reporting:meeting_status", args=[sn_meeting.pk]))
    assert page.status_code == 200  # everyone with view rights reads
    response = client.post(reverse("reporting:meeting_presented", args=[sn_meeting.pk]),
                           {"paragraph": "§ 87"})
    assert response.status_code == expected
    assert MeetingPresentation.objects.filter(meeting=sn_meeting).exists() == (expected == 302)
    assert ("Registrera som föredragen" in page.content.decode()) == (expected == 302)


def test_f3_the_secretary_records_presented_dated_to_the_meeting_with_the_figures(
        municipality, unit, login, client):
    meeting = namnd_meetings().get(unit=unit("bun"), date="2026-11-16")
    user = login("bun.sekreterare")
    url = reverse("reporting:meeting_presented", args=[meeting.pk])
    assert client.post(url, {"paragraph": "§ 112"}).status_code == 302
    record = MeetingPresentation.objects.get(meeting=meeting)
    data = namnd_followup(namnd=unit("bun"), budget_year=meeting.budget_year)
    assert record.presented_on == meeting.date and record.recorded_by == user
    assert record.outcome_to_date == data.outcome_to_date
    assert record.forecast == data.latest.forecast.total and record.paragraph == "§ 112"
    assert record.history.count() == 1
    again = client.post(url, {"paragraph": "§ 113"})
    assert again.status_code == 400 and "redan registrerad" in again.content.decode()
    page = client.get(reverse("reporting:meeting_status", args=[meeting.pk])).content.decode()
    assert "§ 112" in page and "Registrera som föredragen" not in page


def test_f3_a_meeting_not_yet_held_cannot_be_recorded_as_presented(municipality, unit, login,
                                                                   client):
    meeting = namnd_meetings().get(unit=unit("sn"), date="2026-12-16")
    login("sn.forvaltningschef")
    response = client.post(reverse("reporting:meeting_presented", args=[meeting.pk]), {})
    assert response.status_code == 400 and "inte hållits" in response.content.decode()
    assert not MeetingPresentation.objects.filter(meeting=meeting).exists()


def test_f3_the_meeting_calendar_page_links_to_the_status_page(sn_meeting, login, client):
    login("sn.ordforande")
    page = client.get(sn_meeting.get_absolute_url()).content.decode()
    assert reverse("reporting:meeting_status", args=[sn_meeting.pk]) in page


def test_f3_demo_has_the_october_meetings_recorded_as_presented(municipality, unit):
    from reporting import demo

    demo.seed()  # idempotent
    records = MeetingPresentation.objects.filter(presented_on__month=10, presented_on__year=2026)
    assert {record.namnd for record in records} == {unit("sn"), unit("bun")}
    assert all(record.presented_on == record.meeting.date for record in records)


def test_a_failed_rendering_is_shown_and_asking_again_renders_anew(sn_meeting, login, client,
                                                                   on_commit, monkeypatch):
    real = pdf_jobs.render_pdf_pages

    def broken(html, **kwargs):
        raise OSError("disken är full")

    monkeypatch.setattr(pdf_jobs, "render_pdf_pages", broken)
    login("sn.ordforande")
    url = reverse("reporting:meeting_status_pdf", args=[sn_meeting.pk])
    with on_commit():
        response = client.post(url)
    rendering = PdfRendering.objects.get(kind=MEETING_STATUS, object_id=sn_meeting.pk)
    assert rendering.status == RenderingStatus.FAILED and "disken är full" in rendering.error
    page = client.get(response.url)
    assert "Refresh" not in page and "kunde inte skapas" in page.content.decode()
    monkeypatch.setattr(pdf_jobs, "render_pdf_pages", real)
    with on_commit():
        client.post(url)
    rendering.refresh_from_db()
    assert rendering.status == RenderingStatus.DONE


def test_a_rendering_whose_worker_died_is_queued_again(sn_meeting, settings):
    import datetime as dt

    from django.utils import timezone

    rendering, _ = pdf_jobs.request_rendering(kind=MEETING_STATUS, object_id=sn_meeting.pk)
    same, queued = pdf_jobs.request_rendering(kind=MEETING_STATUS, object_id=sn_meeting.pk)
    assert same == rendering and not queued  # still waiting for its worker
    PdfRendering.objects.filter(pk=rendering.pk).update(
        status=RenderingStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 61))
    again, queued = pdf_jobs.request_rendering(kind=MEETING_STATUS, object_id=sn_meeting.pk)
    assert again.pk == rendering.pk and queued and again.status == RenderingStatus.QUEUED


def test_the_admin_lists_renderings_and_presentations_read_only(municipality, login, client):
    from reporting import demo

    demo.seed()
    login("admin")
    for url in ("/admin/reporting/pdfrendering/", "/admin/reporting/meetingpresentation/"):
        assert client.get(url).status_code == 200
    record = MeetingPresentation.objects.first()
    page = client.get(f"/admin/reporting/meetingpresentation/{record.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/reporting/pdfrendering/add/").status_code == 403


def test_f3_the_namnd_follow_up_page_leads_to_its_next_meeting(municipality, unit, login,
                                                              client):
    login("sn.ordforande")
    followup = client.get(reverse("budget:followup_namnd", args=[2026, unit("sn").pk]))
    link = reverse("reporting:namnd_current_meeting", args=[unit("sn").pk])
    assert link in followup.content.decode()
    response = client.get(link)
    next_meeting = namnd_meetings().get(unit=unit("sn"), date="2026-12-16")
    assert response.url == reverse("reporting:meeting_status", args=[next_meeting.pk])
    assert client.get(reverse("reporting:namnd_current_meeting",
                              args=[unit("sbf").pk])).status_code == 404


def test_without_a_broker_the_pdf_renders_in_a_thread_while_the_progress_page_shows(
        transactional_db, client, settings, monkeypatch):
    """The embedded default: the request returns at once to the progress page, which answers
    while a thread of the web process renders, until the PDF can be downloaded."""
    import io
    import time

    from django.core.management import call_command

    from styrmodell.models import User

    call_command("seed_demo", stdout=io.StringIO())
    settings.EAGER_TASKS_IN_THREAD = True
    may_render = threading.Event()
    render = pdf_jobs.run_rendering

    def held_back(kind, object_id):  # the thread renders only when the test lets it
        assert may_render.wait(30)
        return render(kind, object_id)

    monkeypatch.setattr(pdf_jobs, "run_rendering", held_back)
    meeting = namnd_meetings().get(unit__short_name="SN", date="2026-11-16")
    client.force_login(User.objects.get(username="revisor"))
    response = client.post(reverse("reporting:meeting_status_pdf", args=[meeting.pk]))
    rendering = PdfRendering.objects.get(kind=MEETING_STATUS, object_id=meeting.pk)
    assert response.url == rendering.get_absolute_url()
    # The request has returned while the PDF is not rendered: the progress page shows.
    assert not rendering.is_finished
    assert 'max="100"' in client.get(rendering.get_absolute_url()).content.decode()
    may_render.set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        rendering.refresh_from_db()
        if rendering.is_finished:
            break
        assert client.get(rendering.get_absolute_url()).status_code == 200
        time.sleep(0.2)
    assert rendering.status == RenderingStatus.DONE, rendering.error
    download = client.get(reverse("reporting:pdf_download", args=[rendering.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
