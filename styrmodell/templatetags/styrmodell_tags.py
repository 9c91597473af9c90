"""Template filters for the layout; numbers and dates are formatted in one place."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()
MINUS = "\u2212"


@register.filter
def tkr(amount) -> str:
    """An amount in kronor shown in tkr with Swedish grouping (1 234 tkr)."""
    if amount is None or amount == "":
        return "–"
    value = (Decimal(amount) / Decimal(1000)).quantize(Decimal(1))
    text = number_format(abs(value), 0, use_l10n=True, force_grouping=True)
    # A typographic minus, as in the per cents beside it; never "-0 tkr".
    return f"{MINUS if value < 0 else ''}{text} tkr"


@register.filter
def lowerfirst(text) -> str:
    """A label inside a sentence: "Delårsrapport per augusti" → "delårsrapport per augusti",
    while a month's capital in English stays ("Interim report, August")."""
    text = str(text)
    return text[:1].lower() + text[1:]


@register.filter
def days_until(day: dt.date) -> int:
    return (day - timezone.localdate()).days


@register.filter
def when_due(day: dt.date) -> str:
    days = (day - timezone.localdate()).days
    if days == 0:
        return _("i dag")
    if days == 1:
        return _("i morgon")
    if days > 1:
        return _("om %(days)s dagar") % {"days": days}
    if days == -1:
        return _("i går")
    return _("%(days)s dagar sedan") % {"days": -days}


@register.filter
def percent(value) -> str:
    """A per cent with two decimals, Swedish style (−1,60 %)."""
    if value is None or value == "":
        return "–"
    rounded = Decimal(value).quantize(Decimal("0.01"))
    text = number_format(rounded, 2, use_l10n=True, force_grouping=True)
    return text.replace("-", "\u2212") + "\u00a0%"
