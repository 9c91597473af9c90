"""Where a case is reported: other apps (the reports) register what mentions a case, so the
case's page links to them without deviations knowing those apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    text: str
    url: str
    detail: str = ""


Source = Callable[..., list[Mention]]  # source(*, case, user)
_SOURCES: list[Source] = []


def register(source: Source) -> Source:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def mentions_of(case, user) -> list[Mention]:
    return [mention for source in _SOURCES for mention in source(case=case, user=user)]
