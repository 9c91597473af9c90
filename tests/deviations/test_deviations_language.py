"""The deviation pages in English for a user who chose it; Swedish stays the default, and the
reminders of a case's deadlines stay Swedish whoever reads the page."""

import html
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from budget.followup.forecasts import ForecastVariance
from deviations import detection
from deviations.deadlines import obligations
from deviations.models import Avvikelse
from styrmodell.models import BudgetYear

from .test_cases import DAY


@pytest.fixture(autouse=True)
def _swedish_afterwards():
    """The language middleware leaves the chosen language active in the thread; later tests
    that call services directly expect the default."""
    yield
    translation.deactivate()


@pytest.fixture
def bun_case(municipality):
    bun = municipality["bun"]
    Avvikelse.objects.filter(namnd=bun).delete()
    return detection.open_deficit_case(variance=ForecastVariance(
        namnd=bun, budget_year=BudgetYear.objects.get(year=2026), period="okt",
        frame=Decimal("324900000"), forecast=Decimal("330000000")), today=DAY)


def _choose_english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def _page(client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_register_in_english(login, client, bun_case):
    login("ks.ordforande")
    _choose_english(client)
    page = _page(client, "/avvikelser/")
    assert '<html lang="en">' in page
    for text in ("<title>Deviation cases", "<h1>Deviation cases</h1>", "Export to Excel",
                 "The municipal executive board's oversight:", ">Case</th>", ">Committee</th>",
                 ">Next deadline</th>", "Significant deficit", ">Show</button>", "Only overdue"):
        assert text in page, text
    for swedish in ("Avvikelseärenden", "Exportera till Excel", "Nästa frist", "Väsentligt"):
        assert swedish not in page, swedish


def test_the_register_export_in_english(login, client, bun_case):
    login("ks.ordforande")
    _choose_english(client)
    response = client.get("/avvikelser/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Next deadline" in values and "Nästa frist" not in values


def test_a_case_page_in_english(login, client, bun_case):
    login("bun.forvaltningschef")
    client.post(f"/avvikelser/{bun_case.pk}/atgard/", {
        "description": "Samordna vikarier", "expected_effect": "1 250 000",
        "responsible": "Rektorerna"})
    _choose_english(client)
    page = _page(client, bun_case.get_absolute_url())
    assert '<html lang="en">' in page
    for text in ("Significant deficit", "<dt>Budget frame</dt>", "<dt>Full-year forecast</dt>",
                 "What is to be done", "The head of administration presents measures",
                 "The committee decides on measures", "Measures", ">Measure</th>",
                 "Total expected effect", "remaining to a zero result",
                 "The forecast and the measures over the year", "You can",
                 "Report the measures' effect",
                 '<h2 id="dialog-rubrik">Dialogue</h2>',
                 '<h2 id="historik-rubrik">Change history</h2>', "Created</strong> by"):
        assert text in page, text
    for swedish in ("Vad som ska göras", "Förvaltningschefen redovisar åtgärder",
                    "Ändringshistorik", "Skicka inlägg", "Summa förväntad effekt"):
        assert swedish not in page, swedish


def test_a_refused_step_explains_itself_in_english(login, client, bun_case):
    login("bun.ordforande")
    _choose_english(client)
    response = client.post(f"/avvikelser/{bun_case.pk}/beslut/", {
        "decided_on": "2026-11-16", "paragraph": "5", "text": "Åtgärderna antas"})
    page = html.unescape(response.content.decode())
    assert "Something needs correcting" in page
    assert "The head of administration has not presented any measures yet" in page
    assert ">Save</button>" in page and "Record the committee's decision" in page


def test_the_deviation_pages_stay_swedish_for_the_default_user(login, client, bun_case):
    login("ks.ordforande")
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    register = _page(client, "/avvikelser/", **english_browser)
    case = _page(client, bun_case.get_absolute_url(), **english_browser)
    assert '<html lang="sv">' in register and "<h1>Avvikelseärenden</h1>" in register
    assert "Kommunstyrelsens uppsikt: alla nämnders ärenden" in register
    assert '<html lang="sv">' in case
    for text in ("Vad som ska göras", "Förvaltningschefen redovisar åtgärder", "Åtgärder",
                 '<h2 id="historik-rubrik">Ändringshistorik</h2>', "Skapad</strong> av"):
        assert text in case, text
    assert "Deviation cases" not in register + case


def test_the_deadline_labels_stay_swedish_for_the_reminders(login, client, bun_case):
    login("ks.ordforande")
    _choose_english(client)
    _page(client, bun_case.get_absolute_url())
    labels = [obligation.label for obligation in obligations(bun_case, DAY)]
    assert labels[0] == "Förvaltningschefen redovisar åtgärder"
