"""Demo goals for Ekbacka kommun: vision, övergripande and financial goals, nämndmål with
enhetsmål, medarbetarplaner, KF uppdrag and assessments of last year's and this year's reports.
Idempotent: once the municipality has nämndmål, nothing is added again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib.util import find_spec

from django.db import transaction
from django.db.models import F

from styrmodell.demo import UNITS
from styrmodell.models import BudgetYear, MandatePeriod, OrganisationUnit, User

from . import services
from .models import (
    ComputedMeasure,
    FinansielltMal,
    Level,
    Medarbetarplan,
    Namndmal,
    OvergripandeMal,
    ReportPeriod,
    Uppdrag,
    Vision,
)

OVERARCHING = (
    ("Barn och unga ges goda förutsättningar att lyckas",
     "Alla barn och elever ska nå så långt som möjligt i sitt lärande."),
    ("Äldre och personer med behov av stöd lever ett tryggt och självständigt liv",
     "Insatser ges med kvalitet, i tid och med respekt för den enskilde."),
    ("Ekbacka växer hållbart",
     "Bostäder, näringsliv och infrastruktur utvecklas med miljön i fokus."),
    ("Ett rikt kultur- och fritidsliv för alla",
     "Mötesplatser och aktiviteter som når alla åldrar och delar av kommunen."),
)

# nämnd key -> (overarching index, title, what, how measured, target, enhet keys)
NAMND_GOALS = {
    "bun": (
        (0, "Fler elever är behöriga till gymnasiet",
         "Andelen elever i åk 9 som är behöriga till yrkesprogram ökar.",
         "Kolada N15436, andel behöriga elever i åk 9.", "minst 88 %", ("aspaskolan",)),
        (0, "Ökad läsförmåga i lågstadiet",
         "Fler elever i åk 3 når kunskapskraven i svenska.",
         "Nationella prov i svenska åk 3.", "minst 85 %", ("ekbackaskolan",)),
        (0, "Trygg förskola med små barngrupper",
         "Barngrupperna i förskolan hålls inom Skolverkets riktmärke.",
         "Antal barn per grupp i oktobermätningen.", "högst 15 barn per grupp", ("ekorren",)),
    ),
    "sn": (
        (1, "Hemtjänsten ger kontinuitet",
         "Färre olika personal besöker den enskilde under 14 dagar.",
         "Kolada U21401, personalkontinuitet i hemtjänsten.", "högst 12 personer",
         ("hemtjanst",)),
        (1, "Kortare väntetid till särskilt boende",
         "Tiden från beslut till erbjuden plats minskar.",
         "Genomsnittlig väntetid i dagar.", "högst 45 dagar", ("lindgarden",)),
    ),
    "sbn": (
        (2, "Snabbare bygglovshandläggning",
         "Bygglov beslutas inom lagstadgad tid.", "Andel ärenden inom 10 veckor.",
         "minst 95 %", ("planbygg",)),
        (2, "Minskade utsläpp från kommunens fordon",
         "Fordonsflottan ställs om till förnybara drivmedel.",
         "Andel fordon med förnybart drivmedel.", "minst 70 %", ()),
    ),
    "kfn": (
        (3, "Fler unga besöker fritidsgården",
         "Fritidsgården når fler ungdomar, särskilt flickor.",
         "Antal unika besökare 13–18 år per år.", "minst 400", ("fritid",)),
        (3, "Biblioteket når fler läsare",
         "Utlåning och besök ökar.", "Antal lån per invånare.", "minst 5,5", ("bibliotek",)),
    ),
}

# (period, level, forecast) for last year's goals; this year's February–August follow.
LAST_YEAR_ASSESSMENTS = (
    (ReportPeriod.FEBRUARY, Level.PARTLY, ""),
    (ReportPeriod.APRIL, Level.PARTLY, ""),
    (ReportPeriod.AUGUST, Level.PARTLY, Level.YES),
    (ReportPeriod.OCTOBER, Level.YES, ""),
    (ReportPeriod.YEAR, Level.YES, ""),
)
THIS_YEAR_ASSESSMENTS = (
    (ReportPeriod.FEBRUARY, Level.PARTLY, ""),
    (ReportPeriod.APRIL, Level.PARTLY, ""),
    (ReportPeriod.AUGUST, Level.PARTLY, Level.PARTLY),
)
# A goal that is off track, so the tree shows all three levels.
STRUGGLING = "Kortare väntetid till särskilt boende"
# A goal ahead of plan, so the delårsrapport has a positive variance to call out (F1).
AHEAD = "Snabbare bygglovshandläggning"


@transaction.atomic
def seed() -> None:
    if Namndmal.objects.exists():
        _relink_drafts_to_their_period()
        return
    units = {unit.name: unit for unit in OrganisationUnit.objects.all()}
    keyed = _unit_keys(units)
    previous = MandatePeriod.objects.get(name="2022–2026")
    current = MandatePeriod.objects.get(name="2026–2030")
    years = {year.year: year for year in BudgetYear.objects.all()}

    _visions(previous, current)
    overarching = {
        previous.pk: _overarching(previous, None, dt.date(2022, 11, 28), "KS 2022/302"),
        current.pk: _overarching(current, years[2027], dt.date(2026, 11, 23), "KS 2026/215"),
    }
    # G2: re-affirmed by KF with each year's budget of the previous period.
    for year, decided_on, paragraph in ((2025, dt.date(2024, 11, 25), "131"),
                                        (2026, dt.date(2025, 11, 24), "118")):
        services.affirm_overarching_goals(budget_year=years[year], decided_on=decided_on,
                                          paragraph=paragraph,
                                          case_number=f"KS {year - 1}/280")
    _financial_goals(years, keyed)
    author = User.objects.get(username="bun.forvaltningschef")
    for year in (2025, 2026):
        goals = _namnd_goals(years[year], keyed, overarching[previous.pk])
        plan = LAST_YEAR_ASSESSMENTS if year == 2025 else THIS_YEAR_ASSESSMENTS
        _assess(goals, plan, author)
    # 2027 is the new mandate period's first year: the copies fall under its goals (G2).
    services.copy_last_year(namnd=keyed["bun"], budget_year=years[2027], links={
        old.pk: new for old, new in zip(overarching[previous.pk], overarching[current.pk],
                                        strict=True)})
    _medarbetarplaner(years[2026], keyed)
    _uppdrag(years[2026], keyed)
    _malansvarig(years[2026], keyed)
    if find_spec("goals.demo_keyfigures"):
        from . import demo_keyfigures

        demo_keyfigures.seed(keyed)


def _unit_keys(units_by_name: dict[str, OrganisationUnit]) -> dict[str, OrganisationUnit]:
    return {key: units_by_name[name] for key, name, *_ in UNITS}


def _visions(previous: MandatePeriod, current: MandatePeriod) -> None:
    old = Vision.objects.create(
        mandate_period=previous,
        text="Ekbacka – den gröna kommunen där alla växer.",
    )
    services.adopt_vision(vision=old, decided_on=dt.date(2022, 11, 28), paragraph="112",
                          case_number="KS 2022/301")
    new = Vision.objects.create(
        mandate_period=current,
        text="Ekbacka 2035 – en trygg och växande kommun där alla får växa och lyckas.",
    )
    services.adopt_vision(vision=new, decided_on=dt.date(2026, 11, 23), paragraph="98",
                          case_number="KS 2026/214")


def _overarching(period: MandatePeriod, budget_year: BudgetYear | None, decided_on: dt.date,
                 case_number: str) -> list[OvergripandeMal]:
    goals = []
    for number, (title, description) in enumerate(OVERARCHING, start=1):
        goal = OvergripandeMal.objects.create(mandate_period=period, number=number, title=title,
                                              description=description)
        goal = services.adopt_overarching_goal(goal=goal, decided_on=decided_on,
                                               paragraph="113", case_number=case_number,
                                               budget_year=budget_year)
        goals.append(goal)
    return goals


def _relink_drafts_to_their_period() -> None:
    """A demo seeded before G2's fix copied 2027's drafts under the previous period's goals:
    link each draft to the goal of the same number in its year's period (idempotent)."""
    for draft in (Namndmal.objects.filter(status="utkast", overgripande_mal__isnull=False)
                  .exclude(overgripande_mal__mandate_period=F("budget_year__mandate_period"))
                  .select_related("overgripande_mal", "budget_year")):
        same = OvergripandeMal.objects.filter(
            mandate_period_id=draft.budget_year.mandate_period_id, status="antaget",
            number=draft.overgripande_mal.number).first()
        if same is not None:
            draft.overgripande_mal = same
            draft.save(update_fields=["overgripande_mal"])


# KF's financial goals (G3), the same each year: the municipality's, and Socialnämnden's own.
RESULT_GOAL = "Resultatet ska uppgå till minst 2 procent av skatter och bidrag"
SELF_FINANCING_GOAL = "Investeringarna ska till minst 80 procent finansieras med egna medel"
SOLIDITY_GOAL = "Soliditeten ska inte minska"
WITHIN_FRAMES_GOAL = "Nämnderna ska bedriva sin verksamhet inom beslutade ramar"
SN_BALANCE_GOAL = "Socialnämnden ska ha en ekonomi i balans"
FINANCIAL_GOALS = (
    # (unit key, title, measure, target, unit, computed from the budget's data)
    ("kommun", RESULT_GOAL, "Resultat / skatter och bidrag", Decimal("2.0"), "%", ""),
    ("kommun", SELF_FINANCING_GOAL, "Självfinansieringsgrad", Decimal("80"), "%", ""),
    ("kommun", SOLIDITY_GOAL, "Soliditet inkl. pensionsåtaganden", Decimal("35"), "%", ""),
    ("kommun", WITHIN_FRAMES_GOAL, "Nämndernas samlade resultat mot ram", Decimal("0"), "tkr",
     ComputedMeasure.NAMND_RESULT),
    ("sn", SN_BALANCE_GOAL, "Nämndens resultat mot ram", Decimal("0"), "tkr",
     ComputedMeasure.NAMND_RESULT),
)


def _financial_goals(years: dict[int, BudgetYear], keyed) -> None:
    for year in (2025, 2026, 2027):
        for unit_key, title, measure, value, unit, computed in FINANCIAL_GOALS:
            FinansielltMal.objects.create(
                budget_year=years[year], unit=keyed[unit_key], title=title, measure=measure,
                target_value=value, target_unit=unit, computed_as=computed, status="antaget",
                decided_by=keyed["kf"], decided_on=dt.date(year - 1, 11, 23), paragraph="120",
            )


def _namnd_goals(budget_year: BudgetYear, keyed, overarching) -> list[Namndmal]:
    goals = []
    for namnd_key, definitions in NAMND_GOALS.items():
        namnd = keyed[namnd_key]
        for index, title, what, how, target, enhet_keys in definitions:
            goal = services.create_namndmal(
                namnd=namnd, budget_year=budget_year, overgripande_mal=overarching[index],
                title=title, what=what, how_measured=how, target=target,
                by_when=dt.date(budget_year.year, 12, 31),
            ).obj
            goal = services.adopt_namndmal(
                goal=goal, decided_on=dt.date(budget_year.year - 1, 12, 14), paragraph="87",
                case_number=f"{namnd.short_name} {budget_year.year - 1}/45",
            )
            for enhet_key in enhet_keys:
                services.create_enhetsmal(
                    enhet=keyed[enhet_key], namndmal=goal,
                    title=f"{keyed[enhet_key].name}: {title.lower()}",
                    description="Enhetens bidrag till nämndmålet.",
                )
            goals.append(goal)
    return goals


def _assess(goals: list[Namndmal], plan, author: User) -> None:
    for goal in goals:
        for period, level, forecast in plan:
            if goal.title == STRUGGLING and period in (ReportPeriod.AUGUST, ReportPeriod.YEAR):
                level = Level.NO
                forecast = Level.NO if forecast else ""
            if goal.title == AHEAD and period == ReportPeriod.AUGUST and forecast:
                forecast = Level.YES
            services.save_assessment(
                namndmal=goal, period=period, author=author, version=None, level=level,
                forecast=forecast,
                activities_helped="Riktade insatser enligt verksamhetsplanen har gett effekt.",
                activities_missing="" if level == Level.YES else
                "Kompetensförsörjningen har inte räckt till alla planerade insatser.",
                external_factors="Ökad efterfrågan och ett högt kostnadsläge.",
                resources="Avsatta medel användes enligt plan; avvikelsen förklaras av "
                          "vikariekostnader.",
                conclusion="Målet är nått." if level == Level.YES
                else "Arbetet går i rätt riktning men behöver förstärkas.",
                priorities="Fortsatt fokus på de insatser som gett effekt.",
                recommendation="Behåll målet och se över styrtalen.",
                future_challenges="Ny lagstiftning och minskande statsbidrag.",
            )


def _medarbetarplaner(budget_year: BudgetYear, keyed) -> None:
    for employee, chef, enhet_key in (("medarbetare", "enhetschef", "ekbackaskolan"),
                                      ("medarbetare2", "sn.forvaltningschef", "hemtjanst")):
        enhet = keyed[enhet_key]
        plan = Medarbetarplan.objects.create(
            employee=User.objects.get(username=employee), chef=User.objects.get(username=chef),
            enhet=enhet, budget_year=budget_year, agreed_on=dt.date(budget_year.year, 2, 10),
        )
        for enhetsmal in enhet.enhet_goals.filter(namndmal__budget_year=budget_year):
            services.add_medarbetarmal(
                plan=plan, enhetsmal=enhetsmal,
                text="Jag bidrar genom att planera och följa upp mitt arbete mot målet.",
            )


def _uppdrag(budget_year: BudgetYear, keyed) -> None:
    for namnd_key, title in (
        ("bun", "Utred en sammanhållen skolorganisation i Ekbacka tätort"),
        ("sbn", "Ta fram en plan för laddinfrastruktur"),
    ):
        Uppdrag.objects.create(
            namnd=keyed[namnd_key], budget_year=budget_year, title=title,
            status="antaget", decided_by=keyed["kf"],
            decided_on=dt.date(budget_year.year - 1, 11, 23), paragraph="121",
        )


def _malansvarig(budget_year: BudgetYear, keyed) -> None:
    """BUN's förvaltningschef appoints a teacher to answer for one of the nämnd's goals."""
    from styrmodell import appointments

    goal = (Namndmal.objects.filter(budget_year=budget_year, namnd=keyed["bun"],
                                    status="antaget").order_by("pk").first())
    if goal is None:
        return
    starts_on = dt.date(budget_year.year, 9, 1)
    appointments.appoint(
        by=User.objects.get(username="bun.forvaltningschef"),
        person=User.objects.get(username="bun.malansvarig"), obj=goal, starts_on=starts_on,
        ends_on=dt.date(budget_year.year + 1, 2, 28), today=starts_on,
        reason="Leder skolornas arbete med målet och skriver bedömningarna i uppföljningarna.")
