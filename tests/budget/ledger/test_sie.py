"""The SIE 4 parser (budget.ledger.sie): encodings, tokenizer, records, errors and streaming.

Plain pytest, no database. The Ekbacka fixtures hold the same file in CP437 (CRLF), UTF-8 (LF)
and ISO-8859-1 (CRLF).
"""

import io
import pickle
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from budget.ledger import sie
from budget.ledger.sie import (
    Account,
    AccountType,
    Balance,
    Dimension,
    Header,
    Object,
    ObjectBalance,
    PeriodBalance,
    SieError,
    Transaction,
    Voucher,
    Year,
    detect_encoding,
    parse,
    split_fields,
)

FIXTURES = Path(__file__).parent / "fixtures"
PC8 = FIXTURES / "ekbacka_pc8.se"
UTF8 = FIXTURES / "ekbacka_utf8.se"
LATIN1 = FIXTURES / "ekbacka_latin1.se"

HEAD = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#FNAMN Test"]  # lines 1-4


def _bytes(*lines: str, encoding: str = "utf-8", head: bool = True) -> bytes:
    return "\n".join([*HEAD, *lines] if head else lines).encode(encoding) + b"\n"


def _read(data: bytes, **options):
    reader = parse(io.BytesIO(data), **options)
    return list(reader), reader


def _records(data: bytes, kind: type) -> list:
    records, _ = _read(data)
    return [record for record in records if isinstance(record, kind)]


def _error(data: bytes) -> SieError:
    with pytest.raises(SieError) as raised:
        _read(data)
    return raised.value


# --- The fixtures in three encodings ----------------------------------------------------------


def test_the_fixtures_are_really_in_their_encodings():
    assert "Förskolan Ekorren".encode("cp437") in PC8.read_bytes()
    assert b"F\x94rskolan" in PC8.read_bytes()  # ö is 0x94 in CP437
    assert b"F\xf6rskolan" in LATIN1.read_bytes()  # and 0xF6 in ISO-8859-1
    assert "Förskolan".encode() in UTF8.read_bytes()
    assert b"\r\n" in PC8.read_bytes() and b"\r\n" not in UTF8.read_bytes()


@pytest.mark.parametrize(
    ("path", "encoding"), [(PC8, "cp437"), (UTF8, "utf-8"), (LATIN1, "windows-1252")]
)
def test_each_encoding_is_detected_and_gives_the_same_records(path, encoding):
    expected, _ = _read(PC8.read_bytes())
    with parse(path) as reader:
        records = list(reader)
    assert reader.encoding == encoding
    assert records == expected
    names = {record.name for record in records if isinstance(record, (Account, Object))}
    assert {"Förskoleavgifter", "Lindgårdens särskilda boende"} <= names
    assert records[0].generated_by == "Åsa Öberg"


def test_the_pc8_fixture_is_read_whole_and_in_order():
    records, reader = _read(PC8.read_bytes())
    assert reader.warnings == []
    assert records[0] == Header(
        flag=0,
        program="Ekonomi Plus",
        program_version="7.2",
        format="PC8",
        generated=date(2026, 2, 10),
        generated_by="Åsa Öberg",
        sietyp=4,
        company_id="EKB",
        orgnr="212000-9999",
        company_name="Ekbacka kommun",
        chart_of_accounts="KBAS",
        currency="SEK",
    )
    assert reader.header == records[0]
    assert records[1:3] == [
        Year(0, date(2026, 1, 1), date(2026, 12, 31), 10),
        Year(-1, date(2025, 1, 1), date(2025, 12, 31), 11),
    ]
    assert records[3] == Account("1930", "Bank", 14)
    assert records[6] == Account("7010", "Förbrukningsmaterial och övriga inventarier", 17)
    assert AccountType("3410", "I", 19) in records
    assert Dimension(1, "Ansvar/kostnadsställe", None, 23) in records
    assert Dimension(21, "Verksamhet", 1, 24) in records  # #UNDERDIM
    assert Object(6, "P12", 'Skolgården "Gröna ytan"', 29) in records  # \" in a quoted field
    assert Balance("UB", -1, "1930", Decimal("1250000.00"), None, 31) in records
    assert Balance("RES", 0, "7010", Decimal("1250.50"), Decimal("12"), 35) in records
    assert ObjectBalance("OIB", 0, "1930", ((1, "410"),), Decimal("50000.00"), None, 36) in records
    assert [type(record).__name__ for record in records].count("Voucher") == 3
    assert all(type(amount) is Decimal for amount in _amounts(records))


def _amounts(records):
    for record in records:
        if isinstance(record, Voucher):
            yield from (row.amount for row in record.transactions)
        elif hasattr(record, "amount"):
            yield record.amount


def test_psaldo_and_pbudget_per_account_and_per_object():
    balances = _records(PC8.read_bytes(), PeriodBalance)
    assert balances[0] == PeriodBalance(
        "PSALDO", 0, "202601", "6110", (), Decimal("185000.00"), None, 37
    )
    assert balances[4] == PeriodBalance(
        "PSALDO",
        0,
        "202602",
        "7010",
        ((1, "420"), (6, "P12")),
        Decimal("1250.50"),
        Decimal("12"),
        41,
    )
    budget = [balance for balance in balances if balance.kind == "PBUDGET"]
    assert [(b.period, b.account, b.objects, b.amount) for b in budget] == [
        ("202601", "6110", ((1, "410"),), Decimal("84000.00")),
        ("202601", "6110", ((1, "420"),), Decimal("101000.00")),
        ("202602", "7010", ((1, "420"), (6, "P12")), Decimal("1500.00")),
    ]
    per_unit = sum(
        b.amount for b in balances if b.kind == "PSALDO" and b.account == "6110" and b.objects
    )
    assert per_unit == Decimal("185000.00")


def test_vouchers_with_several_transactions():
    first, second, third = _records(PC8.read_bytes(), Voucher)
    assert (first.series, first.number, first.date, first.line) == ("A", "1", date(2026, 1, 15), 45)
    assert first.text == "Hyra januari Ekorren och Ekbackaskolan"
    assert (first.registered, first.sign) == (date(2026, 1, 16), "ÅÖ")
    assert first.transactions == (
        Transaction(
            "6110",
            ((1, "410"),),
            Decimal("85000.00"),
            date(2026, 1, 15),
            "Hyra Ekorren",
            None,
            "",
            47,
        ),
        Transaction(
            "6110",
            ((1, "420"),),
            Decimal("100000.00"),
            date(2026, 1, 15),
            "Hyra Ekbackaskolan",
            None,
            "",
            48,
        ),
        Transaction(
            "1930",
            (),
            Decimal("-185000.00"),
            date(2026, 1, 15),
            "Betalning till hyresvärden",
            None,
            "",
            49,
        ),
    )
    # An empty transaction date is the voucher's date: None.
    assert second.transactions[1] == Transaction(
        "3410", ((1, "410"),), Decimal("-45000.00"), None, "Avgifter Ekorren", None, "", 54
    )
    assert third.text == 'Material till "Gröna ytan" på Ekbackaskolan'
    assert third.transactions[0].quantity == Decimal("12")
    assert third.transactions[0].sign == "ÅÖ"


# --- Tokenizer --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("#KONTO 1930 Bank", ["#KONTO", "1930", "Bank"]),
        ('#KONTO 1930 "Bank och kassa"', ["#KONTO", "1930", "Bank och kassa"]),
        ('#KONTO\t1930  \t "Bank"   ', ["#KONTO", "1930", "Bank"]),
        ('  #KONTO 1930 ""', ["#KONTO", "1930", ""]),
        (
            '#OBJEKT 6 P12 "Skolgården \\"Gröna ytan\\""',
            ["#OBJEKT", "6", "P12", 'Skolgården "Gröna ytan"'],
        ),
        ('#X "\\"citat\\" först"', ["#X", '"citat" först']),
        ('#X ab"c d"e', ["#X", "abc de"]),
        ("#X C:\\mapp", ["#X", "C:\\mapp"]),
        (
            '#TRANS 4010 {1 "100" 6 "P12"} 125.50',
            ["#TRANS", "4010", ("1", "100", "6", "P12"), "125.50"],
        ),
        ("#TRANS 4010 {} -1", ["#TRANS", "4010", (), "-1"]),
        ("#TRANS 4010 {  } -1", ["#TRANS", "4010", (), "-1"]),
        ("#TRANS 4010 {1 100 } -1", ["#TRANS", "4010", ("1", "100"), "-1"]),
        ('#TRANS 4010 {1 "Hus }"} -1', ["#TRANS", "4010", ("1", "Hus }"), "-1"]),
        ('#TRANS 4010 {1\t"100  "}\t-1', ["#TRANS", "4010", ("1", "100  "), "-1"]),
    ],
)
def test_split_fields(line, fields):
    assert split_fields(line) == fields


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('#KONTO 1930 "Bank', "Rad 9: ett citattecken i kolumn 13 avslutas aldrig"),
        ('#KONTO 1930 "Bank \\"', "Rad 9: ett citattecken i kolumn 13 avslutas aldrig"),
        ('#TRANS 1930 {1 "100" -5', 'Rad 9: objektlistan i kolumn 13 saknar avslutande "}"'),
        ("#TRANS 1930 {1 {2}} -5", 'Rad 9: objektlistan "{1 {2}" innehåller ett "{"'),
    ],
)
def test_split_fields_refuses_what_never_closes(line, message):
    with pytest.raises(SieError) as raised:
        split_fields(line, 9)
    assert raised.value.message == message
    assert raised.value.line == 9


def test_padded_and_empty_object_ids():
    data = _bytes(
        "#VER A 1 20260105",
        "{",
        "#TRANS 6110 {1 100 } 10.00",
        '#TRANS 6110 {1 "100  " 6 " P12 "} 20.00',
        '#TRANS 6110 { 1 "" 6 "P12" } 30.00',  # an empty id: no object in that dimension
        "#TRANS 1930 {} -60.00",
        "}",
    )
    (voucher,) = _records(data, Voucher)
    assert [row.objects for row in voucher.transactions] == [
        ((1, "100"),),
        ((1, "100"), (6, "P12")),
        ((6, "P12"),),
        (),
    ]


def test_unknown_labels_and_later_transactions_are_skipped():
    data = _bytes(
        "#EXTRA 1 2 3",
        '#ADRESS "Kalle" "Gatan 1" "123 45 Ekbacka" "0123-456"',
        "#VER A 1 20260105",
        "{",
        "#TRANS 6110 {} 10.00",
        "#BTRANS 6110 {} 99.00",  # removed: not part of the balance
        "#RTRANS 1930 {} -10.00",  # added later, followed by the same #TRANS
        "#TRANS 1930 {} -10.00",
        "#FRAMTIDA_POST x",
        "}",
    )
    records, reader = _read(data)
    assert [type(record) for record in records] == [Header, Voucher]
    assert [row.amount for row in records[1].transactions] == [Decimal("10.00"), Decimal("-10.00")]
    assert reader.warnings == []


def test_lowercase_labels_indentation_blank_lines_and_ctrl_z():
    data = _bytes("", "#konto 1930 Bank", "   ", "\t#KONTO 3410 Avgifter", "\x1a")
    assert _records(data, Account) == [Account("1930", "Bank", 6), Account("3410", "Avgifter", 8)]


def test_extra_fields_are_ignored():
    assert _records(_bytes("#KONTO 1930 Bank framtida fält"), Account) == [
        Account("1930", "Bank", 5)
    ]


# --- Errors -----------------------------------------------------------------------------------


def test_an_unbalanced_voucher_is_refused_with_the_line_of_its_ver():
    data = _bytes(
        "#VER A 11 20260105",
        "{",
        "#TRANS 6110 {} 10.00",
        "#TRANS 1930 {} -10.00",
        "}",
        '#VER A 12 20260106 "Felaktig"',
        "{",
        "#TRANS 6110 {1 100} 150.00",
        "#TRANS 1930 {} -50.00",
        "}",
    )
    error = _error(data)
    assert error.message == "Verifikation A 12 på rad 10 balanserar inte: summan är 100.00"
    assert error.line == 10
    assert str(error) == error.message


def test_an_unbalanced_voucher_without_series_and_number():
    error = _error(_bytes('#VER "" "" 20260105', "{", "#TRANS 6110 {} 0.005", "}"))
    assert error.message == "Verifikationen på rad 5 balanserar inte: summan är 0.005"


def test_a_voucher_may_be_empty():
    (voucher,) = _records(_bytes("#VER A 1 20260105", "{", "}"), Voucher)
    assert voucher.transactions == ()


@pytest.mark.parametrize("amount", ["12,50", "1e3", "12.50kr", "--1", "", "1 000"])
def test_a_malformed_amount_names_its_line(amount):
    field = amount if amount and " " not in amount else f'"{amount}"'
    line = f"#TRANS 6110 {{}} {field}"
    error = _error(_bytes("#VER A 1 20260105", "{", line, "#TRANS 1930 {} -12.50", "}"))
    assert error.line == 7
    assert error.message.startswith("Rad 7: ")
    assert "belopp" in error.message and "#TRANS" in error.message
    assert "punkt som decimaltecken" in error.message


def test_a_malformed_amount_in_psaldo():
    error = _error(_bytes("#PSALDO 0 202601 6110 {} 12,50"))
    assert error.message == (
        'Rad 5: ogiltigt saldo "12,50" i #PSALDO (skrivs med punkt som decimaltecken, '
        "t.ex. -1234.50)"
    )


@pytest.mark.parametrize(
    ("lines", "line", "fragment"),
    [
        (["#VER A 1 20261332", "{", "}"], 5, 'ogiltigt verifikationsdatum "20261332" i #VER'),
        (["#VER A 1 2026-01-05", "{", "}"], 5, 'ogiltigt verifikationsdatum "2026-01-05"'),
        (
            ["#VER A 1 20260105", "{", "#TRANS 1930 {} 0 20260230", "}"],
            7,
            'ogiltigt transaktionsdatum "20260230" i #TRANS',
        ),
        (["#RAR 0 20260101 2026123"], 5, 'ogiltigt slutdatum "2026123" i #RAR'),
        (["#GEN 260115"], 5, 'ogiltigt datum "260115" i #GEN'),
    ],
)
def test_a_malformed_date_names_its_line(lines, line, fragment):
    error = _error(_bytes(*lines))
    assert error.line == line
    assert error.message.startswith(f"Rad {line}: {fragment}")
    assert "ÅÅÅÅMMDD" in error.message


def test_a_malformed_period():
    error = _error(_bytes("#PBUDGET 0 202613 6110 {} 100.00"))
    assert (
        error.message == 'Rad 5: ogiltig period "202613" i #PBUDGET (skrivs ÅÅÅÅMM, t.ex. 202601)'
    )


def test_a_missing_closing_brace_at_the_end_of_the_file():
    error = _error(_bytes('#VER B 7 20260105 "Sista"', "{", "#TRANS 1930 {} 0.00"))
    assert (
        error.message == 'Verifikation B 7 på rad 5 saknar avslutande "}": filen tar slut på rad 7'
    )
    assert error.line == 5


def test_a_missing_closing_brace_before_the_next_voucher():
    error = _error(
        _bytes("#VER A 1 20260105", "{", "#TRANS 1930 {} 0.00", "#VER A 2 20260106", "{", "}")
    )
    assert error.message == (
        'Verifikation A 1 på rad 5 saknar avslutande "}": rad 8 har #VER innan verifikationen '
        "är slut"
    )


def test_a_ver_must_be_followed_by_an_opening_brace():
    error = _error(_bytes("#VER A 1 20260105", "#TRANS 1930 {} 0.00"))
    assert error.message == (
        'Rad 6: Verifikation A 1 på rad 5 ska följas av en rad med "{", men raden är: '
        "#TRANS 1930 {} 0.00"
    )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["#TRANS 1930 {} 10.00"], "Rad 5: #TRANS står utanför en verifikation (#VER)"),
        (["#RTRANS 1930 {} 10.00"], "Rad 5: #RTRANS står utanför en verifikation (#VER)"),
        (["}"], 'Rad 5: "}" utan en öppen verifikation (#VER följd av "{")'),
        (["{"], 'Rad 5: "{" utan en föregående #VER'),
        (
            ["KONTO 1930 Bank"],
            'Rad 5: raden börjar inte med en etikett som "#TRANS": KONTO 1930 Bank',
        ),
    ],
)
def test_structure_errors(lines, message):
    assert _error(_bytes(*lines)).message == message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("#KONTO 1930", "Rad 5: #KONTO ska ha minst 2 fält (kontonr kontonamn) men har 1"),
        ("#VER A 1", "Rad 5: #VER ska ha minst 3 fält (serie vernr verdatum) men har 2"),
        (
            "#PSALDO 0 202601 6110 {}",
            "Rad 5: #PSALDO ska ha minst 5 fält (årsnr period konto {objektlista} saldo) men har 4",
        ),
        (
            "#OBJEKT 1 100",
            "Rad 5: #OBJEKT ska ha minst 3 fält (dimensionsnr objektnr objektnamn) men har 2",
        ),
        (
            "#PSALDO 0 202601 6110 100.00 5",
            'Rad 5: objektlista saknas i #PSALDO: väntade "{...}" (eller "{}") men fick "100.00"',
        ),
        (
            "#PSALDO 0 202601 6110 {1} 100.00",
            'Rad 5: objektlistan "{1}" ska bestå av par av dimensionsnummer och objekt i #PSALDO',
        ),
        (
            "#PSALDO 0 202601 6110 {x 1} 100.00",
            'Rad 5: ogiltigt dimensionsnummer "x" i objektlistan "{x 1}" i #PSALDO',
        ),
        (
            "#PSALDO ett 202601 6110 {} 100.00",
            'Rad 5: ogiltigt årsnummer "ett" i #PSALDO (ska vara ett heltal)',
        ),
        ("#KTYP 1930 X", 'Rad 5: okänd kontotyp "X" i #KTYP (ska vara T, S, K eller I)'),
        ("#RAR 0 20261231 20260101", "Rad 5: räkenskapsåret i #RAR slutar innan det börjar"),
    ],
)
def test_wrong_fields(line, message):
    assert _error(_bytes(line)).message == message


def test_trans_needs_an_account_an_object_list_and_an_amount():
    voucher = ["#VER A 1 20260105", "{"]
    assert _error(_bytes(*voucher, "#TRANS 1930 {}", "}")).message == (
        "Rad 7: #TRANS ska ha minst 3 fält (kontonr {objektlista} belopp) men har 2"
    )
    assert _error(_bytes(*voucher, "#TRANS 1930 -5.00 20260105", "}")).message == (
        'Rad 7: objektlista saknas i #TRANS: väntade "{...}" (eller "{}") men fick "-5.00"'
    )
    assert _error(_bytes(*voucher, '#TRANS "" {} 0', "}")).message == (
        "Rad 7: kontonummer saknas i #TRANS"
    )


def test_an_unknown_format_is_refused():
    error = _error(_bytes("#FORMAT UTF8", head=False))
    assert error.message == 'Rad 1: okänt #FORMAT "UTF8"; SIE 4 känner bara till #FORMAT PC8'


def test_sietyp_other_than_1_to_4_is_refused():
    error = _error(_bytes("#SIETYP 5", head=False))
    assert error.message == 'Rad 1: #SIETYP "5" stöds inte; filen ska vara SIE typ 1, 2, 3 eller 4'


def test_a_lower_sietyp_is_read_with_one_warning_per_label():
    data = _bytes(
        "#SIETYP 2",
        "#PSALDO 0 202601 6110 {} 1.00",
        "#PSALDO 0 202601 6110 {1 100} 1.00",
        "#PSALDO 0 202601 6110 {1 200} 1.00",
        "#VER A 1 20260105",
        "{",
        "}",
        head=False,
    )
    records, reader = _read(data)
    assert len(records) == 5  # Header, three PSALDO, one voucher
    assert [warning.message for warning in reader.warnings] == [
        "Rad 3: #PSALDO per objekt hör inte till SIE typ 2, som filen anger med #SIETYP; "
        "posten lästes ändå.",
        "Rad 5: #VER hör inte till SIE typ 2, som filen anger med #SIETYP; posten lästes ändå.",
    ]


def test_a_missing_sietyp_is_a_warning():
    records, reader = _read(_bytes("#KONTO 1930 Bank", head=False))
    assert records[0].sietyp is None
    assert [w.message for w in reader.warnings] == [
        "Filen saknar #SIETYP; den lästes som SIE typ 4."
    ]


def test_a_header_label_after_the_accounts_is_a_warning():
    records, reader = _read(_bytes("#KONTO 1930 Bank", "#ORGNR 212000-0000"))
    assert records[0].orgnr == ""  # the Header record was yielded before the #ORGNR
    assert reader.header.orgnr == "212000-0000"
    assert reader.warnings[0].line == 6
    assert "#ORGNR står efter filens konton" in reader.warnings[0].message


def test_an_empty_file_is_refused():
    assert _error(b"").message.startswith("Filen innehåller inga SIE-poster")
    assert _error(b"\n\n#OKAND 1\n").message.startswith("Filen innehåller inga SIE-poster")


def test_a_file_of_only_a_header_gives_the_header():
    records, _ = _read(_bytes("#RAR 0 20260101 20261231"))
    assert [type(record) for record in records] == [Header, Year]


# --- Encodings --------------------------------------------------------------------------------


def test_detect_encoding():
    assert detect_encoding(b"#KONTO 1930 Bank\n") == "ascii"
    assert detect_encoding("Förskola åäö".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf#FLAGGA 0") == "utf-8"
    assert detect_encoding("Förskola åäö ÅÄÖ".encode("cp437")) == "cp437"
    assert detect_encoding("Förskola åäö ÅÄÖ".encode("latin-1")) == "windows-1252"
    assert detect_encoding("Förskola åäö ÅÄÖ".encode("iso-8859-15")) == "windows-1252"
    # No Swedish letters: the letters of each encoding decide, then CP437.
    assert detect_encoding("Café".encode("cp437")) == "cp437"
    assert detect_encoding("Café".encode("latin-1")) == "windows-1252"
    assert detect_encoding(b"\xb0") == "cp437"
    # Windows-1252 quotes (0x94 is also ö in CP437) lose to the Swedish letters.
    assert detect_encoding("”Gröna ytan” på skolgården".encode("cp1252")) == "windows-1252"


def test_windows_1252_characters_in_a_latin_file():
    data = _bytes('#KONTO 1930 "Bank – 100 € i växelkassan"', encoding="cp1252")
    records, reader = _read(data)
    assert reader.encoding == "windows-1252"
    assert records[1].name == "Bank – 100 € i växelkassan"


def test_utf8_with_a_byte_order_mark():
    records, reader = _read(b"\xef\xbb\xbf" + UTF8.read_bytes())
    assert reader.encoding == "utf-8"
    assert records == _read(PC8.read_bytes())[0]


def test_a_pure_ascii_file():
    _, reader = _read(_bytes("#KONTO 1930 Bank"))
    assert reader.encoding == "ascii"
    assert reader.warnings == []


@pytest.mark.parametrize("encoding", ["cp437", "latin-1", "utf-8"])
def test_the_encoding_is_decided_at_the_first_non_ascii_line(encoding):
    # More than the 64 KiB sniffed at a time of pure ASCII before the first Swedish letter.
    ascii_accounts = [f'#KONTO {1000 + n} "Konto nummer {n}"' for n in range(4000)]
    data = _bytes(*ascii_accounts, '#KONTO 9999 "Övriga kostnader för åtgärder"', encoding=encoding)
    assert len(data) > sie.SNIFF_BYTES
    accounts = _records(data, Account)
    assert accounts[-1] == Account("9999", "Övriga kostnader för åtgärder", 4005)
    _, reader = _read(data)
    assert reader.encoding == {"latin-1": "windows-1252"}.get(encoding, encoding)


def test_invalid_utf8_after_the_sample_names_its_line():
    lines = [f'#KONTO {1000 + n} "Kostnad för åtgärd {n}"' for n in range(3000)]
    data = _bytes(*lines) + '#KONTO 9999 "Övrigt"\n'.encode("latin-1")
    error = _error(data)
    assert error.line == 3005
    assert error.message == (
        "Rad 3005: raden kan inte läsas som UTF-8 (byte 0xD6 i position 14), fast filen i övrigt "
        "är kodad som UTF-8"
    )


def test_an_explicit_encoding_overrides_the_detection():
    data = _bytes('#KONTO 1930 "Š och ä"', encoding="iso-8859-15")
    assert _records(data, Account)[0].name == "¦ och ä"  # as detected: 0xA6 in ISO-8859-1
    records, reader = _read(data, encoding="iso-8859-15")
    assert records[1].name == "Š och ä"
    assert reader.warnings == []


def test_utf16_and_cr_only_files_are_refused():
    utf16 = "#FLAGGA 0\r\n".encode("utf-16")
    assert _error(utf16).message.startswith("Filen är kodad i UTF-16 eller UTF-32")
    assert _error(utf16[2:]).line == 1  # no byte order mark: the NUL bytes give it away
    assert _error(b"#FLAGGA 0\r#SIETYP 4\r").message.startswith("Filens rader slutar med bara CR")


def test_an_overlong_line_is_refused(monkeypatch):
    monkeypatch.setattr(sie, "MAX_LINE_BYTES", 100)
    error = _error(_bytes(f'#KONTO 1930 "{"x" * 200}"'))
    assert error.message == "Rad 5: raden är längre än 100 byte; är det en SIE-fil?"


def test_an_error_keeps_its_line_through_pickling():
    error = pickle.loads(pickle.dumps(SieError("Rad 3: fel", 3)))
    assert (error.message, error.line, str(error)) == ("Rad 3: fel", 3, "Rad 3: fel")


# --- Sources ----------------------------------------------------------------------------------


def test_a_path_is_opened_and_closed(monkeypatch):
    opened = []
    real_open = open

    def tracking_open(*args, **kwargs):
        stream = real_open(*args, **kwargs)
        opened.append(stream)
        return stream

    monkeypatch.setattr("builtins.open", tracking_open)
    reader = parse(str(PC8))
    next(reader)
    reader.close()
    assert opened[0].closed
    with parse(PC8) as reader:
        assert len(list(reader)) == 36
    assert opened[1].closed


def test_a_text_stream_is_refused():
    with pytest.raises(TypeError, match="binary"):
        list(parse(io.StringIO("#FLAGGA 0\n")))
    with pytest.raises(TypeError):
        parse(42)


# --- Streaming --------------------------------------------------------------------------------


def _write_vouchers(path: Path, transactions: int) -> None:
    """A CP437 file of `transactions` #TRANS lines in vouchers of ten, written in chunks."""
    with open(path, "wb") as out:
        out.write(b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#RAR 0 20260101 20261231\r\n")
        for number in range(1, transactions // 10 + 1):
            rows = [f'#VER A {number} 20260105 "Inköp {number} åäö"\r\n{{\r\n']
            rows += [
                f'\t#TRANS 6110 {{1 "{number % 97}"}} {row}25.50 20260105 "Pärmar"\r\n'
                for row in range(1, 10)
            ]
            rows.append("\t#TRANS 1930 {} -4729.50\r\n}\r\n")
            out.write("".join(rows).encode("cp437"))


def test_parse_streams_a_large_file_in_flat_memory(tmp_path):
    path = tmp_path / "stor.se"
    _write_vouchers(path, 200_000)
    started = time.perf_counter()
    tracemalloc.start()
    try:
        vouchers = transactions = 0
        total = Decimal(0)
        for record in parse(path):
            if isinstance(record, Voucher):
                vouchers += 1
                transactions += len(record.transactions)
                total += record.transactions[0].amount
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (vouchers, transactions) == (20_000, 200_000)
    assert total == Decimal("125.50") * 20_000
    # Holding the records would take well over 100 MB; the parser needs well under 1 MB.
    assert peak < 10 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert time.perf_counter() - started < 60


class _CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def test_records_come_before_the_file_is_read_to_the_end(tmp_path):
    path = tmp_path / "stor.se"
    _write_vouchers(path, 20_000)
    stream = _CountingStream(path.read_bytes())
    reader = parse(stream)
    first = next(record for record in reader if isinstance(record, Voucher))
    assert first.number == "1"
    # The first voucher is out after its own lines and the 64 KiB looked at for the encoding.
    assert stream.bytes_read < sie.SNIFF_BYTES + 2_000 < len(stream.getvalue()) // 10
