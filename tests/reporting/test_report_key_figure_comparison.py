"""A report section shows the comparison municipalities' values beside the municipality's own,
on the page and in the PDF."""

from decimal import Decimal

import pytest
from django.urls import reverse

from goals import demo_keyfigures
from goals.models import Jamforelsekommun, Jamforelsevarde, Nyckeltal
from reporting import pdf_jobs
from reporting.models import Rapportperiod
from reporting.pdf import render_pdf
from reporting.pdf_documents import REPORT_SECTION

from .test_pdf import pdftotext


@pytest.fixture
def compared(municipality):
    """The demo's BUN nämndnyckeltal (N15436) with two comparison municipalities' values."""
    demo_keyfigures.seed(municipality)
    figure = Nyckeltal.objects.get(kolada_kpi="N15436")
    for code, name, value in (("1490", "Mark", "79.4"), ("1441", "Lerum", "88.1")):
        kommun = Jamforelsekommun.objects.create(code=code, name=name)
        Jamforelsevarde.objects.create(nyckeltal=figure, kommun=kommun, period=2025,
                                       value=Decimal(value))
    return figure


def test_the_report_section_shows_comparison_municipalities_beside_the_key_figure(
        compared, unit, login, client, tmp_path):
    annual = Rapportperiod.objects.get(budget_year__year=2025, code="ar")
    login("bun.ledamot")
    page = client.get(reverse("reporting:section",
                              args=[2025, annual.code, unit("bun").pk])).content.decode()
    table = page.split("Nyckeltal och deras utveckling")[1].split("</table>")[0]
    assert "Jämförelsekommuner" in table
    row = table.split(compared.name)[1].split("</tr>")[0]
    assert "Lerum 88,1; Mark 79,4" in row and "(2025)" in row
    section = annual.sections.get(namnd=unit("bun"))
    document = pdf_jobs.build_document(REPORT_SECTION, section.pk)
    text = pdftotext(render_pdf(document.html, title=document.title), tmp_path)
    assert "Jämförelsekommuner" in text and "Lerum 88,1" in text
    assert "Källa: Kolada" in page
