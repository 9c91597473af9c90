"""What case templates ask of a case and its obligations, answered for every choice value."""

import datetime as dt

import pytest

from deviations.deadlines import Obligation
from deviations.models import Avvikelse, CaseKind

TODAY = dt.date(2026, 5, 15)


@pytest.mark.parametrize("kind", CaseKind.values)
def test_d1_a_case_is_a_deficit_case_only_when_opened_by_a_deficit(kind):
    assert Avvikelse(kind=kind).is_deficit is (kind == CaseKind.DEFICIT)


def _obligation(*, due, done_on):
    return Obligation(
        code="atgarder",
        rule="D2",
        label="Åtgärder",
        due=due,
        done_on=done_on,
        roles=frozenset(),
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("due", "done_on", "state"),
    [
        (TODAY, TODAY, "klar"),
        (None, None, "utan_datum"),
        (TODAY - dt.timedelta(days=1), None, "forsenad"),
        (TODAY, None, "pagaende"),
    ],
)
def test_d2_an_obligation_is_done_only_once_it_is_done(due, done_on, state):
    obligation = _obligation(due=due, done_on=done_on)
    assert obligation.state == state
    assert obligation.is_done is (state == "klar")
    assert obligation.is_overdue is (state == "forsenad")
