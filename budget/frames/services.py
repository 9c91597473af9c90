"""Frame build-up (B2-B6): last year's frame plus index and volume, priorities, earmarked
allocations, minus change requirements; every component a line, the total their sum.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from budget.models import (
    ONE_OFF_LINE_KINDS,
    AdjustmentKind,
    CostShare,
    Driftbudgetram,
    FrameAdjustment,
    FrameComputation,
    FrameStage,
    IndexRate,
    LineKind,
    Planram,
    Population,
    Recomputation,
    VolumeRate,
)
from styrmodell.errors import DomainError
from styrmodell.formatting import number, tkr
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, OrganisationUnit

KRONA = Decimal("1")
HUNDRED = Decimal("100")


def kronor(amount: Decimal) -> Decimal:
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    kind: str
    label: str
    amount: Decimal
    earmarked: bool = False


def base_frame(*, namnd: OrganisationUnit, year: int) -> Decimal:
    """B2: the starting point is the frame KF decided for the year before, with the year's
    salary compensation (B10) but without its one-off grants from the ofördelad budget (B7)."""
    previous = Driftbudgetram.objects.filter(
        namnd=namnd, budget_year__year=year - 1, stage=FrameStage.DECIDED
    ).first()
    if previous is None:
        raise DomainError(f"{namnd} saknar en beslutad ram för {year - 1} att utgå från.")
    one_off = previous.lines.filter(kind__in=ONE_OFF_LINE_KINDS).aggregate(
        total=Sum("amount"))["total"] or Decimal("0")
    return previous.total - one_off


def index_lines(*, namnd: OrganisationUnit, budget_year: BudgetYear, base: Decimal) -> list[Line]:
    """B5: the general index on the whole base, or per cost type where the nämnd's cost
    structure is known and a differentiated index is set (the rest at the general index)."""
    rates = {rate.cost_type_id: rate for rate in
             IndexRate.objects.filter(budget_year=budget_year).select_related("cost_type")}
    general = rates.get(None)
    if general is None:
        raise DomainError(f"Allmänt index saknas för {budget_year}.")
    shares = list(CostShare.objects.filter(namnd=namnd).select_related("cost_type"))
    lines, covered = [], Decimal("0")
    for share in shares:
        rate = rates.get(share.cost_type_id, general)
        part = base * share.percent / HUNDRED
        covered += share.percent
        sign = -1 if share.cost_type.is_revenue else 1
        lines.append(Line(LineKind.INDEX,
                          f"Index {share.cost_type.name.lower()} {number(rate.percent)} % "
                          f"på {number(share.percent)} % av ramen",
                          kronor(sign * part * rate.percent / HUNDRED)))
    if covered > HUNDRED:
        raise DomainError(f"Kostnadsandelarna för {namnd} är mer än 100 %.")
    rest = HUNDRED - covered
    if rest > 0:
        label = "Allmänt index" if not shares else f"Allmänt index på övriga {number(rest)} %"
        lines.append(Line(LineKind.INDEX, f"{label}: {number(general.percent)} %",
                          kronor(base * rest / HUNDRED * general.percent / HUNDRED)))
    return lines


@dataclass(frozen=True)
class VolumeChange:
    """The change in one age group from one year's forecast to the next, for one nämnd."""

    group: str
    change: int
    rate: Decimal

    @property
    def amount(self) -> Decimal:
        return kronor(Decimal(self.change) * self.rate)

    @property
    def label(self) -> str:
        return f"{self.group}: {self.change:+d} invånare × {number(self.rate)} kr"


def volume_changes(*, namnd: OrganisationUnit, year: int) -> list[VolumeChange]:
    """B4: per age group the nämnd follows, the forecast's change from the year before."""
    rates = list(VolumeRate.objects.filter(namnd=namnd).select_related("age_group"))
    population = {(p.year, p.age_group_id): p for p in Population.objects.filter(
        year__in=[year - 1, year], age_group__in=[rate.age_group for rate in rates])}
    changes = []
    for rate in rates:
        now = population.get((year, rate.age_group_id))
        before = population.get((year - 1, rate.age_group_id))
        if now is None or before is None:
            raise DomainError(f"Befolkningsprognos saknas för {rate.age_group} {year - 1}–{year}.")
        changes.append(VolumeChange(str(rate.age_group), now.forecast - before.forecast,
                                    rate.amount))
    return changes


def volume_lines(*, namnd: OrganisationUnit, year: int) -> list[Line]:
    """B4: volymtillskott follow the latest population forecast: the change in each age group
    from last year's forecast to this year's, times the nämnd's kronor per inhabitant."""
    return [Line(LineKind.VOLUME, change.label, change.amount)
            for change in volume_changes(namnd=namnd, year=year) if change.change]


def forecast_used(year: int) -> tuple[str, dt.datetime | None]:
    """B4: the population forecast as it stands for a budget year: the newest change of the
    forecasts that the year's volume lines and its plan years read (the year before, the year,
    the two plan years), as a version and the time of that change."""
    newest = (Population.history.filter(year__in=range(year - 1, year + 3))
              .order_by("-history_id").values_list("history_id", "history_date").first())
    if newest is None:
        return "0", None
    return str(newest[0]), newest[1]


def adjustment_lines(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                     base: Decimal) -> list[Line]:
    """Political priorities, earmarked allocations (B3) and change requirements (B6)."""
    adjustments = FrameAdjustment.objects.filter(budget_year=budget_year).filter(
        namnd__in=[namnd]) | FrameAdjustment.objects.filter(budget_year=budget_year,
                                                             namnd__isnull=True)
    lines = []
    for adjustment in adjustments.order_by("kind", "pk"):
        if adjustment.kind == AdjustmentKind.EFFICIENCY:
            amount = -(adjustment.amount or Decimal("0"))
            if adjustment.percent is not None:
                amount = -(base * adjustment.percent / HUNDRED)
            lines.append(Line(LineKind.EFFICIENCY, adjustment.reason, kronor(amount)))
        elif adjustment.namnd_id is None:
            # A priority or earmarked sum without a nämnd would vanish from every frame.
            raise DomainError(f"”{adjustment.reason}” saknar nämnd: prioriteringar och riktade "
                              "tillskott gäller en nämnd.")
        else:
            kind = (LineKind.EARMARKED if adjustment.kind == AdjustmentKind.EARMARKED
                    else LineKind.PRIORITY)
            lines.append(Line(kind, adjustment.reason, kronor(adjustment.amount or Decimal("0")),
                              earmarked=adjustment.kind == AdjustmentKind.EARMARKED))
    return lines


def starting_plan(*, namnd: OrganisationUnit, year: int) -> Planram | None:
    """B2: the plan frame KF decided for this year with an earlier budget; the newest decision
    that covers the year wins (the first plan year of last year's budget before the second
    plan year of the budget before that)."""
    return (Planram.objects
            .filter(decided_frame__namnd=namnd, decided_frame__stage=FrameStage.DECIDED,
                    year=year)
            .select_related("decided_frame__budget_year")
            .order_by("-decided_frame__budget_year__year").first())


def build_lines(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> list[Line]:
    """B2-B6: the year's build-up. Where KF decided a plan frame for the year with an earlier
    budget, that plan is the starting point and the lines after it say what changed since."""
    base = base_frame(namnd=namnd, year=budget_year.year)
    label = f"Beslutad ram {budget_year.year - 1}"
    if Driftbudgetram.objects.filter(namnd=namnd, budget_year__year=budget_year.year - 1,
                                     stage=FrameStage.DECIDED,
                                     lines__kind__in=ONE_OFF_LINE_KINDS).exists():
        label += " utom engångstilldelning ur ofördelad budget"
    index = index_lines(namnd=namnd, budget_year=budget_year, base=base)
    volumes = volume_changes(namnd=namnd, year=budget_year.year)
    adjustments = adjustment_lines(namnd=namnd, budget_year=budget_year, base=base)
    plan = starting_plan(namnd=namnd, year=budget_year.year)
    if plan is None:
        return [
            Line(LineKind.BASE, label, base),
            *index,
            *[Line(LineKind.VOLUME, c.label, c.amount) for c in volumes if c.change],
            *adjustments,
        ]
    return [*changes_since_plan(plan=plan, base=base, base_label=label, index=index,
                                volumes=volumes), *adjustments]


def changes_since_plan(*, plan: Planram, base: Decimal, base_label: str,
                       index: list[Line], volumes: list[VolumeChange]) -> list[Line]:
    """B2: the plan frame as the starting point, then each change since KF decided it: last
    year's frame as decided against the one the plan built on (salary compensation, B10), the
    index as set now against the plan's, and the forecast per age group now against the plan's.

    The total is the same as the build-up from last year's frame would give; the lines show it
    as the finance office reconciles it, from the plan KF already decided.
    """
    lines = [Line(LineKind.PLAN, f"Planram {plan.year} beslutad av KF med budget "
                                 f"{plan.decided_year}", plan.total)]
    base_change = base - plan.base
    if base_change:
        lines.append(Line(LineKind.BASE, f"{base_label} mot planens utgångsram "
                                         f"{number(plan.base)} kr", base_change))
    index_change = sum((line.amount for line in index), Decimal("0")) \
        - plan.amount_of(LineKind.INDEX)
    if index_change:
        lines.append(Line(LineKind.INDEX, "Index ändrat sedan planen: "
                                          + "; ".join(line.label for line in index),
                          index_change))
    return lines + volume_since_plan(plan=plan, volumes=volumes)


def volume_since_plan(*, plan: Planram, volumes: list[VolumeChange]) -> list[Line]:
    """B2, B4: per age group, the forecast's change now against the one the plan counted on."""
    lines = []
    planned = {line["group"]: line for line in plan.lines if line["kind"] == LineKind.VOLUME}
    for volume in volumes:
        before = planned.pop(volume.group, None)
        difference = volume.amount - (Decimal(before["amount"]) if before else Decimal("0"))
        if difference:
            in_plan = before["change"] if before else 0
            lines.append(Line(LineKind.VOLUME,
                              f"{volume.group}: {volume.change:+d} invånare enligt senaste "
                              f"prognosen mot {in_plan:+d} i planen × {number(volume.rate)} kr",
                              difference))
    for group, before in planned.items():  # an age group the nämnd no longer follows
        lines.append(Line(LineKind.VOLUME, f"{group}: ingen volympeng längre, "
                                           f"{before['change']:+d} invånare i planen",
                          -Decimal(before["amount"])))
    return lines


@transaction.atomic
def compute_frame(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                  stage: str = FrameStage.PRELIMINARY) -> Driftbudgetram:
    """Compute a nämnd's frame from its build-up; the total is always the sum of the lines."""
    if namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Driftbudgetramar sätts per nämnd.")
    lines = build_lines(namnd=namnd, budget_year=budget_year)
    frame, _created = Driftbudgetram.objects.select_for_update().get_or_create(
        namnd=namnd, budget_year=budget_year, stage=stage)
    if stage == FrameStage.DECIDED and frame.lines.exists():
        raise DomainError("En beslutad ram räknas inte om; ett nytt beslut ger en ny ram.")
    _replace_lines(frame, lines)
    frame.total = sum((line.amount for line in lines), Decimal("0"))
    frame.forecast_version, frame.forecast_as_of = forecast_used(budget_year.year)
    frame.save()
    return frame


def _replace_lines(frame: Driftbudgetram, lines) -> None:
    frame.lines.all().delete()
    frame.lines.bulk_create([
        frame.lines.model(frame=frame, kind=line.kind, label=line.label, amount=line.amount,
                          earmarked=line.earmarked, position=position)
        for position, line in enumerate(lines)
    ])


@transaction.atomic
def recompute_all(*, budget_year: BudgetYear, by=None, reason: str = "") -> list[Driftbudgetram]:
    """After an index or forecast changes, every preliminary frame of the year is rebuilt.

    A nämnd whose frame KF has already decided for the year keeps its frames as they are (B1).
    Each run is kept as a version of every frame it computed, so versions can be compared.
    """
    decided = Driftbudgetram.objects.filter(budget_year=budget_year, stage=FrameStage.DECIDED)
    namnder = OrganisationUnit.objects.filter(
        frames__budget_year__year=budget_year.year - 1, frames__stage=FrameStage.DECIDED
    ).exclude(pk__in=decided.values("namnd_id")).distinct().order_by("path")
    computed = [compute_frame(namnd=namnd, budget_year=budget_year) for namnd in namnder]
    if computed:
        record_versions(budget_year=budget_year, frames=computed, by=by, reason=reason)
    return computed


def record_versions(*, budget_year: BudgetYear, frames: list[Driftbudgetram], by=None,
                    reason: str = "", at=None) -> Recomputation:
    """B1: keep each recomputed frame as it came out, line by line."""
    run = Recomputation.objects.create(budget_year=budget_year, computed_at=at or timezone.now(),
                                       computed_by=by, reason=reason[:300])
    FrameComputation.objects.bulk_create([
        FrameComputation(run=run, frame=frame, total=frame.total, lines=[
            {"kind": line.kind, "label": line.label, "amount": str(line.amount),
             "earmarked": line.earmarked} for line in frame.lines.all()])
        for frame in frames
    ])
    return run


@dataclass(frozen=True)
class Shortfall:
    age_group: str
    forecast: int
    actual: int
    amount: Decimal


def population_true_up(*, namnd: OrganisationUnit, year: int) -> list[Shortfall]:
    """B4: where fewer people live in an age group than forecast, the nämnd must deliver a
    surplus of (forecast − actual) × its kronor per inhabitant of that group."""
    rates = {rate.age_group_id: rate for rate in
             VolumeRate.objects.filter(namnd=namnd).select_related("age_group")}
    shortfalls = []
    for population in Population.objects.filter(year=year, age_group_id__in=rates,
                                                actual__isnull=False):
        missing = population.forecast - population.actual
        if missing > 0:
            rate = rates[population.age_group_id]
            shortfalls.append(Shortfall(str(rate.age_group), population.forecast,
                                        population.actual, kronor(missing * rate.amount)))
    return shortfalls


NEXT_STAGE = {FrameStage.PRELIMINARY: FrameStage.PROPOSAL, FrameStage.PROPOSAL: FrameStage.DECIDED}
ALREADY_DECIDED = "En beslutad ram räknas inte om; ett nytt beslut ger en ny ram."


@transaction.atomic
def advance_frame(*, frame: Driftbudgetram) -> Driftbudgetram:
    """B1: the budgetberedning makes the preliminary frame its proposal; KF's decision makes the
    proposal the decided frame (see `decide_frame`). Each stage is kept, so they can be
    compared side by side."""
    target = NEXT_STAGE.get(frame.stage)
    if target is None:
        raise DomainError("Ramen är redan beslutad av KF.")
    if target == FrameStage.DECIDED:
        return decide_frame(frame=frame).frame
    existing = Driftbudgetram.objects.filter(namnd=frame.namnd, budget_year=frame.budget_year,
                                             stage=FrameStage.DECIDED).exists()
    if existing:
        raise DomainError(ALREADY_DECIDED)
    new, _created = Driftbudgetram.objects.update_or_create(
        namnd=frame.namnd, budget_year=frame.budget_year, stage=target,
        defaults={"total": frame.total, "forecast_version": frame.forecast_version,
                  "forecast_as_of": frame.forecast_as_of})
    _replace_lines(new, list(frame.lines.all()))
    return new


@dataclass(frozen=True)
class Decision:
    """What recording KF's decision on one nämnd's frame did (B2, B4)."""

    frame: Driftbudgetram
    proposed: Decimal
    forecast_changed: bool
    plan_frames: list[Planram]

    @property
    def namnd(self) -> OrganisationUnit:
        return self.frame.namnd

    @property
    def message(self) -> str:
        plans = ", ".join(_("%(year)s: %(total)s") % {"year": plan.year, "total": tkr(plan.total)}
                          for plan in self.plan_frames)
        text = _("KF:s beslut om ramen %(year)s för %(namnd)s är registrerat: %(total)s.") % {
            "year": self.frame.budget_year.year, "namnd": self.namnd,
            "total": tkr(self.frame.total)}
        if self.forecast_changed:
            text += " " + _(
                "Befolkningsprognosen har ändrats efter budgetförslaget, så volymförändringen "
                "är omräknad med den senaste prognosen: ramen ändrades från %(old)s till "
                "%(new)s.") % {"old": tkr(self.proposed), "new": tkr(self.frame.total)}
        if plans:
            text += " " + _("Planramar beslutade med budgeten: %(plans)s.") % {"plans": plans}
        return text


@transaction.atomic
def decide_frame(*, frame: Driftbudgetram) -> Decision:
    """B1, B2, B4: record KF's decision on a nämnd's proposed frame.

    B4: the volume lines are recomputed with the latest population forecast; where it changed
    after the proposal the decided frame differs from the proposal by exactly that, and the
    decision says so. The decided frame records which forecast it used.

    B2: KF decides the budget year and the two plan years together, so the plan frames for
    year + 1 and year + 2 are decided with it. They are computed, not entered: the finance
    office's multi-year plan rolls the same build-up forward (each plan year starts from the
    year before it, with the plan year's index where the finance office has set one and the
    budget year's otherwise, and the forecast's change into the plan year), and political
    priorities, earmarks and change requirements are decided in each year's own budget work.
    A decided frame and its plan frames are never recomputed.
    """
    frame = Driftbudgetram.objects.select_related("namnd", "budget_year").get(pk=frame.pk)
    if frame.stage != FrameStage.PROPOSAL:
        raise DomainError("KF beslutar om budgetförslaget: gör ramen till budgetförslag först."
                          if frame.stage == FrameStage.PRELIMINARY
                          else "Ramen är redan beslutad av KF.")
    namnd, budget_year = frame.namnd, frame.budget_year
    if Driftbudgetram.objects.select_for_update().filter(
            namnd=namnd, budget_year=budget_year, stage=FrameStage.DECIDED).exists():
        raise DomainError(ALREADY_DECIDED)
    proposed = list(frame.lines.all())
    volumes = volume_changes(namnd=namnd, year=budget_year.year)
    plan = (starting_plan(namnd=namnd, year=budget_year.year)
            if any(line.kind == LineKind.PLAN for line in proposed) else None)
    # The volume lines in the shape the proposal has them: against the plan where it starts
    # from one, from last year's forecast otherwise.
    volume = (volume_since_plan(plan=plan, volumes=volumes) if plan is not None
              else [Line(LineKind.VOLUME, c.label, c.amount) for c in volumes if c.change])
    lines = _with_volume(proposed, volume)
    forecast_changed = [(line.label, line.amount) for line in lines] != [
        (line.label, line.amount) for line in proposed]
    total = sum((line.amount for line in lines), Decimal("0"))
    plans = plan_year_build_up(namnd=namnd, budget_year=budget_year,
                               base=total - sum((line.amount for line in lines
                                                 if line.kind in ONE_OFF_LINE_KINDS),
                                                Decimal("0")))
    version, as_of = forecast_used(budget_year.year)
    decided = Driftbudgetram.objects.create(namnd=namnd, budget_year=budget_year,
                                            stage=FrameStage.DECIDED, total=total,
                                            forecast_version=version, forecast_as_of=as_of)
    _replace_lines(decided, lines)
    plan_frames = [Planram.objects.create(decided_frame=decided, year=year, base=base,
                                                total=plan_total, lines=plan_lines)
                   for year, base, plan_total, plan_lines in plans]
    return Decision(decided, frame.total, forecast_changed, plan_frames)


def _with_volume(lines: list, volume: list[Line]) -> list[Line]:
    """The proposal's lines with its volume lines replaced by those of the latest forecast, in
    the same place (after the index lines where the proposal had none)."""
    kept = [Line(line.kind, line.label, line.amount, line.earmarked) for line in lines]
    positions = [i for i, line in enumerate(kept) if line.kind == LineKind.VOLUME]
    if positions:
        at = positions[0]
    else:
        at = max((i + 1 for i, line in enumerate(kept)
                  if line.kind in (LineKind.PLAN, LineKind.BASE, LineKind.INDEX)), default=0)
    rest = [line for line in kept if line.kind != LineKind.VOLUME]
    at -= sum(1 for i in positions if i < at)
    return rest[:at] + volume + rest[at:]


def plan_year_build_up(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                       base: Decimal) -> list[tuple[int, Decimal, Decimal, list[dict]]]:
    """B2: the two plan years rolled forward from the decided frame (year, base, total, lines)."""
    plans = []
    for year in budget_year.plan_years:
        rates_year = BudgetYear.objects.filter(year=year).first()
        if rates_year is None or not IndexRate.objects.filter(budget_year=rates_year,
                                                              cost_type=None).exists():
            rates_year = budget_year
        try:
            index = index_lines(namnd=namnd, budget_year=rates_year, base=base)
            volumes = volume_changes(namnd=namnd, year=year)
        except DomainError as error:
            raise DomainError(_("Planåret %(year)s kan inte räknas fram: %(error)s Lägg in det "
                                "som saknas innan KF:s beslut registreras.")
                              % {"year": year, "error": error.message}) from error
        label = (f"Beslutad ram {budget_year.year}" if year == budget_year.year + 1
                 else f"Planram {year - 1}")
        lines = [_as_dict(Line(LineKind.BASE, label, base)), *map(_as_dict, index)]
        lines += [{**_as_dict(Line(LineKind.VOLUME, volume.label, volume.amount)),
                   "group": volume.group, "change": volume.change}
                  for volume in volumes if volume.change]
        total = sum((Decimal(line["amount"]) for line in lines), Decimal("0"))
        plans.append((year, base, total, lines))
        base = total
    return plans


def _as_dict(line: Line) -> dict:
    return {"kind": line.kind, "label": line.label, "amount": str(line.amount),
            "earmarked": line.earmarked}


@dataclass(frozen=True)
class DecisionFailure:
    namnd: OrganisationUnit
    message: str


@transaction.atomic
def decide_year(*, budget_year: BudgetYear) -> list[Decision]:
    """B1, B4: KF decides the whole budget: every nämnd's proposal not yet decided, each with
    the latest population forecast and its plan years. All or nothing: if one nämnd's frame
    cannot be decided, none is, and every nämnd's problem is said at once."""
    proposals = list(Driftbudgetram.objects.filter(budget_year=budget_year,
                                                   stage=FrameStage.PROPOSAL)
                     .exclude(namnd__in=Driftbudgetram.objects.filter(
                         budget_year=budget_year, stage=FrameStage.DECIDED).values("namnd"))
                     .select_related("namnd").order_by("namnd__path"))
    if not proposals:
        raise DomainError(_("Det finns inget budgetförslag för %(year)s som väntar på KF:s "
                            "beslut.") % {"year": budget_year.year})
    decisions, problems = [], []
    for proposal in proposals:
        try:
            with transaction.atomic():
                decisions.append(decide_frame(frame=proposal))
        except DomainError as error:
            problems.append(f"{proposal.namnd}: {error.message}")
    if problems:
        raise DomainError(" ".join(problems))
    return decisions
