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


# --- every function and every parameter -------------------------------------------------------


@pytest.mark.parametrize("value, places, text", [
    (Decimal("2.5"), 0, "3"),
    (Decimal("-2.5"), 0, f"{MINUS}3"),  # half up away from zero, as finance offices round
    (Decimal("3.5"), 0, "4"),  # not half even
    (Decimal("0.125"), 2, "0,13"),
    (Decimal("7"), 1, "7,0"),
    (Decimal("-0.4"), 0, "0"),  # never "−0"
    (1234567, 2, f"1{NBSP}234{NBSP}567,00"),
])
def test_number_with_fixed_places(value, places, text):
    assert formatting.number(value, places=places) == text


def test_number_with_at_most_some_places_drops_trailing_zeros():
    assert formatting.number(Decimal("12.345"), max_places=2) == "12,35"
    assert formatting.number(Decimal("12.3"), max_places=2) == "12,3"
    assert formatting.number(Decimal("12.004"), max_places=2) == "12"
    assert formatting.number(Decimal("-12.005"), max_places=2) == f"{MINUS}12,01"


def test_number_accepts_int_and_empty_text():
    assert formatting.number(-1250) == f"{MINUS}1{NBSP}250"
    assert formatting.number("") == "–"
    assert formatting.number(0) == "0"


def test_number_signed_is_judged_on_the_shown_value():
    assert formatting.number(Decimal("0.004"), places=2, signed=True) == "0,00"
    assert formatting.number(Decimal("0.005"), places=2, signed=True) == "+0,01"


def test_number_separator():
    assert formatting.number(Decimal("1234567.5"), separator=" ") == "1 234 567,5"
    assert formatting.number(Decimal("-1234"), separator="") == f"{MINUS}1234"


def test_input_number_is_easy_to_edit_again():
    assert formatting.input_number(Decimal("1250000.00")) == "1 250 000"
    assert formatting.input_number(Decimal("-7096.80")) == f"{MINUS}7 096,8"
    assert formatting.input_number(0) == "0"
    assert formatting.input_number(None) == ""


def test_quantity_puts_its_unit_after_a_non_breaking_space():
    assert formatting.quantity(Decimal("71.3000"), "%") == f"71,3{NBSP}%"
    assert formatting.quantity(10231, "invånare") == f"10{NBSP}231{NBSP}invånare"
    assert formatting.quantity(Decimal("-2.5")) == f"{MINUS}2,5"
    assert formatting.quantity(None, "%") == "–"


def test_kronor_rounds_half_up_to_whole_kronor():
    assert formatting.kronor(Decimal("0.50")) == "1 kr"
    assert formatting.kronor(Decimal("-0.50")) == f"{MINUS}1 kr"
    assert formatting.kronor(Decimal("-0.49")) == "0 kr"
    assert formatting.kronor(0) == "0 kr"
    assert formatting.kronor("") == "–"


def test_kronor_places_and_sign():
    assert formatting.kronor(Decimal("1234.5"), places=2) == f"1{NBSP}234,50 kr"
    assert formatting.kronor(Decimal("12.50"), places=None) == "12,5 kr"
    assert formatting.kronor(Decimal("158000"), places=None) == f"158{NBSP}000 kr"
    assert formatting.kronor(Decimal("1250"), signed=True) == f"+1{NBSP}250 kr"


def test_tkr_rounds_half_up():
    assert formatting.tkr(Decimal("1500")) == "2 tkr"
    assert formatting.tkr(Decimal("2500")) == "3 tkr"  # half even would give 2
    assert formatting.tkr(Decimal("-2500")) == f"{MINUS}3 tkr"
    assert formatting.tkr(Decimal("-499")) == "0 tkr"
    assert formatting.tkr(0) == "0 tkr"


def test_tkr_places_max_places_and_sign():
    assert formatting.tkr(Decimal("1234567"), places=1) == f"1{NBSP}234,6 tkr"
    assert formatting.tkr(Decimal("-7096800"), places=None, max_places=2) == (
        f"{MINUS}7{NBSP}096,8 tkr")
    assert formatting.tkr(Decimal("7096000"), places=None, max_places=2) == f"7{NBSP}096 tkr"
    assert formatting.tkr(Decimal("12000"), signed=True) == "+12 tkr"
    assert formatting.tkr(Decimal("400"), signed=True) == "0 tkr"
    assert formatting.tkr(Decimal("-12000"), signed=True) == f"{MINUS}12 tkr"


def test_mnkr():
    assert formatting.mnkr(Decimal("23450000")) == "23,5"
    assert formatting.mnkr(Decimal("-23450000")) == f"{MINUS}23,5"
    assert formatting.mnkr(Decimal("-40000")) == "0,0"
    assert formatting.mnkr(Decimal("1234500000"), places=0) == f"1{NBSP}235"
    assert formatting.mnkr(None) == "–"


def test_percent_rounds_half_up_and_never_shows_minus_zero():
    assert formatting.percent(Decimal("-1.245")) == f"{MINUS}1,25{NBSP}%"
    assert formatting.percent(Decimal("0.125")) == f"0,13{NBSP}%"
    assert formatting.percent(Decimal("-0.004")) == f"0,00{NBSP}%"
    assert formatting.percent(Decimal("-0.004"), signed=True) == f"0,00{NBSP}%"


def test_percent_places():
    assert formatting.percent(Decimal("2.6"), places=None) == f"2,6{NBSP}%"
    assert formatting.percent(Decimal("33.333"), places=1) == f"33,3{NBSP}%"
    assert formatting.percent(Decimal("50"), places=0, signed=True) == f"+50{NBSP}%"


@pytest.mark.parametrize("day, text, iso", [
    (dt.date(2027, 1, 1), "1 januari 2027", "2027-01-01"),
    (dt.date(2026, 5, 31), "31 maj 2026", "2026-05-31"),
    (dt.datetime(2026, 12, 2, 23, 30), "2 december 2026", "2026-12-02"),
])
def test_dates_every_month_name_and_a_moment(day, text, iso):
    assert formatting.date_text(day) == text
    assert formatting.date_iso(day) == iso


def test_every_month_has_its_swedish_name():
    names = [formatting.date_text(dt.date(2026, month, 1)).split()[1] for month in range(1, 13)]
    assert names == ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                     "september", "oktober", "november", "december"]
    assert formatting.date_iso(None) == "–"


# --- the template filters are wrappers around formatting ----------------------------------------


def test_layout_filters():
    from styrmodell.templatetags import styrmodell_tags as tags

    assert tags.tkr(Decimal("-2500")) == f"{MINUS}3 tkr"
    assert tags.tkr("") == tags.percent(None) == "–"
    assert tags.percent(Decimal("-1.6")) == f"{MINUS}1,60{NBSP}%"
    assert tags.date_text(dt.date(2026, 12, 2)) == "2 december 2026"
    assert tags.date_iso(dt.date(2026, 12, 2)) == "2026-12-02"
    assert tags.date_text(None) == "–"


def test_date_filters_show_a_moment_as_its_day_in_sweden():
    from styrmodell.templatetags import styrmodell_tags as tags

    late_evening_utc = dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.UTC)  # 00:30 in Stockholm
    assert tags.date_text(late_evening_utc) == "3 december 2026"
    assert tags.date_iso(late_evening_utc) == "2026-12-03"
    assert tags.date_text(dt.datetime(2026, 12, 2, 23, 30)) == "2 december 2026"


def test_budget_filters():
    from budget.templatetags import cycle_tags, volume_tags

    assert cycle_tags.pct(Decimal("2.60")) == f"2,6{NBSP}%"
    assert cycle_tags.pct(Decimal("-0.5")) == f"{MINUS}0,5{NBSP}%"
    assert cycle_tags.kr(Decimal("158000.00")) == f"158{NBSP}000 kr"
    assert cycle_tags.kr(Decimal("-12.50")) == f"{MINUS}12,5 kr"
    assert cycle_tags.pct("") == cycle_tags.kr(None) == "–"
    assert volume_tags.volume(Decimal("1190.00")) == f"1{NBSP}190"
    assert volume_tags.volume(Decimal("12.345")) == "12,35"
    assert volume_tags.signed_volume(Decimal("3")) == "+3"
    assert volume_tags.signed_volume(Decimal("-3")) == f"{MINUS}3"
    assert volume_tags.signed_tkr(Decimal("2500")) == "+3 tkr"
    assert volume_tags.signed_tkr(Decimal("-2500")) == f"{MINUS}3 tkr"
    assert volume_tags.signed_tkr(Decimal("499")) == "0 tkr"
    assert volume_tags.volume(None) == volume_tags.signed_tkr("") == "–"
