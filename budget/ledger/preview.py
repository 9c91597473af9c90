"""What a re-import would change: per nämnd and month, the outcome stored now against the
outcome in the new file, and every nämnd that has outcome today but none in the file (its
outcome for those months would go). The finance office sees this before anything is replaced;
what they confirmed is kept in the import's log."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from budget.ledger.models import MONTH_ABBREVIATIONS, Utfall
from styrmodell.models import OrganisationUnit

PeriodKey = tuple[int, int, int]  # (nämnd id, year, month)


@dataclass(frozen=True)
class PreviewRow:
    namnd_id: int
    namnd: str
    year: int
    month: int
    stored: Decimal | None  # None: nothing stored for this nämnd and month
    new: Decimal | None  # None: the file has nothing for this nämnd and month

    @property
    def difference(self) -> Decimal:
        return (self.new or Decimal(0)) - (self.stored or Decimal(0))

    @property
    def is_dropped(self) -> bool:
        """Outcome stored today that the file does not give again: it would go."""
        return self.stored is not None and self.new is None

    @property
    def is_changed(self) -> bool:
        return self.stored != self.new

    @property
    def month_label(self) -> str:
        return f"{MONTH_ABBREVIATIONS[self.month - 1]} {self.year}"

    def as_json(self) -> dict:
        return {"namnd": self.namnd_id, "name": self.namnd, "year": self.year,
                "month": self.month, "stored": _text(self.stored), "new": _text(self.new)}

    @classmethod
    def from_json(cls, data: dict) -> PreviewRow:
        return cls(data["namnd"], data["name"], data["year"], data["month"],
                   _amount(data["stored"]), _amount(data["new"]))


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def _amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def new_sums(plans) -> dict[PeriodKey, Decimal]:
    """The file's outcome per nämnd, year and month."""
    sums: dict[PeriodKey, Decimal] = defaultdict(Decimal)
    for plan in plans:
        for (namnd_id, _verksamhet, _account, month), amount in plan.rows.items():
            sums[(namnd_id, plan.year, month)] += amount
    return dict(sums)


def stored_sums(plans) -> dict[PeriodKey, Decimal]:
    """What is stored now for the years and months the file covers, per nämnd; in one query."""
    periods = Q(pk__in=[])
    for plan in plans:
        periods |= Q(year=plan.year, month__in=plan.months)
    rows = (Utfall.objects.filter(periods).values("namnd_id", "year", "month")
            .annotate(amount=Sum("amount"))
            .values_list("namnd_id", "year", "month", "amount"))
    return {(namnd_id, year, month): amount for namnd_id, year, month, amount in rows}


def compare(plans) -> list[PreviewRow]:
    """Every nämnd and month the file gives or that has outcome in the file's months."""
    new, stored = new_sums(plans), stored_sums(plans)
    keys = set(new) | set(stored)
    names = dict(OrganisationUnit.objects.filter(pk__in={key[0] for key in keys})
                 .values_list("pk", "name"))
    rows = [PreviewRow(key[0], names.get(key[0], ""), key[1], key[2], stored.get(key),
                       new.get(key)) for key in keys]
    return sorted(rows, key=lambda row: (row.namnd, row.namnd_id, row.year, row.month))


def replaces_anything(rows: list[PreviewRow]) -> bool:
    """Whether the file would replace stored outcome (then it is previewed first)."""
    return any(row.stored is not None for row in rows)


def digest(rows: list[PreviewRow]) -> str:
    """A checksum of the preview: a confirmation holds only for the figures it was shown."""
    text = json.dumps([row.as_json() for row in rows], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def before_of(rows: list[PreviewRow]) -> dict[PeriodKey, Decimal]:
    """What was stored, for the import's log."""
    return {(row.namnd_id, row.year, row.month): row.stored for row in rows
            if row.stored is not None}


@dataclass(frozen=True)
class PreviewSummary:
    rows: list[PreviewRow]

    @property
    def stored_total(self) -> Decimal:
        return sum((row.stored or Decimal(0) for row in self.rows), Decimal(0))

    @property
    def new_total(self) -> Decimal:
        return sum((row.new or Decimal(0) for row in self.rows), Decimal(0))

    @property
    def difference(self) -> Decimal:
        return self.new_total - self.stored_total

    @property
    def dropped(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.is_dropped]

    @property
    def dropped_namnder(self) -> list[str]:
        return sorted({row.namnd for row in self.dropped})

    @property
    def changed(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.is_changed]


def summary_of(stored_json: list[dict]) -> PreviewSummary:
    return PreviewSummary([PreviewRow.from_json(data) for data in stored_json])
