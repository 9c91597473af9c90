"""Numbers, amounts, percentages and dates written the Swedish way for pages, PDFs and mail."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
# As in SHORT_DATE_FORMAT ("j N Y") with locale/sv: the usual Swedish abbreviations.
MONTHS_SHORT = ("jan.", "feb.", "mars", "apr.", "maj", "juni", "juli", "aug.", "sep.", "okt.",
                "nov.", "dec.")
THOUSAND = Decimal(1000)
MILLION = Decimal(1000000)


def _rounded(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _digits(value: Decimal, places: int | None, max_places: int | None) -> str:
    """The unsigned digits of `value`: fixed `places`, or at most `max_places` without
    trailing zeros, or every decimal it has without trailing zeros."""
    if places is not None:
        return f"{abs(_rounded(value, places)):f}"
    if max_places is not None:
        value = _rounded(value, max_places)
    return f"{abs(value).normalize():f}" if value else "0"


def _grouped(digits: str, separator: str) -> str:
    whole, _, fraction = digits.partition(".")
    grouped = f"{int(whole):,}".replace(",", separator)
    return grouped + ("," + fraction if fraction else "")


def number(value: Decimal | int | None, *, places: int | None = None,
           max_places: int | None = None, signed: bool = False,
           separator: str = NBSP) -> str:
    """A number the Swedish way: "1 234 567,5", "−3", with `signed` "+12"; None is "–".

    `places` fixes the decimals; `max_places` rounds to at most that many and drops trailing
    zeros; with neither, the value is shown exactly, without trailing zeros. Half rounds up.
    """
    if value is None or value == "":
        return MISSING
    value = Decimal(value)
    digits = _digits(value, places, max_places)
    shown = Decimal(digits)
    sign = MINUS if value < 0 and shown else "+" if signed and value > 0 and shown else ""
    return sign + _grouped(digits, separator)


def quantity(value: Decimal | int | None, unit: str = "") -> str:
    """A number with its unit after a non-breaking space: "71,3 %", "10 231 invånare"."""
    if value is None or value == "":
        return MISSING
    return f"{number(value)}{NBSP}{unit}" if unit else number(value)


def input_number(value: Decimal | int | None) -> str:
    """A stored number as a form field offers it again: plain spaces, so it is easy to edit."""
    return "" if value is None else number(value, separator=" ")


def kronor(amount: Decimal | int | None, *, places: int | None = 0,
           signed: bool = False) -> str:
    """An amount in kronor: "1 234 kr", rounded to whole kronor unless `places` says so."""
    if amount is None or amount == "":
        return MISSING
    return f"{number(amount, places=places, signed=signed)} kr"


def tkr(amount: Decimal | int | None, *, places: int | None = 0, max_places: int | None = None,
        signed: bool = False) -> str:
    """An amount in kronor shown in thousands: "1 234 tkr", never "−0 tkr".

    Whole tkr by default; `places` and `max_places` as for `number`, so a sum can be shown
    with the decimals it is made of: tkr(7096800, places=None, max_places=2) is "7 096,8 tkr".
    """
    if amount is None or amount == "":
        return MISSING
    thousands = Decimal(amount) / THOUSAND
    return f"{number(thousands, places=places, max_places=max_places, signed=signed)} tkr"


def mnkr(amount: Decimal | int | None, *, places: int = 1) -> str:
    """Kronor as millions with one decimal and no unit, for charts: "23,4"."""
    if amount is None or amount == "":
        return MISSING
    return number(Decimal(amount) / MILLION, places=places)


def percent(value: Decimal | int | None, *, places: int | None = 2, signed: bool = False) -> str:
    """A per cent with two decimals: "−1,60 %", with `signed` "+0,80 %"; with `places` None
    the value's own decimals, as an assumption is written: "2,6 %"."""
    if value is None or value == "":
        return MISSING
    return f"{number(value, places=places, signed=signed)}{NBSP}%"


def date_text(day: dt.date | None) -> str:
    """A date in running text: "2 december 2026"."""
    if day is None:
        return MISSING
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_short(day: dt.date | None) -> str:
    """A date in a table cell or a spreadsheet caption: "2 dec. 2026"."""
    if day is None:
        return MISSING
    return f"{day.day} {MONTHS_SHORT[day.month - 1]} {day.year}"


def moment_short(moment: dt.datetime | None) -> str:
    """A moment, already in Swedish time, as a table shows it: "2 dec. 2026 14:05"."""
    if moment is None:
        return MISSING
    return f"{date_short(moment.date())} {moment:%H:%M}"


def date_iso(day: dt.date | None) -> str:
    """A date where a machine reads it (file names, <time datetime>): "2026-12-02"."""
    if day is None:
        return MISSING
    return f"{day:%Y-%m-%d}"
