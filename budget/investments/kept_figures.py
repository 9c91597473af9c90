"""The investment overview's figures over every project (capital costs per nämnd, the year's
totals), kept in Django's cache under a version of the rows they are made from: a page computes
them once per change of those rows, not once per request, whatever the number of projects."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet

from budget.models import (
    Anslag,
    Internranta,
    Investeringsprojekt,
    Investeringsutfall,
    Slutkostnadsprognos,
)

# Every table the figures are computed from: projects (nämnd, status, kind, years, in-use year,
# depreciation period), appropriations, rates, outcomes and final-cost forecasts.
SOURCES = (Investeringsprojekt, Anslag, Internranta, Investeringsutfall, Slutkostnadsprognos)
# The version in the key is what makes a kept figure stale; the timeout only frees the memory.
TIMEOUT_SECONDS = 24 * 60 * 60

Figures = TypeVar("Figures")


def figures_version() -> str:
    """Changes whenever a source row is saved or deleted (each writes a history record) or
    bulk-created without history (a higher id): the newest history record and the highest id
    of each source, in one query of index look-ups."""
    quote = connection.ops.quote_name
    newest = []
    for model in SOURCES:
        history = model.history.model._meta
        newest.append(f"(SELECT MAX({quote(history.pk.column)}) FROM {quote(history.db_table)})")
        newest.append(f"(SELECT MAX({quote(model._meta.pk.column)}) "
                      f"FROM {quote(model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(newest))
        return ".".join(str(value or 0) for value in cursor.fetchone())


def key_of(projects: QuerySet) -> str | None:
    """What the figures of `projects` are kept under besides the version: the projects' SQL
    with its parameters, so a reader's reach and filter each have their own figures. None
    for a reader who may see no project (there is nothing to compute)."""
    try:
        sql, params = projects.query.sql_with_params()
    except EmptyResultSet:
        return None
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()


def kept(name: str, *, version: str, projects_key: str | None, years: tuple[int, ...],
         compute: Callable[[], Figures]) -> Figures:
    """The figures `compute` makes of the projects `projects_key` names (see `key_of`) for
    these years, from the cache when they were made at this version. Read `version` before
    computing: figures then never sit under a version older than the rows they came from."""
    if projects_key is None:
        return compute()
    years_key = "-".join(str(year) for year in years)
    key = f"investments:{name}:{years_key}:{version}:{projects_key}"
    found = cache.get(key)
    if found is None:
        found = compute()
        # Only once the rows they were made from are committed: a rolled-back write leaves
        # nothing behind, even where its ids are given out again.
        transaction.on_commit(lambda: cache.set(key, found, TIMEOUT_SECONDS))
    return found
