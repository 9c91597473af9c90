"""The register of cases as a table to take away (Excel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .selectors import RegisterRow

# Msgids: the export is in the reader's language (`register_headers`).
REGISTER_HEADERS = (
    gettext_noop("Ärende"),
    gettext_noop("Typ"),
    gettext_noop("Nämnd"),
    gettext_noop("År"),
    gettext_noop("Uppföljning"),
    gettext_noop("Status"),
    gettext_noop("Öppnat"),
    gettext_noop("Ram/budget (kr)"),
    gettext_noop("Prognos (kr)"),
    gettext_noop("Avvikelse (kr)"),
    gettext_noop("Avvikelse (%)"),
    gettext_noop("Nästa frist"),
    gettext_noop("Försenat"),
    gettext_noop("Åtgärder"),
    gettext_noop("Nämndens beslut"),
    gettext_noop("KSAU informerat"),
    gettext_noop("Avslutat"),
)


def register_headers() -> list[str]:
    return [_(header) for header in REGISTER_HEADERS]


def register_rows(rows: list[RegisterRow], today: dt.date) -> Iterator[list[object]]:
    for row in rows:
        case = row.case
        percent = case.variance.percent
        yield [
            case.pk, case.get_kind_display(), case.namnd.name, case.budget_year.year,
            case.get_period_display(), case.get_status_display(), case.opened_on,
            case.budget_amount, case.forecast_amount, case.variance.amount,
            percent.quantize(Decimal("0.01")) if percent is not None else None,
            row.next_deadline, _("Ja") if row.overdue else _("Nej"), len(case.measures.all()),
            case.decided_on, case.ksau_informed_on, case.closed_on,
        ]
