"""Outcomes imported from the ledger (budget/outcomes.py): SIE 4, CSV and Excel into Utfall.

No rule of RULES.md is about the import itself; the tests are named `test_utfall_...` after the
behaviour the issue asks for (re-import replaces, malformed files save nothing, encodings).
"""

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Sum
from openpyxl import Workbook

from budget.demo import DECIDED
from budget.ledger import outcomes
from budget.ledger.outcomes import UnmappedObjectsError
from budget.models import (
    ImportFormat,
    ImportStatus,
    Konto,
    Objektkoppling,
    Utfall,
    Utfallsimport,
    Verksamhet,
)
from styrmodell.errors import DomainError
from styrmodell.models import OrganisationUnit, User

ROOT = Path(__file__).resolve().parents[3]
DEMO_SIE = ROOT / "demo" / "sie" / "ekbacka-2026-11.se"
PARSER_FIXTURE = Path(__file__).parent / "fixtures" / "ekbacka_pc8.se"

HEAD = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", '#FNAMN "Ekbacka kommun"',
        "#RAR 0 20260101 20261231"]  # lines 1-5


@pytest.fixture
def ekonom(municipality):
    return User.objects.get(username="ekonom")


def sie_bytes(*lines: str, encoding: str = "cp437") -> bytes:
    return ("\r\n".join([*HEAD, *lines]) + "\r\n").encode(encoding)


def import_sie(data: bytes, user, name: str = "test.se"):
    return outcomes.import_sie(file=io.BytesIO(data), file_name=name, user=user)


def import_csv(text: str, user, encoding: str = "utf-8", name: str = "utfall.csv"):
    return outcomes.import_csv(file=io.BytesIO(text.encode(encoding)), file_name=name, user=user)


def outcome(year: int, month: int | None = None, **filters) -> Decimal:
    rows = Utfall.objects.filter(year=year, **filters)
    if month is not None:
        rows = rows.filter(month=month)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def namnd(name: str) -> OrganisationUnit:
    return OrganisationUnit.objects.get(name=name)


def nothing_saved(before_rows: int, before_imports: int) -> bool:
    return Utfall.objects.count() == before_rows and Utfallsimport.objects.count() == before_imports


# --- SIE --------------------------------------------------------------------------------------


def test_utfall_demo_sie_file_in_cp437_gives_each_namnd_a_twelfth_of_its_frame(ekonom):
    data = DEMO_SIE.read_bytes()
    log = import_sie(data, ekonom, "ekbacka-2026-11.se")
    assert (log.year, log.months, log.format, log.encoding) == (2026, [11], "sie", "cp437")
    assert log.sha256 == hashlib.sha256(data).hexdigest()
    assert log.lines_read == data.count(b"\n")
    assert log.status == ImportStatus.CURRENT and log.imported_by == ekonom
    for name, (_, frame_2026) in DECIDED.items():
        monthly = outcome(2026, 11, namnd=namnd(name))
        assert abs(monthly - frame_2026 / 12) < 1, name
    assert log.total_amount == outcome(2026, 11)
    assert log.rows_written == Utfall.objects.filter(year=2026, month=11).count()
    grundskola = Verksamhet.objects.get(code="410")
    assert Utfall.objects.filter(verksamhet=grundskola, konto__number="5010", year=2026,
                                 month=11).count() == 1
    sums = {(row.namnd.name, row.month): row.amount for row in log.sums.select_related("namnd")}
    assert sums[("Socialnämnden", 11)] == outcome(2026, 11, namnd=namnd("Socialnämnden"))


def test_utfall_the_same_file_in_utf8_reads_the_same_as_in_cp437(ekonom):
    utf8 = DEMO_SIE.read_bytes().decode("cp437").encode("utf-8")
    log = import_sie(utf8, ekonom)
    assert log.encoding == "utf-8"
    assert log.total_amount == sum((frame / 12).quantize(Decimal(1))
                                   for _, frame in DECIDED.values())


def test_utfall_balance_accounts_are_skipped_and_unknown_result_accounts_are_created(ekonom):
    log = import_sie(PARSER_FIXTURE.read_bytes(), ekonom)
    assert not Konto.objects.filter(number="1930").exists()
    assert Konto.objects.get(number="3410").name == "Förskoleavgifter"
    assert Konto.objects.get(number="7010").name.startswith("Förbrukningsmaterial")
    assert "balanskonton" in log.source_note


def test_utfall_vouchers_decide_and_the_psaldo_of_the_same_month_is_a_cross_check(ekonom):
    # The parser's fixture has #PSALDO (as account totals and per object) and vouchers for the
    # same money in January and February: each amount must be read once, from the vouchers.
    Objektkoppling.objects.filter(object_id="420").delete()
    Objektkoppling.objects.create(dimension=1, object_id="420", namnd=namnd(
        "Barn- och utbildningsnämnden"), verksamhet=Verksamhet.objects.get(code="420"))
    log = import_sie(PARSER_FIXTURE.read_bytes(), ekonom)
    grundskola, gymnasium = Verksamhet.objects.get(code="410"), Verksamhet.objects.get(code="420")
    assert outcome(2026, 1, konto__number="6110", verksamhet=grundskola) == Decimal("85000")
    assert outcome(2026, 1, konto__number="6110", verksamhet=gymnasium) == Decimal("100000")
    assert outcome(2026, 1, konto__number="3410") == Decimal("-45000")
    assert outcome(2026, 2, konto__number="7010") == Decimal("1250.50")
    assert log.total_amount == Decimal("141250.50")
    assert "kontrollerades mot verifikationerna" in log.source_note


def test_utfall_trans_is_used_for_months_the_file_has_no_psaldo_for(ekonom):
    data = sie_bytes(
        '#KONTO 6110 "Lokalhyror"', '#DIM 1 "Ansvar"', '#OBJEKT 1 "410" "Grundskola"',
        '#PSALDO 0 202610 6110 {1 "410"} 1000.00',
        '#VER A 1 20261015 "Hyra oktober"', "{", '#TRANS 6110 {1 "410"} 1000.00',
        "#TRANS 1930 {} -1000.00", "}",
        '#VER A 2 20261115 "Hyra november"', "{", '#TRANS 6110 {1 "410"} 1200.00',
        "#TRANS 1930 {} -1200.00", "}",
    )
    log = import_sie(data, ekonom)
    assert outcome(2026, 10) == Decimal("1000.00")
    assert outcome(2026, 11) == Decimal("1200.00")
    assert log.months == [10, 11]


def test_utfall_psaldo_of_the_previous_year_and_pbudget_are_not_outcome(ekonom):
    before = Utfall.objects.filter(year=2025).count()
    data = sie_bytes(
        '#PSALDO 0 202611 6110 {1 "410"} 500.00', '#PSALDO -1 202511 6110 {1 "410"} 400.00',
        '#PBUDGET 0 202611 6110 {1 "410"} 450.00')
    log = import_sie(data, ekonom)
    assert (log.year, log.total_amount) == (2026, Decimal("500.00"))
    assert Utfall.objects.filter(year=2025).count() == before


def test_utfall_psaldo_total_that_differs_from_its_objects_is_refused(ekonom):
    data = sie_bytes('#PSALDO 0 202611 6110 {} 1500.00', '#PSALDO 0 202611 6110 {1 "410"} 1000.00')
    before = Utfall.objects.count(), Utfallsimport.objects.count()
    with pytest.raises(DomainError) as refused:
        import_sie(data, ekonom)
    assert "rad 6" in refused.value.message and "saknar objekt" in refused.value.message
    assert nothing_saved(*before)


def test_utfall_malformed_sie_is_refused_with_its_line_number_and_nothing_saved(ekonom):
    import_sie(DEMO_SIE.read_bytes(), ekonom)
    before = Utfall.objects.count(), Utfallsimport.objects.count()
    total = outcome(2026, 11)
    data = sie_bytes(
        '#VER A 1 20261115 "Hyra"', "{", '#TRANS 6110 {1 "410"} 1200.00',
        "#TRANS 1930 {} -1200.00", "}",
        '#VER A 2 20261116 "Hyra"', "{", '#TRANS 6110 {1 "410"} 12,50', "#TRANS 1930 {} -12.50",
        "}")
    with pytest.raises(DomainError) as refused:
        import_sie(data, ekonom)
    assert "Rad 13" in refused.value.message and "12,50" in refused.value.message
    assert nothing_saved(*before) and outcome(2026, 11) == total


def test_utfall_unbalanced_voucher_is_refused_with_its_line(ekonom):
    data = sie_bytes('#VER A 7 20261115 "Hyra"', "{", '#TRANS 6110 {1 "410"} 1200.00',
                     "#TRANS 1930 {} -1100.00", "}")
    before = Utfall.objects.count(), Utfallsimport.objects.count()
    with pytest.raises(DomainError) as refused:
        import_sie(data, ekonom)
    assert "Verifikation A 7 på rad 6 balanserar inte" in refused.value.message
    assert nothing_saved(*before)


def test_utfall_unmapped_object_is_refused_naming_it_and_its_first_line(ekonom):
    data = sie_bytes(
        '#DIM 1 "Ansvar"', '#OBJEKT 1 "999" "Ny förskola Björken"', '#OBJEKT 6 "P1" "Projekt"',
        '#VER A 1 20261115 "Hyra"', "{", '#TRANS 6110 {1 "410"} 100.00',
        '#TRANS 6110 {1 "999" 6 "P1"} 200.00', "#TRANS 1930 {} -300.00", "}",
        '#VER A 2 20261116 "Hyra"', "{", '#TRANS 6110 {1 "999"} 50.00',
        "#TRANS 1930 {} -50.00", "}")
    before = Utfall.objects.count(), Utfallsimport.objects.count()
    with pytest.raises(UnmappedObjectsError) as refused:
        import_sie(data, ekonom)
    [unmapped] = refused.value.objects
    assert (unmapped.dimension, unmapped.object_id, unmapped.line) == (1, "999", 12)
    assert unmapped.name == "Ny förskola Björken"
    assert "1:999 Ny förskola Björken (rad 12)" in refused.value.message
    assert nothing_saved(*before)


def test_utfall_money_on_a_result_account_without_an_object_is_refused(ekonom):
    data = sie_bytes('#VER A 1 20261115 "Ränta"', "{", "#TRANS 8410 {} 100.00",
                     "#TRANS 1930 {} -100.00", "}")
    with pytest.raises(UnmappedObjectsError) as refused:
        import_sie(data, ekonom)
    assert refused.value.lines_without_object == [8]
    assert "saknar objekt" in refused.value.message


def test_utfall_a_financial_year_over_two_calendar_years_goes_in_month_by_month(ekonom):
    # A ledger whose financial year runs July–June: each month to the budget year it belongs to.
    data = sie_bytes('#PSALDO 0 202612 6110 {1 "410"} 1.00', '#PSALDO 0 202701 6110 {1 "410"} 2.00')
    log = import_sie(data, ekonom)
    assert (log.year, log.months) == (2026, [12])
    later = Utfallsimport.objects.get(year=2027)
    assert (later.months, later.sha256) == ([1], log.sha256)
    assert outcome(2026, 12) == Decimal("1.00") and outcome(2027, 1) == Decimal("2.00")
    assert "inte kalenderåret" in log.source_note


def test_utfall_a_file_over_more_than_twelve_months_is_refused(ekonom):
    lines = [f'#PSALDO 0 {year}{month:02d} 6110 {{1 "410"}} 1.00'
             for year, month in [(2026, m) for m in range(1, 13)] + [(2027, 1)]]
    before = Utfall.objects.count()
    with pytest.raises(DomainError, match="mer än tolv månader"):
        import_sie(sie_bytes(*lines), ekonom)
    assert Utfall.objects.count() == before


# --- Re-import --------------------------------------------------------------------------------


def test_utfall_reimport_of_the_same_month_replaces_it_and_the_log_keeps_both(ekonom):
    first = import_sie(DEMO_SIE.read_bytes(), ekonom, "nov.se")
    rows, total = Utfall.objects.filter(year=2026, month=11).count(), outcome(2026, 11)
    second = import_sie(DEMO_SIE.read_bytes(), ekonom, "nov-igen.se")
    assert outcome(2026, 11) == total  # not doubled
    assert Utfall.objects.filter(year=2026, month=11).count() == rows
    first.refresh_from_db()
    assert first.status == ImportStatus.REPLACED and first.replaced_by == second
    assert first.months_in_force == []
    assert list(second.replaced.all()) == [first]
    assert second.status == ImportStatus.CURRENT


def test_utfall_reimport_of_one_month_leaves_the_other_months_of_an_earlier_file(ekonom):
    first = import_csv("år;månad;konto;kostnadsställe;belopp\n2026;10;6110;410;1000\n"
                       "2026;11;6110;410;2000\n", ekonom)
    second = import_csv("år;månad;konto;kostnadsställe;belopp\n2026;11;6110;410;2500\n", ekonom)
    first.refresh_from_db()
    assert (first.status, first.months_in_force, first.replaced_by) == (
        ImportStatus.PARTLY_REPLACED, [10], second)
    assert outcome(2026, 10) == Decimal("1000") and outcome(2026, 11) == Decimal("2500")


# --- CSV and Excel ----------------------------------------------------------------------------


def test_utfall_csv_from_swedish_excel_with_semicolons_and_decimal_comma(ekonom):
    text = ("År;MÅNAD;Konto;Kontonamn;Kostnadsställe;Belopp\r\n"
            "2026;11;5010;Löner;410;1 234 567,50\r\n"
            "2026;11;3110;Avgifter;410;-12 500,25\r\n"
            "2026;11;1930;Bank;;-1 222 067,25\r\n"
            ";;;;;\r\n"
            "2026;11;6110;Lokalhyror;500;\"98 000,00\"\r\n")
    log = import_csv(text, ekonom, encoding="cp1252")
    assert (log.format, log.encoding, log.year, log.months) == ("csv", "windows-1252", 2026, [11])
    grundskola = Verksamhet.objects.get(code="410")
    assert outcome(2026, 11, verksamhet=grundskola) == Decimal("1222067.25")
    assert outcome(2026, 11, namnd=namnd("Socialnämnden")) == Decimal("98000.00")
    assert log.lines_read == 6


def test_utfall_csv_with_a_period_column_and_utf8_bom(ekonom):
    text = "\ufeffKonto,Objekt,Period,Belopp\n6110,410,2026-11,\"1500,50\"\n6110,410,202611,-0.50\n"
    log = import_csv(text, ekonom)
    assert log.encoding == "utf-8" and outcome(2026, 11) == Decimal("1500.00")


def test_utfall_malformed_csv_lists_its_bad_lines_and_saves_nothing(ekonom):
    before = Utfall.objects.count(), Utfallsimport.objects.count()
    with pytest.raises(DomainError) as refused:
        import_csv("år;månad;konto;objekt;belopp\n2026;11;6110;410;100\n2026;13;6110;410;1\n"
                   "2026;11;6110;410;tio\n", ekonom)
    assert "rad 3: ogiltig period 2026-13" in refused.value.message
    assert 'rad 4: ogiltigt belopp "tio"' in refused.value.message
    assert nothing_saved(*before)


def test_utfall_csv_without_the_needed_columns_is_refused(ekonom):
    with pytest.raises(DomainError, match="rad 1 ska vara en rubrikrad.*saknas: belopp"):
        import_csv("år;månad;konto;objekt\n2026;11;6110;410\n", ekonom)


def xlsx(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_utfall_excel_with_number_cells_and_text_cells(ekonom):
    file = xlsx([["Utfall november"], [], ["År", "Månad", "Konto", "Ansvar", "Belopp"],
                 [2026, 11, 5010, 410, 1234.5], [2026, 11, "6110", "410", "2 000,10"],
                 [2026, 11, 3110, 500, -99.99]])
    log = outcomes.import_excel(file=file, file_name="utfall.xlsx", user=ekonom)
    assert (log.format, log.year, log.months) == ("excel", 2026, [11])
    assert outcome(2026, 11, namnd=namnd("Barn- och utbildningsnämnden")) == Decimal("3234.60")
    assert outcome(2026, 11, namnd=namnd("Socialnämnden")) == Decimal("-99.99")


def test_utfall_excel_with_a_bad_row_names_the_row(ekonom):
    file = xlsx([["år", "månad", "konto", "objekt", "belopp"], [2026, 11, 5010, 410, "x"]])
    with pytest.raises(DomainError, match='rad 2: ogiltigt belopp "x"'):
        outcomes.import_excel(file=file, file_name="utfall.xlsx", user=ekonom)


def test_utfall_a_file_that_is_not_excel_is_refused_as_excel(ekonom):
    with pytest.raises(DomainError, match="kan inte läsas som en Excel-fil"):
        outcomes.import_excel(file=io.BytesIO(b"PK\x03\x04 broken"), file_name="x.xlsx",
                              user=ekonom)


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"#FLAGGA 0\r\n#SIETYP 4\r\n", "export.txt", ImportFormat.SIE),
    (b"\xef\xbb\xbf\r\n#FLAGGA 0\r\n", "export", ImportFormat.SIE),
    (b"PK\x03\x04rest", "utfall.bin", ImportFormat.EXCEL),
    (b"anything", "utfall.xlsx", ImportFormat.EXCEL),
    (b"ar;manad;konto\r\n", "utfall.txt", ImportFormat.CSV),
])
def test_utfall_format_is_detected_from_the_content(content, name, expected):
    assert outcomes.detect_format(io.BytesIO(content), name) == expected


def test_utfall_old_xls_files_are_refused_with_advice():
    with pytest.raises(DomainError, match=r"\.xlsx"):
        outcomes.detect_format(io.BytesIO(b"\xd0\xcf\x11\xe0rest"), "utfall.xls")


def test_utfall_amounts_are_read_as_decimals_never_floats():
    assert outcomes.parse_amount("1 234 567,891") == Decimal("1234567.891")
    assert outcomes.parse_amount("\u2212500") == Decimal("-500")
    assert outcomes.parse_amount(0.1) == Decimal("0.10")
    assert outcomes.parse_amount("1.234,50") is None  # ambiguous: refused, not guessed


def _generated_sie(path: Path, vouchers: int) -> None:
    with open(path, "wb") as out:
        out.write(("\r\n".join(HEAD) + "\r\n").encode("cp437"))
        for number in range(1, vouchers + 1):
            month = 1 + number % 12
            out.write((f'#VER A {number} 2026{month:02d}15 "Köp"\r\n{{\r\n'
                       + "".join(f'#TRANS 6110 {{1 "{code}"}} 10.00\r\n'
                                 for code in ("100", "410", "500", "200", "300"))
                       + "#TRANS 1930 {} -50.00\r\n}\r\n").encode("cp437"))


def test_utfall_memory_of_an_import_does_not_grow_with_the_number_of_lines(ekonom, tmp_path):
    import tracemalloc

    peaks = []
    # Both files are larger than the chunk the hashing pass reads (CHUNK_BYTES).
    for vouchers in (1500, 15000):
        path = tmp_path / f"{vouchers}.se"
        _generated_sie(path, vouchers)
        tracemalloc.start()
        with open(path, "rb") as file:
            log = outcomes.import_sie(file=file, file_name=path.name, user=ekonom)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert log.total_amount == Decimal(50 * vouchers)
        assert log.rows_written == 5 * 12
    assert peaks[1] < peaks[0] * 1.1, peaks
