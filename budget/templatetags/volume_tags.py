"""Volumes as Swedish readers write them: 1 190 elever, a variance with its sign (+12, −3),
and a cost effect in tkr with its sign; the typographic minus throughout."""

from decimal import Decimal

from django import template

from budget.volumes.services import signed_text, volume_text
from styrmodell.templatetags.styrmodell_tags import tkr

register = template.Library()


@register.filter
def volume(value) -> str:
    return "–" if value is None or value == "" else volume_text(Decimal(value))


@register.filter
def signed_volume(value) -> str:
    return "–" if value is None or value == "" else signed_text(Decimal(value))


@register.filter
def signed_tkr(amount) -> str:
    """A cost in tkr with "+" before an increase (tkr already gives a decrease its minus)."""
    if amount is None or amount == "":
        return "–"
    text = tkr(amount)
    return f"+{text}" if (Decimal(amount) / 1000).quantize(Decimal(1)) > 0 else text
