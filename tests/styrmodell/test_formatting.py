"""Numbers, amounts, percentages and dates in Swedish text."""

import datetime as dt
from decimal import Decimal

import pytest

from styrmodell import formatting

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize("value, text", [
    (Decimal(0), "0"),
    (Decimal("0.00"), "0"),
    (Decimal("-3"), f"{MINUS}3"),
    (Decimal("1234567.5"), f"1{NBSP}234{NBSP}567,5"),
    (Decimal("71.3000"), "71,3"),
    (None, "–"),
    (10**15, f"1{NBSP}000{NBSP}000{NBSP}000{NBSP}000{NBSP}000"),
])
def test_number(value, text):
    assert formatting.number(value) == text


def test_number_rounds_half_up_and_never_shows_minus_zero():
    assert formatting.number(Decimal("2.345"), places=2) == "2,35"
    assert formatting.number(Decimal("-0.004"), places=2) == "0,00"
    assert formatting.number(Decimal("12.50"), max_places=2) == "12,5"


def test_signed_number():
    assert formatting.number(Decimal(12), signed=True) == "+12"
    assert formatting.number(Decimal("-3.5"), signed=True) == f"{MINUS}3,5"
    assert formatting.number(Decimal(0), signed=True) == "0"


def test_amounts():
    assert formatting.kronor(Decimal("158000.49")) == f"158{NBSP}000 kr"
    assert formatting.kronor(Decimal("-1250")) == f"{MINUS}1{NBSP}250 kr"
    assert formatting.tkr(Decimal("-1234567")) == f"{MINUS}1{NBSP}235 tkr"
    assert formatting.tkr(Decimal("-400")) == "0 tkr"
    assert formatting.mnkr(Decimal("23450000")) == "23,5"
    assert formatting.kronor(None) == formatting.tkr(None) == "–"


def test_percent_with_and_without_sign():
    assert formatting.percent(Decimal("-1.6")) == f"{MINUS}1,60{NBSP}%"
    assert formatting.percent(Decimal("0.8"), signed=True) == f"+0,80{NBSP}%"
    assert formatting.percent(Decimal(0), signed=True) == f"0,00{NBSP}%"
    assert formatting.percent(None) == "–"


def test_dates():
    day = dt.date(2026, 12, 2)
    assert formatting.date_text(day) == "2 december 2026"
    assert formatting.date_iso(day) == "2026-12-02"
    assert formatting.date_text(None) == "–"
