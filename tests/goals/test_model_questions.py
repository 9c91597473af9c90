"""What goal templates ask of a decision, an assessment level and a key figure row."""

import pytest
from django.template.loader import render_to_string

from goals.keyfigures import MANUAL_SOURCE, KeyFigureRow
from goals.models import (
    DecisionStatus,
    FinansielltMal,
    Level,
    Namndmal,
    Nyckeltal,
    OvergripandeMal,
    Uppdrag,
    Vision,
)
from goals.templatetags.goal_tags import as_level

DECISIONS = [Vision, OvergripandeMal, FinansielltMal, Namndmal, Uppdrag]


@pytest.mark.parametrize("model", DECISIONS)
@pytest.mark.parametrize("status", DecisionStatus.values)
def test_p1_a_decision_answers_where_its_body_has_got_with_it(model, status):
    decision = model(status=status)
    assert decision.is_draft is (status == DecisionStatus.DRAFT)
    assert decision.is_adopted is (status == DecisionStatus.ADOPTED)
    assert decision.is_replaced is (status == DecisionStatus.REPLACED)


@pytest.mark.parametrize("level", list(Level))
def test_a3_a_level_answers_whether_the_goal_is_met(level):
    assert level.is_met is (level == Level.YES)
    assert level.is_partly_met is (level == Level.PARTLY)
    assert level.is_not_met is (level == Level.NO)


@pytest.mark.parametrize("value", [*Level.values, *Level])
def test_a3_a_stored_level_reads_as_its_level(value):
    assert as_level(value) is Level(value)


@pytest.mark.parametrize("value", ["", None, "okänd"])
def test_a3_no_level_is_not_assessed(value):
    assert as_level(value) is None


@pytest.mark.parametrize(
    ("value", "html"),
    [
        ("ja", '<span class="level level--ja"><span aria-hidden="true">✔</span> Ja</span>'),
        (
            "delvis",
            '<span class="level level--delvis"><span aria-hidden="true">◐</span> Delvis</span>',
        ),
        ("nej", '<span class="level level--nej"><span aria-hidden="true">✖</span> Nej</span>'),
        ("", '<span class="muted">Ej bedömt</span>'),
        (None, '<span class="muted">Ej bedömt</span>'),
    ],
)
def test_a3_the_level_partial_shows_each_level_as_before(value, html):
    assert render_to_string("goals/_level.html", {"level": value}) == html + "\n"


@pytest.mark.parametrize(
    ("status", "html"),
    [
        ("antaget", '<span class="badge badge--adopted">Antaget</span>'),
        ("ersatt", '<span class="badge badge--neutral">Ersatt</span>'),
        ("utkast", '<span class="badge badge--draft">Utkast</span>'),
    ],
)
def test_p1_the_status_partial_shows_each_status_as_before(status, html):
    rendered = render_to_string("goals/_status.html", {"obj": Namndmal(status=status)})
    assert rendered == html + "\n"


@pytest.mark.parametrize(
    ("source", "by_hand"), [(MANUAL_SOURCE, True), ("kolada", False), ("", False)]
)
def test_a2_a_key_figure_row_says_when_its_latest_value_was_entered_by_hand(source, by_hand):
    row = KeyFigureRow(Nyckeltal(), latest_source=source)
    assert row.latest_entered_by_hand is by_hand
