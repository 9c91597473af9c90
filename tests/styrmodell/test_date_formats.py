"""One date rule in both languages: "20 november 2026" in text, "20 nov. 2026" in tables."""

import datetime as dt

import pytest
from django.utils import translation
from django.utils.formats import date_format

from styrmodell import formatting

MONTHS_SHORT_SV = [
    "jan.",
    "feb.",
    "mars",
    "apr.",
    "maj",
    "juni",
    "juli",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]
MONTHS_SHORT_EN = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_a_table_writes_the_usual_swedish_month_abbreviation(month):
    day = dt.date(2026, month, 20)
    with translation.override("sv"):
        assert date_format(day, "SHORT_DATE_FORMAT") == f"20 {MONTHS_SHORT_SV[month - 1]} 2026"


@pytest.mark.parametrize("month", range(1, 13))
def test_python_writes_the_same_short_date_as_the_templates(month):
    day = dt.date(2026, month, 5)
    with translation.override("sv"):
        assert formatting.date_short(day) == date_format(day, "SHORT_DATE_FORMAT")
        assert formatting.date_text(day) == date_format(day, "DATE_FORMAT")


@pytest.mark.parametrize("month", range(1, 13))
def test_an_english_table_puts_the_day_first_too(month):
    day = dt.date(2026, month, 20)
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == f"20 {MONTHS_SHORT_EN[month - 1]} 2026"


def test_running_text_writes_the_month_in_full_and_lower_case():
    day = dt.date(2026, 5, 20)
    with translation.override("sv"):
        assert date_format(day, "DATE_FORMAT") == "20 maj 2026"
        assert date_format(dt.date(2026, 11, 2), "DATE_FORMAT") == "2 november 2026"
    with translation.override("en"):
        assert date_format(day, "DATE_FORMAT") == "20 May 2026"


def test_a_moment_is_written_with_the_time_after_the_date():
    moment = dt.datetime(2026, 11, 20, 14, 5)
    with translation.override("sv"):
        assert date_format(moment, "DATETIME_FORMAT") == "20 november 2026 14:05"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "20 nov. 2026 14:05"
    with translation.override("en"):
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "20 Nov. 2026 14:05"
    assert formatting.moment_short(moment) == "20 nov. 2026 14:05"
    assert formatting.date_short(None) == formatting.moment_short(None) == "–"


def test_a_bare_date_in_a_template_follows_the_long_form():
    from django.template import Context, Template

    with translation.override("sv"):
        html = Template("{{ day }} | {{ day|date }} | {{ day|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"day": dt.date(2026, 9, 1)})
        )
    assert html == "1 september 2026 | 1 september 2026 | 1 sep. 2026"
