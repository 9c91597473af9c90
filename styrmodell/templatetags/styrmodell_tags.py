"""Template filters for the layout; numbers and dates are formatted in one place."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from styrmodell import formatting

register = template.Library()


@register.filter
def tkr(amount) -> str:
    """An amount in kronor shown in tkr with Swedish grouping (1 234 tkr)."""
    return formatting.tkr(amount)


@register.filter
def kronor(amount, signed: str = "") -> str:
    """An amount in whole kronor with Swedish grouping (1 234 567 kr); |kronor:"signed" writes
    a plus sign on a positive difference."""
    return formatting.kronor(amount, signed=signed == "signed")


def _local_day(day):
    """A moment is shown as the day it is in Sweden, as Django's own date filter does."""
    if isinstance(day, dt.datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


@register.filter
def date_text(day) -> str:
    """A date in running text (2 december 2026); tables use |date:"SHORT_DATE_FORMAT"."""
    return formatting.date_text(_local_day(day))


@register.filter
def date_iso(day) -> str:
    """A date where a machine reads it (<time datetime>, exports): 2026-12-02."""
    return formatting.date_iso(_local_day(day))


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
def percent(value, places: int = 2) -> str:
    """A per cent, with two decimals unless told (−1,60 %; |percent:1 gives 12,3 %)."""
    return formatting.percent(value, places=int(places))


@register.filter
def number(value, places=None) -> str:
    """A number with Swedish grouping and decimal comma (1 234,5; |number:1 fixes one)."""
    return formatting.number(value, places=None if places is None else int(places))


@register.simple_tag(takes_context=True)
def panel_body(context, panel) -> str:
    """A start-page panel's own template, rendered with the panel's context."""
    from django.template.loader import render_to_string

    return render_to_string(panel.template, {**context.flatten(), **panel.context},
                            request=context.get("request"))
