"""Demo mappings of the ledger's kostnadsställen (dimension 1) to Ekbacka's nämnder (idempotent).

Each verksamhet's code is its kostnadsställe in the ledger, so each maps to its own nämnd and
itself. Monthly outcomes are not seeded here: import demo/sie/ekbacka-2026-11.se from
/budget/utfall/ to see an import.
"""

from __future__ import annotations

from budget.models import Objektkoppling, Verksamhet


def seed() -> None:
    existing = set(Objektkoppling.objects.filter(dimension=1).values_list("object_id", flat=True))
    Objektkoppling.objects.bulk_create([
        Objektkoppling(dimension=1, object_id=verksamhet.code, name=verksamhet.name,
                       namnd_id=verksamhet.namnd_id, verksamhet=verksamhet)
        for verksamhet in Verksamhet.objects.order_by("code")
        if verksamhet.code not in existing
    ])
