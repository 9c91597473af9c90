"""What pot, tax rate and year-end templates ask of their decisions, for every choice value."""

import pytest

from budget.reserves.models import Ansokan, ApplicationStatus
from budget.taxrate.models import Skattesats, TaxRateStatus
from budget.yearend.models import DispositionKind, DispositionStatus, Resultatdisposition


@pytest.mark.parametrize("status", ApplicationStatus.values)
def test_b7_an_application_is_granted_only_when_ks_granted_it(status):
    assert Ansokan(status=status).is_granted is (status == ApplicationStatus.GRANTED)


@pytest.mark.parametrize("status", TaxRateStatus.values)
def test_b11_a_tax_rate_is_decided_only_when_kf_decided_it(status):
    assert Skattesats(status=status).is_decided is (status == TaxRateStatus.DECIDED)


@pytest.mark.parametrize("status", DispositionStatus.values)
def test_f4_a_disposition_answers_where_kf_has_got_with_it(status):
    disposition = Resultatdisposition(status=status)
    assert disposition.is_proposal is (status == DispositionStatus.PROPOSED)
    assert disposition.is_decided is (status == DispositionStatus.DECIDED)
    assert disposition.is_rejected is (status == DispositionStatus.REJECTED)


@pytest.mark.parametrize("kind", DispositionKind.values)
def test_f4_a_disposition_is_a_transfer_only_when_it_carries_a_surplus_over(kind):
    disposition = Resultatdisposition(kind=kind)
    assert disposition.is_transfer is (kind == DispositionKind.CARRY_OVER)
