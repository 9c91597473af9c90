"""Volumes as Swedish readers write them: 1 190 elever, a variance with its sign (+12, −3),
and a cost effect in tkr with its sign; the typographic minus throughout."""

from django import template

from budget.volumes.services import VOLUME_PLACES
from styrmodell import formatting

register = template.Library()


@register.filter
def volume(value) -> str:
    return formatting.number(value, max_places=VOLUME_PLACES)


@register.filter
def signed_volume(value) -> str:
    return formatting.number(value, max_places=VOLUME_PLACES, signed=True)


@register.filter
def signed_tkr(amount) -> str:
    """A cost in tkr with "+" before an increase and "−" before a decrease."""
    return formatting.tkr(amount, signed=True)
