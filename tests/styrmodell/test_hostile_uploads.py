"""Hostile uploads: files crafted to hold a worker, blow up its memory or crash the import.

Each file is made here from a few bytes, posted through the real page as the finance office,
and must be refused with a Swedish message (200, the form again), with nothing saved and
before the file is expanded (each refusal within a second or two).
"""

import io
import time
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from budget.models import UploadStatus, Utfall, Utfallsfil, Utfallsimport
from goals import demo_keyfigures
from goals.models import NyckeltalVarde

OUTCOME_URL = "/budget/utfall/"
KOLADA_URL = "/mal/nyckeltal/import/"
HEADER = ["år", "månad", "konto", "kostnadsställe", "belopp"]
SECONDS = 3.0  # a refusal that expanded the file first would take far longer


def _xlsx(rows=(HEADER, [2026, 11, "6110", "410", 1500])) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rezip(content: bytes, replace: dict[str, bytes], level: int = 9) -> bytes:
    """The workbook with some members replaced (or added), deflated as hard as zlib can."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for name in source.namelist():
            if name not in replace:
                target.writestr(name, source.read(name))
        for name, data in replace.items():
            target.writestr(name, data)
    return out.getvalue()


def _sheet(rows_xml: str, dimension: str = "A1:E2") -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>'
            ).encode()


HEADER_ROW = ('<row r="1">' + "".join(
    f'<c r="{column}1" t="inlineStr"><is><t>{name}</t></is></c>'
    for column, name in zip("ABCDE", HEADER, strict=True)) + "</row>")
DATA_ROW = ('<row r="2"><c r="A2"><v>2026</v></c><c r="B2"><v>11</v></c><c r="C2"><v>6110</v>'
            '</c><c r="D2"><v>410</v></c><c r="E2"><v>1500</v></c></row>')


def _post_outcome(client, content: bytes, name: str):
    started = time.monotonic()
    response = client.post(OUTCOME_URL, {"file": SimpleUploadedFile(name, content)})
    return response, time.monotonic() - started


def _refused(response, seconds: float) -> str:
    """The refusal, on the upload form (a file refused from its head, or too large) or on the
    upload's own page (refused by its reading in the background task)."""
    assert seconds < SECONDS
    assert not Utfallsimport.objects.exists() and not Utfall.objects.exists()
    if response.status_code == 302:
        upload = Utfallsfil.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
        assert upload.status == UploadStatus.REFUSED, upload.message
        return upload.message
    assert response.status_code == 200
    errors = response.context["form"].errors
    return " ".join(str(message) for messages in errors.values() for message in messages)


@pytest.fixture
def ekonom(login, municipality):
    Utfallsimport.objects.all().delete()
    Utfall.objects.all().delete()
    return login("ekonom")


# --- Excel ---------------------------------------------------------------------------------


def test_a_plain_workbook_still_imports(client, ekonom):
    response, _ = _post_outcome(client, _xlsx(), "utfall.xlsx")
    assert response.status_code == 302
    assert Utfallsimport.objects.get().rows_written == 1


def test_a_sheet_claiming_the_whole_grid_with_a_last_cell_is_refused_quickly(client, ekonom):
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    content = _rezip(_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(
        HEADER_ROW + DATA_ROW + far, dimension="A1:XFD1048576")})
    assert len(content) < 10_000
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "kolumner" in message and "Filen lästes inte in" in message


def test_a_sheet_with_rows_far_beyond_what_excel_allows_is_refused_quickly(client, ekonom):
    far = '<row r="99999999"><c r="A99999999"><v>1</v></c></row>'
    content = _rezip(_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(
        HEADER_ROW + DATA_ROW + far, dimension="A1:E2")})
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "rader" in message


def test_a_shared_strings_bomb_is_refused_before_it_is_read(client, ekonom):
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
               b'.org/spreadsheetml/2006/main" count="3000000" uniqueCount="3000000">'
               + b"<si><t>a</t></si>" * 3_000_000 + b"</sst>")
    content = _rezip(_xlsx(), {"xl/sharedStrings.xml": strings})
    assert len(content) < 200_000  # 51 MB of XML in a small file
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "packad" in message


def test_a_member_bigger_than_the_limit_is_refused_before_it_is_read(client, ekonom, settings):
    from styrmodell import uploads

    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(3, 3003))
    content = _rezip(_xlsx(), {"xl/worksheets/sheet1.xml": _sheet(HEADER_ROW + DATA_ROW + rows)})
    settings.UPLOAD_MAX_EXPANDED_BYTES = 50_000
    assert uploads.max_expanded_bytes() == 50_000
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "för stor uppackad" in message


def test_a_part_read_whole_on_opening_is_bounded_on_its_own(client, ekonom, monkeypatch):
    from styrmodell import uploads

    with zipfile.ZipFile(io.BytesIO(_xlsx())) as archive:
        styles = archive.getinfo("xl/styles.xml").file_size
    monkeypatch.setattr(uploads, "MAX_PART_BYTES", styles - 1)
    message = _refused(*_post_outcome(client, _xlsx(), "utfall.xlsx"))
    assert "en del av den blir för stor uppackad" in message


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml",
                                    "[Content_Types].xml", "xl/sharedStrings.xml"])
def test_a_workbook_with_a_dtd_is_refused_not_a_server_error(client, ekonom, member):
    laughs = ('<?xml version="1.0"?>\n<!-- a comment first -->\n<!DOCTYPE lolz [<!ENTITY lol '
              '"lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n')
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as archive:
        names = archive.namelist()
        original = archive.read(member).decode() if member in names else (
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml'
            '/2006/main" count="1" uniqueCount="1"><si><t>&lol2;</t></si></sst>')
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    content = _rezip(_xlsx(), {member: (laughs + body).encode()})
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "DTD" in message or "entiteter" in message


def test_a_dtd_hidden_behind_a_long_comment_is_refused(client, ekonom):
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as archive:
        body = archive.read("xl/workbook.xml").decode()
    body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
    xml = "<!--" + "x" * 200_000 + '--><!DOCTYPE x [<!ENTITY a "b">]>' + body
    message = _refused(*_post_outcome(client, _rezip(_xlsx(), {"xl/workbook.xml": xml.encode()}),
                                      "utfall.xlsx"))
    assert "DTD" in message


def test_more_shared_strings_than_the_bound_are_refused(client, ekonom, monkeypatch):
    from styrmodell import uploads

    strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
               '.org/spreadsheetml/2006/main" count="5" uniqueCount="5">'
               + "".join(f"<si><t>{name}</t></si>" for name in HEADER) + "</sst>").encode()
    content = _rezip(_xlsx(), {"xl/sharedStrings.xml": strings})
    monkeypatch.setattr(uploads, "MAX_SHARED_STRINGS", 4)
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "fler än 4 olika texter" in message


def test_a_dtd_in_a_utf16_member_is_found_too(client, ekonom):
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as archive:
        body = archive.read("xl/workbook.xml").decode()
    body = body.split("?>", 1)[1] if body.startswith("<?xml") else body
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>' + body
    content = _rezip(_xlsx(), {"xl/workbook.xml": xml.encode("utf-16")})
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "DTD" in message


def test_a_zip_that_is_not_a_workbook_is_refused(client, ekonom):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hej")
    message = _refused(*_post_outcome(client, out.getvalue(), "utfall.xlsx"))
    assert "Excel" in message


def test_a_zip_with_very_many_members_is_refused(client, ekonom):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        for number in range(5000):
            target.writestr(f"x/{number}", b"")
    message = _refused(*_post_outcome(client, out.getvalue(), "utfall.xlsx"))
    assert "delar" in message


# --- CSV -----------------------------------------------------------------------------------


def test_a_csv_full_of_nul_bytes_is_refused_in_swedish_with_its_line(client, ekonom):
    content = ";".join(HEADER).encode() + b"\n2026;11;6110;410;100\n" + b"\x00" * 5000 + b"\n"
    message = _refused(*_post_outcome(client, content, "utfall.csv"))
    assert "rad 3" in message and "NUL" in message
    assert "line contains" not in message


def test_a_csv_field_longer_than_csv_reads_is_refused_in_swedish(client, ekonom):
    content = (";".join(HEADER) + "\n2026;11;6110;410;\"" + "1" * 200_000 + "\"\n").encode()
    message = _refused(*_post_outcome(client, content, "utfall.csv"))
    assert "rad 2" in message and "ett fält är längre än" in message
    assert "field limit" not in message


def test_a_csv_without_a_bom_in_utf16_is_read_too(client, ekonom):
    text = ";".join(HEADER) + "\r\n2026;11;6110;410;250\r\n"
    response, _ = _post_outcome(client, text.encode("utf-16-le"), "utfall.csv")
    assert response.status_code == 302
    assert Utfall.objects.get().amount == Decimal("250")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_with_its_byte_order_mark_is_read(client, ekonom, encoding):
    text = ";".join(HEADER) + "\r\n2026;11;6110;410;1 500,50\r\n2026;11;3110;410;-12,50\r\n"
    bom = {"utf-16": "", "utf-16-le": "\ufeff", "utf-16-be": "\ufeff"}[encoding]
    response, _ = _post_outcome(client, (bom + text).encode(encoding), "utfall.csv")
    assert response.status_code == 302, response.context["form"].errors
    log = Utfallsimport.objects.get()
    assert log.encoding == "utf-16" and log.lines_read == 3
    assert sorted(Utfall.objects.values_list("amount", flat=True)) == [
        Decimal("-12.50"), Decimal("1500.50")]


# --- SIE and amounts ------------------------------------------------------------------------

SIE_HEAD = (b'#FLAGGA 0\n#FORMAT PC8\n#SIETYP 4\n#FNAMN "Ekbacka kommun"\n'
            b"#RAR 0 20260101 20261231\n")


def test_an_sie_object_list_of_braces_is_refused_at_once(client, ekonom):
    content = SIE_HEAD + b"#PSALDO 0 202611 6110 {" + b"{" * 200_000 + b"} 1.00\n"
    message = _refused(*_post_outcome(client, content, "utfall.se"))
    assert "Rad 6" in message and "objektlistan" in message


def test_an_sie_line_never_closing_its_braces_is_refused_at_once(client, ekonom):
    content = SIE_HEAD + b"#PSALDO 0 202611 6110 " + b"{" * 500_000 + b"\n"
    message = _refused(*_post_outcome(client, content, "utfall.se"))
    assert "Rad 6" in message and "saknar avslutande" in message


def test_an_sie_line_of_nul_bytes_is_refused_in_swedish_with_its_line(client, ekonom):
    content = SIE_HEAD + b"\x00" * 4000 + b"\n"
    message = _refused(*_post_outcome(client, content, "utfall.se"))
    assert "Rad 6" in message and "NUL" in message


def test_an_sie_number_of_thousands_of_digits_is_refused_in_swedish(client, ekonom):
    line = b'#PSALDO 0 202611 6110 {' + b"7" * 5000 + b' "410"} 1.00'
    message = _refused(*_post_outcome(client, SIE_HEAD + line + b"\n", "utfall.se"))
    assert "Rad 6" in message and "ogiltigt" in message
    assert "sys.set_int_max_str_digits" not in message


def test_a_record_the_import_does_not_read_with_thousands_of_digits_is_a_swedish_warning(
        client, ekonom):
    # #RAR feeds no amount (the vouchers' dates place the money), so it is skipped with a warning.
    line = b"#RAR " + b"9" * 5000 + b" 20260101 20261231"
    content = (SIE_HEAD + line + b'\n#ORGNR 212000-9999\n#PSALDO 0 202611 6110 {1 "410"} 1.00\n')
    response, seconds = _post_outcome(client, content, "utfall.se")
    assert response.status_code == 302 and seconds < SECONDS
    warnings = " ".join(Utfallsimport.objects.get().warnings)
    assert "Rad 6" in warnings and "ogiltigt" in warnings
    assert "sys.set_int_max_str_digits" not in warnings


def test_an_sie_amount_too_large_to_store_is_refused_not_a_server_error(client, ekonom):
    content = SIE_HEAD + b'#PSALDO 0 202611 6110 {1 "410"} 99999999999999999999.00\n'
    message = _refused(*_post_outcome(client, content, "utfall.se"))
    assert "rad 6" in message and "för stort" in message


def test_amounts_that_only_together_are_too_large_are_refused(client, ekonom):
    line = b'#PSALDO 0 202611 6110 {1 "410"} 9000000000000000.00\n'
    content = SIE_HEAD + line + line.replace(b"6110", b"6120")
    message = _refused(*_post_outcome(client, content, "utfall.se"))
    assert "summan av beloppen blir för stor" in message


@pytest.mark.parametrize("amount", [1e308, 10.0 ** 16])
def test_an_excel_amount_too_large_to_store_is_refused_not_a_server_error(client, ekonom,
                                                                          amount):
    content = _xlsx([HEADER, [2026, 11, "6110", "410", amount]])
    message = _refused(*_post_outcome(client, content, "utfall.xlsx"))
    assert "rad 2" in message and "för stort" in message


def test_a_csv_amount_too_large_to_store_is_refused(client, ekonom):
    content = (";".join(HEADER) + "\n2026;11;6110;410;123456789012345678901234,50\n").encode()
    message = _refused(*_post_outcome(client, content, "utfall.csv"))
    assert "rad 2" in message and "för stort" in message


# --- The size of the upload itself ---------------------------------------------------------


def test_a_file_over_the_upload_limit_is_refused_with_the_limit(client, ekonom, settings):
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    content = ";".join(HEADER).encode() + b"\n" + b"2026;11;6110;410;100\n" * 6000
    assert 100 * 1024 < len(content) < 100 * 1024 + 64 * 1024  # under the body's own bound
    message = _refused(*_post_outcome(client, content, "utfall.csv"))
    assert message == "Filen är för stor (högst 100 kB)."


def test_a_body_far_over_the_upload_limit_is_stopped_while_it_is_read(client, ekonom, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    content = ";".join(HEADER).encode() + b"\n" + b"2026;11;6110;410;100\n" * 150_000
    response, seconds = _post_outcome(client, content, "utfall.csv")
    assert response.wsgi_request.upload_too_large
    assert _refused(response, seconds) == "Filen är för stor (högst 1 MB)."


def test_the_upload_limit_is_said_on_the_form(client, ekonom, settings):
    settings.UPLOAD_MAX_BYTES = 200 * 1024 * 1024
    assert "Högst 200 MB." in client.get(OUTCOME_URL).content.decode()


# --- Kolada --------------------------------------------------------------------------------


def _kolada_row(value="82.7", period="2025") -> bytes:
    return ('{"kpi": "N15436", "municipality": "1443", "period": ' + period
            + ', "values": [{"gender": "T", "status": "", "value": ' + value + "}]}").encode()


def _post_kolada(client, municipality, raw: bytes):
    demo_keyfigures.seed(municipality)
    before = list(NyckeltalVarde.objects.order_by("pk").values_list("pk", "value", "source"))
    started = time.monotonic()
    response = client.post(KOLADA_URL, {
        "file": SimpleUploadedFile("kolada.json", raw, content_type="application/json"),
        "municipality_code": "1443", "unit": municipality["kommun"].pk})
    seconds = time.monotonic() - started
    assert response.status_code == 200 and seconds < SECONDS
    assert list(NyckeltalVarde.objects.order_by("pk").values_list("pk", "value",
                                                                   "source")) == before
    errors = response.context["form"].errors
    return " ".join(str(message) for messages in errors.values() for message in messages)


def test_a_kolada_file_over_the_upload_limit_is_stopped_while_it_is_read(
        client, ekonom, municipality, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    raw = b'{"values": [' + b",".join([_kolada_row()] * 30_000) + b"]}"
    assert len(raw) > 2 * 1024 * 1024
    message = _post_kolada(client, municipality, raw)
    assert message == "Filen är för stor (högst 1 MB)."


def test_a_kolada_file_over_its_own_limit_is_refused(client, ekonom, municipality):
    raw = b'{"values": [' + b",".join([_kolada_row()] * 60_000) + b"]}"
    assert 5 * 1024 * 1024 < len(raw) < 500 * 1024 * 1024
    message = _post_kolada(client, municipality, raw)
    assert message == "Filen är för stor (högst 5 MB)."


def test_a_deeply_nested_kolada_file_is_refused_in_swedish(client, ekonom, municipality):
    raw = b'{"values": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    message = _post_kolada(client, municipality, raw)
    assert "nivåer" in message and "recursion" not in message


@pytest.mark.parametrize("number", ["1e999999", "1e99999999", "-1E+999999999", "9" * 5000,
                                    "0." + "1" * 5000])
def test_a_kolada_value_out_of_any_range_is_refused_in_swedish(client, ekonom, municipality,
                                                                number):
    message = _post_kolada(client, municipality, b'{"values": [' + _kolada_row(number) + b"]}")
    assert "för stort eller har för många siffror" in message
    assert "limit" not in message and "Overflow" not in message


def test_a_kolada_period_of_thousands_of_digits_is_refused_in_swedish(client, ekonom,
                                                                       municipality):
    raw = b'{"values": [' + _kolada_row(period="2" * 5000) + b"]}"
    message = _post_kolada(client, municipality, raw)
    assert "för stort" in message and "sys.set_int_max_str_digits" not in message


def test_a_tiny_kolada_value_rounds_to_zero_as_before(client, ekonom, municipality):
    from goals import kolada

    rows, _ = kolada.parse(b'{"values": [' + _kolada_row("1e-999999") + b"]}")
    assert rows[0].value == Decimal("0.0000")


def test_json_errors_in_a_kolada_file_are_said_in_swedish(client, ekonom, municipality):
    message = _post_kolada(client, municipality, b'{"values": [1,]}')
    assert message == "Filen är inte giltig JSON (rad 1, kolumn 15): ett värde väntades."
