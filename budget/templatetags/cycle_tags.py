"""Figures of the budget assumptions as Swedish readers write them: 2,6 % and 158 000 kr."""

from django import template

from styrmodell import formatting

register = template.Library()


@register.filter
def pct(value) -> str:
    """An assumption's per cent with the decimals it was given: 2,6 %."""
    return formatting.percent(value, places=None)


@register.filter
def kr(value) -> str:
    """An assumption's amount with the öre it was given: 158 000 kr, 12,50 kr."""
    return formatting.kronor(value, places=None)
