"""Changes to goals: adopting KF's goals, nämndmål, enhetsmål, medarbetarplaner, assessments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from styrmodell.errors import DomainError
from styrmodell.formatting import date_text
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind, User
from styrmodell.versioning import (
    STALE_MESSAGE,
    check_new_row_version,
    check_version,
    first_save,
)

from .models import (
    DecisionStatus,
    Enhetsmal,
    Enhetsmalsuppfoljning,
    Faststallelse,
    FinansielltMal,
    FinansielltMalUtfall,
    Level,
    Malbedomning,
    Medarbetarmal,
    Medarbetarplan,
    Namndmal,
    OvergripandeMal,
    ReportPeriod,
    Uppdrag,
    Vision,
)

MAX_NAMNDMAL_PER_OVERARCHING_GOAL = 3
LOCKED_MESSAGE = "{} är antaget och låst. Ett nytt beslut ersätter det; historiken visar båda."


@dataclass
class Saved:
    """What a service saved, with the warnings (bör-rules) the user should see."""

    obj: object
    warnings: list[str] = field(default_factory=list)


def _require_draft(obj, label: str) -> None:
    if obj.is_locked:
        raise DomainError(LOCKED_MESSAGE.format(label))


def _record_decision(obj, *, body: OrganisationUnit, decided_on: dt.date, paragraph: str,
                     case_number: str) -> None:
    if not decided_on:
        raise DomainError("Ange beslutsdatum.", field="decided_on")
    if not paragraph:
        raise DomainError("Ange paragraf i protokollet.", field="paragraph")
    obj.status = DecisionStatus.ADOPTED
    obj.decided_by = body
    obj.decided_on = decided_on
    obj.paragraph = paragraph
    obj.case_number = case_number


def _kf() -> OrganisationUnit:
    kf = OrganisationUnit.objects.filter(kind=UnitKind.KF).first()
    if kf is None:
        raise DomainError("Organisationen saknar kommunfullmäktige.")
    return kf


def vision_in_force() -> Vision | None:
    """G1: the one vision in force: the adopted vision of the latest mandate period."""
    return (Vision.objects.filter(status=DecisionStatus.ADOPTED)
            .order_by("-mandate_period__starts_on", "-decided_on", "-pk").first())


@transaction.atomic
def adopt_vision(*, vision: Vision, decided_on: dt.date, paragraph: str,
                 case_number: str = "") -> Vision:
    """G1: KF adopts the vision for a mandate period; one vision is in force at a time.

    A vision for the same or a later mandate period replaces the one in force (kept, never
    deleted). A vision recorded afterwards for an earlier mandate period is that period's
    vision, since replaced: the vision in force stays in force.
    """
    vision = Vision.objects.select_for_update().select_related("mandate_period").get(
        pk=vision.pk)
    _require_draft(vision, "Visionen")
    _record_decision(vision, body=_kf(), decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    in_force = vision_in_force()
    if in_force is not None and (in_force.mandate_period.starts_on
                                 > vision.mandate_period.starts_on):
        vision.status = DecisionStatus.REPLACED
        vision.save()
        return vision
    adopted = list(Vision.objects.select_for_update()
                        .filter(status=DecisionStatus.ADOPTED).exclude(pk=vision.pk))
    for old in adopted:
        old.status = DecisionStatus.REPLACED
        old.save()
    if vision.replaces is None and in_force is not None and not _already_replaced(in_force):
        vision.replaces = in_force
    vision.save()
    return vision


def _already_replaced(vision: Vision) -> bool:
    """Whether a newer decision already names this vision as the one it replaced."""
    return Vision.objects.filter(replaces=vision).exists()


# §5.2: "De övergripande målen bör vara begränsade till antalet". The source sets no number;
# more than five in one mandate period is warned about (a "bör": never blocked).
MAX_OVERARCHING_GOALS = 5


def overarching_count_warning(*, goal: OvergripandeMal) -> str | None:
    """G2: many övergripande mål in one mandate period are advised against, not blocked."""
    # A goal and the proposal that is to replace it count once.
    others = (OvergripandeMal.objects.filter(mandate_period_id=goal.mandate_period_id)
              .exclude(status=DecisionStatus.REPLACED).exclude(pk=goal.pk)
              .exclude(replaced_by__status=DecisionStatus.DRAFT))
    if goal.replaces_id:
        others = others.exclude(pk=goal.replaces_id)
    count = others.count() + 1
    if count > MAX_OVERARCHING_GOALS:
        return _("Mandatperioden %(period)s har nu %(count)s övergripande mål. Styrmodellen "
                 "säger att de övergripande målen bör vara begränsade till antalet (högst "
                 "%(max)s rekommenderas).") % {
            "period": goal.mandate_period, "count": count, "max": MAX_OVERARCHING_GOALS}
    return None


def _require_year_of_period(goal: OvergripandeMal, budget_year: BudgetYear) -> None:
    if budget_year.mandate_period_id != goal.mandate_period_id:
        raise DomainError(
            _("%(year)s hör inte till mandatperioden %(period)s.")
            % {"year": budget_year.year, "period": goal.mandate_period}, field="budget_year")


@transaction.atomic
def adopt_overarching_goal(*, goal: OvergripandeMal, decided_on: dt.date, paragraph: str,
                           case_number: str = "",
                           budget_year: BudgetYear | None = None) -> OvergripandeMal:
    """G2: KF adopts an övergripande mål for the mandate period; it is fastställt for the
    budget year KF decided it with, if any; never for a year KF has not decided."""
    goal = OvergripandeMal.objects.select_for_update().get(pk=goal.pk)
    _require_draft(goal, "Det övergripande målet")
    if budget_year is not None:
        _require_year_of_period(goal, budget_year)
    _record_decision(goal, body=_kf(), decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    goal.save()
    if budget_year is not None:
        goal.affirmed_for.add(budget_year)
    _replace(goal.replaces)
    return goal


@transaction.atomic
def affirm_overarching_goals(*, budget_year: BudgetYear, decided_on: dt.date, paragraph: str,
                             case_number: str = "") -> Faststallelse:
    """G2: with the budget, KF re-affirms the period's adopted övergripande mål for the year.

    Recorded as KF's decision (date, §, dnr), once per budget year; only then are the goals
    fastställda for that year.
    """
    if budget_year.mandate_period_id is None:
        raise DomainError(_("Budgetåret %(year)s hör inte till någon mandatperiod.")
                          % {"year": budget_year.year})
    if Faststallelse.objects.filter(budget_year=budget_year).exists():
        raise DomainError(_("KF:s fastställande av de övergripande målen för %(year)s är redan "
                            "registrerat.") % {"year": budget_year.year})
    goals = list(OvergripandeMal.objects.filter(
        status=DecisionStatus.ADOPTED, mandate_period_id=budget_year.mandate_period_id))
    if not goals:
        raise DomainError(_("Mandatperioden har inga antagna övergripande mål att fastställa."))
    affirmation = Faststallelse(budget_year=budget_year)
    _record_decision(affirmation, body=_kf(), decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    affirmation.save()
    for goal in goals:
        goal.affirmed_for.add(budget_year)
    return affirmation


def _validate_namndmal(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                       overgripande_mal: OvergripandeMal | None, what: str, how_measured: str,
                       target: str, by_when: dt.date | None, own_goal: bool) -> None:
    """G5: specific, measurable, time-bound, for one year, derived from an övergripande mål."""
    if namnd.kind not in {UnitKind.NAMND, UnitKind.KS}:
        raise DomainError("Nämndmål sätts för en nämnd eller kommunstyrelsen.", field="namnd")
    if overgripande_mal is None and not own_goal:
        raise DomainError("Ange vilket övergripande mål nämndmålet utgår från.",
                          field="overgripande_mal")
    if overgripande_mal is not None and overgripande_mal.status != DecisionStatus.ADOPTED:
        raise DomainError("Det övergripande målet är inte antaget av KF.",
                          field="overgripande_mal")
    for value, name, label in ((what, "what", "vad som ska uppnås"),
                               (how_measured, "how_measured", "hur det mäts"),
                               (target, "target", "målvärdet")):
        if not (value or "").strip():
            raise DomainError(f"Ange {label}: målet ska vara specifikt och mätbart.", field=name)
    if by_when is None:
        raise DomainError("Ange när målet ska vara uppnått.", field="by_when")
    if by_when.year != budget_year.year:
        raise DomainError(
            f"Nämndmål gäller ett år: ange ett datum under {budget_year.year}.", field="by_when"
        )


def count_warning(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                  overgripande_mal: OvergripandeMal | None, exclude_pk: int | None = None
                  ) -> str | None:
    """G6: more than three nämndmål under one övergripande mål is advised against, not blocked."""
    if overgripande_mal is None:
        return None
    siblings = Namndmal.objects.filter(
        namnd=namnd, budget_year=budget_year, overgripande_mal=overgripande_mal
    ).exclude(status=DecisionStatus.REPLACED)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    count = siblings.count() + 1
    if count > MAX_NAMNDMAL_PER_OVERARCHING_GOAL:
        return (
            f"{namnd} har nu {count} nämndmål under ”{overgripande_mal.title}”. Styrmodellen "
            f"rekommenderar högst {MAX_NAMNDMAL_PER_OVERARCHING_GOAL} per övergripande mål."
        )
    return None


@transaction.atomic
def create_namndmal(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                    overgripande_mal: OvergripandeMal | None, title: str, what: str,
                    how_measured: str, target: str, by_when: dt.date | None,
                    set_by_kf: bool = False, own_goal: bool = False,
                    key_figures=()) -> Saved:
    _validate_namndmal(namnd=namnd, budget_year=budget_year, overgripande_mal=overgripande_mal,
                       what=what, how_measured=how_measured, target=target, by_when=by_when,
                       own_goal=own_goal)
    if not title.strip():
        raise DomainError("Ge målet en rubrik.", field="title")
    warning = count_warning(namnd=namnd, budget_year=budget_year,
                            overgripande_mal=overgripande_mal)
    goal = Namndmal.objects.create(
        namnd=namnd, budget_year=budget_year, overgripande_mal=overgripande_mal, title=title,
        what=what, how_measured=how_measured, target=target, by_when=by_when,
        set_by_kf=set_by_kf, own_goal=own_goal,
    )
    goal.key_figures.set(key_figures)
    return Saved(goal, [warning] if warning else [])


@transaction.atomic
def update_namndmal(*, goal: Namndmal, version: str | None, **fields) -> Saved:
    goal = Namndmal.objects.select_for_update().get(pk=goal.pk)
    _require_draft(goal, "Nämndmålet")
    check_version(goal, version)
    key_figures = fields.pop("key_figures", None)
    for name, value in fields.items():
        setattr(goal, name, value)
    _validate_namndmal(namnd=goal.namnd, budget_year=goal.budget_year,
                       overgripande_mal=goal.overgripande_mal, what=goal.what,
                       how_measured=goal.how_measured, target=goal.target,
                       by_when=goal.by_when, own_goal=goal.own_goal)
    warning = count_warning(namnd=goal.namnd, budget_year=goal.budget_year,
                            overgripande_mal=goal.overgripande_mal, exclude_pk=goal.pk)
    goal.save()
    if key_figures is not None:
        goal.key_figures.set(key_figures)
    return Saved(goal, [warning] if warning else [])


@transaction.atomic
def adopt_namndmal(*, goal: Namndmal, decided_on: dt.date, paragraph: str,
                   case_number: str = "") -> Namndmal:
    """G5/G4: the nämnd (or KF, for goals it set) adopts the goal; it is locked from then on."""
    goal = Namndmal.objects.select_for_update().get(pk=goal.pk)
    _require_draft(goal, "Nämndmålet")
    body = _kf() if goal.set_by_kf else goal.namnd
    _record_decision(goal, body=body, decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    goal.save()
    return goal


class OverarchingChoiceNeeded(DomainError):
    """G2: last year's goals fall under another mandate period's övergripande mål and the new
    period has several: the user says which of them each old goal now falls under."""

    def __init__(self, *, choices: list[OverarchingChoice]) -> None:
        super().__init__(_("Målen kopieras till en ny mandatperiod. Välj vilket av "
                           "mandatperiodens övergripande mål varje mål ska utgå från."))
        self.choices = choices


@dataclass
class OverarchingChoice:
    old: OvergripandeMal
    candidates: list[OvergripandeMal]
    suggested: OvergripandeMal | None


def _successor_in(goal: OvergripandeMal, period_id: int) -> OvergripandeMal | None:
    """The adopted goal of the period that KF decided replaces this one (following a chain)."""
    seen = set()
    current = goal
    while current.pk not in seen:
        seen.add(current.pk)
        newer = OvergripandeMal.objects.filter(replaces=current).first()
        if newer is None:
            return None
        if newer.mandate_period_id == period_id and newer.status == DecisionStatus.ADOPTED:
            return newer
        current = newer
    return None


def _link_for(old: OvergripandeMal, *, period_id: int, candidates: list[OvergripandeMal],
              links: dict[int, OvergripandeMal]) -> OvergripandeMal | None:
    """The övergripande mål of the new year a copied goal falls under, or None if ambiguous."""
    if old.mandate_period_id == period_id:
        if old.status == DecisionStatus.REPLACED:
            return _successor_in(old, period_id) or old
        return old
    chosen = links.get(old.pk)
    if chosen is not None:
        if chosen.pk not in {c.pk for c in candidates}:
            raise DomainError(_("Välj ett övergripande mål som KF har antagit för "
                                "mandatperioden."), field=f"link_{old.pk}")
        return chosen
    if len(candidates) == 1:
        return candidates[0]
    return _successor_in(old, period_id)


def _suggestion(old: OvergripandeMal, candidates: list[OvergripandeMal]) -> OvergripandeMal | None:
    """A pre-selected answer: the new goal with the same title, else the same number."""
    for test in (lambda c: c.title.strip() == old.title.strip(), lambda c: c.number == old.number):
        found = [c for c in candidates if test(c)]
        if len(found) == 1:
            return found[0]
    return None


def _goals_to_copy(namnd: OrganisationUnit, budget_year: BudgetYear) -> list[Namndmal]:
    existing = set(Namndmal.objects.filter(namnd=namnd, budget_year=budget_year)
                   .values_list("title", flat=True))
    return [old for old in Namndmal.objects.filter(
        namnd=namnd, budget_year__year=budget_year.year - 1, status=DecisionStatus.ADOPTED
    ).select_related("overgripande_mal__mandate_period").prefetch_related("key_figures")
        .order_by("pk") if old.title not in existing]


def copy_choices(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> list[OverarchingChoice]:
    """The övergripande mål of another mandate period that last year's goals fall under, each
    with this year's period's adopted goals to choose from (the form of G2's question)."""
    candidates = list(OvergripandeMal.objects.filter(
        mandate_period_id=budget_year.mandate_period_id, status=DecisionStatus.ADOPTED)
        .order_by("number"))
    choices: dict[int, OverarchingChoice] = {}
    for old in _goals_to_copy(namnd, budget_year):
        overarching = old.overgripande_mal
        if (overarching is not None and overarching.pk not in choices
                and overarching.mandate_period_id != budget_year.mandate_period_id):
            choices[overarching.pk] = OverarchingChoice(
                overarching, candidates, _suggestion(overarching, candidates))
    return list(choices.values())


@transaction.atomic
def copy_last_year(*, namnd: OrganisationUnit, budget_year: BudgetYear,
                   links: dict[int, OvergripandeMal] | None = None) -> int:
    """Last year's adopted nämndmål as drafts for this year; titles already there are skipped.

    G2: a copy falls under the övergripande mål of this year's mandate period. Into a new
    period, it is linked to the new period's goal when that is unambiguous (the period has one
    adopted goal, or KF decided that one replaces the old); otherwise `links` (old goal's pk →
    new goal) says which, and without it nothing is copied and OverarchingChoiceNeeded asks.
    """
    links = links or {}
    previous = _goals_to_copy(namnd, budget_year)
    period_id = budget_year.mandate_period_id
    candidates = list(OvergripandeMal.objects.filter(
        mandate_period_id=period_id, status=DecisionStatus.ADOPTED).order_by("number"))
    linked: dict[int, OvergripandeMal | None] = {}
    open_choices: dict[int, OverarchingChoice] = {}
    for old in previous:
        overarching = old.overgripande_mal
        if overarching is None or overarching.pk in linked:
            continue
        if overarching.mandate_period_id != period_id and not candidates:
            raise DomainError(_("KF har inte antagit några övergripande mål för mandatperioden "
                                "%(period)s ännu. Kopiera målen när de är antagna.")
                              % {"period": budget_year.mandate_period})
        linked[overarching.pk] = _link_for(overarching, period_id=period_id,
                                           candidates=candidates, links=links)
        if linked[overarching.pk] is None:
            open_choices[overarching.pk] = OverarchingChoice(
                overarching, candidates, _suggestion(overarching, candidates))
    if open_choices:
        raise OverarchingChoiceNeeded(choices=list(open_choices.values()))
    for old in previous:
        goal = Namndmal.objects.create(
            namnd=namnd, budget_year=budget_year,
            overgripande_mal=linked.get(old.overgripande_mal_id),
            title=old.title, what=old.what, how_measured=old.how_measured, target=old.target,
            by_when=_same_day_in(old.by_when, budget_year.year), set_by_kf=old.set_by_kf,
            own_goal=old.own_goal,
        )
        goal.key_figures.set(old.key_figures.all())
    return len(previous)


def _same_day_in(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


@transaction.atomic
def create_enhetsmal(*, enhet: OrganisationUnit, namndmal: Namndmal, title: str,
                     description: str = "") -> Enhetsmal:
    """G9: an enhet sets its goals after the nämndmål are adopted, each linked to one."""
    if namndmal.status != DecisionStatus.ADOPTED:
        raise DomainError("Enhetsmål sätts när nämndmålet är antaget av nämnden.")
    if enhet.kind != UnitKind.ENHET or not enhet.path.startswith(namndmal.namnd.path):
        raise DomainError(f"Välj en enhet inom {namndmal.namnd}.", field="enhet")
    if not title.strip():
        raise DomainError("Ge enhetsmålet en rubrik.", field="title")
    return Enhetsmal.objects.create(enhet=enhet, namndmal=namndmal, title=title,
                                    description=description)


# A3: the guiding questions of §8.2 for each level of the scale, with how a missing answer is
# named. At Ja: the activities that helped, external factors, resources; at Delvis and Nej also
# the activities that were missing.
_HELPED = ("activities_helped", gettext_noop("vilka aktiviteter som bidragit (eller inte) till "
                                             "måluppfyllelsen och varför"))
_MISSING = ("activities_missing", gettext_noop("vilka aktiviteter som saknades"))
_EXTERNAL = ("external_factors", gettext_noop("hur omvärldsfaktorer har bidragit eller påverkat"))
_RESOURCES = ("resources", gettext_noop("resurser, utfall och budgetavvikelse"))
GUIDING_QUESTIONS = {
    Level.YES: (_HELPED, _EXTERNAL, _RESOURCES),
    Level.PARTLY: (_HELPED, _MISSING, _EXTERNAL, _RESOURCES),
    Level.NO: (_HELPED, _MISSING, _EXTERNAL, _RESOURCES),
}
# A5: what the written assessment "ska ange" (§8.3).
CONCLUSION_PARTS = (
    ("conclusion", gettext_noop("Bedömningen ska ange slutsatsen som nämnden drar av "
                                "måluppfyllelsen.")),
    ("priorities", gettext_noop("Bedömningen ska ange vilka aktiviteter som prioriteras under "
                                "resten av året.")),
    ("recommendation", gettext_noop("Bedömningen ska ange vilka förändringar som rekommenderas "
                                    "inför nästa år.")),
)


def required_by_level() -> dict[str, tuple[str, ...]]:
    """Which levels require each answer (A3, A5), from the same lists the check uses; a
    conclusion part is required at every level."""
    required: dict[str, tuple[str, ...]] = {}
    for level in Level.values:
        for name, _label in GUIDING_QUESTIONS[level]:
            required[name] = (*required.get(name, ()), level)
    for name, _message in CONCLUSION_PARTS:
        required[name] = tuple(Level.values)
    return required


ASSESSMENT_TEXTS = ("activities_helped", "activities_missing", "external_factors", "resources",
                    "conclusion", "priorities", "recommendation", "future_challenges")


def _assessment_errors(assessment: Malbedomning) -> list[tuple[str, str]]:
    """A3-A5: every problem of the assessment at once; a blank or whitespace answer is none."""
    errors: list[tuple[str, str]] = []
    if assessment.level not in Level.values:
        errors.append(("level", _("Välj Ja, Delvis eller Nej.")))
    if assessment.period == ReportPeriod.AUGUST and assessment.forecast not in Level.values:
        errors.append(("forecast", _("Delårsrapporten kräver en prognos för måluppfyllelse.")))
    if assessment.period != ReportPeriod.AUGUST and assessment.forecast:
        errors.append(("forecast", _("Prognos för måluppfyllelse lämnas i delårsrapporten per "
                                     "augusti.")))
    if assessment.level in Level.values:
        level = Level(assessment.level).label
        for name, label in GUIDING_QUESTIONS[assessment.level]:
            if not getattr(assessment, name):
                errors.append((name, _("Bedömningen ”%(level)s” behöver ett svar om %(what)s.")
                               % {"level": level, "what": _(label)}))
    for name, message in CONCLUSION_PARTS:
        if not getattr(assessment, name):
            errors.append((name, _(message)))
    return errors


@transaction.atomic
def save_assessment(*, namndmal: Namndmal, period: str, author: User, version: str | None,
                    **answers) -> Malbedomning:
    """A3-A5: the assessment of a nämndmål in a follow-up, with every guiding question of its
    level, the conclusion, the activities prioritised for the rest of the year and the changes
    recommended for next year; A4 forecast only in August. All that is missing
    is said at once and nothing is saved until all is there."""
    if period not in ReportPeriod.values:
        raise DomainError("Okänd uppföljning.")
    if namndmal.status != DecisionStatus.ADOPTED:
        raise DomainError("Bara antagna nämndmål bedöms.")
    assessment = (Malbedomning.objects.select_for_update()
                  .filter(namndmal=namndmal, period=period).first())
    if assessment is None:
        check_new_row_version(version)
        assessment = Malbedomning(namndmal=namndmal, period=period, author=author)
    else:
        check_version(assessment, version)
        assessment.author = author
    for name, value in answers.items():
        value = value or ""
        setattr(assessment, name, value.strip() if name in ASSESSMENT_TEXTS else value)
    DomainError.raise_any(_assessment_errors(assessment))
    with first_save():
        assessment.save()
    return assessment


# FinansielltMalUtfall.value is DecimalField(max_digits=14, decimal_places=2).
OUTCOME_LIMIT = Decimal(10) ** 12


@transaction.atomic
def save_financial_outcome(*, goal: FinansielltMal, period: str, author: User,
                           version: str | None, value: Decimal | None, level: str,
                           forecast: str = "", comment: str = "") -> FinansielltMalUtfall:
    """G3 followed up with the analysis model (A1): the outcome in the goal's unit, the
    assessment Ja/Delvis/Nej (A3) and, in the delårsrapport per augusti only, the forecast for
    goal attainment (A4). One per goal and follow-up; a save against a stale version is refused."""
    if period not in ReportPeriod.values:
        raise DomainError("Okänd uppföljning.")
    if goal.status == DecisionStatus.DRAFT:
        raise DomainError("Bara finansiella mål som KF har beslutat följs upp.")
    if value is None:
        raise DomainError("Fyll i utfallet.", field="value")
    if abs(value) >= OUTCOME_LIMIT:
        raise DomainError("Utfallet är för stort.", field="value")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError("Utfallet kan ha högst två decimaler.", field="value")
    if level not in Level.values:
        raise DomainError("Välj Ja, Delvis eller Nej.", field="level")
    forecast = forecast or ""
    if period == ReportPeriod.AUGUST and forecast not in Level.values:
        raise DomainError("Delårsrapporten kräver en prognos för måluppfyllelse.",
                          field="forecast")
    if period != ReportPeriod.AUGUST and forecast:
        raise DomainError("Prognos för måluppfyllelse lämnas i delårsrapporten per augusti.",
                          field="forecast")
    comment = (comment or "").strip()
    if level != Level.YES and not comment:
        raise DomainError("Förklara i kommentaren varför målet inte nås helt.", field="comment")
    outcome = (FinansielltMalUtfall.objects.select_for_update()
               .filter(goal=goal, period=period).first())
    if outcome is None:
        check_new_row_version(version)
        outcome = FinansielltMalUtfall(goal=goal, period=period)
    else:
        check_version(outcome, version)
    outcome.value, outcome.level, outcome.forecast = value, level, forecast
    outcome.comment, outcome.author = comment, author
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError as error:  # someone else recorded the same follow-up just now
        raise DomainError(STALE_MESSAGE) from error
    return outcome


@transaction.atomic
def follow_up_enhetsmal(*, enhetsmal: Enhetsmal, period: str, level: str, comment: str,
                        author: User) -> Enhetsmalsuppfoljning:
    """A7: enhetsmål are followed up within the förvaltning."""
    if level not in Level.values:
        raise DomainError("Välj Ja, Delvis eller Nej.", field="level")
    follow_up, _created = Enhetsmalsuppfoljning.objects.update_or_create(
        enhetsmal=enhetsmal, period=period,
        defaults={"level": level, "comment": comment, "author": author},
    )
    return follow_up


@transaction.atomic
def add_medarbetarmal(*, plan: Medarbetarplan, enhetsmal: Enhetsmal, text: str) -> Medarbetarmal:
    """G10: a medarbetarmål is linked to an enhetsmål of the employee's own enhet."""
    if enhetsmal.enhet_id != plan.enhet_id:
        raise DomainError("Medarbetarmålet ska kopplas till ett enhetsmål för den egna enheten.",
                          field="enhetsmal")
    if not text.strip():
        raise DomainError("Skriv medarbetarmålet.", field="text")
    return Medarbetarmal.objects.create(plan=plan, enhetsmal=enhetsmal, text=text)


@transaction.atomic
def save_kf_draft(*, form) -> Saved:
    """A draft of one of KF's objects (G1-G3, G11), proposed before KF's decision.

    Only drafts change: once KF's decision is recorded, a new decision replaces it (P1). A
    proposal that makes the period's övergripande mål many is saved with a warning (G2).
    """
    if form.instance.pk and type(form.instance).objects.get(pk=form.instance.pk).is_locked:
        raise DomainError(LOCKED_MESSAGE.format("Beslutet"))
    obj = form.save(commit=False)
    obj.status = DecisionStatus.DRAFT
    obj.save()
    form.save_m2m()
    warning = overarching_count_warning(goal=obj) if isinstance(obj, OvergripandeMal) else None
    return Saved(obj, [warning] if warning else [])


@transaction.atomic
def adopt_kf_decision(*, obj, decided_on: dt.date, paragraph: str, case_number: str = "",
                      budget_year: BudgetYear | None = None):
    """Record KF's decision on a vision, övergripande mål, financial goal or uppdrag; an
    övergripande mål decided with a year's budget is fastställt for that year (G2)."""
    if isinstance(obj, Vision):
        return adopt_vision(vision=obj, decided_on=decided_on, paragraph=paragraph,
                            case_number=case_number)
    if isinstance(obj, OvergripandeMal):
        return adopt_overarching_goal(goal=obj, decided_on=decided_on, paragraph=paragraph,
                                      case_number=case_number, budget_year=budget_year)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    _require_draft(obj, str(obj._meta.verbose_name).capitalize())
    _record_decision(obj, body=_kf(), decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    obj.save()
    return obj


def _replace(old) -> None:
    """A new decision replaces an adopted object; both stay, with their history (P1)."""
    if old is not None and old.status == DecisionStatus.ADOPTED:
        old.status = DecisionStatus.REPLACED
        old.save()


@transaction.atomic
def create_medarbetarplan(*, employee: User, chef: User, enhet: OrganisationUnit,
                          budget_year: BudgetYear, agreed_on: dt.date | None) -> Medarbetarplan:
    """G10: the chef records the plan agreed in the medarbetarsamtal; one per person and year."""
    if Medarbetarplan.objects.filter(employee=employee, budget_year=budget_year).exists():
        raise DomainError(f"{employee} har redan en medarbetarplan för {budget_year}.",
                          field="employee")
    if employee == chef:
        raise DomainError("En chef upprättar inte sin egen medarbetarplan.", field="employee")
    with first_save():
        return Medarbetarplan.objects.create(employee=employee, chef=chef, enhet=enhet,
                                             budget_year=budget_year, agreed_on=agreed_on)


@transaction.atomic
def report_on_uppdrag(*, uppdrag: Uppdrag, report: str, completed: bool, author: User,
                      version: str | None) -> Uppdrag:
    """G11: the nämnd's förvaltning reports back on an uppdrag from KF: what was done, and
    whether it is done. The årsredovisning shows it. An officials' text (P2): the view lets
    only the nämnd's officials write it; a save against a stale version is refused."""
    uppdrag = Uppdrag.objects.select_for_update().get(pk=uppdrag.pk)
    if uppdrag.status != DecisionStatus.ADOPTED:
        raise DomainError(_("Bara uppdrag som KF har beslutat och som gäller återrapporteras."))
    check_version(uppdrag, version)
    report = (report or "").strip()
    if not report:
        raise DomainError(_("Skriv vad som har gjorts i uppdraget."), field="report")
    uppdrag.report, uppdrag.completed = report, bool(completed)
    uppdrag.reported_by, uppdrag.reported_at = author, timezone.now()
    uppdrag.save()
    return uppdrag


@transaction.atomic
def follow_up_medarbetarplan(*, plan: Medarbetarplan, by: User, version: str | None,
                             followed_up_on: dt.date | None, note: str,
                             today: dt.date | None = None) -> Medarbetarplan:
    """A7: the chef follows the medarbetarplan up at the medarbetarsamtal: the day and a note.

    G10: a chef up the employee's line records it (the view checks the line), never the
    employee themself. The day has happened and comes after the plan was agreed.
    """
    today = today or timezone.localdate()
    plan = Medarbetarplan.objects.select_for_update().get(pk=plan.pk)
    check_version(plan, version)
    note = (note or "").strip()
    errors: list[tuple[str | None, str]] = []
    if by.pk == plan.employee_id:
        errors.append((None, _("Uppföljningen av medarbetarplanen görs av chefen vid "
                               "medarbetarsamtalet, inte av medarbetaren själv.")))
    if followed_up_on is None:
        errors.append(("followed_up_on", _("Ange datum för medarbetarsamtalet.")))
    elif followed_up_on > today:
        errors.append(("followed_up_on", _("Medarbetarsamtalet kan inte ligga i framtiden.")))
    elif plan.agreed_on and followed_up_on < plan.agreed_on:
        errors.append(("followed_up_on",
                       _("Uppföljningen kan inte ligga före samtalet där planen kom överens "
                         "(%(day)s).") % {"day": f"{date_text(plan.agreed_on)}"}))
    if not note:
        errors.append(("follow_up_note", _("Skriv vad som kom fram vid uppföljningen.")))
    DomainError.raise_any(errors)
    plan.followed_up_on = followed_up_on
    plan.follow_up_note = note
    plan.followed_up_by = by
    plan.save()
    return plan
