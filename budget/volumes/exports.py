"""The volume tables as Excel sheets: the same figures as on the pages."""

from __future__ import annotations

from django.utils import timezone

from budget.volumes.services import NamndVolumes, VolumeRow
from styrmodell.excel import Sheet
from styrmodell.formatting import moment_short
from styrmodell.models import FOLLOW_UP_ORDER, FollowUpPeriod

HEADERS = ["Mått", "Enhet", "Budgeterad volym", "Utfall", "Helårsprognos",
           "Avvikelse (prognos − budget)", "Avvikelse (% av budget)",
           "Budgeterad kostnad per enhet (kr)", "Kostnadseffekt av avvikelsen (kr)", "Kommentar"]


def _taken() -> str:
    return f"Uttaget {moment_short(timezone.localtime())}."


def _row(row: VolumeRow) -> list:
    variance = row.variance
    return [row.measure.name, row.measure.unit, row.measure.budget, row.outcome, row.forecast,
            variance.amount if variance else None,
            variance.percent_rounded if variance else None, row.measure.cost_per_unit,
            row.cost_effect, row.comment or None]


def _explained(label: str) -> str:
    return (f"{label}. Avvikelse = helårsprognos − budgeterad volym: positiv är mer volym än "
            "budgeterat. Kostnadseffekt = avvikelse × budgeterad kostnad per enhet.")


def overview_sheets(volumes: list[NamndVolumes], *, year: int, period: str) -> list[Sheet]:
    label = str(FollowUpPeriod(period).label)
    rows = [[str(item.namnd), *_row(row)] for item in volumes for row in item.rows]
    return [Sheet(title=f"Volymer {year}", headers=["Nämnd", *HEADERS], rows=rows,
                  caption=[f"Verksamhetens volymer {year}, alla nämnder", _explained(label),
                           _taken()])]


def namnd_sheets(volumes: NamndVolumes) -> list[Sheet]:
    year, namnd = volumes.budget_year.year, volumes.namnd
    label = str(volumes.period_label)
    sheets = [
        Sheet(title=label, headers=HEADERS, rows=[_row(row) for row in volumes.rows],
              caption=[f"Verksamhetens volymer {year}, {namnd}", _explained(label), _taken()]),
        Sheet(title="Prognos per uppföljning",
              headers=["Mått", "Enhet", "Budgeterad volym",
                       *[str(FollowUpPeriod(p).label) for p in FOLLOW_UP_ORDER]],
              rows=[[row.measure.name, row.measure.unit, row.measure.budget,
                     *[value for _, value in row.by_period()]] for row in volumes.rows],
              caption=[f"Helårsprognos per uppföljning {year}, {namnd} (årsredovisningen: "
                       "utfall helår)", _taken()]),
    ]
    if volumes.population:
        sheets.append(Sheet(
            title="Befolkning",
            headers=["Åldersgrupp", "Prognos", "Utfall", "Skillnad (utfall − prognos)",
                     "Kronor per invånare", "Krav på överskott (kr)"],
            rows=[[row.age_group, row.forecast, row.actual, row.difference, row.rate,
                   row.surplus_required] for row in volumes.population],
            caption=[f"Befolkning {year} som {namnd}s volymtillskott följer",
                     "Där färre bor i åldersgruppen än prognosen ska nämnden lämna ett "
                     "överskott: (prognos − utfall) × kronor per invånare.", _taken()]))
    return sheets
