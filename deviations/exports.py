"""The register of cases as a table to take away (Excel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from .selectors import RegisterRow

REGISTER_HEADERS = ("Ärende", "Typ", "Nämnd", "År", "Uppföljning", "Status", "Öppnat",
                    "Ram/budget (kr)", "Prognos (kr)", "Avvikelse (kr)", "Avvikelse (%)",
                    "Nästa frist", "Försenat", "Åtgärder", "Nämndens beslut", "KSAU informerat",
                    "Avslutat")


def register_rows(rows: list[RegisterRow], today: dt.date) -> Iterator[list[object]]:
    for row in rows:
        case = row.case
        percent = case.deviation_percent
        yield [
            case.pk, case.get_kind_display(), case.namnd.name, case.budget_year.year,
            case.get_period_display(), case.get_status_display(), case.opened_on,
            case.budget_amount, case.forecast_amount, case.deviation,
            percent.quantize(Decimal("0.01")) if percent is not None else None,
            row.next_deadline, "Ja" if row.overdue else "Nej", len(case.measures.all()),
            case.decided_on, case.ksau_informed_on, case.closed_on,
        ]
