"""The work the hourly scheduled task does: every app registers what it checks for.

Each registered function takes today's date, looks at the calendar and the data, and does what is
due. It must be idempotent (notify through `notify_once`), since the task may run twice or late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

DueWork = Callable[[dt.date], int]

_REGISTRY: dict[str, DueWork] = {}


def register(name: str, work: DueWork) -> None:
    _REGISTRY[name] = work


def run_all(today: dt.date) -> dict[str, int]:
    """Run every registered piece of work; returns how many things each did."""
    return {name: work(today) for name, work in sorted(_REGISTRY.items())}
