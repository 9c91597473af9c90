"""Streaming parser of SIE 4 files ("SIE filformat ver 4B"), the export of Swedish ledgers.

Pure Python: no Django, no database. Money is Decimal throughout, never float.

Usage::

    with parse(path_or_binary_file) as reader:
        for record in reader:
            match record:
                case PeriodBalance(kind="PBUDGET"): ...
                case Voucher(): ...
    reader.header, reader.warnings, reader.encoding

`parse()` returns a `SieReader`, an iterator of typed, frozen records:

    Header         once, before the first record that is not an identification record
                   (#FLAGGA #PROGRAM #FORMAT #GEN #SIETYP #FNR #ORGNR #FNAMN #KPTYP #VALUTA
                   #OMFATTN #RAR), or at the end of a file that has nothing else
    Year           #RAR årsnr start slut (those read before the Header follow right after it)
    Account        #KONTO konto namn
    AccountType    #KTYP konto T|S|K|I
    Dimension      #DIM dimnr namn, and #UNDERDIM dimnr namn överdim (parent set)
    Object         #OBJEKT dimnr objektnr namn
    Balance        #IB/#UB årsnr konto saldo [kvantitet], #RES likewise
    ObjectBalance  #OIB/#OUB årsnr konto {objektlista} saldo [kvantitet]
    PeriodBalance  #PSALDO/#PBUDGET årsnr period konto {objektlista} saldo [kvantitet]; these
                   are changes during the period (YYYYMM), per account and optionally per object
    Voucher        #VER serie vernr verdatum [text [regdatum [sign]]] with its #TRANS lines,
                   yielded whole after its closing "}" once its amounts sum to exactly zero

Every record but Header carries `line`, the 1-based line number it came from (for a Voucher, the
#VER line), so that an importer can name the line in its own messages.

Streaming: the file is read line by line (`readline` with a length limit) and each voucher is
held only until its closing brace, so memory does not grow with the size of the file. Nothing is
remembered across records except the header, a bounded date cache and a few one-off warnings.
Checks that need the whole file (an account used but never defined, a PSALDO period outside its
year) are left to the importer, which sees the records anyway.

Errors: anything the parser cannot read raises `SieError(message, line)` with a Swedish message
naming the line and what is wrong, e.g. 'Rad 17: ogiltigt belopp "12,50" i #TRANS ...' or
'Verifikation A 12 på rad 40 balanserar inte: summan är 100.00'. Non-fatal findings collect in
`reader.warnings` (SieWarning(message, line)); each kind is recorded once, so the list stays
short.

Decisions where the specification leaves room or real files differ from it:

- Encoding: detected from the bytes, not taken from #FORMAT, and never assumed. Lines are read as
  bytes; while they are pure ASCII (which every candidate decodes alike) nothing needs deciding.
  The first line with a byte above 0x7F decides, from a sample of that line and the lines after
  it up to 64 KiB (SNIFF_BYTES), read ahead and kept until they are parsed; the rule is in
  `detect_encoding` (UTF-8 if strictly valid, else CP437 or Latin-1 by which gives more åäöÅÄÖ).
  So a file whose first 64 KiB are ASCII is still detected from its first Swedish letter, and a
  pure ASCII file is reported as "ascii". A later line that is not valid UTF-8 in a file decided
  to be UTF-8 is an error naming the line. `parse(..., encoding=...)` skips the detection.
  #FORMAT must still be PC8 if present (anything else is an error); a PC8 file that is in fact
  UTF-8 or Latin-1 is read as what it is, with a warning.
- #SIETYP must be 1, 2, 3 or 4 (SIE 5 is XML; anything else is an error). Types 1-3 are subsets
  of type 4, so all records are read whatever the type; a record the declared type does not
  contain (#VER in types 1-3, #PSALDO/#PBUDGET in type 1, #OIB/#OUB and object lists in period
  balances in types 1-2) gives one warning per label. A missing #SIETYP gives a warning and the
  file is read as type 4.
- Unknown labels are ignored, as the specification says, also inside a voucher. Extra fields
  after the defined ones are ignored too (room for later versions of the format).
- #RTRANS (a transaction added later) and #BTRANS (a removed one) inside a voucher are skipped:
  the specification has every #RTRANS followed by an identical #TRANS, and a removed
  transaction is not part of the voucher's balance.
- #KSUMMA: a file that opens with #KSUMMA (no value) must close with #KSUMMA and its checksum,
  or it was cut off and is refused. The checksum is CRC-32 (polynomial 0xEDB88320, as zlib) over
  the label and the content of each field of every record between the two #KSUMMA lines, in the
  file's own bytes, without line breaks, the spaces between fields, the quotes around them and the
  braces of an object list. Published readers differ on whether spaces *inside* a field count, so
  a checksum that matches either reading is accepted; one that matches neither is refused.
  #ADRESS, #BKOD, #FTYP, #PROSA, #TAXAR, #SRU and #ENHET are not needed by the budget app and are
  ignored like unknown labels.
- Lenient labels: `parse(..., lenient={"#KTYP", "#PBUDGET", ...})` names the labels whose records
  the caller does not use. A malformed record of such a label (an empty #ORGNR, #KTYP without a
  type, #RAR without dates) is skipped with a warning naming its line and how many such records
  there were, instead of refusing the file; everything else stays strict.
- Object ids are stripped of surrounding spaces ({1 "100  "} is object "100"); a pair with an
  empty id ({1 ""}) means "no object in that dimension" and is dropped.
- A header label after the Header record was yielded (a file out of the specified order) still
  updates `reader.header`, with a warning; the record already yielded is not changed.
- Lines end in LF or CRLF; a file with CR alone (old Mac) is refused. Blank lines and a DOS
  end-of-file character (Ctrl-Z) are skipped; indentation before a label is allowed.
"""

from __future__ import annotations

import codecs
import os
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import IO

__all__ = [
    "Account",
    "AccountType",
    "Balance",
    "Dimension",
    "Header",
    "Object",
    "ObjectBalance",
    "PeriodBalance",
    "Record",
    "SieError",
    "SieReader",
    "SieWarning",
    "Transaction",
    "Voucher",
    "Year",
    "detect_encoding",
    "parse",
    "split_fields",
]

SNIFF_BYTES = 64 * 1024  # how much of the file, from its first non-ASCII line, decides the encoding
MAX_LINE_BYTES = 1024 * 1024  # a longer line is refused: it keeps memory bounded
MAX_INTEGER_DIGITS = 18  # a year index, dimension or count longer than this is refused
UTF8 = "utf-8"
CP437 = "cp437"
WINDOWS_1252 = "windows-1252"
ASCII = "ascii"

ObjectRef = tuple[int, str]  # (dimension number, object id), e.g. (1, "100")


# --- Errors and warnings --------------------------------------------------------------------


class SieError(ValueError):
    """A file the parser cannot read. `message` is Swedish and names the line; `line` is 1-based.

    It has the shape of styrmodell.errors.DomainError (a `message` attribute) but is not one, so
    that this module stays free of the project's imports; a service wraps it.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __reduce__(self):  # keeps `line` through pickling (e.g. a Celery task's result)
        return (type(self), (self.message, self.line))


@dataclass(frozen=True, slots=True)
class SieWarning:
    message: str
    line: int | None


def _fail(line: int | None, message: str) -> SieError:
    return SieError(f"Rad {line}: {message}" if line is not None else message, line)


# --- Records --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    flag: int | None = None  # #FLAGGA: 1 once the file has been imported
    program: str = ""  # #PROGRAM
    program_version: str = ""
    format: str = ""  # #FORMAT: "PC8" or empty
    generated: date | None = None  # #GEN
    generated_by: str = ""
    sietyp: int | None = None  # #SIETYP 1-4
    company_id: str = ""  # #FNR
    orgnr: str = ""  # #ORGNR
    company_name: str = ""  # #FNAMN
    chart_of_accounts: str = ""  # #KPTYP, e.g. "BAS2024"
    currency: str = ""  # #VALUTA; SEK when empty
    balances_until: date | None = None  # #OMFATTN


@dataclass(frozen=True, slots=True)
class Year:
    index: int  # 0 the current year, -1 the previous one
    start: date
    end: date
    line: int


@dataclass(frozen=True, slots=True)
class Account:
    number: str
    name: str
    line: int


@dataclass(frozen=True, slots=True)
class AccountType:
    account: str
    type: str  # T tillgång, S skuld, K kostnad, I intäkt
    line: int


@dataclass(frozen=True, slots=True)
class Dimension:
    number: int  # 1 kostnadsställe/resultatenhet, 6 projekt, ...
    name: str
    parent: int | None  # the superior dimension of an #UNDERDIM
    line: int


@dataclass(frozen=True, slots=True)
class Object:
    dimension: int
    id: str
    name: str
    line: int


@dataclass(frozen=True, slots=True)
class Balance:
    kind: str  # "IB", "UB" or "RES"
    year_index: int
    account: str
    amount: Decimal
    quantity: Decimal | None
    line: int


@dataclass(frozen=True, slots=True)
class ObjectBalance:
    kind: str  # "OIB" or "OUB"
    year_index: int
    account: str
    objects: tuple[ObjectRef, ...]
    amount: Decimal
    quantity: Decimal | None
    line: int


@dataclass(frozen=True, slots=True)
class PeriodBalance:
    kind: str  # "PSALDO" (outcome) or "PBUDGET" (budget): the change during the period
    year_index: int
    period: str  # "YYYYMM"
    account: str
    objects: tuple[ObjectRef, ...]  # () for the whole account
    amount: Decimal
    quantity: Decimal | None
    line: int


@dataclass(frozen=True, slots=True)
class Transaction:
    account: str
    objects: tuple[ObjectRef, ...]
    amount: Decimal  # debit positive, credit negative
    date: date | None  # None: the voucher's date
    text: str
    quantity: Decimal | None
    sign: str
    line: int


@dataclass(frozen=True, slots=True)
class Voucher:
    series: str  # may be "" (import files)
    number: str  # may be "" (import files)
    date: date
    text: str
    line: int  # the #VER line
    transactions: tuple[Transaction, ...]
    registered: date | None
    sign: str


Record = (
    Header
    | Year
    | Account
    | AccountType
    | Dimension
    | Object
    | Balance
    | ObjectBalance
    | PeriodBalance
    | Voucher
)


# --- Tokenizer ------------------------------------------------------------------------------

# A quoted part: `\"` inside it is a literal quote. Unrolled loops and possessive quantifiers
# keep every pattern linear, also on an unterminated quote.
_QUOTED = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
# One field per match, in five groups of which exactly one matches; the common cases first.
_TOKEN = re.compile(
    r"[ \t]*+(?:"
    r'"([^"\\]*+)"(?=[ \t]|$)'  # 1: a quoted field without escapes
    r'|([^ \t"{][^ \t"]*+)(?=[ \t]|$)'  # 2: a bare field
    r'|(\{[^}"]*+(?:' + _QUOTED + r'[^}"]*+)*+\})'  # 3: an object list, braces included
    r'|((?:[^ \t"{]|' + _QUOTED + r')[^ \t"]*+(?:' + _QUOTED + r'[^ \t"]*+)*+)'  # 4: the rest
    r'|(["{])'  # 5: a quote or brace that is never closed
    r")"
)
_QUOTED_PART = re.compile(r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"')


def _unquote(match: re.Match) -> str:
    return match[1].replace('\\"', '"')


def _fields(line: str, line_number: int | None) -> list[str | tuple[str]]:
    """The fields of a line; an object list is a 1-tuple of the text between its braces."""
    fields: list[str | tuple[str]] = []
    append = fields.append
    # One match at a time: a quote or brace never closed is refused where it is met, not after
    # every later position of a long line has been tried (which grows with the line squared).
    for match in _TOKEN.finditer(line):
        quoted, bare, objects, other, unterminated = match.groups(default="")
        if bare:
            append(bare)
        elif objects:
            append((objects[1:-1],))
        elif other:
            append(_QUOTED_PART.sub(_unquote, other) if '"' in other else other)
        elif unterminated:
            _refuse_unterminated(line, line_number)
        else:
            append(quoted)
    return fields


def _refuse_unterminated(line: str, line_number: int | None) -> None:
    for match in _TOKEN.finditer(line):
        if match[5]:
            column = match.start(5) + 1
            if match[5] == '"':
                raise _fail(line_number, f"ett citattecken i kolumn {column} avslutas aldrig")
            raise _fail(line_number, f'objektlistan i kolumn {column} saknar avslutande "}}"')


def _object_items(inner: str) -> tuple[str, ...]:
    """The fields between the braces of an object list; SieError without a line number."""
    items = []
    for match in _TOKEN.finditer(inner):
        quoted, bare, objects, other, unterminated = match.groups(default="")
        if objects or unterminated:
            raise SieError(f'objektlistan "{{{_excerpt(inner)}}}" innehåller ett "{{"')
        items.append(bare or (_QUOTED_PART.sub(_unquote, other) if other else quoted))
    return tuple(items)


def split_fields(line: str, line_number: int | None = None) -> list[str | tuple[str, ...]]:
    """The fields of one SIE line, the label included.

    Fields are separated by spaces or tabs (any number). Double quotes group a field with spaces
    and are removed; `\\"` inside quotes is a literal quote; quotes may also sit inside a field
    (`ab"c d"` is `abc d`). An object list in braces is one field, returned as a tuple of its own
    fields: `{1 "100" 6 "P12"}` is ("1", "100", "6", "P12") and `{}` is (). An unterminated quote
    or brace raises SieError naming the column (and the line, if `line_number` is given).

    >>> split_fields('#TRANS 4010 {1 "100"} 125.50 "" "Hyra \\\\"Lilla\\\\" huset"')
    ['#TRANS', '4010', ('1', '100'), '125.50', '', 'Hyra "Lilla" huset']
    """
    result: list[str | tuple[str, ...]] = []
    for field in _fields(line, line_number):
        if type(field) is tuple:
            try:
                result.append(_object_items(field[0]))
            except SieError as error:
                raise _fail(line_number, error.message) from None
        else:
            result.append(field)
    return result


# --- Field conversions ----------------------------------------------------------------------

_AMOUNT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _excerpt(value: object, limit: int = 40) -> str:
    if isinstance(value, tuple):
        text = "{" + " ".join(value) + "}"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _amount(value, line: int, label: str, what: str = "belopp") -> Decimal:
    if type(value) is str and _AMOUNT.fullmatch(value):
        return Decimal(value)
    return _bad_amount(value, line, label, what)


def _bad_amount(value, line: int, label: str, what: str):
    hint = "med punkt som decimaltecken, t.ex. -1234.50"
    if value == "":
        raise _fail(line, f"{what} saknas i {label} (skrivs {hint})")
    raise _fail(line, f'ogiltigt {what} "{_excerpt(value)}" i {label} (skrivs {hint})')


def _optional_amount(fields: list, index: int, line: int, label: str, what: str):
    if len(fields) <= index or fields[index] == "":
        return None
    return _amount(fields[index], line, label, what)


@lru_cache(maxsize=4096)
def _to_date(text: str) -> date | None:
    if len(text) == 8 and text.isascii() and text.isdigit():
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    return None


def _date(value, line: int, label: str, what: str = "datum") -> date:
    if type(value) is str:
        result = _to_date(value)
        if result is not None:
            return result
        if value == "":
            raise _fail(line, f"{what} saknas i {label} (skrivs ÅÅÅÅMMDD, t.ex. 20260131)")
    raise _fail(
        line, f'ogiltigt {what} "{_excerpt(value)}" i {label} (skrivs ÅÅÅÅMMDD, t.ex. 20260131)'
    )


def _optional_date(fields: list, index: int, line: int, label: str, what: str):
    if len(fields) <= index or fields[index] == "":
        return None
    return _date(fields[index], line, label, what)


def _text(fields: list, index: int, line: int, label: str, what: str) -> str:
    if len(fields) <= index:
        return ""
    value = fields[index]
    if type(value) is not str:
        raise _fail(line, f"{what} i {label} får inte vara en objektlista: {_excerpt(value)}")
    return value


def _required_text(fields: list, index: int, line: int, label: str, what: str) -> str:
    value = _text(fields, index, line, label, what)
    if not value.strip():
        raise _fail(line, f"{what} saknas i {label}")
    return value.strip()


def _integer(value, line: int, label: str, what: str) -> int:
    # A digit string of thousands would be slow to convert, or refused by Python in English.
    if type(value) is str and len(value) <= MAX_INTEGER_DIGITS and _INTEGER.fullmatch(value):
        return int(value)
    raise _fail(line, f'ogiltigt {what} "{_excerpt(value)}" i {label} (ska vara ett heltal)')


def _period(value, line: int, label: str) -> str:
    if type(value) is str and len(value) == 6 and value.isascii() and value.isdigit():
        if 1 <= int(value[4:]) <= 12:
            return value
    raise _fail(line, f'ogiltig period "{_excerpt(value)}" i {label} (skrivs ÅÅÅÅMM, t.ex. 202601)')


def _objects(value, line: int, label: str) -> tuple[ObjectRef, ...]:
    if type(value) is not tuple:
        raise _fail(
            line,
            f'objektlista saknas i {label}: väntade "{{...}}" (eller "{{}}") men fick '
            f'"{_excerpt(value)}"',
        )
    try:
        return _object_pairs(value[0])
    except SieError as error:
        raise _fail(line, f"{error.message} i {label}") from None


@lru_cache(maxsize=1024)  # real files use the same few object lists over and over
def _object_pairs(inner: str) -> tuple[ObjectRef, ...]:
    """{dim obj dim obj}: ids stripped, pairs with an empty id dropped; SieError without line."""
    if not inner or inner.isspace():
        return ()
    items = _object_items(inner)
    if len(items) % 2:
        raise SieError(
            f'objektlistan "{{{_excerpt(inner)}}}" ska bestå av par av dimensionsnummer och objekt'
        )
    pairs = []
    for index in range(0, len(items), 2):
        dimension, object_id = items[index].strip(), items[index + 1].strip()
        if not (dimension.isascii() and dimension.isdigit()
                and len(dimension) <= MAX_INTEGER_DIGITS):
            raise SieError(
                f'ogiltigt dimensionsnummer "{_excerpt(dimension)}" i objektlistan '
                f'"{{{_excerpt(inner)}}}"'
            )
        if object_id:
            pairs.append((int(dimension), object_id))
    return tuple(pairs)


def _require(fields: list, count: int, line: int, label: str, names: str) -> None:
    if len(fields) - 1 < count:
        raise _fail(line, f"{label} ska ha minst {count} fält ({names}) men har {len(fields) - 1}")


def _format_amount(amount: Decimal) -> str:
    if amount.as_tuple().exponent >= -2:
        return f"{amount:.2f}"
    return str(amount)


# --- Encoding -------------------------------------------------------------------------------

_CP437_SWEDISH = tuple(bytes((b,)) for b in (0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99))  # åäöÅÄÖ
_LATIN_SWEDISH = tuple(bytes((b,)) for b in (0xE5, 0xE4, 0xF6, 0xC5, 0xC4, 0xD6))  # åäöÅÄÖ
_CP437_LETTERS = tuple(bytes((b,)) for b in range(0x80, 0xA6))  # Ç ü é ... ñ Ñ
_LATIN_LETTERS = tuple(bytes((b,)) for b in range(0xC0, 0x100) if b not in (0xD7, 0xF7))


def _windows_1252_table() -> str:
    """Windows-1252 where it defines a character, ISO-8859-1 (a C1 control) where it does not."""
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes((byte,)).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(chr(byte))
    return "".join(chars)


_WINDOWS_1252 = _windows_1252_table()


def _count(sample: bytes, needles: tuple[bytes, ...]) -> int:
    return sum(sample.count(needle) for needle in needles)


def detect_encoding(sample: bytes) -> str:
    """The encoding of an SIE file from a sample of its bytes: "utf-8", "cp437" or "windows-1252".

    The rule, in order:

    1. A UTF-8 byte order mark, or a sample that decodes as strict UTF-8, is UTF-8. (Swedish
       letters in CP437 or Latin-1 are single bytes >= 0x80 that are never valid UTF-8 next to
       ASCII, so a false positive needs an unlikely run of bytes.)
    2. Otherwise the eight-bit encoding that gives more of the letters åäöÅÄÖ wins: in CP437 they
       are the bytes 0x86 0x84 0x94 0x8F 0x8E 0x99, in ISO-8859-1/15 0xE5 0xE4 0xF6 0xC5 0xC4 0xD6.
    3. On a tie (e.g. no Swedish letters at all) the encoding that gives more letters of any
       kind wins: CP437 has its accented letters at 0x80-0xA5, ISO-8859-1 at 0xC0-0xFF (where
       CP437 has box drawing and Greek).
    4. A remaining tie is CP437, the encoding the specification prescribes (#FORMAT PC8).

    The Latin family is decoded as Windows-1252, which is ISO-8859-1 plus printable characters
    (€ – ” ...) at 0x80-0x9F, where ISO-8859-1 has control codes no text contains; that is what
    Windows programs write when they say Latin-1. ISO-8859-15 differs from ISO-8859-1 only at
    eight rare positions (€ at 0xA4, Š š Ž ž Œ œ Ÿ), none of them Swedish letters; those come
    out as their ISO-8859-1 characters.

    A pure ASCII sample gives "ascii": every candidate agrees, so the caller keeps looking.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return UTF8
    if sample.isascii():
        return ASCII
    try:
        sample.decode(UTF8)
    except UnicodeDecodeError:
        pass
    else:
        return UTF8
    cp437, latin = _count(sample, _CP437_SWEDISH), _count(sample, _LATIN_SWEDISH)
    if cp437 == latin:
        cp437, latin = _count(sample, _CP437_LETTERS), _count(sample, _LATIN_LETTERS)
    return WINDOWS_1252 if latin > cp437 else CP437


def _decoder(encoding: str) -> Callable[[bytes], str]:
    if encoding == WINDOWS_1252:
        return lambda raw: codecs.charmap_decode(raw, "strict", _WINDOWS_1252)[0]
    name = codecs.lookup(encoding).name
    return lambda raw: raw.decode(name)


_ENCODING_NAMES = {UTF8: "UTF-8", WINDOWS_1252: "Latin-1 (ISO-8859-1/Windows-1252)"}


# --- The checksum (#KSUMMA) --------------------------------------------------------------------


class _Checksum:
    """CRC-32 of the records between the opening and the closing #KSUMMA; see the docstring.

    The fields are kept as text and encoded when the checksum is asked for, since the file's
    encoding may be decided only after the checksummed part has begun (at its first åäö).
    """

    __slots__ = ("line", "_parts")

    def __init__(self, line: int, encoding: str) -> None:
        self.line = line
        self._parts: list[str] = []

    def add(self, fields: list) -> None:
        parts = []
        for value in fields:
            if type(value) is tuple:  # an object list: its pairs without braces and quotes
                try:
                    parts.append("".join(_object_items(value[0])))
                except SieError:  # refused where the record itself is read
                    parts.append(value[0])
            else:
                parts.append(value)
        self._parts.append("".join(parts))
        if len(self._parts) >= 4096:
            self._parts[:] = ["".join(self._parts)]

    def values(self, encoding: str) -> tuple[int, int]:
        text = "".join(self._parts)
        as_written = zlib.crc32(text.encode(encoding, "replace"))
        without_spaces = zlib.crc32(re.sub(r"[ \t]", "", text).encode(encoding, "replace"))
        return as_written, without_spaces

    def matches(self, stated: int, encoding: str) -> bool:
        return stated in self.values(encoding)


# --- The reader -----------------------------------------------------------------------------

# Labels of the identification part: they fill the Header (#RAR gives Year records).
_HEADER_LABELS = frozenset(
    "#FLAGGA #PROGRAM #FORMAT #GEN #SIETYP #FNR #ORGNR #FNAMN #KPTYP #VALUTA #OMFATTN #RAR".split()
)
_KTYP = frozenset("TSKI")


class _OpenVoucher:
    __slots__ = ("series", "number", "date", "text", "registered", "sign", "line", "rows", "total")

    def __init__(self, fields: list, line: int) -> None:
        _require(fields, 3, line, "#VER", "serie vernr verdatum")
        self.series = _text(fields, 1, line, "#VER", "serie").strip()
        self.number = _text(fields, 2, line, "#VER", "verifikationsnummer").strip()
        self.date = _date(fields[3], line, "#VER", "verifikationsdatum")
        self.text = _text(fields, 4, line, "#VER", "verifikationstext")
        self.registered = _optional_date(fields, 5, line, "#VER", "registreringsdatum")
        self.sign = _text(fields, 6, line, "#VER", "signatur")
        self.line = line
        self.rows: list[Transaction] = []
        self.total = Decimal(0)

    @property
    def name(self) -> str:
        ids = " ".join(part for part in (self.series, self.number) if part)
        return f"Verifikation {ids}" if ids else "Verifikationen"

    def close(self) -> Voucher:
        if self.total != 0:
            raise SieError(
                f"{self.name} på rad {self.line} balanserar inte: summan är "
                f"{_format_amount(self.total)}",
                self.line,
            )
        return Voucher(
            self.series,
            self.number,
            self.date,
            self.text,
            self.line,
            tuple(self.rows),
            self.registered,
            self.sign,
        )


class SieReader:
    """An iterator of the records of one SIE file; see the module's docstring.

    `header` is the Header as read so far, `warnings` the non-fatal findings, `encoding` the
    detected encoding ("utf-8", "cp437", "windows-1252"; "ascii" for a file without any byte
    above 0x7F; None until decided). Use it as a context manager, or call close(), to close a
    file it opened itself when you stop early.
    """

    def __init__(self, source: str | os.PathLike | IO[bytes], encoding: str | None = None,
                 lenient: frozenset[str] | set[str] = frozenset()):
        if isinstance(source, (str, os.PathLike)):
            self._stream = open(source, "rb")  # closed when the records end
            self._owns_stream = True
        elif hasattr(source, "readline"):
            self._stream = source
            self._owns_stream = False
        else:
            raise TypeError("parse() needs a path or a binary file object")
        # An unknown codec name fails here, not at the first record.
        self._explicit_encoding = codecs.lookup(encoding).name if encoding else None
        self.encoding: str | None = None
        self.header = Header()
        self.warnings: list[SieWarning] = []
        self._warned: set[str] = set()
        self._header_sent = False
        self._format_line: int | None = None
        self._lenient = frozenset(label.upper() for label in lenient)
        self._skipped: dict[str, list] = {}  # label -> [count, first line, first message]
        self._checksum: _Checksum | None = None
        self.checksum_verified = False
        self._records = self._read()

    def __iter__(self) -> Iterator[Record]:
        return self

    def __next__(self) -> Record:
        return next(self._records)

    def close(self) -> None:
        self._records.close()
        if self._owns_stream:
            self._stream.close()

    def __enter__(self) -> SieReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- Warnings ----------------------------------------------------------------------------

    def _warn_once(self, key: str, message: str, line: int | None) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(SieWarning(message, line))

    def _skip(self, label: str, error: SieError, line: int) -> None:
        """A malformed record of a lenient label: counted, and reported once at the end."""
        entry = self._skipped.setdefault(label, [0, line, error.message])
        entry[0] += 1

    def _report_skipped(self) -> None:
        for count, line, message in self._skipped.values():
            times = f" ({count} sådana poster)" if count > 1 else ""
            self.warnings.append(SieWarning(
                f"{message}{times}; posten hoppades över.", line))

    def _check_declared_format(self) -> None:
        if (
            self.header.format == "PC8"
            and self.encoding in _ENCODING_NAMES
            and self._explicit_encoding is None
        ):
            name = _ENCODING_NAMES[self.encoding]
            self._warn_once(
                "format",
                f"Filen anger #FORMAT PC8 (CP437) men är kodad som {name} och lästes som sådan.",
                self._format_line,
            )

    def _check_type(self, label: str, line: int, needed: int, what: str | None = None) -> None:
        sietyp = self.header.sietyp
        if sietyp is not None and sietyp < needed:
            self._warn_once(
                f"type {what or label}",
                f"Rad {line}: {what or label} hör inte till SIE typ {sietyp}, som filen anger "
                "med #SIETYP; posten lästes ändå.",
                line,
            )

    # -- Lines -------------------------------------------------------------------------------

    def _lines(self) -> Iterator[tuple[int, str]]:
        """(line number, text without line break), decoded; the encoding decided on the way."""
        readline = self._stream.readline
        limit = MAX_LINE_BYTES
        first = readline(limit)
        if isinstance(first, str):
            raise TypeError("parse() needs a binary file object, opened with 'rb'")
        if not first:
            self.encoding = self.encoding or ASCII
            return
        decode: Callable[[bytes], str] | None = None
        if self._explicit_encoding is not None:
            self.encoding = self._explicit_encoding
            decode = _decoder(self.encoding)
        if (
            first.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE))
            or first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            or b"\x00" in first
        ):
            raise SieError(
                "Filen är kodad i UTF-16 eller UTF-32 (eller är ingen textfil); en SIE-fil ska "
                "vara kodad i PC8 (CP437), UTF-8 eller Latin-1.",
                1,
            )
        if first.startswith(codecs.BOM_UTF8):
            first = first[len(codecs.BOM_UTF8) :]
            if decode is None:
                self.encoding = UTF8
                decode = _decoder(UTF8)
                self._check_declared_format()
        if b"\r" in first.rstrip(b"\r\n"):
            raise SieError(
                "Filens rader slutar med bara CR (gammalt Mac-format); spara om den med "
                "radslut CRLF eller LF.",
                1,
            )
        lookahead: deque[bytes] = deque((first,))
        number = 0
        while True:
            raw = lookahead.popleft() if lookahead else readline(limit)
            if not raw:
                break
            number += 1
            if len(raw) >= limit and not raw.endswith(b"\n"):
                raise _fail(number, f"raden är längre än {limit} byte; är det en SIE-fil?")
            raw = raw.rstrip(b"\r\n")
            if b"\x00" in raw:
                raise _fail(number, "raden innehåller NUL-tecken (nollbyte), som en SIE-fil inte "
                                    "har; är filen skadad?")
            if decode is None:
                if raw.isascii():
                    yield number, raw.decode(ASCII)
                    continue
                # The first line with a byte above 0x7F: decide from it and what follows.
                size = len(raw) + sum(map(len, lookahead))
                while size < SNIFF_BYTES:
                    more = readline(limit)
                    if not more:
                        break
                    lookahead.append(more)
                    size += len(more)
                self.encoding = detect_encoding(raw + b"\n" + b"".join(lookahead))
                decode = _decoder(self.encoding)
                self._check_declared_format()
            try:
                text = decode(raw)
            except UnicodeDecodeError as error:
                name = _ENCODING_NAMES.get(self.encoding, self.encoding)
                raise _fail(
                    number,
                    f"raden kan inte läsas som {name} (byte 0x{raw[error.start]:02X} i position "
                    f"{error.start + 1}), fast filen i övrigt är kodad som {name}",
                ) from None
            yield number, text
        if self.encoding is None:
            self.encoding = ASCII

    # -- Records -----------------------------------------------------------------------------

    def _read(self) -> Iterator[Record]:
        try:
            yield from self._parse()
        finally:
            if self._owns_stream:
                self._stream.close()

    def _send_header(self, years: list[Year]) -> Iterator[Record]:
        self._header_sent = True
        if self.header.sietyp is None:
            self._warn_once("sietyp", "Filen saknar #SIETYP; den lästes som SIE typ 4.", None)
        yield self.header
        yield from years
        years.clear()

    def _parse(self) -> Iterator[Record]:
        handlers = self._handlers()
        years: list[Year] = []  # #RAR lines read before the Header is sent
        voucher: _OpenVoucher | None = None  # open: between "{" and "}"
        awaiting: _OpenVoucher | None = None  # read its #VER, waiting for "{"
        known = False
        number = 0
        for number, text in self._lines():
            stripped = text.strip(" \t")
            if not stripped or stripped == "\x1a":
                continue
            if awaiting is not None:
                if stripped != "{":
                    raise _fail(
                        number,
                        f'{awaiting.name} på rad {awaiting.line} ska följas av en rad med "{{", '
                        f"men raden är: {_excerpt(stripped)}",
                    )
                voucher, awaiting = awaiting, None
                continue
            head = stripped[0]
            if head == "#":
                fields = _fields(text, number)
                label = fields[0].upper()
                if label == "#KSUMMA":
                    self._read_checksum(fields, number)
                    continue
                if self._checksum is not None:
                    self._checksum.add(fields)
                if label == "#TRANS":
                    if voucher is None:
                        raise _fail(number, "#TRANS står utanför en verifikation (#VER)")
                    row = _transaction(fields, number)
                    voucher.rows.append(row)
                    voucher.total += row.amount
                    continue
                handler = handlers.get(label)
                if label in ("#RTRANS", "#BTRANS"):
                    if voucher is None:
                        raise _fail(number, f"{label} står utanför en verifikation (#VER)")
                    continue  # see the module's docstring
                if voucher is not None:
                    if handler is None:
                        continue  # an unknown label: ignored
                    raise SieError(
                        f'{voucher.name} på rad {voucher.line} saknar avslutande "}}": rad '
                        f"{number} har {label} innan verifikationen är slut",
                        voucher.line,
                    )
                if handler is None:
                    continue  # an unknown label: ignored, as the specification says
                known = True
                if label in _HEADER_LABELS:
                    try:
                        record = handler(fields, number)
                    except SieError as error:
                        if label not in self._lenient:
                            raise
                        self._skip(label, error, number)
                        continue
                    if record is None:
                        continue
                    if not self._header_sent:
                        years.append(record)
                        if len(years) > 1000:  # no real file has that many years
                            yield from self._send_header(years)
                        continue
                    yield record
                    continue
                if not self._header_sent:
                    yield from self._send_header(years)
                if label == "#VER":
                    self._check_type(label, number, 4)
                    awaiting = _OpenVoucher(fields, number)
                    continue
                try:
                    record = handler(fields, number)
                except SieError as error:
                    if label not in self._lenient:
                        raise
                    self._skip(label, error, number)
                    continue
                yield record
            elif stripped == "}":
                if voucher is None:
                    raise _fail(number, '"}" utan en öppen verifikation (#VER följd av "{")')
                yield voucher.close()
                voucher = None
            elif stripped == "{":
                raise _fail(number, '"{" utan en föregående #VER')
            else:
                raise _fail(
                    number,
                    f'raden börjar inte med en etikett som "#TRANS": {_excerpt(stripped)}',
                )
        open_voucher = voucher or awaiting
        if open_voucher is not None:
            raise SieError(
                f'{open_voucher.name} på rad {open_voucher.line} saknar avslutande "}}": filen '
                f"tar slut på rad {number}",
                open_voucher.line,
            )
        if self._checksum is not None:
            raise SieError(
                f"Filen är avkortad: den börjar med #KSUMMA på rad {self._checksum.line} men "
                f"slutar på rad {number} utan den avslutande #KSUMMA-raden med kontrollsumman. "
                "Exportera filen på nytt från redovisningsprogrammet.",
                number,
            )
        self._report_skipped()
        if not known:
            raise SieError(
                "Filen innehåller inga SIE-poster (rader som #FLAGGA, #KONTO eller #VER); "
                "är det en SIE-fil?",
                None,
            )
        if not self._header_sent:
            yield from self._send_header(years)

    def _read_checksum(self, fields: list, line: int) -> None:
        """#KSUMMA without a value opens the checksummed part; with one it closes it."""
        if len(fields) == 1:
            if self._checksum is None and not self.checksum_verified:
                self._checksum = _Checksum(line, self.encoding or UTF8)
            return
        if self._checksum is None:
            raise _fail(line, "#KSUMMA med kontrollsumma utan ett inledande #KSUMMA")
        stated = _integer(fields[1], line, "#KSUMMA", "kontrollsumma")
        checksum, self._checksum = self._checksum, None
        if not checksum.matches(stated, self.encoding or UTF8):
            raise _fail(
                line,
                f"kontrollsumman i #KSUMMA är {stated} men filens innehåll ger "
                f"{checksum.values(self.encoding or UTF8)[0]}; filen har ändrats eller skadats "
                "efter exporten. Exportera den på nytt från redovisningsprogrammet",
            )
        self.checksum_verified = True

    def _handlers(self) -> dict[str, Callable[[list, int], Record | None]]:
        return {
            "#FLAGGA": self._flagga,
            "#PROGRAM": self._program,
            "#FORMAT": self._format,
            "#GEN": self._gen,
            "#SIETYP": self._sietyp,
            "#FNR": self._simple_header("company_id", "företags-id"),
            "#ORGNR": self._simple_header("orgnr", "organisationsnummer"),
            "#FNAMN": self._simple_header("company_name", "företagsnamn"),
            "#KPTYP": self._simple_header("chart_of_accounts", "kontoplanstyp"),
            "#VALUTA": self._simple_header("currency", "valutakod"),
            "#OMFATTN": self._omfattn,
            "#RAR": _year,
            "#KONTO": _account,
            "#KTYP": _account_type,
            "#DIM": _dimension,
            "#UNDERDIM": _dimension,
            "#OBJEKT": _object,
            "#IB": _balance,
            "#UB": _balance,
            "#RES": _balance,
            "#OIB": self._object_balance,
            "#OUB": self._object_balance,
            "#PSALDO": self._period_balance,
            "#PBUDGET": self._period_balance,
            "#VER": _OpenVoucher,
        }

    # -- Identification ----------------------------------------------------------------------

    def _set_header(self, label: str, line: int, **values) -> None:
        if self._header_sent:
            self._warn_once(
                f"late {label}",
                f"Rad {line}: {label} står efter filens konton, saldon eller verifikationer; "
                "identifikationsposterna ska stå först i filen.",
                line,
            )
        self.header = replace(self.header, **values)

    def _flagga(self, fields: list, line: int) -> None:
        _require(fields, 1, line, "#FLAGGA", "flagga")
        if fields[1] not in ("0", "1"):
            raise _fail(
                line, f'ogiltig flagga "{_excerpt(fields[1])}" i #FLAGGA (ska vara 0 eller 1)'
            )
        self._set_header("#FLAGGA", line, flag=int(fields[1]))

    def _program(self, fields: list, line: int) -> None:
        _require(fields, 1, line, "#PROGRAM", "programnamn version")
        self._set_header(
            "#PROGRAM",
            line,
            program=_text(fields, 1, line, "#PROGRAM", "programnamn"),
            program_version=_text(fields, 2, line, "#PROGRAM", "version"),
        )

    def _format(self, fields: list, line: int) -> None:
        _require(fields, 1, line, "#FORMAT", "PC8")
        value = _text(fields, 1, line, "#FORMAT", "format").upper()
        if value != "PC8":
            raise _fail(
                line,
                f'okänt #FORMAT "{_excerpt(fields[1])}"; SIE 4 känner bara till #FORMAT PC8',
            )
        self._format_line = line
        self._set_header("#FORMAT", line, format=value)
        self._check_declared_format()

    def _gen(self, fields: list, line: int) -> None:
        _require(fields, 1, line, "#GEN", "datum")
        self._set_header(
            "#GEN",
            line,
            generated=_date(fields[1], line, "#GEN"),
            generated_by=_text(fields, 2, line, "#GEN", "signatur"),
        )

    def _sietyp(self, fields: list, line: int) -> None:
        _require(fields, 1, line, "#SIETYP", "typnr")
        value = fields[1]
        if value not in ("1", "2", "3", "4"):
            raise _fail(
                line,
                f'#SIETYP "{_excerpt(value)}" stöds inte; filen ska vara SIE typ 1, 2, 3 eller 4',
            )
        self._set_header("#SIETYP", line, sietyp=int(value))

    def _omfattn(self, fields: list, line: int) -> None:
        _require(fields, 1, line, "#OMFATTN", "datum")
        self._set_header("#OMFATTN", line, balances_until=_date(fields[1], line, "#OMFATTN"))

    def _simple_header(self, attribute: str, what: str) -> Callable[[list, int], None]:
        def read(fields: list, line: int) -> None:
            label = fields[0].upper()
            _require(fields, 1, line, label, what)
            self._set_header(label, line, **{attribute: _text(fields, 1, line, label, what)})

        return read

    # -- Balances that depend on the declared type -------------------------------------------

    def _object_balance(self, fields: list, line: int) -> ObjectBalance:
        label = fields[0].upper()
        self._check_type(label, line, 3)
        _require(fields, 4, line, label, "årsnr konto {objektlista} saldo")
        return ObjectBalance(
            label[1:],
            _integer(fields[1], line, label, "årsnummer"),
            _required_text(fields, 2, line, label, "kontonummer"),
            _objects(fields[3], line, label),
            _amount(fields[4], line, label, "saldo"),
            _optional_amount(fields, 5, line, label, "kvantitet"),
            line,
        )

    def _period_balance(self, fields: list, line: int) -> PeriodBalance:
        label = fields[0].upper()
        self._check_type(label, line, 2)
        _require(fields, 5, line, label, "årsnr period konto {objektlista} saldo")
        objects = _objects(fields[4], line, label)
        if objects:
            self._check_type(label, line, 3, f"{label} per objekt")
        return PeriodBalance(
            label[1:],
            _integer(fields[1], line, label, "årsnummer"),
            _period(fields[2], line, label),
            _required_text(fields, 3, line, label, "kontonummer"),
            objects,
            _amount(fields[5], line, label, "saldo"),
            _optional_amount(fields, 6, line, label, "kvantitet"),
            line,
        )


# --- Records that need no state -------------------------------------------------------------


def _year(fields: list, line: int) -> Year:
    _require(fields, 3, line, "#RAR", "årsnr start slut")
    start = _date(fields[2], line, "#RAR", "startdatum")
    end = _date(fields[3], line, "#RAR", "slutdatum")
    if end < start:
        raise _fail(line, "räkenskapsåret i #RAR slutar innan det börjar")
    return Year(_integer(fields[1], line, "#RAR", "årsnummer"), start, end, line)


def _account(fields: list, line: int) -> Account:
    _require(fields, 2, line, "#KONTO", "kontonr kontonamn")
    return Account(
        _required_text(fields, 1, line, "#KONTO", "kontonummer"),
        _text(fields, 2, line, "#KONTO", "kontonamn"),
        line,
    )


def _account_type(fields: list, line: int) -> AccountType:
    _require(fields, 2, line, "#KTYP", "kontonr kontotyp")
    kind = _text(fields, 2, line, "#KTYP", "kontotyp").upper()
    if kind not in _KTYP:
        raise _fail(
            line, f'okänd kontotyp "{_excerpt(fields[2])}" i #KTYP (ska vara T, S, K eller I)'
        )
    return AccountType(_required_text(fields, 1, line, "#KTYP", "kontonummer"), kind, line)


def _dimension(fields: list, line: int) -> Dimension:
    label = fields[0].upper()
    if label == "#UNDERDIM":
        _require(fields, 3, line, label, "dimensionsnr namn överdimension")
        parent = _integer(fields[3], line, label, "överdimension")
    else:
        _require(fields, 2, line, label, "dimensionsnr namn")
        parent = None
    return Dimension(
        _integer(fields[1], line, label, "dimensionsnummer"),
        _text(fields, 2, line, label, "namn"),
        parent,
        line,
    )


def _object(fields: list, line: int) -> Object:
    _require(fields, 3, line, "#OBJEKT", "dimensionsnr objektnr objektnamn")
    return Object(
        _integer(fields[1], line, "#OBJEKT", "dimensionsnummer"),
        _required_text(fields, 2, line, "#OBJEKT", "objektnummer"),
        _text(fields, 3, line, "#OBJEKT", "objektnamn"),
        line,
    )


def _balance(fields: list, line: int) -> Balance:
    label = fields[0].upper()
    _require(fields, 3, line, label, "årsnr konto saldo")
    return Balance(
        label[1:],
        _integer(fields[1], line, label, "årsnummer"),
        _required_text(fields, 2, line, label, "kontonummer"),
        _amount(fields[3], line, label, "saldo"),
        _optional_amount(fields, 4, line, label, "kvantitet"),
        line,
    )


def _transaction(fields: list, line: int) -> Transaction:
    if len(fields) < 4:
        _require(fields, 3, line, "#TRANS", "kontonr {objektlista} belopp")
    account = fields[1]
    if type(account) is str:
        account = account.strip()
    if not account or type(account) is not str:
        account = _required_text(fields, 1, line, "#TRANS", "kontonummer")
    count = len(fields)
    return Transaction(
        account,
        _objects(fields[2], line, "#TRANS"),
        _amount(fields[3], line, "#TRANS"),
        _optional_date(fields, 4, line, "#TRANS", "transaktionsdatum") if count > 4 else None,
        _text(fields, 5, line, "#TRANS", "transaktionstext") if count > 5 else "",
        _optional_amount(fields, 6, line, "#TRANS", "kvantitet") if count > 6 else None,
        _text(fields, 7, line, "#TRANS", "signatur") if count > 7 else "",
        line,
    )


def parse(source: str | os.PathLike | IO[bytes], encoding: str | None = None,
          lenient: frozenset[str] | set[str] = frozenset()) -> SieReader:
    """Read an SIE 4 file record by record; see the module's docstring.

    `source` is a path or a binary file object (anything with `readline(size)` returning bytes,
    e.g. an open file, io.BytesIO or a Django UploadedFile). The file is read as it is iterated,
    never whole. `encoding` overrides the detection (any Python codec name). `lenient` names
    the labels whose malformed records are skipped with a warning rather than refused.
    """
    return SieReader(source, encoding, lenient)
