"""What templates ask of a unit, an event and a form field, answered for every choice value."""

import pytest
from django import forms

from styrmodell.models import CalendarEvent, EventKind, OrganisationUnit, UnitKind
from styrmodell.templatetags.form_tags import is_checkbox


@pytest.mark.parametrize("kind", UnitKind.values)
def test_a_unit_is_a_foundation_only_when_it_is_a_stiftelse(kind):
    assert OrganisationUnit(kind=kind).is_foundation is (kind == UnitKind.STIFTELSE)


@pytest.mark.parametrize("kind", UnitKind.values)
def test_p4_ks_is_a_namnd_like_the_namnder(kind):
    expected = kind in (UnitKind.NAMND, UnitKind.KS)
    assert OrganisationUnit(kind=kind).is_namnd_like is expected


@pytest.mark.parametrize("kind", EventKind.values)
def test_an_event_is_a_meeting_only_when_it_is_a_sammantrade(kind):
    assert CalendarEvent(kind=kind).is_meeting is (kind == EventKind.MEETING)


class _Fields(forms.Form):
    agreed = forms.BooleanField(required=False)
    name = forms.CharField()
    many = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)


def test_only_a_single_checkbox_is_a_checkbox_field():
    form = _Fields()
    assert is_checkbox(form["agreed"])
    assert not is_checkbox(form["name"])
    assert not is_checkbox(form["many"])
    assert not is_checkbox("")
