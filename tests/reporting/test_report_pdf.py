"""The municipality's compiled report of a period as PDF, through the PDF pipeline."""

import pytest
from django.urls import reverse

from reporting import pdf_jobs
from reporting.models import PdfRendering, PeriodStatus, Rapportperiod, RenderingStatus
from reporting.municipality import consolidation
from reporting.pdf_documents import REPORT_PERIOD
from reporting.reports_content import assemble
from styrmodell.models import User
from styrmodell.templatetags.styrmodell_tags import tkr

from .test_pdf import NBSP, _keep_pages, pdfinfo, pdftotext


@pytest.fixture
def april(municipality):
    return Rapportperiod.objects.select_related("budget_year").get(
        budget_year__year=2026, code="apr"
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _h2_texts(structure: str) -> list[str]:
    """The text of every H2 in `pdfinfo -struct-text` output."""
    texts, lines = [], structure.splitlines()
    for number, line in enumerate(lines):
        if line.strip() == "H2 (block)":
            quoted = next(
                (ln.strip() for ln in lines[number + 1 : number + 6] if ln.strip().startswith('"')),
                '""',
            )
            texts.append(quoted[1:-1])
    return texts


def _pdf_url(period):
    return reverse("reporting:period_pdf", args=[period.budget_year.year, period.code])


def test_the_period_page_offers_the_pdf(april, login, client):
    login("kf.ordforande")
    page = client.get(april.get_absolute_url()).content.decode()
    assert _pdf_url(april) in page and "Ladda ner som PDF" in page


def test_the_approved_april_report_as_pdf_holds_every_namnd_and_the_page_figures(
    april, login, client, on_commit, tmp_path
):
    assert april.status == PeriodStatus.KF  # the demo's approved report
    login("kf.ordforande")
    with on_commit():
        response = client.post(_pdf_url(april))
    rendering = PdfRendering.objects.get(kind=REPORT_PERIOD, object_id=april.pk)
    assert response.url == rendering.get_absolute_url()
    assert rendering.status == RenderingStatus.DONE, rendering.error
    status_page = client.get(rendering.get_absolute_url())
    assert status_page.status_code == 200 and "Refresh" not in status_page
    assert f'href="{april.get_absolute_url()}">Tillbaka till sidan' in status_page.content.decode()
    download = client.get(reverse("reporting:pdf_download", args=[rendering.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pdf = download.content
    _keep_pages(pdf, "rapport-2026-apr")
    info = pdfinfo(pdf, tmp_path)
    assert "Tagged:          yes" in info
    text = pdftotext(pdf, tmp_path)
    assert april.title in text and "Ekbacka kommun" in text and "Innehåll" in text
    assert "Kommunens sammanfattning" in text
    sections = list(april.sections.select_related("namnd").order_by("namnd__path"))
    assert sections
    for section in sections:
        section.period = april
    contents = assemble(april, sections, user=User.objects.get(username="kf.ordforande"))
    headings = _h2_texts(pdfinfo(pdf, tmp_path, "-struct-text"))
    assert "Innehåll" in headings and "Kommunens sammanfattning" in headings
    for content in contents:  # every nämnd is a heading in the tagged structure and the text
        assert str(content.namnd) in headings and str(content.namnd) in text
    economy = contents[0].economy
    figure = economy.forecast.total if economy.forecast else economy.frame
    page = client.get(april.get_absolute_url()).content.decode().replace("&nbsp;", " ")
    shown = tkr(figure).replace(NBSP, " ")
    assert shown in page.replace(NBSP, " ")  # the figure as the reading view shows it
    assert shown in text
    assert "Sida 2 av" in text
    from reporting.reports_content import economy_overview

    total = tkr(economy_overview(contents).frame).replace(NBSP, " ")
    assert "Nämndernas ekonomi 2026" in text and "Summa nämnderna" in text and total in text


def test_a_second_request_without_data_change_is_a_cache_hit(
    april, login, client, on_commit, monkeypatch
):
    rendered = []
    real = pdf_jobs.render_pdf_pages

    def counting(html, **kwargs):
        rendered.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf_jobs, "render_pdf_pages", counting)
    login("ekonom")
    with on_commit() as callbacks:
        first = client.post(_pdf_url(april))
    assert len(callbacks) == 1 and len(rendered) == 1
    login("revisor")
    with on_commit() as callbacks:
        second = client.post(_pdf_url(april))
    assert callbacks == [] and len(rendered) == 1 and second.url == first.url
    Rapportperiod.objects.filter(pk=april.pk).update(summary="En ny sammanfattning.")
    with on_commit():
        third = client.post(_pdf_url(april))
    assert len(rendered) == 2 and third.url != first.url


def test_p4_the_revisor_reads_the_report_pdf_and_someone_without_a_role_does_not(
    april, login, client, on_commit
):
    login("revisor")
    with on_commit():
        response = client.post(_pdf_url(april))
    assert response.status_code == 302
    rendering = PdfRendering.objects.get(kind=REPORT_PERIOD, object_id=april.pk)
    assert client.get(rendering.get_absolute_url()).status_code == 200
    download = client.get(reverse("reporting:pdf_download", args=[rendering.pk]))
    assert download.status_code == 200
    nobody = User.objects.create_user(username="utan.roll", password="x")
    client.force_login(nobody)
    assert client.post(_pdf_url(april)).status_code == 403
    assert client.get(rendering.get_absolute_url()).status_code == 403
    assert client.get(reverse("reporting:pdf_download", args=[rendering.pk])).status_code == 403
    assert client.get(_pdf_url(april)).status_code == 405  # asking renders: POST only


def test_one_namnds_section_as_pdf_from_its_page(april, unit, login, client, on_commit, tmp_path):
    from reporting.pdf_documents import REPORT_SECTION

    sn = unit("sn")
    section = april.sections.get(namnd=sn)
    section_url = reverse("reporting:section", args=[2026, "apr", sn.pk])
    pdf_url = reverse("reporting:section_pdf", args=[2026, "apr", sn.pk])
    login("sn.ordforande")
    page = client.get(section_url).content.decode()
    assert pdf_url in page and "Ladda ner som PDF" in page
    with on_commit():
        response = client.post(pdf_url)
    rendering = PdfRendering.objects.get(kind=REPORT_SECTION, object_id=section.pk)
    assert response.url == rendering.get_absolute_url()
    assert rendering.status == RenderingStatus.DONE, rendering.error
    pdf = client.get(reverse("reporting:pdf_download", args=[rendering.pk])).content
    _keep_pages(pdf, "rapport-2026-apr-sn")
    assert "Tagged:          yes" in pdfinfo(pdf, tmp_path)
    text = pdftotext(pdf, tmp_path)
    assert "Socialnämnden" in _h2_texts(pdfinfo(pdf, tmp_path, "-struct-text"))
    assert april.title in text and "Sammanfattning" in text and "Måluppfyllelse" in text
    assert "Barn- och utbildningsnämnden" not in text  # only the one nämnd
    section.period = april
    content = assemble(april, [section], user=User.objects.get(username="sn.ordforande"))[0]
    assert tkr(content.economy.frame).replace(NBSP, " ") in text
    nobody = User.objects.create_user(username="utan.roll", password="x")
    client.force_login(nobody)
    assert client.post(pdf_url).status_code == 403
    assert client.get(rendering.get_absolute_url()).status_code == 403


def test_every_demo_report_builds_its_pdf_document_drafts_and_the_annual_report_too(municipality):
    for period in Rapportperiod.objects.select_related("budget_year"):
        document = pdf_jobs.build_document(REPORT_PERIOD, period.pk)
        assert period.title in document.html and document.filename.endswith(".pdf")
        # One document for every reader: a section once its nämnd has approved it (P5).
        for section in period.sections.select_related("namnd"):
            heading = f'id="namnd-{section.namnd_id}-h">{section.namnd}</h2>'
            assert (heading in document.html) == section.is_approved, section
        consolidated = "Sammanställd redovisning: bolag och stiftelser" in document.html
        assert consolidated == (consolidation(period) is not None)
        assert consolidated == period.is_annual  # the demo has its companies


def test_a_published_document_holds_only_what_every_role_reads():
    """The report PDF is one document for all readers (user=None): that is sound only while
    every role reads the whole investment budget."""
    from styrmodell.permissions import EVERYONE, KINDS, PERMISSION_TABLE, Action

    assert KINDS["investment"].readable_everywhere
    assert PERMISSION_TABLE["investment"][Action.VIEW] == EVERYONE


def _rendered(tmp_path, kind, object_id):
    from reporting.pdf import render_pdf

    document = pdf_jobs.build_document(kind, object_id)
    path = tmp_path / f"{kind}-{object_id}.pdf"
    path.write_bytes(render_pdf(document.html, title=document.title))
    return path


@pytest.fixture
def august_pdf(municipality, tmp_path):
    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    return _rendered(tmp_path, REPORT_PERIOD, august.pk)


def _table_headers(path) -> list[tuple[str, str | None]]:
    """(the table section, the /Scope) of every /TH in the structure tree."""
    import pikepdf

    found = []

    def walk(element, section):
        role = str(element.get("/S", ""))
        if role == "/TH":
            attributes = element.get("/A")
            candidates = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
            scopes = [
                str(a.Scope)
                for a in candidates
                if isinstance(a, pikepdf.Dictionary) and "/Scope" in a
            ]
            found.append((section, scopes[0] if scopes else None))
        section = role if role in ("/THead", "/TBody", "/TFoot") else section
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, section)

    with pikepdf.open(path) as document:
        walk(document.Root.StructTreeRoot, None)
    return found


def test_every_table_header_of_the_delarsrapport_names_its_scope(august_pdf):
    """WeasyPrint drops <th scope>; the pipeline puts it back: columns in the head, rows in
    the body, so a screen reader can tell which cells a header belongs to."""
    headers = _table_headers(august_pdf)
    assert len(headers) > 20
    assert {scope for section, scope in headers if section == "/THead"} == {"/Column"}
    assert {scope for section, scope in headers if section != "/THead"} <= {"/Row"}


@pytest.mark.parametrize(
    "kind", ["report_period", "report_section", "meeting_status", "annual_report"]
)
def test_every_kind_of_pdf_passes_the_machine_checkable_pdf_ua_rules_we_can_run(
    municipality, unit, tmp_path, kind
):
    """pdfua checks a subset of PDF/UA-1 (veraPDF, the full validator, needs a JVM and is
    not installed here). Every rule it could evaluate must pass without warnings; a table
    caption left alone at the foot of a page used to split its table in two."""
    from pdfua import Severity, validate

    from reporting.meeting_status import namnd_meetings
    from reporting.pdf_documents import MEETING_STATUS, REPORT_SECTION

    august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    annual = Rapportperiod.objects.get(budget_year__year=2025, code="ar")
    path = {
        "report_period": lambda: _rendered(tmp_path, REPORT_PERIOD, august.pk),
        "annual_report": lambda: _rendered(tmp_path, REPORT_PERIOD, annual.pk),
        "report_section": lambda: _rendered(
            tmp_path, REPORT_SECTION, august.sections.get(namnd=unit("sn")).pk
        ),
        "meeting_status": lambda: _rendered(
            tmp_path, MEETING_STATUS, namnd_meetings().get(unit=unit("sn"), date="2026-11-16").pk
        ),
    }[kind]()
    report = validate(str(path))
    evaluated = [outcome for outcome in report.outcomes if not outcome.skipped]
    assert len(evaluated) >= 10
    assert [(f.rule_id, f.message) for f in report.findings if f.severity >= Severity.WARNING] == []


def _pages(path) -> list[str]:
    """The text of each page, in order (pdftotext ends a page with a form feed)."""
    import subprocess

    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.replace(NBSP, " ")
    return out.split("\f")[:-1]


def test_the_contents_give_each_part_the_page_it_starts_on_without_dots_as_text(august_pdf):
    """The leader is drawn, not written: a screen reader read out hundreds of "." before."""
    import re

    pages = _pages(august_pdf)
    contents = pages[1]
    assert "Innehåll" in contents
    assert "." not in contents.split("Innehåll", 1)[1].split("Sida 2 av")[0]
    entries = re.findall(r"^(\S.*?\S) {2,}(\d+)$", contents, re.M)
    titles = [title for title, _ in entries]
    assert titles[0] == "Kommunens sammanfattning" and "Barn- och utbildningsnämnden" in titles
    for title, number in entries:
        # A heading starts a line at the margin; table rows in the layout are indented.
        starts = [
            n
            for n, page in enumerate(pages[2:], start=3)
            if any(line.startswith(title) for line in page.splitlines())
        ]
        assert starts and starts[0] == int(number), (title, number, starts)


@pytest.mark.parametrize("document", ["report_period", "meeting_status"])
def test_a_chart_stays_on_the_page_of_its_heading(municipality, unit, tmp_path, document):
    """A heading left at the foot of a page with its chart on the next reads as a heading with
    nothing under it (the demo's delårsrapport did that)."""
    from reporting.meeting_status import namnd_meetings
    from reporting.pdf_documents import MEETING_STATUS

    if document == "report_period":
        august = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
        path = _rendered(tmp_path, REPORT_PERIOD, august.pk)
        heading = "Ekonomiskt utfall och helårsprognos"
        caption = "Ackumulerat utfall mot ramen jämnt fördelad över året, och helårsprognosen."
    else:
        meeting = namnd_meetings().get(unit=unit("sn"), date="2026-11-16")
        path = _rendered(tmp_path, MEETING_STATUS, meeting.pk)
        heading, caption = "Ekonomiskt läge", "Heldragen linje: ackumulerat utfall."
    pages = [" ".join(page.split()) for page in _pages(path)]
    assert sum(page.count(caption) for page in pages) >= 1
    for number, page in enumerate(pages, start=1):
        assert page.count(caption) <= page.count(heading), f"page {number}"


@pytest.mark.parametrize("code", ["apr", "aug"])
def test_the_compiled_report_page_shows_the_charts_of_its_pdf(municipality, login, client, code):
    import re

    period = Rapportperiod.objects.select_related("budget_year").get(
        budget_year__year=2026, code=code
    )
    login("kf.ordforande")
    page = client.get(period.get_absolute_url()).content.decode()
    document = pdf_jobs.build_document(REPORT_PERIOD, period.pk)

    def chart_titles(html: str) -> list[str]:
        return sorted(
            re.findall(r'<svg[^>]*role="img"[^>]*>\s*<title id="[^"]+">([^<]+)</title>', html)
        )

    in_pdf = chart_titles(document.html)
    assert in_pdf and all("Ackumulerat utfall per månad" in title for title in in_pdf)
    assert chart_titles(page) == in_pdf
