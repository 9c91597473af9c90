"""The year's investments as Excel sheets: every project of the overview, not only a page."""

from __future__ import annotations

from django.utils import timezone

from budget.investments.services import ProjectRow, YearOverview, exploitation_rows
from budget.models import ProjectKind, ProjectStatus
from styrmodell.excel import Sheet
from styrmodell.formatting import date_short


def _labels(choices) -> dict[str, str]:
    # Translated once per export: `get_FOO_display()` translates again for every row.
    return {value: str(label) for value, label in choices}


def overview_sheets(overview: YearOverview, *, scope: str) -> list[Sheet]:
    """The projects, the capital costs per nämnd and exploatering over its whole life; the
    projects are read once, in chunks, however many there are."""
    year = overview.year
    taken = f"Uttaget {date_short(timezone.localdate())}. Belopp i kronor."
    rows: list[ProjectRow] = list(overview.rows)
    kinds, statuses = _labels(ProjectKind.choices), _labels(ProjectStatus.choices)
    projects = Sheet(f"Investeringar {year}", [
        "Nämnd", "Objekt", "Projekt", "Typ", "Status", "Totalbudget", f"Anslag {year}",
        f"Utfall {year}", "Utfall totalt", "Prognos slutkostnad", "Beräknad överskridelse",
        "Överskridelse (%)"], [
        [row.project.namnd.name, row.project.objekt, row.project.name,
         kinds.get(row.project.kind, row.project.kind),
         statuses.get(row.project.status, row.project.status),
         row.project.total_budget, row.appropriation, row.spent, row.spent_to_date,
         row.forecast, row.overrun.amount if row.overrun else None,
         row.overrun.percent_display if row.overrun else None]
        for row in rows], caption=[f"Investeringar {year}", scope, taken])
    capital = Sheet("Kapitalkostnader", ["Nämnd", *map(str, overview.capital_years)], [
        *([row.namnd.name, *row.cells(overview.capital_years)] for row in overview.capital_rows),
        ["Summa", *overview.capital_totals]],
        caption=["Kapitalkostnader (avskrivning + internränta) som nämnderna kompenseras för",
                 scope, taken])
    exploitation = Sheet("Exploatering hela livet", [
        "Nämnd", "Projekt", "Budget utgifter", "Budget inkomster", "Budget netto",
        "Utfall utgifter", "Utfall inkomster", "Utfall netto"], [
        [row.project.namnd.name, row.project.name, row.costs, row.income, row.net, row.spent,
         row.received, row.outcome_net] for row in exploitation_rows(rows)],
        caption=["Exploateringsprojekt över hela projekttiden", scope, taken])
    return [projects, capital, exploitation]
