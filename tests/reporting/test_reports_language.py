"""The report pages in English for a user who chose it (Swedish stays the default and the
source language); the PDF documents and the figures kept on approval stay Swedish whoever
asks for them."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from goals.models import Level, Malbedomning
from reporting import pdf_jobs
from reporting.models import PdfRendering, Rapportperiod, RenderingStatus, SectionStatus
from reporting.pdf_documents import REPORT_PERIOD
from reporting.reports_content import assemble, figures_of

from .test_pdf import NBSP, pdftotext


@pytest.fixture(autouse=True)
def _swedish_afterwards():
    """The language middleware leaves the chosen language active in the thread; later tests
    that call services directly expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def august(municipality):
    return Rapportperiod.objects.select_related("budget_year").get(budget_year__year=2026,
                                                                   code="aug")


def _choose_english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _section_url(period, namnd, tail: str = "") -> str:
    return f"/rapporter/{period.budget_year.year}-{period.code}/{namnd.pk}/{tail}"


def test_the_report_list_is_english_for_a_user_who_chose_english(login, client, municipality):
    login("ks.ordforande")
    _choose_english(client)
    page = _page(client, reverse("reporting:periods"))
    assert '<html lang="en">' in page
    assert "<h1>Reports</h1>" in page and "Export to Excel" in page
    assert "Reports and the committees' sections" in page and ">Last day</th>" in page
    assert "The committees are writing" in page and "Approved by the committee" in page
    assert "Exportera till Excel" not in page and "Nämnderna skriver" not in page


def test_the_report_pages_stay_swedish_for_the_default_user(login, client, august, unit):
    login("sn.ordforande")  # SN's returned section is SN's own (P5)
    listing = _page(client, reverse("reporting:periods"))
    report = client.get(august.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    section = _page(client, _section_url(august, unit("sn")))
    assert '<html lang="sv">' in listing and "Exportera till Excel" in listing
    report = html.unescape(report.content.decode())
    assert '<html lang="sv">' in report and "Kommunens sammanfattning" in report
    assert "Nämndernas ekonomi 2026: utfall januari–augusti och helårsprognos" in report
    assert "Nämnden återremitterade avsnittet:" in section and "Steg i arbetsgången" in section
    assert "Verksamhetens volymer, delårsrapport per augusti 2026" in report
    assert "Download as PDF" not in report + section


def test_the_report_page_in_english(login, client, august):
    login("ks.ordforande")
    _choose_english(client)
    page = _page(client, august.get_absolute_url())
    assert '<html lang="en">' in page
    for text in ("Download as PDF", "The municipality's summary", "Financial goals 2026",
                 "The committees' finances 2026: outcome January–August and full-year forecast",
                 "Deviation from budget frame", "Total, committees", "Goal attainment",
                 "The committee goals assessed by the analysis model with a forecast for "
                 "goal attainment", "Activity volumes", "Investment projects 2026",
                 "Deviations and measures", "The report's steps", "Partly"):
        assert text in page, text
    # A period's label inside a sentence keeps the month's capital in English.
    assert "Activity volumes, interim report, August 2026" in page
    for swedish in ("Ladda ner som PDF", "Kommunens sammanfattning", "Måluppfyllelse",
                    "Verksamhetens volymer", "Avvikelser och åtgärder", "Delvis"):
        assert swedish not in page, swedish


def test_a_section_page_in_english(login, client, august, unit):
    login("sn.ordforande")  # SN's returned section is SN's own (P5)
    _choose_english(client)
    page = _page(client, _section_url(august, unit("sn")))
    assert '<html lang="en">' in page
    for text in ("What has changed since Uppföljning per april 2026?", "Status",
                 "Referred back", "The committee referred the section back:",
                 "Financial outcome and full-year forecast", "Outcome January–August",
                 "Full-year forecast", "Key figures and their development",
                 "Conclusion and recommendation", "Steps of the workflow"):
        assert text in page, text
    assert "<dt>Sista dag</dt>" not in page and "<dt>Helårsprognos</dt>" not in page


def test_my_deadlines_in_english(login, client, municipality):
    login("ks.ordforande")
    _choose_english(client)
    # The address is shown once, in the answer to making it.
    page = client.post(reverse("reporting:renew_deadlines_feed")).content.decode()
    assert '<html lang="en">' in page
    for text in ("<h1>My deadlines</h1>", "Overdue", "Coming", "Meeting: Kommunstyrelsen",
                 "Subscribe in Outlook", "Your calendar address", "Create a new address"):
        assert text in page, text
    assert "Mina frister" not in page and "Sammanträde:" not in page


def test_the_calendar_feed_stays_swedish_when_opened_in_an_english_browser(login, client,
                                                                           municipality):
    login("ks.ordforande")
    page = client.post(reverse("reporting:renew_deadlines_feed")).content.decode()
    feed_url = page.split('id="kalenderadress" class="feed-url" value="')[1].split('"')[0]
    _choose_english(client)
    feed = client.get(feed_url).content.decode()
    assert "SUMMARY;LANGUAGE=sv:Sammanträde: Kommunstyrelsen" in feed
    assert "Meeting:" not in feed


def test_what_has_changed_in_english(login, client, august, unit):
    login("sn.ordforande")  # SN's returned section is SN's own (P5)
    _choose_english(client)
    page = _page(client, _section_url(august, unit("sn"), "andringar/"))
    assert '<html lang="en">' in page
    for text in ("What has changed since the last report?",
                 "Delårsrapport per augusti 2026 compared with Uppföljning per april 2026",
                 ">Item</th>", ">Changed</th>", ">Budget frame</th>", ">Full-year forecast</th>",
                 ">Goal: Hemtjänsten ger kontinuitet</th>", ">Open deviation cases</th>",
                 ">Summary</th>", "Back to the section"):
        assert text in page, text
    assert "Mål: " not in page and ">Ram</th>" not in page


def test_an_english_speaking_chair_approves_and_the_kept_figures_are_swedish(
        login, client, august, unit):
    """The figures kept on approval are compared as text with later days' figures: whoever
    records the decision, they are kept in Swedish, so no change shows where there is none."""
    sbn = unit("sbn")
    section = august.sections.get(namnd=sbn)
    assert section.status == SectionStatus.SUBMITTED
    login("sbn.ordforande")
    _choose_english(client)
    response = client.post(_section_url(august, sbn, "beslut/"), {
        "decision": "godkann", "decided_on": "2026-09-15", "paragraph": "41", "comment": ""})
    assert response.status_code == 302
    assert "The committee's decision is recorded." in _page(client, response.url)
    section.refresh_from_db()
    assert section.status == SectionStatus.APPROVED
    with translation.override("sv"):
        section.period = august
        assert section.approved_figures == figures_of(assemble(august, [section], user=None)[0])
    goal = "Mål: Snabbare bygglovshandläggning"
    assert section.approved_figures[goal] == "Delvis"
    assert section.approved_figures["Ram"] == f"57{NBSP}000 tkr"
    page = _page(client, section.get_absolute_url())
    assert "Figures that have changed since the committee approved the section" not in page

    Malbedomning.objects.filter(namndmal__title="Snabbare bygglovshandläggning",
                                period="aug").update(level=Level.YES)
    page = _page(client, section.get_absolute_url())
    assert "Figures that have changed since the committee approved the section" in page
    changed = page.split('id="andrat-efter"')[1].split("</table>")[0]
    assert ("<th scope=\"row\">Goal: Snabbare bygglovshandläggning</th><td>Partly</td>"
            "<td>Yes – the goal is reached</td>") in changed
    section.refresh_from_db()
    assert section.approved_figures[goal] == "Delvis"  # kept as it was approved


def test_an_english_speaking_user_gets_the_same_swedish_pdf_as_a_swedish_one(
        login, client, august, django_capture_on_commit_callbacks, tmp_path):
    with translation.override("sv"):
        swedish = pdf_jobs.build_document(REPORT_PERIOD, august.pk)
    with translation.override("en"):
        assert pdf_jobs.build_document(REPORT_PERIOD, august.pk).html == swedish.html
    assert '<html lang="sv">' in swedish.html and "Kommunens sammanfattning" in swedish.html

    login("ks.ordforande")
    _choose_english(client)
    with django_capture_on_commit_callbacks(execute=True):  # Celery runs eagerly in tests
        response = client.post(reverse("reporting:period_pdf", args=[2026, "aug"]))
    rendering = PdfRendering.objects.get(kind=REPORT_PERIOD, object_id=august.pk)
    assert response.url == rendering.get_absolute_url()
    assert rendering.status == RenderingStatus.DONE, rendering.error
    assert rendering.content_hash == swedish.content_hash
    status = _page(client, rendering.get_absolute_url())
    assert f"Download {rendering.filename}" in status and "Back to the page" in status
    text = pdftotext(bytes(PdfRendering.objects.get(pk=rendering.pk).pdf), tmp_path)
    assert "Kommunens sammanfattning" in text and "Måluppfyllelse" in text
    assert "The municipality's summary" not in text and "Goal attainment" not in text

    login("kf.ordforande")  # a reader in Swedish gets the rendering the English one asked for
    client.cookies.pop("django_language", None)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("reporting:period_pdf", args=[2026, "aug"]))
    assert again.url == rendering.get_absolute_url()
    assert PdfRendering.objects.filter(kind=REPORT_PERIOD, object_id=august.pk).count() == 1
