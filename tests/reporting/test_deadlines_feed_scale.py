"""Mina frister and the feed ask the database for the person's own cases only: the same
deadlines as reading every open case of the municipality, and no more work for others' cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deviations.deadlines import obligations
from deviations.models import Avvikelse, CaseKind, CaseStatus
from reporting import deadlines_feed
from reporting.deadlines_feed import FeedContext
from styrmodell.models import BudgetYear, RoleAssignment, User

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def context_of(user: User) -> FeedContext:
    assignments = list(RoleAssignment.objects.active_on(TODAY).filter(user=user)
                       .select_related("role", "unit"))
    return FeedContext(user=user, today=TODAY, assignments=assignments)


def every_open_case_filtered_in_python(context: FeedContext) -> set[str]:
    """What the feed gave when it read every open case of the municipality for everyone."""
    uids = set()
    codes = {assignment.role.code for assignment in context.assignments}
    for case in Avvikelse.objects.filter(status=CaseStatus.OPEN).prefetch_related("measures"):
        for obligation in obligations(case, TODAY):
            if obligation.done_on or obligation.due is None or not codes & obligation.roles:
                continue
            if any(deadlines_feed._owes(assignment, case, obligation.roles, context)
                   for assignment in context.assignments):
                uids.add(f"avvikelse-{case.pk}-{obligation.code}@styrmodell")
    return uids


def from_the_database(context: FeedContext) -> set[str]:
    return {deadline.uid for deadline in
            deadlines_feed.deviation_obligations(context.user, TODAY, context)}


def unrelated_cases(namnd, count: int = 200) -> None:
    """Open investment cases of another nämnd with a dated obligation each (D7)."""
    budget_year = BudgetYear.objects.get(year=2026)
    Avvikelse.objects.bulk_create(
        Avvikelse(kind=CaseKind.INVESTMENT, namnd=namnd, budget_year=budget_year, period="okt",
                  status=CaseStatus.OPEN, opened_on=TODAY, budget_amount=Decimal("1000000"),
                  forecast_amount=Decimal("1200000"), ksau_due=TODAY + dt.timedelta(days=i % 30))
        for i in range(count))


def test_every_demo_persons_case_deadlines_are_the_same_as_from_every_open_case(
        municipality, fixed_today):
    unrelated_cases(municipality["bun"], count=20)
    people = User.objects.filter(is_active=True, assignments__isnull=False).distinct()
    compared = 0
    for user in people:
        context = context_of(user)
        assert from_the_database(context) == every_open_case_filtered_in_python(context), user
        compared += 1
    assert compared > 20


def test_the_chair_of_another_namnd_reads_none_of_the_bun_cases(municipality, fixed_today):
    context = context_of(User.objects.get(username="sn.ordforande"))
    before = deadlines_feed._cases_the_person_may_owe(context).count()
    unrelated_cases(municipality["bun"])
    assert deadlines_feed._cases_the_person_may_owe(context).count() == before


def test_a_person_no_obligation_names_reads_no_case(municipality, fixed_today):
    people = [User.objects.get(username="kf.ordforande"), User.objects.get(username="ekonomichef")]
    for user in people:
        context = context_of(user)
        if not any(a.role.code in deadlines_feed.OBLIGATION_ROLES for a in context.assignments):
            assert deadlines_feed._cases_the_person_may_owe(context) is None


def _queries_of_the_page(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reporting:my_deadlines"))
    assert response.status_code == 200
    return len(captured)


def _queries_of_the_feed(client, token: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reporting:deadlines_feed", args=[token]))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["sn.ordforande", "sn.forvaltningschef"])
def test_the_page_and_feed_stay_flat_when_other_namnder_have_many_cases(
        client, login, municipality, fixed_today, username):
    user = login(username)
    token = deadlines_feed.renew_feed_token(user=user)
    page_before, feed_before = _queries_of_the_page(client), _queries_of_the_feed(client, token)
    deadlines_before = deadlines_feed.deadlines_for(user, TODAY)

    unrelated_cases(municipality["bun"])

    assert _queries_of_the_page(client) == page_before
    assert _queries_of_the_feed(client, token) == feed_before
    assert deadlines_feed.deadlines_for(user, TODAY) == deadlines_before


def _open_ks_deficit(municipality) -> Avvikelse:
    """D2: KS's own deficit, whose measures the kommundirektör owes (KS has no
    förvaltningschef)."""
    return Avvikelse.objects.create(
        kind=CaseKind.DEFICIT, namnd=municipality["ks"],
        budget_year=BudgetYear.objects.get(year=2026), period="okt", status=CaseStatus.OPEN,
        opened_on=TODAY, budget_amount=Decimal("1000000"), forecast_amount=Decimal("1200000"),
        measures_due=TODAY + dt.timedelta(days=3), ksau_due=TODAY + dt.timedelta(days=5))


def test_d2_every_demo_person_gets_the_same_deadlines_with_a_ks_deficit_open(
        municipality, fixed_today):
    _open_ks_deficit(municipality)
    unrelated_cases(municipality["bun"], count=5)
    for user in User.objects.filter(is_active=True, assignments__isnull=False).distinct():
        context = context_of(user)
        assert from_the_database(context) == every_open_case_filtered_in_python(context), user


@pytest.mark.parametrize("username", ["kommundirektor", "kommunsekreterare"])
def test_d2_d8_a_municipality_wide_role_reads_only_the_cases_it_can_owe(
        municipality, fixed_today, username):
    context = context_of(User.objects.get(username=username))
    ks_case = _open_ks_deficit(municipality)
    cases = deadlines_feed._cases_the_person_may_owe(context)
    before = set(cases.values_list("pk", flat=True))
    unrelated_cases(municipality["bun"])
    assert set(deadlines_feed._cases_the_person_may_owe(context).values_list(
        "pk", flat=True)) == before
    if username == "kommundirektor":
        assert ks_case.pk in before
        titles = [deadline.title for deadline in
                  deadlines_feed.deviation_obligations(context.user, TODAY, context)]
        assert titles == ["Kommundirektören redovisar åtgärder – Kommunstyrelsen"]
