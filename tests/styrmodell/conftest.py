"""Fixtures of the core's tests: the municipality before its first budget year."""

import pytest
from django.db import connection

from styrmodell.models import BudgetYear


@pytest.fixture
def no_budget_year(municipality):
    """The demo municipality with every budget year, and all that hangs on one, taken away.

    Deleting row by row through the ORM walks the whole demo and takes many seconds a test;
    PostgreSQL's TRUNCATE … CASCADE empties the year and every table that refers to it in one
    statement, and the test's transaction rolls it back like any other write.
    """
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE … CASCADE within a transaction needs PostgreSQL")
    with connection.cursor() as cursor:
        # TRUNCATE refuses a table with deferred constraint checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(BudgetYear._meta.db_table)} CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not BudgetYear.objects.exists()
