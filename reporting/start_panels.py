"""The reporting app's panels on the start page (styrmodell.start_page)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from styrmodell.start_page import Panel, register

from .deadlines_feed import deadlines_for

# What "soon" is on the start page; later deadlines are there too, folded away.
SOON_DAYS = 30


@register(10, "reporting.deadlines")
def my_deadlines(*, user, today: dt.date, assignments) -> Panel | None:
    """Everything Mina frister lists for the person, so the two pages never disagree: what is
    late first, then the next month, then the rest folded away."""
    if not assignments:
        return None
    deadlines = deadlines_for(user, today)
    overdue = [d for d in deadlines if d.date < today and d.overdue_when_past]
    coming = [d for d in deadlines if d.date >= today]
    soon_until = today + dt.timedelta(days=SOON_DAYS)
    return Panel(
        key="att-gora", title=_("Att göra"), template="reporting/_start_deadlines.html",
        context={"overdue": overdue, "soon": [d for d in coming if d.date <= soon_until],
                 "later": [d for d in coming if d.date > soon_until], "today": today},
        more=(_("Mina frister – prenumerera i Outlook"), reverse("reporting:my_deadlines")))
