"""The budget cycle of a year (B1): budgetunderlag, the distribution over verksamheter (B2),
versions of a frame compared side by side, and the finance office's checklist of the steps.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from budget.models import (
    Budgetunderlag,
    CostType,
    Driftbudgetram,
    ExpectedIndex,
    Fordelning,
    Fordelningsrad,
    FrameComputation,
    FrameStage,
    Recomputation,
    Verksamhet,
)
from styrmodell.errors import DomainError
from styrmodell.formatting import date_text, moment_short, number
from styrmodell.models import NAMND_LIKE_KINDS, BudgetYear, CalendarEvent, OrganisationUnit
from styrmodell.permissions import reach_condition
from styrmodell.versioning import (
    STALE_MESSAGE,
    check_new_row_version,
    check_submitted_version,
    check_version,
    first_save,
    set_version,
)

UNDERLAG_LOCKED = ("Budgetunderlaget är antaget av nämnden och låst. Ändringar kräver ett nytt "
                   "beslut i nämnden.")


def _namnd(namnd: OrganisationUnit) -> None:
    if namnd.kind not in NAMND_LIKE_KINDS:
        raise DomainError("Budgetunderlag och fördelningar görs per nämnd.")


# --- budgetunderlag (B1, B5) -------------------------------------------------------------------


def find_underlag(namnd: OrganisationUnit, budget_year: BudgetYear) -> Budgetunderlag | None:
    return (Budgetunderlag.objects.filter(namnd=namnd, budget_year=budget_year)
            .prefetch_related("expected_indices__cost_type").first())


def underlag_version(underlag: Budgetunderlag | None) -> str:
    """The underlag and its expected indices edit in one form: the newest record of each."""
    if underlag is None:
        return "0"
    return (f"{set_version(Budgetunderlag.history.filter(id=underlag.pk))}."
            f"{set_version(ExpectedIndex.history.filter(underlag_id=underlag.pk))}")


@transaction.atomic
def save_underlag(*, namnd: OrganisationUnit, budget_year: BudgetYear, version: str | None,
                  goals_text: str, consequences: str,
                  expected: dict[int, tuple[Decimal | None, str]]) -> Budgetunderlag:
    """B1: the förvaltning writes how the nämnd will meet its goals and the consequences of the
    preliminary frame; B5: the indices it expects to deviate, per cost type, with a reason.

    A new underlag expects version "0"; an adopted one is locked.
    """
    _namnd(namnd)
    underlag = (Budgetunderlag.objects.select_for_update()
                .filter(namnd=namnd, budget_year=budget_year).first())
    if underlag is None:
        check_new_row_version(version)
    else:
        check_submitted_version(underlag_version(underlag), version)
        if underlag.is_adopted:
            raise DomainError(UNDERLAG_LOCKED)
    goals_text, consequences = (goals_text or "").strip(), (consequences or "").strip()
    if not goals_text:
        raise DomainError("Skriv hur nämnden ska nå målen.", field="goals_text")
    if not consequences:
        raise DomainError("Skriv vilka konsekvenser den preliminära ramen får.",
                          field="consequences")
    types = {cost_type.pk: cost_type for cost_type in CostType.objects.all()}
    for type_id, (percent, reason) in expected.items():
        if percent is None and (reason or "").strip():
            raise DomainError(f"Ange förväntat index för {types[type_id].name.lower()} eller ta "
                              "bort motiveringen.", field=f"index_{type_id}")
        if percent is not None and not (reason or "").strip():
            raise DomainError(f"Motivera det förväntade indexet för "
                              f"{types[type_id].name.lower()}.", field=f"reason_{type_id}")
    if underlag is None:
        with first_save():
            underlag = Budgetunderlag.objects.create(namnd=namnd, budget_year=budget_year,
                                                     goals_text=goals_text,
                                                     consequences=consequences)
    elif (underlag.goals_text, underlag.consequences) != (goals_text, consequences):
        underlag.goals_text, underlag.consequences = goals_text, consequences
        underlag.save()
    existing = {row.cost_type_id: row for row in underlag.expected_indices.all()}
    for type_id, (percent, reason) in expected.items():
        row = existing.get(type_id)
        reason = (reason or "").strip()
        if percent is None:
            if row is not None:
                row.delete()
        elif row is None:
            ExpectedIndex.objects.create(underlag=underlag, cost_type_id=type_id,
                                         percent=percent, reason=reason)
        elif (row.percent, row.reason) != (percent, reason):
            row.percent, row.reason = percent, reason
            row.save()
    return underlag


@transaction.atomic
def adopt_underlag(*, underlag: Budgetunderlag, version: str | None, adopted_on: dt.date | None,
                   paragraph: str, today: dt.date | None = None) -> Budgetunderlag:
    """B1: the nämnd adopts its budgetunderlag (date and § of the minutes); locked from then."""
    today = today or timezone.localdate()
    underlag = Budgetunderlag.objects.select_for_update().get(pk=underlag.pk)
    check_version(underlag, version)
    if underlag.is_adopted:
        raise DomainError(UNDERLAG_LOCKED)
    if adopted_on is None:
        raise DomainError("Ange datum för nämndens beslut.", field="adopted_on")
    if adopted_on > today:
        raise DomainError("Beslutsdatumet kan inte ligga i framtiden.", field="adopted_on")
    paragraph = (paragraph or "").strip().removeprefix("§").strip()
    if not paragraph:
        raise DomainError("Ange paragraf i protokollet.", field="paragraph")
    underlag.adopted_on, underlag.paragraph = adopted_on, paragraph
    underlag.save()
    return underlag


@dataclass
class UnderlagRow:
    namnd: OrganisationUnit
    underlag: Budgetunderlag | None
    preliminary: Driftbudgetram | None

    @property
    def status(self) -> str:
        if self.underlag is None:
            return "Inte påbörjat"
        return "Antaget av nämnden" if self.underlag.is_adopted else "Utkast"


def underlag_rows(budget_year: BudgetYear) -> list[UnderlagRow]:
    """Every nämnd with the state of its budgetunderlag and its preliminary frame; two queries."""
    namnder = list(OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS, is_active=True)
                   .order_by("path"))
    underlag = {u.namnd_id: u for u in Budgetunderlag.objects.filter(budget_year=budget_year)}
    preliminary = {f.namnd_id: f for f in Driftbudgetram.objects.filter(
        budget_year=budget_year, stage=FrameStage.PRELIMINARY)}
    return [UnderlagRow(n, underlag.get(n.pk), preliminary.get(n.pk)) for n in namnder]


def readable_underlag(*, user, rows: list[UnderlagRow]) -> set[int]:
    """The nämnder whose budgetunderlag page the user may open (P5): an adopted one for
    everyone, a draft (or none yet) within the user's reach — at most one query."""
    adopted = {row.namnd.pk for row in rows if row.underlag and row.underlag.is_adopted}
    condition = reach_condition(user, "budgetunderlag", unit_field="")
    if condition is None:
        return {row.namnd.pk for row in rows}
    own = OrganisationUnit.objects.filter(condition, pk__in=[row.namnd.pk for row in rows])
    return adopted | set(own.values_list("pk", flat=True))


# --- distribution over verksamheter (B2) -------------------------------------------------------


def decided_frame(namnd: OrganisationUnit, budget_year: BudgetYear) -> Driftbudgetram | None:
    return Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year,
                                         stage=FrameStage.DECIDED).first()


def find_preliminary(namnd: OrganisationUnit,
                     budget_year: BudgetYear) -> Driftbudgetram | None:
    return Driftbudgetram.objects.filter(namnd=namnd, budget_year=budget_year,
                                         stage=FrameStage.PRELIMINARY).first()


def find_fordelning(namnd: OrganisationUnit, budget_year: BudgetYear) -> Fordelning | None:
    return (Fordelning.objects.filter(namnd=namnd, budget_year=budget_year)
            .prefetch_related("rows__verksamhet").first())


def fordelning_version(fordelning: Fordelning | None) -> str:
    if fordelning is None:
        return "0"
    return (f"{set_version(Fordelning.history.filter(id=fordelning.pk))}."
            f"{set_version(Fordelningsrad.history.filter(fordelning_id=fordelning.pk))}")


@transaction.atomic
def save_fordelning(*, namnd: OrganisationUnit, budget_year: BudgetYear, version: str | None,
                    amounts: dict[int, Decimal | None], adopted_on: dt.date | None,
                    paragraph: str, today: dt.date | None = None) -> Fordelning:
    """B2: the nämnd distributes its decided frame over its verksamheter; the amounts must add
    up to the frame exactly. Recorded with the date and § of the nämnd's decision; a later
    decision replaces it and the history keeps both.
    """
    _namnd(namnd)
    today = today or timezone.localdate()
    frame = decided_frame(namnd, budget_year)
    if frame is None:
        raise DomainError(f"{namnd} har ingen ram för {budget_year.year} beslutad av KF att "
                          "fördela ännu.")
    fordelning = (Fordelning.objects.select_for_update()
                  .filter(namnd=namnd, budget_year=budget_year).first())
    if str(version) != fordelning_version(fordelning) and not (
            fordelning is None and version in (None, "")):
        raise DomainError(STALE_MESSAGE)
    verksamheter = {v.pk: v for v in Verksamhet.objects.filter(namnd=namnd)}
    if not verksamheter:
        raise DomainError(f"{namnd} har inga verksamheter att fördela ramen på.")
    if set(amounts) - set(verksamheter):
        raise DomainError("En verksamhet hör inte till nämnden.")
    for pk, amount in amounts.items():
        if amount is not None and amount < 0:
            raise DomainError(f"Beloppet för {verksamheter[pk]} kan inte vara negativt.",
                              field=f"amount_{pk}")
    total = sum((amount or Decimal("0") for amount in amounts.values()), Decimal("0"))
    if total != frame.total:
        difference = frame.total - total
        side = "kvar att fördela" if difference > 0 else "för mycket fördelat"
        raise DomainError(
            f"Fördelningen summerar till {number(total)} kr men ramen är "
            f"{number(frame.total)} kr: {number(abs(difference))} kr {side}. "
            "Summan ska vara exakt lika med ramen.")
    if adopted_on is None:
        raise DomainError("Ange datum för nämndens beslut.", field="adopted_on")
    if adopted_on > today:
        raise DomainError("Beslutsdatumet kan inte ligga i framtiden.", field="adopted_on")
    paragraph = (paragraph or "").strip().removeprefix("§").strip()
    if not paragraph:
        raise DomainError("Ange paragraf i protokollet.", field="paragraph")
    if fordelning is None:
        with first_save():
            fordelning = Fordelning.objects.create(
                namnd=namnd, budget_year=budget_year, frame_total=frame.total,
                adopted_on=adopted_on, paragraph=paragraph)
    else:
        fordelning.frame_total, fordelning.adopted_on = frame.total, adopted_on
        fordelning.paragraph = paragraph
        fordelning.save()
    existing = {row.verksamhet_id: row for row in fordelning.rows.all()}
    for pk, amount in amounts.items():
        amount = amount or Decimal("0")
        row = existing.get(pk)
        if row is None:
            Fordelningsrad.objects.create(fordelning=fordelning, verksamhet_id=pk, amount=amount)
        elif row.amount != amount:
            row.amount = amount
            row.save()
    return fordelning


# --- versions side by side (B1) ----------------------------------------------------------------

NUMBER = re.compile(r"[+-]?\d+(?:[\u00a0 ]\d{3})*(?:,\d+)?")


def line_key(kind: str, label: str) -> tuple[str, str]:
    """Lines of two versions are the same line when they are of the same kind and differ only
    in their figures (an index line whose rate changed); a volume line is its age group."""
    if kind == "volym":
        return kind, label.split(":")[0]
    if kind in ("planram", "bas", "index"):
        return kind, NUMBER.sub("#", label)
    return kind, label


@dataclass
class CompareRow:
    kind: str
    label: str
    amounts: list[Decimal | None]
    earmarked: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def difference(self) -> Decimal:
        """The last column against the first."""
        first = self.amounts[0] or Decimal("0")
        last = self.amounts[-1] or Decimal("0")
        return last - first


@dataclass
class Comparison:
    titles: list[str]
    rows: list[CompareRow] = field(default_factory=list)
    totals: list[Decimal | None] = field(default_factory=list)

    @property
    def difference(self) -> Decimal:
        return (self.totals[-1] or Decimal("0")) - (self.totals[0] or Decimal("0"))


KIND_LABELS = {"planram": "Planram beslutad av KF", "bas": "Ram föregående år",
               "index": "Indexering", "volym": "Volymförändring",
               "prioritering": "Politisk prioritering", "forandringsuppdrag": "Förändringsuppdrag",
               "riktat": "Specificerat budgettillskott"}
KIND_ORDER = list(KIND_LABELS)


def compare(titles: list[str], versions: list[list[dict]],
            totals: list[Decimal | None]) -> Comparison:
    """Versions of a frame side by side, line by line (each version a list of line dicts)."""
    rows: dict[tuple[str, str], CompareRow] = {}
    for column, lines in enumerate(versions):
        for line in lines:
            key = line_key(line["kind"], line["label"])
            row = rows.get(key)
            if row is None:
                row = rows[key] = CompareRow(line["kind"], line["label"],
                                             [None] * len(versions), line.get("earmarked", False))
            row.label = line["label"]  # the newest wording
            row.amounts[column] = (row.amounts[column] or Decimal("0")) + Decimal(line["amount"])
    ordered = sorted(rows.values(), key=lambda row: KIND_ORDER.index(row.kind)
                     if row.kind in KIND_ORDER else len(KIND_ORDER))
    return Comparison(titles, ordered, totals)


def _frame_lines(frame: Driftbudgetram) -> list[dict]:
    return [{"kind": line.kind, "label": line.label, "amount": str(line.amount),
             "earmarked": line.earmarked} for line in frame.lines.all()]


def compare_stages(frames_by_stage: list[Driftbudgetram]) -> Comparison | None:
    """B1: preliminary vs proposal vs decided, line by line; None with fewer than two stages."""
    if len(frames_by_stage) < 2:
        return None
    return compare([frame.get_stage_display() for frame in frames_by_stage],
                   [_frame_lines(frame) for frame in frames_by_stage],
                   [frame.total for frame in frames_by_stage])


def versions_of(frame: Driftbudgetram | None) -> list[FrameComputation]:
    """The recomputations of a preliminary frame, newest first, with who and why."""
    if frame is None:
        return []
    return list(frame.computations.select_related("run__computed_by")
                .order_by("-run__computed_at", "-pk"))


def compare_versions(first: FrameComputation, second: FrameComputation) -> Comparison:
    older, newer = sorted([first, second], key=lambda v: (v.run.computed_at, v.pk))
    return compare([moment_short(timezone.localtime(older.run.computed_at)),
                    moment_short(timezone.localtime(newer.run.computed_at))],
                   [older.lines, newer.lines], [older.total, newer.total])


# --- the year's checklist (B1) -----------------------------------------------------------------


@dataclass(frozen=True)
class StepLink:
    """The page where a step's data is kept: a URL name taking the budget year, and its label."""

    url_name: str
    label: str


# The steps whose data has a page of its own, linked from the checklist.
STEP_LINKS = {
    "b1-forutsattningar": StepLink("budget:assumptions", "Antaganden"),
    "b1-budgetunderlag": StepLink("budget:underlag_list", "Budgetunderlag"),
    "b1-budgetforslag": StepLink("budget:frames", "Ramar"),
    "b1-kf-beslut": StepLink("budget:frames", "Ramar"),
}


@dataclass
class Step:
    event: CalendarEvent
    state: str  # "klar", "pagar", "ej" or "" (nothing in the system to show)
    text: str

    @property
    def is_done(self) -> bool:
        return self.state == "klar"

    @property
    def link(self) -> StepLink | None:
        return STEP_LINKS.get(self.event.code)

    @property
    def overdue(self) -> bool:
        return self.state in ("ej", "pagar") and self.event.date < timezone.localdate()

    @property
    def state_label(self) -> str:
        return {"klar": "Klart", "pagar": "Pågår", "ej": "Inte gjort"}.get(self.state, "–")


def _count(done: int, of: int, what: str) -> tuple[str, str]:
    state = "klar" if of and done == of else ("pagar" if done else "ej")
    return state, f"{done} av {of} {what}"


def checklist(budget_year: BudgetYear) -> list[Step]:
    """B1: the dated steps of the year from its calendar, each with the state of its data."""
    events = list(CalendarEvent.objects.filter(budget_year=budget_year, code__startswith="b1-",
                                               unit__isnull=True).order_by("date"))
    namnder = list(OrganisationUnit.objects.filter(kind__in=NAMND_LIKE_KINDS, is_active=True))
    n = len(namnder)
    by_stage: dict[str, int] = {}
    for stage in Driftbudgetram.objects.filter(budget_year=budget_year).values_list("stage",
                                                                                   flat=True):
        by_stage[stage] = by_stage.get(stage, 0) + 1
    underlag = list(Budgetunderlag.objects.filter(budget_year=budget_year)
                    .values_list("adopted_on", flat=True))
    adopted = sum(1 for day in underlag if day is not None)
    distributed = Fordelning.objects.filter(budget_year=budget_year).count()
    last = Recomputation.objects.filter(budget_year=budget_year).first()
    preliminary = _count(by_stage.get(FrameStage.PRELIMINARY, 0), n, "nämnder har preliminär ram")
    states = {
        "b1-forutsattningar": preliminary,
        "b1-preliminara-ramar": preliminary,
        "b1-budgetunderlag": (
            _count(adopted, n, "nämnder har antagit sitt budgetunderlag")[0],
            f"{adopted} av {n} antagna, {len(underlag) - adopted} utkast"),
        "b1-uppdatering": (
            ("klar", f"Senast omräknade {date_text(timezone.localtime(last.computed_at).date())}")
            if last and timezone.localtime(last.computed_at).date() > _event_day(events,
                                                                                "b1-budgetunderlag")
            else ("ej", "Inte omräknade efter budgetunderlagen")),
        "b1-budgetforslag": _count(by_stage.get(FrameStage.PROPOSAL, 0), n,
                                   "nämnder har ram i budgetförslaget"),
        "b1-definitivt-forslag": _count(by_stage.get(FrameStage.PROPOSAL, 0), n,
                                        "nämnder har ram i budgetförslaget"),
        "b1-kf-beslut": _count(by_stage.get(FrameStage.DECIDED, 0), n,
                               "nämnder har ram beslutad av KF"),
        "b1-verksamhetsplan": _count(distributed, n,
                                     "nämnder har fördelat ramen på verksamheter"),
    }
    return [Step(event, *states.get(event.code, ("", "Uppgiften förs inte i systemet")))
            for event in events]


def _event_day(events: list[CalendarEvent], code: str) -> dt.date:
    for event in events:
        if event.code == code:
            return event.date
    return dt.date.min
