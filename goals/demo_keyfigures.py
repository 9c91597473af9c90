"""Demo key figures for Ekbacka kommun, and verksamhetsplaner where nämndmål exist. Idempotent.

`seed(units)` takes the units keyed as in styrmodell.demo ("kommun", "bun", "sn", ...). It
adds five key figures with Kolada ids and values 2021–2025 for the municipality, targets, two
that develop negatively (so A2 flags them), nämndnyckeltal for BUN and SN (G8), and — only if
the nämnder have nämndmål for the running year — their verksamhetsplaner (G7): BUN's adopted
in December, SN's still a draft with a row missing. Nothing a user has changed is overwritten.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from styrmodell.models import BudgetYear, OrganisationUnit

from . import plans
from .models import (
    GoodDirection,
    Namndmal,
    Nyckeltal,
    NyckeltalMalvarde,
    NyckeltalVarde,
    Verksamhetsplan,
    VerksamhetsplanRad,
)

YEARS = (2021, 2022, 2023, 2024, 2025)
PLAN_YEAR = 2026

# (Kolada id, name, unit, good direction, nämnd key or None, description, values 2021–2025,
#  {year: target}, title of the nämndmål it is linked to)
KEY_FIGURES = (
    ("N01951", "Invånare totalt, antal", "invånare", GoodDirection.UP, None,
     "Antal invånare i kommunen den 31 december. Källa: SCB via Kolada.",
     ("10012", "10087", "10143", "10198", "10231"), {2026: "10300"}, None),
    ("N15436", "Elever i åk. 9 som är behöriga till ett yrkesprogram, hemkommun, andel (%)", "%",
     GoodDirection.UP, "bun",
     "Andel elever i årskurs 9, folkbokförda i kommunen, som är behöriga till ett "
     "yrkesprogram i gymnasieskolan. Källa: Skolverket via Kolada.",
     ("84.2", "85.9", "87.1", "86.4", "82.7"), {2025: "88", 2026: "88"},
     "Fler elever är behöriga till gymnasiet"),
    ("N00090", "Sjukfrånvaro bland kommunens anställda, andel (%)", "%", GoodDirection.DOWN,
     None, "Total sjukfrånvaro bland kommunalt anställda i procent av ordinarie arbetstid.",
     ("8.4", "8.9", "8.1", "7.6", "7.2"), {2025: "7", 2026: "6.5"}, None),
    ("N00097", "Nettokostnadsavvikelse totalt (exkl. LSS), (%)", "%", GoodDirection.DOWN, None,
     "Skillnaden mellan kommunens nettokostnad och den strukturellt förväntade kostnaden.",
     ("1.8", "2.4", "1.1", "0.6", "1.3"), {2026: "0"}, None),
    ("U21401", "Personalkontinuitet i hemtjänsten, antal personal på 14 dagar", "personer",
     GoodDirection.DOWN, "sn",
     "Antal personal som en hemtjänsttagare med minst två besök per dag möter under 14 dagar, "
     "medelvärde.",
     ("16", "15", "15", "14", "13"), {2026: "12"}, "Hemtjänsten ger kontinuitet"),
)

# What earlier versions of the demo called a key figure, checked against Kolada's own KPI
# metadata: N15419 is Kolada's "Elever i åk. 9 som uppnått kunskapskraven i alla ämnen", not
# behörighet; the measure the demo means (and BUN's nämndmål follows) is N15436. A demo
# database seeded before keeps its values, under the right id and name (an adopted nämndmål's
# text is a decision and is left as it was decided).
RENAMED = {
    "N15419": ("Elever i åk 9 som är behöriga till yrkesprogram, andel (%)", "N15436"),
    "N00097": ("Nettokostnadsavvikelse totalt, (%)", "N00097"),
}

# nämnd key -> (introduction, dialogue with, adopted on and § or None, rows left unwritten)
PLANS = {
    "bun": ("Barn- och utbildningsnämndens verksamhetsplan beskriver hur förvaltningen arbetar "
            "för att nå nämndens mål under året.",
            "KS och socialnämnden", (dt.date(PLAN_YEAR - 1, 12, 15), "142"), 0),
    "sn": ("Socialnämndens verksamhetsplan för året.", "KS", None, 1),
}


@transaction.atomic
def seed(units: dict[str, OrganisationUnit]) -> None:
    kommun = units["kommun"]
    _rename_old_demo_figures()
    for kpi, name, unit_label, direction, namnd_key, description, values, targets, goal in (
        KEY_FIGURES
    ):
        figure, _ = Nyckeltal.objects.get_or_create(
            kolada_kpi=kpi,
            defaults={
                "name": name, "unit_label": unit_label, "good_direction": direction,
                "source": "Kolada", "description": description,
                "namnd": units[namnd_key] if namnd_key else None,
            },
        )
        for year, value in zip(YEARS, values, strict=True):
            NyckeltalVarde.objects.get_or_create(
                nyckeltal=figure, unit=kommun, period=year,
                defaults={"value": Decimal(value), "source": "kolada"},
            )
        for year, value in targets.items():
            NyckeltalMalvarde.objects.get_or_create(
                nyckeltal=figure, year=year, defaults={"value": Decimal(value)}
            )
        if goal and namnd_key:
            for namndmal in Namndmal.objects.filter(namnd=units[namnd_key], title=goal):
                namndmal.key_figures.add(figure)
    _plans(units)


def _rename_old_demo_figures() -> None:
    """The demo's earlier ids and names, as Kolada names them; a figure a user renamed stays."""
    names = {kpi: name for kpi, name, *_rest in KEY_FIGURES}
    for old_kpi, (old_name, kpi) in RENAMED.items():
        if kpi != old_kpi and Nyckeltal.objects.filter(kolada_kpi=kpi).exists():
            continue
        for figure in Nyckeltal.objects.filter(kolada_kpi=old_kpi, name=old_name):
            figure.kolada_kpi, figure.name = kpi, names[kpi]
            figure.save(update_fields=["kolada_kpi", "name"])


def _plans(units: dict[str, OrganisationUnit]) -> None:
    """G7: verksamhetsplaner only where the nämnd has nämndmål for the year."""
    budget_year = BudgetYear.objects.filter(year=PLAN_YEAR).first()
    if budget_year is None:
        return
    for key, (introduction, dialogue_with, adoption, left_out) in PLANS.items():
        namnd = units.get(key)
        goals = list(plans.plan_goals(namnd, budget_year)) if namnd else []
        if not goals:
            continue
        plan = Verksamhetsplan.objects.filter(namnd=namnd, budget_year=budget_year).first()
        if plan is None:
            plan = plans.create_plan(
                namnd=namnd, budget_year=budget_year, introduction=introduction,
                dialogue_with=dialogue_with, dialogue_goals=goals[:1],
            )
        if plans.is_adopted(plan):
            continue
        for goal in goals[: len(goals) - left_out]:
            if VerksamhetsplanRad.objects.filter(namndmal=goal).exists():
                continue
            plans.save_row(
                plan=plan, namndmal=goal, version="0",
                method=f"Varje enhet planerar aktiviteter för ”{goal.title.lower()}” och "
                       "förvaltningens ledningsgrupp följer dem varje månad.",
                styrtal=goal.how_measured,
                follow_up="I uppföljningarna per februari, april och oktober, i "
                          "delårsrapporten per augusti och i årsredovisningen.",
                reached_when=f"Målvärdet är nått: {goal.target}.",
            )
        if adoption is not None:
            adopted_on, paragraph = adoption
            plans.adopt_plan(plan=plan, adopted_on=adopted_on, paragraph=paragraph)
