"""Figures of the budget assumptions as Swedish readers write them: 2,6 % and 158 000 kr."""

from decimal import Decimal

from django import template

from budget.frames.services import sv

register = template.Library()


@register.filter
def pct(value) -> str:
    return "–" if value is None or value == "" else f"{sv(Decimal(value))} %"


@register.filter
def kr(value) -> str:
    return "–" if value is None or value == "" else f"{sv(Decimal(value))} kr"
