"""Optimistic locking for edit forms that stay open for minutes (no lost updates).

The version of an object is the id of its newest history record; a form carries it, and a save
against an older version is refused with a clear message.
"""

from __future__ import annotations

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
    if submitted is None or str(submitted) != current_version(obj):
        raise DomainError(_(STALE_MESSAGE))
