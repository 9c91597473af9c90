"""Import of key figure values from a file in Kolada API v3's format."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile

from goals import demo_keyfigures, kolada
from goals.models import Nyckeltal, NyckeltalVarde
from styrmodell.errors import DomainError

DEMO_FILE = Path(__file__).parent / "fixtures" / "kolada_demo.json"
IMPORT_URL = "/mal/nyckeltal/import/"


@pytest.fixture
def figures(municipality):
    demo_keyfigures.seed(municipality)
    return {figure.kolada_kpi: figure for figure in Nyckeltal.objects.exclude(kolada_kpi="")}


def _row(kpi="N15436", period=2025, value=82.7, municipality="1443", **extra):
    row = {"kpi": kpi, "municipality": municipality, "period": period,
           "values": [{"gender": "T", "status": "", "value": value}]}
    row.update(extra)
    return row


def _file(document, name="kolada.json") -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def _post(client, unit, document, code="1443"):
    return client.post(IMPORT_URL, {"file": _file(document), "municipality_code": code,
                                    "unit": unit.pk})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_kolada_demo_file_is_imported_and_unknown_kpis_are_reported(login, client, figures,
                                                                     municipality):
    kommun = municipality["kommun"]
    NyckeltalVarde.objects.filter(unit=kommun, period=2025).delete()
    login("ekonom")
    response = _post(client, kommun, DEMO_FILE.read_bytes())
    assert response.status_code == 302
    stored = NyckeltalVarde.objects.get(nyckeltal=figures["N15436"], unit=kommun, period=2025)
    assert stored.value == Decimal("82.7") and stored.source == "kolada"  # T, not K or M
    assert NyckeltalVarde.objects.get(nyckeltal=figures["N01951"], unit=kommun,
                                      period=2025).value == Decimal("10231")
    notes = " ".join(_messages(response))
    assert "4 värden från Kolada är inlästa (3 nya, 1 ersatta)" in notes
    assert "N07403" in notes and "inget nyckeltal" in notes
    assert "annan kommun (kod 1401)" in notes
    # The other municipality's number was not stored anywhere.
    assert not NyckeltalVarde.objects.filter(value=Decimal("41326")).exists()


def test_kolada_values_are_decimal_not_float():
    rows, partial = kolada.parse(b'{"values": [{"kpi": "N00090", "municipality": "1443", '
                                 b'"period": 2025, "values": [{"gender": "T", "value": 0.1}]}]}')
    assert rows[0].value == Decimal("0.1") and isinstance(rows[0].value, Decimal)
    assert partial is False
    rows, _ = kolada.parse(b'{"values": [{"kpi": "N00090", "municipality": "1443", '
                           b'"period": 2025, "values": [{"gender": "T", "value": 33.333333}]}]}')
    assert rows[0].value == Decimal("33.3333")  # rounded to the four stored decimals


def test_kolada_reimport_of_a_period_replaces_the_value(login, client, figures, municipality):
    kommun = municipality["kommun"]
    login("ekonom")
    _post(client, kommun, {"values": [_row(value=80.1)], "count": 1, "next_url": None})
    count = NyckeltalVarde.objects.count()
    response = _post(client, kommun, {"values": [_row(value=81.9)], "count": 1,
                                      "next_url": None})
    assert "(0 nya, 1 ersatta)" in " ".join(_messages(response))
    assert NyckeltalVarde.objects.count() == count
    assert NyckeltalVarde.objects.get(nyckeltal=figures["N15436"], unit=kommun,
                                      period=2025).value == Decimal("81.9")


def test_kolada_null_value_is_stored_as_null(login, client, figures, municipality):
    kommun = municipality["kommun"]
    login("ekonom")
    response = _post(client, kommun, {"values": [_row(kpi="N00090", period=2025, value=None)],
                                      "count": 1, "next_url": None})
    assert response.status_code == 302
    stored = NyckeltalVarde.objects.get(nyckeltal=figures["N00090"], unit=kommun, period=2025)
    assert stored.value is None and stored.source == "kolada"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'{"values": [', "Filen är inte giltig JSON (rad 1"),
        (b"\xff\xfe not text", "inte en textfil i UTF-8"),
        ([1, 2], "ska vara ett JSON-objekt"),
        ({"count": 0}, "Filen saknar 'values'"),
        ({"values": {"kpi": "N15436"}}, "'values' ska vara en lista"),
        ({"values": [_row(), {"kpi": "N01951", "municipality": "1443",
                              "values": []}]}, "Rad 2 i values saknar 'period'"),
        ({"values": [_row(), _row(period="2024")]},
         "Rad 2 i values: 'period' ska vara ett årtal (heltal), inte texten ”2024”"),
        ({"values": [_row(), _row(period=2024.5)]}, "'period' ska vara ett årtal"),
        ({"values": [_row(), _row(value="71,3")]},
         "Rad 2 i values, värde 1: 'value' ska vara ett tal eller null"),
        ({"values": [_row(), _row(kpi=None)]}, "Rad 2 i values: 'kpi' ska vara en text"),
        ({"values": [_row(), {"kpi": "N15436", "period": 2024, "values": []}]},
         "Rad 2 i values saknar 'municipality'"),
        ({"values": [_row(), _row(values=[{"value": 3}])]}, "saknar 'gender'"),
        ({"values": [_row(), _row(values="T")]}, "'values' ska vara en lista"),
        (b'{"values": [{"kpi": "N15436", "municipality": "1443", "period": 2024, '
         b'"values": [{"gender": "T", "value": NaN}]}]}', "NaN"),
        ({"values": [_row(), _row(value=1e13)]}, "för stort"),
        ({"values": []}, "Filen har inga värden"),
    ],
)
def test_kolada_malformed_file_is_refused_whole_and_nothing_is_saved(
    login, client, figures, municipality, document, message
):
    kommun = municipality["kommun"]
    before = list(NyckeltalVarde.objects.order_by("pk").values_list("pk", "value", "source"))
    login("ekonom")
    response = _post(client, kommun, document)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert list(NyckeltalVarde.objects.order_by("pk").values_list("pk", "value",
                                                                   "source")) == before


def test_kolada_rows_of_a_file_are_saved_all_or_none(figures, municipality):
    document = {"values": [_row(period=2019, value=70), _row(period="fel")]}
    with pytest.raises(DomainError, match="Rad 2"):
        kolada.import_values(raw=json.dumps(document).encode(), municipality_code="1443",
                             unit=municipality["kommun"], allowed=Nyckeltal.objects.all())
    assert not NyckeltalVarde.objects.filter(period=2019).exists()


def test_kolada_wrong_municipality_code_is_explained(login, client, figures, municipality):
    login("ekonom")
    response = _post(client, municipality["kommun"], DEMO_FILE.read_bytes(), code="0180")
    assert response.status_code == 200
    assert "Ingen rad i filen gäller kommunkod 0180" in response.content.decode()


def test_kolada_import_writes_only_key_figures_the_user_may_change(login, client, figures,
                                                                    municipality):
    kommun = municipality["kommun"]
    login("bun.forvaltningschef")
    document = {"values": [_row(kpi="N15436", period=2025, value=83.3),
                           _row(kpi="N01951", period=2025, value=99999)]}
    response = _post(client, kommun, document)
    assert response.status_code == 302
    assert NyckeltalVarde.objects.get(nyckeltal=figures["N15436"], unit=kommun,
                                      period=2025).value == Decimal("83.3")
    assert NyckeltalVarde.objects.get(nyckeltal=figures["N01951"], unit=kommun,
                                      period=2025).value == Decimal("10231")
    assert "du får inte ändra" in " ".join(_messages(response))


def test_kolada_import_page_prefills_the_municipality_code(login, client, municipality,
                                                           settings):
    login("ekonom")
    page = client.get(IMPORT_URL).content.decode()
    assert 'value="0000"' in page
    settings.MUNICIPALITY_CODE = "1443"
    assert 'value="1443"' in client.get(IMPORT_URL).content.decode()


def test_kolada_partial_answer_is_pointed_out(login, client, figures, municipality):
    login("ekonom")
    response = _post(client, municipality["kommun"], {
        "values": [_row()], "count": 1, "next_url": "https://api.kolada.se/v3/data?page=2"})
    assert "next_url är satt" in " ".join(_messages(response))


def test_politician_cannot_import(login, client, municipality):
    login("bun.ordforande")
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {}).status_code == 403


def test_kolada_deleted_row_of_a_file_removes_the_value_and_is_not_imported(login, client,
                                                                            figures,
                                                                            municipality):
    kommun = municipality["kommun"]
    figure = figures["N00090"]
    assert NyckeltalVarde.objects.filter(nyckeltal=figure, unit=kommun, period=2024).exists()
    login("ekonom")
    response = _post(client, kommun, {"values": [
        _row(kpi="N00090", period=2024, value=7.6, isdeleted=True),
        _row(kpi="N00090", period=2019, value=9.9, isdeleted=True),  # none stored: nothing
        _row(kpi="N00090", period=2025, value=7.0),
    ], "count": 3, "next_url": None})
    assert response.status_code == 302
    assert not NyckeltalVarde.objects.filter(nyckeltal=figure, unit=kommun,
                                             period__in=[2019, 2024]).exists()
    assert NyckeltalVarde.objects.get(nyckeltal=figure, unit=kommun,
                                      period=2025).value == Decimal("7.0")
    notes = " ".join(_messages(response))
    assert "1 värden som Kolada har dragit tillbaka (isdeleted) är borttagna" in notes


def test_kolada_isdeleted_must_be_true_or_false(figures, municipality):
    document = {"values": [_row(isdeleted="ja")]}
    with pytest.raises(DomainError, match="'isdeleted' ska vara true eller false"):
        kolada.parse(json.dumps(document).encode())
