"""Dates on the pages are written one way: no ISO dates, no capitalised months, and a page's
title names its year once (issue 15, item 5)."""

import html
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from budget.ledger import outcomes
from budget.models import Ansokan
from deviations.models import Avvikelse
from reporting.models import Rapportavsnitt, Rapportperiod
from styrmodell.models import User

DEMO_SIE = Path(__file__).resolve().parents[2] / "demo" / "sie" / "ekbacka-2026-11.se"
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
SWEDISH_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
CAPITALISED = "|".join(month.capitalize() for month in SWEDISH_MONTHS)
CAPITALISED_DATE = re.compile(rf"\b\d{{1,2}}\s+(?:{CAPITALISED})\b")
YEAR = re.compile(r"\b20\d\d\b")


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, no tags and so no attribute values (<time datetime>)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def title_of(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def pages(municipality) -> list[str]:
    """The start page, the deviation register and a case, the reports and a section, the
    budget year, the outcome imports with one import, and an application with its history."""
    outcomes.import_sie(
        file=io.BytesIO(DEMO_SIE.read_bytes()),
        file_name="nov.se",
        user=User.objects.get(username="ekonom"),
    )
    period = Rapportperiod.objects.get(budget_year__year=2026, code="aug")
    return [
        reverse("start"),
        reverse("deviations:register"),
        Avvikelse.objects.order_by("pk").first().get_absolute_url(),
        reverse("reporting:periods"),
        period.get_absolute_url(),
        Rapportavsnitt.objects.filter(period=period).order_by("pk").first().get_absolute_url(),
        reverse("budget_year_detail", args=[2026]),
        reverse("budget:outcome_imports"),
        Ansokan.objects.order_by("pk").first().get_absolute_url(),
    ]


@pytest.fixture
def seen(client, login, municipality):
    """Each page as the controller sees it: its title and its visible text."""
    login("ekonom")
    shown = {}
    for path in pages(municipality):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        page = response.content.decode()
        shown[path] = (title_of(page), visible_text(page))
    return shown


def test_no_page_shows_an_iso_date(seen):
    iso = {path: ISO_DATE.findall(text) for path, (_title, text) in seen.items()}
    assert {path: dates for path, dates in iso.items() if dates} == {}


def test_no_page_writes_a_month_with_a_capital_letter(seen):
    capitalised = {path: CAPITALISED_DATE.findall(text) for path, (_title, text) in seen.items()}
    assert {path: found for path, found in capitalised.items() if found} == {}


def test_the_pages_do_show_dates_in_the_swedish_forms(seen):
    text = " ".join(text for _title, text in seen.values())
    months = "|".join(SWEDISH_MONTHS)
    assert re.search(rf"\b\d{{1,2}} (?:{months}) 20\d\d\b", text)
    assert re.search(r"\b\d{1,2} (?:jan|feb|apr|aug|sep|okt|nov|dec)\. 20\d\d\b", text)


def test_no_title_names_the_same_year_twice(seen):
    twice = {
        path: title
        for path, (title, _text) in seen.items()
        if len(YEAR.findall(title)) != len(set(YEAR.findall(title)))
    }
    assert twice == {}
