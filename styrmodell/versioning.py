"""Optimistic locking for edit forms that stay open for minutes (no lost updates).

The version of an object is the id of its newest history record; a form carries it, and a save
against an older version is refused with a clear message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .errors import DomainError

# A msgid: other apps compare and raise it as it is; `check_version` shows it translated.
STALE_MESSAGE = gettext_noop(
    "Någon annan har ändrat uppgifterna medan du redigerade. Ladda om sidan, "
    "se vad som ändrats och gör din ändring igen."
)


def current_version(obj) -> str:
    latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or 0)


def check_version(obj, submitted: str | None) -> None:
    check_submitted_version(current_version(obj), submitted)


def set_version(history_queryset) -> str:
    """The newest history record of a set of rows (deleted rows included) as its version."""
    return str(history_queryset.aggregate(newest=Max("history_id"))["newest"] or 0)


def check_submitted_version(current: str, submitted: str | None) -> None:
    """Refuse a save whose form was read at another version than `current`."""
    if submitted is None or str(submitted) != current:
        raise DomainError(_(STALE_MESSAGE))


def check_new_row_version(submitted: str | None) -> None:
    """A form for a row not yet written carries version "0" (or none); anything else was read
    when the row existed, and someone has since removed it."""
    if submitted not in (None, "", "0"):
        raise DomainError(_(STALE_MESSAGE))


def is_unique_violation(error: IntegrityError) -> bool:
    """True when the error is a unique constraint (not, say, a foreign key) that failed."""
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    return "UNIQUE constraint failed" in str(error)  # SQLite


@contextmanager
def first_save() -> Iterator[None]:
    """Write a row that did not exist when the form was read.

    Two people saving the same new row at once both find nothing and both insert; the
    database's unique constraint lets one through. The other's writes are undone to a
    savepoint and refused with the same message as a save against a stale version.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if not is_unique_violation(error):
            raise
        raise DomainError(_(STALE_MESSAGE)) from error
