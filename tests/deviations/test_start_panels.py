"""The start page's "Avvikelseärenden": the open cases of the person's bodies (every nämnd's for
KS, KSAU and the kommundirektör), in the register's order with what is due next."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deviations import start_panels
from deviations.models import Avvikelse, CaseKind, CaseStatus
from deviations.selectors import case_register, register_rows
from styrmodell.models import BudgetYear, RoleAssignment, User
from styrmodell.start_page import panels_for

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def assignments_of(user: User) -> list[RoleAssignment]:
    return list(RoleAssignment.objects.active_on(TODAY).filter(user=user)
                .select_related("role", "unit"))


def panel_of(username: str):
    user = User.objects.get(username=username)
    found = {panel.key: panel for panel in panels_for(user, TODAY, assignments_of(user))}
    return found.get("avvikelsearenden")


def expected_rows(namnd=None):
    """The register's rows of the open cases (of one nämnd), as the register page makes them."""
    cases = Avvikelse.objects.filter(status=CaseStatus.OPEN)
    if namnd is not None:
        cases = cases.filter(namnd=namnd)
    return register_rows(case_register(cases=cases, today=TODAY)[:start_panels.SHOWN], TODAY)


ALL_NAMNDER = ["ks.ordforande", "kommundirektor"]
OWN_NAMND = {"bun.ordforande": "bun", "bun.ledamot": "bun", "bun.forvaltningschef": "bun"}
NOT_SHOWN = ["kf.ordforande", "ekonom", "ekonomichef", "enhetschef", "medarbetare"]


@pytest.mark.parametrize("username", ALL_NAMNDER)
def test_ks_and_the_kommundirektor_follow_every_namnds_open_cases(
        municipality, fixed_today, username):
    panel = panel_of(username)
    rows = expected_rows()
    assert len(rows) == Avvikelse.objects.filter(status=CaseStatus.OPEN).count() == 5
    assert [item.url for item in panel.items] == [row.case.get_absolute_url() for row in rows]
    assert [(item.due, item.overdue) for item in panel.items] == [
        (row.next_deadline, row.overdue) for row in rows]
    assert panel.more == ("Avvikelseregistret", reverse("deviations:register") + "?status=oppen")


@pytest.mark.parametrize(("username", "key"), OWN_NAMND.items())
def test_a_namnds_politicians_and_forvaltningschef_follow_their_namnds_cases(
        municipality, fixed_today, username, key):
    namnd = municipality[key]
    panel = panel_of(username)
    rows = expected_rows(namnd)
    assert rows and all(row.case.namnd == namnd for row in rows)
    assert [item.url for item in panel.items] == [row.case.get_absolute_url() for row in rows]
    assert panel.more[1] == reverse("deviations:register") + f"?status=oppen&namnd={namnd.pk}"


@pytest.mark.parametrize("username", NOT_SHOWN)
def test_roles_that_follow_no_body_s_cases_get_no_panel(municipality, fixed_today, username):
    assert panel_of(username) is None


def test_each_case_says_its_next_step_and_whether_it_is_late(municipality, fixed_today, client):
    panel = panel_of("ks.ordforande")
    deficit = Avvikelse.objects.get(status=CaseStatus.OPEN, kind=CaseKind.DEFICIT)
    item = next(item for item in panel.items if item.url == deficit.get_absolute_url())
    (row,) = [row for row in expected_rows() if row.case == deficit]
    owed = [o for o in row.obligations if not o.done_on and o.due]
    first = min(owed, key=lambda o: o.due)
    assert item.detail == f"Nästa steg: {first.label}"
    assert item.due == first.due
    assert item.overdue == row.overdue
    assert item.status == (("⚠", "Försenat") if row.overdue else ("○", "Öppet"))
    client.force_login(User.objects.get(username="ks.ordforande"))
    html = client.get(reverse("start")).content.decode()
    assert 'id="avvikelsearenden"' in html
    assert deficit.get_absolute_url() in html
    assert "Nästa steg:" in html


def more_cases(namnd, count: int) -> None:
    budget_year = BudgetYear.objects.get(year=2026)
    Avvikelse.objects.bulk_create(
        Avvikelse(kind=CaseKind.INVESTMENT, namnd=namnd, budget_year=budget_year, period="okt",
                  status=CaseStatus.OPEN, opened_on=TODAY, budget_amount=Decimal("1000000"),
                  forecast_amount=Decimal("1200000"),
                  ksau_due=TODAY + dt.timedelta(days=1 + i % 30))
        for i in range(count))


def test_a_few_are_shown_with_a_link_to_all_of_them_in_the_register(municipality, fixed_today):
    more_cases(municipality["sn"], 12)
    panel = panel_of("kommundirektor")
    assert len(panel.items) == start_panels.SHOWN
    assert panel.more[0] == "Alla 17 öppna ärenden i registret"
    # Other nämnders' cases are not the BUN chair's.
    assert len(panel_of("bun.ordforande").items) == 1


def test_the_panel_counts_fixed_queries_whatever_the_number_of_cases(municipality, fixed_today):
    people = {name: User.objects.get(username=name)
              for name in ("ks.ordforande", "bun.ordforande", "bun.forvaltningschef")}
    assignments = {name: assignments_of(user) for name, user in people.items()}
    for found in assignments.values():
        start_panels.bodies_followed(found)  # the reach of an assignment is looked up once

    def cost() -> dict:
        counts = {}
        for name, user in people.items():
            with CaptureQueriesContext(connection) as queries:
                start_panels.open_cases(user=user, today=TODAY, assignments=assignments[name])
            counts[name] = len(queries)
        return counts

    before = cost()
    more_cases(municipality["bun"], 30)
    more_cases(municipality["sn"], 30)
    assert cost() == before
    assert max(before.values()) <= 3
