"""Optimistic locking of a form that edits a set of rows or a row not yet written."""

import pytest

from styrmodell.errors import DomainError
from styrmodell.models import OrganisationUnit
from styrmodell.versioning import check_new_row_version, check_submitted_version, set_version


def test_a_form_read_at_the_current_version_may_save():
    check_submitted_version("12", "12")


@pytest.mark.parametrize("submitted", [None, "11"])
def test_a_form_read_at_another_version_is_refused(submitted):
    with pytest.raises(DomainError, match="Någon annan har ändrat"):
        check_submitted_version("12", submitted)


@pytest.mark.parametrize("submitted", [None, "", "0"])
def test_a_new_row_expects_version_zero(submitted):
    check_new_row_version(submitted)


def test_a_new_row_refuses_a_form_read_when_it_existed():
    with pytest.raises(DomainError):
        check_new_row_version("7")


@pytest.mark.django_db
def test_the_version_of_an_empty_set_is_zero():
    assert set_version(OrganisationUnit.history.none()) == "0"
