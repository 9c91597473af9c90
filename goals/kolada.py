"""Import of key figure values from a file in Kolada API v3's format.

The file is what `GET https://api.kolada.se/v3/data/kpi/<ids>/municipality/<code>` returns:

    {"values": [{"kpi": "N15436", "municipality": "1443", "period": 2024,
                 "values": [{"gender": "T", "status": "", "value": 71.3}, ...]}],
     "count": 1, "next_url": null}

Each row's total (gender "T") becomes the value of the key figure with that Kolada id for the
organisation unit the user says the municipality code stands for. A null value is stored as
null (Kolada has no value that year). A re-import of a period replaces its value. A row Kolada
marks `"isdeleted": true` (Kolada withdrew the value) removes the stored value of that year, if
it came from Kolada; a value entered by hand stays.

The whole file is checked before anything is saved: a malformed file is refused with a message
naming the row and what is wrong, and nothing is saved. Rows for KPIs that no key figure uses,
for key figures the user may not change, or for other municipalities are skipped and reported.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import QuerySet

from styrmodell.errors import DomainError
from styrmodell.models import OrganisationUnit

from .keyfigures import FIRST_YEAR, KOLADA_SOURCE, VALUE_LIMIT
from .models import Nyckeltal, NyckeltalVarde

MAX_FILE_BYTES = 5 * 1024 * 1024
TOTAL = "T"
STORED_PLACES = Decimal("0.0001")  # NyckeltalVarde.value has four decimals
LAST_YEAR = 2100


@dataclass(frozen=True)
class KoladaRow:
    position: int  # 1-based place in the file's "values" list
    kpi: str
    municipality: str
    period: int
    value: Decimal | None
    has_total: bool
    deleted: bool = False  # Kolada withdrew this value ("isdeleted": true)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unknown_kpis: Counter = field(default_factory=Counter)
    not_allowed: Counter = field(default_factory=Counter)
    without_total: int = 0
    other_municipalities: Counter = field(default_factory=Counter)
    partial_file: bool = False

    @property
    def saved(self) -> int:
        return self.created + self.updated

    def messages(self) -> list[str]:
        """What was skipped and why, in Swedish, for the page after the import."""
        notes = []
        if self.deleted:
            notes.append(f"{self.deleted} värden som Kolada har dragit tillbaka (isdeleted) är "
                         f"borttagna.")
        if self.unknown_kpis:
            kpis = ", ".join(sorted(self.unknown_kpis))
            notes.append(f"{sum(self.unknown_kpis.values())} värden hoppades över eftersom inget "
                         f"nyckeltal har Kolada-id {kpis}. Lägg upp nyckeltalet med det "
                         f"Kolada-id:t och importera igen om värdena behövs.")
        if self.not_allowed:
            kpis = ", ".join(sorted(self.not_allowed))
            notes.append(f"{sum(self.not_allowed.values())} värden för {kpis} hoppades över: "
                         f"du får inte ändra de nyckeltalen.")
        if self.without_total:
            notes.append(f"{self.without_total} rader saknade ett värde för totalt (T) och "
                         f"hoppades över.")
        if self.other_municipalities:
            codes = ", ".join(sorted(self.other_municipalities))
            notes.append(f"{sum(self.other_municipalities.values())} rader gällde en annan "
                         f"kommun (kod {codes}) och hoppades över.")
        if self.partial_file:
            notes.append("Filen är en sida av ett större svar från Kolada (next_url är satt): "
                         "bara värdena i den här filen är inlästa.")
        return notes


class _RefusedNumber(ValueError):
    """A number in the file that no key figure value can be; its message is Swedish."""


# Longer numbers than this are refused while the file is read: Python would turn a digit
# string of thousands into an integer only slowly (or refuse it in English), and an exponent
# like 1e999999999 cannot be compared or rounded at all.
MAX_NUMBER_CHARACTERS = 40
MAX_EXPONENT = 30


def _refuse_constant(name: str):
    raise _RefusedNumber(f"Filen har {name}, som inte är ett tillåtet tal. Värden är tal eller "
                         "null.")


def _too_long(text: str) -> _RefusedNumber:
    shown = text if len(text) <= 20 else text[:19] + "…"
    return _RefusedNumber(f"Filen har talet {shown}, som är för stort eller har för många "
                          "siffror för ett nyckeltalsvärde (högst 999 999 999 999 med fyra "
                          "decimaler).")


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARACTERS:
        raise _too_long(text)
    return int(text)


def _decimal(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARACTERS:
        raise _too_long(text)
    number = Decimal(text)
    if abs(number.adjusted()) > MAX_EXPONENT:
        if number.adjusted() < 0:
            return Decimal(0)  # far below what is stored: it rounds to zero
        raise _too_long(text)
    return number


JSON_MESSAGES = {
    "Expecting value": "ett värde väntades",
    "Expecting property name enclosed in double quotes": "ett namn inom citattecken väntades",
    "Expecting ':' delimiter": "ett kolon väntades",
    "Expecting ',' delimiter": "ett kommatecken väntades",
    "Unterminated string starting at": "en text slutar inte",
    "Invalid control character at": "ett otillåtet styrtecken",
    "Invalid \\escape": "en ogiltig \\-kod",
    "Invalid \\uXXXX escape": "en ogiltig \\u-kod",
    "Extra data": "mer text efter JSON-objektet",
}


def _json_message(message: str) -> str:
    """The json module's English reason, in Swedish where we know it."""
    return JSON_MESSAGES.get(message, "filen är inte korrekt JSON")


def _where(position: int) -> str:
    return f"Rad {position} i values"


def _text(row: dict, key: str, position: int) -> str:
    if key not in row:
        raise DomainError(f"{_where(position)} saknar '{key}'.")
    value = row[key]
    if not isinstance(value, str) or not value.strip():
        raise DomainError(f"{_where(position)}: '{key}' ska vara en text, inte {_kind(value)}.")
    return value.strip()


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | Decimal):
        return f"talet {value}"
    if isinstance(value, str):
        return f"texten ”{value}”" if value.strip() else "en tom text"
    if isinstance(value, list):
        return "en lista"
    return "ett objekt"


def _is_deleted(row: dict, position: int) -> bool:
    """Kolada marks a withdrawn value with "isdeleted": true, on the row or on its entries."""
    flags = [row.get("isdeleted")]
    entries = row.get("values")
    if isinstance(entries, list):
        flags += [entry.get("isdeleted") for entry in entries
                  if isinstance(entry, dict) and entry.get("gender") == TOTAL]
    for flag in flags:
        if flag is not None and not isinstance(flag, bool):
            raise DomainError(f"{_where(position)}: 'isdeleted' ska vara true eller false, inte "
                              f"{_kind(flag)}.")
    return any(flags)


def _period(row: dict, position: int) -> int:
    if "period" not in row:
        raise DomainError(f"{_where(position)} saknar 'period'.")
    period = row["period"]
    if isinstance(period, bool) or not isinstance(period, int):
        raise DomainError(f"{_where(position)}: 'period' ska vara ett årtal (heltal), "
                          f"inte {_kind(period)}.")
    if not FIRST_YEAR <= period <= LAST_YEAR:
        raise DomainError(f"{_where(position)}: 'period' {period} är inget rimligt årtal.")
    return period


def _total(row: dict, position: int) -> tuple[bool, Decimal | None]:
    if "values" not in row:
        raise DomainError(f"{_where(position)} saknar 'values'.")
    entries = row["values"]
    if not isinstance(entries, list):
        raise DomainError(f"{_where(position)}: 'values' ska vara en lista, inte "
                          f"{_kind(entries)}.")
    found, total = False, None
    for number, entry in enumerate(entries, start=1):
        where = f"{_where(position)}, värde {number}"
        if not isinstance(entry, dict):
            raise DomainError(f"{where} ska vara ett objekt, inte {_kind(entry)}.")
        if "gender" not in entry:
            raise DomainError(f"{where} saknar 'gender'.")
        if "value" not in entry:
            raise DomainError(f"{where} saknar 'value'.")
        value = entry["value"]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | Decimal)):
            raise DomainError(f"{where}: 'value' ska vara ett tal eller null, inte "
                              f"{_kind(value)}.")
        if entry["gender"] != TOTAL:
            continue
        found = True
        total = None if value is None else Decimal(value)
        if total is not None:
            if abs(total) >= VALUE_LIMIT:
                raise DomainError(f"{where}: värdet är för stort (högst 999 999 999 999).")
            # Kolada may give more decimals than are stored: rounded, not refused.
            total = total.quantize(STORED_PLACES, rounding=ROUND_HALF_UP)
    return found, total


def parse(raw: bytes) -> tuple[list[KoladaRow], bool]:
    """The file's rows, checked whole; DomainError names the first thing that is wrong.

    Returns the rows and whether the file is one page of a longer answer (next_url set).
    """
    if len(raw) > MAX_FILE_BYTES:
        raise DomainError("Filen är för stor (högst 5 MB). Hämta färre nyckeltal åt gången.")
    rows, next_url = parse_page(raw)
    return rows, bool(next_url)


def parse_page(raw: bytes, *, noun: str = "Filen") -> tuple[list[KoladaRow], str | None]:
    """One page of Kolada's answer, checked whole: its rows and its `next_url` (or None).

    `noun` names what is read in the messages: the uploaded file, or Kolada's answer.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if noun == "Filen":
            message = ("Filen är inte en textfil i UTF-8. Spara svaret från Kolada som JSON och "
                       "försök igen.")
        else:
            message = f"{noun} är inte text i UTF-8."
        raise DomainError(message) from error
    try:
        document = json.loads(text, parse_float=_decimal, parse_int=_integer,
                              parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise DomainError(f"{noun} är inte giltig JSON (rad {error.lineno}, kolumn "
                          f"{error.colno}): {_json_message(error.msg)}.") from error
    except _RefusedNumber as error:
        raise DomainError(str(error).replace("Filen", noun, 1)) from error
    except RecursionError as error:
        raise DomainError(f"{noun} är inte ett svar från Kolada: den har listor och objekt i "
                          "varandra i fler nivåer än som går att läsa.") from error
    except ValueError as error:
        raise DomainError(f"{noun} är inte giltig JSON.") from error
    if not isinstance(document, dict):
        raise DomainError(f"{noun} ska vara ett JSON-objekt med listan 'values', som Kolada "
                          "API v3 svarar.")
    if "values" not in document:
        raise DomainError(f"{noun} saknar 'values'. Är det ett svar från Kolada API v3?")
    # v3 links the next page as next_url; v2 named it next_page.
    next_url = document.get("next_url") or document.get("next_page")
    if next_url is not None and not isinstance(next_url, str):
        raise DomainError(f"'next_url' ska vara en adress eller null, inte {_kind(next_url)}.")
    rows = document["values"]
    if not isinstance(rows, list):
        raise DomainError(f"'values' ska vara en lista, inte {_kind(rows)}.")
    parsed = []
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise DomainError(f"{_where(position)} ska vara ett objekt, inte {_kind(row)}.")
        kpi = _text(row, "kpi", position).upper()
        municipality = _text(row, "municipality", position)
        period = _period(row, position)
        if _is_deleted(row, position):
            # A withdrawn value: what it was no longer matters, only which one it is.
            parsed.append(KoladaRow(position, kpi, municipality, period, None, False, True))
            continue
        has_total, value = _total(row, position)
        parsed.append(KoladaRow(position, kpi, municipality, period, value, has_total))
    return parsed, next_url or None


@transaction.atomic
def import_values(*, raw: bytes, municipality_code: str, unit: OrganisationUnit,
                  allowed: QuerySet[Nyckeltal]) -> ImportResult:
    """Save the file's values for `unit`; only key figures in `allowed` are written.

    The file is parsed whole first; a malformed file raises DomainError and saves nothing.
    """
    code = (municipality_code or "").strip()
    if not code:
        raise DomainError("Ange kommunkoden i Kolada.", field="municipality_code")
    rows, partial = parse(raw)
    if not rows:
        raise DomainError("Filen har inga värden ('values' är tom).")
    ours = [row for row in rows if row.municipality == code]
    result = ImportResult(partial_file=partial)
    result.other_municipalities.update(row.municipality for row in rows
                                       if row.municipality != code)
    if not ours:
        found = ", ".join(sorted(result.other_municipalities))
        raise DomainError(f"Ingen rad i filen gäller kommunkod {code}. Filen har kommunkod "
                          f"{found}.", field="municipality_code")

    kpis = {row.kpi for row in ours}
    figures = {figure.kolada_kpi: figure
               for figure in Nyckeltal.objects.filter(kolada_kpi__in=kpis)}
    allowed_ids = set(allowed.filter(kolada_kpi__in=kpis).values_list("pk", flat=True))
    existing = set(
        NyckeltalVarde.objects.filter(nyckeltal__in=figures.values(), unit=unit)
        .values_list("nyckeltal_id", "period")
    )
    for row in ours:
        figure = figures.get(row.kpi)
        if figure is None:
            result.unknown_kpis[row.kpi] += 1
            continue
        if figure.pk not in allowed_ids:
            result.not_allowed[row.kpi] += 1
            continue
        if row.deleted:
            withdrawn = NyckeltalVarde.objects.filter(nyckeltal=figure, unit=unit,
                                                      period=row.period, source=KOLADA_SOURCE)
            if withdrawn.delete()[0]:
                result.deleted += 1
                existing.discard((figure.pk, row.period))
            continue
        if not row.has_total:
            result.without_total += 1
            continue
        NyckeltalVarde.objects.update_or_create(
            nyckeltal=figure, unit=unit, period=row.period,
            defaults={"value": row.value, "source": KOLADA_SOURCE},
        )
        key = (figure.pk, row.period)
        if key in existing:
            result.updated += 1
        else:
            result.created += 1
            existing.add(key)
    return result
