"""Changes to goals: adopting KF's goals, nämndmål, enhetsmål, medarbetarplaner, assessments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from styrmodell.errors import DomainError
from styrmodell.models import BudgetYear, OrganisationUnit, UnitKind, User
from styrmodell.versioning import STALE_MESSAGE, check_version, first_save

from .models import (
    DecisionStatus,
    Enhetsmal,
    Enhetsmalsuppfoljning,
    FinansielltMal,
    FinansielltMalUtfall,
    Level,
    Malbedomning,
    Medarbetarmal,
    Medarbetarplan,
    Namndmal,
    OvergripandeMal,
    ReportPeriod,
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


@transaction.atomic
def adopt_vision(*, vision: Vision, decided_on: dt.date, paragraph: str,
                 case_number: str = "") -> Vision:
    """G1: KF adopts the vision; the vision in force until then is replaced, never deleted."""
    vision = Vision.objects.select_for_update().get(pk=vision.pk)
    _require_draft(vision, "Visionen")
    in_force = Vision.objects.filter(status=DecisionStatus.ADOPTED).exclude(pk=vision.pk)
    previous = in_force.order_by("-decided_on").first()
    for old in in_force:
        old.status = DecisionStatus.REPLACED
        old.save()
    _record_decision(vision, body=_kf(), decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    vision.replaces = vision.replaces or previous
    vision.save()
    return vision


@transaction.atomic
def adopt_overarching_goal(*, goal: OvergripandeMal, decided_on: dt.date, paragraph: str,
                           case_number: str = "",
                           budget_year: BudgetYear | None = None) -> OvergripandeMal:
    """G2: KF adopts an övergripande mål for the mandate period."""
    goal = OvergripandeMal.objects.select_for_update().get(pk=goal.pk)
    _require_draft(goal, "Det övergripande målet")
    _record_decision(goal, body=_kf(), decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    goal.save()
    if budget_year is not None:
        goal.affirmed_for.add(budget_year)
    return goal


@transaction.atomic
def affirm_overarching_goals(*, budget_year: BudgetYear) -> int:
    """G2: with the budget, KF re-affirms the period's adopted övergripande mål for the year."""
    goals = OvergripandeMal.objects.filter(
        status=DecisionStatus.ADOPTED, mandate_period=budget_year.mandate_period
    )
    for goal in goals:
        goal.affirmed_for.add(budget_year)
    return goals.count()


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


@transaction.atomic
def copy_last_year(*, namnd: OrganisationUnit, budget_year: BudgetYear) -> int:
    """Last year's adopted nämndmål as drafts for this year; titles already there are skipped."""
    existing = set(
        Namndmal.objects.filter(namnd=namnd, budget_year=budget_year).values_list("title",
                                                                                  flat=True)
    )
    previous = Namndmal.objects.filter(
        namnd=namnd, budget_year__year=budget_year.year - 1, status=DecisionStatus.ADOPTED
    ).prefetch_related("key_figures")
    copied = 0
    for old in previous:
        if old.title in existing:
            continue
        goal = Namndmal.objects.create(
            namnd=namnd, budget_year=budget_year, overgripande_mal=old.overgripande_mal,
            title=old.title, what=old.what, how_measured=old.how_measured, target=old.target,
            by_when=_same_day_in(old.by_when, budget_year.year), set_by_kf=old.set_by_kf,
            own_goal=old.own_goal,
        )
        goal.key_figures.set(old.key_figures.all())
        copied += 1
    return copied


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


def _require_answers(assessment: Malbedomning) -> None:
    """A3: the guiding questions of §8.2 for the chosen level; A5: a conclusion."""
    required = [("activities_helped", "vilka aktiviteter som bidragit"),
                ("resources", "resurser, utfall och budgetavvikelse")]
    if assessment.level in {Level.PARTLY, Level.NO}:
        required.insert(1, ("activities_missing", "vilka aktiviteter som saknades"))
    required.append(("conclusion", "slutsatsen"))
    for name, label in required:
        if not getattr(assessment, name).strip():
            raise DomainError(f"Bedömningen ”{assessment.get_level_display()}” behöver ett svar "
                              f"om {label}.", field=name)


@transaction.atomic
def save_assessment(*, namndmal: Namndmal, period: str, author: User, version: str | None,
                    **answers) -> Malbedomning:
    """A3-A6: the assessment of a nämndmål in a follow-up; A4 forecast only in August."""
    if period not in ReportPeriod.values:
        raise DomainError("Okänd uppföljning.")
    if namndmal.status != DecisionStatus.ADOPTED:
        raise DomainError("Bara antagna nämndmål bedöms.")
    assessment = (Malbedomning.objects.select_for_update()
                  .filter(namndmal=namndmal, period=period).first())
    if assessment is None:
        if version not in (None, "", "0"):
            raise DomainError(STALE_MESSAGE)
        assessment = Malbedomning(namndmal=namndmal, period=period, author=author)
    else:
        check_version(assessment, version)
        assessment.author = author
    for name, value in answers.items():
        setattr(assessment, name, value or "")
    if assessment.level not in Level.values:
        raise DomainError("Välj Ja, Delvis eller Nej.", field="level")
    if period == ReportPeriod.AUGUST and assessment.forecast not in Level.values:
        raise DomainError("Delårsrapporten kräver en prognos för måluppfyllelse.",
                          field="forecast")
    if period != ReportPeriod.AUGUST and assessment.forecast:
        raise DomainError("Prognos för måluppfyllelse lämnas i delårsrapporten per augusti.",
                          field="forecast")
    _require_answers(assessment)
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
        if version not in (None, "", "0"):
            raise DomainError(STALE_MESSAGE)
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
    follow_up, _ = Enhetsmalsuppfoljning.objects.update_or_create(
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
def save_kf_draft(*, form) -> object:
    """A draft of one of KF's objects (G1-G3, G11), proposed before KF's decision.

    Only drafts change: once KF's decision is recorded, a new decision replaces it (P1).
    """
    if form.instance.pk and type(form.instance).objects.get(pk=form.instance.pk).is_locked:
        raise DomainError(LOCKED_MESSAGE.format("Beslutet"))
    obj = form.save(commit=False)
    obj.status = DecisionStatus.DRAFT
    obj.save()
    form.save_m2m()
    return obj


@transaction.atomic
def adopt_kf_decision(*, obj, decided_on: dt.date, paragraph: str, case_number: str = ""):
    """Record KF's decision on a vision, övergripande mål, financial goal or uppdrag."""
    if isinstance(obj, Vision):
        return adopt_vision(vision=obj, decided_on=decided_on, paragraph=paragraph,
                            case_number=case_number)
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    _require_draft(obj, str(obj._meta.verbose_name).capitalize())
    _record_decision(obj, body=_kf(), decided_on=decided_on, paragraph=paragraph,
                     case_number=case_number)
    obj.save()
    if isinstance(obj, OvergripandeMal):
        obj.affirmed_for.add(*BudgetYear.objects.filter(mandate_period=obj.mandate_period))
        _replace(obj.replaces)
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
