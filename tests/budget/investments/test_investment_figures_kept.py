"""The investment overview keeps its figures over every project (capital costs per nämnd, the
year's totals) in the cache (issue: big-city scale), and never shows them stale: any change
to a project, an appropriation, a rate, an outcome or a forecast gives the figures the rule
functions give (B8)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache

from budget.investments import services as investments
from budget.models import (
    Anslag,
    Internranta,
    Investeringsprojekt,
    ProjectKind,
    ProjectStatus,
)

from .test_investment_overview_in_sql import assert_same_as_reference
from .test_investments import forecast, make_project

D = Decimal


@pytest.fixture
def kept_overview(django_capture_on_commit_callbacks):
    """An overview made as a committed request makes it: its figures are kept."""
    cache.clear()

    def overview(**filters):
        with django_capture_on_commit_callbacks(execute=True):
            return investments.year_overview(user=None, year=2026, **filters)

    return overview


@pytest.fixture
def written_off(unit):
    """A decided project of KFN written off 2026–2035, with a rate for 2026."""
    Internranta.objects.update_or_create(year=2026, defaults={"percent": D("2.0")})
    return make_project(unit("kfn"), name="Skrivs av", budget={2025: "1000000"},
                        depreciation=10)


def figures(overview) -> tuple:
    return ([(row.namnd.pk, row.amounts) for row in overview.capital_rows],
            overview.capital_totals, overview.totals, len(overview.rows))


def test_an_unchanged_overview_is_not_computed_again(kept_overview, written_off, monkeypatch):
    first = figures(kept_overview())

    def not_again(*args, **kwargs):
        raise AssertionError("computed again although nothing changed")

    monkeypatch.setattr(investments, "_capital_costs_per_namnd", not_again)
    monkeypatch.setattr(investments, "_year_totals", not_again)
    assert figures(investments.year_overview(user=None, year=2026)) == first


def test_figures_made_in_a_transaction_that_is_rolled_back_are_not_kept(written_off,
                                                                        monkeypatch):
    cache.clear()
    investments.year_overview(user=None, year=2026)  # in the test's transaction: never commits
    calls = []
    real = investments._capital_costs_per_namnd
    monkeypatch.setattr(investments, "_capital_costs_per_namnd",
                        lambda *args: calls.append(1) or real(*args))
    investments.year_overview(user=None, year=2026)
    assert calls == [1]


def _save_amount(project):
    anslag = project.appropriations.get()
    anslag.amount = D("1500000")
    anslag.save()


def _add_appropriation(project):
    Anslag.objects.create(project=project, year=2026, amount=D("400000"))


def _delete_appropriation(project):
    project.appropriations.get().delete()


def _take_into_use_later(project):
    project.in_use_year = 2026
    project.save()


def _shorten_depreciation(project):
    project.depreciation_years = 3
    project.save()


def _make_proposal_again(project):
    project.status = ProjectStatus.PROPOSAL
    project.save()


def _make_exploitation(project):
    project.kind = ProjectKind.EXPLOITATION
    project.save()


def _move_to_another_namnd(project):
    project.namnd = project.namnd.__class__.objects.get(pk=_other_namnd_pk(project))
    project.save()


def _other_namnd_pk(project) -> int:
    return (Investeringsprojekt.objects.exclude(namnd=project.namnd)
            .values_list("namnd_id", flat=True).first())


def _change_rate(project):
    rate = Internranta.objects.get(year=2026)
    rate.percent = D("3.5")
    rate.save()


def _add_rate_of_a_plan_year(project):
    Internranta.objects.update_or_create(year=2027, defaults={"percent": D("4.25")})


def _delete_rate(project):
    Internranta.objects.filter(year__gte=2026).delete()


def _delete_project(project):
    project.delete()


def _bulk_add_project(project):
    added = Investeringsprojekt.objects.bulk_create([Investeringsprojekt(
        namnd=project.namnd, name="Utan historik", kind=ProjectKind.NEW,
        status=ProjectStatus.DECIDED, total_budget=D("800000"), start_year=2025,
        end_year=2026, depreciation_years=5, consequences="Inga.")])
    Anslag.objects.bulk_create([Anslag(project=added[0], year=2025, amount=D("800000"))])


def _record_outcome_and_forecast(project):
    Investeringsprojekt.objects.filter(pk=project.pk).update(end_year=2026)  # runs in 2026
    project.refresh_from_db()
    project.save()  # as the finance office's form saves it: with its history
    forecast(project, "1200000", spent="300000")


CHANGES = [_save_amount, _add_appropriation, _delete_appropriation, _take_into_use_later,
           _shorten_depreciation, _make_proposal_again, _make_exploitation,
           _move_to_another_namnd, _change_rate, _add_rate_of_a_plan_year, _delete_rate,
           _delete_project, _bulk_add_project, _record_outcome_and_forecast]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_b8_the_kept_figures_follow_every_change_of_what_they_are_made_of(
        kept_overview, written_off, change):
    before = figures(kept_overview())
    change(written_off)
    after = kept_overview()
    assert figures(after) != before, "the change should move the figures"
    assert_same_as_reference(2026)


def test_b8_each_filter_keeps_its_own_figures(kept_overview, written_off, unit):
    kept_overview()
    of_kfn = Investeringsprojekt.objects.filter(namnd=unit("kfn"))
    kfn = kept_overview(projects=of_kfn)
    assert [row.namnd for row in kfn.capital_rows] == [unit("kfn")]
    assert_same_as_reference(2026, of_kfn)
    assert_same_as_reference(2026, Investeringsprojekt.objects.filter(namnd=unit("sbn")))
