"""Key figures (nyckeltal): their definitions, values and targets, and the A2 rule.

Reads (selectors) and changes (services) of key figures live here; the Kolada import is in
kolada.py and the chart in charts.py. Services raise DomainError with a Swedish message and run
in one transaction. Values are Decimal throughout.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe

from styrmodell.errors import DomainError
from styrmodell.formatting import quantity
from styrmodell.models import NAMND_LIKE_KINDS, OrganisationUnit, UnitKind
from styrmodell.permissions import Action, restrict
from styrmodell.versioning import check_version

from .charts import Series, line_chart
from .models import (
    GoodDirection,
    Jamforelsevarde,
    Nyckeltal,
    NyckeltalMalvarde,
    NyckeltalVarde,
)

MANUAL_SOURCE = "manuell"
KOLADA_SOURCE = "kolada"
SOURCE_LABELS = {MANUAL_SOURCE: "Manuellt inlagt", KOLADA_SOURCE: "Kolada"}
KOLADA_KPI_PATTERN = re.compile(r"^[NU]\d{5}$")
FIRST_YEAR = 1970
# NyckeltalVarde.value is DecimalField(max_digits=16, decimal_places=4).
VALUE_PLACES = 4
VALUE_LIMIT = Decimal(10) ** 12

CANDIDATE_LABEL = "Kandidat till nämndmål nästa år"


# --- numbers ---------------------------------------------------------------------------------


def check_value(value: Decimal | None, *, where: str = "Värdet") -> Decimal | None:
    """The value fits the database: at most four decimals and less than 10^12."""
    if value is None:
        return None
    if abs(value) >= VALUE_LIMIT:
        raise DomainError(f"{where} är för stort (högst 999 999 999 999).")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -VALUE_PLACES:
        raise DomainError(f"{where} har fler än {VALUE_PLACES} decimaler.")
    return value


# --- A2: negative development ------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """The latest two known values of a key figure and whether that is a change for the worse."""

    previous_period: int
    previous_value: Decimal
    latest_period: int
    latest_value: Decimal
    good_direction: str

    @property
    def change(self) -> Decimal:
        return self.latest_value - self.previous_value

    @property
    def is_negative(self) -> bool:
        """A2: worse than the period before, given which direction is good."""
        if self.good_direction == GoodDirection.DOWN:
            return self.change > 0
        return self.change < 0

    @property
    def is_positive(self) -> bool:
        return self.change != 0 and not self.is_negative

    @property
    def symbol(self) -> str:
        if self.change > 0:
            return "↗"
        if self.change < 0:
            return "↘"
        return "→"

    @property
    def verdict(self) -> str:
        if self.is_negative:
            return "Försämras"
        if self.is_positive:
            return "Förbättras"
        return "Oförändrat"

    def sentence(self, unit_label: str = "") -> str:
        direction = GoodDirection(self.good_direction).label.lower()
        return (f"{self.verdict}: {quantity(self.previous_value, unit_label)} "
                f"({self.previous_period}) → {quantity(self.latest_value, unit_label)} "
                f"({self.latest_period}); {direction}.")


def trend_of(values: dict[int, Decimal | None], good_direction: str) -> Trend | None:
    """The two latest periods that have a value; None if there are fewer than two."""
    known = sorted((period, value) for period, value in values.items() if value is not None)
    if len(known) < 2:
        return None
    (previous_period, previous_value), (latest_period, latest_value) = known[-2:]
    return Trend(previous_period, previous_value, latest_period, latest_value, good_direction)


def is_candidate_for_namndmal(values: dict[int, Decimal | None], good_direction: str) -> bool:
    """A2: a key figure that develops negatively is a candidate nämndmål for next year.

    The rule compares the municipality unit's latest two periods with a value (a year without
    a value is skipped), respecting the key figure's good direction: for "higher is better" a
    fall is negative, for "lower is better" a rise is. An unchanged value is not negative.
    """
    trend = trend_of(values, good_direction)
    return trend is not None and trend.is_negative


def municipality_unit() -> OrganisationUnit | None:
    """The municipality as a whole: the top unit of kind kommun."""
    return (OrganisationUnit.objects.filter(kind=UnitKind.KOMMUN, parent__isnull=True)
            .order_by("path").first())


def units_with_values() -> QuerySet[OrganisationUnit]:
    """Where a key figure's values are kept: the municipality and each nämnd (and KS). The
    reports read a nämnd's own value and else the municipality's; an enhet has none, so a big
    city's thousands of enheter are no choice on the value forms."""
    return (OrganisationUnit.objects.filter(is_active=True)
            .filter(Q(kind=UnitKind.KOMMUN) | Q(kind__in=NAMND_LIKE_KINDS)).order_by("path"))


# --- reads -------------------------------------------------------------------------------------


def visible_key_figures(user) -> QuerySet[Nyckeltal]:
    return restrict(Nyckeltal.objects.all(), user, "nyckeltal", Action.VIEW, unit_field="namnd")


def changeable_key_figures(user) -> QuerySet[Nyckeltal]:
    """Key figures the user may change: nämnd ones within reach, common ones kommun-wide."""
    return restrict(Nyckeltal.objects.all(), user, "nyckeltal", Action.CHANGE, unit_field="namnd")


def namnd_choices() -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS, is_active=True).order_by(
        "path"
    )


def source_text(nyckeltal: Nyckeltal) -> str:
    """Where the figure comes from, with its Kolada id: "Kolada (N15436)"."""
    source, kpi = nyckeltal.source.strip(), nyckeltal.kolada_kpi
    if not kpi:
        return source or "–"
    if not source or source.lower().startswith("kolada"):
        return f"Kolada ({kpi})"
    return f"{source}; Kolada ({kpi})"


@dataclass
class KeyFigureRow:
    nyckeltal: Nyckeltal
    latest_period: int | None = None
    latest_value: Decimal | None = None
    latest_source: str = ""
    target_year: int | None = None
    target_value: Decimal | None = None
    trend: Trend | None = None

    @property
    def is_candidate(self) -> bool:
        return self.trend is not None and self.trend.is_negative

    @property
    def latest_display(self) -> str:
        return quantity(self.latest_value, self.nyckeltal.unit_label)

    @property
    def latest_entered_by_hand(self) -> bool:
        return self.latest_source == MANUAL_SOURCE

    @property
    def target_display(self) -> str:
        return quantity(self.target_value, self.nyckeltal.unit_label)

    @property
    def source_display(self) -> str:
        return source_text(self.nyckeltal)

    @property
    def trend_sentence(self) -> str:
        return self.trend.sentence(self.nyckeltal.unit_label) if self.trend else ""


def key_figure_rows(user, *, namnd: OrganisationUnit | None = None, common_only: bool = False,
                    today: dt.date | None = None, only=None) -> list[KeyFigureRow]:
    """The list page: every visible key figure with its latest municipality value, the target
    for this year (or the latest one set) and its A2 status — in a fixed number of queries."""
    today = today or timezone.localdate()
    figures = visible_key_figures(user).select_related("namnd").order_by("name")
    if namnd is not None:
        figures = figures.filter(namnd=namnd)
    elif common_only:
        figures = figures.filter(namnd__isnull=True)
    if only is not None:  # these key figures (a queryset or ids), e.g. a goal's own
        figures = figures.filter(pk__in=only)
    figures = list(figures)
    ids = [figure.pk for figure in figures]
    kommun = municipality_unit()

    series: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    sources: dict[tuple[int, int], str] = {}
    if kommun is not None and ids:
        for figure_id, period, value, source in NyckeltalVarde.objects.filter(
            nyckeltal_id__in=ids, unit=kommun
        ).values_list("nyckeltal_id", "period", "value", "source"):
            series[figure_id][period] = value
            sources[(figure_id, period)] = source
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for figure_id, year, value in NyckeltalMalvarde.objects.filter(
        nyckeltal_id__in=ids
    ).values_list("nyckeltal_id", "year", "value"):
        targets[figure_id][year] = value

    rows = []
    for figure in figures:
        row = KeyFigureRow(figure)
        known = sorted(p for p, v in series[figure.pk].items() if v is not None)
        if known:
            row.latest_period = known[-1]
            row.latest_value = series[figure.pk][known[-1]]
            row.latest_source = sources[(figure.pk, known[-1])]
        own_targets = targets[figure.pk]
        if own_targets:
            row.target_year = today.year if today.year in own_targets else max(own_targets)
            row.target_value = own_targets[row.target_year]
        row.trend = trend_of(series[figure.pk], figure.good_direction)
        rows.append(row)
    return rows


@dataclass
class ValueRow:
    value: NyckeltalVarde
    display: str
    source_label: str
    target_display: str


@dataclass
class ComparisonTable:
    """The municipality's value beside each comparison municipality's, year by year: the
    chart's comparison lines as a table."""

    columns: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass
class KeyFigureDetail:
    nyckeltal: Nyckeltal
    kommun: OrganisationUnit | None
    values: list[ValueRow]
    targets: list[tuple[int, str]]
    trend: Trend | None
    chart_svg: str
    has_kolada_values: bool
    units: list[OrganisationUnit] = field(default_factory=list)
    comparison: ComparisonTable | None = None

    @property
    def is_candidate(self) -> bool:
        return self.trend is not None and self.trend.is_negative

    @property
    def trend_sentence(self) -> str:
        return self.trend.sentence(self.nyckeltal.unit_label) if self.trend else ""


def key_figure_detail(nyckeltal: Nyckeltal) -> KeyFigureDetail:
    """Everything the detail page shows: values per year and unit, targets, trend and chart."""
    kommun = municipality_unit()
    values = list(nyckeltal.values.select_related("unit").order_by("unit__path", "period"))
    targets = {t.year: t.value for t in nyckeltal.targets.order_by("year")}
    unit_label = nyckeltal.unit_label

    by_unit: dict[int, Series] = {}
    units: list[OrganisationUnit] = []
    for value in values:
        if value.unit_id not in by_unit:
            by_unit[value.unit_id] = Series(label=value.unit.name)
            units.append(value.unit)
        by_unit[value.unit_id].points[value.period] = value.value
    # The municipality's own line comes first (solid, circles).
    ordered = sorted(units, key=lambda unit: (kommun is None or unit.pk != kommun.pk, unit.path))
    kommun_series = by_unit.get(kommun.pk) if kommun is not None else None
    trend = trend_of(kommun_series.points, nyckeltal.good_direction) if kommun_series else None
    compared = comparison_series(nyckeltal)
    title = nyckeltal.name + (f" ({unit_label})" if unit_label else "")
    svg = mark_safe(line_chart(  # noqa: S308 - built by charts.py, every text escaped
        [by_unit[unit.pk] for unit in ordered] + compared,
        chart_id=f"nyckeltal-{nyckeltal.pk}-diagram",
        title=title,
        unit_label=unit_label,
        targets=targets,
    ))
    rows = [
        ValueRow(
            value=value,
            display=quantity(value.value, unit_label),
            source_label=SOURCE_LABELS.get(value.source, value.source),
            target_display=quantity(targets.get(value.period), unit_label)
            if value.period in targets else "–",
        )
        for value in values
    ]
    return KeyFigureDetail(
        nyckeltal=nyckeltal,
        kommun=kommun,
        values=rows,
        targets=[(year, quantity(value, unit_label)) for year, value in targets.items()],
        trend=trend,
        chart_svg=svg,
        has_kolada_values=any(value.source == KOLADA_SOURCE for value in values) or bool(compared),
        units=ordered,
        comparison=_comparison_table(kommun, kommun_series, compared, unit_label),
    )


def comparison_series(nyckeltal: Nyckeltal) -> list[Series]:
    """One line per comparison municipality with values of this key figure, by name."""
    lines: dict[int, Series] = {}
    for value in (Jamforelsevarde.objects.filter(nyckeltal=nyckeltal).select_related("kommun")
                  .order_by("kommun__name", "kommun__code", "period")):
        line = lines.setdefault(value.kommun_id, Series(label=value.kommun.name))
        line.points[value.period] = value.value
    return list(lines.values())


def _comparison_table(kommun: OrganisationUnit | None, own: Series | None,
                      compared: list[Series], unit_label: str) -> ComparisonTable | None:
    if not compared:
        return None
    if own is not None and kommun is not None:
        lines, columns = [own, *compared], [kommun.name]
    else:
        lines, columns = list(compared), []
    columns += [line.label for line in compared]
    periods = sorted({period for line in lines for period in line.points}, reverse=True)
    rows = [(period, [quantity(line.points.get(period), unit_label) for line in lines])
            for period in periods]
    return ComparisonTable(columns=columns, rows=rows)


# --- changes -----------------------------------------------------------------------------------


def _clean_definition(fields: dict, *, exclude_pk: int | None = None) -> dict:
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError("Ge nyckeltalet ett namn.", field="name")
    direction = fields.get("good_direction") or GoodDirection.UP
    if direction not in GoodDirection.values:
        raise DomainError("Välj om högre eller lägre är bättre.", field="good_direction")
    kpi = (fields.get("kolada_kpi") or "").strip().upper()
    if kpi and not KOLADA_KPI_PATTERN.match(kpi):
        raise DomainError("Kolada-id skrivs som N eller U följt av fem siffror, t.ex. N15436.",
                          field="kolada_kpi")
    if kpi:
        clash = Nyckeltal.objects.filter(kolada_kpi=kpi).exclude(pk=exclude_pk).first()
        if clash is not None:
            raise DomainError(f"Kolada-id {kpi} används redan av nyckeltalet ”{clash}”.",
                              field="kolada_kpi")
    namnd = fields.get("namnd")
    if namnd is not None and namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Ett nämndnyckeltal hör till en nämnd eller kommunstyrelsen.",
                          field="namnd")
    source = (fields.get("source") or "").strip()
    if kpi and not source:
        source = "Kolada"
    return {
        "name": name,
        "unit_label": (fields.get("unit_label") or "").strip(),
        "good_direction": direction,
        "source": source,
        "kolada_kpi": kpi,
        "description": (fields.get("description") or "").strip(),
        "namnd": namnd,
    }


@transaction.atomic
def create_key_figure(**fields) -> Nyckeltal:
    """A new key figure; with a nämnd it is that nämnd's own nämndnyckeltal (G8)."""
    return Nyckeltal.objects.create(**_clean_definition(fields))


@transaction.atomic
def update_key_figure(*, nyckeltal: Nyckeltal, version: str | None, **fields) -> Nyckeltal:
    nyckeltal = Nyckeltal.objects.select_for_update().get(pk=nyckeltal.pk)
    check_version(nyckeltal, version)
    for name, value in _clean_definition(fields, exclude_pk=nyckeltal.pk).items():
        setattr(nyckeltal, name, value)
    nyckeltal.save()
    return nyckeltal


def _check_period(period: int | None, *, latest: int, field_name: str) -> int:
    if period is None:
        raise DomainError("Ange år.", field=field_name)
    if not FIRST_YEAR <= period <= latest:
        raise DomainError(f"Ange ett år mellan {FIRST_YEAR} och {latest}.", field=field_name)
    return period


@transaction.atomic
def record_value(*, nyckeltal: Nyckeltal, unit: OrganisationUnit, period: int,
                 value: Decimal | None, source: str = MANUAL_SOURCE) -> NyckeltalVarde:
    """A value for one year and unit; an existing value for that year and unit is replaced."""
    if unit is None:
        raise DomainError("Välj organisation.", field="unit")
    _check_period(period, latest=timezone.localdate().year, field_name="period")
    check_value(value)
    stored, _ = NyckeltalVarde.objects.update_or_create(
        nyckeltal=nyckeltal, unit=unit, period=period,
        defaults={"value": value, "source": source},
    )
    return stored


@transaction.atomic
def set_target(*, nyckeltal: Nyckeltal, year: int, value: Decimal | None
               ) -> NyckeltalMalvarde | None:
    """The target for a year; no value removes that year's target."""
    _check_period(year, latest=timezone.localdate().year + 10, field_name="year")
    if value is None:
        NyckeltalMalvarde.objects.filter(nyckeltal=nyckeltal, year=year).delete()
        return None
    check_value(value, where="Målvärdet")
    target, _ = NyckeltalMalvarde.objects.update_or_create(
        nyckeltal=nyckeltal, year=year, defaults={"value": value}
    )
    return target
