"""A nämnd's section assembled from the data, not typed twice (F1, A1, A4).

Goal assessments of the period come from goals, key figures with their development from the
key-figure values, outcome to date and the period's full-year forecast with its variance from
budget's follow-up, investments from budget.investments.services, open deviation cases from
deviations and KF's uppdrag (årsredovisning) from goals. `assemble` reads every nämnd of a
report in a fixed number of queries, so the municipality's report does not grow in
queries with nämnder.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from budget.followup.chart import outcome_chart
from budget.followup.forecasts import ForecastVariance, forecast_variance
from budget.followup.selectors import (
    ZERO,
    ForecastRow,
    MonthRow,
    NamndFollowUp,
    decided_frames,
    forecast_variance_of,
    last_outcome_month,
)
from budget.investments.services import ProjectRow, project_rows_of
from budget.models import Prognos, Resultatdisposition, UtfallManad
from budget.volumes.services import VOLUME_PLACES, NamndVolumes, VolumeRow, volumes_for
from budget.yearend.services import Earmark, earmarks
from deviations.models import Atgard, Avvikelse, CaseStatus, Effektrapport
from goals.keyfigures import Trend, trend_of
from goals.models import (
    DecisionStatus,
    Jamforelsevarde,
    Level,
    Malbedomning,
    Namndmal,
    Nyckeltal,
    NyckeltalVarde,
    Uppdrag,
)
from styrmodell.formatting import number, tkr
from styrmodell.models import FOLLOW_UP_ORDER, FollowUpPeriod, OrganisationUnit, UnitKind

from .models import Rapportavsnitt, Rapportperiod

NOT_ASSESSED = gettext_noop("Inte bedömt")


@dataclass
class GoalRow:
    goal: Namndmal
    assessment: Malbedomning | None

    @property
    def level_label(self) -> str:
        return self.assessment.get_level_display() if self.assessment else _(NOT_ASSESSED)

    @property
    def expected_level(self) -> str | None:
        if self.assessment is None:
            return None
        return self.assessment.forecast or self.assessment.level


@dataclass
class KeyFigureRow:
    nyckeltal: Nyckeltal
    values: list[tuple[int, Decimal | None]]
    # The comparison municipalities' values (name, value) of the latest year shown with a value.
    comparisons: list[tuple[str, Decimal | None]] = field(default_factory=list)
    comparison_year: int | None = None

    @property
    def latest(self) -> Decimal | None:
        present = [value for _, value in self.values if value is not None]
        return present[-1] if present else None

    @property
    def trend(self) -> Trend | None:
        return trend_of(dict(self.values), self.nyckeltal.good_direction)

    @property
    def development_label(self) -> str:
        trend = self.trend
        return trend.verdict if trend else "–"

    @property
    def is_candidate(self) -> bool:
        """A2: a key figure that develops negatively is a candidate nämndmål for next year."""
        trend = self.trend
        return trend is not None and trend.is_negative


@dataclass
class Economy:
    frame: Decimal | None
    month: int
    outcome_to_date: Decimal | None
    forecast: Prognos | None
    variance: ForecastVariance | None  # at year-end: the year's result, frame − outcome
    followup: NamndFollowUp
    is_year_end: bool = False
    disposition: Resultatdisposition | None = None

    @property
    def month_name(self) -> str:
        """The month the outcome runs to, in the reader's language (Django's "augusti")."""
        return str(MONTHS[self.month]) if self.month else ""

    @property
    def full_year(self) -> Decimal | None:
        """The year's cost: the outcome at year-end, the forecast before."""
        if self.is_year_end:
            return self.outcome_to_date
        return self.forecast.total if self.forecast else None

    @property
    def chart(self) -> str:
        return outcome_chart(self.followup, chart_id=f"diagram-{self.followup.namnd.pk}")


@dataclass
class CaseRow:
    """A deviation case as the report shows it: the measures written by the report's date and
    the förvaltning's effect report at this follow-up (D6)."""

    case: Avvikelse
    measures: list[Atgard]
    effect: Effektrapport | None


@dataclass
class SectionContent:
    section: Rapportavsnitt
    goals: list[GoalRow] = field(default_factory=list)
    key_figures: list[KeyFigureRow] = field(default_factory=list)
    economy: Economy | None = None
    investments: list[ProjectRow] = field(default_factory=list)
    cases: list[CaseRow] = field(default_factory=list)
    uppdrag: list[Uppdrag] = field(default_factory=list)
    volumes: NamndVolumes | None = None
    earmarks: list[Earmark] = field(default_factory=list)
    # "?sida=3" when the municipality's report shows the section on another of its pages.
    page_query: str = ""

    @property
    def namnd(self) -> OrganisationUnit:
        return self.section.namnd

    @property
    def key_figures_compared(self) -> bool:
        return any(row.comparisons for row in self.key_figures)

    # F1: the delårsrapport calls out positive and negative variances from the nämndmål;
    # A4's forecast for the year decides, and the assessment so far where there is none.
    @property
    def goals_expected_met(self) -> list[GoalRow]:
        return [row for row in self.goals if row.expected_level == Level.YES]

    @property
    def goals_expected_missed(self) -> list[GoalRow]:
        return [row for row in self.goals if row.expected_level == Level.NO]

    @property
    def anchor(self) -> str:
        return f"namnd-{self.section.namnd_id}"

    @property
    def link_in_report(self) -> str:
        """Where the section is read in the municipality's report: on this page, or on the
        page of the report that has it (`page_query`)."""
        return f"{self.page_query}#{self.anchor}"

    def level_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.goals:
            counts[row.level_label] += 1
        return sorted(counts.items())


def _assessed_period(period: Rapportperiod) -> str | None:
    """An extra follow-up reports the latest assessments and forecast; None means 'latest'."""
    return period.period or None


def _economy_month(period: Rapportperiod, last_month: int | None) -> int:
    month = FollowUpPeriod(period.period).last_month if period.period else (last_month or 0)
    return min(month, last_month) if last_month else 0


class OutcomeRead:
    """The outcome a request reads, each once: a year's last imported month, and the nämnders'
    outcome by month (the "Vad har ändrats" page assembles two reports of the same year)."""

    def __init__(self):
        self._last_months: dict[int, int | None] = {}
        self._by_month: dict[tuple[int, tuple[int, ...]], dict[int, dict[int, Decimal]]] = {}

    def last_month(self, year: int) -> int | None:
        if year not in self._last_months:
            self._last_months[year] = last_outcome_month(year=year)
        return self._last_months[year]

    def by_month(self, year: int, namnd_ids: list[int]) -> dict[int, dict[int, Decimal]]:
        """Each nämnd's outcome by month; what was read for more nämnder serves fewer (the
        municipality's overview, then the sections of its page)."""
        wanted = set(namnd_ids)
        for (read_year, read_ids), found in self._by_month.items():
            if read_year == year and wanted <= set(read_ids):
                return found
        found: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for namnd_id, month, amount in (UtfallManad.objects
                                        .filter(year=year, namnd_id__in=namnd_ids)
                                        .values_list("namnd_id", "month", "amount")):
            found[namnd_id][month] = amount
        self._by_month[(year, tuple(sorted(wanted)))] = found
        return found


def kf_follows_up_only(period: Rapportperiod, *, compiled: bool) -> bool:
    """G8: KF's compiled årsredovisning leaves out the nämnder's own goals and nämndnyckeltal;
    the nämnd follows them up itself, in its årsrapport (its section, §6.3)."""
    return compiled and period.is_annual


def _add_economy(period: Rapportperiod, contents: dict[int, SectionContent],
                 outcome: OutcomeRead) -> None:
    """Each section's economy: frame, outcome by month, the period's forecast and its
    variance (four queries, whatever the number of sections)."""
    budget_year = period.budget_year
    year = budget_year.year
    namnd_ids = list(contents)
    wanted = _assessed_period(period)
    frames = decided_frames(budget_year=budget_year, namnd_ids=namnd_ids)
    by_month = outcome.by_month(year, namnd_ids)
    last_month = outcome.last_month(year)
    forecasts: dict[int, list[Prognos]] = defaultdict(list)
    for forecast in Prognos.objects.filter(budget_year=budget_year, namnd_id__in=namnd_ids):
        forecast.budget_year = budget_year
        forecasts[forecast.namnd_id].append(forecast)
    month = _economy_month(period, last_month)
    for namnd_id, content in contents.items():
        frame = frames.get(namnd_id)
        months, running = [], ZERO
        for m in range(1, 13):
            imported = m <= month
            value = by_month[namnd_id].get(m, ZERO) if imported else None
            if value is not None:
                running += value
            months.append(MonthRow(m, value, running if imported else None,
                                   None if frame is None else frame * m / 12))
        ordered = sorted(forecasts[namnd_id], key=lambda f: FOLLOW_UP_ORDER.index(f.period))
        if wanted:
            ordered = [f for f in ordered
                       if FOLLOW_UP_ORDER.index(f.period) <= FOLLOW_UP_ORDER.index(wanted)]
        chosen = next((f for f in ordered if f.period == wanted), None) if wanted else (
            ordered[-1] if ordered else None)
        followup = NamndFollowUp(
            namnd=content.section.namnd, budget_year=budget_year, frame=frame,
            last_month=month or None, months=months,
            forecasts=[ForecastRow(f, forecast_variance_of(f, frame=frame, namnd=content.namnd,
                                                           budget_year=budget_year))
                       for f in ordered],
            verksamheter=[])
        year_end = period.period == FollowUpPeriod.YEAR and month == 12
        content.economy = Economy(
            frame=frame, month=month,
            outcome_to_date=running if month else None, forecast=None if year_end else chosen,
            variance=forecast_variance(
                frame=frame, forecast=running if year_end else (chosen.total if chosen else None),
                namnd=content.namnd, budget_year=budget_year,
                period=None if year_end or chosen is None else chosen.period),
            followup=followup, is_year_end=year_end)


def assemble(period: Rapportperiod, sections: list[Rapportavsnitt], *, user,
             compiled: bool = False,
             outcome_read: OutcomeRead | None = None) -> list[SectionContent]:
    """Every given section of the period with its numbers, in a fixed number of queries
    (the SVG chart is drawn only when a template asks for it). `compiled` is the
    municipality's report of the period, not a nämnd's own section (G8). A caller that
    assembles two reports of a year in one request passes one `outcome_read` to both."""
    if not sections:
        return []
    contents = {s.namnd_id: SectionContent(section=s) for s in sections}
    _add_goals(period, contents, compiled=compiled)
    _add_key_figures(period, contents, compiled=compiled)
    _add_economy(period, contents, outcome_read or OutcomeRead())
    _add_disposition(period, contents)
    _add_volumes(period, contents)
    if period.follows_investments:
        _add_investments(period, contents, user=user)
    _add_cases(period, contents)
    if period.is_annual:
        _add_earmarks(period, contents)
        _add_uppdrag(period, contents)
    return [contents[s.namnd_id] for s in sections]


def economies(period: Rapportperiod, sections: list[Rapportavsnitt], *,
              outcome_read: OutcomeRead | None = None) -> list[SectionContent]:
    """The sections with their economy only (frame, outcome, forecast, variance and the
    year-end disposition): what the municipality's overview of every nämnd needs, in a fixed
    number of queries and without the rest of each section."""
    contents = {s.namnd_id: SectionContent(section=s) for s in sections}
    if contents:
        _add_economy(period, contents, outcome_read or OutcomeRead())
        _add_disposition(period, contents)
    return [contents[s.namnd_id] for s in sections]


def _for_comparison(period: Rapportperiod, sections: list[Rapportavsnitt],
                    outcome_read: OutcomeRead) -> list[SectionContent]:
    """What "Vad har ändrats" compares of each section: its economy, goal assessments,
    volumes and open cases (not its key figures, investments or the annual parts)."""
    contents = {s.namnd_id: SectionContent(section=s) for s in sections}
    if contents:
        _add_goals(period, contents, compiled=False)
        _add_economy(period, contents, outcome_read)
        _add_volumes(period, contents)
        _add_cases(period, contents)
    return [contents[s.namnd_id] for s in sections]


def _add_goals(period: Rapportperiod, contents: dict[int, SectionContent], *,
               compiled: bool) -> None:
    """The nämndmål with the period's assessment (A1; A4's forecast in August); G8 leaves the
    nämnd's own goals out of KF's årsredovisning."""
    wanted = _assessed_period(period)
    goals = (Namndmal.objects.filter(namnd_id__in=list(contents), budget_year=period.budget_year,
                                     status=DecisionStatus.ADOPTED)
             .prefetch_related("assessments", "key_figures").order_by("namnd__path", "pk"))
    if kf_follows_up_only(period, compiled=compiled):
        goals = goals.filter(own_goal=False)
    for goal in goals:
        assessments = list(goal.assessments.all())
        if wanted:
            found = next((a for a in assessments if a.period == wanted), None)
        else:
            found = max(assessments, key=lambda a: FOLLOW_UP_ORDER.index(a.period), default=None)
        contents[goal.namnd_id].goals.append(GoalRow(goal, found))


def _figures_followed(period: Rapportperiod, contents: dict[int, SectionContent], *,
                      compiled: bool) -> dict[int, dict[int, Nyckeltal]]:
    """Per nämnd, the key figures of its goals (read with them by `_add_goals`) and its own
    nämndnyckeltal (G8: in KF's årsredovisning only the goals' figures that are not the
    nämnd's own)."""
    kf_only = kf_follows_up_only(period, compiled=compiled)
    figures: dict[int, dict[int, Nyckeltal]] = defaultdict(dict)
    for namnd_id, content in contents.items():
        for row in content.goals:
            for nyckeltal in row.goal.key_figures.all():
                if not (kf_only and nyckeltal.namnd_id is not None):
                    figures[namnd_id][nyckeltal.pk] = nyckeltal
    if not kf_only:
        for nyckeltal in Nyckeltal.objects.filter(namnd_id__in=list(contents)):
            figures[nyckeltal.namnd_id][nyckeltal.pk] = nyckeltal
    return figures


def _add_key_figures(period: Rapportperiod, contents: dict[int, SectionContent], *,
                     compiled: bool) -> None:
    """After `_add_goals`: each key figure over three years, the nämnd's value or else the
    municipality's, with the comparison municipalities beside the latest year with a value."""
    figures = _figures_followed(period, contents, compiled=compiled)
    year = period.budget_year.year
    years = [year - 2, year - 1, year]
    root = OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN).values_list("pk", flat=True)
    all_figures = {pk for by in figures.values() for pk in by}
    values: dict[tuple[int, int, int], Decimal | None] = {}
    for value in NyckeltalVarde.objects.filter(
            nyckeltal_id__in=all_figures, period__in=years,
            unit_id__in=[*contents, *root]).values("nyckeltal_id", "unit_id", "period", "value"):
        values[(value["nyckeltal_id"], value["unit_id"], value["period"])] = value["value"]
    compared: dict[tuple[int, int], list[tuple[str, Decimal | None]]] = defaultdict(list)
    for value in (Jamforelsevarde.objects.filter(nyckeltal_id__in=all_figures, period__in=years)
                  .select_related("kommun").order_by("kommun__name", "kommun__code")):
        compared[(value.nyckeltal_id, value.period)].append((value.kommun.name, value.value))
    root_ids = list(root)
    for namnd_id, by in figures.items():
        for nyckeltal in sorted(by.values(), key=lambda n: n.name):
            row = []
            for y in years:
                own = values.get((nyckeltal.pk, namnd_id, y))
                if own is None and root_ids:
                    own = values.get((nyckeltal.pk, root_ids[0], y))
                row.append((y, own))
            # Beside the latest year the municipality has a value for (or the report's year).
            shown = next((y for y, own in reversed(row) if own is not None), years[-1])
            contents[namnd_id].key_figures.append(KeyFigureRow(
                nyckeltal, row, comparisons=compared.get((nyckeltal.pk, shown), []),
                comparison_year=shown))


def _add_disposition(period: Rapportperiod, contents: dict[int, SectionContent]) -> None:
    """F4: at year-end, what is proposed or decided for each nämnd's result."""
    if period.period != FollowUpPeriod.YEAR:
        return
    for disposition in Resultatdisposition.objects.filter(budget_year=period.budget_year,
                                                         namnd_id__in=list(contents)):
        contents[disposition.namnd_id].economy.disposition = disposition


def _add_volumes(period: Rapportperiod, contents: dict[int, SectionContent]) -> None:
    """Verksamhetens volymer (F1): the period's outcome and forecast of every measure (the
    årsredovisning's "ar" is the year's outcome), and the population B4 follows."""
    for namnd_id, found in volumes_for(budget_year=period.budget_year,
                                       period=_assessed_period(period),
                                       namnder=[c.namnd for c in contents.values()]).items():
        contents[namnd_id].volumes = found


def _add_investments(period: Rapportperiod, contents: dict[int, SectionContent], *,
                     user) -> None:
    """The nämnder's projects of the year (April, August, October and the year)."""
    for row in project_rows_of(user=user, year=period.budget_year.year, namnd_ids=list(contents)):
        contents[row.project.namnd_id].investments.append(row)


def _add_cases(period: Rapportperiod, contents: dict[int, SectionContent]) -> None:
    """The deviation cases open when the section was approved (today, until it is), with
    their measures: an approved report keeps telling what was open then. Only the cases open
    on each section's day are read (`_open_on` in SQL); their nämnd and year are the
    section's, already in hand, and their measures and effect reports are read in bulk."""
    budget_year = period.budget_year
    open_then = Q(pk__in=[])
    for content in contents.values():
        open_then |= Q(namnd_id=content.section.namnd_id) & _open_on_q(
            _cases_as_of(content.section))
    cases = list(Avvikelse.objects.filter(open_then, budget_year=budget_year)
                 .select_related("project").order_by("opened_on", "pk"))
    measures: dict[int, list[Atgard]] = defaultdict(list)
    effects: dict[int, Effektrapport] = {}
    if cases:
        for measure in Atgard.objects.filter(case__in=cases).order_by("pk"):
            measures[measure.case_id].append(measure)
        # One effect report per case and follow-up (D6).
        for effect in Effektrapport.objects.filter(case__in=cases, period=period.period):
            effects[effect.case_id] = effect
    for case in cases:
        content = contents[case.namnd_id]
        case.namnd, case.budget_year = content.namnd, budget_year
        as_of = _cases_as_of(content.section)
        if _open_on(case, as_of):
            content.cases.append(_case_row(case, as_of, measures[case.pk],
                                           effects.get(case.pk)))


def _add_earmarks(period: Rapportperiod, contents: dict[int, SectionContent]) -> None:
    """B3: how each earmarked allocation was used, accounted for in the bokslut."""
    for mark in earmarks(budget_year=period.budget_year, namnd_ids=list(contents)):
        contents[mark.line.frame.namnd_id].earmarks.append(mark)


def _add_uppdrag(period: Rapportperiod, contents: dict[int, SectionContent]) -> None:
    """KF's uppdrag, reported in the årsredovisning."""
    for uppdrag in Uppdrag.objects.filter(namnd_id__in=list(contents),
                                          budget_year=period.budget_year,
                                          ).exclude(status=DecisionStatus.DRAFT):
        contents[uppdrag.namnd_id].uppdrag.append(uppdrag)


# --- the municipality's overview of the nämnder's economy ----------------------------------------


@dataclass
class OverviewRow:
    content: SectionContent
    significant_deficit: bool  # D1: a deficit over 1,0 % of the frame


@dataclass
class EconomyOverview:
    """Every nämnd's frame, outcome to date, forecast and variance, with the totals; the
    totals of forecast and variance cover the nämnder that have a forecast."""

    rows: list[OverviewRow]
    frame: Decimal
    outcome_to_date: Decimal | None
    forecast: Decimal | None
    variance: ForecastVariance | None

    @property
    def is_year_end(self) -> bool:
        return bool(self.rows) and all(row.content.economy.is_year_end for row in self.rows)

    @property
    def missing_forecasts(self) -> list[SectionContent]:
        return [row.content for row in self.rows if row.content.economy.full_year is None]

    @property
    def missing_forecast_names(self) -> str:
        return ", ".join(str(content.namnd) for content in self.missing_forecasts)


def economy_overview(contents: list[SectionContent]) -> EconomyOverview:
    rows, frames, outcomes, forecast_frames, forecasts = [], [], [], [], []
    for content in contents:
        economy = content.economy
        frame, full_year = economy.frame, economy.full_year
        significant = bool(economy.forecast is not None and economy.variance is not None
                           and economy.variance.is_significant_deficit)
        rows.append(OverviewRow(content, significant))
        if frame is not None:
            frames.append(frame)
        if economy.outcome_to_date is not None:
            outcomes.append(economy.outcome_to_date)
        if frame is not None and full_year is not None:
            forecast_frames.append(frame)
            forecasts.append(full_year)
    return EconomyOverview(
        rows=rows, frame=sum(frames, ZERO),
        outcome_to_date=sum(outcomes, ZERO) if outcomes else None,
        forecast=sum(forecasts, ZERO) if forecasts else None,
        variance=forecast_variance(frame=sum(forecast_frames, ZERO),
                                   forecast=sum(forecasts, ZERO)) if forecasts else None)


def _cases_as_of(section: Rapportavsnitt) -> date:
    return section.approved_on or timezone.localdate()


def _case_row(case: Avvikelse, as_of: date, measures: list[Atgard],
              effect: Effektrapport | None) -> CaseRow:
    """The case with the measures written by `as_of` and the follow-up's effect report."""
    return CaseRow(case, [m for m in measures if timezone.localdate(m.created_at) <= as_of],
                   effect)


def _open_on_q(day: date) -> Q:
    """`_open_on` as a filter."""
    return Q(opened_on__lte=day) & (Q(closed_on__gt=day)
                                    | Q(closed_on__isnull=True, status=CaseStatus.OPEN))


def _open_on(case: Avvikelse, day: date) -> bool:
    if case.opened_on > day:
        return False
    if case.closed_on is not None:
        return case.closed_on > day
    return case.status == CaseStatus.OPEN


# --- the numbers the nämnd approved ----------------------------------------------------------


# The labels of the section's key numbers. Kept on the section as they are (Swedish), they are
# msgids too, so the pages show them in the reader's language.
FRAME = gettext_noop("Ram")
OUTCOME_TO_DATE = gettext_noop("Utfall hittills")
FULL_YEAR_OUTCOME = gettext_noop("Helårsutfall")
FULL_YEAR_FORECAST = gettext_noop("Helårsprognos")
VARIANCE = gettext_noop("Avvikelse mot ram")
GOAL = gettext_noop("Mål: %(goal)s")
VOLUME = gettext_noop("Volym helår: %(measure)s")


def figures_of(content: SectionContent) -> dict[str, str]:
    """The section's key numbers as text, kept on the section when the nämnd approves it.

    Always in Swedish (labels, assessments, number format), whoever records the approval:
    `drift` compares them as text with the numbers of later days."""
    with translation.override("sv"):
        economy = content.economy
        figures = {
            FRAME: _money(economy.frame),
            OUTCOME_TO_DATE: _money(economy.outcome_to_date),
            FULL_YEAR_OUTCOME if economy.is_year_end else FULL_YEAR_FORECAST:
                _money(economy.full_year),
            VARIANCE: _money(economy.variance.amount if economy.variance else None),
        }
        for row in content.goals:
            figures[GOAL % {"goal": row.goal.title}] = str(row.level_label)
        for row in _volume_rows(content):
            figures[_volume_label(row)] = _volume(row)
    return figures


def drift(content: SectionContent) -> list[ChangeRow]:
    """Numbers that have changed in the data since the nämnd approved the section; compared as
    kept (Swedish), shown in the reader's language."""
    approved = content.section.approved_figures or {}
    now = figures_of(content)
    return [ChangeRow(_shown_label(label), _shown_value(approved[label]),
                      _shown_value(now.get(label, "–")))
            for label in approved if approved[label] != now.get(label, "–")]


def _shown_label(kept: str) -> str:
    """A kept label in the reader's language: "Mål: Fler besökare" reads "Goal: Fler besökare"."""
    for template in (GOAL, VOLUME):
        prefix = template.split("%(")[0]
        if kept.startswith(prefix):
            name = kept.removeprefix(prefix)
            return _(template) % ({"goal": name} if template == GOAL else {"measure": name})
    return _(kept)


def _shown_value(kept: str) -> str:
    """A kept assessment ("Delvis") in the reader's language; amounts and volumes as kept."""
    return _(kept) if kept in _kept_assessments() else kept


def _kept_assessments() -> set[str]:
    with translation.override("sv"):
        return {str(label) for value, label in Level.choices} | {NOT_ASSESSED}


# --- what changed since the last report -------------------------------------------------------


@dataclass
class ChangeRow:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _money(amount: Decimal | None) -> str:
    return tkr(amount)


def _volume_rows(content: SectionContent) -> list[VolumeRow]:
    return content.volumes.rows if content.volumes else []


def _volume_label(row: VolumeRow) -> str:
    """Keyed by the measure's name, so a measure carried into the next year compares too; the
    full-year volume is the forecast, and in the årsredovisning the outcome."""
    return _(VOLUME) % {"measure": row.measure.name}


def _volume(row: VolumeRow) -> str:
    if row.forecast is None:
        return "–"
    return f"{number(row.forecast, max_places=VOLUME_PLACES)} {row.measure.unit}"


def changes_since(section: Rapportavsnitt, previous: Rapportavsnitt | None) -> list[ChangeRow]:
    """The "Vad har ändrats" rows: the section beside the nämnd's previous report (none when
    there is no previous report); the outcome is read once for both."""
    if previous is None:
        return []
    outcome = OutcomeRead()
    current = _for_comparison(section.period, [section], outcome)[0]
    before = _for_comparison(previous.period, [previous], outcome)[0]
    return comparison(current, before)


def comparison(current: SectionContent, previous: SectionContent) -> list[ChangeRow]:
    """This section's numbers and texts beside the same nämnd's previous report."""
    rows: list[ChangeRow] = []
    now, then = current.economy, previous.economy
    rows.append(ChangeRow(_(FRAME), _money(then.frame), _money(now.frame)))
    rows.append(ChangeRow(_(OUTCOME_TO_DATE), _money(then.outcome_to_date),
                          _money(now.outcome_to_date)))
    rows.append(ChangeRow(_(FULL_YEAR_OUTCOME) if now.is_year_end else _(FULL_YEAR_FORECAST),
                          _money(then.full_year), _money(now.full_year)))
    rows.append(ChangeRow(_(VARIANCE),
                          _money(then.variance.amount if then.variance else None),
                          _money(now.variance.amount if now.variance else None)))
    before_goals = {row.goal.pk: row.level_label for row in previous.goals}
    for row in current.goals:
        rows.append(ChangeRow(_(GOAL) % {"goal": row.goal.title},
                              before_goals.get(row.goal.pk, "–"), row.level_label))
    before_volumes = {_volume_label(row): _volume(row) for row in _volume_rows(previous)}
    for row in _volume_rows(current):
        label = _volume_label(row)
        rows.append(ChangeRow(label, before_volumes.pop(label, "–"), _volume(row)))
    rows += [ChangeRow(label, before, "–") for label, before in before_volumes.items()]
    rows.append(ChangeRow(_("Öppna avvikelseärenden"), str(len(previous.cases)),
                          str(len(current.cases))))
    for name in ("summary", "conclusion", "priorities", "recommendation", "future_challenges"):
        label = Rapportavsnitt._meta.get_field(name).verbose_name
        rows.append(ChangeRow(str(label).capitalize(), getattr(previous.section, name),
                              getattr(current.section, name)))
    return rows


def sections_reporting(case: Avvikelse) -> list[Rapportavsnitt]:
    """The report sections that report the case: its nämnd's sections of its budget year on
    whose day (approval, or today for one not yet approved) the case was open, as `assemble`
    shows them."""
    sections = (Rapportavsnitt.objects.filter(namnd_id=case.namnd_id,
                                              period__budget_year_id=case.budget_year_id)
                .select_related("period__budget_year", "namnd").order_by("period__deadline"))
    return [section for section in sections if _open_on(case, _cases_as_of(section))]
