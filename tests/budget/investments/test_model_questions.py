"""What the project page asks of an investment project, answered for every choice value."""

import pytest

from budget.investments.models import Investeringsprojekt, ProjectKind, ProjectStatus


@pytest.mark.parametrize("status", ProjectStatus.values)
def test_b8_a_project_is_a_proposal_until_kf_decides_it(status):
    assert Investeringsprojekt(status=status).is_proposal is (status == ProjectStatus.PROPOSAL)


@pytest.mark.parametrize("kind", ProjectKind.values)
def test_b9_a_project_is_a_reinvestment_only_of_that_kind(kind):
    project = Investeringsprojekt(kind=kind)
    assert project.is_reinvestment is (kind == ProjectKind.REINVESTMENT)
    assert project.is_exploitation is (kind == ProjectKind.EXPLOITATION)
