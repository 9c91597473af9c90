"""The seeded demo database kept as a copy in memory, put back in a fraction of a second.

A test whose data must be committed (the browser tests' live server answers from another
thread) leaves an emptied database behind: pytest-django flushes it after the test. Seeding
the demo again costs seconds per test; copying its rows back with PostgreSQL's COPY costs a
tenth of that, and gives every such test the same rows with the same ids.

The copy is taken the first time it is asked for, from the demo as `seed_demo` wrote it (the
session's seed, or a new one if an earlier test emptied the database). Foreign keys are
checked at commit (Django makes them DEFERRABLE INITIALLY DEFERRED), so the tables can be
filled in any order.
"""

from __future__ import annotations

from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from styrmodell.models import OrganisationUnit

# Django's record of applied migrations is not data: flush leaves it, and so do we.
KEPT = {"django_migrations"}

_copy: dict[str, bytes] = {}


def restore_demo() -> None:
    """Put the demo's rows back as they were when the copy was taken."""
    if connection.vendor != "postgresql":
        call_command("seed_demo", stdout=StringIO())
        return
    if not _copy:
        _take_copy()
    else:
        _put_back()
    # post_migrate, run by the flush, made content types anew; ours have the copy's ids.
    ContentType.objects.clear_cache()


def _tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - KEPT)


def _take_copy() -> None:
    if not OrganisationUnit.objects.exists():
        call_command("seed_demo", stdout=StringIO())
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                _copy[table] = b"".join(bytes(block) for block in copy)


@transaction.atomic
def _put_back() -> None:
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table in tables:
            rows = _copy.get(table)
            if rows:
                with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(rows)
        _reset_sequences(cursor, tables)


def _reset_sequences(cursor, tables: list[str]) -> None:
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() "
        "AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')"
    )
    wanted = set(tables)
    for table, column in cursor.fetchall():
        if table not in wanted:
            continue
        cursor.execute(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 1), '
            f'MAX("{column}") IS NOT NULL) FROM "{table}"',
            [f'"{table}"', column],
        )
