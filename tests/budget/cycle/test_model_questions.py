"""What the year's checklist asks of a step: whether it is done and which page it links to."""

import datetime as dt

import pytest

from budget.cycle.services import Step
from styrmodell.models import CalendarEvent


def _step(*, state="", code="b1-ovrigt"):
    return Step(CalendarEvent(code=code, date=dt.date(2026, 3, 1)), state, "")


@pytest.mark.parametrize("state", ["klar", "pagar", "ej", ""])
def test_b1_a_step_is_done_only_when_its_data_is_complete(state):
    assert _step(state=state).is_done is (state == "klar")


@pytest.mark.parametrize(
    ("code", "url_name", "label"),
    [
        ("b1-forutsattningar", "budget:assumptions", "Antaganden"),
        ("b1-budgetunderlag", "budget:underlag_list", "Budgetunderlag"),
        ("b1-budgetforslag", "budget:frames", "Ramar"),
        ("b1-kf-beslut", "budget:frames", "Ramar"),
    ],
)
def test_b1_a_step_links_to_the_page_of_its_data(code, url_name, label):
    link = _step(code=code).link
    assert (link.url_name, link.label) == (url_name, label)


@pytest.mark.parametrize(
    "code",
    ["b1-preliminara-ramar", "b1-uppdatering", "b1-definitivt-forslag", "b1-verksamhetsplan", ""],
)
def test_b1_a_step_without_a_page_of_its_own_links_nowhere(code):
    assert _step(code=code).link is None
