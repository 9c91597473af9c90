"""Lönerörelse (B10): KSAU distributes the reserve over the nämnder, never more than it holds."""

import datetime as dt
from decimal import Decimal

import pytest

from budget.models import (
    Driftbudgetram,
    FrameStage,
    Lonereserv,
)
from budget.reserves import salary
from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, User
from styrmodell.versioning import current_version

DAY = dt.date(2028, 5, 4)


@pytest.fixture
def reserve_2028(municipality):
    budget_year = BudgetYear.objects.create(year=2028)
    for key in ("bun", "sn", "kfn"):
        Driftbudgetram.objects.create(
            namnd=municipality[key],
            budget_year=budget_year,
            stage=FrameStage.DECIDED,
            total=Decimal("100000000"),
        )
    return salary.set_reserve(
        budget_year=budget_year,
        amount=Decimal("10000000"),
        decided_on=dt.date(2027, 11, 22),
        paragraph="101",
    )


def _distribute(municipality, amounts: dict[str, str], paragraph="52"):
    return salary.distribute(
        reserve=Lonereserv.objects.get(budget_year__year=2028),
        amounts={municipality[key]: Decimal(amount) for key, amount in amounts.items()},
        decided_on=DAY,
        paragraph=paragraph,
        recorder=User.objects.get(username="kommunsekreterare"),
    )


def _frame(municipality, key):
    return Driftbudgetram.objects.get(
        namnd=municipality[key], budget_year__year=2028, stage=FrameStage.DECIDED
    )


def test_b10_distribution_becomes_frame_lines_and_totals_stay_the_sum(reserve_2028, municipality):
    _distribute(municipality, {"bun": "4000000", "sn": "3500000"})
    for key, amount in (("bun", "104000000"), ("sn", "103500000")):
        frame = _frame(municipality, key)
        assert frame.total == Decimal(amount)
        assert frame.total == sum(line.amount for line in frame.lines.all())
        assert (
            frame.lines.last().label == "Lönekompensation ur lönerörelsen 2028, KSAU 4 maj 2028 §52"
        )
    assert _frame(municipality, "kfn").total == Decimal("100000000")
    assert salary.distributed(reserve_2028) == Decimal("7500000")


def test_b10_the_sum_distributed_never_exceeds_the_reserve(reserve_2028, municipality):
    _distribute(municipality, {"bun": "6000000"})
    with pytest.raises(DomainError, match="större än det som finns kvar"):
        _distribute(municipality, {"sn": "3000000", "kfn": "1000001"}, paragraph="60")
    assert _frame(municipality, "sn").total == Decimal("100000000")
    assert salary.distributed(reserve_2028) == Decimal("6000000")
    _distribute(municipality, {"sn": "3000000", "kfn": "1000000"}, paragraph="61")
    assert salary.distributed(reserve_2028) == Decimal("10000000")


def test_b10_ksau_decides_what_is_used_this_year_and_that_bounds_the_distribution(
    reserve_2028, municipality
):
    reserve = salary.decide_use_in_year(
        reserve=reserve_2028,
        amount=Decimal("8000000"),
        decided_on=DAY,
        paragraph="50",
        version=current_version(reserve_2028),
    )
    assert reserve.used_in_year == Decimal("8000000")
    with pytest.raises(DomainError, match="större än det som finns kvar"):
        _distribute(municipality, {"bun": "8000001"})
    _distribute(municipality, {"bun": "8000000"})
    with pytest.raises(DomainError, match="redan fördelat"):
        salary.decide_use_in_year(
            reserve=reserve,
            amount=Decimal("7000000"),
            decided_on=DAY,
            paragraph="70",
            version=current_version(reserve),
        )
    with pytest.raises(DomainError, match="redan fördelat"):
        salary.set_reserve(
            budget_year=reserve.budget_year,
            amount=Decimal("7000000"),
            decided_on=DAY,
            paragraph="71",
            version=current_version(reserve),
        )


def test_b10_a_distribution_needs_a_decision_and_a_namnd_with_a_decided_frame(
    reserve_2028, municipality
):
    with pytest.raises(DomainError, match="paragraf"):
        _distribute(municipality, {"bun": "1"}, paragraph="")
    with pytest.raises(DomainError, match="saknar en av KF beslutad ram"):
        _distribute(municipality, {"sbn": "1000"})
    assert salary.distributed(reserve_2028) == 0
