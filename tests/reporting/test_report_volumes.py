"""Verksamhetens volymer in a nämnd's report section (F1): the table of the report's follow-up
(the årsredovisning: the year's outcome) on the page and in the PDF, the volume forecasts kept
on approval and compared with the previous report, all sections read in one go."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import Volymmatt, Volymuppfoljning
from budget.volumes import services as volumes
from reporting import reports
from reporting.models import PdfRendering, Rapportavsnitt, Rapportperiod, RenderingStatus
from reporting.pdf_documents import REPORT_SECTION
from reporting.reports_content import assemble, comparison, figures_of
from styrmodell.models import OrganisationUnit, UnitKind, User
from styrmodell.versioning import current_version

from .test_pdf import NBSP, _keep_pages, pdftotext

TODAY = dt.date(2026, 11, 25)


def _period(year: int, code: str) -> Rapportperiod:
    return Rapportperiod.objects.select_related("budget_year").get(budget_year__year=year,
                                                                   code=code)


def _section(period: Rapportperiod, namnd) -> Rapportavsnitt:
    return Rapportavsnitt.objects.select_related("period__budget_year", "namnd").get(
        period=period, namnd=namnd)


def _text(html: str) -> str:
    return html.replace(NBSP, " ").replace("&nbsp;", " ")


def _volume_table(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}-volymer"')
    return html[start:html.index("</section>", start)]


def test_f1_the_october_section_shows_the_volumes_table_of_its_follow_up(
        municipality, unit, login, client):
    sn = unit("sn")
    login("sn.ordforande")
    html = client.get(reverse("reporting:section", args=[2026, "okt", sn.pk])).content.decode()
    table = _text(_volume_table(html, f"namnd-{sn.pk}"))
    assert ">Verksamhetens volymer</h2>" in table
    assert f'<caption id="namnd-{sn.pk}-volymer-tabell">Verksamhetens volymer, uppföljning per ' \
           'oktober 2026</caption>' in table
    assert '<th scope="col" class="num">Budget</th>' in table
    assert '<th scope="col" class="num">Helårs&shy;prognos</th>' in table
    # HVB: budget 1 460, outcome 1 780, forecast 2 190, +730 (+50,00 %), +3 066 tkr.
    row = table[table.index("Placeringsdygn HVB"):]
    row = row[:row.index("</tr>")]
    cells = ['<td class="num">1 460</td>', '<td class="num">1 780</td>',
             '<td class="num">2 190</td>', '<td class="num">+730</td>',
             '<td class="num">+50,00 %</td>', '<td class="num">+3 066 tkr</td>']
    for cell in cells:
        assert cell in row, cell
    assert "Nya placeringar under hösten" in table  # the comment
    assert "80 år och äldre" in table  # B4 beside the volumes
    assert "Kostnadseffekt av avvikelserna, summa" in table


def test_f1_a_section_without_the_periods_volumes_says_so(municipality, unit, login, client):
    kfn = unit("kfn")
    login("kfn.ordforande")
    html = client.get(reverse("reporting:section", args=[2026, "okt", kfn.pk])).content.decode()
    table = _text(_volume_table(html, f"namnd-{kfn.pk}"))
    assert "Besök på biblioteket" in table
    assert "Volymerna för uppföljning per oktober är inte inlagda ännu." in table


def test_f1_the_annual_report_shows_the_years_volumes(municipality, unit, login, client):
    sn = unit("sn")
    login("revisor")
    html = client.get(reverse("reporting:section", args=[2025, "ar", sn.pk])).content.decode()
    table = _text(_volume_table(html, f"namnd-{sn.pk}"))
    assert "Verksamhetens volymer, årsredovisning 2025" in table
    assert '<th scope="col" class="num">Utfall helår</th>' in table
    assert "Helårs&shy;prognos" not in table
    assert '<td class="num">1 555</td>' in table and '<td class="num">+95</td>' in table
    # B4 for 2025: 540 forecast, 538 actual over 80 → a surplus of 2 × 145 000 kr.
    assert "290 tkr" in table


def test_f1_the_municipalitys_report_shows_each_namnds_volumes(municipality, login, client):
    august = _period(2026, "aug")
    login("ekonomichef")  # every nämnd's section, drafts too; KF reads the approved ones (P5)
    html = _text(client.get(august.get_absolute_url()).content.decode())
    assert html.count(">Verksamhetens volymer</h3>") == august.sections.count()
    assert "Elever med tilläggsbelopp" in html and "Plogtillfällen" in html


def test_f1_the_section_pdf_holds_the_volumes(municipality, unit, login, client, tmp_path,
                                               django_capture_on_commit_callbacks):
    sn = unit("sn")
    login("sn.ordforande")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:section_pdf", args=[2026, "aug", sn.pk]))
    section = _section(_period(2026, "aug"), sn)
    rendering = PdfRendering.objects.get(kind=REPORT_SECTION, object_id=section.pk)
    assert rendering.status == RenderingStatus.DONE, rendering.error
    pdf = client.get(reverse("reporting:pdf_download", args=[rendering.pk])).content
    _keep_pages(pdf, "rapport-2026-aug-sn-volymer")
    text = pdftotext(pdf, tmp_path)
    assert "Verksamhetens volymer" in text
    assert "Verksamhetens volymer, delårsrapport per augusti 2026" in text
    hvb = next(line for line in text.splitlines() if "+28,08 %" in line)
    assert "Placeringsdygn" in hvb
    # 1 460 budgeted, 1 385 through August, 1 870 forecast: +410, +28,08 %, +1 722 tkr.
    for figure in ("1 460", "1 385", "1 870", "+410", "+28,08 %", "+1 722 tkr"):
        assert figure in hvb, (figure, hvb)
    assert "Befolkning 2026 som nämndens volymtillskott följer" in text


def test_f1_what_changed_shows_the_volume_forecast_of_each_measure(municipality, unit, login,
                                                                   client):
    sn = unit("sn")
    august = _period(2026, "aug")
    section = _section(august, sn)
    previous = reports.previous_section(section)
    reader = User.objects.get(username="sn.ordforande")
    rows = {row.label: row for row in comparison(assemble(august, [section], user=reader)[0],
                                                 assemble(previous.period, [previous],
                                                          user=reader)[0])}
    hvb = rows["Volym helår: Placeringsdygn HVB, barn och unga"]
    assert (hvb.before, hvb.after) == (f"2{NBSP}150 dygn", f"1{NBSP}870 dygn") and hvb.changed
    places = rows["Volym helår: Platser i särskilt boende"]
    assert places.before == places.after == "92 platser" and not places.changed
    login("sn.ordforande")
    page = _text(client.get(f"{section.get_absolute_url()}andringar/").content.decode())
    assert "Volym helår: Placeringsdygn HVB, barn och unga" in page
    assert "2 150 dygn" in page and "1 870 dygn" in page


def test_f1_a_measure_dropped_since_the_previous_report_shows_as_gone(municipality, unit):
    kfn = unit("kfn")
    february = _period(2026, "feb")
    section = _section(february, kfn)
    previous = reports.previous_section(section)
    assert previous.period.budget_year.year == 2025  # measures are compared across years
    Volymmatt.objects.filter(namnd=kfn, budget_year__year=2026,
                             name="Elever i kulturskolan").delete()
    reader = User.objects.get(username="revisor")
    rows = {row.label: row for row in comparison(assemble(february, [section], user=reader)[0],
                                                 assemble(previous.period, [previous],
                                                          user=reader)[0])}
    gone = rows["Volym helår: Elever i kulturskolan"]
    assert gone.before == "310 elever" and gone.after == "–"
    kept = rows["Volym helår: Besök på biblioteket"]
    assert (kept.before, kept.after) == (f"64{NBSP}200 besök", f"65{NBSP}000 besök")


def test_f1_the_approved_figures_keep_the_volume_forecasts_and_show_later_changes(
        municipality, unit, login, client):
    bun = unit("bun")
    october = _period(2026, "okt")
    section = _section(october, bun)
    chief = User.objects.get(username="bun.forvaltningschef")
    reports.save_texts(section=section, version=current_version(section), by=chief,
                       summary="Klart")
    reports.submit(section=section, by=chief, today=TODAY)
    reports.decide(section=section, approve=True, decided_on=TODAY, paragraph="5", comment="",
                   by=User.objects.get(username="bun.ordforande"))
    section.refresh_from_db()
    label = "Volym helår: Elever med tilläggsbelopp"
    assert section.approved_figures[label] == "44 elever"
    assert figures_of(assemble(october, [section], user=chief)[0])[label] == "44 elever"
    Volymuppfoljning.objects.filter(measure__namnd=bun, measure__name="Elever med "
                                    "tilläggsbelopp", period="okt").update(forecast=47)
    login("bun.ordforande")
    html = _text(client.get(section.get_absolute_url()).content.decode())
    assert "Siffror som ändrats sedan nämnden godkände avsnittet" in html
    assert "47 elever" in html


def test_assemble_reads_every_sections_volumes_in_the_same_queries(municipality):
    august = _period(2026, "aug")
    reader = User.objects.get(username="revisor")

    def queries() -> int:
        sections = list(august.sections.select_related("period", "namnd"))
        with CaptureQueriesContext(connection) as captured:
            contents = assemble(august, sections, user=reader)
        assert all(content.volumes is not None for content in contents)
        return len(captured.captured_queries), contents

    few, _ = queries()
    kf = OrganisationUnit.objects.get(kind=UnitKind.KF)
    for number in range(8):
        namnd = OrganisationUnit.objects.create(name=f"Provnämnd {number}", kind=UnitKind.NAMND,
                                                parent=kf)
        for index in range(3):
            measure = volumes.add_measure(namnd=namnd, budget_year=august.budget_year,
                                          name=f"Mått {index}", unit="st", budget=Decimal(10))
            Volymuppfoljning.objects.create(measure=measure, period="aug", outcome=Decimal(4),
                                            forecast=Decimal(12), written_at="2026-09-10T10:00Z")
    reports._ensure_sections(august, reports.namnder())
    many, contents = queries()
    assert many <= few
    grown = [c for c in contents if c.namnd.name.startswith("Provnämnd")]
    assert len(grown) == 8 and all(len(c.volumes.rows) == 3 for c in grown)
    assert grown[0].volumes.rows[0].variance.text == "+2"


@pytest.mark.parametrize("code", ["feb", "apr", "aug", "okt", "ar"])
def test_f1_each_report_of_2025_shows_the_volumes_of_its_own_follow_up(municipality, unit,
                                                                       code):
    period = _period(2025, code)
    section = _section(period, unit("bun"))
    content = assemble(period, [section], user=None)[0]
    assert content.volumes.period == code
    assert content.volumes.rows and all(row.entry.period == code
                                        for row in content.volumes.rows)
