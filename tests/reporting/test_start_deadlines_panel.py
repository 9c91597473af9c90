"""The start page's Att göra: the first of what Mina frister lists, the overdue first, at most
DEADLINES_SHOWN lines however many cases the person's nämnd has, with the way to the whole list;
its queries stay the same as the cases grow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deviations.models import Avvikelse, CaseKind, CaseStatus
from reporting import start_panels
from reporting.deadlines_feed import deadlines_for
from reporting.start_panels import DEADLINES_SHOWN
from styrmodell.models import BudgetYear, User
from styrmodell.permissions import active_assignments

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def person(username: str) -> User:
    return User.objects.get(username=username)  # a fresh object: no cached assignments


def att_gora(username: str):
    user = person(username)
    return start_panels.my_deadlines(user=user, today=TODAY,
                                     assignments=active_assignments(user, TODAY))


def listed(panel) -> list:
    return panel.context["overdue"] + panel.context["soon"] + panel.context["later"]


def open_investment_cases(namnd, count: int) -> None:
    """Open investment cases whose nämnd and KSAU should have been told (D7), days ago."""
    budget_year = BudgetYear.objects.get(year=2026)
    Avvikelse.objects.bulk_create(
        Avvikelse(kind=CaseKind.INVESTMENT, namnd=namnd, budget_year=budget_year, period="okt",
                  status=CaseStatus.OPEN, opened_on=TODAY - dt.timedelta(days=20),
                  budget_amount=Decimal("1000000"), forecast_amount=Decimal("1200000"),
                  ksau_due=TODAY - dt.timedelta(days=1 + number % 10))
        for number in range(count))


def test_a_few_deadlines_are_all_on_the_start_page(municipality, fixed_today):
    panel = att_gora("ekonomichef")
    mina_frister = [d for d in deadlines_for(person("ekonomichef"), TODAY)
                    if d.date >= TODAY or d.overdue_when_past]
    assert 0 < len(mina_frister) <= DEADLINES_SHOWN
    assert [d.uid for d in listed(panel)] == [d.uid for d in mina_frister]
    assert panel.more == ("Mina frister – prenumerera i Outlook",
                          reverse("reporting:my_deadlines"))
    assert not panel.intro


def test_many_case_deadlines_show_the_overdue_first_and_link_to_all_in_mina_frister(
        municipality, fixed_today, client):
    open_investment_cases(municipality["bun"], 15)
    panel = att_gora("bun.ordforande")
    everything = deadlines_for(person("bun.ordforande"), TODAY)
    overdue = [d for d in everything if d.date < TODAY and d.overdue_when_past]
    in_mina_frister = len(overdue) + sum(1 for d in everything if d.date >= TODAY)
    assert len(overdue) > DEADLINES_SHOWN  # the chair owes each case's KSAU its news
    assert [d.uid for d in listed(panel)] == [d.uid for d in overdue[:DEADLINES_SHOWN]]
    assert panel.more == (f"Alla {in_mina_frister} frister i Mina frister",
                          reverse("reporting:my_deadlines"))
    assert panel.intro == (f"Du har {len(overdue)} försenade frister; här visas de "
                           f"{DEADLINES_SHOWN} första.")
    client.force_login(person("bun.ordforande"))
    page = client.get("/").content.decode()
    section = page[page.index('id="att-gora"'):]
    section = section[:section.index("</section>")]
    assert section.count('<li class="task') == DEADLINES_SHOWN
    assert f">Alla {in_mina_frister} frister i Mina frister</a>" in section
    # Lines of the same obligation in different cases say which case each is.
    subjects = [d.subject for d in listed(panel)]
    assert all(subjects) and all(f'<span class="task__subject">{subject}</span>' in section
                                 for subject in subjects)
    # Mina frister itself still lists every one of them.
    mine = client.get(reverse("reporting:my_deadlines"))
    assert len(mine.context["overdue"]) == len(overdue)


def test_att_gora_costs_the_same_queries_for_more_cases(municipality, fixed_today):
    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            att_gora("bun.ordforande")
        return len(captured.captured_queries)

    open_investment_cases(municipality["bun"], 3)
    before = cost()
    open_investment_cases(municipality["bun"], 30)
    assert cost() == before
