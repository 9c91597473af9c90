"""The outcome import's rules for what goes in: whose file it is, vouchers given twice, the
checksum, records it does not read, the mapping rules and money without an object, and the
words for files that are no ledger file."""

from __future__ import annotations

import codecs
import io
import zlib
from decimal import Decimal

import pytest
from django.db.models import Sum

from budget.ledger import outcomes, sie
from budget.models import MappingKind, Objektkoppling, Utfall, Utfallsregler, Verksamhet
from styrmodell.errors import DomainError
from styrmodell.models import OrganisationUnit, UnitKind, User

HEAD = [
    "#FLAGGA 0",
    "#FORMAT PC8",
    "#SIETYP 4",
    "#ORGNR 212000-9999",
    '#FNAMN "Ekbacka kommun"',
    "#RAR 0 20260101 20261231",
    '#KONTO 6110 "Lokalhyror"',
]  # lines 1-7


@pytest.fixture
def ekonom(municipality):
    return User.objects.get(username="ekonom")


def sie_bytes(*lines: str, head: list[str] = HEAD) -> bytes:
    return ("\r\n".join([*head, *lines]) + "\r\n").encode("cp437")


def voucher(series: str, number: int | str, day: str, *rows: str) -> list[str]:
    return [f'#VER {series} {number} {day} "Test"', "{", *rows, "}"]


def rent(amount: str, code: str = "410") -> list[str]:
    return [f'#TRANS 6110 {{1 "{code}"}} {amount}', f"#TRANS 1930 {{}} -{amount}"]


def import_sie(data: bytes, user, name: str = "test.se"):
    return outcomes.import_outcomes(file=io.BytesIO(data), file_name=name, user=user)


def stored(year: int = 2026, month: int | None = None, **filters) -> Decimal:
    rows = Utfall.objects.filter(year=year, **filters)
    if month is not None:
        rows = rows.filter(month=month)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


# --- Whose file it is -------------------------------------------------------------------------


def test_the_kommuns_organisation_number_is_compared_in_any_spelling(ekonom):
    log = import_sie(
        sie_bytes(
            *voucher("A", 1, "20261105", *rent("100.00")),
            head=[*HEAD[:3], "#ORGNR 2120009999", *HEAD[4:]],
        ),
        ekonom,
    )
    assert log.total_amount == Decimal("100.00")
    assert outcomes.organisation_digits("16212000-9999") == "2120009999"


def test_another_organisations_file_is_refused_before_anything_changes(ekonom):
    before = stored(2026, 11)
    data = sie_bytes(
        *voucher("A", 1, "20261105", *rent("100.00")),
        head=[*HEAD[:3], "#ORGNR 556677-8899", '#FNAMN "Bygg AB"', *HEAD[5:]],
    )
    with pytest.raises(DomainError, match="annan organisation") as refused:
        import_sie(data, ekonom)
    assert "556677-8899 (Bygg AB)" in refused.value.message
    assert stored(2026, 11) == before


def test_without_the_kommuns_number_entered_the_file_goes_in_with_a_warning(ekonom):
    OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN).update(organisation_number="")
    log = import_sie(sie_bytes(*voucher("A", 1, "20261105", *rent("100.00"))), ekonom)
    assert any("inte angivet" in warning for warning in log.warnings)


# --- Nothing doubled -------------------------------------------------------------------------


def test_a_voucher_given_twice_is_refused_with_both_lines(ekonom):
    before = stored(2026, 11)
    data = sie_bytes(
        *voucher("A", 7, "20261105", *rent("100.00")), *voucher("A", 7, "20261105", *rent("100.00"))
    )
    with pytest.raises(DomainError, match="två gånger") as refused:
        import_sie(data, ekonom)
    assert "verifikation A 7 på rad 8 och rad 13" in refused.value.message
    assert stored(2026, 11) == before


def test_a_number_used_again_for_another_voucher_is_a_warning_and_both_count(ekonom):
    log = import_sie(
        sie_bytes(
            *voucher("A", 7, "20261105", *rent("100.00")),
            *voucher("A", 7, "20261106", *rent("50.00")),
        ),
        ekonom,
    )
    assert log.total_amount == Decimal("150.00")
    assert any("verifikation A 7 (rad 8 och rad 13)" in warning for warning in log.warnings)


def test_the_same_number_in_another_series_is_another_voucher(ekonom):
    log = import_sie(
        sie_bytes(
            *voucher("A", 7, "20261105", *rent("100.00")),
            *voucher("B", 7, "20261105", *rent("100.00")),
        ),
        ekonom,
    )
    assert log.total_amount == Decimal("200.00") and not log.warnings


# --- The checksum ------------------------------------------------------------------------------


def _checksum(lines: list[str]) -> int:
    text = "".join(
        "".join(
            "".join(sie._object_items(field[0])) if isinstance(field, tuple) else field
            for field in sie._fields(line, 1)
        )
        for line in lines
        if line.startswith("#")
    )
    return zlib.crc32(text.encode("cp437"))


def test_a_file_with_a_right_checksum_goes_in_and_says_so(ekonom):
    body = [*HEAD, *voucher("A", 1, "20261105", *rent("100.00"))]
    data = ("\r\n".join(["#KSUMMA", *body, f"#KSUMMA {_checksum(body)}"]) + "\r\n").encode("cp437")
    log = import_sie(data, ekonom)
    assert "kontrollsumma (#KSUMMA) stämmer" in log.source_note


def test_a_file_cut_off_after_a_voucher_is_refused_when_it_opened_a_checksum(ekonom):
    body = [*HEAD, *voucher("A", 1, "20261105", *rent("100.00"))]
    data = ("\r\n".join(["#KSUMMA", *body]) + "\r\n").encode("cp437")
    with pytest.raises(DomainError, match="avkortad"):
        import_sie(data, ekonom)


def test_a_file_changed_after_its_export_is_refused_by_its_checksum(ekonom):
    body = [*HEAD, *voucher("A", 1, "20261105", *rent("100.00"))]
    changed = [*HEAD, *voucher("A", 1, "20261105", *rent("900.00"))]
    data = ("\r\n".join(["#KSUMMA", *changed, f"#KSUMMA {_checksum(body)}"]) + "\r\n").encode(
        "cp437"
    )
    with pytest.raises(DomainError, match="kontrollsumman"):
        import_sie(data, ekonom)


# --- Lenient on what it does not read ------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    ["#ORGNR", "#KTYP 6110", "#RAR 0", "#PBUDGET 0 202611 6110", '#OBJEKT 1 "410"', "#IB 0"],
)
def test_a_malformed_record_the_import_does_not_use_is_a_warning(record, ekonom):
    head = [line for line in HEAD if not line.startswith(record.split()[0])]
    log = import_sie(
        sie_bytes(record, *voucher("A", 1, "20261105", *rent("100.00")), head=head), ekonom
    )
    assert log.total_amount == Decimal("100.00")
    assert any(
        record.split()[0] in warning and "hoppades över" in warning for warning in log.warnings
    )


def test_what_feeds_an_amount_stays_strict_with_its_line(ekonom):
    with pytest.raises(DomainError, match="Rad 10"):
        import_sie(
            sie_bytes(
                '#VER A 1 20261105 "Test"',
                "{",
                '#TRANS 6110 {1 "410"} 12,50',
                "#TRANS 1930 {} -12.50",
                "}",
            ),
            ekonom,
        )


def test_the_warnings_are_shown_on_the_result_page(ekonom, client):
    log = import_sie(sie_bytes("#KTYP 6110", *voucher("A", 1, "20261105", *rent("100.00"))), ekonom)
    client.force_login(ekonom)
    page = client.get(log.get_absolute_url()).content.decode()
    assert "Att kontrollera" in page and "#KTYP" in page


# --- Mapping rules -------------------------------------------------------------------------------


def _rule(kind: str, low: str, namnd, high: str = "", verksamhet=None) -> Objektkoppling:
    return Objektkoppling.objects.create(
        dimension=1, kind=kind, object_id=low, object_to=high, namnd=namnd, verksamhet=verksamhet
    )


def _bookings(*codes_and_amounts: tuple[str, str]) -> bytes:
    lines = []
    for number, (code, amount) in enumerate(codes_and_amounts, 1):
        lines += voucher("A", number, "20261105", *rent(amount, code))
    return sie_bytes(*lines)


def test_each_kind_of_mapping_rule_places_the_money(ekonom, unit):
    Objektkoppling.objects.all().delete()
    _rule(MappingKind.EXACT, "2100", unit("sn"))
    _rule(MappingKind.PREFIX, "21", unit("sbn"))
    _rule(MappingKind.PREFIX, "2", unit("ks"))
    _rule(MappingKind.RANGE, "900", unit("bun"), high="1999")
    import_sie(
        _bookings(
            ("2100", "1.00"), ("2150", "2.00"), ("2999", "4.00"), ("950", "8.00"), ("1999", "16.00")
        ),
        ekonom,
    )
    assert stored(2026, 11, namnd=unit("sn")) == Decimal("1.00")  # exact before prefix
    assert stored(2026, 11, namnd=unit("sbn")) == Decimal("2.00")  # the longer prefix
    assert stored(2026, 11, namnd=unit("ks")) == Decimal("4.00")
    assert stored(2026, 11, namnd=unit("bun")) == Decimal("24.00")  # 950 and 1999 in range


def test_a_range_compares_numbers_as_numbers(ekonom, unit):
    Objektkoppling.objects.all().delete()
    _rule(MappingKind.RANGE, "900", unit("bun"), high="1999")
    with pytest.raises(outcomes.UnmappedObjectsError) as refused:
        import_sie(_bookings(("2000", "1.00"), ("95", "1.00")), ekonom)
    assert {item.object_id for item in refused.value.objects} == {"2000", "95"}


def test_every_unmapped_object_is_listed_at_once_with_its_first_line(ekonom):
    Objektkoppling.objects.all().delete()
    codes = [str(code) for code in range(100, 130)]
    with pytest.raises(outcomes.UnmappedObjectsError) as refused:
        import_sie(_bookings(*[(code, "1.00") for code in codes]), ekonom)
    assert [item.object_id for item in refused.value.objects] == codes
    assert refused.value.objects[0].line == 10


def test_the_ansvar_may_be_in_another_dimension(ekonom, unit):
    Objektkoppling.objects.all().delete()
    Utfallsregler.objects.create(ansvar_dimension=20)
    Objektkoppling.objects.create(dimension=20, object_id="A1", namnd=unit("sn"))
    import_sie(
        sie_bytes(
            *voucher(
                "A", 1, "20261105", '#TRANS 6110 {1 "410" 20 "A1"} 5.00', "#TRANS 1930 {} -5.00"
            )
        ),
        ekonom,
    )
    assert stored(2026, 11, namnd=unit("sn")) == Decimal("5.00")


def test_the_verksamhet_dimension_keeps_outcome_per_the_namnds_verksamheter(ekonom, unit):
    Objektkoppling.objects.all().delete()
    Utfallsregler.objects.create(ansvar_dimension=1, verksamhet_dimension=2)
    _rule(MappingKind.PREFIX, "4", unit("bun"))
    grundskola = Verksamhet.objects.get(namnd=unit("bun"), code="410")
    log = import_sie(
        sie_bytes(
            *voucher(
                "A",
                1,
                "20261105",
                '#TRANS 6110 {1 "401" 2 "410"} 5.00',
                '#TRANS 6110 {1 "402" 2 "999"} 3.00',
                "#TRANS 1930 {} -8.00",
            )
        ),
        ekonom,
    )
    assert stored(2026, 11, verksamhet=grundskola) == Decimal("5.00")
    assert stored(2026, 11, namnd=unit("bun"), verksamhet=None) == Decimal("3.00")
    assert any("999" in warning for warning in log.warnings)


# --- Money without an object ---------------------------------------------------------------------


def test_money_without_an_object_is_refused_when_no_rule_places_it(ekonom):
    with pytest.raises(outcomes.UnmappedObjectsError, match="saknar objekt"):
        import_sie(
            sie_bytes(*voucher("A", 1, "20261105", "#TRANS 6110 {} 5.00", "#TRANS 1930 {} -5.00")),
            ekonom,
        )


def test_money_without_an_object_goes_where_the_rule_says(ekonom, unit):
    Utfallsregler.objects.create(unplaced_namnd=unit("ks"))
    log = import_sie(
        sie_bytes(*voucher("A", 1, "20261105", "#TRANS 6110 {} 5.00", "#TRANS 1930 {} -5.00")),
        ekonom,
    )
    assert stored(2026, 11, namnd=unit("ks")) == Decimal("5.00")
    assert "enligt regeln för belopp utan objekt" in log.source_note


# --- Vouchers and balances together ------------------------------------------------------------


def test_a_psaldo_total_that_differs_from_the_vouchers_is_refused_with_its_line(ekonom):
    with pytest.raises(DomainError, match="rad 8: #PSALDO"):
        import_sie(
            sie_bytes(
                "#PSALDO 0 202611 6110 {} 90.00", *voucher("A", 1, "20261105", *rent("100.00"))
            ),
            ekonom,
        )


def test_a_psaldo_total_beside_vouchers_with_objects_is_no_money_without_object(ekonom):
    log = import_sie(
        sie_bytes("#PSALDO 0 202611 6110 {} 100.00", *voucher("A", 1, "20261105", *rent("100.00"))),
        ekonom,
    )
    assert log.total_amount == Decimal("100.00")


# --- Files that are no ledger file -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "utfall.se", "Filen är tom"),
        (b"<!DOCTYPE html><html><body>Fel 500</body></html>", "utfall.se", r"webbsida \(HTML\)"),
        ("#FLAGGA 0\r\n#SIETYP 4\r\n".encode("utf-16"), "utfall.se", "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "utfall.se", "ingen textfil"),
        (b"konto;belopp\n6110;100\n", "utfall.se", "ingen SIE-fil"),
    ],
)
def test_a_file_that_is_no_ledger_file_gets_a_true_swedish_message(content, name, words, ekonom):
    with pytest.raises(DomainError, match=words):
        import_sie(content, ekonom, name=name)


def test_a_csv_file_in_utf16_is_still_read(ekonom):
    text = "år;månad;konto;kostnadsställe;belopp\r\n2026;11;6110;410;100\r\n"
    log = outcomes.import_outcomes(
        file=io.BytesIO(codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        file_name="utfall.txt",
        user=ekonom,
    )
    assert log.total_amount == Decimal("100")
