"""The follow-up and frame tables as Excel sheets, the same figures as on the pages (kronor)."""

from __future__ import annotations

from django.utils import timezone

from budget.followup.selectors import NamndFollowUp, Overview
from budget.frames.selectors import FrameRow, plan_totals
from budget.models import Driftbudgetram, FrameStage
from styrmodell.excel import Sheet
from styrmodell.formatting import moment_short
from styrmodell.models import BudgetYear, OrganisationUnit


def _taken() -> str:
    return f"Uttaget {moment_short(timezone.localtime())}. Belopp i kronor."


def overview_sheets(overview: Overview) -> list[Sheet]:
    year = overview.budget_year.year
    rows = []
    for row in overview.rows:
        rows.append([
            str(row.namnd), row.frame, row.outcome_to_date,
            row.latest.period_label if row.latest else None,
            row.latest.total if row.latest else None,
            row.variance.amount if row.variance else None,
            row.variance.percent_rounded if row.variance else None,
            row.variance.label if row.variance else None,
        ])
    total = overview.variance
    rows.append(["Summa", overview.frame_total, overview.outcome_total, None,
                 overview.forecast_total, total.amount if total else None,
                 total.percent_rounded if total else None, total.label if total else None])
    return [Sheet(
        title=f"Uppföljning {year}",
        headers=["Nämnd", "Beslutad ram", f"Utfall t.o.m. {overview.last_month_name}".strip(),
                 "Senaste prognos", "Helårsprognos", "Avvikelse (kr)", "Avvikelse (% av ram)",
                 "Över-/underskott"],
        rows=rows,
        caption=[f"Ekonomisk uppföljning {year}, alla nämnder", _taken(),
                 "Avvikelse = beslutad ram (nuvarande belopp) − helårsprognos; negativ = "
                 "underskott."],
    )]


def namnd_sheets(followup: NamndFollowUp) -> list[Sheet]:
    year, namnd = followup.budget_year.year, followup.namnd
    caption = [f"{namnd} {year}", _taken()]
    months = Sheet(
        title="Månader",
        headers=["Månad", "Utfall", "Ackumulerat utfall", "Ram jämnt fördelad, ackumulerat",
                 "Skillnad mot jämn fördelning"],
        rows=[[row.name, row.outcome, row.cumulative,
               None if row.budget_cumulative is None else round(row.budget_cumulative),
               None if row.difference is None else round(row.difference)]
              for row in followup.months],
        caption=[*caption, f"Beslutad ram: {followup.frame if followup.frame is not None else '–'}"
                           " kr"],
    )
    forecasts = Sheet(
        title="Prognoser",
        headers=["Uppföljning", "Helårsprognos", "Avvikelse (kr)", "Avvikelse (% av ram)",
                 "Skriven av", "Skriven", "Kommentar"],
        rows=[[row.forecast.period_label, row.forecast.total,
               row.variance.amount if row.variance else None,
               row.variance.percent_rounded if row.variance else None,
               row.forecast.written_by.get_full_name() if row.forecast.written_by else "",
               row.forecast.written_at,
               row.forecast.comment] for row in followup.forecasts],
        caption=caption,
    )
    verksamheter = Sheet(
        title="Verksamheter",
        headers=["Kod", "Verksamhet", "Utfall hittills", "Helårsprognos (senaste)"],
        rows=[[row.verksamhet.code, row.verksamhet.name, row.outcome_to_date, row.forecast]
              for row in followup.verksamheter],
        caption=caption,
    )
    return [months, forecasts, verksamheter]


def frame_overview_sheets(budget_year: BudgetYear, rows: list[FrameRow],
                          totals: list) -> list[Sheet]:
    return [Sheet(
        title=f"Ramar {budget_year.year}",
        headers=["Nämnd", *[str(label) for label in FrameStage.labels],
                 *[f"Plan {year}" for year in budget_year.plan_years]],
        rows=[*[[str(row.namnd), *[frame.total if frame else None for frame in row.cells()],
                 *[plan.total if plan else None for plan in row.plans()]]
                for row in rows], ["Summa", *totals, *plan_totals(rows)]],
        caption=[f"Driftbudgetramar {budget_year.year} per nämnd och skede, med planåren som "
                 "KF beslutade med budgeten", _taken()],
    )]


def frame_detail_sheets(budget_year: BudgetYear, namnd: OrganisationUnit,
                        frames: list[Driftbudgetram]) -> list[Sheet]:
    return [Sheet(
        title=str(frame.get_stage_display()),
        headers=["Del", "Förklaring", "Belopp", "Riktat"],
        rows=[*[[str(line.get_kind_display()), line.label, line.amount,
                 "Ja" if line.earmarked else ""] for line in frame.lines.all()],
              ["Ram", "", frame.total, ""]],
        caption=[f"Driftbudgetram {budget_year.year}, {namnd}: {frame.get_stage_display()}",
                 _taken()],
    ) for frame in frames] or [Sheet(title="Ram", headers=["Del", "Förklaring", "Belopp"],
                                     rows=[], caption=[f"{namnd} har ingen ram för "
                                                       f"{budget_year.year}."])]
