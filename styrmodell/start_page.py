"""The start page is made of panels that each app registers: what this person must read, decide
or write next, and how things stand. The core knows no app; an app's panel knows its own data.

A panel provider takes the person, today and the person's valid role assignments, and returns a
`Panel` (or None when it has nothing for this person: a panel shows only to those whose role
needs it). Providers run in `order`; each must cost a fixed number of queries.

A start page is a summary: no panel lists more than LINES_SHOWN lines however large the
municipality, and a panel that leaves lines out links to the page with the whole list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from .models import BudgetYear
from .permissions import active_assignments
from .selectors import budget_year_to_show


@dataclass(frozen=True)
class Item:
    """One line of a panel: a link to where it is acted on, and what it is about."""

    text: str
    url: str
    detail: str = ""
    due: dt.date | None = None
    overdue: bool = False
    # A status word shown before the line, with its symbol: ("⚠", "Försenad").
    status: tuple[str, str] | None = None


@dataclass
class Panel:
    key: str  # the panel's id on the page (for its heading)
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""  # said when there are no items; without it an empty panel is left out
    more: tuple[str, str] | None = None  # (text, url) of the page with the whole list
    intro: str = ""
    # A panel that is more than a list (a table of figures) names its template and context.
    template: str = ""
    context: dict = field(default_factory=dict)
    wide: bool = False  # spans the page's width

    @property
    def is_shown(self) -> bool:
        return bool(self.items or self.template or self.empty)


# The lines a list on the start page shows at most (the deadlines' panel has its own number).
LINES_SHOWN = 8


def first_lines(items: Sequence[Item], limit: int = LINES_SHOWN) -> list[Item]:
    """The lines a panel shows: the overdue first, otherwise in the panel's own order."""
    return sorted(items, key=lambda item: not item.overdue)[:limit]


Provider = Callable[..., Panel | None]
T = TypeVar("T")

_PROVIDERS: list[tuple[int, str, Provider]] = []


def register(order: int, name: str) -> Callable[[Provider], Provider]:
    """`@register(20, "reporting.deadlines")` on a provider(user, today, assignments)."""

    def add(provider: Provider) -> Provider:
        global _PROVIDERS
        _PROVIDERS = sorted([*(p for p in _PROVIDERS if p[1] != name), (order, name, provider)],
                            key=lambda entry: (entry[0], entry[1]))
        return provider

    return add


def panels_for(user, today: dt.date, assignments: Sequence | None = None) -> list[Panel]:
    """Every registered panel this person gets, in order."""
    if assignments is None:
        assignments = active_assignments(user)
    found = (provider(user=user, today=today, assignments=assignments)
             for _order, _name, provider in _PROVIDERS)
    return [panel for panel in found if panel is not None and panel.is_shown]


def once_per_page(user, key, compute: Callable[[], T]) -> T:
    """A value several panels need, computed once per page: kept on the person (a new object
    each request), as `active_assignments` keeps the roles. `key` says what it was computed
    for; another key computes it anew."""
    known = user.__dict__.setdefault("_styrmodell_start_page", {})
    if key not in known:
        known[key] = compute()
    return known[key]


def running_year(user) -> BudgetYear | None:
    """The year the follow-up panels show (the running one), asked of the database once per
    page however many panels need it."""
    return once_per_page(user, "running_year", lambda: budget_year_to_show(prefer="running"))


def role_codes(assignments: Sequence) -> set[str]:
    return {assignment.role.code for assignment in assignments}
